// `show ip bgp summary` (EdgeOS and FRR text) and `show bgp summary json` (FRR).

import { extractJsonObject, numberField, stringField } from './json.ts';
import {
  isIpAddress,
  isRecord,
  looksLikeUptime,
  outputLines,
  parseAsn,
  parseCount,
  parseUptimeSeconds,
  splitHostnameAddress,
  splitWords,
} from './text.ts';
import type { BgpSummary, SummaryNeighbor } from './types.ts';

const ROUTER_HEADER = /BGP router identifier (\S+?),?\s+local AS number (\S+)/i;

/** Column layout read from the `Neighbor V AS …` header line. */
interface SummaryColumns {
  /** FRR 8+ prints PfxSnt and Desc after State/PfxRcd. */
  hasPfxSnt: boolean;
  hasDesc: boolean;
}

function columnsFromHeader(line: string): SummaryColumns | null {
  const words = splitWords(line);
  if (words[0] !== 'Neighbor' || !words.includes('AS') || !words.some((w) => /^Up\/Down$/i.test(w)))
    return null;
  return { hasPfxSnt: words.includes('PfxSnt'), hasDesc: words.includes('Desc') };
}

// With V present: addr V AS MsgRcv MsgSen TblVer InQ OutQ Up/Down State…
const UPDOWN_INDEX_WITH_VERSION = 8;

/**
 * Words of a row with the V column separated again. A long IPv6 address may run into V
 * (`…::14 64512 …` where the trailing 4 is V), which shows as the Up/Down column arriving one
 * word early.
 */
function rowWordsWithVersion(words: string[]): string[] | null {
  if (looksLikeUptime(words[UPDOWN_INDEX_WITH_VERSION]) && parseCount(words[1]) !== null) return words;
  const first = words[0];
  if (looksLikeUptime(words[UPDOWN_INDEX_WITH_VERSION - 1]) && first && /[46]$/.test(first)) {
    return [first.slice(0, -1), first.slice(-1), ...words.slice(1)];
  }
  return null;
}

/** The State/PfxRcd column onward: a number (Established) or a state word, maybe `Idle (Admin)`. */
function readStateColumn(words: string[]): { state: string; prefixes: number | null; rest: string[] } {
  const head = words[0] ?? '';
  const count = parseCount(head);
  if (count !== null) return { state: 'Established', prefixes: count, rest: words.slice(1) };
  const next = words[1];
  if (next !== undefined && /^\(\w+\)$/.test(next) && !head.startsWith('(')) {
    return { state: `${head} ${next}`, prefixes: null, rest: words.slice(2) };
  }
  return { state: head, prefixes: null, rest: words.slice(1) };
}

// FRR prints these in State/PfxRcd for sessions that are up but exchange no prefixes.
const UP_BUT_NOT_COUNTED = new Set(['(Policy)', 'NoNeg']);

function neighborFromRow(rawWords: string[], columns: SummaryColumns): SummaryNeighbor | null {
  const words = rowWordsWithVersion(rawWords);
  if (!words) return null;
  const { address, hostname } = splitHostnameAddress(words[0] ?? '');
  const remoteAs = parseAsn(words[2]);
  const msgRcvd = parseCount(words[3]);
  const msgSent = parseCount(words[4]);
  const upDown = words[UPDOWN_INDEX_WITH_VERSION];
  if (!address || remoteAs === null || msgRcvd === null || msgSent === null || upDown === undefined)
    return null;
  const stateWords = words.slice(UPDOWN_INDEX_WITH_VERSION + 1);
  if (stateWords.length === 0) return null;
  const { state, prefixes, rest } = readStateColumn(stateWords);
  const neighbor: SummaryNeighbor = {
    address,
    remoteAs,
    state,
    upDown,
    upSeconds: parseUptimeSeconds(upDown),
    prefixesReceived: prefixes,
    established: state === 'Established' || UP_BUT_NOT_COUNTED.has(state),
    msgRcvd,
    msgSent,
  };
  if (hostname !== undefined) neighbor.hostname = hostname;
  let remaining = rest;
  if (columns.hasPfxSnt) {
    const sent = parseCount(remaining[0]);
    if (sent !== null) neighbor.prefixesSent = sent;
    remaining = remaining.slice(1);
  }
  if (columns.hasDesc && remaining.length > 0) {
    const description = remaining.join(' ');
    if (description !== 'N/A') neighbor.description = description;
  }
  return neighbor;
}

