// Browser mode in a real Chromium against the demo lab: the page the demo's URL serves loads
// without a console error or a failed request, reaches main through the bridge (app.info and
// app.preset, answered by the same services as Electron and the CLI), and a wrong token is refused.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { AppInfo, AppPreset, Envelope } from '../src/shared/contract.ts';
import { launchBrowser, skipWithoutChromium, startDemoWithApp, watchedPage } from './testing.ts';
import type { DemoWithApp, WatchedPage } from './testing.ts';

/** Runs in the page: one call over a raw bridge WebSocket, as the renderer's client sends it. */
function callInPage(args: { token: string; channel: string }): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${location.host}/bridge?token=${encodeURIComponent(args.token)}`);
    socket.onopen = () => socket.send(JSON.stringify({ id: 'e2e', channel: args.channel, payload: {} }));
    socket.onmessage = (message) => {
      const reply = JSON.parse(String(message.data)) as { id?: string; envelope?: unknown };
      if (reply.id !== 'e2e') return;
      socket.close();
      resolve(reply.envelope);
    };
    socket.onerror = () => reject(new Error('the bridge refused the connection'));
  });
}

/** Runs in the page: whether a bridge WebSocket with this token opens. */
function opensInPage(token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://${location.host}/bridge?token=${encodeURIComponent(token)}`);
    socket.onopen = () => {
      socket.close();
      resolve(true);
    };
    socket.onerror = () => resolve(false);
  });
}

describe.skipIf(skipWithoutChromium('browser mode: the bridge from a real page'))(
  'browser mode: the bridge from a real page',
  () => {
    let demo: DemoWithApp;
    let browser: Browser;
    let app: WatchedPage;
    let token: string;

    beforeAll(async () => {
      demo = await startDemoWithApp(['--fast']);
      token = new URL(demo.url).hash.slice('#token='.length);
      browser = await launchBrowser();
      app = await watchedPage(browser, demo.url);
      await app.page.waitForFunction(() => (document.getElementById('root')?.childElementCount ?? 0) > 0);
    });

    afterAll(async () => {
      await browser?.close();
      await demo?.stop();
    });

    it('serves the wizard at the printed URL; the renderer keeps the token for this tab', async () => {
      expect(await app.page.title()).toBe('MetalLB BGP Wizard');
      expect(await app.page.evaluate(() => sessionStorage.getItem('mbw.bridgeToken'))).toBe(token);
    });

    it('answers app.info and app.preset through the real bridge, with the password only "held"', async () => {
      const info = (await app.page.evaluate(callInPage, { token, channel: 'app.info' })) as Envelope<AppInfo>;
      expect(info.ok).toBe(true);
      if (!info.ok) return;
      expect(info.value.shell).toBe('browser');
      expect(info.value.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(info.value.secretsPersistent).toBe(false);

      const preset = (await app.page.evaluate(callInPage, {
        token,
        channel: 'app.preset',
      })) as Envelope<AppPreset>;
      expect(preset.ok).toBe(true);
      if (!preset.ok) return;
      const { router } = demo.line;
      expect(preset.value.router).toEqual({
        host: router.host,
        port: router.port,
        username: router.username,
        passwordHeld: true,
        hostKey: router.hostKeySha256,
      });
      expect(preset.value.kubeconfig).toBe(demo.line.kubeconfig);
      expect(preset.value.topology?.fileName).toBe('topology.yaml');
      expect(preset.value.topology?.text).toContain(`port: ${router.port}`);
      expect(JSON.stringify(preset)).not.toContain(router.password);
    });

    it('had no console error and no failed request on the page', () => {
      expect(app.problems()).toEqual([]);
    });

    it('refuses a bridge connection with a wrong token, and Chromium reports the refusal', async () => {
      const other = await watchedPage(browser, demo.url);
      try {
        expect(await other.page.evaluate(opensInPage, `${token.slice(0, -2)}xx`)).toBe(false);
        expect(await other.page.evaluate(opensInPage, '')).toBe(false);
        expect(await other.page.evaluate(opensInPage, token)).toBe(true);
        expect(other.consoleErrors.filter((e) => /\/bridge\?token=.*failed.*403/.test(e))).toHaveLength(2);
      } finally {
        await other.close();
      }
    });
  },
);
