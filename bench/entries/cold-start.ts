// ms from launching browser mode to an interactive first step.
import { valueBelow } from '../goals.ts';
import { pendingEntry } from '../pending.ts';

export default pendingEntry(
  'cold-start',
  'ms',
  valueBelow(1500, 'ms'),
  ['chromium', 'renderer-build'],
  'launch browser mode, open it in Chromium and time until the first step is interactive, beside the minimal Vite + React app served the same way',
);
