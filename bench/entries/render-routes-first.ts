// ms from data to the first painted status window with 10,000 routes, in Chromium: the built
// status window loaded fresh, one status event with 10,000 routes delivered to it, timed with the
// Performance API from delivery until the frame holding the table's rows is painted.
import { sharedChromium } from '../chromium.ts';
import { valueBelow } from '../goals.ts';
import { median } from '../measure.ts';
import { ROUTES, deliverMs, openStatusPage, routesReport } from '../status-page.ts';
import type { BenchEntry } from '../types.ts';
import { builtRenderer } from '../web-app.ts';

// Each run is a fresh page (a first paint happens once per window); one more untimed page first.
const RUNS = 5;

const entry: BenchEntry = {
  name: 'render-routes-first',
  unit: 'ms',
  goal: valueBelow(100, 'ms'),
  async run(ctx) {
    const browser = await sharedChromium(ctx);
    if ('skipped' in browser) return browser;
    const renderer = await builtRenderer(ctx);
    const report = routesReport(ROUTES);
    const samples: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const status = await openStatusPage(browser, renderer);
      try {
        const ms = await deliverMs(status.page, report, 'load/svc-0');
        if (i > 0) samples.push(ms);
      } finally {
        await status.close();
      }
    }
    return {
      value: median(samples),
      floor: null,
      details: { runs: RUNS, routes: ROUTES, samplesMs: samples.map(Math.round) },
    };
  },
};

export default entry;
