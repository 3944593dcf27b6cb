// The shapes shared by the benchmark runner and its entries (bench/entries/*.ts).

/** A goal as the issue states it, and the check that decides whether a figure meets it. */
export interface Goal {
  statement: string;
  met: (figure: { value: number; floor: number | null; ratio: number | null }) => boolean;
}

/** What an entry measured; the runner adds ratio and meetsGoal. */
export interface Measurement {
  value: number;
  /** The same work done the simplest way, measured in the same run; null when there is none. */
  floor: number | null;
  /** Extra fields for results.json (runs, sizes, …). */
  details?: Record<string, unknown>;
}

/** An entry that cannot run here says why instead of measuring. */
export interface Skipped {
  skipped: string;
}

/** One line of bench/results.json. */
export interface BenchResult {
  name: string;
  value: number | null;
  unit: string;
  floor: number | null;
  ratio: number | null;
  goal: string;
  meetsGoal: boolean;
  skipped?: string;
  [extra: string]: unknown;
}

export interface BenchContext {
  /** Results of the entries that ran before this one (status-refresh-fresh-ssh uses status-refresh's). */
  results: ReadonlyMap<string, BenchResult>;
  /**
   * A resource shared by several entries (the real lab): started on first use, stopped by the
   * runner after the last entry.
   */
  shared<T>(key: string, start: () => Promise<T>, stop: (value: T) => Promise<void>): Promise<T>;
  /** Progress for the person watching; one line each. */
  log(line: string): void;
}

/** A module in bench/entries/ exports one of these as its default. */
export interface BenchEntry {
  name: string;
  unit: string;
  goal: Goal;
  run(ctx: BenchContext): Promise<Measurement | Skipped>;
}
