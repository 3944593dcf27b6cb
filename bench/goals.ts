// Goals in the words of issue 9, each with the check that decides it.
import type { Goal } from './types.ts';

const grouped = (n: number): string => n.toLocaleString('en-US');

export function valueBelow(limit: number, unit: string): Goal {
  return { statement: `value < ${grouped(limit)} ${unit}`, met: ({ value }) => value < limit };
}

export function valueAtMost(limit: number, unit: string): Goal {
  return { statement: `value ≤ ${grouped(limit)} ${unit}`, met: ({ value }) => value <= limit };
}

export function valueBelowAndRatioAtMost(limit: number, unit: string, most: number): Goal {
  return {
    statement: `value < ${grouped(limit)} ${unit} and ratio ≤ ${most}`,
    met: ({ value, ratio }) => value < limit && ratio !== null && ratio <= most,
  };
}

export function ratioAtMost(most: number): Goal {
  return { statement: `ratio ≤ ${most}`, met: ({ ratio }) => ratio !== null && ratio <= most };
}

export function ratioAtLeast(least: number): Goal {
  return { statement: `ratio ≥ ${least}`, met: ({ ratio }) => ratio !== null && ratio >= least };
}

/** The wizard may take at most `margin` longer than the floor (full-setup: FRR alone). */
export function atMostFloorPlus(margin: number, unit: string): Goal {
  return {
    statement: `value ≤ floor + ${margin} ${unit}`,
    met: ({ value, floor }) => floor !== null && value <= floor + margin,
  };
}
