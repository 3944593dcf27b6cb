// Checks that relate several fields of a structurally valid topology: distinct ports, subnet
// membership, uniqueness and pool overlaps. Each error points at the field to change.
import {
  formatCidr,
  formatIpv4,
  intervalHasAddress,
  intervalsOverlap,
  isBuggyAddress,
  lowestOverlappingIndexes,
  networkCidr,
  singleAddressInterval,
} from '../net/index.ts';
import { connectedEdgesIn, edgeSentences, leaveOutAdvice } from './edges.ts';
import { resolveAddresses } from './resolved.ts';
import type { ConnectedSubnet, NodeRef, PoolEntryRef, ResolvedAddresses } from './resolved.ts';
import type { Topology, TopologyError } from './types.ts';

function distinctInterfaceErrors(topology: Topology): TopologyError[] {
  const ports = [
    { path: 'router.wan.interface', name: topology.router.wan?.interface },
    { path: 'router.cluster.interface', name: topology.router.cluster.interface },
    { path: 'router.lan.interface', name: topology.router.lan?.interface },
  ];
  const errors: TopologyError[] = [];
  ports.forEach((port, i) => {
    const earlier = ports.slice(0, i).find((other) => other.name !== undefined && other.name === port.name);
    if (earlier && port.name !== undefined) {
      errors.push({
        path: port.path,
        message: `${port.name} is already used as ${earlier.path}; use a different router port for each role`,
      });
    }
  });
  return errors;
}

function subnetLabel(port: ConnectedSubnet): string {
  return `${formatCidr(networkCidr(port.cidr))} (${port.path})`;
}

function connectedOverlapErrors(resolved: ResolvedAddresses): TopologyError[] {
  const [cluster, lan] = resolved.connected;
  if (!cluster || !lan || !intervalsOverlap(cluster.subnet, lan.subnet)) return [];
  return [
    {
      path: lan.path,
      message: `the LAN subnet ${formatCidr(networkCidr(lan.cidr))} overlaps the cluster subnet ${subnetLabel(cluster)}; give the LAN port its own subnet such as 192.168.2.1/24`,
    },
  ];
}

function nodeAddressErrors(
  node: NodeRef,
  resolved: ResolvedAddresses,
  firstWithAddress: ReadonlyMap<number, NodeRef>,
): TopologyError[] {
  const cluster = resolved.connected.find((port) => port.role === 'cluster');
  const shown = formatIpv4(node.address);
  const fix = (problem: string): TopologyError[] => [{ path: node.path, message: problem }];
  if (cluster && !intervalHasAddress(cluster.subnet, node.address)) {
    return fix(
      `${shown} is outside the cluster subnet ${subnetLabel(cluster)}; use the node's InternalIP on that subnet, or correct router.cluster.address`,
    );
  }
  if (cluster && (node.address === cluster.subnet.start || node.address === cluster.subnet.end)) {
    const which = node.address === cluster.subnet.start ? 'network' : 'broadcast';
    return fix(`${shown} is the ${which} address of ${subnetLabel(cluster)}; use the node's own InternalIP`);
  }
  const router = resolved.routerAddresses.find((address) => address.address === node.address);
  if (router) return fix(`${shown} is the router's address (${router.path}); use the node's own InternalIP`);
  const twin = firstWithAddress.get(node.address);
  if (twin && twin !== node) {
    return fix(
      `${shown} is also the address of node "${twin.name}" (${twin.path}); give each node its own InternalIP`,
    );
  }
  return [];
}

/** The first item for each key, in list order: Map lookups keep uniqueness checks linear. */
function firstByKey<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T> {
  const first = new Map<K, T>();
  for (const item of items) {
    const k = key(item);
    if (!first.has(k)) first.set(k, item);
  }
  return first;
}

function nodeErrors(topology: Topology, resolved: ResolvedAddresses): TopologyError[] {
  const nodes = topology.cluster.nodes;
  const firstIndexByName = firstByKey(
    nodes.map((node, index) => ({ name: node.name, index })),
    (named) => named.name,
  );
  const nameErrors = nodes.flatMap((node, index) => {
    const first = firstIndexByName.get(node.name)?.index ?? index;
    return first < index
      ? [
          {
            path: `cluster.nodes.${index}.name`,
            message: `node name "${node.name}" is already used by cluster.nodes.${first}; list each node once, with its own Kubernetes name`,
          },
        ]
      : [];
  });
  const firstWithAddress = firstByKey(resolved.nodes, (node) => node.address);
  const addressErrors = resolved.nodes.flatMap((node) => nodeAddressErrors(node, resolved, firstWithAddress));
  return [...nameErrors, ...addressErrors];
}

