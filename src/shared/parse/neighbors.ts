// `show ip bgp neighbors` (EdgeOS and FRR text) and `show bgp neighbors json` (FRR).

import { booleanField, jsonObjectInLines, numberField, stringField } from './json.ts';
import {
  isRecord,
  outputLines,
  parseAsn,
  parseCount,
  parseUptimeSeconds,
  splitHostnameAddress,
} from './text.ts';
import type { BgpNeighbor } from './types.ts';

// `BGP neighbor is 10.0.0.2, remote AS 64512, local AS 64512, internal link`, FRR's unnumbered
// `BGP neighbor on eth1: fe80::1, remote AS …`, and `… local AS 65001 no-prepend, external link`.
const NEIGHBOR_HEAD =
  /^\s*BGP neighbor (?:is|on) (?<who>[^,]+?),\s*remote AS (?<remote>[\d.]+)(?:,\s*local AS (?<local>[\d.]+)[^,]*)?(?:,\s*(?<link>[\w-]+) link)?/;
const ROUTER_IDS = /remote router ID (?<remote>[\d.]+)(?:,\s*local router ID (?<local>[\d.]+))?/;
const STATE = /^\s*BGP state = (?<state>[^,]+?)(?:,\s*up for (?<up>\S+))?\s*(?:,|$)/;
const ADDRESS_FAMILY = /^\s*For address family: (?<family>.+?)\s*$/;
const ACCEPTED = /^\s*(?<count>\d+) accepted prefixes/;
const DESCRIPTION = /^\s*Description: (?<text>.+?)\s*$/;
const HOSTNAME = /^\s*Hostname: (?<name>\S+)/;
// EdgeOS: `Received 1790 messages, 0 notifications, 0 in queue`; FRR: `Total: 35 56` (Sent Rcvd).
const RECEIVED = /^\s*Received (?<count>\d+) messages/;
const SENT = /^\s*Sent (?<count>\d+) messages/;
const FRR_TOTALS = /^\s*Total:\s+(?<sent>\d+)\s+(?<rcvd>\d+)\s*$/;
const ADMIN_SHUTDOWN = /^\s*Administratively shut down/;
const CONNECTIONS = /^\s*Connections established (?<up>\d+); dropped (?<dropped>\d+)/;

interface NeighborBlock {
  neighbor: BgpNeighbor;
  family: string | null;
}

function linkFrom(
  word: string | undefined,
  remoteAs: number,
  localAs: number | null,
): 'internal' | 'external' {
  if (word !== undefined) return /internal/i.test(word) ? 'internal' : 'external';
  return remoteAs === localAs ? 'internal' : 'external';
}

function neighborFromHead(match: RegExpExecArray): BgpNeighbor | null {
  const groups = match.groups ?? {};
  const remoteAs = parseAsn(groups.remote);
  if (remoteAs === null) return null;
  const localAs = parseAsn(groups.local);
  // `on eth1: fe80::1` names the interface first.
  const who = (groups.who ?? '').trim();
  const onInterface = /^(?<iface>\S+?):\s*(?<address>\S+)$/.exec(who);
  const { address, hostname } = splitHostnameAddress(onInterface?.groups?.address ?? who);
  const neighbor: BgpNeighbor = {
    address,
    remoteAs,
    localAs,
    link: linkFrom(groups.link, remoteAs, localAs),
    state: 'Unknown',
    upFor: null,
    upSeconds: null,
    prefixesAccepted: null,
  };
  if (onInterface?.groups?.iface) neighbor.interface = onInterface.groups.iface;
  if (hostname !== undefined) neighbor.hostname = hostname;
  return neighbor;
}

/** Reads one line of a neighbor's block into it. */
function applyDetailLine(block: NeighborBlock, line: string): void {
  const { neighbor } = block;
  const ids = ROUTER_IDS.exec(line);
  if (ids?.groups?.remote) {
    neighbor.remoteRouterId = ids.groups.remote;
    if (ids.groups.local) neighbor.localRouterId = ids.groups.local;
    return;
  }
  const state = STATE.exec(line);
  if (state?.groups?.state) {
    neighbor.state = state.groups.state.trim();
    neighbor.upFor = state.groups.up ?? null;
    neighbor.upSeconds = parseUptimeSeconds(neighbor.upFor);
    return;
  }
  const family = ADDRESS_FAMILY.exec(line);
  if (family) {
    block.family = family.groups?.family ?? null;
    return;
  }
  const accepted = ACCEPTED.exec(line);
  if (accepted) {
    // IPv4 Unicast is what MetalLB announces; other families only fill in when it is absent.
    const isIpv4 = /^IPv4 Unicast$/i.test(block.family ?? '');
    if (isIpv4 || neighbor.prefixesAccepted === null)
      neighbor.prefixesAccepted = parseCount(accepted.groups?.count);
    return;
  }
  applyCounterLine(neighbor, line);
}

function applyCounterLine(neighbor: BgpNeighbor, line: string): void {
  const description = DESCRIPTION.exec(line)?.groups?.text;
  if (description !== undefined) neighbor.description = description;
  const hostname = HOSTNAME.exec(line)?.groups?.name;
  if (hostname !== undefined) neighbor.hostname = hostname;
  const received = parseCount(RECEIVED.exec(line)?.groups?.count);
  if (received !== null) neighbor.msgRcvd = received;
  const sent = parseCount(SENT.exec(line)?.groups?.count);
  if (sent !== null) neighbor.msgSent = sent;
  const totals = FRR_TOTALS.exec(line)?.groups;
  if (totals) {
    neighbor.msgSent = Number(totals.sent);
    neighbor.msgRcvd = Number(totals.rcvd);
  }
  if (ADMIN_SHUTDOWN.test(line)) neighbor.adminShutdown = true;
  const connections = CONNECTIONS.exec(line)?.groups;
  if (connections) {
    neighbor.connectionsEstablished = Number(connections.up);
    neighbor.connectionsDropped = Number(connections.dropped);
  }
}

