// ms from data to the first painted status window with 10,000 routes, in Chromium.
import { valueBelow } from '../goals.ts';
import { pendingEntry } from '../pending.ts';

export default pendingEntry(
  'render-routes-first',
  'ms',
  valueBelow(100, 'ms'),
  ['chromium', 'renderer-build'],
  'load the built status window in Chromium with Playwright, hand it 10,000 routes and read the first paint from the Performance API',
);
