// A topology's addresses parsed into numbers once, with the field path each came from, so the
// cross-field checks and the warnings compare integers and can name the field at fault.
// Unparsable entries are skipped rather than thrown on: these helpers also serve callers
// (planner, renderer) that might hand in a topology that was never validated.
import { parseInterfaceCidr, parseIpv4, parsePoolEntry, subnetInterval } from '../net/index.ts';
import type { AddressInterval, Ipv4Cidr, Ipv4Number } from '../net/index.ts';
import type { Topology } from './types.ts';

export interface ConnectedSubnet {
  /** `cluster` or `lan`: which router port it is on. */
  role: 'cluster' | 'lan';
  interfaceName: string;
  path: string;
  cidr: Ipv4Cidr;
  subnet: AddressInterval;
}

export interface RouterAddress {
  path: string;
  address: Ipv4Number;
}

export interface NodeRef {
  index: number;
  path: string;
  name: string;
  address: Ipv4Number;
}

export interface PoolEntryRef {
  poolIndex: number;
  poolName: string;
  entryIndex: number;
  path: string;
  text: string;
  interval: AddressInterval;
}

export interface ResolvedAddresses {
  connected: ConnectedSubnet[];
  routerAddresses: RouterAddress[];
  nodes: NodeRef[];
  poolEntries: PoolEntryRef[];
}

function connectedSubnet(
  role: ConnectedSubnet['role'],
  port: { interface: string; address?: string } | undefined,
): ConnectedSubnet | undefined {
  if (port?.address === undefined) return undefined;
  const parsed = parseInterfaceCidr(port.address);
  if (!parsed.ok) return undefined;
  return {
    role,
    interfaceName: port.interface,
    path: `router.${role}.address`,
    cidr: parsed.value,
    subnet: subnetInterval(parsed.value),
  };
}

function routerAddresses(topology: Topology, connected: readonly ConnectedSubnet[]): RouterAddress[] {
  const fromPorts = connected.map((port) => ({ path: port.path, address: port.cidr.address }));
  const routerId = topology.router.routerId === undefined ? undefined : parseIpv4(topology.router.routerId);
  const fromId = routerId?.ok ? [{ path: 'router.routerId', address: routerId.value }] : [];
  return [...fromPorts, ...fromId];
}

function nodeRefs(topology: Topology): NodeRef[] {
  return topology.cluster.nodes.flatMap((node, index) => {
    const parsed = parseIpv4(node.address);
    return parsed.ok
      ? [{ index, path: `cluster.nodes.${index}.address`, name: node.name, address: parsed.value }]
      : [];
  });
}

function poolEntryRefs(topology: Topology): PoolEntryRef[] {
  return topology.cluster.pools.flatMap((pool, poolIndex) =>
    pool.addresses.flatMap((text, entryIndex) => {
      const parsed = parsePoolEntry(text);
      if (!parsed.ok) return [];
      const path = `cluster.pools.${poolIndex}.addresses.${entryIndex}`;
      return [{ poolIndex, poolName: pool.name, entryIndex, path, text, interval: parsed.value }];
    }),
  );
}

export function resolveAddresses(topology: Topology): ResolvedAddresses {
  const connected = [
    connectedSubnet('cluster', topology.router.cluster),
    connectedSubnet('lan', topology.router.lan),
  ].filter((port): port is ConnectedSubnet => port !== undefined);
  return {
    connected,
    routerAddresses: routerAddresses(topology, connected),
    nodes: nodeRefs(topology),
    poolEntries: poolEntryRefs(topology),
  };
}
