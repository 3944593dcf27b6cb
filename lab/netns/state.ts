// Where a real lab keeps its state, and the state file that `up`, `status` and `down` share with the
// detached daemon.

import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EmulatorsLine } from '../compose.ts';
import type { LabCaseOptions } from '../options.ts';

/** The line `lab up --json` prints (the demo's line plus the namespaces). */
export interface LabReadyLine extends EmulatorsLine {
  namespaces: {
    router: string;
    lanClient: string;
    clusterClient: string;
    nodes: { name: string; namespace: string; address: string }[];
  };
}

export type LabPhase = 'starting' | 'ready' | 'failed' | 'stopping' | 'stopped';

export interface LabState {
  id: string;
  /** The daemon's PID. */
  pid: number;
  dir: string;
  phase: LabPhase;
  startedAt: string;
  /** Every process the lab started (FRR daemons, echo servers), for cleanup after a crash. */
  pids: number[];
  /** The case the lab was started with (`up --dialect/--nodes/--scenario/--hash`); absent = the defaults. */
  options?: LabCaseOptions;
  line?: LabReadyLine;
  error?: string;
}

/**
 * The lab directory. As root (the real lab always is) it lives under /run, which is a tmpfs: a reboot
 * cannot leave stale state behind, matching namespaces, which do not survive one either. Otherwise
 * (only `status` without root, to report) the same place when it exists, else under os.tmpdir().
 */
export function labDirectory(id: string): string {
  const runDir = path.join('/run/metallb-bgp-wizard', `lab-${id}`);
  if (process.getuid?.() === 0 || existsSync(runDir)) return runDir;
  return path.join(os.tmpdir(), 'metallb-bgp-wizard', `lab-${id}`);
}

export function stateFile(dir: string): string {
  return path.join(dir, 'state.json');
}

export function logFile(dir: string): string {
  return path.join(dir, 'daemon.log');
}

export async function readLabState(dir: string): Promise<LabState | null> {
  try {
    return JSON.parse(await readFile(stateFile(dir), 'utf8')) as LabState;
  } catch {
    return null;
  }
}

/** Written atomically, so a reader never sees half a file. */
export async function writeLabState(state: LabState): Promise<void> {
  await mkdir(state.dir, { recursive: true });
  const temporary = `${stateFile(state.dir)}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, stateFile(state.dir));
}

export { processAlive } from './run.ts';
import { processAlive } from './run.ts';

/** Whether `pid` is alive and is a lab daemon (guards against a recycled PID). */
export async function isLabDaemon(pid: number): Promise<boolean> {
  if (!processAlive(pid)) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes('daemon.ts');
}
