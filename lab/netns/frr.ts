// One FRR (zebra + bgpd) per network namespace, with every runtime file (config, pid files, vty and
// zserv sockets, logs) in a directory of the lab, so labs never share or touch /etc/frr or /run/frr.

import { mkdir, readFile, rm, writeFile, chown, access } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { runCommand } from './run.ts';
import { processAlive } from './run.ts';
import { killProcesses } from './topology.ts';

export const FRR_DIR = '/usr/lib/frr';
export const ZEBRA = `${FRR_DIR}/zebra`;
export const BGPD = `${FRR_DIR}/bgpd`;
export const VTYSH = '/usr/bin/vtysh';

export interface FrrInstance {
  /** Network namespace the daemons run in. */
  namespace: string;
  /** Pathspace and hostname, unique per lab (it appears in FRR's own logs). */
  name: string;
  /** Directory holding config, pid files, sockets and logs; owned by frr:frr as the daemons require. */
  dir: string;
}

/** What is missing for the real lab's FRR, or an empty list. */
export async function missingFrrParts(): Promise<string[]> {
  const missing: string[] = [];
  for (const file of [ZEBRA, BGPD, VTYSH]) {
    try {
      await access(file);
    } catch {
      missing.push(file);
    }
  }
  if ((await frrIds()) === null) missing.push('user and group "frr"');
  return missing;
}

async function idFromDatabase(file: string, name: string): Promise<number | null> {
  const text = await readFile(file, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields[2] !== undefined) return Number.parseInt(fields[2], 10);
  }
  return null;
}

async function frrIds(): Promise<{ uid: number; gid: number } | null> {
  const uid = await idFromDatabase('/etc/passwd', 'frr');
  const gid = await idFromDatabase('/etc/group', 'frr');
  return uid === null || gid === null ? null : { uid, gid };
}

function file(instance: FrrInstance, name: string): string {
  return path.join(instance.dir, name);
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

async function readPid(pidFile: string): Promise<number | null> {
  const text = await readFile(pidFile, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** PIDs of the instance's live daemons, from their pid files. */
export async function frrPids(instance: FrrInstance): Promise<number[]> {
  const pids: number[] = [];
  for (const daemon of ['zebra', 'bgpd']) {
    const pid = await readPid(file(instance, `${daemon}.pid`));
    if (pid !== null && processAlive(pid)) pids.push(pid);
  }
  return pids;
}

async function startDaemon(instance: FrrInstance, binary: string, daemon: string): Promise<void> {
  const result = await runCommand('ip', [
    'netns',
    'exec',
    instance.namespace,
    binary,
    '-d',
    '-N',
    instance.name,
    '-f',
    file(instance, `${daemon}.conf`),
    '-i',
    file(instance, `${daemon}.pid`),
    '-z',
    file(instance, 'zserv.api'),
    '--vty_socket',
    instance.dir,
    // No TCP vty: vtysh talks over the socket directory only.
    '-P',
    '0',
    '--log',
    `file:${file(instance, `${daemon}.log`)}`,
  ]);
  if (result.exitCode !== 0) {
    const reason = (result.stderr || result.stdout).trim().split('\n').slice(-2).join(' ');
    throw new Error(
      `could not start ${daemon} in namespace ${instance.namespace}: ${reason} (files in ${instance.dir})`,
    );
  }
}

/**
 * Starts zebra then bgpd in `namespace` and waits until vtysh answers. The daemons drop to user frr,
 * so every directory above `dir` must be traversable by it (mode 755, not mkdtemp's 700).
 */
export async function startFrr(options: {
  namespace: string;
  name: string;
  dir: string;
}): Promise<FrrInstance> {
  const instance: FrrInstance = { ...options };
  const ids = await frrIds();
  if (!ids)
    throw new Error(
      'FRR is not installed properly: user/group "frr" missing; install it with "apt-get install -y frr"',
    );
  await mkdir(instance.dir, { recursive: true });
  for (const daemon of ['zebra', 'bgpd']) {
    await writeFile(file(instance, `${daemon}.conf`), `hostname ${instance.name}\n`);
    await chown(file(instance, `${daemon}.conf`), ids.uid, ids.gid);
  }
  await chown(instance.dir, ids.uid, ids.gid);
  await startDaemon(instance, ZEBRA, 'zebra');
  await waitForSocket(file(instance, 'zserv.api'), 10_000);
  await startDaemon(instance, BGPD, 'bgpd');
  await waitUntilAnswering(instance, 10_000);
  return instance;
}

async function waitForSocket(socketPath: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await access(socketPath);
      return;
    } catch {
      if (Date.now() > deadline)
        throw new Error(
          `FRR socket ${socketPath} did not appear within ${timeoutMs} ms; see the logs beside it`,
        );
      await sleep(50);
    }
  }
}

async function waitUntilAnswering(instance: FrrInstance, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const result = await runCommand(
      VTYSH,
      ['--vty_socket', instance.dir, '-c', 'show bgp summary json'],
      5_000,
    );
    if (result.exitCode === 0 && result.stdout.trim().startsWith('{')) return;
    last = (result.stderr || result.stdout).trim();
    await sleep(100);
  }
  throw new Error(
    `FRR in namespace ${instance.namespace} did not answer vtysh within ${timeoutMs} ms: ${last}`,
  );
}

