// The real lab's long-running process, started detached by `npm run lab -- up`:
//   <node> lab/netns/daemon.ts --id X --dir /run/metallb-bgp-wizard/lab-X [--dialect …] [--nodes N] [--scenario …] [--hash …] [--readiness-delay MS]
// It builds the namespaces, starts FRR on the router and nodes, the nodes' echo servers, the Kubernetes
// API emulator and the EdgeRouter emulator (with FRR as its routing backend), checks that all of them
// answer, writes topology.yaml and state.json, and then runs until SIGTERM/SIGINT, when it removes
// everything it made. `up` waits for state.json to say "ready" (or "failed").
// The daemon runs in the host's namespace: SSH and the API listen on 127.0.0.1 only; every lab
// address lives inside the namespaces.

import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { labSpec, type LabSpec } from '../spec.ts';
import {
  CASE_OPTION_SPECS,
  DEFAULT_CASE,
  caseOptionsFrom,
  strictArgs,
  type LabCaseOptions,
} from '../options.ts';
import { runCleanups, startLabEmulators, type Cleanup } from '../compose.ts';
import { labUp, removeLab, type LabNamespaces } from './topology.ts';
import { FrrBackend, startLabFrr } from './frr-backend.ts';
import { spawnEchoServer } from './echo.ts';
import { writeLabState, type LabReadyLine, type LabState } from './state.ts';

const READY_CHECK_TIMEOUT_MS = 20_000;

function namespacesOfLine(ns: LabNamespaces): LabReadyLine['namespaces'] {
  return {
    router: ns.router,
    lanClient: ns.lanClient,
    clusterClient: ns.clusterClient,
    nodes: ns.nodes.map((n) => ({ ...n })),
  };
}

/** Starts every piece of the lab; registers a cleanup for each as soon as it exists. */
async function startLab(
  spec: LabSpec,
  options: LabCaseOptions,
  dir: string,
  state: LabState,
  cleanups: Cleanup[],
): Promise<LabReadyLine> {
  cleanups.push(() => removeLab(spec.id, state.pids));
  const ns = await labUp(spec, { hashPolicy: options.hash });

  const backend = new FrrBackend(await startLabFrr(ns, dir));
  cleanups.push(() => backend.close());
  state.pids.push(...(await backend.pids()));

  for (const node of ns.nodes) {
    const echo = await spawnEchoServer({
      namespace: node.namespace,
      name: node.name,
      port: 80,
      logFile: path.join(dir, `echo-${node.name}.log`),
    });
    state.pids.push(echo.pid);
  }
  await writeLabState(state);

  const emulators = await startLabEmulators({
    spec,
    dir,
    backend,
    cleanups,
    dialect: options.dialect,
    scenario: options.scenarios,
    // Absent: the emulator's own default (1500 ms).
    readinessDelayMs: options.readinessDelayMs,
    readyTimeoutMs: READY_CHECK_TIMEOUT_MS,
    onViewError: (error) =>
      console.error(`lab: could not apply the cluster's BGP view to the nodes' FRR: ${String(error)}`),
  });
  const line: LabReadyLine = { ...emulators, namespaces: namespacesOfLine(ns) };
  // FRR runs: both daemons on the router and on every node.
  const frrPids = await backend.pids();
  if (frrPids.length !== 2 * (1 + ns.nodes.length)) {
    throw new Error(
      `only ${frrPids.length} of ${2 * (1 + ns.nodes.length)} FRR daemons are running; see the logs under ${path.join(dir, 'frr')}`,
    );
  }
  return line;
}

export async function runLabDaemon(
  id: string,
  dir: string,
  options: LabCaseOptions = DEFAULT_CASE,
): Promise<void> {
  const spec = labSpec(id, options.nodes);
  await mkdir(dir, { recursive: true });
  // FRR drops to user frr and must reach its files under this directory.
  await chmod(dir, 0o755);
  const state: LabState = {
    id,
    pid: process.pid,
    dir,
    phase: 'starting',
    startedAt: new Date().toISOString(),
    pids: [],
    options,
  };
  await writeLabState(state);
  const cleanups: Cleanup[] = [];
  let stopping: Promise<void> | undefined;

  const stop = (phase: 'stopped' | 'failed'): Promise<void> => {
    stopping ??= (async () => {
      if (phase === 'stopped') {
        state.phase = 'stopping';
        await writeLabState(state).catch(() => undefined);
      }
      await runCleanups(cleanups, (error) => console.error(`lab: cleanup step failed: ${String(error)}`));
      state.phase = phase;
      await writeLabState(state).catch(() => undefined);
    })();
    return stopping;
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.log(`lab ${id}: ${signal}, removing the lab`);
      void stop('stopped').then(() => process.exit(0));
    });
  }
  process.on('uncaughtException', (error) => {
    console.error(`lab ${id}: unexpected error: ${error.stack ?? error.message}`);
    state.error = error.message;
    void stop('failed').then(() => process.exit(1));
  });

  try {
    const line = await startLab(spec, options, dir, state, cleanups);
    state.line = line;
    state.phase = 'ready';
    await writeLabState(state);
    console.log(`lab ${id}: ready`);
  } catch (error) {
    state.error = error instanceof Error ? error.message : String(error);
    console.error(`lab ${id}: start-up failed: ${state.error}`);
    await stop('failed');
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const usage = 'usage: daemon.ts --id ID --dir LAB_DIR [case options] (started by "npm run lab -- up")';
  let parsed: { id: string; dir: string; options: LabCaseOptions };
  try {
    const { values } = strictArgs(
      process.argv.slice(2),
      { id: { type: 'string' }, dir: { type: 'string' }, ...CASE_OPTION_SPECS },
      false,
    );
    if (!values.id || !values.dir) throw new Error('--id and --dir are required');
    parsed = { id: values.id, dir: values.dir, options: caseOptionsFrom(values) };
  } catch (error) {
    console.error(`lab daemon: ${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  await runLabDaemon(parsed.id, parsed.dir, parsed.options);
}
