// The built status window (`#/status`) in Chromium, fed by a stand-in backend at the `window.mbw`
// boundary (the preload's place in Electron): its status.watch stays open, and the benchmark
// delivers status events to the window's listener itself, timing each from delivery to the next
// painted frame with the Performance API.
import type { Browser, Page } from 'playwright-core';
import type { StatusReport } from '../src/shared/diagnose/index.ts';
import { VIEWPORT } from './chromium.ts';
import { serveStatic } from './static-server.ts';

export const ROUTES = 10_000;
const LOAD_TIMEOUT_MS = 30_000;

/** The article's reference topology: what the wizard saved, so the window starts its watch. */
const TOPOLOGY = `router:
  dialect: edgeos
  ssh: { host: 192.168.1.1, port: 22, username: ubnt }
  asn: 64512
  maximumPaths: 32
  wan: { interface: eth0 }
  cluster: { interface: eth1, address: 192.168.1.1/24 }
  lan: { interface: eth2, address: 192.168.2.1/24 }
cluster:
  asn: 64512
  nodes:
    - { name: worker1, address: 192.168.1.201 }
    - { name: worker2, address: 192.168.1.202 }
    - { name: worker3, address: 192.168.1.203 }
    - { name: worker4, address: 192.168.1.204 }
  pools:
    - { name: default, addresses: [10.10.0.0/28] }
metallb:
  version: v0.14.9
`;

/** 10,000 routes with two next hops each; `version` marks the services, for the changed routes. */
export function routesReport(
  count: number,
  changed: (i: number) => boolean = () => false,
  version = 0,
): StatusReport {
  return {
    neighbors: [1, 2, 3, 4].map((n) => ({
      address: `192.168.1.20${n}`,
      node: `worker${n}`,
      state: 'Established',
      prefixesReceived: Math.ceil(count / 4),
      upDown: '01:02:03',
      diagnosis: null,
    })),
    routes: Array.from({ length: count }, (_, i) => {
      const hop = changed(i) ? 3 + (version % 2) : 1;
      return {
        prefix: `10.${Math.floor(i / 256) % 256}.${i % 256}.1/32`,
        service: changed(i) ? `load/svc-${i}-v${version}` : `load/svc-${i}`,
        nextHops: [
          { address: `192.168.1.20${hop}`, node: `worker${hop}` },
          { address: '192.168.1.202', node: 'worker2' },
        ],
      };
    }),
  };
}

declare global {
  interface Window {
    /** The benchmark's handle in the page (set by the init script). */
    mbwBench?: {
      watching: Promise<void>;
      /** Keeps the report for the next `deliver` (the hand-over, not timed). */
      stage(status: StatusReport): void;
      /** Delivers the staged status event; resolves with ms from delivery until the frame after `shows` holds. */
      deliver(shows: { count: string; firstRowHas: string }): Promise<number>;
    };
  }
}

/** Runs in the page before its scripts: the wizard's saved topology and the fake backend. */
function installFakeBackend(topologyText: string): void {
  window.localStorage.setItem('mbw-wizard', JSON.stringify({ state: { topologyText }, version: 0 }));
  const listeners = new Set<(event: unknown) => void>();
  let operationId = '';
  let markWatching: () => void = () => undefined;
  const watching = new Promise<void>((resolve) => (markWatching = resolve));
  const api = {
    call(channel: string, request: { operationId?: string }): Promise<unknown> {
      if (channel === 'status.watch') {
        operationId = request.operationId ?? '';
        markWatching();
        return new Promise(() => undefined); // open until cancelled, as a real watch
      }
      if (channel === 'operation.cancel') return Promise.resolve({ ok: true, value: { cancelled: true } });
      return Promise.resolve({
        ok: false,
        error: { message: `${channel} is not benchmarked`, kind: 'failed' },
      });
    },
    onEvent(listener: (event: unknown) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const shown = (shows: { count: string; firstRowHas: string }): boolean => {
    const count = document.querySelector('[data-testid="routes-count"]')?.textContent ?? '';
    const first = document.querySelector('[data-testid="route-row"]')?.textContent ?? '';
    return count === shows.count && first.includes(shows.firstRowHas);
  };
  let run = 0;
  let staged: unknown = null;
  const stage = (status: unknown): void => {
    staged = status;
  };
  const deliver = (shows: { count: string; firstRowHas: string }): Promise<number> =>
    new Promise((resolve) => {
      const status = staged;
      staged = null;
      run += 1;
      const start = `delivered-${run}`;
      performance.mark(start);
      for (const listener of listeners) listener({ operationId, kind: 'status', status });
      const nextFrame = (): void => {
        requestAnimationFrame(() => {
          if (!shown(shows)) return nextFrame();
          // The rows are in the DOM when this frame starts; the task after it runs once it is painted.
          setTimeout(() => {
            const measure = performance.measure(`painted-${run}`, start);
            resolve(measure.duration);
          }, 0);
        });
      };
      nextFrame();
    });
  (window as unknown as { mbw: unknown }).mbw = api;
  (window as unknown as { mbwBench: unknown }).mbwBench = { watching, stage, deliver };
}

export interface StatusPage {
  page: Page;
  close(): Promise<void>;
}

/** A fresh context on the built renderer's `#/status`, its watch running and no data yet. */
export async function openStatusPage(browser: Browser, rendererDir: string): Promise<StatusPage> {
  const server = await serveStatic(rendererDir);
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await page.addInitScript(installFakeBackend, TOPOLOGY);
    await page.goto(`${server.url}#/status`, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    await page.waitForFunction(() => window.mbwBench?.watching.then(() => true), undefined, {
      timeout: LOAD_TIMEOUT_MS,
    });
    return {
      page,
      close: async () => {
        await context.close();
        await server.stop();
      },
    };
  } catch (error) {
    await context.close();
    await server.stop();
    throw error;
  }
}

/**
 * Hands the report to the page (not timed), then delivers it and times it to the next paint. Two
 * evaluations, because Chromium spends hundreds of milliseconds tearing down a 10,000-route call
 * argument after the called function returns, in the same task: a delivery started inside that
 * call would time the harness's hand-over, not the window.
 */
export async function deliverMs(page: Page, status: StatusReport, firstRowHas: string): Promise<number> {
  await page.evaluate((report) => {
    const bench = window.mbwBench;
    if (!bench) throw new Error('the status page has no benchmark handle');
    bench.stage(report);
  }, status);
  return page.evaluate(
    (shows) => {
      const bench = window.mbwBench;
      if (!bench) throw new Error('the status page has no benchmark handle');
      return bench.deliver(shows);
    },
    { count: `${status.routes.length} routes`, firstRowHas },
  );
}
