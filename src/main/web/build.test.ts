// When browser mode rebuilds: output missing, or older than any renderer/shared source (and, for
// the desktop app, main and preload too). Checked on a scratch tree with set modification times.

import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReason, ensureBuilt } from './build.ts';

const root = mkdtempSync(join(tmpdir(), 'mbw-build-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes `path` under the scratch root with the given modification time (seconds). */
function file(path: string, mtime: number): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, path);
  utimesSync(full, mtime, mtime);
}

describe('buildReason', () => {
  it('names the missing output, then the newer source, then is satisfied', async () => {
    file('src/renderer/main.tsx', 1000);
    file('src/shared/contract.ts', 1000);
    file('src/main/index.ts', 1000);
    expect(await buildReason({ root, electron: false })).toBe('out/renderer/index.html is missing');
    file('out/renderer/index.html', 2000);
    expect(await buildReason({ root, electron: false })).toBeNull();
    // ensureBuilt does nothing (and runs no build) when the output is fresh.
    expect(await ensureBuilt({ root, electron: false })).toBe(false);

    file('src/shared/plan/deep/newer.ts', 3000);
    expect(await buildReason({ root, electron: false })).toBe(
      'the build is older than src/shared/plan/deep/newer.ts',
    );
    file('out/renderer/index.html', 4000);
    expect(await buildReason({ root, electron: false })).toBeNull();
    file('electron.vite.config.ts', 5000);
    expect(await buildReason({ root, electron: false })).toBe(
      'the build is older than electron.vite.config.ts',
    );
    file('out/renderer/index.html', 6000);
  });

  it('for the desktop app also wants main and preload, and watches their sources', async () => {
    expect(await buildReason({ root, electron: true })).toBe('out/main/index.js is missing');
    file('out/main/index.js', 6000);
    file('out/preload/index.cjs', 6000);
    expect(await buildReason({ root, electron: true })).toBeNull();
    file('src/main/services/index.ts', 7000);
    expect(await buildReason({ root, electron: true })).toBe(
      'the build is older than src/main/services/index.ts',
    );
    // The renderer alone does not depend on main.
    expect(await buildReason({ root, electron: false })).toBeNull();
  });
});
