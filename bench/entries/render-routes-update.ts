// Median ms per update when 100 of the 10,000 routes change, in Chromium: the built status window
// showing 10,000 routes receives status events in which every 100th route has new next hops and a
// new service, each timed from delivery until the frame showing it is painted.
import { sharedChromium } from '../chromium.ts';
import { valueBelow } from '../goals.ts';
import { median } from '../measure.ts';
import { ROUTES, deliverMs, openStatusPage, routesReport } from '../status-page.ts';
import type { BenchEntry } from '../types.ts';
import { builtRenderer } from '../web-app.ts';

const CHANGED = 100;
const UPDATES = 15;
const WARMUP = 3;

const entry: BenchEntry = {
  name: 'render-routes-update',
  unit: 'ms',
  goal: valueBelow(16, 'ms'),
  async run(ctx) {
    const browser = await sharedChromium(ctx);
    if ('skipped' in browser) return browser;
    const status = await openStatusPage(browser, await builtRenderer(ctx));
    try {
      await deliverMs(status.page, routesReport(ROUTES), 'load/svc-0');
      const every = ROUTES / CHANGED;
      const samples: number[] = [];
      for (let version = 1; version <= WARMUP + UPDATES; version++) {
        // Every event is a new report, as the bridge delivers it; the first row is among the changed.
        const report = routesReport(ROUTES, (i) => i % every === 0, version);
        const ms = await deliverMs(status.page, report, `load/svc-0-v${version}`);
        if (version > WARMUP) samples.push(ms);
      }
      return {
        value: median(samples),
        floor: null,
        details: { runs: UPDATES, routes: ROUTES, changed: CHANGED, maxMs: Math.round(Math.max(...samples)) },
      };
    } finally {
      await status.close();
    }
  },
};

export default entry;
