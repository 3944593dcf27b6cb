// What the status window derives from a snapshot, and whether two snapshots' parts show the same.
// Every event from main is a new report with new objects even where nothing changed, so the window
// compares content (cheaply, field by field) to keep unchanged rows and the diagram from rendering
// again.

import type { Diagnosis, StatusNeighbor, StatusNextHop, StatusRoute } from '../../shared/diagnose/index.ts';

/** Node address → BGP state word, as the topology diagram colours its nodes. */
export type Sessions = Record<string, string>;

/** Route rows are laid out without measuring: one line of next hops, and one more per this many. */
export const HOPS_PER_LINE = 4;
/** Height in px of a route row whose next hops fit on one line (a Badge is 20px, 6px padding above and below, a border). */
export const ROUTE_ROW_HEIGHT = 40;
/** What each further line of next hops adds: a Badge and the gap above it. */
export const HOP_LINE_HEIGHT = 24;

/** Lines of next-hop badges a route shows (at least one, for "none"). */
export function hopLinesOf(route: StatusRoute): number {
  return Math.max(1, Math.ceil(route.nextHops.length / HOPS_PER_LINE));
}

/** Height in px of a route's row: fixed by its number of next hops, so rows are never measured. */
export function routeRowHeight(route: StatusRoute): number {
  return ROUTE_ROW_HEIGHT + (hopLinesOf(route) - 1) * HOP_LINE_HEIGHT;
}

function sameHops(a: readonly StatusNextHop[], b: readonly StatusNextHop[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((hop, i) => hop.address === b[i]?.address && hop.node === b[i]?.node);
}

/** True when two routes show the same row: prefix, Service and next hops in order. */
export function sameRoute(a: StatusRoute, b: StatusRoute): boolean {
  return a === b || (a.prefix === b.prefix && a.service === b.service && sameHops(a.nextHops, b.nextHops));
}

function sameDiagnosis(a: Diagnosis | null, b: Diagnosis | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return (
    a.address === b.address &&
    a.node === b.node &&
    a.state === b.state &&
    a.summary === b.summary &&
    a.causes.length === b.causes.length &&
    a.causes.every((cause, i) => {
      const other = b.causes[i];
      return (
        other !== undefined &&
        cause.code === other.code &&
        cause.text === other.text &&
        cause.whatToDo === other.whatToDo &&
        cause.confirmed === other.confirmed
      );
    })
  );
}

/** True when two neighbors show the same row, diagnosis included. */
export function sameNeighbor(a: StatusNeighbor, b: StatusNeighbor): boolean {
  return (
    a === b ||
    (a.address === b.address &&
      a.node === b.node &&
      a.state === b.state &&
      a.upDown === b.upDown &&
      a.prefixesReceived === b.prefixesReceived &&
      sameDiagnosis(a.diagnosis, b.diagnosis))
  );
}

/** Each neighbor's session state by address (the last one wins if the router lists an address twice). */
export function sessionsOf(neighbors: readonly StatusNeighbor[]): Sessions {
  return Object.fromEntries(neighbors.map((n) => [n.address, n.state]));
}

/** True when both map the same addresses to the same states. */
export function sameSessions(a: Sessions | undefined, b: Sessions | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key])
  );
}
