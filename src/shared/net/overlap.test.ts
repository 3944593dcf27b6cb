// The sort-based overlap queries answer exactly what comparing every pair answers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intervalsOverlap, lowestOverlappingIndexes, overlapsAnySorted, sortedForOverlap } from './index.ts';
import type { AddressInterval } from './index.ts';

// Small address space, so that overlaps, shared edges and single addresses are frequent.
const interval: fc.Arbitrary<AddressInterval> = fc
  .tuple(fc.nat({ max: 60 }), fc.nat({ max: 12 }))
  .map(([start, length]) => ({ start, end: start + length }));

const pairwiseLowest = (items: AddressInterval[], queries: AddressInterval[]): (number | undefined)[] =>
  queries.map((query) => {
    const index = items.findIndex((item) => intervalsOverlap(item, query));
    return index < 0 ? undefined : index;
  });

describe('lowestOverlappingIndexes', () => {
  it('gives, for each query, the lowest index of an overlapping item, like a pairwise search', () => {
    fc.assert(
      fc.property(
        fc.array(interval, { maxLength: 40 }),
        fc.array(interval, { maxLength: 40 }),
        (items, queries) => {
          expect(lowestOverlappingIndexes(items, queries)).toEqual(pairwiseLowest(items, queries));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('handles the cases by hand: shared edges count, touching does not', () => {
    const items = [
      { start: 10, end: 20 },
      { start: 0, end: 5 },
      { start: 18, end: 18 },
    ];
    expect(
      lowestOverlappingIndexes(items, [
        { start: 20, end: 30 },
        { start: 6, end: 9 },
        { start: 5, end: 18 },
        { start: 18, end: 18 },
        { start: 21, end: 4294967295 },
      ]),
    ).toEqual([0, undefined, 0, 0, undefined]);
    expect(lowestOverlappingIndexes([], [{ start: 1, end: 2 }])).toEqual([undefined]);
  });
});

describe('overlapsAnySorted', () => {
  it('agrees with comparing the interval to every one', () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 40 }), interval, (intervals, probe) => {
        const sorted = sortedForOverlap(intervals);
        expect(overlapsAnySorted(probe, sorted)).toBe(intervals.some((i) => intervalsOverlap(i, probe)));
      }),
      { numRuns: 2_000 },
    );
  });
});
