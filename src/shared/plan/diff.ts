// From the router's `show configuration commands` to the fewest set/delete lines that reach the plan.
// Ownership rule: the wizard changes only `protocols bgp`, and inside it only the router id,
// maximum-paths (both kinds: the plan sets one and deletes the other), and neighbors whose
// description starts with `mbw-`.

import { findBgpSubtree, parseConfigCommands, type BgpSubtree } from '../parse/index.ts';
import type { Topology } from '../topology/index.ts';
import { foreignInstances, neighborsOf, sameTokens, startsWith, type CurrentNeighbor } from './bgp-tree.ts';
import { renderExecScript, renderInteractiveCommands, renderRouterLine } from './render.ts';
import {
  bgpRoot,
  maximumPathsKind,
  maximumPathsPath,
  neighborDescription,
  NEIGHBOR_MARK,
  plannedBgpEntries,
  type BgpEntry,
} from './router.ts';
import type { Plan, PlanSecrets, PreviewLine, RouterDiff, RouterLine } from './types.ts';

type Refusal = Extract<RouterDiff, { ok: false }>;

function refuse(error: string, conflicts: string[] = []): Refusal {
  return { ok: false, error, conflicts };
}

function otherLayoutRefusal(t: Topology, subtree: BgpSubtree): Refusal | null {
  if (subtree.otherLayout.length === 0) return null;
  const other = t.router.dialect === 'edgeos' ? 'vyos' : 'edgeos';
  const sample = `protocols bgp ${subtree.otherLayout[0]?.join(' ') ?? ''}`;
  return refuse(
    `The router's BGP configuration ("${sample}") is laid out for the ${other} dialect, but the topology says ` +
      `router.dialect: ${t.router.dialect}. Check the router's "show version" and set router.dialect to match.`,
  );
}

function foreignAsnRefusal(t: Topology, subtree: BgpSubtree): Refusal | null {
  const foreign = foreignInstances(subtree.instances, String(t.router.asn));
  if (foreign.length === 0) return null;
  const asns = foreign.map((instance) => instance.asn).join(', ');
  const where = t.router.dialect === 'edgeos' ? `protocols bgp ${asns}` : `protocols bgp system-as ${asns}`;
  return refuse(
    `The router already runs BGP as AS ${asns} (${where}), but the topology's router.asn is ${t.router.asn}. ` +
      `The router allows only one BGP instance: set router.asn to ${asns} in the topology (and cluster.asn too ` +
      `for iBGP), or remove the existing BGP configuration on the router first.`,
  );
}

function conflictRefusal(t: Topology, neighbors: CurrentNeighbor[]): Refusal | null {
  const root = bgpRoot(t.router.dialect, t.router.asn).join(' ');
  const unmarked = new Map(neighbors.filter((n) => !n.marked).map((n) => [n.address, n]));
  const clashes = t.cluster.nodes.filter((node) => unmarked.has(node.address));
  if (clashes.length === 0) return null;
  const conflicts = clashes.map((node) => {
    const existing = unmarked.get(node.address);
    const label =
      existing?.description === undefined ? 'no description' : `description "${existing.description}"`;
    return (
      `neighbor ${node.address} (${label}) is where node ${node.name} will peer, but the wizard did not create it. ` +
      `Delete it ("delete ${root} neighbor ${node.address}") or let the wizard adopt it ` +
      `("set ${root} neighbor ${node.address} description ${neighborDescription(node.name)}"), then plan again.`
    );
  });
  return refuse(
    `The router already has BGP neighbors at node addresses that are not marked as the wizard's ` +
      `(description starting "${NEIGHBOR_MARK}"): ${conflicts.join(' ')}`,
    conflicts,
  );
}

/** A current line the plan keeps as is, or overwrites with a `set` of the same leaf. */
function coveredByPlan(line: string[], planned: BgpEntry[]): boolean {
  return planned.some(
    (entry) =>
      sameTokens(line, entry.path) ||
      (entry.valued && line.length === entry.path.length && startsWith(line, entry.path.slice(0, -1))),
  );
}

/**
 * The path to delete for a line the plan does not want under one of our neighbors: the leaf
 * without its value (`timers keepalive`), unless that would also take away something we keep.
 */
function deletionPathFor(line: string[], keep: string[][]): string[] {
  const withoutValue = line.slice(0, -1);
  const neighborDepth = 2;
  if (withoutValue.length <= neighborDepth) return line;
  return keep.some((kept) => startsWith(kept, withoutValue)) ? line : withoutValue;
}

interface Removal {
  path: string[];
  /** Current lines (relative to the BGP root) the deletion takes away. */
  removes: string[][];
}

function staleNeighborRemovals(neighbors: CurrentNeighbor[], plannedAddresses: Set<string>): Removal[] {
  return neighbors
    .filter((n) => n.marked && !plannedAddresses.has(n.address))
    .map((n) => ({
      path: ['neighbor', n.address],
      removes: [['neighbor', n.address], ...n.lines.map((l) => ['neighbor', n.address, ...l])],
    }));
}

