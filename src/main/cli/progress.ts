// Progress on stderr: a bar that redraws in place on a terminal, plain lines otherwise. Results go
// to stdout, so `--json` output stays clean for scripts.

import type { OperationEvent } from '../../shared/contract.ts';
import { escapeInvisible } from '../../shared/net/index.ts';

const BAR_WIDTH = 24;

export function progressBar(percent: number): string {
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(Math.round(percent)).padStart(3)}%`;
}

export function progressLineOf(event: OperationEvent): string | null {
  switch (event.kind) {
    case 'progress': {
      const p = event.progress;
      const percent = p.percent === undefined ? '' : ` ${Math.round(p.percent)}%`;
      return `${p.operation} ${p.step}: ${p.status}${percent}${p.log ? ` - ${p.log}` : ''}`;
    }
    case 'outage':
      return `router unreachable since ${event.since}: ${event.message}`;
    case 'recovered':
      return `router reachable again after ${(event.downMs / 1000).toFixed(1)} s`;
    case 'status':
      return null;
  }
}

export function progressPrinter(
  io: { stderr: (text: string) => void },
  options: { interactive: boolean; quiet: boolean; json: boolean },
): (event: OperationEvent) => void {
  let barShown = false;
  return (event) => {
    if (options.quiet) return;
    const line = progressLineOf(event);
    if (line === null) return;
    if (options.interactive && event.kind === 'progress' && event.progress.percent !== undefined) {
      const text = escapeInvisible(
        `${progressBar(event.progress.percent)} ${event.progress.operation} ${event.progress.step}`,
      );
      io.stderr(`\r\u001b[2K${text.slice(0, 100)}`);
      barShown = true;
      if (event.progress.status !== 'failed') return;
    }
    io.stderr(`${barShown ? '\r\u001b[2K' : ''}${escapeInvisible(line)}\n`);
    barShown = false;
  };
}
