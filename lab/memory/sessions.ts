// BGP sessions of the in-memory router, computed from both ends: the router's committed neighbors
// and what MetalLB's speakers do (ClusterBgpView). Nothing here is faked per test: a session comes
// up only when a speaker would really complete the handshake with the router's config.

import type { BgpNeighborConfig, BgpStateWord, NeighborStatus } from '../router/index.ts';
import type { NodeSpeaker, SpeakerPeer } from '../speakers/types.ts';
import type { ConnectedSubnet } from './addresses.ts';
import { subnetHolding } from './addresses.ts';

/** Why a neighbor is (or is not) able to reach Established. */
export type SessionCondition =
  | { kind: 'shutdown' }
  | { kind: 'no-speaker' }
  | { kind: 'unreachable' }
  | { kind: 'speaker-not-peering' }
  | { kind: 'password-mismatch' }
  | { kind: 'asn-mismatch' }
  | { kind: 'agreed'; speaker: NodeSpeaker; peer: SpeakerPeer };

export interface SessionTiming {
  /** From both ends agreeing to Established. */
  sessionDelayMs: number;
  /** How often a refused speaker retries; MetalLB (FRR mode) retries every few seconds. */
  retryMs: number;
  /** How long the router sits in Idle after a NOTIFICATION before it goes back to Active. */
  idleAfterNotificationMs: number;
}

export const DEFAULT_TIMING: SessionTiming = {
  sessionDelayMs: 1500,
  retryMs: 10_000,
  idleAfterNotificationMs: 3_000,
};

/** Per-neighbor memory that survives recomputation, so uptime and counters behave like a router's. */
export interface SessionRecord {
  signature: string;
  condition: SessionCondition;
  /** When the current condition began (ms). */
  since: number;
  everEstablished: boolean;
  /** When the session last left Established (ms). */
  lastDown: number | null;
  /** Messages counted in earlier conditions (a router's counters do not reset on a flap). */
  carriedRcvd: number;
  carriedSent: number;
  updatesRcvd: number;
  endOfRibSeen: boolean;
  /** Prefixes the speaker has announced in the current Established period. */
  announced: Set<string>;
}

const BGP_PORT = 179;
/** EdgeOS (ZebOS) default hold time; MetalLB's is 90 s. The lower one wins in OPEN negotiation. */
const ROUTER_DEFAULT_HOLD_SECONDS = 180;
const SPEAKER_DEFAULT_HOLD_SECONDS = 90;

export function sessionCondition(
  neighbor: BgpNeighborConfig,
  localAs: number,
  speakers: readonly NodeSpeaker[],
  subnets: readonly ConnectedSubnet[],
): SessionCondition {
  if (neighbor.shutdown) return { kind: 'shutdown' };
  const speaker = speakers.find((s) => s.address === neighbor.address);
  if (!speaker) return { kind: 'no-speaker' };
  if (!subnetHolding(subnets, neighbor.address) && !neighbor.ebgpMultihop) return { kind: 'unreachable' };
  const routerAddresses = new Set(subnets.map((s) => s.routerAddress));
  const dialing = speaker.peers.filter(
    (p) => routerAddresses.has(p.peerAddress) && (p.peerPort ?? BGP_PORT) === BGP_PORT,
  );
  if (dialing.length === 0) return { kind: 'speaker-not-peering' };
  // TCP MD5 is checked by the kernel before BGP sees a byte, so a password mismatch hides any ASN error.
  const keyed = dialing.filter((p) => (p.password ?? '') === (neighbor.password ?? ''));
  if (keyed.length === 0) return { kind: 'password-mismatch' };
  const agreeing = keyed.find((p) => remoteAsAccepts(neighbor, localAs, p.myAsn) && p.peerAsn === localAs);
  if (!agreeing) return { kind: 'asn-mismatch' };
  return { kind: 'agreed', speaker, peer: agreeing };
}

/** Whether the router's neighbor config accepts a speaker whose own ASN is `speakerAsn`. */
export function remoteAsAccepts(neighbor: BgpNeighborConfig, localAs: number, speakerAsn: number): boolean {
  // VyOS may say `remote-as internal|external`; the router emulator then sets `remoteAsMode`.
  const mode = neighbor.remoteAsMode;
  if (mode === 'internal') return speakerAsn === localAs;
  if (mode === 'external') return speakerAsn !== localAs;
  return speakerAsn === neighbor.remoteAs;
}

/** Conditions that would make a router reset the session when they change. */
export function conditionSignature(
  condition: SessionCondition,
  neighbor: BgpNeighborConfig,
  localAs: number,
): string {
  if (condition.kind !== 'agreed') return condition.kind;
  const p = condition.peer;
  return ['agreed', localAs, neighbor.remoteAs, p.peerAddress, p.myAsn, p.peerAsn, p.password ?? ''].join(
    '|',
  );
}

export function newSessionRecord(condition: SessionCondition, signature: string, now: number): SessionRecord {
  return {
    signature,
    condition,
    since: now,
    everEstablished: false,
    lastDown: null,
    carriedRcvd: 0,
    carriedSent: 0,
    updatesRcvd: 0,
    endOfRibSeen: false,
    announced: new Set(),
  };
}

function establishedAt(record: SessionRecord, timing: SessionTiming): number | null {
  return record.condition.kind === 'agreed' ? record.since + timing.sessionDelayMs : null;
}

function isEstablished(record: SessionRecord, timing: SessionTiming, now: number): boolean {
  const at = establishedAt(record, timing);
  return at !== null && now >= at;
}

