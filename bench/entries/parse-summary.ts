// Parsing `show ip bgp summary` (FRR 8+ columns) with 500 neighbors, against the floor adapted to
// summary rows (bench/floors.ts).
import { parseBgpSummary } from '../../src/shared/parse/index.ts';
import { floorSummary } from '../floors.ts';
import { frrSummary } from '../generate.ts';
import { valueBelowAndRatioAtMost } from '../goals.ts';
import { pairedMedians } from '../measure.ts';
import type { BenchEntry } from '../types.ts';

const NEIGHBORS = 500;
// One parse takes well under a millisecond: each timed run parses this many times.
const PARSES_PER_RUN = 20;

const entry: BenchEntry = {
  name: 'parse-summary',
  unit: 'ms',
  goal: valueBelowAndRatioAtMost(10, 'ms', 3),
  async run() {
    const text = frrSummary(NEIGHBORS);
    const parsed = parseBgpSummary(text).neighbors.length;
    const floorRows = floorSummary(text).length;
    if (parsed !== NEIGHBORS || floorRows !== NEIGHBORS) {
      throw new Error(`parse-summary: parsed ${parsed} rows (floor ${floorRows}), expected ${NEIGHBORS}`);
    }
    const repeat = (work: () => unknown) => () => {
      for (let i = 0; i < PARSES_PER_RUN; i++) work();
    };
    const { value, floor, runs } = await pairedMedians(
      repeat(() => parseBgpSummary(text)),
      repeat(() => floorSummary(text)),
    );
    return {
      value: value / PARSES_PER_RUN,
      floor: floor === null ? null : floor / PARSES_PER_RUN,
      details: { runs, parsesPerRun: PARSES_PER_RUN, neighbors: NEIGHBORS },
    };
  },
};

export default entry;
