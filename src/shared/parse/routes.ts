// `show ip route bgp` (EdgeOS and FRR text; also the BGP rows of a full `show ip route`) and
// `show ip route bgp json` (FRR). Only BGP routes come out; other route codes are skipped.

import { booleanField, jsonObjectInLines, numberField, stringField } from './json.ts';
import { isRecord, looksLikeUptime, outputLines } from './text.ts';
import type { BgpNextHop, BgpRoute } from './types.ts';

// `B>* 10.0.0.0/16 [20/0] via …` (FRR), `B>*10.0.0.0/16` (FRR 7), `B    *> 10.0.0.0/16` (EdgeOS).
// Groups: 1 flags, 2 prefix, 3 the rest of the line. (Numbered, not named: named groups cost an
// object per match, and these run per line of tables with tens of thousands of rows.)
const BGP_ROUTE_HEAD = /^\s*B([>*=qrtbo ]*?)\s*([0-9A-Fa-f.:]+\/\d{1,3})\s+(.*)$/;
// A further next hop of the route above: `  *                    via …` (FRR) or
// `     *>                 [200/0] via …` (EdgeOS). Groups: 1 the `[d/m]` if any, 2 the hop.
const CONTINUATION = /^\s*[>*=qrtbo]*\s*(\[\d+\/\d+\]\s*)?via\s+(.*)$/;
const DISTANCE_METRIC = /^\[(\d+)\/(\d+)\]\s*/;
const VIA = /^via\s+/;
const PARENTHETICALS = /\([^()]*\)/g;
const PARENTHESES = /[()]/g;
const RECURSIVE = /recursive/i;
const HOP_ADDRESS = /^[0-9A-Fa-f:.]+(?:%\S+)?$/;
const HAS_ADDRESS_SEPARATOR = /[.:]/;
const WEIGHT = /^weight\s+(\d+)$/;
const IGNORED_HOP_FIELD = /^(?:label|inactive|onlink|src)\b/;
const IGNORED_INITIALS = new Set(['l', 'i', 'o', 's']);
const WHITESPACE = /\s/;

// ---- the fast reading of plain lines ----
// Almost every line of a big table is a plain head or continuation: `B>* 10.0.0.0/16 [20/0] via
// 10.0.1.1, eth1, weight 1, 00:00:14` or `  *  via 10.0.1.2, eth1, weight 1, 00:00:14`. One match
// reads such a line whole, into exactly what the general reading below makes of it:
//  - the head part is BGP_ROUTE_HEAD's own start, and what follows its `\s+` cannot start with
//    whitespace, so a match splits the line into the same flags, prefix and rest; after that,
//    DISTANCE_METRIC and VIA each match in one way only. Their whitespace excludes line
//    terminators because the rest (`.*`) can hold none.
//  - the continuation part is CONTINUATION's own start, which matches a line in one way only.
//  - the hop is a clause the general reading splits at its commas into the same fields.
// Any other line (and a plain one naming its interface `never`, `src`, …) gets the general reading.
const PLAIN_HOP = String.raw`(\d{1,3}(?:\.\d{1,3}){3}), ([A-Za-z][\w.-]*)(?:, weight (\d+))?, (\d{1,4}:[0-5]\d:[0-5]\d|(?:\d{1,6}[ywdhms])+)`;
const INLINE_SPACE = String.raw`[^\S\n\r\u2028\u2029]`;
const PLAIN_HEAD = String.raw`\s*B([>*=qrtbo ]*?)\s*([0-9A-Fa-f.:]+\/\d{1,3})\s+(?:\[(\d+)\/(\d+)\]${INLINE_SPACE}*)?(via${INLINE_SPACE}+${PLAIN_HOP})`;
const PLAIN_CONTINUATION = String.raw`\s*[>*=qrtbo]*\s*(\[\d+\/\d+\]\s*)?via\s+${PLAIN_HOP}`;
const PLAIN_HEAD_LINE = new RegExp(`^${PLAIN_HEAD}$`);
const PLAIN_CONTINUATION_LINE = new RegExp(`^${PLAIN_CONTINUATION}$`);
/** PLAIN_HEAD_LINE's groups; its PLAIN_HOP has four: address, interface, weight, age. */
const HEAD_GROUPS = {
  flags: 1,
  prefix: 2,
  distance: 3,
  metric: 4,
  /** `via` and the hop: its length gives the column of `via`. */
  viaClause: 5,
  hop: 6,
} as const;
/** PLAIN_CONTINUATION_LINE's groups: 1 the `[d/m]` if any, then PLAIN_HOP's four. */
const CONTINUATION_HOP_GROUP = 2;
const CODE_B = 'B'.charCodeAt(0);

