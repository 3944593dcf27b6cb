// Warnings for a valid topology: things that work but will surprise the user. Codes are stable;
// the UI and CLI key on them.
import {
  buggyAddressesIn,
  formatCidr,
  formatIpv4,
  intervalSize,
  intervalsOverlap,
  isBuggyAddress,
  networkCidr,
  parseNetworkCidr,
  parsePoolEntry,
  singleAddressInterval,
  subnetInterval,
  suggestPoolOutside,
} from '../net/index.ts';
import type { AddressInterval, Ipv4Number } from '../net/index.ts';
import { resolveAddresses } from './resolved.ts';
import { MAXIMUM_PATHS_MAX } from './schema.ts';
import type { ConnectedSubnet, PoolEntryRef, ResolvedAddresses } from './resolved.ts';
import { connectedEdgesIn, describeEdge, leaveOutAdvice } from './edges.ts';
import type { Topology, TopologyWarning } from './types.ts';

export function isPrivateAsn(asn: number): boolean {
  return (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);
}

/** Each pool's parsed entries, by pool index: grouped once rather than filtered per pool. */
function entriesByPool(topology: Topology, resolved: ResolvedAddresses): PoolEntryRef[][] {
  const byPool: PoolEntryRef[][] = topology.cluster.pools.map(() => []);
  for (const entry of resolved.poolEntries) byPool[entry.poolIndex]?.push(entry);
  return byPool;
}

function poolSize(entries: readonly PoolEntryRef[]): number {
  return entries.reduce((sum, entry) => sum + intervalSize(entry.interval), 0);
}

/** A suggestion prefix that fits the pool's size, kept between /26 and /30 so it avoids .0/.255. */
function suggestionPrefix(size: number): number {
  const bits = Math.ceil(Math.log2(Math.max(size, 1)));
  return Math.min(30, Math.max(26, 32 - bits));
}

function takenIntervals(resolved: ResolvedAddresses): AddressInterval[] {
  const addresses: Ipv4Number[] = [
    ...resolved.routerAddresses.map((r) => r.address),
    ...resolved.nodes.map((n) => n.address),
  ];
  return [...addresses.map(singleAddressInterval), ...resolved.poolEntries.map((entry) => entry.interval)];
}

function segmentCaveat(port: ConnectedSubnet, poolName: string, entry: PoolEntryRef): string {
  const subnet = formatCidr(networkCidr(port.cidr));
  const where = `pool "${poolName}" (${entry.text}) lies inside the ${port.role} segment ${subnet} on ${port.interfaceName}`;
  const otherClients =
    port.role === 'cluster'
      ? 'clients on another interface (e.g. the LAN port, or WAN with port forwarding)'
      : 'clients on other interfaces';
  return (
    `${where}. Hosts on that segment think these IPs are on-link, send ARP requests for them, and nobody answers, ` +
    `so they cannot reach the services; ${otherClients} still work because they send the traffic to the router.`
  );
}

function segmentAdvice(suggestion: string | undefined): string {
  if (suggestion === undefined)
    return ' To serve that segment too, use a pool outside every connected subnet.';
  return (
    ` To serve that segment too, use a pool outside every connected subnet, such as ${suggestion}.` +
    " (Even then, clients on the nodes' own segment get asymmetric routing, which a stateful firewall may drop.)"
  );
}

function segmentWarnings(
  topology: Topology,
  resolved: ResolvedAddresses,
  role: ConnectedSubnet['role'],
): TopologyWarning[] {
  const port = resolved.connected.find((p) => p.role === role);
  if (!port) return [];
  const code = role === 'cluster' ? 'pool-in-cluster-segment' : 'pool-in-lan-segment';
  const taken = takenIntervals(resolved);
  const byPool = entriesByPool(topology, resolved);
  const warnings: TopologyWarning[] = [];
  topology.cluster.pools.forEach((pool, poolIndex) => {
    const entries = byPool[poolIndex] ?? [];
    const inside = entries.find((entry) => intervalsOverlap(entry.interval, port.subnet));
    if (!inside) return;
    const connected = resolved.connected.map((p) => p.cidr);
    const suggestion = suggestPoolOutside(connected, taken, suggestionPrefix(poolSize(entries)));
    // Later suggestions must not collide with this one if the user adopts them all.
    if (suggestion !== undefined) {
      const adopted = resolveSuggestionInterval(suggestion);
      if (adopted) taken.push(adopted);
    }
    warnings.push({
      code,
      path: inside.path,
      message: segmentCaveat(port, pool.name, inside) + segmentAdvice(suggestion),
      ...(suggestion === undefined ? {} : { suggestion: { pool: suggestion } }),
    });
  });
  return warnings;
}

function resolveSuggestionInterval(cidrText: string): AddressInterval | undefined {
  const parsed = parseNetworkCidr(cidrText);
  return parsed.ok ? subnetInterval(parsed.value) : undefined;
}