function poolNameErrors(topology: Topology): TopologyError[] {
  const pools = topology.cluster.pools;
  const firstIndexByName = firstByKey(
    pools.map((pool, index) => ({ name: pool.name, index })),
    (named) => named.name,
  );
  return pools.flatMap((pool, index) => {
    const first = firstIndexByName.get(pool.name)?.index ?? index;
    return first < index
      ? [
          {
            path: `cluster.pools.${index}.name`,
            message: `pool name "${pool.name}" is already used by cluster.pools.${first}; give each pool its own name`,
          },
        ]
      : [];
  });
}

/** What each pool entry overlaps: the first earlier entry and the first node inside it, if any. */
interface EntryOverlaps {
  earlierEntry: PoolEntryRef | undefined;
  node: NodeRef | undefined;
}

function poolEntryErrors(
  entry: PoolEntryRef,
  resolved: ResolvedAddresses,
  overlaps: EntryOverlaps,
): TopologyError[] {
  const errors: TopologyError[] = [];
  const other = overlaps.earlierEntry;
  if (other) {
    errors.push({
      path: entry.path,
      message: `${entry.text} overlaps ${other.text} of pool "${other.poolName}" (${other.path}); move or shrink one of them so the pools' addresses are disjoint`,
    });
  }
  const node = overlaps.node;
  if (node) {
    errors.push({
      path: entry.path,
      message: `${entry.text} holds node "${node.name}"'s address ${formatIpv4(node.address)} (${node.path}); move the pool, or use a range that leaves ${formatIpv4(node.address)} out`,
    });
  }
  const router = resolved.routerAddresses.find((r) => intervalHasAddress(entry.interval, r.address));
  if (router) {
    errors.push({
      path: entry.path,
      message: `${entry.text} holds the router's address ${formatIpv4(router.address)} (${router.path}); move the pool, or use a range that leaves ${formatIpv4(router.address)} out`,
    });
  }
  const unprotected = connectedEdgesIn(entry.interval, resolved).filter((e) => !isBuggyAddress(e.address));
  if (unprotected.length > 0) {
    const advice = leaveOutAdvice(
      entry.interval,
      unprotected.map((e) => e.address),
    );
    const it = unprotected.length === 1 ? 'it' : 'them';
    errors.push({
      path: entry.path,
      message:
        `pool entry ${entry.text}: ${edgeSentences(unprotected)}. MetalLB's avoidBuggyIPs skips only addresses ` +
        `ending in .0 or .255, so MetalLB could assign ${it} to a service; ${advice}`,
    });
  }
  return errors;
}

/** For each pool entry, the first earlier entry overlapping it and the first node inside it. */
function entryOverlaps(resolved: ResolvedAddresses): EntryOverlaps[] {
  const entries = resolved.poolEntries;
  const intervals = entries.map((entry) => entry.interval);
  const lowestEntry = lowestOverlappingIndexes(intervals, intervals);
  const nodeIntervals = resolved.nodes.map((node) => singleAddressInterval(node.address));
  const lowestNode = lowestOverlappingIndexes(nodeIntervals, intervals);
  return entries.map((_, i) => {
    // An entry overlaps itself, so the lowest overlapping index is below its own only when an
    // earlier entry overlaps it.
    const other = lowestEntry[i];
    const node = lowestNode[i];
    return {
      earlierEntry: other !== undefined && other < i ? entries[other] : undefined,
      node: node === undefined ? undefined : resolved.nodes[node],
    };
  });
}

function poolErrors(topology: Topology, resolved: ResolvedAddresses): TopologyError[] {
  const overlaps = entryOverlaps(resolved);
  const entryErrors = resolved.poolEntries.flatMap((entry, i) =>
    poolEntryErrors(entry, resolved, overlaps[i] ?? { earlierEntry: undefined, node: undefined }),
  );
  return [...poolNameErrors(topology), ...entryErrors];
}

/** MetalLB 0.12 has no passwordSecret: the password would sit in plain text in its ConfigMap. */
function bgpPasswordErrors(topology: Topology): TopologyError[] {
  if (!topology.router.bgpPassword || !topology.metallb.version.startsWith('v0.12.')) return [];
  return [
    {
      path: 'router.bgpPassword',
      message: `MetalLB ${topology.metallb.version} cannot take a BGP password from a Secret and would keep it in plain text in its ConfigMap; use metallb.version v0.13.12 or newer, or remove bgpPassword`,
    },
  ];
}

/** Every cross-field error of a topology whose single fields are already valid. */
export function crossFieldErrors(topology: Topology): TopologyError[] {
  const resolved = resolveAddresses(topology);
  return [
    ...distinctInterfaceErrors(topology),
    ...connectedOverlapErrors(resolved),
    ...nodeErrors(topology, resolved),
    ...poolErrors(topology, resolved),
    ...bgpPasswordErrors(topology),
  ];
}
