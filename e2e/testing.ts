// The e2e harness: the demo lab with the wizard in browser mode (a child process, as a user starts
// it), Debian's Chromium driven by playwright-core, a page that records every console error and
// failed request (each test asserts there were none), and screenshots for the README.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
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
 * with the ready line (it carries `app.url`); `stop()` stops both, as Ctrl-C would. `env` is laid
 * over this process's environment for the demo and the app it starts (HOME and XDG_CONFIG_HOME
 * choose the app's data directory).
 */
export function startDemoWithApp(
  args: string[] = [],
  budgetMs = DEMO_BUDGET_MS,
  env: NodeJS.ProcessEnv = {},
): Promise<DemoWithApp> {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'lab/demo.ts'), '--json', '--browser', '--no-open', ...args],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
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

const CONTEXT_OPTIONS = { viewport: { width: 1280, height: 860 }, acceptDownloads: true };

/**
 * A fresh context and page that records what went wrong; opens `url` when given. It listens on the
 * context, so the pages the app opens itself (the status window) are watched from their first request.
 */
export async function watchedPage(browser: Browser, url?: string): Promise<WatchedPage> {
  const context = await browser.newContext(CONTEXT_OPTIONS);
  return watchedContext(context, await context.newPage(), url);
}

/**
 * Like watchedPage, but in a Chromium of its own with a persistent profile in `userDataDir`, so the
 * browser writes what the pages store to disk as a user's browser does (a `newContext` keeps it in
 * memory). Closing it closes that Chromium; the profile stays for the caller to read and delete.
 */
export async function watchedPersistentPage(userDataDir: string, url?: string): Promise<WatchedPage> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    ...CONTEXT_OPTIONS,
  });
  return watchedContext(context, context.pages()[0] ?? (await context.newPage()), url);
}

