// `show ip bgp summary` (EdgeOS and FRR text) and `show bgp summary json` (FRR).

import { jsonObjectInLines, numberField, stringField } from './json.ts';
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

const TOTAL_LINE = /^\s*Total number of/;
const ROUTER_HEADER = /BGP router identifier (\S+?),?\s+local AS number (\S+)/i;

/** Column layout read from the `Neighbor V AS …` header line. */
interface SummaryColumns {
  /** FRR 8+ prints PfxSnt and Desc after State/PfxRcd. */
  hasPfxSnt: boolean;
  hasDesc: boolean;
}

function columnsFromHeader(line: string): SummaryColumns | null {
  // Every row is tried as a header: skip the splitting for those that cannot be one.
  if (!line.includes('Neighbor')) return null;
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
 * word early. `upSeconds` is parseUptimeSeconds of the word where Up/Down belongs.
 */
function rowWordsWithVersion(words: string[], upSeconds: number | null): string[] | null {
  const upDown = words[UPDOWN_INDEX_WITH_VERSION];
  if ((upDown === 'never' || upSeconds !== null) && parseCount(words[1]) !== null) return words;
  const first = words[0];
  if (looksLikeUptime(words[UPDOWN_INDEX_WITH_VERSION - 1]) && first && /[46]$/.test(first)) {
    return [first.slice(0, -1), first.slice(-1), ...words.slice(1)];
  }
  return null;
}

/** A qualifier printed after a state word: `Idle (Admin)`. */
const STATE_QUALIFIER = /^\(\w+\)$/;

/**
 * The State/PfxRcd column at words[start] onward: a number (Established) or a state word, maybe
 * `Idle (Admin)`; `next` is the index of the word after it.
 */
function readStateColumn(
  words: readonly string[],
  start: number,
): { state: string; prefixes: number | null; next: number } {
  const head = words[start] ?? '';
  const count = parseCount(head);
  if (count !== null) return { state: 'Established', prefixes: count, next: start + 1 };
  const qualifier = words[start + 1];
  if (qualifier !== undefined && STATE_QUALIFIER.test(qualifier) && !head.startsWith('(')) {
    return { state: `${head} ${qualifier}`, prefixes: null, next: start + 2 };
  }
  return { state: head, prefixes: null, next: start + 1 };
}

/**
 * Whether a State/PfxRcd word means the session is up: Established, or FRR's `(Policy)` and
 * `NoNeg` for sessions that are up but exchange no prefixes.
 */
function isUp(state: string): boolean {
  return state === 'Established' || state === '(Policy)' || state === 'NoNeg';
}

/** A row's columns up to Up/Down, as read. */
interface RowStart {
  address: string;
  hostname: string | undefined;
  remoteAs: number;
  msgRcvd: number;
  msgSent: number;
  upDown: string;
  upSeconds: number | null;
}

function neighborFromRow(rawWords: string[], columns: SummaryColumns): SummaryNeighbor | null {
  const rawUpSeconds = parseUptimeSeconds(rawWords[UPDOWN_INDEX_WITH_VERSION]);
  const words = rowWordsWithVersion(rawWords, rawUpSeconds);
  if (!words) return null;
  const { address, hostname } = splitHostnameAddress(words[0] ?? '');
  const remoteAs = parseAsn(words[2]);
  const msgRcvd = parseCount(words[3]);
  const msgSent = parseCount(words[4]);
  const upDown = words[UPDOWN_INDEX_WITH_VERSION];
  if (!address || remoteAs === null || msgRcvd === null || msgSent === null || upDown === undefined)
    return null;
  const upSeconds = words === rawWords ? rawUpSeconds : parseUptimeSeconds(upDown);
  const start = { address, hostname, remoteAs, msgRcvd, msgSent, upDown, upSeconds };
  return neighborFromColumns(start, words, UPDOWN_INDEX_WITH_VERSION + 1, columns);
}

/** The neighbor of a row whose State/PfxRcd column (and what follows) is words[stateIndex…]. */
function neighborFromColumns(
  start: RowStart,
  words: readonly string[],
  stateIndex: number,
  columns: SummaryColumns,
): SummaryNeighbor | null {
  if (words.length <= stateIndex) return null;
  const { state, prefixes, next } = readStateColumn(words, stateIndex);
  const neighbor: SummaryNeighbor = {
    address: start.address,
    remoteAs: start.remoteAs,
    state,
    upDown: start.upDown,
    upSeconds: start.upSeconds,
    prefixesReceived: prefixes,
    established: isUp(state),
    msgRcvd: start.msgRcvd,
    msgSent: start.msgSent,
  };
  if (start.hostname !== undefined) neighbor.hostname = start.hostname;
  let remaining = next;
  if (columns.hasPfxSnt) {
    const sent = parseCount(words[remaining]);
    if (sent !== null) neighbor.prefixesSent = sent;
    remaining++;
  }
  if (columns.hasDesc && words.length > remaining) {
    // One word (the usual case) needs no join, which costs more than the rest of the row.
    const description =
      words.length === remaining + 1 ? (words[remaining] ?? '') : words.slice(remaining).join(' ');
    if (description !== 'N/A') neighbor.description = description;
  }
  return neighbor;
}

// A row as both families print it for an IPv4 neighbor, with at most two words after the State
// column. Groups: 1 address, 2 AS, 3 MsgRcvd, 4 MsgSent, 5 Up/Down, 6 State/PfxRcd, 7 and 8 the
// words after it. Such a line splits into words in one way only, and when Up/Down is an uptime,
// rowWordsWithVersion keeps those words as they are (V is 4 or 6), so neighborFromRow reads the
// same columns; the one match replaces the splitting.
const PLAIN_ROW =
  /^\s*(\d+\.\d+\.\d+\.\d+)\s+[46]\s+(\d+)\s+(\d+)\s+(\d+)\s+\S+\s+\S+\s+\S+\s+(\S+)\s+(\S+)(?:\s+(\S+))?(?:\s+(\S+))?$/;

/** The value of a word of digits, as parseCount reads it (at most 15 digits), else null. */
function digitsValue(digits: string | undefined): number | null {
  return digits === undefined || digits.length > 15 ? null : Number(digits);
}

/**
 * The same as neighborFromRow, for a line PLAIN_ROW matched; undefined when the line needs the
 * general reading (its Up/Down is no uptime).
 */
function neighborFromPlainRow(
  match: RegExpExecArray,
  columns: SummaryColumns,
): SummaryNeighbor | null | undefined {
  const upDown = match[5] ?? '';
  const upSeconds = parseUptimeSeconds(upDown);
  if (upSeconds === null && upDown !== 'never') return undefined;
  // PLAIN_ROW matched these as digits: what parseAsn and parseCount would check is their length.
  const remoteAs = digitsValue(match[2]);
  const msgRcvd = digitsValue(match[3]);
  const msgSent = digitsValue(match[4]);
  if (remoteAs === null || remoteAs > 4294967295 || msgRcvd === null || msgSent === null) return null;
  const head = match[6] ?? '';
  const after = match[7];
  const last = match[8];
  // readStateColumn on [head, after, last].
  const count = parseCount(head);
  const qualified =
    count === null && after !== undefined && STATE_QUALIFIER.test(after) && !head.startsWith('(');
  const state = count !== null ? 'Established' : qualified ? `${head} ${after}` : head;
  // The (at most two) words after the State column, as neighborFromColumns reads them.
  let next = qualified ? last : after;
  let afterNext = qualified ? undefined : last;
  let prefixesSent: number | null = null;
  if (columns.hasPfxSnt) {
    prefixesSent = parseCount(next);
    next = afterNext;
    afterNext = undefined;
  }
  const description =
    columns.hasDesc && next !== undefined ? (afterNext === undefined ? next : `${next} ${afterNext}`) : 'N/A';
  const address = match[1] ?? '';
  const established = isUp(state);
  // One literal per shape: widening a finished row by spreading it costs every row an object.
  if (prefixesSent === null) {
    if (description === 'N/A')
      return {
        address,
        remoteAs,
        state,
        upDown,
        upSeconds,
        prefixesReceived: count,
        established,
        msgRcvd,
        msgSent,
      };
    return {
      address,
      remoteAs,
      state,
      upDown,
      upSeconds,
      prefixesReceived: count,
      established,
      msgRcvd,
      msgSent,
      description,
    };
  }
  if (description === 'N/A') {
    return {
      address,
      remoteAs,
      state,
      upDown,
      upSeconds,
      prefixesReceived: count,
      established,
      msgRcvd,
      msgSent,
      prefixesSent,
    };
  }
  return {
    address,
    remoteAs,
    state,
    upDown,
    upSeconds,
    prefixesReceived: count,
    established,
    msgRcvd,
    msgSent,
    prefixesSent,
    description,
  };
}

function parseSummaryText(lines: readonly string[]): BgpSummary {
  const summary: BgpSummary = { routerId: null, localAs: null, neighbors: [] };
  const rows: SummaryNeighbor[] = [];
  let columns: SummaryColumns | null = null;
  // FRR wraps a neighbor name longer than its column onto a line of its own.
  let wrappedAddress: string | null = null;
  for (const line of lines) {
    // A plain row cannot be a router header, a column header or a Total line (its first word is
    // an address and it has at most 12 words), so trying it first changes nothing but the speed.
    const plain = columns ? PLAIN_ROW.exec(line) : null;
    const fromPlain = plain && columns ? neighborFromPlainRow(plain, columns) : undefined;
    if (fromPlain !== undefined) {
      // Its first word is an address, never the `4` that follows a wrapped one.
      wrappedAddress = null;
      if (fromPlain) rows.push(fromPlain);
      continue;
    }
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
    if (line.includes('Total') && TOTAL_LINE.test(line)) {
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
    if (neighbor) rows.push(neighbor);
  }
  summary.neighbors = firstOfEachAddress(rows);
  return summary;
}

/**
 * The IPv4 address as a number when it is written canonically (four decimal octets 0-255, no
 * leading zeros), else null. Canonical text and numbers map one to one.
 */
function canonicalIpv4Number(text: string): number | null {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46; // a final '.' closes the last octet
    if (code === 46) {
      if (digits === 0 || octet > 255 || (digits > 1 && text.charCodeAt(i - digits) === 48)) return null;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (code >= 48 && code <= 57 && digits < 3) {
      octet = octet * 10 + (code - 48);
      digits++;
    } else {
      return null;
    }
  }
  return dots === 4 ? value : null;
}

/**
 * Several tables (IPv4 then IPv6 unicast) may list a neighbor twice: the first row wins. Canonical
 * IPv4 addresses are compared as numbers, which a Set hashes far faster than fresh strings.
 */
function firstOfEachAddress(rows: readonly SummaryNeighbor[]): SummaryNeighbor[] {
  const seen = new Set<string | number>();
  return rows.filter((row) => {
    const key = canonicalIpv4Number(row.address) ?? row.address;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
    established: isUp(state),
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
    const lines = outputLines(text);
    const json = jsonObjectInLines(lines);
    return json ? parseSummaryJson(json) : parseSummaryText(lines);
  } catch {
    // Defence in depth: the parsers are written not to throw, but a caller must never see one.
    return { routerId: null, localAs: null, neighbors: [] };
  }
}