/** The hop whose four PLAIN_HOP groups start at `first`, or null if it needs the general reading. */
function plainNextHop(match: RegExpExecArray, first: number): BgpNextHop | null {
  const name = match[first + 1];
  // The general reading takes `never` for an age and skips `src`, `label`, … fields.
  if (
    name === undefined ||
    name === 'never' ||
    (IGNORED_INITIALS.has(name[0] ?? '') && IGNORED_HOP_FIELD.test(name))
  )
    return null;
  const address = match[first] ?? '';
  const age = match[first + 3] ?? null;
  const weight = match[first + 2];
  // Built whole rather than extended: adding a field later makes every hop one allocation larger.
  return weight === undefined
    ? { address, interface: name, age }
    : { address, interface: name, age, weight: Number(weight) };
}

// ---- the general reading ----

/** The BGP route that continuation lines attach to. */
interface CurrentRoute {
  route: BgpRoute;
  /** Column of the head's `via` (null without one): FRR indents a resolving hop two columns deeper. */
  viaColumn: number | null;
}

/** The text up to its first whitespace (all of it when there is none). */
function firstWord(text: string): string {
  const end = text.search(WHITESPACE);
  return end < 0 ? text : text.slice(0, end);
}

/** One `via …` clause: `10.0.1.1, eth1, weight 1, 00:00:14` or `10.0.255.3 (recursive), …`. */
function nextHopFromText(hopText: string): BgpNextHop | null {
  let plain = hopText;
  let recursive = false;
  if (hopText.includes('(') || hopText.includes(')')) {
    const parentheticals = hopText.match(PARENTHETICALS) ?? [];
    recursive = parentheticals.some((p) => RECURSIVE.test(p));
    // EdgeOS puts a comma inside `(recursive is directly connected, pppoe4)`, and some captures
    // carry a stray `)`: drop both before splitting on commas.
    plain = hopText.replace(PARENTHETICALS, ' ').replace(PARENTHESES, ' ');
  }
  const parts = plain.split(',');
  const address = firstWord((parts[0] ?? '').trim());
  if (!HOP_ADDRESS.test(address) || !HAS_ADDRESS_SEPARATOR.test(address)) return null;
  const hop: BgpNextHop = { address, interface: null, age: null };
  for (let i = 1; i < parts.length; i++) {
    const part = (parts[i] ?? '').trim();
    const weight = WEIGHT.exec(part);
    if (weight) hop.weight = Number(weight[1]);
    else if (looksLikeUptime(part)) hop.age = part;
    else if (part === '' || IGNORED_HOP_FIELD.test(part)) continue;
    else if (!recursive && hop.interface === null) hop.interface = firstWord(part);
  }
  if (recursive) hop.recursive = true;
  return hop;
}

/** A head line read in full (its own hop included), or null when it is no route line. */
function routeFromHead(match: RegExpExecArray, line: string): CurrentRoute | null {
  const flags = match[1] ?? '';
  let rest = match[3] ?? '';
  const route: BgpRoute = { prefix: match[2] ?? '', nextHops: [] };
  const distanceMetric = DISTANCE_METRIC.exec(rest);
  if (distanceMetric) {
    route.distance = Number(distanceMetric[1]);
    route.metric = Number(distanceMetric[2]);
    rest = rest.slice(distanceMetric[0].length);
  }
  const via = VIA.exec(rest);
  // A head needs a `[d/m]` or a `via`; anything else starting with `B` is not a route line.
  if (!distanceMetric && !via) return null;
  route.selected = flags.includes('>');
  route.installed = flags.includes('*');
  if (!via) return { route, viaColumn: null };
  const hop = nextHopFromText(rest.slice(via[0].length));
  if (hop) route.nextHops.push(hop);
  return { route, viaColumn: line.length - rest.length };
}

/** The same as routeFromHead, for a line PLAIN_HEAD_LINE matched; null if it needs the general reading. */
function routeFromPlainHead(match: RegExpExecArray, line: string): CurrentRoute | null {
  const hop = plainNextHop(match, HEAD_GROUPS.hop);
  if (!hop) return null;
  const prefix = match[HEAD_GROUPS.prefix] ?? '';
  const distance = match[HEAD_GROUPS.distance];
  const flags = match[HEAD_GROUPS.flags] ?? '';
  const selected = flags.includes('>');
  const installed = flags.includes('*');
  // Fields in routeFromHead's order, so both readings give the same JSON.
  const route: BgpRoute =
    distance === undefined
      ? { prefix, nextHops: [hop], selected, installed }
      : {
          prefix,
          nextHops: [hop],
          distance: Number(distance),
          metric: Number(match[HEAD_GROUPS.metric]),
          selected,
          installed,
        };
  return { route, viaColumn: line.length - (match[HEAD_GROUPS.viaClause] ?? '').length };
}

/** The recursive hop a deeper-indented FRR hop resolves, if any. */
function resolvedHop(current: CurrentRoute, viaColumn: number): BgpNextHop | undefined {
  if (current.viaColumn === null || viaColumn <= current.viaColumn + 1) return undefined;
  return current.route.nextHops.findLast((hop) => hop.recursive === true);
}

