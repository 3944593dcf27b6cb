// Public entry of the IPv4 helpers. Pure: no I/O.
export * from './ipv4.ts';
export { suggestPoolOutside } from './suggest.ts';
export { lowestOverlappingIndexes, overlapsAnySorted, sortedForOverlap } from './overlap.ts';
export type { SortedIntervals } from './overlap.ts';
