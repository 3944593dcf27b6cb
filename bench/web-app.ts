// The web side of the start-up figures: the wizard's built renderer, and the floor they are
// measured against, a minimal Vite + React app (one component rendering "hello") built in the same
// run with the same Vite and React plugin.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import type { BenchContext } from './types.ts';

export const REPO_ROOT = path.join(import.meta.dirname, '..');
const BUILD_COMMAND = path.join(REPO_ROOT, 'src/main/web/build.ts');
export const RENDERER_DIR = path.join(REPO_ROOT, 'out/renderer');
// Inside the checkout, so that the floor app resolves react from our node_modules.
const FLOOR_ROOT = path.join(REPO_ROOT, 'node_modules/.cache/mbw-bench-floor');
export const FLOOR_TEXT = 'hello';

const FLOOR_FILES: Record<string, string> = {
  'index.html': `<!doctype html>
<html lang="en">
  <head><meta charset="UTF-8" /><title>floor</title></head>
  <body><div id="root"></div><script type="module" src="./main.jsx"></script></body>
</html>
`,
  'main.jsx': `import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function Hello() {
  return <p>${FLOOR_TEXT}</p>;
}

createRoot(document.getElementById('root')).render(<StrictMode><Hello /></StrictMode>);
`,
};

/**
 * The renderer as browser mode serves it, built first when it is missing or stale (browser mode's
 * own build step, `node src/main/web/build.ts`, so the timed launches never build).
 */
export async function builtRenderer(ctx: BenchContext): Promise<string> {
  return ctx.shared(
    'renderer-build',
    () =>
      new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          [BUILD_COMMAND],
          { cwd: REPO_ROOT, timeout: 300_000 },
          (error, _out, stderr) => {
            if (error)
              reject(new Error(`building the renderer failed: ${String(stderr).trim() || error.message}`));
            else resolve(RENDERER_DIR);
          },
        );
      }),
    async () => undefined,
  );
}

async function buildFloorApp(log: (line: string) => void): Promise<string> {
  log('building the minimal Vite + React app…');
  await rm(FLOOR_ROOT, { recursive: true, force: true });
  await mkdir(FLOOR_ROOT, { recursive: true });
  for (const [file, text] of Object.entries(FLOOR_FILES)) await writeFile(path.join(FLOOR_ROOT, file), text);
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  const outDir = path.join(FLOOR_ROOT, 'dist');
  await build({
    configFile: false,
    root: FLOOR_ROOT,
    base: './',
    logLevel: 'silent',
    mode: 'production',
    plugins: [react()],
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/** The floor app's built directory (index.html + assets), built once per run. */
export function floorApp(ctx: BenchContext): Promise<string> {
  return ctx.shared(
    'floor-app',
    () => buildFloorApp(ctx.log),
    () => rm(FLOOR_ROOT, { recursive: true, force: true }),
  );
}

export interface LoadSet {
  /** Relative paths of the files the page loads before it runs (entry, its static imports, CSS). */
  files: string[];
  rawBytes: number;
  gzipBytes: number;
}

const TAG = /<(script|link)\b[^>]*>/g;
const ATTR = (name: string): RegExp => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`);
// Static imports in a built chunk: `import{a as b}from"./x.js"`, `import"./y.js"`.
const STATIC_IMPORT = /\bimport\s*(?:[\w$*{}\s,]+from\s*)?["'](\.\.?\/[^"']+)["']/g;

function tagTargets(html: string): string[] {
  const targets: string[] = [];
  for (const [tag, kind] of html.matchAll(TAG)) {
    if (kind === 'script') {
      if (!/\btype\s*=\s*"module"/.test(tag)) continue;
      const src = ATTR('src').exec(tag)?.[1];
      if (src) targets.push(src);
    } else {
      const rel = ATTR('rel').exec(tag)?.[1] ?? '';
      const href = ATTR('href').exec(tag)?.[1];
      if (href && (rel === 'stylesheet' || rel === 'modulepreload')) targets.push(href);
    }
  }
  return targets;
}

/**
 * What a page built into `dir` loads before its first screen: the entry script and stylesheet
 * tags of index.html, the modules they preload, and every module those import statically
 * (dynamic imports, such as the status window, load later and are left out).
 */
export async function loadSet(dir: string): Promise<LoadSet> {
  const html = await readFile(path.join(dir, 'index.html'), 'utf8');
  const seen = new Set<string>();
  const queue = tagTargets(html).map((target) => path.posix.normalize(target.replace(/^\.?\//, '')));
  let rawBytes = 0;
  let gzipBytes = 0;
  while (queue.length > 0) {
    const file = queue.shift() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const bytes = await readFile(path.join(dir, file));
    rawBytes += bytes.length;
    gzipBytes += gzipSync(bytes, { level: 9 }).length;
    if (!file.endsWith('.js')) continue;
    for (const [, specifier] of bytes.toString('utf8').matchAll(STATIC_IMPORT)) {
      if (specifier) queue.push(path.posix.join(path.posix.dirname(file), specifier));
    }
  }
  return { files: [...seen], rawBytes, gzipBytes };
}
