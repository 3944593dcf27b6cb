// The guided setup as a newcomer does it: open the demo's Wizard URL, click through every step
// with the defaults, run the curl test from the router, and open the live status window, which
// shows every BGP neighbor Established; on the Done step, export the bundle and read the zip. Saves
// the README's step screenshots on the way, and prints how long it took from opening the page to a
// passing test.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  launchBrowser,
  neighborStates,
  openStatusWindow,
  runGuidedSetup,
  screenshot,
  skipWithoutChromium,
  startDemoWithApp,
  waitForAllEstablished,
  watchedPage,
} from './testing.ts';
import type { DemoWithApp, SetupResult, WatchedPage } from './testing.ts';

/** The acceptance bound for a new user; clicking at machine speed takes seconds. */
const NEWCOMER_BUDGET_MS = 3 * 60_000;
/**
 * The demo as `npm run demo` starts it, with its simulated delays (sessions and pods take a moment),
 * so this run meets the setup as a newcomer does; E2E_FAST=1 drops them.
 */
const DEMO_ARGS = process.env['E2E_FAST'] === '1' ? ['--fast'] : [];

describe.skipIf(skipWithoutChromium('the guided setup'))('the guided setup, clicked through', () => {
  let demo: DemoWithApp;
  let browser: Browser;
  let app: WatchedPage;
  let setup: SetupResult;
  let elapsedMs: number;
  let status: Page;
  /** The lab's nodes, from the topology file the demo wrote: name → address. */
  let nodes: Map<string, string>;

  beforeAll(async () => {
    demo = await startDemoWithApp(DEMO_ARGS);
    const lab = parseYaml(await readFile(demo.line.topology, 'utf8')) as {
      cluster: { nodes: { name: string; address: string }[] };
    };
    nodes = new Map(lab.cluster.nodes.map((n) => [n.name, n.address]));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('goes from the Wizard URL to a passing curl test with the defaults', async () => {
    const startedAt = performance.now();
    app = await watchedPage(browser, demo.url);
    setup = await runGuidedSetup(app.page, { shot: (name) => screenshot(app.page, name) });
    elapsedMs = performance.now() - startedAt;
    const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `e2e: page open to passing curl test in ${seconds(elapsedMs)} ` +
        `(${seconds(elapsedMs - setup.screenshotMs)} without saving screenshots); per step (ms): ` +
        JSON.stringify(setup.stepMs),
    );

    expect(setup.hostKeyOffered).toBe(demo.line.router.hostKeySha256);
    expect(setup.routerVersion).toMatch(/^v?\d/);
    expect(setup.routerMessage).toMatch(/verified and saved/);
    expect(setup.curl.attempts).toBeGreaterThan(0);
    expect(setup.curl.succeeded).toBe(setup.curl.attempts);
    const answering = Object.entries(setup.curl.byNode).filter(([, n]) => n > 0);
    expect(answering.length).toBeGreaterThanOrEqual(1);
    for (const [node] of answering) expect([...nodes.keys()]).toContain(node);
    expect(answering.reduce((sum, [, n]) => sum + n, 0)).toBe(setup.curl.succeeded);
    expect(elapsedMs).toBeLessThan(NEWCOMER_BUDGET_MS);
  });

  it('exports the bundle: the topology, the router commands, a manifest that hashes them, no password', async () => {
    const { page } = app;
    await page.getByTestId('step-done').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-bundle').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const entries = unzipSync(new Uint8Array(await readFile(await download.path())));
    const text = (name: string): string => strFromU8(entries[name] ?? new Uint8Array());
    expect(Object.keys(entries)).toEqual(
      expect.arrayContaining(['topology.yaml', 'router/commands.txt', 'manifest.json']),
    );

    const { router } = demo.line;
    const topology = parseYaml(text('topology.yaml')) as {
      router: { ssh: { host: string; port: number }; dialect: string };
    };
    expect(topology.router.ssh).toMatchObject({ host: router.host, port: router.port });
    expect(topology.router.dialect).toBe(router.dialect);
    const commands = text('router/commands.txt');
    for (const node of nodes.keys()) expect(commands).toContain(`mbw-${node}`);
    expect(commands).toMatch(/^set protocols bgp /m);

    const manifest = JSON.parse(text('manifest.json')) as { dialect: string; files: Record<string, string> };
    expect(manifest.dialect).toBe(router.dialect);
    expect(Object.keys(manifest.files).sort()).toEqual(
      Object.keys(entries)
        .filter((name) => name !== 'manifest.json')
        .sort(),
    );
    for (const [name, sha256] of Object.entries(manifest.files)) {
      expect(createHash('sha256').update(entries[name]!).digest('hex'), name).toBe(sha256);
    }
    for (const [name, bytes] of Object.entries(entries)) {
      expect(strFromU8(bytes).includes(router.password), `${name} holds the router password`).toBe(false);
    }
    const listed = await page.getByTestId('export-done').locator('li').allTextContents();
    await screenshot(page, '08-done');
    // The page lists what the manifest vouches for.
    expect(listed.sort()).toEqual(Object.keys(manifest.files).sort());
  });

  it('opens the live status window with every neighbor Established and the Service routed', async () => {
    status = await openStatusWindow(app.page, app.context);
    await waitForAllEstablished(status);
    const states = await neighborStates(status);
    expect(states).toEqual(
      Object.fromEntries([...nodes.values()].map((address) => [address, 'Established'])),
    );
    const routed = await status
      .getByTestId('route-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-prefix')));
    expect(routed).toContain(`${setup.curl.ip}/32`);
    await status.getByTestId('topology-diagram').waitFor();
    await screenshot(status, '09-status');
  });

  it('had no console error and no failed request in the wizard or the status window', () => {
    expect(app.problems()).toEqual([]);
  });
});
