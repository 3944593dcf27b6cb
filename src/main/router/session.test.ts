// Sessions against the router emulator over real SSH: host key pinning, known_hosts, logins,
// probing the dialect.

import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { generateSshKeyPair } from '../../../lab/router/index.ts';
import { UserError } from '../errors.ts';
import { HostKeyStore, checkDialect, firmwareHasCurl, openRouterSession, probeRouter } from './index.ts';
import type { RouterSession } from './index.ts';
import { LAB_PASSWORD, labPlan, startRouterLab } from './testing.ts';
import type { RouterLab } from './testing.ts';

const labs: RouterLab[] = [];
const sessions: RouterSession[] = [];
const dirs: string[] = [];

async function lab(dialect: 'edgeos' | 'vyos' = 'edgeos', extra = {}): Promise<RouterLab> {
  const l = await startRouterLab({ dialect, ...extra });
  labs.push(l);
  return l;
}

function keep(session: RouterSession): RouterSession {
  sessions.push(session);
  return session;
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mbw-router-session-'));
  dirs.push(dir);
  return dir;
}

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a rejection');
}

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await Promise.all(labs.splice(0).map((l) => l.stop()));
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('host keys', () => {
  it('refuses an unknown key without confirm, naming the fingerprint and how to accept it', async () => {
    const l = await lab();
    const error = await rejection(openRouterSession(l.target, l.auth, { store: l.store }));
    expect(error.kind).toBe('host-key');
    expect(error.message).toContain(l.emulator.hostKeySha256);
    expect(error.message).toContain(`--router-host-key ${l.emulator.hostKeySha256}`);
    expect(await l.store.lookup(l.target.host, l.target.port)).toBeNull();
  });

  it('pins a confirmed key in a 0600 file, then connects without asking', async () => {
    const l = await lab();
    const asked: string[] = [];
    const confirm = async (fingerprint: string) => {
      asked.push(fingerprint);
      return true;
    };
    const session = keep(await openRouterSession(l.target, l.auth, { store: l.store, confirm }));
    expect(session.hostKey).toBe(l.emulator.hostKeySha256);
    expect((await session.exec('echo pinned')).stdout).toBe('pinned\n');
    expect(asked).toEqual([l.emulator.hostKeySha256]);
    const file = path.join(l.dataDir, 'known-hosts.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      [`127.0.0.1:${l.target.port}`]: l.emulator.hostKeySha256,
    });
    keep(await openRouterSession(l.target, l.auth, { store: l.store, confirm }));
    expect(asked).toHaveLength(1);
  });

  it('refuses when the user declines the key', async () => {
    const l = await lab();
    const error = await rejection(
      openRouterSession(l.target, l.auth, { store: l.store, confirm: async () => false }),
    );
    expect(error.kind).toBe('host-key');
    expect(await l.store.lookup(l.target.host, l.target.port)).toBeNull();
  });

  it('refuses a changed key with a warning naming host and both fingerprints; forget then re-pin', async () => {
    const l = await lab();
    keep(await l.open());
    const old = l.emulator.hostKeySha256;
    await l.emulator.faults.rotateHostKey();
    const fresh = l.emulator.hostKeySha256;
    expect(fresh).not.toBe(old);
    const error = await rejection(
      openRouterSession(l.target, l.auth, { store: l.store, confirm: async () => true }),
    );
    expect(error.kind).toBe('host-key');
    expect(error.message).toContain(`127.0.0.1:${l.target.port}`);
    expect(error.message).toContain(old);
    expect(error.message).toContain(fresh);
    expect(error.message).toContain('forget-host-key');
    expect(await l.store.lookup(l.target.host, l.target.port)).toBe(old);

    expect(await l.store.forget(l.target.host, l.target.port)).toBe(true);
    expect(await l.store.forget(l.target.host, l.target.port)).toBe(false);
    const session = keep(
      await openRouterSession(l.target, l.auth, { store: l.store, confirm: async () => true }),
    );
    expect(session.hostKey).toBe(fresh);
    expect(await l.store.lookup(l.target.host, l.target.port)).toBe(fresh);
  });

  it('accepts only the expected key, pins it, and refuses an expected key that differs from the pin', async () => {
    const l = await lab();
    const wrong = `SHA256:${'A'.repeat(43)}`;
    const mismatch = await rejection(
      openRouterSession(l.target, l.auth, { store: l.store, expected: wrong }),
    );
    expect(mismatch.kind).toBe('host-key');
    expect(mismatch.message).toContain(wrong);
    expect(mismatch.message).toContain(l.emulator.hostKeySha256);
    expect(await l.store.lookup(l.target.host, l.target.port)).toBeNull();

    keep(await openRouterSession(l.target, l.auth, { store: l.store, expected: l.emulator.hostKeySha256 }));
    expect(await l.store.lookup(l.target.host, l.target.port)).toBe(l.emulator.hostKeySha256);
    const differs = await rejection(openRouterSession(l.target, l.auth, { store: l.store, expected: wrong }));
    expect(differs.kind).toBe('host-key');
    expect(differs.message).toContain('pinned');

    const malformed = await rejection(
      openRouterSession(l.target, l.auth, { store: l.store, expected: 'SHA256:short' }),
    );
    expect(malformed.kind).toBe('invalid');
  });

  it('honours ~/.ssh/known_hosts entries, plain and hashed, and warns when they list another key', async () => {
    const l = await lab();
    const ed25519 = l.emulator.hostKeys.find((k) => k.type === 'ssh-ed25519');
    if (!ed25519) throw new Error('emulator has no ed25519 key');
    const dir = tempDir();
    const name = `[127.0.0.1]:${l.target.port}`;
    const plain = path.join(dir, 'plain');
    writeFileSync(plain, `# mine\nother.example ${ed25519.publicKey}\n${name} ${ed25519.publicKey}\n`);
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update(name).digest('base64');
    const hashed = path.join(dir, 'hashed');
    writeFileSync(hashed, `|1|${salt.toString('base64')}|${hash} ${ed25519.publicKey}\n`);
    for (const knownHostsFile of [plain, hashed]) {
      const store = new HostKeyStore({ dataDir: path.join(dir, 'data'), knownHostsFile });
      const session = keep(await openRouterSession(l.target, l.auth, { store }));
      expect(session.hostKey).toBe(l.emulator.hostKeySha256);
    }
    const stranger = generateSshKeyPair('ed25519').public.trim();
    const otherKey = path.join(dir, 'other');
    writeFileSync(otherKey, `${name} ${stranger}\n`);
    const store = new HostKeyStore({ dataDir: path.join(dir, 'data2'), knownHostsFile: otherKey });
    const error = await rejection(openRouterSession(l.target, l.auth, { store, confirm: async () => true }));
    expect(error.kind).toBe('host-key');
    expect(error.message).toContain(otherKey);
    expect(error.message).toContain(l.emulator.hostKeySha256);
  });
});

