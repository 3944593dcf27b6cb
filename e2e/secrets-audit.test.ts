// The secrets audit: a known router password and key passphrase go through a full demo run, in the
// wizard (browser mode) and in the CLI, and afterwards neither is found anywhere the user's machine
// keeps or shows something: the app's and the CLI's data directories (log, pinned host keys,
// backups), both exported bundles, the pages' DOM and React state, browser storage (the page's and
// Chromium's profile on disk), the bridge's answers, the CLI's output, the app's stderr, and the
// command lines of every process while it all ran (sampled from /proc every 100 ms, and, for a child
// too brief for that, each child a Node process of the run starts, recorded as it starts). Each
// secret is looked for as typed, JSON-escaped, URL-encoded, hex, UTF-16 and base64 at any byte
// alignment, and every check first proves that it finds a secret put where it looks.
//
// Out of scope, by design: the lab's own state directory (the demo's temp dir with the emulated
// router's users and config), the key pair the test made, and what the page sends to the app (the
// secret travels there once per connect, to be used).

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  REPO_ROOT,
  fillRouterSignIn,
  openStatusWindow,
  runGuidedSetup,
  skipWithoutChromium,
  startDemoWithApp,
  submitRouterSignIn,
  waitForAllEstablished,
  watchedPersistentPage,
} from './testing.ts';
import type { DemoWithApp, RouterSignIn, WatchedPage } from './testing.ts';
import { demoConnection } from '../src/main/cli/testing.ts';

const CLI = join(REPO_ROOT, 'src/main/cli/index.ts');
const APP_DIRECTORY = 'metallb-bgp-wizard';
/** Process command lines are sampled this often while the demo, the app and the CLI run. */
const PROCESS_SAMPLE_MS = 100;
/** Space, '+', '/', '&' and '"' make every encoding differ from the plain text. */
const PASSPHRASE = `audit pass+phrase/&"${randomBytes(6).toString('hex')}`;

// ---- the search ----

interface Needle {
  secret: string;
  form: string;
  /** The bytes to look for, as latin1 text (what a Buffer of any file reads as). */
  text: string;
}

/**
 * base64 of `secret` as it appears inside the base64 of a larger text that has `offset` bytes before
 * it: the 4-character groups that hold only the secret's bytes.
 */
function base64Inside(secret: string, offset: number): string {
  const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(secret, 'utf8')]);
  const whole = Math.floor(bytes.length / 3) * 4;
  return bytes.toString('base64').slice(offset === 0 ? 0 : 4, whole);
}

function needlesOf(name: string, secret: string): Needle[] {
  const forms: [string, string][] = [
    ['as typed', secret],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    ['URL-encoded', encodeURIComponent(secret)],
    ['form-encoded', new URLSearchParams({ s: secret }).toString().slice(2)],
    ['hex', Buffer.from(secret, 'utf8').toString('hex')],
    ['UTF-16', Buffer.from(secret, 'utf16le').toString('latin1')],
  ];
  for (const offset of [0, 1, 2]) {
    const base64 = base64Inside(secret, offset);
    forms.push([`base64 (offset ${offset})`, base64]);
    forms.push([`base64url (offset ${offset})`, base64.replaceAll('+', '-').replaceAll('/', '_')]);
  }
  // Where two forms are the same text, the first (simplest) name is kept.
  const unique = new Map<string, string>();
  for (const [form, text] of forms) if (!unique.has(text)) unique.set(text, form);
  return [...unique].map(([text, form]) => ({ secret: name, form, text }));
}

/** "WHERE: the NAME (FORM)" for every needle in `text` (latin1 for bytes). */
function findingsIn(needles: Needle[], where: string, text: string): string[] {
  return needles.filter((n) => text.includes(n.text)).map((n) => `${where}: the ${n.secret} (${n.form})`);
}

function bytesText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Every entry of a zip, its name and its bytes. */
function zipFindings(needles: Needle[], where: string, bytes: Uint8Array): string[] {
  return Object.entries(unzipSync(bytes)).flatMap(([name, content]) => [
    ...findingsIn(needles, `${where} entry name`, name),
    ...findingsIn(needles, `${where}:${name}`, bytesText(content)),
  ]);
}

