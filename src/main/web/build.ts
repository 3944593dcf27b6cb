// Builds the app with electron-vite when its output is missing or older than its sources, so that
// browser mode always serves built files (never a dev server, whose inline preamble the CSP blocks).
// Also a tiny command for the demo, which must not import main: `node src/main/web/build.ts [--electron]`.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../errors.ts';

/** The repository root (this file is src/main/web/build.ts). */
export const REPO_ROOT = join(import.meta.dirname, '../../..');
const LOCK_STALE_MS = 5 * 60_000;
const LOCK_POLL_MS = 250;

export interface BuildScope {
  root: string;
  /** Also the Electron main and preload bundles (the desktop app), not only the renderer. */
  electron: boolean;
}

function outputsOf(scope: BuildScope): string[] {
  const out = join(scope.root, 'out');
  return [
    join(out, 'renderer/index.html'),
    ...(scope.electron ? [join(out, 'main/index.js'), join(out, 'preload/index.cjs')] : []),
  ];
}

function sourcesOf(scope: BuildScope): string[] {
  const src = join(scope.root, 'src');
  return [
    join(src, 'renderer'),
    join(src, 'shared'),
    join(scope.root, 'electron.vite.config.ts'),
    ...(scope.electron ? [join(src, 'main'), join(src, 'preload')] : []),
  ];
}

async function newestModification(path: string): Promise<{ file: string; ms: number } | null> {
  const info = await stat(path).catch(() => null);
  if (info === null) return null;
  if (!info.isDirectory()) return { file: path, ms: info.mtimeMs };
  let newest: { file: string; ms: number } | null = null;
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const ms = (await stat(file).catch(() => null))?.mtimeMs ?? 0;
    if (newest === null || ms > newest.ms) newest = { file, ms };
  }
  return newest;
}

/** Why a build is needed ("out/renderer/index.html is missing", "… is older than …"), or null. */
export async function buildReason(scope: BuildScope): Promise<string | null> {
  let oldestOutput = Infinity;
  for (const output of outputsOf(scope)) {
    const info = await stat(output).catch(() => null);
    if (info === null) return `${relative(scope.root, output)} is missing`;
    oldestOutput = Math.min(oldestOutput, info.mtimeMs);
  }
  for (const source of sourcesOf(scope)) {
    const newest = await newestModification(source);
    if (newest !== null && newest.ms > oldestOutput)
      return `the build is older than ${relative(scope.root, newest.file)}`;
  }
  return null;
}

/** Runs `electron-vite build` with our own Node; its chatter is kept and shown only on failure. */
async function runBuild(root: string): Promise<void> {
  const cli = join(root, 'node_modules/electron-vite/bin/electron-vite.js');
  if (!existsSync(cli)) throw new UserError(`${cli} is missing; run npm ci first`);
  const child = spawn(process.execPath, [cli, 'build'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    throw new UserError(
      `building the app (electron-vite build) failed with exit code ${code}:\n${output.trim()}`,
    );
  }
}

/** One build at a time per checkout: two demos started together must not write `out/` at once. */
async function withBuildLock<T>(root: string, work: () => Promise<T>): Promise<T> {
  const lock = join(root, 'out/.build-lock');
  await mkdir(join(root, 'out'), { recursive: true });
  for (;;) {
    const handle = await open(lock, 'wx').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      return null;
    });
    if (handle !== null) {
      await handle.close();
      break;
    }
    const age = Date.now() - ((await stat(lock).catch(() => null))?.mtimeMs ?? Date.now());
    if (age > LOCK_STALE_MS) await rm(lock, { force: true });
    else await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}

/**
 * Builds when needed; `onBuild` hears why before the build starts. Resolves with whether it built.
 */
export async function ensureBuilt(
  scope: BuildScope,
  onBuild: (reason: string) => void = () => undefined,
): Promise<boolean> {
  if ((await buildReason(scope)) === null) return false;
  return withBuildLock(scope.root, async () => {
    // Another process may have built while we waited for the lock.
    const reason = await buildReason(scope);
    if (reason === null) return false;
    onBuild(reason);
    await runBuild(scope.root);
    return true;
  });
}

async function main(argv: string[]): Promise<void> {
  const electron = argv.includes('--electron');
  try {
    await ensureBuilt({ root: REPO_ROOT, electron }, (reason) =>
      process.stderr.write(`Building the app (${reason})…\n`),
    );
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