function parseSummaryText(text: unknown): BgpSummary {
  const summary: BgpSummary = { routerId: null, localAs: null, neighbors: [] };
  const seen = new Set<string>();
  let columns: SummaryColumns | null = null;
  // FRR wraps a neighbor name longer than its column onto a line of its own.
  let wrappedAddress: string | null = null;
  for (const line of outputLines(text)) {
    const header = ROUTER_HEADER.exec(line);
    if (header) {
      summary.routerId ??= header[1] ?? null;
      summary.localAs ??= parseAsn(header[2]);
      columns = null;
      continue;
    }
    const headerColumns = columnsFromHeader(line);
    if (headerColumns) {
      columns = headerColumns;
      continue;
    }
    if (!columns) continue;
    if (/^\s*Total number of/.test(line)) {
      columns = null;
      continue;
    }
    const words = splitWords(line);
    if (
      words.length === 1 &&
      (isIpAddress(words[0]) || isIpAddress(splitHostnameAddress(words[0] ?? '').address))
    ) {
      wrappedAddress = words[0] ?? null;
      continue;
    }
    const rowWords = wrappedAddress !== null && words[0] === '4' ? [wrappedAddress, ...words] : words;
    wrappedAddress = null;
    const neighbor = neighborFromRow(rowWords, columns);
    // Several tables (IPv4 then IPv6 unicast) may list a neighbor twice: the first row wins.
    if (neighbor && !seen.has(neighbor.address)) {
      seen.add(neighbor.address);
      summary.neighbors.push(neighbor);
    }
  }
  return summary;
}

/**
 * A summary body: `peers` beside the summary's own header (routerId, as). A `peers` object alone
 * could sit anywhere in other JSON; neighbors JSON in particular must not give rows.
 */
function isSummaryBody(json: Record<string, unknown>): boolean {
  return isRecord(json.peers) && (stringField(json, 'routerId') !== null || numberField(json, 'as') !== null);
}

/** The summary body: flat output, under `ipv4Unicast`, or one level deeper (per VRF). */
function summaryObject(json: Record<string, unknown>, depth = 0): Record<string, unknown> | null {
  if (isSummaryBody(json)) return json;
  // A neighbor of `show bgp neighbors json` (it has bgpState) holds no summary below it.
  if (depth >= 2 || stringField(json, 'bgpState') !== null) return null;
  const preferred = ['ipv4Unicast', 'default'];
  const keys = [
    ...preferred.filter((key) => key in json),
    ...Object.keys(json).filter((k) => !preferred.includes(k)),
  ];
  for (const key of keys) {
    const value = json[key];
    if (isRecord(value)) {
      const found = summaryObject(value, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/** The state as FRR's text would print it, so JSON and text agree. */
function jsonPeerState(peer: Record<string, unknown>): string {
  const state = stringField(peer, 'state') ?? 'Unknown';
  const peerState = stringField(peer, 'peerState');
  if (state === 'Idle' && (peerState === 'Admin' || peerState === 'PfxCt')) return `Idle (${peerState})`;
  if (state === 'Established' && peerState === 'Policy') return '(Policy)';
  return state;
}

function jsonUpSeconds(peer: Record<string, unknown>, upDown: string): number | null {
  const fromText = parseUptimeSeconds(upDown);
  if (fromText !== null || upDown === 'never') return fromText;
  const msec = numberField(peer, 'peerUptimeMsec');
  return msec === null ? null : Math.floor(msec / 1000);
}

function neighborFromJson(address: string, peer: unknown): SummaryNeighbor | null {
  if (!isRecord(peer)) return null;
  const remoteAs = numberField(peer, 'remoteAs');
  // FRR prints `state` for every summary peer; without it this is not a summary row.
  if (remoteAs === null || stringField(peer, 'state') === null) return null;
  const state = jsonPeerState(peer);
  const upDown = stringField(peer, 'peerUptime') ?? 'never';
  const pfxRcd = numberField(peer, 'pfxRcd') ?? numberField(peer, 'prefixReceivedCount');
  const neighbor: SummaryNeighbor = {
    address,
    remoteAs,
    state,
    upDown,
    upSeconds: jsonUpSeconds(peer, upDown),
    prefixesReceived: state === 'Established' ? pfxRcd : null,
    established: state === 'Established' || UP_BUT_NOT_COUNTED.has(state),
  };
  const msgRcvd = numberField(peer, 'msgRcvd');
  const msgSent = numberField(peer, 'msgSent');
  const pfxSnt = numberField(peer, 'pfxSnt');
  const description = stringField(peer, 'desc');
  const hostname = stringField(peer, 'hostname');
  if (msgRcvd !== null) neighbor.msgRcvd = msgRcvd;
  if (msgSent !== null) neighbor.msgSent = msgSent;
  if (pfxSnt !== null) neighbor.prefixesSent = pfxSnt;
  if (description !== null && description !== 'N/A') neighbor.description = description;
  if (hostname !== null) neighbor.hostname = hostname;
  return neighbor;
}

function parseSummaryJson(json: Record<string, unknown>): BgpSummary {
  const body = summaryObject(json);
  if (!body) return { routerId: null, localAs: null, neighbors: [] };
  const peers = isRecord(body.peers) ? body.peers : {};
  const neighbors = Object.entries(peers)
    .map(([address, peer]) => neighborFromJson(address, peer))
    .filter((n): n is SummaryNeighbor => n !== null);
  return { routerId: stringField(body, 'routerId'), localAs: numberField(body, 'as'), neighbors };
}

/** `show ip bgp summary` in any supported format; never throws, empty on unrecognised text. */
export function parseBgpSummary(text: string): BgpSummary {
  try {
    const json = extractJsonObject(text);
    return json ? parseSummaryJson(json) : parseSummaryText(text);
  } catch {
    // Defence in depth: the parsers are written not to throw, but a caller must never see one.
    return { routerId: null, localAs: null, neighbors: [] };
  }
}