/** Every regular file under `root` (symlinks not followed), with zips opened. */
function fileFindings(needles: Needle[], root: string): { files: string[]; findings: string[] } {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = lstatSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory()) walk(path);
      else if (stat?.isFile()) files.push(path);
    }
  };
  walk(root);
  const findings = files.flatMap((file) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return []; // gone since the listing (a browser's lock or journal file)
    }
    const where = relative(dirname(root), file);
    return [
      ...findingsIn(needles, `${where} (its name)`, file),
      ...findingsIn(needles, where, bytes.toString('latin1')),
      ...(file.endsWith('.zip') ? zipFindings(needles, where, bytes) : []),
    ];
  });
  return { files, findings };
}

/** Every process's command line now (from /proc: processes come and go while we read). */
function commandLines(): Map<number, string> {
  const lines = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const args = readFileSync(`/proc/${name}/cmdline`).toString('latin1');
      if (args !== '') lines.set(Number(name), args.replaceAll('\0', ' ').trimEnd());
    } catch {
      // exited between the listing and the read
    }
  }
  return lines;
}

/** Samples every process's command line until stopped; keeps each distinct one once. */
function watchCommandLines(): { seen: Map<string, number>; stop(): void } {
  const seen = new Map<string, number>();
  const sample = (): void => {
    for (const [pid, line] of commandLines()) if (!seen.has(line)) seen.set(line, pid);
  };
  sample();
  const timer = setInterval(sample, PROCESS_SAMPLE_MS);
  return { seen, stop: () => clearInterval(timer) };
}

/**
 * Loaded into every Node process of the run (NODE_OPTIONS --import, inherited by the demo's and the
 * CLI's children): appends the command and arguments of each child process it starts to a file, so
 * a child too short-lived for the sampling is still seen. It records arguments only, never options
 * (their `env` carries secrets by design).
 */
const SPAWN_RECORDER = `
import { appendFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
const childProcess = createRequire(import.meta.url)('node:child_process');
const file = process.env.MBW_AUDIT_SPAWN_LOG;
for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync', 'fork']) {
  const original = childProcess[name];
  childProcess[name] = function (...args) {
    const words = args.filter((a) => typeof a === 'string' || Array.isArray(a)).flat().map(String);
    appendFileSync(file, JSON.stringify({ parent: process.argv.slice(1, 2), call: name, words }) + '\\n');
    return original.apply(this, args);
  };
}
syncBuiltinESMExports();
`;

// ---- what the page shows and keeps ----

/** The page's HTML, its visible text and every field's current value. */
function domText(page: Page): Promise<string> {
  return page.evaluate(() =>
    [
      document.documentElement.outerHTML,
      document.body.innerText,
      ...Array.from(
        document.querySelectorAll('input, textarea, select'),
        (e) => (e as HTMLInputElement).value,
      ),
    ].join('\n'),
  );
}

/** localStorage and sessionStorage, every key and value. */
function storageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const dump = (storage: Storage): string[] =>
      Array.from({ length: storage.length }, (_, i) => {
        const key = storage.key(i) ?? '';
        return `${key}=${storage.getItem(key) ?? ''}`;
      });
    return [...dump(window.localStorage), ...dump(window.sessionStorage)].join('\n');
  });
}

/**
 * Every string held in the rendered React tree: each component's props and state (hooks, and so the
 * zustand selections), walked from the root's current fiber. The stores are not on `window`; what
 * the UI holds of them is here, and what it persists is in storage.
 */