describe('logins', () => {
  it('names user@host:port on a wrong password, and on refused auth, without the password', async () => {
    const l = await lab();
    const wrong = await rejection(
      openRouterSession(l.target, { kind: 'password', password: 'not-it-123' }, l.policy()),
    );
    expect(wrong.kind).toBe('failed');
    expect(wrong.message).toContain(`ubnt@127.0.0.1:${l.target.port}`);
    expect(wrong.message).not.toContain('not-it-123');
    l.emulator.faults.refuseAuth = true;
    const refused = await rejection(l.open());
    expect(refused.message).toContain(`ubnt@127.0.0.1:${l.target.port}`);
    expect(refused.message).not.toContain(LAB_PASSWORD);
  });

  it('names host and port when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const store = new HostKeyStore({ dataDir: tempDir(), knownHostsFile: null });
    const error = await rejection(
      openRouterSession(
        { host: '127.0.0.1', port, username: 'ubnt' },
        { kind: 'password', password: 'x' },
        { store },
      ),
    );
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain('refused');
  });

  it('names host and port when the SSH handshake never comes', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const store = new HostKeyStore({ dataDir: tempDir(), knownHostsFile: null });
      const error = await rejection(
        openRouterSession(
          { host: '127.0.0.1', port, username: 'ubnt' },
          { kind: 'password', password: 'x' },
          { store },
          { readyTimeoutMs: 500 },
        ),
      );
      expect(error.message).toContain(`127.0.0.1:${port}`);
      expect(error.message).toMatch(/No SSH answer/);
    } finally {
      silent.close();
    }
  });

  it('logs in with a private key (and its passphrase)', async () => {
    const key = generateSshKeyPair('ed25519', 'sesame');
    const l = await lab('edgeos', { users: [{ username: 'ubnt', authorizedKeys: [key.public] }] });
    const session = keep(
      await openRouterSession(
        l.target,
        { kind: 'key', privateKey: key.private, passphrase: 'sesame' },
        l.policy(),
      ),
    );
    expect((await session.exec('echo key')).stdout).toBe('key\n');
    const bad = await rejection(
      openRouterSession(l.target, { kind: 'key', privateKey: key.private }, l.policy()),
    );
    expect(bad.kind).toBe('invalid');
  });

  describe('with ssh-agent', () => {
    const tools = ['ssh-agent', 'ssh-add', 'ssh-keygen'].filter((tool) => {
      try {
        execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
        return false;
      } catch {
        return true;
      }
    });
    if (tools.length > 0)
      console.warn(`skipping the ssh-agent login test: ${tools.join(', ')} not installed`);
    let agent: ChildProcess | undefined;
    afterEach(() => {
      agent?.kill();
    });

    it.skipIf(tools.length > 0)('logs in with a key held only by the agent', async () => {
      const dir = tempDir();
      const sock = path.join(dir, 'agent.sock');
      const keyFile = path.join(dir, 'id_ed25519');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'agent@test', '-f', keyFile]);
      agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
      for (let i = 0; i < 200 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 25));
      execFileSync('ssh-add', ['-q', keyFile], {
        env: { ...process.env, SSH_AUTH_SOCK: sock },
        stdio: 'pipe',
      });
      const publicKey = readFileSync(`${keyFile}.pub`, 'utf8').trim();
      rmSync(keyFile);
      const l = await lab('edgeos', { users: [{ username: 'ubnt', authorizedKeys: [publicKey] }] });
      const session = keep(await openRouterSession(l.target, { kind: 'agent', socket: sock }, l.policy()));
      expect((await session.exec('echo agent')).stdout).toBe('agent\n');
    });
  });
});