async function watchedContext(context: BrowserContext, page: Page, url?: string): Promise<WatchedPage> {
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    consoleErrors.push(where ? `${message.text()} (${where})` : message.text());
  });
  context.on('weberror', (error) => consoleErrors.push(`uncaught: ${error.error().message}`));
  context.on('requestfailed', (request) =>
    failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`),
  );
  context.on('response', (response) => {
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
  // A full-page capture of a scrolled page misplaces the fixed header and step list.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// ---- the wizard, clicked through as a user would ----

const STEP_BUDGET_MS = 60_000;

export function byTestId(id: string): string {
  return `[data-testid="${id}"]`;
}

/** Waits until the shown step is `id` (its panel, not only the step list). */
export async function waitForStep(page: Page, id: string): Promise<void> {
  await page.locator(byTestId(`step-${id}`)).waitFor({ timeout: STEP_BUDGET_MS });
}

/** Clicks Next once it is enabled and waits for step `to`. */
export async function goNext(page: Page, to: string): Promise<void> {
  await page.locator(`${byTestId('wizard-next')}:not([disabled])`).click({ timeout: STEP_BUDGET_MS });
  await waitForStep(page, to);
}

/** The text of the element an input's `aria-describedby` names: its message beside the field. */
export async function describedText(page: Page, testId: string): Promise<string> {
  const input = page.locator(`input${byTestId(testId)}, textarea${byTestId(testId)}`);
  const ids = (await input.getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(
    ids
      .split(/\s+/)
      .filter((id) => id !== '')
      .map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  return texts.join(' ').trim();
}

/** Waits until the Topology step's check has settled on "Valid". */
export async function waitForValidTopology(page: Page): Promise<void> {
  await page.locator(byTestId('field-router.asn')).waitFor({ timeout: STEP_BUDGET_MS });
  await page
    .locator(byTestId('topology-check-state'))
    .getByText('Valid', { exact: true })
    .waitFor({ timeout: STEP_BUDGET_MS });
}

export interface RouterSignIn {
  /** Another SSH port than the preset's (a proxy in front of the router). */
  port?: number;
  /** Sign in with this password instead of the one the app holds. */
  password?: string;
  /** Sign in with this private key file (and its passphrase) instead; wins over `password`. */
  key?: { file: string; passphrase?: string };
}

/** Fills the Router step's form as `signIn` says, without connecting. */
export async function fillRouterSignIn(page: Page, signIn: RouterSignIn): Promise<void> {
  if (signIn.port !== undefined) await page.getByTestId('router-port').fill(String(signIn.port));
  if (signIn.key !== undefined) {
    await page.getByTestId('router-auth').getByText('Key file', { exact: true }).click();
    await page.getByTestId('router-key-file').fill(signIn.key.file);
    await page.getByTestId('router-key-passphrase').fill(signIn.key.passphrase ?? '');
  } else if (signIn.password !== undefined) {
    await page.getByTestId('router-auth').getByText('Password', { exact: true }).click();
    await page.getByTestId('router-password').fill(signIn.password);
  }
}

/**
 * Connects on the Router step, trusting the host key when asked; returns the fingerprint that was
 * offered (null when the key was pinned already) and the detected version.
 */
export async function connectRouterStep(
  page: Page,
  signIn: RouterSignIn = {},
): Promise<{ offered: string | null; version: string }> {
  await fillRouterSignIn(page, signIn);
  return submitRouterSignIn(page);
}

/** Clicks Connect on the filled Router step and trusts the host key when asked (see connectRouterStep). */
export async function submitRouterSignIn(page: Page): Promise<{ offered: string | null; version: string }> {
  const connected = page.getByTestId('router-connected');
  // A second sign-in on a connected step: wait for the answer to this click, not the previous one.
  const wasConnected = await connected.isVisible();
  await page.getByTestId('router-connect').click();
  // The click hides it at once (React flushes a click's update before the click returns); should the
  // new connection already be up by the time we look, it is shown again and there is nothing to wait for.
  if (wasConnected) await connected.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  const confirm = page.getByTestId('host-key-confirm');
  const failed = page.getByTestId('router-error');
  await confirm.or(connected).or(failed).first().waitFor({ timeout: STEP_BUDGET_MS });
  if (await failed.isVisible()) {
    throw new Error(`the Router step could not connect: ${((await failed.textContent()) ?? '').trim()}`);
  }
  let offered: string | null = null;
  if (await confirm.isVisible()) {
    offered = ((await page.getByTestId('host-key-fingerprint').textContent()) ?? '').trim();
    await page.getByTestId('host-key-trust').click();
    await connected.waitFor({ timeout: STEP_BUDGET_MS });
  }
  const version = ((await page.getByTestId('router-version').textContent()) ?? '').trim();
  return { offered, version };
}

export interface CurlResult {
  succeeded: number;
  attempts: number;
  /** What was curled, as the summary names it ("default/mbw-echo (10.77.100.32)"). */
  target: string;
  /** The address curled. */
  ip: string;
  byNode: Record<string, number>;
}

/** The Test step: deploys the echo service when offered, picks the first Service, runs curl. */
export async function runCurlTest(page: Page): Promise<CurlResult> {
  const deploy = page.getByTestId('echo-deploy');
  const service = page.getByTestId('test-service');
  await deploy.or(service).first().waitFor({ timeout: STEP_BUDGET_MS });
  if (await deploy.isVisible()) await deploy.click();
  await service.click({ timeout: STEP_BUDGET_MS });
  await page.getByRole('option').first().click();
  await page.locator(`${byTestId('test-run')}:not([disabled])`).click();
  await page.getByTestId('test-result').waitFor({ timeout: STEP_BUDGET_MS });
  const title = (await page.getByTestId('test-summary').textContent()) ?? '';
  const counts = /(\d+) of (\d+) requests to (.+?) answered/.exec(title);
  const ip = /\b(\d{1,3}(?:\.\d{1,3}){3})\b/.exec(counts?.[3] ?? '')?.[1];
  if (!counts || ip === undefined) throw new Error(`the test summary does not say what answered: "${title}"`);
  const byNode: Record<string, number> = {};
  for (const row of await page.getByTestId('test-by-node').locator('tr').all()) {
    const [node, count] = await row.locator('td').allTextContents();
    if (node !== undefined && count !== undefined) byNode[node.trim()] = Number(count);
  }
  // The chart loads lazily: a passing test shows it before the user moves on.
  if (Object.keys(byNode).length > 0) {
    await page.getByTestId('test-by-node-chart').waitFor({ timeout: STEP_BUDGET_MS });
  }
  return { succeeded: Number(counts[1]), attempts: Number(counts[2]), target: counts[3] ?? '', ip, byNode };
}

export interface SetupOptions extends RouterSignIn {
  /** Called at each step once it shows its result (for the README's screenshots). */
  shot?: (name: string) => Promise<unknown>;
  /** Does the Router step instead of `connectRouterStep(page, options)` (several sign-ins, checks between). */
  routerStep?: (page: Page) => Promise<{ offered: string | null; version: string }>;
}

export interface SetupResult {
  hostKeyOffered: string | null;
  routerVersion: string;
  routerMessage: string;
  curl: CurlResult;
  /** Milliseconds from one step's result to the next one's (screenshots not counted). */
  stepMs: Record<string, number>;
  /** Time spent saving screenshots, to tell apart from the user's time. */
  screenshotMs: number;
}

/**
 * The whole first-time setup with the defaults, from Welcome to the Done step's buttons, with a
 * screenshot of steps 1-7 (01-welcome … 07-test) through `shot`.
 */
export async function runGuidedSetup(page: Page, options: SetupOptions = {}): Promise<SetupResult> {
  const stepMs: Record<string, number> = {};
  let screenshotMs = 0;
  let last = performance.now();
  // Each step's time counts from the previous step's result to this one's, without the screenshot.
  const shot = async (name: string): Promise<void> => {
    const now = performance.now();
    stepMs[name.replace(/^\d+-/, '')] = Math.round(now - last);
    await options.shot?.(name);
    last = performance.now();
    screenshotMs += last - now;
  };
  await waitForStep(page, 'welcome');
  await shot('01-welcome');
  await goNext(page, 'cluster');

  await page.getByTestId('cluster-test').click();
  await page.getByTestId('cluster-probe').waitFor({ timeout: STEP_BUDGET_MS });
  await shot('02-cluster');
  await goNext(page, 'router');

  const router = await (options.routerStep ?? ((p: Page) => connectRouterStep(p, options)))(page);
  await shot('03-router');
  await goNext(page, 'topology');

  await waitForValidTopology(page);
  await shot('04-topology');
  await goNext(page, 'review');

  await page.getByTestId('review-preview').waitFor({ timeout: STEP_BUDGET_MS });
  await page.locator(`${byTestId('wizard-next')}:not([disabled])`).waitFor({ timeout: STEP_BUDGET_MS });
  await shot('05-review');
  await goNext(page, 'apply');

  await page.getByTestId('apply-run').click();
  await page.getByTestId('apply-done').waitFor({ timeout: STEP_BUDGET_MS });
  const routerMessage = ((await page.getByTestId('apply-router-message').textContent()) ?? '').trim();
  await shot('06-apply');
  await goNext(page, 'test');

  const curl = await runCurlTest(page);
  await shot('07-test');
  await goNext(page, 'done');
  // The Done panel loads lazily; the caller takes its screenshot once it has used it.
  await page.getByTestId('export-bundle').waitFor({ timeout: STEP_BUDGET_MS });
  stepMs['done'] = Math.round(performance.now() - last);
  return {
    hostKeyOffered: router.offered,
    routerVersion: router.version,
    routerMessage,
    curl,
    stepMs,
    screenshotMs: Math.round(screenshotMs),
  };
}

/** Clicks "Open status window" on the Done step and returns the window once its neighbors show. */
export async function openStatusWindow(page: Page, context: BrowserContext): Promise<Page> {
  const [status] = await Promise.all([context.waitForEvent('page'), page.getByTestId('open-status').click()]);
  await status.waitForLoadState('load');
  await status.getByTestId('neighbors-summary').waitFor({ timeout: STEP_BUDGET_MS });
  return status;
}

/** Waits until the status window says every neighbor is Established with prefixes. */
export async function waitForAllEstablished(status: Page): Promise<void> {
  await status
    .locator(`${byTestId('neighbors-summary')}[data-all-established="true"]`)
    .waitFor({ timeout: STEP_BUDGET_MS });
}

/** Each neighbor row's address and state, as the status window shows them. */
export async function neighborStates(status: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const row of await status.getByTestId('neighbor-row').all()) {
    out[(await row.getAttribute('data-address')) ?? '?'] = (await row.getAttribute('data-state')) ?? '?';
  }
  return out;
}

// ---- a router that drops and comes back ----

export interface RouterProxy {
  /** The port the app is told to use for the router's SSH. */
  port: number;
  /** The router goes away: open connections are cut and new ones refused. */
  drop(): Promise<void>;
  /** The router answers again, on the same port. */
  restore(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A TCP relay in front of the router's SSH port. The wizard connects through it, so the test can
 * make the router vanish and return (as a reboot does) without reaching into the demo's process.
 */
export async function startRouterProxy(host: string, routerPort: number): Promise<RouterProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const relay = (client: Socket): void => {
    const upstream = connect({ host, port: routerPort });
    track(client);
    track(upstream);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  };
  let server = createServer(relay);
  const listen = (port: number): Promise<number> =>
    new Promise((resolvePort, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port));
    });
  const close = (): Promise<void> =>
    new Promise((resolveClose) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolveClose());
    });
  const port = await listen(0);
  return {
    port,
    drop: close,
    restore: async () => {
      server = createServer(relay);
      await listen(port);
    },
    stop: async () => {
      if (server.listening) await close();
    },
  };
}
