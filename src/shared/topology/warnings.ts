// Warnings for a valid topology: things that work but will surprise the user. Codes are stable;
// the UI and CLI key on them.
import {
  buggyAddressesIn,
  formatCidr,
  formatIpv4,
  intervalHasAddress,
  intervalSize,
  intervalsOverlap,
  networkCidr,
  formatInterval,
  parseNetworkCidr,
  singleAddressInterval,
  subnetInterval,
  suggestPoolOutside,
} from '../net/index.ts';
import type { AddressInterval, Ipv4Number } from '../net/index.ts';
import { resolveAddresses } from './resolved.ts';
import type { ConnectedSubnet, PoolEntryRef, ResolvedAddresses } from './resolved.ts';
import type { Topology, TopologyWarning } from './types.ts';

export function isPrivateAsn(asn: number): boolean {
  return (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);
}

function entriesOfPool(resolved: ResolvedAddresses, poolIndex: number): PoolEntryRef[] {
  return resolved.poolEntries.filter((entry) => entry.poolIndex === poolIndex);
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
  const warnings: TopologyWarning[] = [];
  topology.cluster.pools.forEach((pool, poolIndex) => {
    const entries = entriesOfPool(resolved, poolIndex);
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

/** How to drop the risky addresses: a trimmed range when the entry sits in one /24. */
function trimAdvice(entry: PoolEntryRef, risky: readonly Ipv4Number[]): string {
  const { start, end } = entry.interval;
  const sameSlash24 = start >>> 8 === end >>> 8;
  const trimmedStart = risky.includes(start) ? start + 1 : start;
  const trimmedEnd = risky.includes(end) ? end - 1 : end;
  if (sameSlash24 && trimmedStart <= trimmedEnd && risky.every((a) => a === start || a === end)) {
    return `use the range ${formatInterval({ start: trimmedStart, end: trimmedEnd })} instead`;
  }
  return 'split the pool into ranges that leave them out';
}

/** Addresses of a pool entry that MetalLB should not hand out: connected network/broadcast and any .0/.255. */
function riskyAddresses(entry: PoolEntryRef, resolved: ResolvedAddresses): Ipv4Number[] {
  const edges = resolved.connected.flatMap((port) => [port.subnet.start, port.subnet.end]);
  const connectedEdges = edges.filter((address) => intervalHasAddress(entry.interval, address));
  return [...new Set([...connectedEdges, ...buggyAddressesIn(entry.interval, 3)])].sort((a, b) => a - b);
}

function networkOrBroadcastWarnings(topology: Topology, resolved: ResolvedAddresses): TopologyWarning[] {
  return topology.cluster.pools.flatMap((pool, poolIndex) => {
    const entries = entriesOfPool(resolved, poolIndex);
    const risky = entries.map((entry) => ({ entry, addresses: riskyAddresses(entry, resolved) }));
    const first = risky.find((r) => r.addresses.length > 0);
    if (!first) return [];
    const shown = first.addresses.slice(0, 3).map(formatIpv4).join(', ');
    const message =
      `pool "${pool.name}" (${first.entry.text}) holds ${shown}: a network or broadcast address, or an address ending in .0/.255 ` +
      'that some clients and routers mishandle. The wizard sets MetalLB avoidBuggyIPs on this pool so such addresses are never assigned; ' +
      `to avoid the issue entirely, ${trimAdvice(first.entry, first.addresses)}.`;
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

function nodeCountWarnings(topology: Topology): TopologyWarning[] {
  const nodes = topology.cluster.nodes;
  const warnings: TopologyWarning[] = [];
  if (topology.router.maximumPaths < nodes.length) {
    warnings.push({
      code: 'maximum-paths-below-nodes',
      path: 'router.maximumPaths',
      message: `maximumPaths ${topology.router.maximumPaths} is below the ${nodes.length} nodes, so the router spreads each service over at most ${topology.router.maximumPaths} of them; set maximumPaths to at least ${nodes.length} (32 is usual)`,
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
  const resolved = resolveAddresses(topology);
  return entriesOfPool(resolved, poolIndex).some((entry) => riskyAddresses(entry, resolved).length > 0);
}