/** Whether both daemons are alive. */
export async function frrRunning(instance: FrrInstance): Promise<boolean> {
  return (await frrPids(instance)).length === 2;
}

/** Runs vtysh commands (each one `-c`); throws with FRR's message when one fails. */
export async function vtysh(instance: FrrInstance, commands: string[]): Promise<string> {
  const args = ['--vty_socket', instance.dir];
  for (const command of commands) args.push('-c', command);
  const result = await runCommand(VTYSH, args, 15_000);
  // vtysh prints FRR's complaints ("% Unknown command", "% Invalid …") on stdout and exits non-zero.
  if (result.exitCode !== 0 || /^%/m.test(result.stdout)) {
    // FRR's own words are on stdout; stderr only has execFile's restatement of the command line.
    const message = result.stdout.trim() || result.stderr.trim();
    throw new Error(`vtysh in ${instance.namespace} failed on [${commands.join(' | ')}]: ${message}`);
  }
  return result.stdout;
}

/** The daemons of a lab FRR; each serves vtysh on `<daemon>.vty` in the instance's directory. */
export type FrrDaemon = 'zebra' | 'bgpd';

// The status byte closing each answer: CMD_SUCCESS and CMD_WARNING (what `show bgp summary json`
// returns without BGP) are answers; anything else is FRR refusing the command, as vtysh -c judges it.
const ANSWER_STATUSES = new Set([0, 1]);

/**
 * Runs show commands on one daemon over its vty socket, speaking vtysh's own protocol: each command
 * NUL-terminated, each answer ended by three NULs and the command's status byte. Reads go this way
 * because spawning vtysh costs 50–80 ms of CPU (it builds every daemon's command tree at start-up)
 * where the socket round trip costs about a millisecond. Returns one output per command, in order;
 * throws with FRR's message when a command is refused, or naming the socket when the daemon is gone.
 */
export function vtyShow(
  instance: FrrInstance,
  daemon: FrrDaemon,
  commands: string[],
  timeoutMs = 15_000,
): Promise<string[]> {
  const socketPath = file(instance, `${daemon}.vty`);
  const where = `${daemon} in ${instance.namespace}`;
  // vtysh enters enable mode first; doing the same keeps the daemon's view of the session identical.
  const queue = ['enable', ...commands];
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    const answers: string[] = [];
    let chunks: Buffer[] = [];
    let tail = Buffer.alloc(0);
    let settled = false;
    const pending = () => queue[answers.length] ?? '';
    const timer = setTimeout(
      () => finish(new Error(`${where} did not answer "${pending()}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    function finish(error?: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(answers.slice(1));
    }
    const sendNext = () => {
      if (answers.length === queue.length) finish();
      else socket.write(`${pending()}\0`);
    };
    socket.on('connect', sendNext);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // The end marker may arrive split over two reads; FRR's text itself never holds a NUL.
      tail = Buffer.concat([tail, chunk]).subarray(-4);
      if (tail.length < 4 || tail[0] !== 0 || tail[1] !== 0 || tail[2] !== 0) return;
      const output = Buffer.concat(chunks).subarray(0, -4).toString('utf8');
      const status = tail[3] ?? 0;
      chunks = [];
      tail = Buffer.alloc(0);
      if (!ANSWER_STATUSES.has(status) || /^%/m.test(output)) {
        finish(new Error(`${where} refused "${pending()}": ${output.trim() || `status ${status}`}`));
        return;
      }
      answers.push(output);
      sendNext();
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish(
        new Error(
          `${where} is not answering on ${socketPath} (${error.code ?? error.message}); ` +
            'the daemon may have stopped: see its log beside the socket',
        ),
      ),
    );
    socket.on('close', () =>
      finish(new Error(`${where} closed its vty socket before answering "${pending()}"`)),
    );
  });
}

/** Runs configuration lines in `configure terminal` (lines include their own context commands). */
export async function vtyshConfigure(instance: FrrInstance, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  await vtysh(instance, ['configure terminal', ...lines]);
}

/** A show command with `json`, parsed; `{}` when FRR prints nothing. */
export async function vtyshJson(instance: FrrInstance, command: string): Promise<unknown> {
  const out = await vtysh(instance, [command]);
  const text = out.trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`FRR in ${instance.namespace} printed non-JSON for "${command}": ${text.slice(0, 200)}`);
  }
}

/** Stops both daemons (SIGTERM, then SIGKILL) and removes the instance's directory. */
export async function stopFrr(instance: FrrInstance): Promise<void> {
  await killProcesses(await frrPids(instance));
  await rm(instance.dir, { recursive: true, force: true });
}
