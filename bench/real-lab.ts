// The real lab (network namespaces, FRR, the EdgeRouter emulator backed by FRR) for the status
// figures: started once with `lab/netns/cli.ts up --json --id bnch`, shared by the entries that
// need it, and taken down by the runner after the last one.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { realLabSkipReason } from '../lab/netns/testing.ts';
import type { BenchContext } from './types.ts';

const LAB_CLI = new URL('../lab/netns/cli.ts', import.meta.url).pathname;
const LAB_ID = 'bnch';
const UP_TIMEOUT_MS = 180_000;
const DOWN_TIMEOUT_MS = 60_000;

export interface RealLab {
  router: { host: string; port: number; username: string; password: string; hostKeySha256: string };
  /** A private directory for this run (askpass script, known_hosts, host-key store). */
  work: string;
}

function labCommand(
  args: string[],
  timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [LAB_CLI, ...args, '--id', LAB_ID],
      { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

async function startLab(log: (line: string) => void): Promise<RealLab> {
  await labCommand(['down'], DOWN_TIMEOUT_MS); // leftovers of an interrupted earlier run
  log('starting the real lab (lab/netns/cli.ts up --id bnch)…');
  const up = await labCommand(['up', '--json'], UP_TIMEOUT_MS);
  if (up.code !== 0)
    throw new Error(`the real lab did not start: ${up.stderr.trim().split('\n').at(-1) ?? ''}`);
  const line = JSON.parse(up.stdout.trim().split('\n').at(-1) ?? '') as Pick<RealLab, 'router'>;
  const work = await mkdtemp(path.join(os.tmpdir(), 'mbw-bench-'));
  return { router: line.router, work };
}

async function stopLab(lab: RealLab): Promise<void> {
  await labCommand(['down'], DOWN_TIMEOUT_MS);
  await rm(lab.work, { recursive: true, force: true });
}

/** The lab, or the reason it cannot run here (not root, no FRR, not Linux). */
export async function realLab(ctx: BenchContext): Promise<RealLab | { skipped: string }> {
  const reason = await realLabSkipReason();
  if (reason) return { skipped: reason };
  return ctx.shared('real-lab', () => startLab(ctx.log), stopLab);
}

/** An SSH_ASKPASS script that prints the lab router's password (OpenSSH reads no password otherwise). */
export async function askpassScript(lab: RealLab): Promise<string> {
  const file = path.join(lab.work, 'askpass');
  await writeFile(file, `#!/bin/sh\nprintf '%s\\n' '${lab.router.password}'\n`);
  await chmod(file, 0o700);
  return file;
}
