// The e2e harness: the demo lab with the wizard in browser mode (a child process, as a user starts
// it), Debian's Chromium driven by playwright-core, a page that records every console error and
// failed request (each test asserts there were none), and screenshots for the README.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const REPO_ROOT = resolve(import.meta.dirname, '..');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'docs/screenshots');
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** The first start builds the renderer when it is stale. */
const DEMO_BUDGET_MS = 120_000;
const STOP_GRACE_MS = 5_000;

/** Why the browser tests cannot run here, or null. Printed by the suites that skip. */
export function chromiumMissingReason(): string | null {
  if (existsSync(CHROMIUM)) return null;
  return `no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`;
}

/** For `describe.skipIf(...)`: true (after saying why) when Chromium is missing. */
export function skipWithoutChromium(suite: string): boolean {
  const reason = chromiumMissingReason();
  if (reason !== null) console.warn(`e2e: skipping "${suite}": ${reason}`);
  return reason !== null;
}

export interface DemoAppLine {
  router: {
    host: string;
    port: number;
    username: string;
    password: string;
    hostKeySha256: string;
    dialect: string;
  };
  kubeconfig: string;
  topology: string;
  app: { shell: 'browser'; url: string };
}

export interface DemoWithApp {
  line: DemoAppLine;
  /** The wizard's URL, with its token. */
  url: string;
  /** What the demo (and the app it started) wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * `lab/demo.ts --json --browser --no-open …args`: the lab and the wizard in browser mode. Resolves
 * with the ready line (it carries `app.url`); `stop()` stops both, as Ctrl-C would.
 */
export function startDemoWithApp(args: string[] = [], budgetMs = DEMO_BUDGET_MS): Promise<DemoWithApp> {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'lab/demo.ts'), '--json', '--browser', '--no-open', ...args],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = (): Promise<void> => stopChild(child);
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the demo with the app was not ready within ${budgetMs} ms; stderr: ${stderr}`));
    }, budgetMs);
    createInterface({ input: child.stdout }).once('line', (text) => {
      clearTimeout(timer);
      const line = JSON.parse(text) as DemoAppLine;
      if (line.app?.shell !== 'browser' || typeof line.app.url !== 'string') {
        void stop();
        reject(new Error(`the demo's ready line has no browser-mode app: ${text}`));
        return;
      }
      resolvePromise({ line, url: line.app.url, stderr: () => stderr, stop });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${signal ?? code}) before it was ready; stderr: ${stderr}`));
    });
  });
}

/** Headless Debian Chromium through playwright-core (no downloaded browser). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught page errors, as text. */
  consoleErrors: string[];
  /** Requests that failed outright or were answered with 4xx/5xx: "METHOD URL: why". */
  failedRequests: string[];
  /** Both lists together, for one `expect(...).toEqual([])`. */
  problems(): string[];
  close(): Promise<void>;
}

/** A fresh context and page that records what went wrong; opens `url` when given. */
export async function watchedPage(browser: Browser, url?: string): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    consoleErrors.push(where ? `${message.text()} (${where})` : message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) =>
    failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) {
      failedRequests.push(`${response.request().method()} ${response.url()}: HTTP ${response.status()}`);
    }
  });
  if (url !== undefined) await page.goto(url, { waitUntil: 'load' });
  return {
    page,
    context,
    consoleErrors,
    failedRequests,
    problems: () => [...consoleErrors, ...failedRequests],
    close: () => context.close(),
  };
}

/** Saves `docs/screenshots/NAME.png` (NAME: lower-case words joined by '-'); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name)) {
    throw new Error(`screenshot name "${name}": use lower-case letters, digits and '-'`);
  }
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
