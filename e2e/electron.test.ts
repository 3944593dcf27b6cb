// The desktop shell's smoke test: playwright-core's `_electron` starts the built app
// (out/main/index.js), and the window it opens has the preload's contract and nothing of Node.
// It runs where an Electron binary is installed and there is a display; elsewhere it says why not.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _electron } from 'playwright-core';
import type { ElectronApplication, Page } from 'playwright-core';
import type { AppInfo, Envelope } from '../src/shared/contract.ts';
import { electronBinary } from '../lab/demo.ts';
import { REPO_ROOT } from './testing.ts';

function electronSkipReason(): string | null {
  if (electronBinary(REPO_ROOT) === null) {
    return 'no Electron binary is installed (node_modules/electron/dist is missing: npm ci downloads it unless ELECTRON_SKIP_BINARY_DOWNLOAD is set)';
  }
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    return 'there is no display (set DISPLAY, e.g. run under xvfb-run)';
  }
  return null;
}

const skipReason = electronSkipReason();
if (skipReason !== null) console.warn(`e2e: skipping the Electron smoke test: ${skipReason}`);

describe.skipIf(skipReason !== null)('Electron smoke test', () => {
  let app: ElectronApplication;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [join(REPO_ROOT, 'src/main/web/build.ts'), '--electron'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`building the desktop app failed: ${build.stderr}`);
    app = await _electron.launch({
      executablePath: electronBinary(REPO_ROOT) ?? '',
      // Root cannot use Chromium's sandbox (containers in CI).
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), join(REPO_ROOT, 'out/main/index.js')],
      cwd: REPO_ROOT,
    });
    page = await app.firstWindow();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.waitForLoadState('load');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('opens the wizard window with the contract and without Node', async () => {
    expect(await page.title()).toBe('MetalLB BGP Wizard');
    const exposed = await page.evaluate(() => ({
      mbw: Object.keys((window as unknown as { mbw?: object }).mbw ?? {}).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(exposed).toEqual({ mbw: ['call', 'onEvent'], require: 'undefined', process: 'undefined' });
  });

  it('answers app.info through IPC as the Electron shell', async () => {
    const info = (await page.evaluate(() =>
      (window as unknown as { mbw: { call(c: string, r: object): Promise<unknown> } }).mbw.call(
        'app.info',
        {},
      ),
    )) as Envelope<AppInfo>;
    expect(info.ok).toBe(true);
    if (info.ok) expect(info.value.shell).toBe('electron');
    expect(errors).toEqual([]);
  });
});
