// `npm run lab -- up|down|status [--id X] [--json]`: the real lab (network namespaces, FRR, echo
// servers, the Kubernetes API emulator and the EdgeRouter emulator backed by FRR). Needs Linux and root.
//
//   up      starts a detached daemon, waits until it is ready, prints the endpoints (one JSON line with --json);
//           --dialect, --nodes, --scenario, --hash and --readiness-delay choose the case (lab/options.ts)
//   status  tells whether the lab runs, and the router's BGP summary when it does
//   down    stops the daemon, then removes any namespace, process and file the lab left behind

import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { access, mkdir, readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { labSpec } from '../spec.ts';
import {
  CASE_OPTION_NAMES,
  CASE_OPTION_SPECS,
  CASE_USAGE,
  DEFAULT_CASE,
  UsageError,
  caseOptionArgs,
  caseOptionsFrom,
  caseSummary,
  strictArgs,
} from '../options.ts';
import type { LabCaseOptions } from '../options.ts';
import { allNamespaceNames, labNamespaces, listNamespaces, namespacePrefix, removeLab } from './topology.ts';
import { missingFrrParts, VTYSH } from './frr.ts';
import { runCommand } from './run.ts';
import {
  isLabDaemon,
  labDirectory,
  logFile,
  processAlive,
  readLabState,
  type LabReadyLine,
  type LabState,
} from './state.ts';

const UP_TIMEOUT_MS = 120_000;
const DOWN_GRACE_MS = 20_000;

export interface LabCliOptions extends LabCaseOptions {
  command: 'up' | 'down' | 'status';
  id: string;
  json: boolean;
}

export const LAB_USAGE = `usage: npm run lab -- up|down|status [--id ID] [--json]; up also takes ${CASE_USAGE}`;

const COMMANDS: readonly LabCliOptions['command'][] = ['up', 'down', 'status'];

/** The lab CLI's command line; throws a UsageError naming an unknown option or a bad value. */
export function parseLabArgs(argv: string[]): LabCliOptions {
  const { values, positionals } = strictArgs(
    argv,
    { id: { type: 'string' }, json: { type: 'boolean' }, ...CASE_OPTION_SPECS },
    true,
  );
  if (positionals.length === 0) throw new UsageError('give a command: up, down or status');
  if (positionals.length > 1) throw new UsageError(`give one command, not "${positionals.join(' ')}"`);
  const command = positionals[0] ?? '';
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new UsageError(`unknown command "${command}"; use up, down or status`);
  if (command !== 'up') {
    const caseOption = CASE_OPTION_NAMES.find((o) => values[o] !== undefined);
    if (caseOption) throw new UsageError(`--${caseOption} applies to "up" only, not "${command}"`);
  }
  const id = values.id ?? 'lab';
  try {
    labSpec(id); // validates the id with a clear message
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    command: command as LabCliOptions['command'],
    id,
    json: values.json ?? false,
    ...caseOptionsFrom(values),
  };
}

function caseOf(options: LabCaseOptions): LabCaseOptions {
  return {
    dialect: options.dialect,
    nodes: options.nodes,
    scenarios: options.scenarios,
    hash: options.hash,
    ...(options.readinessDelayMs === undefined ? {} : { readinessDelayMs: options.readinessDelayMs }),
  };
}

function sameCase(a: LabCaseOptions, b: LabCaseOptions): boolean {
  return JSON.stringify(caseOf(a)) === JSON.stringify(caseOf(b));
}

async function commandExists(file: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    try {
      await access(path.join(dir, file));
      return true;
    } catch {
      // next
    }
  }
  return false;
}

async function isDebian(): Promise<boolean> {
  const release = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return /^(ID|ID_LIKE)=.*debian/m.test(release);
}

/** Throws a message listing what the real lab needs and lacks; installs FRR where it can. */
export async function checkPrerequisites(log: (line: string) => void): Promise<void> {
  if (process.platform !== 'linux')
    throw new Error('the real lab needs Linux (network namespaces); use "npm run demo" elsewhere');
  if (process.getuid?.() !== 0)
    throw new Error(
      'the real lab needs root (it creates network namespaces); run it with sudo, or use "npm run demo"',
    );
  const missingTools: string[] = [];
  for (const tool of ['ip', 'curl', 'sysctl']) if (!(await commandExists(tool))) missingTools.push(tool);
  if (missingTools.length > 0) {
    throw new Error(
      `the real lab needs ${missingTools.join(', ')}; install them (Debian: apt-get install -y iproute2 curl procps)`,
    );
  }
  let missingFrr = await missingFrrParts();
  if (missingFrr.length > 0 && (await isDebian())) {
    log('FRR is missing: installing it with apt-get install -y frr');
    const install = await runCommand('apt-get', ['install', '-y', 'frr'], 600_000);
    if (install.exitCode !== 0)
      throw new Error(
        `apt-get install -y frr failed (exit ${install.exitCode}): ${install.stderr.trim().split('\n').slice(-3).join(' ')}`,
      );
    missingFrr = await missingFrrParts();
  }
  if (missingFrr.length > 0)
    throw new Error(`the real lab needs FRR 7.4+ (zebra, bgpd, vtysh); missing: ${missingFrr.join(', ')}`);
}

