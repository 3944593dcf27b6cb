// Gzipped KB the wizard loads before its first step (index.html's entry script, stylesheet and
// preloaded modules, and their static imports; the lazily loaded status window, charts and
// diagram are not part of it), beside a minimal Vite + React app built in the same run.
import { valueAtMost } from '../goals.ts';
import type { BenchEntry } from '../types.ts';
import { builtRenderer, floorApp, loadSet } from '../web-app.ts';

const KB = 1024;

const entry: BenchEntry = {
  name: 'bundle-size',
  unit: 'KB',
  goal: valueAtMost(400, 'KB'),
  async run(ctx) {
    const wizard = await loadSet(await builtRenderer(ctx));
    const floor = await loadSet(await floorApp(ctx));
    return {
      value: wizard.gzipBytes / KB,
      floor: floor.gzipBytes / KB,
      details: {
        rawKb: Math.round(wizard.rawBytes / KB),
        files: wizard.files,
        floorRawKb: Math.round(floor.rawBytes / KB),
      },
    };
  },
};

export default entry;