function parseNeighborsText(lines: readonly string[]): BgpNeighbor[] {
  const neighbors: BgpNeighbor[] = [];
  let block: NeighborBlock | null = null;
  for (const line of lines) {
    const head = NEIGHBOR_HEAD.exec(line);
    if (head) {
      const neighbor = neighborFromHead(head);
      block = neighbor ? { neighbor, family: null } : null;
      if (neighbor) neighbors.push(neighbor);
      continue;
    }
    if (block) applyDetailLine(block, line);
  }
  return neighbors;
}

function jsonLink(
  peer: Record<string, unknown>,
  remoteAs: number,
  localAs: number | null,
): 'internal' | 'external' {
  if (
    booleanField(peer, 'nbrInternalLink') === true ||
    booleanField(peer, 'nbrConfedInternalLink') === true
  ) {
    return 'internal';
  }
  if (
    booleanField(peer, 'nbrExternalLink') === true ||
    booleanField(peer, 'nbrConfedExternalLink') === true
  ) {
    return 'external';
  }
  return remoteAs === localAs ? 'internal' : 'external';
}

function jsonAcceptedPrefixes(peer: Record<string, unknown>): number | null {
  const families = peer.addressFamilyInfo;
  if (!isRecord(families)) return null;
  const ordered = ['ipv4Unicast', ...Object.keys(families).filter((key) => key !== 'ipv4Unicast')];
  for (const key of ordered) {
    const family = families[key];
    if (!isRecord(family)) continue;
    const accepted = numberField(family, 'acceptedPrefixCounter');
    if (accepted !== null) return accepted;
  }
  return null;
}

function jsonUpSeconds(peer: Record<string, unknown>, upFor: string | null): number | null {
  const fromText = parseUptimeSeconds(upFor);
  if (fromText !== null) return fromText;
  const msec = numberField(peer, 'bgpTimerUpMsec');
  return upFor !== null && msec !== null ? Math.floor(msec / 1000) : null;
}

/**
 * A neighbor of `show bgp neighbors json` always has `bgpState`; a summary peer has `state`
 * instead, so this tells the two apart even when both carry remoteAs and localAs.
 */
function neighborFromJson(key: string, peer: unknown): BgpNeighbor | null {
  if (!isRecord(peer)) return null;
  const remoteAs = numberField(peer, 'remoteAs');
  const state = stringField(peer, 'bgpState');
  if (remoteAs === null || state === null) return null;
  const localAs = numberField(peer, 'localAs');
  const upFor = state === 'Established' ? stringField(peer, 'bgpTimerUpString') : null;
  const neighbor: BgpNeighbor = {
    address: stringField(peer, 'bgpNeighborAddr') ?? key,
    remoteAs,
    localAs,
    link: jsonLink(peer, remoteAs, localAs),
    state,
    upFor,
    upSeconds: jsonUpSeconds(peer, upFor),
    prefixesAccepted: jsonAcceptedPrefixes(peer),
  };
  if (neighbor.address !== key) neighbor.interface = key;
  copyJsonExtras(neighbor, peer);
  return neighbor;
}

function copyJsonExtras(neighbor: BgpNeighbor, peer: Record<string, unknown>): void {
  const remoteRouterId = stringField(peer, 'remoteRouterId');
  const localRouterId = stringField(peer, 'localRouterId');
  const description = stringField(peer, 'nbrDesc');
  const hostname = stringField(peer, 'hostname');
  if (remoteRouterId !== null) neighbor.remoteRouterId = remoteRouterId;
  if (localRouterId !== null) neighbor.localRouterId = localRouterId;
  if (description !== null) neighbor.description = description;
  if (hostname !== null) neighbor.hostname = hostname;
  if (booleanField(peer, 'adminShutDown') === true) neighbor.adminShutdown = true;
  const stats = isRecord(peer.messageStats) ? peer.messageStats : {};
  const sent = numberField(stats, 'totalSent');
  const rcvd = numberField(stats, 'totalRecv');
  if (sent !== null) neighbor.msgSent = sent;
  if (rcvd !== null) neighbor.msgRcvd = rcvd;
  const established = numberField(peer, 'connectionsEstablished');
  const dropped = numberField(peer, 'connectionsDropped');
  if (established !== null) neighbor.connectionsEstablished = established;
  if (dropped !== null) neighbor.connectionsDropped = dropped;
}

function parseNeighborsJson(json: Record<string, unknown>, depth = 0): BgpNeighbor[] {
  // `peers` is the summary's shape (`show bgp summary json`), never a neighbors listing.
  if (isRecord(json.peers)) return [];
  const neighbors = Object.entries(json)
    .map(([key, peer]) => neighborFromJson(key, peer))
    .filter((n): n is BgpNeighbor => n !== null);
  if (neighbors.length > 0 || depth > 0) return neighbors;
  // `show bgp vrf all neighbors json` nests the neighbors one level down, per VRF.
  return Object.values(json).flatMap((value) =>
    isRecord(value) ? parseNeighborsJson(value, depth + 1) : [],
  );
}

/** Every neighbor block of `show ip bgp neighbors`; never throws, [] on unrecognised text. */
export function parseBgpNeighbors(text: string): BgpNeighbor[] {
  try {
    const lines = outputLines(text);
    const json = jsonObjectInLines(lines);
    return json ? parseNeighborsJson(json) : parseNeighborsText(lines);
  } catch {
    // Defence in depth: a caller must never see an exception from a parser.
    return [];
  }
}
