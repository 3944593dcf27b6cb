// `npm run demo`: the in-memory lab. An emulated EdgeRouter over real SSH, an emulated Kubernetes
// API that behaves like MetalLB, and the in-memory routing backend between them, all on loopback
// and without root. Runs until SIGTERM/SIGINT, then stops everything and deletes its state.
//
//   npm run demo              prints the endpoints and credentials
//   npm run demo -- --json    prints one JSON line once ready (for tests and the app)
//   npm run demo -- --fast    no simulated delays (sessions, readiness, router responses)
//   --dialect edgeos|vyos, --nodes 1-8, --scenario NAME[,NAME], --hash addresses|addresses-ports
//                             choose the case the lab shows (see lab/options.ts)

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createMemoryBackend } from './memory/backend.ts';
import { labSpec } from './spec.ts';
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

/** The line `--json` prints; `app` joins it once the renderer's browser mode exists. */
export type DemoReadyLine = EmulatorsLine;

/** Looks like a real network: sessions take a moment, workloads take a moment to become Ready. */
const SESSION_DELAY_MS = 1500;
const READINESS_DELAY_MS = 2000;
const READY_TIMEOUT_MS = 10_000;
const STARTUP_SETTLE_MS = 5_000;

export const DEMO_USAGE = `usage: npm run demo -- [--json] [--fast] ${CASE_USAGE}`;

export interface DemoOptions extends LabCaseOptions {
  json: boolean;
  /** Zero delays: sessions Established and workloads Ready at once, no router response delay. */
  fast: boolean;
  help: boolean;
}

/** The demo's command line; throws a UsageError naming an unknown option or a bad value. */
export function parseDemoArgs(argv: string[]): DemoOptions {
  const { values } = strictArgs(
    argv,
    {
      json: { type: 'boolean' },
      fast: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      ...CASE_OPTION_SPECS,
    },
    false,
  );
  return {
    json: values.json ?? false,
    fast: values.fast ?? false,
    help: values.help ?? false,
    ...caseOptionsFrom(values),
  };
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
    readinessDelayMs: options.fast ? 0 : READINESS_DELAY_MS,
    routerDelayMs: 0,
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

The app's browser mode does not exist yet, so the demo cannot open the wizard for you; use the
CLI and the clients above against these endpoints. Machine-readable: npm run demo -- --json
Press Ctrl-C to stop; the lab's temporary files are deleted on exit.
`;
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
    process.stdout.write(
      options.json ? `${JSON.stringify(line)}\n` : humanReadable(line, spec, options, readyMs),
    );
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    await stop();
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runDemo(process.argv.slice(2));