function networkOrBroadcastWarnings(topology: Topology, resolved: ResolvedAddresses): TopologyWarning[] {
  const byPool = entriesByPool(topology, resolved);
  return topology.cluster.pools.flatMap((pool, poolIndex) => {
    // Only edges ending in .0/.255: avoidBuggyIPs covers those. The others are errors (crosschecks.ts).
    const held = (byPool[poolIndex] ?? []).map((entry) => ({
      entry,
      edges: connectedEdgesIn(entry.interval, resolved).filter((edge) => isBuggyAddress(edge.address)),
    }));
    const first = held.find((h) => h.edges.length > 0);
    if (!first) return [];
    const addresses = first.edges.map((edge) => edge.address);
    const what = first.edges
      .map((edge) => `${formatIpv4(edge.address)}, ${describeEdge(edge)}`)
      .join(', and ');
    const message =
      `pool "${pool.name}" (${first.entry.text}) holds ${what}. The wizard sets MetalLB avoidBuggyIPs on this pool, ` +
      `which skips every address ending in .0 or .255, so MetalLB does not assign ${addresses.length === 1 ? 'it' : 'them'}; ` +
      `to keep ${addresses.length === 1 ? 'it' : 'them'} out of the pool altogether, ${leaveOutAdvice(first.entry.interval, addresses)}.`;
    return [{ code: 'pool-includes-network-or-broadcast' as const, path: first.entry.path, message }];
  });
}

function asnWarnings(topology: Topology): TopologyWarning[] {
  const sides = [
    { path: 'router.asn', asn: topology.router.asn },
    { path: 'cluster.asn', asn: topology.cluster.asn },
  ];
  return sides
    .filter((side) => !isPrivateAsn(side.asn))
    .map((side) => ({
      code: 'asn-not-private' as const,
      path: side.path,
      message: `AS ${side.asn} is a public AS number; unless your organisation owns it, use a private one (64512-65534 or 4200000000-4294967294) such as 64512`,
    }));
}

/** The advice of the maximum-paths-below-nodes warning: never a value validation refuses. */
function maximumPathsAdvice(paths: number, nodeCount: number): string {
  if (nodeCount <= MAXIMUM_PATHS_MAX) return `set maximumPaths to at least ${nodeCount} (32 is usual)`;
  if (paths < MAXIMUM_PATHS_MAX) {
    return `set maximumPaths to ${MAXIMUM_PATHS_MAX}, the most the router takes (each service then reaches ${MAXIMUM_PATHS_MAX} of the ${nodeCount} nodes)`;
  }
  return `${MAXIMUM_PATHS_MAX} is the most the router takes, so leave it as it is`;
}

function nodeCountWarnings(topology: Topology): TopologyWarning[] {
  const nodes = topology.cluster.nodes;
  const paths = topology.router.maximumPaths;
  const warnings: TopologyWarning[] = [];
  if (paths < nodes.length) {
    warnings.push({
      code: 'maximum-paths-below-nodes',
      path: 'router.maximumPaths',
      message: `maximumPaths ${paths} is below the ${nodes.length} nodes, so the router spreads each service over at most ${paths} of them; ${maximumPathsAdvice(paths, nodes.length)}`,
    });
  }
  const only = nodes[0];
  if (nodes.length === 1 && only) {
    warnings.push({
      code: 'single-node',
      path: 'cluster.nodes',
      message: `only one node (${only.name}): every service depends on it and nothing is load-balanced; add the other nodes when you have them`,
    });
  }
  return warnings;
}

/** All warnings of a valid topology, in a stable order. */
export function topologyWarnings(topology: Topology): TopologyWarning[] {
  const resolved = resolveAddresses(topology);
  return [
    ...segmentWarnings(topology, resolved, 'cluster'),
    ...segmentWarnings(topology, resolved, 'lan'),
    ...asnWarnings(topology),
    ...nodeCountWarnings(topology),
    ...networkOrBroadcastWarnings(topology, resolved),
  ];
}

/** Whether the planner must set avoidBuggyIPs (avoid-buggy-ips in the ConfigMap era) on the pool. */
export function poolNeedsAvoidBuggyIps(topology: Topology, poolIndex: number): boolean {
  // Any .0/.255 address, connected or not: that is what avoidBuggyIPs skips, and setting it is
  // harmless while it protects clients that mishandle such addresses. Only connected-subnet
  // edges are worth a warning (networkOrBroadcastWarnings). Only this pool's entries are parsed:
  // the planner asks once per pool.
  const addresses = topology.cluster.pools[poolIndex]?.addresses ?? [];
  return addresses.some((text) => {
    const parsed = parsePoolEntry(text);
    return parsed.ok && buggyAddressesIn(parsed.value, 1).length > 0;
  });
}
