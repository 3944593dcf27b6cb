// Runs Debian's OpenSSH client against the emulator the strict way a careful user would: no user
// config, host key pinned in our own known_hosts, no password prompts, bounded in time.

import { spawn } from 'node:child_process';

export interface OpenSshRun {
  stdout: string;
  stderr: string;
  /** null when the run was killed at its time limit. */
  code: number | null;
}

export interface OpenSshOptions {
  port: number;
  knownHosts: string;
  /** A private key file; without one, keys come from the agent in `env.SSH_AUTH_SOCK`. */
  identity?: string;
  /** Options and the remote command, placed after the destination (OpenSSH parses both there). */
  args: string[];
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export function runOpenSsh(opts: OpenSshOptions): Promise<OpenSshRun> {
  const identity = opts.identity ? ['-o', 'IdentitiesOnly=yes', '-i', opts.identity] : [];
  const args = [
    '-F',
    '/dev/null',
    '-o',
    `UserKnownHostsFile=${opts.knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=10',
    ...identity,
    '-p',
    String(opts.port),
    'ubnt@127.0.0.1',
    ...opts.args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    // Bounded: a shell that never exits must fail the test, not hang it.
    const timer = setTimeout(() => child.kill(), opts.timeoutMs ?? 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}