describe('sessions', () => {
  it('reports the connection gone when the router restarts', async () => {
    const l = await lab();
    const session = await l.open();
    expect(session.isOpen()).toBe(true);
    await l.emulator.restart();
    await session.closed;
    expect(session.isOpen()).toBe(false);
    await expect(session.exec('true')).rejects.toThrow(/closed/);
  });

  it('cancels a running command when its signal fires', async () => {
    const l = await lab();
    const session = keep(await l.open());
    l.emulator.faults.delayMs = 2000;
    const controller = new AbortController();
    const running = session.exec('echo late', { signal: controller.signal });
    controller.abort();
    await expect(running).rejects.toMatchObject({ kind: 'cancelled' });
  });
});

describe.each(['edgeos', 'vyos'] as const)('probe on %s', (dialect) => {
  it('detects the dialect and firmware, reads the config, and checks the plan dialect', async () => {
    const l = await lab(dialect);
    const session = keep(await l.open());
    const probe = await probeRouter(session);
    expect(probe.dialect).toBe(dialect);
    expect(probe.version).toBe(dialect === 'edgeos' ? 'v2.0.9-hotfix.7' : '1.4.0');
    expect(probe.model).toBe(dialect === 'edgeos' ? 'EdgeRouter X 5-Port' : 'Standard PC (Q35 + ICH9, 2009)');
    expect(probe.hasCurl).toBe(true);
    expect(probe.configCommands).toMatch(/^set interfaces ethernet eth1 address '?10\.77\.1\.1\/24'?$/m);
    expect(probe.bgpLines).toEqual([]);
    expect(() => checkDialect(probe, labPlan(dialect))).not.toThrow();
    const other = dialect === 'edgeos' ? 'vyos' : 'edgeos';
    let error: UserError | undefined;
    try {
      checkDialect(probe, labPlan(other));
    } catch (e) {
      error = e as UserError;
    }
    expect(error?.kind).toBe('invalid');
    expect(error?.path).toBe('router.dialect');
    expect(error?.message).toContain(`router.dialect: ${other}`);
    expect(error?.message).toContain(dialect === 'edgeos' ? 'EdgeOS v2.0.9' : 'VyOS 1.4.0');
  });
});

describe('firmwareHasCurl', () => {
  it('knows curl came with EdgeOS 1.8.5', () => {
    const table: [string, boolean][] = [
      ['v1.7.0', false],
      ['v1.8.0', false],
      ['v1.8.5', true],
      ['v1.9.7+hotfix.4', true],
      ['v1.10.11', true],
      ['v2.0.9-hotfix.7', true],
    ];
    for (const [version, expected] of table)
      expect([version, firmwareHasCurl('edgeos', version)]).toEqual([version, expected]);
    expect(firmwareHasCurl('vyos', '1.4.0')).toBe(true);
  });
});
