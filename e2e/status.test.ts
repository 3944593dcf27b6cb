// The live status window while the router goes away and comes back, on the VyOS dialect: the setup
// runs through a TCP relay in front of the router's SSH port (the user types the relay's port and
// the password), then the relay cuts every connection and refuses new ones, as a rebooting router
// does. The window shows the outage, keeps the last tables, and says when the router is back.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  byTestId,
  launchBrowser,
  neighborStates,
  openStatusWindow,
  runGuidedSetup,
  screenshot,
  skipWithoutChromium,
  startDemoWithApp,
  startRouterProxy,
  waitForAllEstablished,
  watchedPage,
} from './testing.ts';
import type { DemoWithApp, RouterProxy, SetupResult, WatchedPage } from './testing.ts';

/** Long enough to see the outage in the window; the watch retries at most every 1.5 s. */
const OUTAGE_BUDGET_MS = 30_000;

describe.skipIf(skipWithoutChromium('the status window during an outage'))(
  'the status window while the router drops and comes back (VyOS)',
  () => {
    let demo: DemoWithApp;
    let proxy: RouterProxy;
    let browser: Browser;
    let app: WatchedPage;
    let setup: SetupResult;
    let status: Page;

    beforeAll(async () => {
      demo = await startDemoWithApp(['--fast', '--dialect', 'vyos']);
      proxy = await startRouterProxy(demo.line.router.host, demo.line.router.port);
      browser = await launchBrowser();
    });

    afterAll(async () => {
      await browser?.close();
      await proxy?.stop();
      await demo?.stop();
    });

    it('sets up a VyOS router through apply and a passing curl test', async () => {
      app = await watchedPage(browser, demo.url);
      setup = await runGuidedSetup(app.page, { port: proxy.port, password: demo.line.router.password });
      expect(demo.line.router.dialect).toBe('vyos');
      expect(await app.page.getByTestId('nav-router').textContent()).toContain('VyOS');
      expect(setup.hostKeyOffered).toBe(demo.line.router.hostKeySha256);
      expect(setup.curl.attempts).toBeGreaterThan(0);
      expect(setup.curl.succeeded).toBe(setup.curl.attempts);
    });

    it('shows every neighbor Established before the drop', async () => {
      status = await openStatusWindow(app.page, app.context);
      await waitForAllEstablished(status);
      expect(Object.values(await neighborStates(status))).toEqual([
        'Established',
        'Established',
        'Established',
      ]);
      expect(await status.getByTestId('outage-banner').count()).toBe(0);
    });

    it('shows the outage while the router is gone, keeping the last tables', async () => {
      await proxy.drop();
      const banner = status.getByTestId('outage-banner');
      await banner.waitFor({ timeout: OUTAGE_BUDGET_MS });
      expect(await banner.textContent()).toMatch(/Router unreachable/);
      expect(await status.getByTestId('refresh-indicator').textContent()).toContain('Router unreachable');
      // The tables keep the last status until the router answers again.
      expect(await status.getByTestId('neighbor-row').count()).toBe(3);
      await screenshot(status, '12-outage');
    });

    it('says when the router is back, and the sessions are Established again', async () => {
      await proxy.restore();
      const banner = status.locator(byTestId('recovery-banner'));
      await banner.waitFor({ timeout: OUTAGE_BUDGET_MS });
      expect(Number(await banner.getAttribute('data-down-ms'))).toBeGreaterThan(0);
      await status.getByTestId('outage-banner').waitFor({ state: 'detached' });
      await status.locator(`${byTestId('refresh-indicator')}[data-phase="watching"]`).waitFor();
      await waitForAllEstablished(status);
      await screenshot(status, '13-recovered');
    });

    it('had no console error and no failed request in the wizard or the status window', () => {
      expect(app.problems()).toEqual([]);
    });
  },
);