function reactStrings(page: Page): Promise<{ fibers: number; strings: string[] }> {
  return page.evaluate(() => {
    type Fiber = {
      child: Fiber | null;
      sibling: Fiber | null;
      memoizedProps: unknown;
      memoizedState: unknown;
    };
    const strings = new Set<string>();
    const seen = new WeakSet<object>();
    const visit = (root: unknown): void => {
      const stack: unknown[] = [root];
      while (stack.length > 0) {
        const value = stack.pop();
        if (typeof value === 'string') strings.add(value);
        if (value === null || typeof value !== 'object' || seen.has(value)) continue;
        seen.add(value);
        // DOM nodes are read as DOM; other fibers are reached by the walk below.
        if (value instanceof Node || ('stateNode' in value && 'return' in value)) continue;
        for (const [key, inner] of Object.entries(value)) if (key !== '_owner') stack.push(inner);
      }
    };
    const container = document.getElementById('root') as (HTMLElement & Record<string, unknown>) | null;
    const key =
      container === null ? undefined : Object.keys(container).find((k) => k.startsWith('__reactContainer$'));
    const hostRoot = key === undefined ? null : (container?.[key] as { stateNode: { current: Fiber } });
    const fibers: (Fiber | null)[] = [hostRoot?.stateNode.current ?? null];
    let count = 0;
    while (fibers.length > 0) {
      const fiber = fibers.pop();
      if (!fiber) continue;
      count += 1;
      visit(fiber.memoizedProps);
      visit(fiber.memoizedState);
      fibers.push(fiber.child, fiber.sibling);
    }
    return { fibers: count, strings: [...strings] };
  });
}

interface PageLook {
  dom: string;
  storage: string;
  react: string;
  fibers: number;
}

async function lookAt(page: Page): Promise<PageLook> {
  const react = await reactStrings(page);
  return {
    dom: await domText(page),
    storage: await storageText(page),
    react: react.strings.join('\n'),
    fibers: react.fibers,
  };
}

function pageFindings(needles: Needle[], where: string, look: PageLook): string[] {
  return [
    ...findingsIn(needles, `${where} DOM`, look.dom),
    ...findingsIn(needles, `${where} storage`, look.storage),
    ...findingsIn(needles, `${where} React state`, look.react),
  ];
}

// ---- the CLI, as a user runs it ----

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

function runOf(command: string, code: number | null, stderr: string): string {
  return `${command} exited ${code}: ${stderr}`;
}

