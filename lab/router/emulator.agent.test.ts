// Logging in to the router emulator with a key held by ssh-agent: through ssh2's `agent` option
// and through OpenSSH's ssh with SSH_AUTH_SOCK, the way a user with a passphrase-less agent does.

import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouterEmulator } from './index.ts';
import type { RouterEmulator } from './index.ts';
import { StaticBackend } from './testing/static-backend.ts';
import { sshExec } from './testing/ssh-client.ts';
import { runOpenSsh } from './testing/openssh.ts';

function missingTools(): string[] {
  return ['ssh-agent', 'ssh-add', 'ssh-keygen', 'ssh'].filter((tool) => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
}

const missing = missingTools();
if (missing.length > 0)
  console.warn(`${missing.join(', ')} not installed: skipping the ssh-agent tests of the router emulator`);

async function waitForSocket(file: string, agent: ChildProcess, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (agent.exitCode !== null) throw new Error(`ssh-agent exited with ${agent.exitCode} before listening`);
    if (Date.now() > deadline) throw new Error(`ssh-agent did not create ${file} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(missing.length > 0)('router emulator with a key from ssh-agent', () => {
  let dir: string;
  let sock: string;
  let agent: ChildProcess;
  let emulator: RouterEmulator;
  let knownHosts: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'router-agent-'));
    sock = path.join(dir, 'agent.sock');
    const keyFile = path.join(dir, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'agent@lab', '-f', keyFile]);
    agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    await waitForSocket(sock, agent);
    execFileSync('ssh-add', ['-q', keyFile], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'pipe' });
    // Only the agent holds the private key from here on, so a login proves the agent signed.
    rmSync(keyFile);
    emulator = await startRouterEmulator({
      stateDir: path.join(dir, 'state'),
      dialect: 'edgeos',
      backend: new StaticBackend(),
      users: [{ username: 'ubnt', authorizedKeys: [readFileSync(`${keyFile}.pub`, 'utf8').trim()] }],
    });
    knownHosts = path.join(dir, 'known_hosts');
    const ed25519 = emulator.hostKeys.find((k) => k.type === 'ssh-ed25519')!;
    writeFileSync(knownHosts, `[127.0.0.1]:${emulator.port} ${ed25519.publicKey}\n`);
  });

  afterAll(async () => {
    await emulator?.stop();
    agent?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with ssh2 `agent: SOCK`, and not without the agent', async () => {
    const target = { host: emulator.host, port: emulator.port, username: 'ubnt' };
    expect(await sshExec({ ...target, agent: sock }, 'echo via-agent')).toEqual({
      stdout: 'via-agent\n',
      stderr: '',
      code: 0,
    });
    await expect(sshExec(target, 'true')).rejects.toThrow(/authentication methods failed/);
  });

  it('logs in with OpenSSH ssh using SSH_AUTH_SOCK', async () => {
    const run = async (authSock: string) => {
      const { stdout, code } = await runOpenSsh({
        port: emulator.port,
        knownHosts,
        args: ['echo', 'openssh-agent'],
        env: { ...process.env, SSH_AUTH_SOCK: authSock, HOME: dir },
      });
      return { stdout, code };
    };
    expect(await run(sock)).toEqual({ stdout: 'openssh-agent\n', code: 0 });
    expect((await run(path.join(dir, 'no-agent.sock'))).code).toBe(255);
  });
});
