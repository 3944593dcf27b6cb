// `npm run demo`: the in-memory lab. An emulated EdgeRouter over real SSH, an emulated Kubernetes
// API that behaves like MetalLB, and the in-memory routing backend between them, all on loopback
// and without root. Runs until SIGTERM/SIGINT, then stops everything and deletes its state.
//
//   npm run demo              prints the endpoints and credentials, then starts the wizard on the
//                             lab: the Electron app when its binary is installed (and there is a
//                             display), else browser mode, printing `Wizard: http://127.0.0.1:…`
//   npm run demo -- --json    prints one JSON line once ready (for tests), with `app.url`
//   npm run demo -- --fast    no simulated delays (sessions, readiness, router responses)
//   --no-app                  the lab only; --browser: browser mode even when Electron is installed;
//   --no-open                 do not open the system browser
//   --authorized-key FILE     also let the router's user sign in with this OpenSSH public key
//   --dialect edgeos|vyos, --nodes 1-8, --scenario NAME[,NAME], --hash addresses|addresses-ports,
//   --readiness-delay MS      choose the case the lab shows (see lab/options.ts)
//
// The app runs as a child process (the lab never imports src/main). It gets the lab's endpoints in
// a 0600 preset file that it deletes once read, so the router password is never in its arguments.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import ssh2 from 'ssh2';
import { createMemoryBackend } from './memory/backend.ts';
import { labSpec } from './spec.ts';
import { poolEntryProblem } from '../src/shared/topology/index.ts';
import type { LabSpec } from './spec.ts';
import { routerInterfaces, runCleanups, startLabEmulators } from './compose.ts';
import type { Cleanup, EmulatorsLine } from './compose.ts';
import {
  CASE_OPTION_SPECS,
  CASE_USAGE,
  UsageError,
  caseOptionsFrom,
  caseSummary,
  strictArgs,
} from './options.ts';
import type { LabCaseOptions } from './options.ts';

/** How the wizard was started on the lab: browser mode has a URL, Electron a window. */
export interface DemoApp {
  shell: 'browser' | 'electron';
  url: string | null;
}

/** The line `--json` prints; `app` is absent with --no-app. */
export type DemoReadyLine = EmulatorsLine & { app?: DemoApp };

/** Looks like a real network: sessions take a moment, workloads take a moment to become Ready. */
const SESSION_DELAY_MS = 1500;
const READINESS_DELAY_MS = 2000;
const READY_TIMEOUT_MS = 10_000;
const STARTUP_SETTLE_MS = 5_000;
/** Includes building the renderer on a fresh clone. */
const APP_READY_TIMEOUT_MS = 120_000;
/** An Electron that cannot start (no usable display, sandbox refused) exits at once: fall back then. */
const ELECTRON_SETTLE_MS = 5_000;
const APP_STOP_GRACE_MS = 5_000;

const REPO_ROOT = join(import.meta.dirname, '..');
const BROWSER_ENTRY = join(REPO_ROOT, 'bin/metallb-bgp-wizard-app.js');
const BUILD_ENTRY = join(REPO_ROOT, 'src/main/web/build.ts');
const WIZARD_LINE = /^Wizard: (http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)$/;

export const DEMO_USAGE = `usage: npm run demo -- [--json] [--fast] [--no-app] [--browser] [--no-open] [--authorized-key FILE] [--pool CIDR|RANGE] ${CASE_USAGE}`;
/** An authorized_keys file is a few lines; anything larger is not one. */
const AUTHORIZED_KEY_FILE_MAX_BYTES = 64 * 1024;

export interface DemoOptions extends LabCaseOptions {
  json: boolean;
  /** Zero delays: sessions Established and workloads Ready at once, no router response delay. */
  fast: boolean;
  /** Start the wizard on the lab (default); --no-app runs the lab only. */
  app: boolean;
  /** Browser mode even when an Electron binary is installed. */
  browser: boolean;
  /** Open the system browser on the wizard's URL when there is a display (default). */
  open: boolean;
  /** OpenSSH public key lines the router's user may also sign in with (--authorized-key FILE). */
  authorizedKeys: string[];
  /** The lab's address pool instead of its default outside every connected subnet (--pool). */
  pool: string | null;
  help: boolean;
}

