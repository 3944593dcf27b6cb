// The status report: the router's BGP summary and routes joined with the topology's nodes and the
// cluster's LoadBalancer Services, in the shape `status --json` prints and the status view draws.

import type { BgpNextHop, BgpRoute, BgpSummary, SummaryNeighbor } from '../parse/index.ts';
import {
  intervalHasAddress,
  networkCidr,
  parseInterfaceCidr,
  parseIpv4,
  subnetInterval,
  type AddressInterval,
} from '../net/index.ts';
import type { Topology } from '../topology/index.ts';
import { diagnoseNeighbor } from './neighbor.ts';
import type {
  NeighborFacts,
  ServiceFacts,
  StatusNeighbor,
  StatusNextHop,
  StatusReport,
  StatusRoute,
} from './types.ts';

export const NOT_CONFIGURED_STATE = 'Not configured';

export interface StatusInput {
  summary: BgpSummary;
  routes: BgpRoute[];
  topology: Topology;
  services: ServiceFacts[];
  facts: (address: string) => NeighborFacts;
}

function nodeNameOf(t: Topology, address: string): string | null {
  return t.cluster.nodes.find((node) => node.address === address)?.name ?? null;
}

function statusNeighbor(n: SummaryNeighbor, input: StatusInput): StatusNeighbor {
  const facts = input.facts(n.address);
  const node = nodeNameOf(input.topology, n.address) ?? facts.node;
  // Only the cluster's own sessions are judged against the topology; other peers are shown as they are.
  const diagnosis =
    node === null
      ? null
      : diagnoseNeighbor(
          {
            ...n,
            localAs: input.summary.localAs,
          },
          input.topology,
          { ...facts, node },
        );
  return {
    address: n.address,
    node,
    state: n.state,
    upDown: n.upDown,
    prefixesReceived: n.prefixesReceived,
    diagnosis,
  };
}

/** A topology node the router has no neighbor for: shown, so a missing session is not silently absent. */
function missingNeighbor(address: string, name: string, input: StatusInput): StatusNeighbor {
  const facts = { ...input.facts(address), node: name, routerConfigured: false };
  const neighbor = { address, state: NOT_CONFIGURED_STATE, prefixesReceived: null };
  return {
    address,
    node: name,
    state: NOT_CONFIGURED_STATE,
    upDown: 'never',
    prefixesReceived: null,
    diagnosis: diagnoseNeighbor(neighbor, input.topology, facts),
  };
}

function prefixInterval(prefix: string): AddressInterval | null {
  const parsed = parseInterfaceCidr(prefix);
  return parsed.ok ? subnetInterval(networkCidr(parsed.value)) : null;
}

function servicesIn(prefix: string, services: ServiceFacts[]): string | null {
  const interval = prefixInterval(prefix);
  if (interval === null) return null;
  const inside = (ip: string): boolean => {
    const parsed = parseIpv4(ip);
    return parsed.ok && intervalHasAddress(interval, parsed.value);
  };
  const names = services.filter((s) => s.ips.some(inside)).map((s) => `${s.namespace}/${s.name}`);
  return names.length === 0 ? null : names.join(', ');
}

/**
 * One entry per distinct next-hop address. FRR prints an iBGP hop `via X (recursive)` and then the
 * hop resolving it; the resolving line is not another path.
 */
function statusNextHops(hops: BgpNextHop[], t: Topology): StatusNextHop[] {
  const addresses = [...new Set(hops.filter((hop) => hop.resolves === undefined).map((hop) => hop.address))];
  return addresses.map((address) => ({ address, node: nodeNameOf(t, address) }));
}

function statusRoute(route: BgpRoute, input: StatusInput): StatusRoute {
  return {
    prefix: route.prefix,
    service: servicesIn(route.prefix, input.services),
    nextHops: statusNextHops(route.nextHops, input.topology),
  };
}

export function statusReportOf(input: StatusInput): StatusReport {
  const seen = new Set(input.summary.neighbors.map((n) => n.address));
  const missing = input.topology.cluster.nodes
    .filter((node) => !seen.has(node.address))
    .map((node) => missingNeighbor(node.address, node.name, input));
  return {
    neighbors: [...input.summary.neighbors.map((n) => statusNeighbor(n, input)), ...missing],
    routes: input.routes.map((route) => statusRoute(route, input)),
  };
}
