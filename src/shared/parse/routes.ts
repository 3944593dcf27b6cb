// `show ip route bgp` (EdgeOS and FRR text; also the BGP rows of a full `show ip route`) and
// `show ip route bgp json` (FRR). Only BGP routes come out; other route codes are skipped.

import { booleanField, extractJsonObject, numberField, stringField } from './json.ts';
import { isRecord, looksLikeUptime, outputLines } from './text.ts';
import type { BgpNextHop, BgpRoute } from './types.ts';

// `B>* 10.0.0.0/16 [20/0] via …` (FRR), `B>*10.0.0.0/16` (FRR 7), `B    *> 10.0.0.0/16` (EdgeOS).
const BGP_ROUTE_HEAD = /^\s*B(?<flags>[>*=qrtbo ]*?)\s*(?<prefix>[0-9A-Fa-f.:]+\/\d{1,3})\s+(?<rest>.*)$/;
// A further next hop of the route above: `  *                    via …` (FRR) or
// `     *>                 [200/0] via …` (EdgeOS).
const CONTINUATION = /^\s*[>*=qrtbo]*\s*(?<distance>\[\d+\/\d+\]\s*)?via\s+(?<hop>.*)$/;
const DISTANCE_METRIC = /^\[(\d+)\/(\d+)\]\s*/;

interface HopText {
  text: string;
  /** Column of `via` in the line: FRR indents a resolving hop two columns deeper per level. */
  viaColumn: number;
}

/** One `via …` clause: `10.0.1.1, eth1, weight 1, 00:00:14` or `10.0.255.3 (recursive), …`. */
function nextHopFromText(hopText: string): BgpNextHop | null {
  const parentheticals = hopText.match(/\([^()]*\)/g) ?? [];
  const recursive = parentheticals.some((p) => /recursive/i.test(p));
  // EdgeOS puts a comma inside `(recursive is directly connected, pppoe4)`, and some captures
  // carry a stray `)`: drop both before splitting on commas.
  const plain = hopText.replace(/\([^()]*\)/g, ' ').replace(/[()]/g, ' ');
  const parts = plain.split(',').map((part) => part.trim());
  const address = (parts[0] ?? '').split(/\s+/)[0] ?? '';
  if (!/^[0-9A-Fa-f:.]+(?:%\S+)?$/.test(address) || !/[.:]/.test(address)) return null;
  const hop: BgpNextHop = { address, interface: null, age: null };
  for (const part of parts.slice(1)) {
    const weight = /^weight\s+(\d+)$/.exec(part);
    if (weight) hop.weight = Number(weight[1]);
    else if (looksLikeUptime(part)) hop.age = part;
    else if (/^(?:label|inactive|onlink|src)\b/.test(part) || part === '') continue;
    else if (!recursive && hop.interface === null) hop.interface = part.split(/\s+/)[0] ?? null;
  }
  if (recursive) hop.recursive = true;
  return hop;
}

function routeFromHead(
  match: RegExpExecArray,
  line: string,
): { route: BgpRoute; head: HopText | null } | null {
  const groups = match.groups ?? {};
  const flags = groups.flags ?? '';
  let rest = groups.rest ?? '';
  const route: BgpRoute = { prefix: groups.prefix ?? '', nextHops: [] };
  const distanceMetric = DISTANCE_METRIC.exec(rest);
  if (distanceMetric) {
    route.distance = Number(distanceMetric[1]);
    route.metric = Number(distanceMetric[2]);
    rest = rest.slice(distanceMetric[0].length);
  }
  const via = /^via\s+/.exec(rest);
  // A head needs a `[d/m]` or a `via`; anything else starting with `B` is not a route line.
  if (!distanceMetric && !via) return null;
  route.selected = flags.includes('>');
  route.installed = flags.includes('*');
  if (!via) return { route, head: null };
  const hopText = rest.slice(via[0].length);
  return { route, head: { text: hopText, viaColumn: line.length - rest.length } };
}

/** The recursive hop a deeper-indented FRR hop resolves, if any. */
function resolvedHop(route: BgpRoute, head: HopText | null, viaColumn: number): BgpNextHop | undefined {
  if (!head || viaColumn <= head.viaColumn + 1) return undefined;
  return [...route.nextHops].reverse().find((hop) => hop.recursive === true);
}

function parseRoutesText(text: unknown): BgpRoute[] {
  const routes: BgpRoute[] = [];
  // The BGP route that continuation lines attach to; null after any other line.
  let current: { route: BgpRoute; head: HopText | null } | null = null;
  for (const line of outputLines(text)) {
    const head = BGP_ROUTE_HEAD.exec(line);
    if (head) {
      current = routeFromHead(head, line);
      if (!current) continue;
      routes.push(current.route);
      const hop = current.head ? nextHopFromText(current.head.text) : null;
      if (hop) current.route.nextHops.push(hop);
      continue;
    }
    const continuation = CONTINUATION.exec(line);
    if (continuation && current) {
      const hopText = continuation.groups?.hop ?? '';
      const hop = nextHopFromText(hopText);
      if (hop) {
        // Only FRR prints resolving hops, and its continuation lines carry no `[d/m]`.
        const frrStyle = continuation.groups?.distance === undefined;
        const parent = frrStyle ? resolvedHop(current.route, current.head, line.indexOf('via')) : undefined;
        if (parent) hop.resolves = parent.address;
        current.route.nextHops.push(hop);
      }
      continue;
    }
    current = null;
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
    const json = extractJsonObject(text);
    return json ? parseRoutesJson(json) : parseRoutesText(text);
  } catch {
    // Defence in depth: a caller must never see an exception from a parser.
    return [];
  }
}