/** Why `file` cannot be an --authorized-key file (not a file, too big, unreadable), or null. */
function keyFileProblem(file: string): string | null {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return 'it is not a file';
    return stat.size > AUTHORIZED_KEY_FILE_MAX_BYTES
      ? `it is ${stat.size} bytes, more than a public key file's ${AUTHORIZED_KEY_FILE_MAX_BYTES}`
      : null;
  } catch (error) {
    return `it cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
}

/**
 * The public key lines of an OpenSSH .pub (or authorized_keys) file. A UsageError names the file
 * and the line; a line is never echoed, since it may be a private key given by mistake.
 */
function authorizedKeysOf(file: string | undefined): string[] {
  if (file === undefined) return [];
  const fix = 'give an OpenSSH public key file such as ~/.ssh/id_ed25519.pub';
  const problem = keyFileProblem(file);
  if (problem !== null) throw new UsageError(`--authorized-key "${file}": ${problem}; ${fix}`);
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((text, index) => ({ text: text.trim(), number: index + 1 }))
    .filter(({ text }) => text !== '' && !text.startsWith('#'));
  if (lines.length === 0) throw new UsageError(`--authorized-key "${file}" holds no public key; ${fix}`);
  for (const { text, number } of lines) {
    const parsed = ssh2.utils.parseKey(text);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key === undefined || key instanceof Error || key.isPrivateKey()) {
      throw new UsageError(
        `--authorized-key "${file}" line ${number} is not an OpenSSH public key line ("ssh-ed25519 AAAA…"); ${fix}`,
      );
    }
  }
  return lines.map(({ text }) => text);
}

/**
 * `--pool CIDR|RANGE`: the lab's address pool, e.g. one inside the cluster subnet to show the
 * same-segment caveat. Checked like a topology pool entry.
 */
function poolOf(pool: string | undefined): string | null {
  if (pool === undefined) return null;
  const problem = poolEntryProblem(pool);
  if (problem) throw new UsageError(`--pool "${pool}": ${problem}`);
  return pool;
}

/** The demo's command line; throws a UsageError naming an unknown option or a bad value. */
export function parseDemoArgs(argv: string[]): DemoOptions {
  const { values } = strictArgs(
    argv,
    {
      json: { type: 'boolean' },
      fast: { type: 'boolean' },
      'no-app': { type: 'boolean' },
      browser: { type: 'boolean' },
      'no-open': { type: 'boolean' },
      'authorized-key': { type: 'string' },
      pool: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...CASE_OPTION_SPECS,
    },
    false,
  );
  const options: DemoOptions = {
    json: values.json ?? false,
    fast: values.fast ?? false,
    app: !(values['no-app'] ?? false),
    browser: values.browser ?? false,
    open: !(values['no-open'] ?? false),
    authorizedKeys: authorizedKeysOf(values['authorized-key']),
    pool: poolOf(values.pool),
    help: values.help ?? false,
    ...caseOptionsFrom(values),
  };
  if (options.fast && (options.readinessDelayMs ?? 0) !== 0) {
    throw new UsageError(
      `--fast makes pods Ready at once, but --readiness-delay asks for ${options.readinessDelayMs} ms; give one of them`,
    );
  }
  return options;
}

/** Waits until `work` settles, or `ms` passes; never rejects. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    timeout,
  ]);
  clearTimeout(timer);
}

async function withDeadline<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`demo: ${what} was not ready within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts every piece; pushes a cleanup for each as soon as it exists, so a failure undoes the rest. */
async function startDemoLab(
  spec: LabSpec,
  options: DemoOptions,
  stateDir: string,
  cleanups: Cleanup[],
): Promise<DemoReadyLine> {
  const backend = await createMemoryBackend({
    routerInterfaces: routerInterfaces(spec),
    nodes: spec.nodes,
    sessionDelayMs: options.fast ? 0 : SESSION_DELAY_MS,
    hashPolicy: options.hash,
  });
  cleanups.push(() => backend.close());
  return startLabEmulators({
    spec,
    dir: stateDir,
    backend,
    cleanups,
    dialect: options.dialect,
    scenario: options.scenarios,
    readinessDelayMs: options.fast ? 0 : (options.readinessDelayMs ?? READINESS_DELAY_MS),
    routerDelayMs: 0,
    authorizedKeys: options.authorizedKeys,
    readyTimeoutMs: READY_TIMEOUT_MS,
    onViewError: (error) =>
      process.stderr.write(`demo: could not apply the cluster's BGP view: ${String(error)}\n`),
  });
}

function routerTitle(options: DemoOptions): string {
  return options.dialect === 'edgeos' ? 'emulated EdgeRouter, EdgeOS' : 'emulated VyOS router, VyOS 1.4';
}

function metallbState(options: DemoOptions): string {
  const seeded = options.scenarios.find((s) => s.startsWith('metallb-'));
  return seeded === undefined ? 'MetalLB not installed' : `MetalLB installed by the ${seeded} scenario`;
}

function humanReadable(line: DemoReadyLine, spec: LabSpec, options: DemoOptions, readyMs: number): string {
  const r = line.router;
  return `MetalLB BGP Wizard demo lab is ready (${(readyMs / 1000).toFixed(1)} s). Nothing is configured yet.
Case: ${caseSummary(options)}${options.fast ? ', no simulated delays' : ''}

Router (${routerTitle(options)})
  ssh:          ssh -p ${r.port} ${r.username}@${r.host}
  password:     ${r.password}
  host key:     ${r.hostKeySha256}
  interfaces:   ${spec.wan.interface} ${spec.wan.address} (WAN), ${spec.cluster.interface} ${spec.cluster.address} (cluster), ${spec.lan.interface} ${spec.lan.address} (LAN)

Cluster (emulated Kubernetes API; ${metallbState(options)})
  kubeconfig:   ${line.kubeconfig}
  try:          kubectl --kubeconfig ${line.kubeconfig} get nodes -o wide
  nodes:        ${spec.nodes.map((n) => `${n.name} ${n.address}`).join(', ')}

Topology (router ASN ${spec.routerAsn}, cluster ASN ${spec.clusterAsn}, pool ${spec.pool.addresses.join(', ')})
  file:         ${line.topology}
  plan it:      npm run cli -- plan --topology ${line.topology}

`;
}

/** What follows the banner once the app is up (or was not asked for). */
function closingLines(app: DemoApp | null): string {
  const stop = "Press Ctrl-C to stop; the lab and the app stop and the lab's temporary files are deleted.\n";
  const machine = 'Machine-readable: npm run -s demo -- --json\n';
  if (app === null) {
    return `The wizard was not started (--no-app): use the CLI and the clients above against these endpoints.\n${machine}${stop}`;
  }
  if (app.url === null) {
    return `Wizard: opened in the desktop app (Electron), pre-filled with this lab.\n${machine}${stop}`;
  }
  return `Wizard: ${app.url}
  Open it in a browser (it opens by itself when there is a display). It is pre-filled with this lab:
  click through with the defaults. The router password stays in the app; the page only shows it is held.
${machine}${stop}`;
}

/** The Electron binary npm installed, or null (download skipped or failed). Never downloads. */
export function electronBinary(
  root: string = REPO_ROOT,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const dir = join(root, 'node_modules/electron');
  try {
    const name = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const file = join(env['ELECTRON_OVERRIDE_DIST_PATH'] ?? join(dir, 'dist'), name);
    return name !== '' && existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/** Why the wizard runs in browser mode rather than in Electron; null: Electron. */
function browserModeReason(options: DemoOptions, env: NodeJS.ProcessEnv): string | null {
  if (options.browser) return 'asked for with --browser';
  if (electronBinary(REPO_ROOT, env) === null) return 'no Electron binary is installed';
  if (process.platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY'])
    return 'there is no display';
  if (process.getuid?.() === 0) return 'Electron will not run its sandbox as root';
  return null;
}

/** The lab's endpoints for the app, in a file only we can read; the app deletes it once read. */
async function writePresetFile(stateDir: string, line: EmulatorsLine): Promise<string> {
  const file = join(stateDir, `app-preset-${randomBytes(4).toString('hex')}.json`);
  const { host, port, username, password, hostKeySha256 } = line.router;
  const preset = {
    topology: line.topology,
    kubeconfig: line.kubeconfig,
    router: { host, port, username, password, hostKeySha256 },
    source: 'the built-in demo lab',
  };
  await writeFile(file, `${JSON.stringify(preset)}\n`, { mode: 0o600, flag: 'wx' });
  return file;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), APP_STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

function exitText(code: number | null, signal: NodeJS.Signals | null): string {
  return signal === null ? `exit code ${code}` : `signal ${signal}`;
}

/** Says so when the app fails after it was ready (a stop we asked for exits 0 or by our signal). */
function reportLateExit(child: ChildProcess, what: string): void {
  child.once('exit', (code, signal) => {
    if (signal === null && code !== 0) {
      process.stderr.write(`demo: ${what} stopped with ${exitText(code, signal)}; the lab keeps running\n`);
    }
  });
}

/** Passes a child's stderr on as it comes (build progress, errors). */
function relayStderr(child: ChildProcess): void {
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
}

/** Resolves with the URL of the child's `Wizard:` line; rejects if it exits or takes too long. */
function wizardUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`demo: the wizard did not print its address within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (text) => {
      const url = WIZARD_LINE.exec(text)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      lines.close();
      resolve(url);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `demo: the wizard (browser mode) stopped with ${exitText(code, signal)} before it was ready`,
        ),
      );
    });
  });
}

function spawnChild(command: string, args: string[], cleanups: Cleanup[]): ChildProcess {
  const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.on('error', (error) => process.stderr.write(`demo: ${command} could not start: ${error.message}\n`));
  relayStderr(child);
  cleanups.push(() => stopChild(child));
  return child;
}

async function startBrowserApp(
  options: DemoOptions,
  presetFile: string,
  cleanups: Cleanup[],
): Promise<DemoApp> {
  const args = [BROWSER_ENTRY, '--preset', presetFile, ...(options.open ? [] : ['--no-open'])];
  const child = spawnChild(process.execPath, args, cleanups);
  const url = await wizardUrl(child, APP_READY_TIMEOUT_MS);
  child.stdout?.resume();
  reportLateExit(child, 'the wizard (browser mode)');
  return { shell: 'browser', url };
}

/** Builds the desktop app when stale, then starts Electron; rejects when Electron gives up at once. */
async function startElectronApp(binary: string, presetFile: string, cleanups: Cleanup[]): Promise<DemoApp> {
  const build = spawnChild(process.execPath, [BUILD_ENTRY, '--electron'], cleanups);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    build.once('exit', (c, s) => resolve([c, s])),
  );
  if (code !== 0) throw new Error(`demo: building the desktop app failed (${exitText(code, signal)})`);
  const electron = spawnChild(binary, [REPO_ROOT, '--preset', presetFile], cleanups);
  electron.stdout?.resume();
  const early = await new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), ELECTRON_SETTLE_MS);
    electron.once('exit', (c, s) => {
      clearTimeout(timer);
      resolve(exitText(c, s));
    });
  });
  if (early !== null) throw new Error(`Electron stopped at once (${early})`);
  reportLateExit(electron, 'the wizard app (Electron)');
  return { shell: 'electron', url: null };
}

/** Starts the wizard on the lab: Electron where it can run, else (or if it fails) browser mode. */
async function startApp(
  line: EmulatorsLine,
  options: DemoOptions,
  stateDir: string,
  cleanups: Cleanup[],
  say: (text: string) => void,
): Promise<DemoApp> {
  const reason = browserModeReason(options, process.env);
  const binary = electronBinary();
  if (reason === null && binary !== null) {
    say('Starting the wizard in the desktop app (Electron)…\n');
    try {
      return await startElectronApp(binary, await writePresetFile(stateDir, line), cleanups);
    } catch (error) {
      say(`${(error as Error).message}; starting the wizard in browser mode instead…\n`);
    }
  } else {
    say(`Starting the wizard in browser mode (${reason})…\n`);
  }
  return startBrowserApp(options, await writePresetFile(stateDir, line), cleanups);
}

/**
 * `npm run demo` runs us under `sh -c`; a SIGTERM to npm ends npm and the shell but is not passed
 * on to us. When our parent goes away we are re-parented, so stop then as if we got the signal.
 */
function watchParent(onOrphaned: () => void): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onOrphaned();
    }
  }, 500);
  timer.unref();
}

/** The options, or the exit status after printing the usage (0 for --help, 2 for bad input). */
function demoOptionsOrExit(argv: string[]): DemoOptions | number {
  try {
    const options = parseDemoArgs(argv);
    if (!options.help) return options;
    process.stdout.write(`${DEMO_USAGE}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`demo: ${error.message}\n${DEMO_USAGE}\n`);
    return 2;
  }
}

async function runDemo(argv: string[]): Promise<void> {
  const options = demoOptionsOrExit(argv);
  if (typeof options === 'number') process.exit(options);
  const startedAt = performance.now();
  const spec = labSpec(randomBytes(3).toString('hex'), options.nodes);
  if (options.pool) spec.pool.addresses = [options.pool];
  const stateDir = await mkdtemp(join(tmpdir(), 'metallb-demo-'));
  const cleanups: Cleanup[] = [];
  let stopping: Promise<void> | undefined;
  const startup = startDemoLab(spec, options, stateDir, cleanups);

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // A signal or the deadline can arrive mid-start: let the pieces still starting register their
      // cleanups first (bounded, in case one of them hangs), so nothing outlives the demo.
      await settledWithin(startup, STARTUP_SETTLE_MS);
      await runCleanups(cleanups, (err) => process.stderr.write(`demo: cleanup failed: ${String(err)}\n`));
      await rm(stateDir, { recursive: true, force: true });
    })();
    return stopping;
  };
  const stopAndExit = (): void => {
    void stop().then(() => process.exit(0));
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, stopAndExit);
  watchParent(stopAndExit);

  try {
    const line = await withDeadline('the demo lab', READY_TIMEOUT_MS, startup);
    const readyMs = performance.now() - startedAt;
    const say = (text: string): void => {
      if (!options.json) process.stdout.write(text);
    };
    say(humanReadable(line, spec, options, readyMs));
    const app = options.app ? await startApp(line, options, stateDir, cleanups, say) : null;
    const ready: DemoReadyLine = app === null ? line : { ...line, app };
    process.stdout.write(options.json ? `${JSON.stringify(ready)}\n` : closingLines(app));
  } catch (err) {
    // A signal during startup stops the app and the lab; its own exit is not a failure to report.
    if (stopping) return;
    process.stderr.write(`${(err as Error).message}\n`);
    await stop();
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runDemo(process.argv.slice(2));
