// Median ms per update when 100 of the 10,000 routes change, in Chromium.
import { valueBelow } from '../goals.ts';
import { pendingEntry } from '../pending.ts';

export default pendingEntry(
  'render-routes-update',
  'ms',
  valueBelow(16, 'ms'),
  ['chromium', 'renderer-build'],
  'in the same page as render-routes-first, change 100 routes per update and time each frame until it is painted',
);
