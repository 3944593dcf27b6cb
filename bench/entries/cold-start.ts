// ms from launching browser mode (`npm run app`'s `node bin/metallb-bgp-wizard-app.js --no-open --port 0`, a fresh data
// directory, no preset) to an interactive first step in Chromium (the welcome step shown and its
// Next button enabled), beside the minimal Vite + React app served by a tiny static server
// started the same way and loaded until its text shows. Chromium is already running; each run
// opens a fresh browser context (empty cache).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, Page } from 'playwright-core';
import { sharedChromium, VIEWPORT } from '../chromium.ts';
import { valueBelow } from '../goals.ts';
import { median } from '../measure.ts';
import type { BenchEntry } from '../types.ts';
import { FLOOR_TEXT, REPO_ROOT, builtRenderer, floorApp } from '../web-app.ts';

const RUNS = 7;
const STEP_TIMEOUT_MS = 30_000;
const BROWSER_MODE = path.join(REPO_ROOT, 'bin/metallb-bgp-wizard-app.js');
const STATIC_SERVER = path.join(REPO_ROOT, 'bench/static-server.ts');

interface Started {
  child: ChildProcess;
  url: string;
}

/** Spawns a server that prints its URL (matched by `urlOf`) on stdout, and waits for that line. */
function startServer(
  args: string[],
  env: NodeJS.ProcessEnv,
  urlOf: (line: string) => string | null,
): Promise<Started> {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${args[0] ?? ''} printed no URL within ${STEP_TIMEOUT_MS} ms`)),
      STEP_TIMEOUT_MS,
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      const url = urlOf(line);
      if (url === null) return;
      clearTimeout(timer);
      resolve({ child, url });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${path.basename(args[0] ?? '')} exited (${code}) before serving: ${stderr.trim()}`));
    });
  });
}

async function stopServer({ child }: Started): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function wizardInteractive(page: Page): Promise<unknown> {
  return page.waitForFunction(
    () => {
      const next = document.querySelector<HTMLButtonElement>('[data-testid="wizard-next"]');
      return (
        document.querySelector('[data-testid="step-welcome"]') !== null && next !== null && !next.disabled
      );
    },
    undefined,
    { polling: 'raf', timeout: STEP_TIMEOUT_MS },
  );
}

function floorShown(page: Page): Promise<unknown> {
  return page.waitForFunction((text) => document.body.innerText.includes(text), FLOOR_TEXT, {
    polling: 'raf',
    timeout: STEP_TIMEOUT_MS,
  });
}

/** One cold start: launch the server, open a fresh context on its URL, wait until `ready`. */
async function coldStartMs(
  browser: Browser,
  launch: () => Promise<Started>,
  ready: (page: Page) => Promise<unknown>,
): Promise<{ total: number; server: number }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const start = performance.now();
  const server = await launch();
  const serving = performance.now() - start;
  try {
    await page.goto(server.url, { waitUntil: 'commit' });
    await ready(page);
    return { total: performance.now() - start, server: serving };
  } finally {
    await context.close();
    await stopServer(server);
  }
}

const entry: BenchEntry = {
  name: 'cold-start',
  unit: 'ms',
  goal: valueBelow(1500, 'ms'),
  async run(ctx) {
    const browser = await sharedChromium(ctx);
    if ('skipped' in browser) return browser;
    await builtRenderer(ctx); // built before timing: browser mode would build a stale renderer first
    const floorDir = await floorApp(ctx);
    const home = await mkdtemp(path.join(os.tmpdir(), 'mbw-bench-home-'));
    // A first launch: no saved setup, so the wizard opens on its welcome step.
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
    const wizard = (): Promise<Started> =>
      startServer(
        [BROWSER_MODE, '--no-open', '--port', '0'],
        env,
        (line) => /^Wizard: (\S+)/.exec(line)?.[1] ?? null,
      );
    const floor = (): Promise<Started> =>
      startServer([STATIC_SERVER, floorDir], process.env, (line) => (line.startsWith('http') ? line : null));
    try {
      await coldStartMs(browser, wizard, wizardInteractive); // warm-up: the OS file cache, V8's code cache
      await coldStartMs(browser, floor, floorShown);
      const values: { total: number; server: number }[] = [];
      const floors: { total: number; server: number }[] = [];
      for (let i = 0; i < RUNS; i++) {
        values.push(await coldStartMs(browser, wizard, wizardInteractive));
        floors.push(await coldStartMs(browser, floor, floorShown));
      }
      return {
        value: median(values.map((run) => run.total)),
        floor: median(floors.map((run) => run.total)),
        details: {
          runs: RUNS,
          valuesMs: values.map((run) => Math.round(run.total)),
          floorsMs: floors.map((run) => Math.round(run.total)),
          // Launch to the printed URL: where the wizard's start-up goes before the page loads.
          serverReadyMs: Math.round(median(values.map((run) => run.server))),
          floorServerReadyMs: Math.round(median(floors.map((run) => run.server))),
        },
      };
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  },
};

export default entry;