describe.skipIf(skipWithoutChromium('the secrets audit'))('the secrets audit', () => {
  let root: string;
  let appHome: string;
  let cliHome: string;
  let keyFile: string;
  let demo: DemoWithApp;
  let app: WatchedPage | undefined;
  let profile: string;
  let spawnLog: string;
  let recordSpawns: NodeJS.ProcessEnv;
  let processes: ReturnType<typeof watchCommandLines> | undefined;
  let password: string;
  let needles: Needle[];
  const frames = { sent: [] as string[], received: [] as string[] };
  /** Where each look at a page was taken, and what it saw. */
  const looks: [string, PageLook][] = [];
  const bundles: [string, Uint8Array][] = [];
  const outputs: [string, string][] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mbw-secrets-audit-'));
    appHome = join(root, 'app-home');
    cliHome = join(root, 'cli-home');
    await Promise.all([appHome, cliHome, join(root, 'keys')].map((dir) => mkdir(dir, { recursive: true })));
    keyFile = join(root, 'keys', 'id_ed25519');
    // The user's own key, as OpenSSH makes it; ssh-keygen has the passphrase in its arguments for
    // the moment it runs, before anything that is audited starts.
    const keygen = await new Promise<number | null>((resolve) =>
      spawn('ssh-keygen', ['-q', '-t', 'ed25519', '-N', PASSPHRASE, '-C', 'audit', '-f', keyFile], {
        stdio: 'ignore',
      }).once('exit', resolve),
    );
    if (keygen !== 0) throw new Error(`ssh-keygen exited ${keygen}`);
    const recorder = join(root, 'spawn-recorder.mjs');
    await writeFile(recorder, SPAWN_RECORDER);
    spawnLog = join(root, 'spawns.jsonl');
    recordSpawns = {
      NODE_OPTIONS: `--import ${pathToFileURL(recorder).href}`,
      MBW_AUDIT_SPAWN_LOG: spawnLog,
    };
    processes = watchCommandLines();
    demo = await startDemoWithApp(['--fast', '--authorized-key', `${keyFile}.pub`], undefined, {
      HOME: appHome,
      XDG_CONFIG_HOME: join(appHome, '.config'),
      ...recordSpawns,
    });
    password = demo.line.router.password;
    needles = [...needlesOf('router password', password), ...needlesOf('key passphrase', PASSPHRASE)];
    profile = join(root, 'browser-profile');
  });

  afterAll(async () => {
    processes?.stop();
    await app?.close();
    await demo?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('finds each secret in every form wherever one is put on purpose (the search itself works)', async () => {
    const canaryDir = join(root, 'canary');
    await mkdir(join(canaryDir, 'deeper'), { recursive: true });
    const inside = (text: string): string => `some text before ${text} and after`;
    await writeFile(join(canaryDir, 'log.txt'), inside(JSON.stringify({ password })));
    await writeFile(join(canaryDir, 'deeper', 'b64.txt'), Buffer.from(inside(PASSPHRASE)).toString('base64'));
    await writeFile(join(canaryDir, 'url.txt'), `https://x/?p=${encodeURIComponent(PASSPHRASE)}`);
    await writeFile(join(canaryDir, 'utf16.bin'), Buffer.from(inside(password), 'utf16le'));
    await writeFile(join(canaryDir, 'b.zip'), zipSync({ 'a/b.txt': Buffer.from(inside(PASSPHRASE)) }));
    const files = fileFindings(needles, canaryDir).findings;
    expect(files).toEqual(
      expect.arrayContaining([
        'canary/log.txt: the router password (as typed)',
        expect.stringMatching(/^canary\/deeper\/b64\.txt: the key passphrase \(base64 \(offset \d\)\)$/),
        'canary/url.txt: the key passphrase (URL-encoded)',
        'canary/utf16.bin: the router password (UTF-16)',
        'canary/b.zip:a/b.txt: the key passphrase (as typed)',
      ]),
    );
    // Every alignment of a base64 text is caught, and JSON escaping of the passphrase's quote too.
    for (const skew of ['', 'x', 'xy']) {
      const encoded = Buffer.from(`${skew}${PASSPHRASE}!`).toString('base64');
      expect(findingsIn(needles, 'b64', encoded).length, skew).toBeGreaterThan(0);
    }
    expect(findingsIn(needles, 'json', JSON.stringify({ p: PASSPHRASE }))).toContain(
      'json: the key passphrase (JSON-escaped)',
    );
    // A process whose arguments hold a secret is seen.
    const canary = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)', '--', `p=${password}`], {
      stdio: 'ignore',
    });
    try {
      await new Promise((resolve) => canary.once('spawn', resolve));
      const deadline = Date.now() + 5_000;
      let line: string | undefined;
      while (line === undefined && Date.now() < deadline) {
        line = commandLines().get(canary.pid ?? -1);
        if (line === undefined || !line.includes('p=')) {
          line = undefined;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      expect(findingsIn(needles, 'canary process', line ?? '')).toContain(
        'canary process: the router password (as typed)',
      );
    } finally {
      const exited = new Promise((resolve) => canary.once('exit', resolve));
      canary.kill('SIGKILL');
      await exited;
    }
    // The canary process was sampled too; its line is left out of the real audit below.
    processes?.seen.forEach((pid, line) => {
      if (pid === canary.pid) processes?.seen.delete(line);
    });
  });

  it('runs the wizard to the end: key sign-in, then a password typed by hand, apply, test, export', async () => {
    // A persistent profile: what the pages store reaches the disk, where the audit reads it too.
    app = await watchedPersistentPage(profile);
    const { page, context } = app;
    page.on('websocket', (socket) => {
      socket.on('framesent', (frame) => frames.sent.push(String(frame.payload)));
      socket.on('framereceived', (frame) => frames.received.push(String(frame.payload)));
    });
    await page.goto(demo.url, { waitUntil: 'load' });

    const signIn = async (how: RouterSignIn, name: string) => {
      await fillRouterSignIn(page, how);
      // Typed but not yet sent: the page holds it, and each look must see it there.
      const typed = await lookAt(page);
      const secretNeedles = needles.filter((n) => n.secret === name);
      expect(
        findingsIn(secretNeedles, 'typed', typed.dom),
        `the DOM look misses the typed ${name}`,
      ).toContain(`typed: the ${name} (as typed)`);
      expect(
        findingsIn(secretNeedles, 'typed', typed.react),
        `the React look misses the typed ${name}`,
      ).toContain(`typed: the ${name} (as typed)`);
      return submitRouterSignIn(page);
    };
    const setup = await runGuidedSetup(page, {
      shot: async (name) => {
        looks.push([name, await lookAt(page)]);
      },
      routerStep: async () => {
        const byKey = await signIn({ key: { file: keyFile, passphrase: PASSPHRASE } }, 'key passphrase');
        looks.push(['after the key sign-in', await lookAt(page)]);
        const byPassword = await signIn({ password }, 'router password');
        expect(byPassword.offered).toBeNull(); // pinned by the first sign-in
        return byKey;
      },
    });
    expect(setup.hostKeyOffered).toBe(demo.line.router.hostKeySha256);
    expect(setup.routerMessage).toMatch(/verified and saved/);
    expect(setup.curl.succeeded).toBe(setup.curl.attempts);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-bundle').click(),
    ]);
    bundles.push(["the wizard's bundle", new Uint8Array(await readFile(await download.path()))]);
    await page.getByTestId('export-done').waitFor();
    looks.push(['the Done step after the export', await lookAt(page)]);

    const status = await openStatusWindow(page, context);
    await waitForAllEstablished(status);
    looks.push(['the status window', await lookAt(status)]);
    looks.push(['the wizard at the end', await lookAt(page)]);
    expect(app.problems()).toEqual([]);
  });

  it('runs the CLI on the same lab with a key and its passphrase, and with the password', async () => {
    const { line } = demo;
    const env = (secret: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
      PATH: process.env['PATH'],
      HOME: cliHome,
      XDG_CONFIG_HOME: join(cliHome, '.config'),
      ...recordSpawns,
      ...secret,
    });
    const connection = demoConnection(line);
    const byKey = env({ METALLB_WIZARD_KEY_PASSPHRASE: PASSPHRASE });
    const withKey = [...connection, '--router-key', keyFile];
    const bundle = join(cliHome, 'bundle.zip');
    const runs: [string, string[], NodeJS.ProcessEnv][] = [
      ['apply (key)', ['apply', ...withKey, '--yes', '--json'], byKey],
      ['status (key)', ['status', ...withKey, '--json'], byKey],
      ['export (key)', ['export', ...withKey, '--out', bundle], byKey],
      [
        'status (password)',
        ['status', ...connection, '--json'],
        env({ METALLB_WIZARD_ROUTER_PASSWORD: password }),
      ],
    ];
    for (const [what, args, runEnv] of runs) {
      const run = await runCli(args, runEnv);
      expect(run.code, runOf(what, run.code, run.stderr)).toBe(0);
      outputs.push([`CLI ${what} stdout`, run.stdout], [`CLI ${what} stderr`, run.stderr]);
      if (what.startsWith('status')) {
        const status = JSON.parse(run.stdout) as { neighbors: { node: string | null; state: string }[] };
        const ours = status.neighbors.filter((n) => n.node !== null);
        expect(ours.length).toBeGreaterThan(0);
        expect(
          ours.every((n) => n.state === 'Established'),
          run.stdout,
        ).toBe(true);
      }
    }
    bundles.push(["the CLI's bundle", new Uint8Array(await readFile(bundle))]);
  });

  it('finds neither secret in the data directories, logs or bundles', () => {
    // The lab's state directory holds the lab's own credentials by design and is not audited; it
    // lies outside both homes, so no search below reaches it.
    const labDir = dirname(demo.line.topology);
    for (const home of [appHome, cliHome]) expect(`${labDir}${sep}`.startsWith(`${home}${sep}`)).toBe(false);

    const findings: string[] = [];
    for (const [home, who] of [
      [appHome, 'the app'],
      [cliHome, 'the CLI'],
    ] as const) {
      const scanned = fileFindings(needles, home);
      findings.push(...scanned.findings);
      // The search reached the real data: the log says the router was connected.
      const log = join(home, '.config', APP_DIRECTORY, 'wizard.log');
      expect(scanned.files, `${who} wrote no log`).toContain(log);
      expect(readFileSync(log, 'utf8'), who).toContain(`${demo.line.router.host}:${demo.line.router.port}`);
    }
    expect(bundles.map(([name]) => name)).toEqual(["the wizard's bundle", "the CLI's bundle"]);
    for (const [name, bytes] of bundles) {
      const entries = unzipSync(bytes);
      expect(strFromU8(entries['topology.yaml'] ?? new Uint8Array()), name).toContain(demo.line.router.host);
      findings.push(...zipFindings(needles, name, bytes));
    }
    for (const [where, text] of outputs) findings.push(...findingsIn(needles, where, text));
    findings.push(...findingsIn(needles, "the demo's and the app's stderr", demo.stderr()));
    expect(findings).toEqual([]);
  });

  it('finds neither secret in the pages, their storage, their React state or the bridge answers', async () => {
    if (app === undefined) throw new Error('the wizard run did not start');
    const { page } = app;
    // The storage look sees what is put there.
    await page.evaluate((p) => window.sessionStorage.setItem('audit-canary', btoa(`x${p}`)), PASSPHRASE);
    expect(pageFindings(needles, 'canary', await lookAt(page)).length).toBeGreaterThan(0);
    await page.evaluate(() => window.sessionStorage.removeItem('audit-canary'));
    // The looks saw the app's real state: the wizard's persisted store, and a full React tree.
    const last = looks.at(-1)?.[1];
    expect(last?.storage).toContain(APP_DIRECTORY);
    expect(last?.fibers).toBeGreaterThan(100);
    expect(looks.map(([where]) => where)).toEqual(
      expect.arrayContaining(['03-router', 'after the key sign-in', '06-apply', 'the status window']),
    );
    const cookies = JSON.stringify(await app.context.cookies());

    // What the page sent carries each secret (once per connect, by design): the frames are recorded.
    const sent = frames.sent.join('\n');
    expect(findingsIn(needles, 'sent', sent)).toEqual(
      expect.arrayContaining([
        'sent: the key passphrase (JSON-escaped)',
        'sent: the router password (as typed)',
      ]),
    );
    expect(frames.received.length).toBeGreaterThan(10);
    const findings = [
      ...looks.flatMap(([where, look]) => pageFindings(needles, where, look)),
      ...frames.received.flatMap((frame, i) => findingsIn(needles, `bridge answer ${i}`, frame)),
      ...findingsIn(needles, 'cookies', cookies),
    ];
    expect(findings).toEqual([]);
  });

  it("finds neither secret in Chromium's profile on disk, once the browser has written it", async () => {
    // Closing the browser flushes its storage to the profile.
    await app?.close();
    app = undefined;
    const scanned = fileFindings(needles, profile);
    // The search read the storage the pages wrote: the wizard's persisted state is in the profile.
    const holdsWizardState = scanned.files.some((file) => {
      const bytes = readFileSync(file);
      return bytes.includes(APP_DIRECTORY, 0, 'latin1') || bytes.includes(APP_DIRECTORY, 0, 'utf16le');
    });
    expect(holdsWizardState, `no file under ${profile} holds the wizard's stored state`).toBe(true);
    expect(scanned.findings).toEqual([]);
  });

  it('saw neither secret in the command line of any process while the demo, the app and the CLI ran', () => {
    processes?.stop();
    const seen = [...(processes?.seen.keys() ?? [])];
    // The sampling saw each of them running.
    for (const part of [
      'lab/demo.ts',
      'bin/metallb-bgp-wizard-app.js',
      'src/main/cli/index.ts',
      `--user-data-dir=${profile}`,
    ]) {
      expect(
        seen.some((line) => line.includes(part)),
        `no process with ${part} was seen`,
      ).toBe(true);
    }
    expect(seen.filter((line) => line.includes(' status ')).length).toBeGreaterThan(0);
    expect(seen.flatMap((line) => findingsIn(needles, `process "${line.slice(0, 120)}"`, line))).toEqual([]);

    // Every child a Node process of the run started, however briefly: the demo started the app.
    const spawned = readFileSync(spawnLog, 'utf8').trim().split('\n');
    expect(spawned.some((line) => line.includes('bin/metallb-bgp-wizard-app.js'))).toBe(true);
    expect(
      spawned.flatMap((line) => findingsIn(needles, `child process ${line.slice(0, 160)}`, line)),
    ).toEqual([]);
  });
});
