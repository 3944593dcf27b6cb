// Timing: medians of repeated runs, bounded in count and in time, with the floor measured in the
// same run and interleaved with the value so that a busy machine slows both alike.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
// A fresh context sees the flag; the main one was created before it was set.
const collectGarbage = runInNewContext('gc') as () => void;

export interface RunBounds {
  /** Runs measured (after the warm-up), at most. */
  runs: number;
  /** Stop early once this much time went into measuring (at least 3 runs are made). */
  maxMs: number;
  /** Untimed runs first, so the JIT has compiled what is measured. */
  warmup: number;
}

export const DEFAULT_BOUNDS: RunBounds = { runs: 31, maxMs: 20_000, warmup: 5 };

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

async function timedMs(work: () => unknown): Promise<number> {
  // Garbage from the previous run is collected outside the timed span.
  collectGarbage();
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** Median ms of `work`, and of `floor` run alternately with it, within the bounds. */
export async function pairedMedians(
  work: () => unknown,
  floor: (() => unknown) | null,
  bounds: RunBounds = DEFAULT_BOUNDS,
): Promise<{ value: number; floor: number | null; runs: number }> {
  for (let i = 0; i < bounds.warmup; i++) {
    await work();
    if (floor) await floor();
  }
  const values: number[] = [];
  const floors: number[] = [];
  const deadline = performance.now() + bounds.maxMs;
  while (values.length < bounds.runs && (values.length < 3 || performance.now() < deadline)) {
    values.push(await timedMs(work));
    if (floor) floors.push(await timedMs(floor));
  }
  return { value: median(values), floor: floor ? median(floors) : null, runs: values.length };
}

/** A figure rounded for the table and results.json: 3 significant digits, at least 2 decimals. */
export function rounded(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(2, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 6)));
}
