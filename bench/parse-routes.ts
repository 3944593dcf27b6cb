// The two route-table entries: the app's parser against issue 9's one-regex-per-line floor, on the
// same generated text, after checking that both read every route and hop of it.
import { parseBgpRoutes } from '../src/shared/parse/index.ts';
import { floorRoutes } from './floors.ts';
import { edgeosRouteTable, frrRouteTable } from './generate.ts';
import { valueBelowAndRatioAtMost } from './goals.ts';
import { pairedMedians } from './measure.ts';
import type { BenchEntry } from './types.ts';

export const ROUTE_PREFIXES = 10_000;
export const ROUTE_NEXT_HOPS = 4;

export function parseRoutesEntry(name: string, format: 'edgeos' | 'frr'): BenchEntry {
  return {
    name,
    unit: 'ms',
    goal: valueBelowAndRatioAtMost(50, 'ms', 3),
    async run() {
      const table = format === 'edgeos' ? edgeosRouteTable : frrRouteTable;
      const text = table(ROUTE_PREFIXES, ROUTE_NEXT_HOPS);
      // A fast wrong answer is no figure: both must read every prefix and hop.
      const routes = parseBgpRoutes(text);
      const floorRows = floorRoutes(text);
      const hops = routes.reduce((sum, route) => sum + route.nextHops.length, 0);
      const floorHops = floorRows.reduce((sum, route) => sum + route.nextHops.length, 0);
      const expected = ROUTE_PREFIXES * ROUTE_NEXT_HOPS;
      if (routes.length !== ROUTE_PREFIXES || hops !== expected || floorHops !== expected) {
        throw new Error(
          `${name}: parsed ${routes.length} routes / ${hops} hops (floor ${floorHops}), expected ${ROUTE_PREFIXES} / ${expected}`,
        );
      }
      const { value, floor, runs } = await pairedMedians(
        () => parseBgpRoutes(text),
        () => floorRoutes(text),
      );
      return {
        value,
        floor,
        details: { runs, prefixes: ROUTE_PREFIXES, nextHops: ROUTE_NEXT_HOPS, textBytes: text.length },
      };
    },
  };
}