/** Adds a continuation line's hop to the route; FRR's deeper-indented hops resolve a recursive one. */
function attachHop(current: CurrentRoute, hop: BgpNextHop, hasDistance: boolean, line: string): void {
  // Only FRR prints resolving hops, and its continuation lines carry no `[d/m]`.
  const parent = hasDistance ? undefined : resolvedHop(current, line.indexOf('via'));
  if (parent) hop.resolves = parent.address;
  current.route.nextHops.push(hop);
}

/** Reads any line the plain patterns did not; returns the route that later lines attach to. */
function generalLine(line: string, current: CurrentRoute | null, routes: BgpRoute[]): CurrentRoute | null {
  const head = BGP_ROUTE_HEAD.exec(line);
  if (head) {
    const next = routeFromHead(head, line);
    if (next) routes.push(next.route);
    return next;
  }
  // A continuation line with no route above it attaches to nothing.
  if (!current) return null;
  const continuation = CONTINUATION.exec(line);
  if (!continuation) return null;
  const hop = nextHopFromText(continuation[2] ?? '');
  if (hop) attachHop(current, hop, continuation[1] !== undefined, line);
  return current;
}

function parseRoutesText(lines: readonly string[]): BgpRoute[] {
  const routes: BgpRoute[] = [];
  // The BGP route that continuation lines attach to; null after any other line.
  let current: CurrentRoute | null = null;
  for (const line of lines) {
    // Heads start with `B` (a rare one after blanks), which no continuation line can.
    if (line.charCodeAt(0) === CODE_B) {
      const plainHead = PLAIN_HEAD_LINE.exec(line);
      const next = plainHead && routeFromPlainHead(plainHead, line);
      if (next) {
        routes.push(next.route);
        current = next;
        continue;
      }
    } else if (current) {
      const plain = PLAIN_CONTINUATION_LINE.exec(line);
      const hop = plain && plainNextHop(plain, CONTINUATION_HOP_GROUP);
      if (plain && hop) {
        attachHop(current, hop, plain[1] !== undefined, line);
        continue;
      }
    }
    current = generalLine(line, current, routes);
  }
  return routes;
}

function nextHopFromJson(value: unknown, age: string | null): BgpNextHop | null {
  if (!isRecord(value)) return null;
  const address = stringField(value, 'ip');
  if (address === null) return null;
  const recursive = booleanField(value, 'recursive') === true;
  const hop: BgpNextHop = {
    address,
    interface: recursive ? null : stringField(value, 'interfaceName'),
    age,
  };
  if (recursive) hop.recursive = true;
  const weight = numberField(value, 'weight');
  if (weight !== null) hop.weight = weight;
  return hop;
}

function routesFromJsonEntries(prefix: string, entries: unknown): BgpRoute[] {
  if (!Array.isArray(entries)) return [];
  const routes: BgpRoute[] = [];
  for (const entry of entries) {
    if (!isRecord(entry) || stringField(entry, 'protocol') !== 'bgp') continue;
    const age = stringField(entry, 'uptime');
    const nextHops: BgpNextHop[] = [];
    let recursiveParent: string | undefined;
    for (const raw of Array.isArray(entry.nexthops) ? entry.nexthops : []) {
      const hop = nextHopFromJson(raw, age);
      if (!hop) continue;
      // FRR flags the hops that resolve a recursive one with `resolver`.
      if (isRecord(raw) && booleanField(raw, 'resolver') === true && recursiveParent !== undefined) {
        hop.resolves = recursiveParent;
      }
      if (hop.recursive) recursiveParent = hop.address;
      nextHops.push(hop);
    }
    const route: BgpRoute = { prefix: stringField(entry, 'prefix') ?? prefix, nextHops };
    const distance = numberField(entry, 'distance');
    const metric = numberField(entry, 'metric');
    if (distance !== null) route.distance = distance;
    if (metric !== null) route.metric = metric;
    route.selected = booleanField(entry, 'selected') === true;
    route.installed = booleanField(entry, 'installed') === true;
    routes.push(route);
  }
  return routes;
}

function parseRoutesJson(json: Record<string, unknown>): BgpRoute[] {
  return Object.entries(json).flatMap(([prefix, entries]) => routesFromJsonEntries(prefix, entries));
}

/** BGP routes of `show ip route [bgp]` in any supported format; never throws, [] on odd text. */
export function parseBgpRoutes(text: string): BgpRoute[] {
  try {
    const lines = outputLines(text);
    const json = jsonObjectInLines(lines);
    return json ? parseRoutesJson(json) : parseRoutesText(lines);
  } catch {
    // Defence in depth: a caller must never see an exception from a parser.
    return [];
  }
}