async function tail(file: string, lines: number): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Removes everything of lab `id`: the daemon, every process in its namespaces, the namespaces, the dir. */
export async function forceClean(id: string, state: LabState | null): Promise<void> {
  await removeLab(id, state?.pids ?? []);
  const dir = labDirectory(id);
  await rm(dir, { recursive: true, force: true });
  // The parent is shared by labs side by side: remove it only once the last one is gone.
  await rmdir(path.dirname(dir)).catch(() => undefined);
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!processAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !processAlive(pid);
}

async function waitForReadyState(dir: string, daemonPid: number): Promise<LabState> {
  const deadline = Date.now() + UP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const state = await readLabState(dir);
    if (state?.phase === 'ready' && state.line) return state;
    if (state?.phase === 'failed') throw new Error(state.error ?? 'the lab daemon failed');
    if (!processAlive(daemonPid))
      throw new Error(state?.error ?? 'the lab daemon exited before it was ready');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the lab was not ready within ${UP_TIMEOUT_MS / 1000} s`);
}

function humanReadyText(line: LabReadyLine, id: string, options: LabCaseOptions): string {
  const r = line.router;
  const nodes = line.namespaces.nodes.map((n) => `${n.name} ${n.address} (${n.namespace})`).join(', ');
  return `Real lab "${id}" is up. Nothing is configured yet.
  case:         ${caseSummary(options)}
  router ssh:   ssh -p ${r.port} ${r.username}@${r.host}   password ${r.password}   host key ${r.hostKeySha256}
  kubeconfig:   ${line.kubeconfig}
  topology:     ${line.topology}
  namespaces:   router ${line.namespaces.router}, LAN client ${line.namespaces.lanClient}, cluster client ${line.namespaces.clusterClient}
  nodes:        ${nodes}
  try:          ip netns exec ${line.namespaces.lanClient} curl http://<service IP>/
  stop:         npm run lab -- down --id ${id}
`;
}

export async function labUpCommand(options: LabCliOptions, out: (text: string) => void): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  await checkPrerequisites(log);
  const dir = labDirectory(options.id);
  const existing = await readLabState(dir);
  if (existing && (await isLabDaemon(existing.pid)) && existing.phase === 'ready' && existing.line) {
    const running = existing.options ?? DEFAULT_CASE;
    if (!sameCase(running, options)) {
      throw new Error(
        `lab "${options.id}" is already up with another case (${caseSummary(running)}); run "npm run lab -- down --id ${options.id}" first, or use another --id`,
      );
    }
    // Idempotent: a lab that is up is reported, not rebuilt.
    out(
      options.json
        ? `${JSON.stringify(existing.line)}\n`
        : humanReadyText(existing.line, options.id, running),
    );
    return;
  }
  if (existing && (await isLabDaemon(existing.pid))) {
    throw new Error(
      `lab "${options.id}" is ${existing.phase} (daemon PID ${existing.pid}); wait, or run "npm run lab -- down --id ${options.id}"`,
    );
  }
  // Leftovers of a crashed lab with this id would collide with the new namespaces.
  await forceClean(options.id, existing);
  await mkdir(dir, { recursive: true, mode: 0o755 });

  const daemonScript = fileURLToPath(new URL('./daemon.ts', import.meta.url));
  const logFd = openSync(logFile(dir), 'a');
  const daemonArgs = [daemonScript, '--id', options.id, '--dir', dir, ...caseOptionArgs(options)];
  const daemon = spawn(process.execPath, daemonArgs, {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    cwd: process.cwd(),
  });
  closeSync(logFd);
  daemon.unref();
  const pid = daemon.pid;
  if (!pid) throw new Error(`could not start the lab daemon; see ${logFile(dir)}`);

  try {
    const state = await waitForReadyState(dir, pid);
    out(options.json ? `${JSON.stringify(state.line)}\n` : humanReadyText(state.line!, options.id, options));
  } catch (error) {
    const logTail = await tail(logFile(dir), 15);
    if (processAlive(pid)) process.kill(pid, 'SIGTERM');
    await waitForExit(pid, DOWN_GRACE_MS);
    await forceClean(options.id, await readLabState(dir));
    throw new Error(
      `lab "${options.id}" did not come up: ${(error as Error).message}\n--- daemon log (last lines) ---\n${logTail}`,
      { cause: error },
    );
  }
}

export async function labDownCommand(options: LabCliOptions, out: (text: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('"lab down" needs root (it deletes network namespaces)');
  const dir = labDirectory(options.id);
  const state = await readLabState(dir);
  let how = 'nothing was running';
  if (state && (await isLabDaemon(state.pid))) {
    process.kill(state.pid, 'SIGTERM');
    if (await waitForExit(state.pid, DOWN_GRACE_MS)) how = 'stopped';
    else {
      process.kill(state.pid, 'SIGKILL');
      how = `killed (it did not stop within ${DOWN_GRACE_MS / 1000} s)`;
    }
  }
  const leftovers = (await listNamespaces()).filter((name) => name.startsWith(namespacePrefix(options.id)));
  await forceClean(options.id, state);
  const summary = { id: options.id, daemon: how, removedNamespaces: leftovers, removedDir: dir };
  out(
    options.json
      ? `${JSON.stringify(summary)}\n`
      : `lab "${options.id}" is down (daemon ${how}; ${dir} removed)\n`,
  );
}

export interface LabStatusReport {
  id: string;
  dir: string;
  running: boolean;
  phase: LabState['phase'] | 'absent';
  daemonPid: number | null;
  namespaces: string[];
  missingNamespaces: string[];
  line: LabReadyLine | null;
  error: string | null;
  bgpSummary: string | null;
}

export async function labStatus(id: string): Promise<LabStatusReport> {
  const dir = labDirectory(id);
  const state = await readLabState(dir);
  const running = state ? await isLabDaemon(state.pid) : false;
  const present = (await listNamespaces()).filter((name) => name.startsWith(namespacePrefix(id)));
  const expected = allNamespaceNames(labNamespaces(labSpec(id, state?.options?.nodes ?? DEFAULT_CASE.nodes)));
  let bgpSummary: string | null = null;
  const routerNamespace = state?.line?.namespaces.router;
  if (running && routerNamespace) {
    const summary = await runCommand(
      VTYSH,
      ['--vty_socket', path.join(dir, 'frr', routerNamespace), '-c', 'show bgp summary'],
      10_000,
    );
    const text = summary.stdout.trim();
    if (/BGP instance not found/.test(text)) bgpSummary = 'no BGP configured yet (FRR is running)';
    else bgpSummary = summary.exitCode === 0 ? text : `vtysh failed: ${(text || summary.stderr).trim()}`;
  }
  return {
    id,
    dir,
    running,
    phase: state ? (running || state.phase !== 'ready' ? state.phase : 'stopped') : 'absent',
    daemonPid: state?.pid ?? null,
    namespaces: present,
    missingNamespaces: running ? expected.filter((name) => !present.includes(name)) : [],
    line: state?.line ?? null,
    error: state?.error ?? null,
    bgpSummary,
  };
}

function humanStatusText(report: LabStatusReport): string {
  if (!report.running) {
    const leftovers =
      report.namespaces.length > 0
        ? `; leftover namespaces: ${report.namespaces.join(', ')} (run "npm run lab -- down --id ${report.id}")`
        : '';
    return `lab "${report.id}" is not running (${report.phase})${report.error ? `: ${report.error}` : ''}${leftovers}\n`;
  }
  const lines = [`lab "${report.id}" is ${report.phase} (daemon PID ${report.daemonPid}, dir ${report.dir})`];
  if (report.line)
    lines.push(
      `  router ssh ${report.line.router.host}:${report.line.router.port}, kubeconfig ${report.line.kubeconfig}`,
    );
  lines.push(`  namespaces: ${report.namespaces.join(', ')}`);
  if (report.missingNamespaces.length > 0)
    lines.push(`  MISSING namespaces: ${report.missingNamespaces.join(', ')}`);
  if (report.bgpSummary) lines.push('  router FRR:', ...report.bgpSummary.split('\n').map((l) => `    ${l}`));
  return `${lines.join('\n')}\n`;
}

/** `lab status` of a lab that is not running (0 ok, 1 failed, 2 invalid input, as everywhere). */
export const LAB_NOT_RUNNING = 4;

export async function runLabCli(
  argv: string[],
  out: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  try {
    const options = parseLabArgs(argv);
    if (options.command === 'up') await labUpCommand(options, out);
    else if (options.command === 'down') await labDownCommand(options, out);
    else {
      const report = await labStatus(options.id);
      out(options.json ? `${JSON.stringify(report)}\n` : humanStatusText(report));
      // 4, not 3: across the project's commands 3 means "host key unknown or changed".
      return report.running ? 0 : LAB_NOT_RUNNING;
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`lab: ${error.message}\n${LAB_USAGE}\n`);
      return 2;
    }
    process.stderr.write(`lab: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runLabCli(process.argv.slice(2));
}
