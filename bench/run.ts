// `npm run bench [-- --only name,name]`: runs every entry in bench/entries/, prints a table and
// writes bench/results.json. Entries that need what this machine lacks (root, the real lab,
// Chromium, a built renderer) are recorded as skipped with the reason, never left out.
import { readdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { machineInfo } from './machine.ts';
import { rounded } from './measure.ts';
import type { BenchContext, BenchEntry, BenchResult, Measurement, Skipped } from './types.ts';

// The order of issue 9's table; entries not listed run after these, by name.
const ORDER = [
  'status-refresh',
  'status-refresh-fresh-ssh',
  'parse-routes-edgeos',
  'parse-routes-frr',
  'parse-summary',
  'validate-topology-1000',
  'render-routes-first',
  'render-routes-update',
  'full-setup',
  'bundle-size',
  'cold-start',
];

const ENTRIES_DIR = new URL('./entries/', import.meta.url);
const RESULTS_FILE = new URL('./results.json', import.meta.url);

async function loadEntries(): Promise<BenchEntry[]> {
  const files = (await readdir(ENTRIES_DIR)).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
  );
  const entries: BenchEntry[] = [];
  for (const file of files) {
    const module = (await import(new URL(file, ENTRIES_DIR).href)) as { default?: BenchEntry };
    const entry = module.default;
    if (!entry || typeof entry.name !== 'string' || typeof entry.run !== 'function') {
      throw new Error(`bench/entries/${file} must export default { name, run(ctx) }`);
    }
    entries.push(entry);
  }
  const rank = (name: string): number => {
    const index = ORDER.indexOf(name);
    return index < 0 ? ORDER.length : index;
  };
  return entries.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

function resultOf(entry: BenchEntry, outcome: Measurement | Skipped): BenchResult {
  const common = { name: entry.name, unit: entry.unit, goal: entry.goal.statement };
  if ('skipped' in outcome) {
    return { ...common, value: null, floor: null, ratio: null, meetsGoal: false, skipped: outcome.skipped };
  }
  const { value, floor } = outcome;
  const ratio = floor === null || floor === 0 ? null : value / floor;
  return {
    name: entry.name,
    value: rounded(value),
    unit: entry.unit,
    floor: floor === null ? null : rounded(floor),
    ratio: ratio === null ? null : rounded(ratio),
    goal: entry.goal.statement,
    meetsGoal: entry.goal.met({ value, floor, ratio }),
    ...outcome.details,
  };
}

function table(results: readonly BenchResult[]): string {
  const rows = [
    ['name', 'value', 'floor', 'ratio', 'goal', 'meets'],
    ...results.map((r) => [
      r.name,
      r.value === null ? '—' : `${r.value} ${r.unit}`,
      r.floor === null ? '—' : `${r.floor} ${r.unit}`,
      r.ratio === null ? '—' : String(r.ratio),
      r.goal,
      r.skipped === undefined ? (r.meetsGoal ? 'yes' : 'NO') : `skipped: ${r.skipped}`,
    ]),
  ];
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  '),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  const only = values.only?.split(',').map((name) => name.trim());
  const entries = (await loadEntries()).filter((entry) => !only || only.includes(entry.name));
  const results = new Map<string, BenchResult>();
  const resources: { started: Promise<unknown>; stop: (value: unknown) => Promise<void> }[] = [];
  const byKey = new Map<string, Promise<unknown>>();
  const ctx: BenchContext = {
    results,
    log: (line) => console.error(`  ${line}`),
    shared<T>(key: string, start: () => Promise<T>, stop: (value: T) => Promise<void>): Promise<T> {
      const known = byKey.get(key);
      if (known) return known as Promise<T>;
      const started = start();
      byKey.set(key, started);
      resources.push({ started, stop: (value) => stop(value as T) });
      return started;
    },
  };
  try {
    for (const entry of entries) {
      console.error(`${entry.name}…`);
      let outcome: Measurement | Skipped;
      try {
        outcome = await entry.run(ctx);
      } catch (error) {
        // A figure we could not take is recorded with the reason, and the run goes on.
        const message = error instanceof Error ? error.message : String(error);
        outcome = { skipped: `failed: ${message.split('\n')[0] ?? ''}` };
      }
      results.set(entry.name, resultOf(entry, outcome));
    }
  } finally {
    for (const { started, stop } of resources.reverse()) {
      // A resource that failed to start has nothing to stop.
      const value = await started.catch(() => undefined);
      if (value !== undefined)
        await stop(value).catch((error: unknown) => console.error(`  cleanup failed: ${String(error)}`));
    }
  }
  const all = [...results.values()];
  const machine = await machineInfo();
  console.log(table(all));
  console.log(
    `\n${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.chromium ?? 'no Chromium'}`,
  );
  if (!only) {
    await writeFile(RESULTS_FILE, `${JSON.stringify({ machine, results: all }, null, 2)}\n`);
    console.log(`wrote ${RESULTS_FILE.pathname}`);
  }
}

await main();
