// The router side of the plan: BGP configuration lines in the EdgeOS or VyOS 1.4+ dialect.

import type { RouterDialect, Topology } from '../topology/index.ts';
import { effectiveRouterId } from '../topology/index.ts';
import { renderExecScript, renderInteractiveCommands, renderSaveScript } from './render.ts';
import type { PlanSecrets, RouterLine, RouterPlan } from './types.ts';
import { BGP_PASSWORD_PLACEHOLDER } from './password.ts';

/** A neighbor whose description starts with this is the wizard's; diff and teardown touch only those. */
export const NEIGHBOR_MARK = 'mbw-';

export function neighborDescription(nodeName: string): string {
  return `${NEIGHBOR_MARK}${nodeName}`;
}

export function isMarkedDescription(description: string | undefined): boolean {
  return description !== undefined && description.startsWith(NEIGHBOR_MARK);
}

export function isEbgp(t: Topology): boolean {
  return t.router.asn !== t.cluster.asn;
}

/**
 * Where the BGP instance lives: EdgeOS (and VyOS ≤1.3) nest everything under the ASN;
 * VyOS 1.4+ has one instance whose ASN is the `system-as` leaf.
 */
export function bgpRoot(dialect: RouterDialect, asn: number | string): string[] {
  return dialect === 'edgeos' ? ['protocols', 'bgp', String(asn)] : ['protocols', 'bgp'];
}

/** Where maximum-paths lives below the BGP root; the kind (ibgp/ebgp) and value follow. */
export function maximumPathsPath(dialect: RouterDialect): string[] {
  return dialect === 'edgeos' ? ['maximum-paths'] : ['address-family', 'ipv4-unicast', 'maximum-paths'];
}

/** The maximum-paths kind the plan sets: it follows whether the session is iBGP or eBGP. */
export function maximumPathsKind(t: Topology): 'ibgp' | 'ebgp' {
  return isEbgp(t) ? 'ebgp' : 'ibgp';
}

/**
 * One desired config path below the BGP root. `valued` paths end in a value that a new `set`
 * replaces (remote-as 64512); the others are bare nodes (address-family ipv4-unicast).
 */
export interface BgpEntry {
  path: string[];
  valued: boolean;
}

function valued(...path: string[]): BgpEntry {
  return { path, valued: true };
}

/** The password line of a neighbor, when the topology asks for one (the placeholder unless main has the value). */
function passwordEntries(t: Topology, address: string, password: string): BgpEntry[] {
  return t.router.bgpPassword ? [valued('neighbor', address, 'password', password)] : [];
}

function edgeosEntries(t: Topology, password: string): BgpEntry[] {
  const remoteAs = String(t.cluster.asn);
  return [
    valued('parameters', 'router-id', effectiveRouterId(t)),
    ...t.cluster.nodes.flatMap((node) => [
      valued('neighbor', node.address, 'remote-as', remoteAs),
      valued('neighbor', node.address, 'description', neighborDescription(node.name)),
      ...passwordEntries(t, node.address, password),
    ]),
    valued(...maximumPathsPath('edgeos'), maximumPathsKind(t), String(t.router.maximumPaths)),
  ];
}

function vyosEntries(t: Topology, password: string): BgpEntry[] {
  const remoteAs = isEbgp(t) ? String(t.cluster.asn) : 'internal';
  return [
    valued('system-as', String(t.router.asn)),
    valued('parameters', 'router-id', effectiveRouterId(t)),
    ...t.cluster.nodes.flatMap((node) => [
      valued('neighbor', node.address, 'remote-as', remoteAs),
      valued('neighbor', node.address, 'description', neighborDescription(node.name)),
      ...passwordEntries(t, node.address, password),
      // VyOS 1.4 only exchanges IPv4 unicast routes with a neighbor once the family is enabled.
      { path: ['neighbor', node.address, 'address-family', 'ipv4-unicast'], valued: false },
    ]),
    valued(...maximumPathsPath('vyos'), maximumPathsKind(t), String(t.router.maximumPaths)),
  ];
}

/** The desired BGP config, relative to bgpRoot, in the order the lines are applied. */
export function plannedBgpEntries(t: Topology, secrets: PlanSecrets = {}): BgpEntry[] {
  const password = secrets.bgpPassword ?? BGP_PASSWORD_PLACEHOLDER;
  return t.router.dialect === 'edgeos' ? edgeosEntries(t, password) : vyosEntries(t, password);
}

export function buildRouterLines(t: Topology, secrets: PlanSecrets = {}): RouterLine[] {
  const root = bgpRoot(t.router.dialect, t.router.asn);
  return plannedBgpEntries(t, secrets).map((entry) => ({ op: 'set', path: [...root, ...entry.path] }));
}

/**
 * Every text form of a list of lines, for a plan, a diff or a teardown. With no lines there is
 * nothing to run, so commands and scripts are empty (a bare begin/commit/end would only add risk).
 */
export function routerPlanFromLines(
  dialect: RouterDialect,
  lines: RouterLine[],
  purpose: string,
): RouterPlan {
  if (lines.length === 0)
    return { dialect, lines, commands: [], script: '', handScript: '', saveScript: renderSaveScript() };
  return {
    dialect,
    lines,
    commands: renderInteractiveCommands(lines),
    script: renderExecScript(lines, { save: false, purpose }),
    handScript: renderExecScript(lines, { save: true, purpose }),
    saveScript: renderSaveScript(),
  };
}

export function buildRouterPlan(t: Topology, secrets: PlanSecrets = {}): RouterPlan {
  return routerPlanFromLines(
    t.router.dialect,
    buildRouterLines(t, secrets),
    `apply the BGP plan for AS ${t.router.asn}`,
  );
}
