// Pure rendering of BGP intent into FRR configuration, and the minimal vtysh commands that move FRR
// from one rendering to the next. Minimal matters: re-sending a neighbor's remote-as or password is
// harmless, but removing and re-adding a neighbor drops its session, and an identical commit on the
// router must not drop anything.

import type { BgpConfig } from '../router/index.ts';
import type { NodeSpeaker } from '../speakers/types.ts';

/** One `router bgp` instance as FRR lines, grouped by where they live. */
export interface FrrBgpInstance {
  asn: number;
  /** Lines directly under `router bgp ASN` that are not about a neighbor. */
  global: string[];
  /** Neighbor address → its lines; the first is always `neighbor X remote-as N`. */
  neighbors: Map<string, string[]>;
  /** Lines under `address-family ipv4 unicast`. */
  ipv4Unicast: string[];
}

function neighborLines(
  address: string,
  remoteAs: number | 'internal' | 'external',
  options: string[],
): string[] {
  return [
    `neighbor ${address} remote-as ${remoteAs}`,
    ...options.map((option) => `neighbor ${address} ${option}`),
  ];
}

// EdgeOS rejects `"` in values; FRR would take a description with spaces as is. Newlines would split
// a vtysh command, so they are flattened.
function singleLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

/** The router's committed `protocols bgp` as FRR, or null when BGP is not configured. */
export function routerInstance(config: BgpConfig | null): FrrBgpInstance | null {
  if (!config) return null;
  const global: string[] = [];
  if (config.routerId) global.push(`bgp router-id ${config.routerId}`);
  // EdgeOS exchanges eBGP routes without any policy; FRR 7.4+ refuses unless told otherwise.
  global.push('no bgp ebgp-requires-policy');
  const neighbors = new Map<string, string[]>();
  for (const n of config.neighbors) {
    const options: string[] = [];
    if (n.description) options.push(`description ${singleLine(n.description)}`);
    if (n.password) options.push(`password ${singleLine(n.password)}`);
    if (n.updateSource) options.push(`update-source ${n.updateSource}`);
    if (n.ebgpMultihop !== undefined) options.push(`ebgp-multihop ${n.ebgpMultihop}`);
    if (n.keepalive !== undefined || n.holdtime !== undefined) {
      const keepalive = n.keepalive ?? Math.max(1, Math.floor((n.holdtime ?? 180) / 3));
      options.push(`timers ${keepalive} ${n.holdtime ?? keepalive * 3}`);
    }
    // Seconds instead of FRR's default 120 between connection attempts, so sessions come up quickly.
    options.push('timers connect 5');
    if (n.shutdown) options.push('shutdown');
    // VyOS's `remote-as internal|external` maps to FRR's keywords of the same meaning.
    neighbors.set(n.address, neighborLines(n.address, n.remoteAsMode ?? n.remoteAs, options));
  }
  const ipv4Unicast: string[] = [];
  if (config.maximumPathsIbgp !== undefined)
    ipv4Unicast.push(`maximum-paths ibgp ${config.maximumPathsIbgp}`);
  if (config.maximumPathsEbgp !== undefined) ipv4Unicast.push(`maximum-paths ${config.maximumPathsEbgp}`);
  return { asn: config.localAs, global, neighbors, ipv4Unicast };
}

/**
 * A node's MetalLB speaker as FRR, or null when it has no peer. FRR has one ASN per instance; a peer
 * whose myAsn differs from the first one's presents it with `local-as`, as MetalLB would.
 */
export function speakerInstance(speaker: NodeSpeaker): FrrBgpInstance | null {
  const first = speaker.peers[0];
  if (!first) return null;
  const global = [
    `bgp router-id ${speaker.address}`,
    'no bgp ebgp-requires-policy',
    // The announced /32s are not in the node's RIB as routes of their own; announce them anyway.
    'no bgp network import-check',
  ];
  const neighbors = new Map<string, string[]>();
  for (const peer of speaker.peers) {
    const options: string[] = [];
    if (peer.myAsn !== first.myAsn) options.push(`local-as ${peer.myAsn} no-prepend replace-as`);
    if (peer.peerPort !== undefined && peer.peerPort !== 179) options.push(`port ${peer.peerPort}`);
    if (peer.password) options.push(`password ${singleLine(peer.password)}`);
    if (peer.holdTimeSeconds !== undefined || peer.keepaliveSeconds !== undefined) {
      const hold = peer.holdTimeSeconds ?? 90;
      const keepalive = peer.keepaliveSeconds ?? Math.floor(hold / 3);
      options.push(`timers ${keepalive} ${hold}`);
    }
    options.push('timers connect 5');
    neighbors.set(peer.peerAddress, neighborLines(peer.peerAddress, peer.peerAsn, options));
  }
  const ipv4Unicast = [...new Set(speaker.announcements)].map((prefix) => `network ${asHostPrefix(prefix)}`);
  return { asn: first.myAsn, global, neighbors, ipv4Unicast };
}

/** "10.0.0.1" or "10.0.0.1/32" → "10.0.0.1/32". */
export function asHostPrefix(prefix: string): string {
  return prefix.includes('/') ? prefix : `${prefix}/32`;
}

/** The full configuration of an instance, as `configure terminal` lines. */
export function instanceLines(instance: FrrBgpInstance): string[] {
  const lines = [`router bgp ${instance.asn}`, ...instance.global];
  for (const neighbor of instance.neighbors.values()) lines.push(...neighbor);
  if (instance.ipv4Unicast.length > 0)
    lines.push('address-family ipv4 unicast', ...instance.ipv4Unicast, 'exit-address-family');
  lines.push('exit');
  return lines;
}

/** The command that undoes one configuration line. */
export function negation(line: string): string {
  return line.startsWith('no ') ? line.slice(3) : `no ${line}`;
}

function removedThenAdded(from: string[], to: string[]): string[] {
  const removed = from.filter((line) => !to.includes(line)).map(negation);
  const added = to.filter((line) => !from.includes(line));
  return [...removed, ...added];
}

/**
 * The `configure terminal` lines that take FRR from `applied` to `desired`; empty when they are the
 * same, so an identical commit touches nothing.
 */
export function instanceChanges(applied: FrrBgpInstance | null, desired: FrrBgpInstance | null): string[] {
  if (!applied && !desired) return [];
  if (!desired) return [`no router bgp ${applied!.asn}`];
  if (!applied) return instanceLines(desired);
  if (applied.asn !== desired.asn) return [`no router bgp ${applied.asn}`, ...instanceLines(desired)];

  const inside: string[] = removedThenAdded(applied.global, desired.global);
  for (const [address, lines] of applied.neighbors) {
    const wanted = desired.neighbors.get(address);
    // A removed neighbor, or one whose remote-as changed, goes as a whole: its other lines go with it.
    if (!wanted || wanted[0] !== lines[0]) inside.push(`no neighbor ${address}`);
  }
  for (const [address, lines] of desired.neighbors) {
    const had = applied.neighbors.get(address);
    if (!had || had[0] !== lines[0]) inside.push(...lines);
    else inside.push(...removedThenAdded(had, lines));
  }
  const family = removedThenAdded(applied.ipv4Unicast, desired.ipv4Unicast);
  if (family.length > 0) inside.push('address-family ipv4 unicast', ...family, 'exit-address-family');
  return inside.length === 0 ? [] : [`router bgp ${desired.asn}`, ...inside, 'exit'];
}
