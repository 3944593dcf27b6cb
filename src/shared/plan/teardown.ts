// Removes exactly what the wizard added: its marked neighbors, and the router id and maximum-paths
// only once no other neighbor needs them.

import { findBgpSubtree, parseConfigCommands, type BgpInstance } from '../parse/index.ts';
import type { RouterDialect, Topology } from '../topology/index.ts';
import { neighborsOf, startsWith } from './bgp-tree.ts';
import { bgpRoot, maximumPathsPath, routerPlanFromLines } from './router.ts';
import type { RouterLine, RouterPlan } from './types.ts';

const PURPOSE = 'remove the BGP configuration the wizard added';

/**
 * The router-wide leaves the wizard sets besides neighbors, relative to the BGP root. Both
 * maximum-paths kinds count: the kind depended on the ASNs when the plan was applied, and with no
 * neighbor left neither means anything.
 */
function sharedLeafPaths(dialect: RouterDialect): string[][] {
  const maximumPaths = maximumPathsPath(dialect);
  return [
    ['parameters', 'router-id'],
    [...maximumPaths, 'ibgp'],
    [...maximumPaths, 'ebgp'],
  ];
}

function deleteLine(root: string[], path: string[]): RouterLine {
  return { op: 'delete', path: [...root, ...path] };
}

function teardownInstance(dialect: RouterDialect, instance: BgpInstance): RouterLine[] {
  // Use the ASN the router actually runs: our marked neighbors live there even if the topology changed since.
  const root = bgpRoot(dialect, instance.asn);
  const neighbors = neighborsOf(instance.body);
  const ours = neighbors.filter((n) => n.marked);
  const neighborDeletes = ours.map((n) => deleteLine(root, ['neighbor', n.address]));
  if (neighbors.some((n) => !n.marked)) return neighborDeletes;

  const shared = sharedLeafPaths(dialect);
  const isOurs = (line: string[]): boolean =>
    line[0] === 'neighbor' ||
    shared.some((path) => startsWith(line, path)) ||
    (dialect === 'vyos' && line[0] === 'system-as');
  if (instance.body.every(isOurs)) return [{ op: 'delete', path: root }];

  const sharedDeletes = shared
    .filter((path) => instance.body.some((line) => startsWith(line, path)))
    .map((path) => deleteLine(root, path));
  return [...neighborDeletes, ...sharedDeletes];
}

/**
 * The teardown for a topology, from the router's current `show configuration commands` output.
 * The output is required: only it shows which neighbors carry our `mbw-` mark, and deleting a
 * neighbor by node address alone could remove someone else's session (or fail on a missing one).
 */
export function teardownPlan(topology: Topology, currentConfigCommands: string): RouterPlan {
  if (typeof currentConfigCommands !== 'string') {
    throw new TypeError(
      "teardownPlan needs the router's current configuration: run `show configuration commands` on " +
        `${topology.router.ssh.host} and pass its output, so only neighbors marked "mbw-" are removed.`,
    );
  }
  const dialect = topology.router.dialect;
  const lines = findBgpSubtree(parseConfigCommands(currentConfigCommands), dialect).instances.flatMap(
    (instance) => teardownInstance(dialect, instance),
  );
  return routerPlanFromLines(dialect, lines, PURPOSE);
}
