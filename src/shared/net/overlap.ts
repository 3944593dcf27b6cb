// Overlap queries between many address intervals in O(n log n), for topologies with hundreds of
// nodes and pool entries where comparing every pair would grow with the square of their number.
import type { AddressInterval } from './ipv4.ts';

/** How many of the ascending numbers are at most `limit`. */
function countAtMost(ascending: readonly number[], limit: number): number {
  let low = 0;
  let high = ascending.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((ascending[middle] ?? 0) <= limit) low = middle + 1;
    else high = middle;
  }
  return low;
}

function indexesSortedBy(count: number, key: (index: number) => number): number[] {
  return Array.from({ length: count }, (_, index) => index).sort((a, b) => key(a) - key(b) || a - b);
}

/**
 * For each query, the lowest index of an item that shares at least one address with it, or
 * undefined when none does. An item overlaps a query when it ends at or after the query's start
 * and starts at or before its end: queries are answered from the highest start down, so the items
 * ending late enough only ever grow, and those starting early enough are a prefix of the items in
 * start order, where a Fenwick tree keeps the lowest index.
 */
export function lowestOverlappingIndexes(
  items: readonly AddressInterval[],
  queries: readonly AddressInterval[],
): (number | undefined)[] {
  const start = (index: number): number => items[index]?.start ?? 0;
  const end = (index: number): number => items[index]?.end ?? 0;
  const byStart = indexesSortedBy(items.length, start);
  const starts = byStart.map(start);
  const rankOf: number[] = [];
  byStart.forEach((item, rank) => (rankOf[item] = rank));
  const byEndDescending = indexesSortedBy(items.length, (index) => -end(index));
  const queryOrder = indexesSortedBy(queries.length, (index) => -(queries[index]?.start ?? 0));
  // tree[k] is the lowest index among the inserted items whose start rank is in (k - lowbit k, k].
  const tree: number[] = new Array<number>(items.length + 1).fill(Infinity);
  const lowest: (number | undefined)[] = new Array<number | undefined>(queries.length).fill(undefined);
  let inserted = 0;
  for (const queryIndex of queryOrder) {
    const query = queries[queryIndex];
    if (!query) continue;
    for (; inserted < byEndDescending.length; inserted++) {
      const item = byEndDescending[inserted] ?? 0;
      if (end(item) < query.start) break;
      for (let k = (rankOf[item] ?? 0) + 1; k <= items.length; k += k & -k) {
        tree[k] = Math.min(tree[k] ?? Infinity, item);
      }
    }
    let best = Infinity;
    for (let k = countAtMost(starts, query.end); k > 0; k -= k & -k)
      best = Math.min(best, tree[k] ?? Infinity);
    if (best !== Infinity) lowest[queryIndex] = best;
  }
  return lowest;
}

/**
 * Whether the interval overlaps any of the intervals, given them sorted by start together with
 * the running maximum of their ends (see sortedForOverlap). O(log n).
 */
export function overlapsAnySorted(interval: AddressInterval, sorted: SortedIntervals): boolean {
  // Those starting at or before the interval's end; the one reaching furthest decides.
  const count = countAtMost(sorted.starts, interval.end);
  return count > 0 && (sorted.reach[count - 1] ?? -1) >= interval.start;
}

/** Intervals prepared for overlapsAnySorted. */
export interface SortedIntervals {
  starts: number[];
  /** reach[i]: the highest end among the first i + 1 intervals in start order. */
  reach: number[];
}

export function sortedForOverlap(intervals: readonly AddressInterval[]): SortedIntervals {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const reach: number[] = [];
  let furthest = -1;
  for (const interval of sorted) {
    furthest = Math.max(furthest, interval.end);
    reach.push(furthest);
  }
  return { starts: sorted.map((interval) => interval.start), reach };
}
