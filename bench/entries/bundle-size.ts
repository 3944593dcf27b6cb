// Gzipped KB the wizard loads before its first step.
import { valueAtMost } from '../goals.ts';
import { pendingEntry } from '../pending.ts';

export default pendingEntry(
  'bundle-size',
  'KB',
  valueAtMost(400, 'KB'),
  ['renderer-build'],
  'sum the gzipped size of what the built renderer loads before its first step, beside a minimal Vite + React app built in the same run',
);
