// Commit-time checks of the BGP subtree, and its conversion to the dialect-neutral BgpConfig that
// the routing backend applies.

import type { BgpConfig, BgpNeighborConfig } from '../backend.ts';
import type { Dialect } from './schema.ts';
import { sortedEntries, subtree } from './tree.ts';
import type { ConfigTree } from './tree.ts';

export interface CommitProblem {
  /** The config path the problem is about, printed as `[ protocols bgp 64512 … ]`. */
  path: string[];
  message: string;
}

function leafValue(tree: ConfigTree | undefined, words: string[]): string | undefined {
  const holder = tree === undefined ? undefined : subtree(tree, words);
  return holder === undefined ? undefined : [...holder.keys()][0];
}

function optionalNumber(tree: ConfigTree, words: string[]): number | undefined {
  const value = leafValue(tree, words);
  return value === undefined ? undefined : Number(value);
}

interface BgpInstance {
  /** Path of the instance node: [protocols bgp 64512] or [protocols bgp]. */
  path: string[];
  asn: string | undefined;
  node: ConfigTree;
}

function bgpInstances(tree: ConfigTree, dialect: Dialect): BgpInstance[] {
  const bgp = subtree(tree, ['protocols', 'bgp']);
  if (bgp === undefined) return [];
  if (dialect === 'vyos')
    return [{ path: ['protocols', 'bgp'], asn: leafValue(bgp, ['system-as']), node: bgp }];
  return sortedEntries(bgp).map(([asn, node]) => ({ path: ['protocols', 'bgp', asn], asn, node }));
}

/** What EdgeOS/VyOS would refuse at commit; empty when the tree may be committed. */
export function commitProblems(tree: ConfigTree, dialect: Dialect): CommitProblem[] {
  const problems: CommitProblem[] = [];
  const instances = bgpInstances(tree, dialect);
  if (instances.length > 1) {
    problems.push({
      path: ['protocols', 'bgp'],
      message: `Only one BGP instance is allowed, found AS ${instances.map((i) => i.asn).join(' and ')}; delete all but one`,
    });
  }
  for (const instance of instances) {
    if (instance.asn === undefined) {
      problems.push({ path: instance.path, message: 'BGP system-as must be defined' });
    }
    for (const [address, neighbor] of sortedEntries(instance.node.get('neighbor') ?? new Map())) {
      if (leafValue(neighbor, ['remote-as']) === undefined) {
        problems.push({
          path: [...instance.path, 'neighbor', address],
          message: `BGP neighbor ${address}: you must define a remote-as`,
        });
      }
    }
  }
  return problems;
}

export function commitProblemLines(problems: CommitProblem[]): string[] {
  return [...problems.flatMap((p) => [`[ ${p.path.join(' ')} ]`, p.message, '']), 'Commit failed'];
}

function neighborConfig(address: string, node: ConfigTree, localAs: number): BgpNeighborConfig {
  const remote = leafValue(node, ['remote-as']) ?? '0';
  const neighbor: BgpNeighborConfig = { address, remoteAs: Number(remote) };
  if (remote === 'internal') {
    neighbor.remoteAs = localAs;
    neighbor.remoteAsMode = 'internal';
  } else if (remote === 'external') {
    neighbor.remoteAs = 0;
    neighbor.remoteAsMode = 'external';
  }
  const description = leafValue(node, ['description']);
  if (description !== undefined) neighbor.description = description;
  const password = leafValue(node, ['password']);
  if (password !== undefined) neighbor.password = password;
  const updateSource = leafValue(node, ['update-source']);
  if (updateSource !== undefined) neighbor.updateSource = updateSource;
  const multihop = optionalNumber(node, ['ebgp-multihop']);
  if (multihop !== undefined) neighbor.ebgpMultihop = multihop;
  const keepalive = optionalNumber(node, ['timers', 'keepalive']);
  if (keepalive !== undefined) neighbor.keepalive = keepalive;
  const holdtime = optionalNumber(node, ['timers', 'holdtime']);
  if (holdtime !== undefined) neighbor.holdtime = holdtime;
  if (node.has('shutdown')) neighbor.shutdown = true;
  return neighbor;
}

/** The committed BGP config for the backend; null when there is no `protocols bgp`. */
export function bgpConfigOf(tree: ConfigTree, dialect: Dialect): BgpConfig | null {
  const instance = bgpInstances(tree, dialect)[0];
  if (instance === undefined || instance.asn === undefined) return null;
  const localAs = Number(instance.asn);
  const config: BgpConfig = {
    localAs,
    neighbors: sortedEntries(instance.node.get('neighbor') ?? new Map()).map(([address, node]) =>
      neighborConfig(address, node, localAs),
    ),
  };
  const routerId = leafValue(instance.node, ['parameters', 'router-id']);
  if (routerId !== undefined) config.routerId = routerId;
  const paths = dialect === 'vyos' ? ['address-family', 'ipv4-unicast', 'maximum-paths'] : ['maximum-paths'];
  const ibgp = optionalNumber(instance.node, [...paths, 'ibgp']);
  if (ibgp !== undefined) config.maximumPathsIbgp = ibgp;
  const ebgp = optionalNumber(instance.node, [...paths, 'ebgp']);
  if (ebgp !== undefined) config.maximumPathsEbgp = ebgp;
  return config;
}