function keepaliveSeconds(neighbor: BgpNeighborConfig, peer: SpeakerPeer): number {
  const hold = Math.min(
    neighbor.holdtime ?? ROUTER_DEFAULT_HOLD_SECONDS,
    peer.holdTimeSeconds ?? SPEAKER_DEFAULT_HOLD_SECONDS,
  );
  if (hold === 0) return 0;
  return neighbor.keepalive ?? peer.keepaliveSeconds ?? Math.max(1, Math.floor(hold / 3));
}

/** Messages exchanged in the current condition only (the carried totals are added by the caller). */
function conditionCounters(
  record: SessionRecord,
  neighbor: BgpNeighborConfig,
  timing: SessionTiming,
  now: number,
): { rcvd: number; sent: number } {
  const c = record.condition;
  if (c.kind === 'asn-mismatch') {
    // Each attempt: the speaker's OPEN arrives; the router answers with its OPEN and a NOTIFICATION.
    const attempts = 1 + Math.floor(Math.max(0, now - record.since) / timing.retryMs);
    return { rcvd: attempts, sent: attempts * 2 };
  }
  if (c.kind !== 'agreed') return { rcvd: 0, sent: 0 };
  const at = establishedAt(record, timing) ?? now;
  if (now < at)
    return now - record.since >= timing.sessionDelayMs / 2 ? { rcvd: 1, sent: 1 } : { rcvd: 0, sent: 0 };
  const ka = keepaliveSeconds(neighbor, c.peer);
  const keepalives = ka === 0 ? 0 : Math.floor((now - at) / 1000 / ka);
  // OPEN + first KEEPALIVE each way, UPDATEs from the speaker, and the router's End-of-RIB.
  return { rcvd: 2 + record.updatesRcvd + keepalives, sent: 3 + keepalives };
}

/**
 * Brings a record up to `now` under the neighbor's current condition: folds the old condition's
 * counters when the condition changed, and counts UPDATEs for announcement changes.
 */
export function advanceSession(
  record: SessionRecord | undefined,
  neighbor: BgpNeighborConfig,
  localAs: number,
  condition: SessionCondition,
  timing: SessionTiming,
  now: number,
  previousNeighbor: BgpNeighborConfig = neighbor,
): SessionRecord {
  const signature = conditionSignature(condition, neighbor, localAs);
  if (!record) return countAnnouncements(newSessionRecord(condition, signature, now), timing, now);
  if (record.signature !== signature) {
    const old = conditionCounters(record, previousNeighbor, timing, now);
    const wasUp = isEstablished(record, timing, now);
    const next = newSessionRecord(condition, signature, now);
    next.carriedRcvd = record.carriedRcvd + old.rcvd;
    next.carriedSent = record.carriedSent + old.sent;
    next.everEstablished = record.everEstablished || wasUp;
    next.lastDown = wasUp ? now : record.lastDown;
    return countAnnouncements(next, timing, now);
  }
  record.condition = condition;
  return countAnnouncements(record, timing, now);
}

function countAnnouncements(record: SessionRecord, timing: SessionTiming, now: number): SessionRecord {
  if (record.condition.kind !== 'agreed' || !isEstablished(record, timing, now)) return record;
  record.everEstablished = true;
  if (!record.endOfRibSeen) {
    record.endOfRibSeen = true;
    record.updatesRcvd += 1;
  }
  const current = new Set(record.condition.speaker.announcements);
  for (const prefix of current) if (!record.announced.has(prefix)) record.updatesRcvd += 1;
  for (const prefix of record.announced) if (!current.has(prefix)) record.updatesRcvd += 1;
  record.announced = current;
  return record;
}

export function sessionState(record: SessionRecord, timing: SessionTiming, now: number): BgpStateWord {
  const c = record.condition;
  const elapsed = Math.max(0, now - record.since);
  switch (c.kind) {
    case 'shutdown':
      return 'Idle (Admin)';
    case 'agreed':
      if (isEstablished(record, timing, now)) return 'Established';
      return elapsed < timing.sessionDelayMs / 2 ? 'Connect' : 'OpenSent';
    case 'asn-mismatch':
      // After sending a NOTIFICATION the router idles, then listens again until the next attempt.
      return elapsed % timing.retryMs < timing.idleAfterNotificationMs ? 'Idle' : 'Active';
    default:
      // No speaker, MD5 drops, speaker dialing elsewhere: the router keeps listening (Active).
      return 'Active';
  }
}

export function neighborStatus(
  record: SessionRecord,
  neighbor: BgpNeighborConfig,
  localAs: number,
  timing: SessionTiming,
  now: number,
): NeighborStatus {
  const up = isEstablished(record, timing, now);
  const counters = conditionCounters(record, neighbor, timing, now);
  const upSince = up ? (establishedAt(record, timing) ?? now) : record.lastDown;
  const status: NeighborStatus = {
    address: neighbor.address,
    // With VyOS `remote-as external` the config holds 0; show the AS the speaker's OPEN carried.
    remoteAs: record.condition.kind === 'agreed' ? record.condition.peer.myAsn : neighbor.remoteAs,
    localAs,
    state: sessionState(record, timing, now),
    upSeconds: upSince === null ? null : Math.floor(Math.max(0, now - upSince) / 1000),
    msgRcvd: record.carriedRcvd + counters.rcvd,
    msgSent: record.carriedSent + counters.sent,
    prefixesReceived: up && record.condition.kind === 'agreed' ? record.announced.size : null,
  };
  // MetalLB's speakers use the node address as their router id.
  if (up && record.condition.kind === 'agreed') status.remoteRouterId = record.condition.speaker.address;
  if (neighbor.description !== undefined) status.description = neighbor.description;
  return status;
}

export function isEstablishedNow(record: SessionRecord, timing: SessionTiming, now: number): boolean {
  return isEstablished(record, timing, now);
}
