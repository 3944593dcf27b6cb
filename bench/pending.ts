// Entries whose measurement is not written yet. They still appear in results.json, as skipped,
// with what is missing on this machine and what is left to write, so nobody mistakes an absent
// figure for a met goal. Replace an entry's file with its measurement to fill it in.
import { access } from 'node:fs/promises';
import { realLabSkipReason } from '../lab/netns/testing.ts';
import { commandOutput } from './machine.ts';
import type { BenchEntry, Goal } from './types.ts';

export type Requirement = 'root' | 'frr' | 'chromium' | 'renderer-build';

const RENDERER_BUILD = new URL('../out/renderer/index.html', import.meta.url);

async function missing(requirement: Requirement): Promise<string | null> {
  switch (requirement) {
    case 'root':
      return process.getuid?.() === 0 ? null : 'root (the real lab uses network namespaces)';
    case 'frr': {
      // The real lab's own check: Linux, root and every FRR part it runs.
      const reason = await realLabSkipReason();
      return reason === null ? null : `the real lab (${reason})`;
    }
    case 'chromium':
      return (await commandOutput('chromium', ['--version'])) === null ? 'Chromium' : null;
    case 'renderer-build':
      return access(RENDERER_BUILD).then(
        () => null,
        () => 'a built renderer (npm run build)',
      );
  }
}

export function pendingEntry(
  name: string,
  unit: string,
  goal: Goal,
  requirements: readonly Requirement[],
  howTo: string,
): BenchEntry {
  return {
    name,
    unit,
    goal,
    async run() {
      const lacking = (await Promise.all(requirements.map(missing))).filter((m): m is string => m !== null);
      const needs = lacking.length > 0 ? `needs ${lacking.join(', ')}; ` : '';
      return { skipped: `${needs}not measured yet: ${howTo}` };
    },
  };
}