function extraLineRemovals(
  neighbors: CurrentNeighbor[],
  planned: BgpEntry[],
  plannedAddresses: Set<string>,
): Removal[] {
  const removals: Removal[] = [];
  for (const neighbor of neighbors) {
    if (!neighbor.marked || !plannedAddresses.has(neighbor.address)) continue;
    const full = neighbor.lines.map((l) => ['neighbor', neighbor.address, ...l]);
    const extras = full.filter((line) => !coveredByPlan(line, planned));
    const keep = [...planned.map((e) => e.path), ...full.filter((line) => !extras.includes(line))];
    for (const line of extras) {
      const path = deletionPathFor(line, keep);
      const existing = removals.find((r) => sameTokens(r.path, path));
      if (existing) existing.removes.push(line);
      else removals.push({ path, removes: [line] });
    }
  }
  return removals;
}

/**
 * The maximum-paths kind the plan does not set. Both kinds are the wizard's; one left behind after
 * a switch between iBGP and eBGP would keep multipath settings the plan no longer asks for.
 */
function otherMaximumPathsRemovals(t: Topology, body: string[][]): Removal[] {
  const other = maximumPathsKind(t) === 'ibgp' ? 'ebgp' : 'ibgp';
  const path = [...maximumPathsPath(t.router.dialect), other];
  const removes = body.filter((line) => startsWith(line, path));
  return removes.length === 0 ? [] : [{ path, removes }];
}

function remainingLines(body: string[][], removals: Removal[]): string[][] {
  const removed = removals.flatMap((r) => r.removes);
  return body.filter((line) => !removed.some((gone) => sameTokens(gone, line)));
}

interface DiffParts {
  removals: Removal[];
  /** Every planned entry, in plan order. */
  planned: BgpEntry[];
  /** The planned entries the router lacks. */
  adds: BgpEntry[];
}

function diffParts(
  t: Topology,
  body: string[][],
  neighbors: CurrentNeighbor[],
  secrets: PlanSecrets,
): DiffParts {
  const planned = plannedBgpEntries(t, secrets);
  const plannedAddresses = new Set(t.cluster.nodes.map((node) => node.address));
  const removals = [
    ...staleNeighborRemovals(neighbors, plannedAddresses),
    ...extraLineRemovals(neighbors, planned, plannedAddresses),
    ...otherMaximumPathsRemovals(t, body),
  ];
  const remaining = remainingLines(body, removals);
  const present = (entry: BgpEntry): boolean => remaining.some((line) => startsWith(line, entry.path));
  return { removals, planned, adds: planned.filter((e) => !present(e)) };
}

function previewOf(parts: DiffParts, root: string[], lines: RouterLine[]): PreviewLine[] {
  const added = new Set(parts.adds);
  return [
    ...lines
      .filter((l) => l.op === 'delete')
      .map((l) => ({ line: renderRouterLine(l), kind: 'remove' as const })),
    ...parts.planned.map((entry) => ({
      line: renderRouterLine({ op: 'set', path: [...root, ...entry.path] }),
      kind: added.has(entry) ? ('add' as const) : ('keep' as const),
    })),
  ];
}

/**
 * Compares the router's current config with the plan. Refuses (ok: false) rather than guess when
 * BGP runs under another ASN, the dialect looks wrong, or an unmarked neighbor sits at a node address.
 */
export function diffRouterConfig(currentConfigCommands: string, plan: Plan): RouterDiff {
  const t = plan.topology;
  const subtree = findBgpSubtree(parseConfigCommands(currentConfigCommands), t.router.dialect);
  const refusal = otherLayoutRefusal(t, subtree) ?? foreignAsnRefusal(t, subtree);
  if (refusal) return refusal;
  const body = subtree.instances[0]?.body ?? [];
  const neighbors = neighborsOf(body);
  const conflict = conflictRefusal(t, neighbors);
  if (conflict) return conflict;

  const root = bgpRoot(t.router.dialect, t.router.asn);
  const parts = diffParts(t, body, neighbors, plan.secrets ?? {});
  const lines: RouterLine[] = [
    ...parts.removals.map((r): RouterLine => ({ op: 'delete', path: [...root, ...r.path] })),
    ...parts.adds.map((e): RouterLine => ({ op: 'set', path: [...root, ...e.path] })),
  ];
  try {
    const unchanged = lines.length === 0;
    return {
      ok: true,
      lines,
      unchanged,
      conflicts: [],
      script: unchanged
        ? ''
        : renderExecScript(lines, { save: false, purpose: `update BGP for AS ${t.router.asn}` }),
      commands: unchanged ? [] : renderInteractiveCommands(lines),
      preview: previewOf(parts, root, lines),
    };
  } catch (error) {
    // Only a token read back from the router (e.g. an odd neighbor address) can get here.
    return refuse(
      `Cannot build a safe change from the router's current configuration: ${(error as Error).message}`,
    );
  }
}
