// The router emulator driven by the ssh2 client: auth, exec scripts, PTY shell, faults, restart.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BgpStatus } from './backend.ts';
import { generateSshKeyPair } from './hostkeys.ts';
import { startRouterEmulator } from './index.ts';
import type { RouterEmulator, RouterEmulatorOptions } from './index.ts';
import { ConfigSession } from './store.ts';
import { StaticBackend } from './testing/static-backend.ts';
import { connect, execOn, PtySession, sshExec, sshShellNoPty } from './testing/ssh-client.ts';
import type { Target } from './testing/ssh-client.ts';

const W = '/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper';
const OP = '/opt/vyatta/bin/vyatta-op-cmd-wrapper';
const PASSWORD = 'ubnt-pass-1';

const STATUS: BgpStatus = {
  routerId: '10.77.1.1',
  localAs: 64512,
  neighbors: [
    {
      address: '10.77.1.11',
      remoteAs: 64512,
      localAs: 64512,
      state: 'Established',
      upSeconds: 65,
      msgRcvd: 7,
      msgSent: 8,
      prefixesReceived: 1,
    },
  ],
  routes: [
    { prefix: '10.77.100.33/32', nextHops: [{ address: '10.77.1.11', interface: 'eth1', ageSeconds: 60 }] },
  ],
};

/** The planner's script shape: each step bails out with discard/end and its own exit code. */
function applyScript(lines: string[], commitVerb: 'commit' | 'commit_with_error' = 'commit'): string {
  return [
    '#!/bin/vbash',
    `W=${W}`,
    '$W begin || exit 1',
    ...lines.map((l) => `$W ${l} || { $W discard; $W end; exit 2; }`),
    `$W ${commitVerb} || { $W discard; $W end; exit 3; }`,
    '$W save || { $W end; exit 4; }',
    '$W end',
  ].join('\n');
}

const NEIGHBOR_LINES = [
  'set protocols bgp 64512 parameters router-id 10.77.1.1',
  'set protocols bgp 64512 neighbor 10.77.1.11 remote-as 64512',
  "set protocols bgp 64512 neighbor 10.77.1.11 description 'worker 1'",
  'set protocols bgp 64512 maximum-paths ibgp 32',
];

const stateDirs: string[] = [];
const emulators: RouterEmulator[] = [];

function tempStateDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'router-emu-'));
  stateDirs.push(dir);
  return dir;
}

async function start(overrides: Partial<RouterEmulatorOptions> = {}, stateDir = tempStateDir()) {
  const backend = (overrides.backend as StaticBackend | undefined) ?? new StaticBackend({ status: STATUS });
  const emulator = await startRouterEmulator({
    stateDir,
    dialect: 'edgeos',
    backend,
    users: [{ username: 'ubnt', password: PASSWORD }],
    interfaces: [{ name: 'eth1', address: '10.77.1.1/24', description: 'Cluster' }],
    ...overrides,
  });
  emulators.push(emulator);
  const target: Target = { host: emulator.host, port: emulator.port, username: 'ubnt', password: PASSWORD };
  return { emulator, backend, target, stateDir };
}

afterEach(async () => {
  for (const e of emulators.splice(0)) await e.stop();
});
afterAll(() => {
  for (const d of stateDirs) rmSync(d, { recursive: true, force: true });
});

describe('authentication and host keys', () => {
  it('accepts the right password and refuses a wrong one', async () => {
    const { target } = await start();
    const ok = await sshExec(target, `${OP} show version`);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Version:\s+v2\.0\.9/);
    await expect(sshExec({ ...target, password: 'wrong' }, 'true')).rejects.toThrow(
      /authentication methods failed/,
    );
  });

  it('accepts a passphrase-protected key listed in authorizedKeys, and refuses another key', async () => {
    const key = generateSshKeyPair('ed25519', 'open sesame');
    const stranger = generateSshKeyPair('ed25519');
    const { target } = await start({ users: [{ username: 'ubnt', authorizedKeys: [key.public] }] });
    const { password: _password, ...keyTarget } = target;
    const result = await sshExec(
      { ...keyTarget, privateKey: key.private, passphrase: 'open sesame' },
      'echo hello',
    );
    expect(result).toEqual({ stdout: 'hello\n', stderr: '', code: 0 });
    await expect(sshExec({ ...keyTarget, privateKey: stranger.private }, 'true')).rejects.toThrow(
      /authentication methods failed/,
    );
  });

  it('accepts an ssh-rsa user key (rsa-sha2 signatures)', async () => {
    const key = generateSshKeyPair('rsa');
    const { target } = await start({ users: [{ username: 'ubnt', authorizedKeys: [key.public] }] });
    const { password: _password, ...keyTarget } = target;
    expect((await sshExec({ ...keyTarget, privateKey: key.private }, 'echo rsa')).stdout).toBe('rsa\n');
  });

  it('serves the persisted ed25519 host key whose fingerprint it reports, also after restart', async () => {
    const { emulator, target } = await start();
    let seen = '';
    const hostVerifier = (key: Buffer) => {
      seen = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
      return true;
    };
    await sshExec({ ...target, hostVerifier }, 'true');
    expect(emulator.hostKeySha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(emulator.hostKeys.map((k) => k.type).sort()).toEqual(['ssh-ed25519', 'ssh-rsa']);
    expect(seen).toBe(emulator.hostKeySha256);
    const before = emulator.hostKeySha256;
    await emulator.restart();
    expect(emulator.hostKeySha256).toBe(before);
    await emulator.faults.rotateHostKey();
    expect(emulator.hostKeySha256).not.toBe(before);
    await sshExec({ ...target, hostVerifier }, 'true');
    expect(seen).toBe(emulator.hostKeySha256);
  });

  it('rotates the host key promptly while a client is connected, dropping it like a restart', async () => {
    const { emulator, target } = await start();
    const connected = await connect(target);
    // Depending on timing the client sees the drop as a reset, which ssh2 reports as an error.
    connected.on('error', () => {});
    const dropped = new Promise<void>((resolve) => connected.once('close', () => resolve()));
    try {
      const before = emulator.hostKeySha256;
      const t0 = performance.now();
      await Promise.race([
        emulator.faults.rotateHostKey(),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('rotation still pending after 1 s')), 1000),
        ),
      ]);
      expect(performance.now() - t0).toBeLessThan(1000);
      await dropped;
      let seen = '';
      const hostVerifier = (key: Buffer) => {
        seen = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
        return true;
      };
      expect((await sshExec({ ...target, hostVerifier }, 'echo rotated')).stdout).toBe('rotated\n');
      expect(seen).toBe(emulator.hostKeySha256);
      expect(seen).not.toBe(before);
    } finally {
      connected.end();
    }
  });

  it('refuses every login while refuseAuth is set', async () => {
    const { emulator, target } = await start();
    emulator.faults.refuseAuth = true;
    await expect(sshExec(target, 'true')).rejects.toThrow(/authentication methods failed/);
    emulator.faults.refuseAuth = false;
    expect((await sshExec(target, 'true')).code).toBe(0);
  });
});

describe('exec channel', () => {
  it('applies the wrapper script atomically, hands BgpConfig to the backend and saves', async () => {
    const { emulator, backend, target } = await start();
    const result = await sshExec(target, applyScript(NEIGHBOR_LINES));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Saving configuration to '/config/config.boot'...");
    expect(backend.lastApplied).toEqual({
      localAs: 64512,
      routerId: '10.77.1.1',
      maximumPathsIbgp: 32,
      neighbors: [{ address: '10.77.1.11', remoteAs: 64512, description: 'worker 1' }],
    });
    expect(emulator.runningConfig()).toContain(
      "set protocols bgp 64512 neighbor 10.77.1.11 description 'worker 1'",
    );
    expect(emulator.savedConfig()).toEqual(emulator.runningConfig());
    const boot = await sshExec(target, 'cat /config/config.boot');
    expect(boot.stdout).toContain('    bgp 64512 {\n        maximum-paths {\n            ibgp 32\n        }');
  });

  it('reads status through the op wrapper and vbash -ic, calling the backend each time', async () => {
    const { backend, target } = await start();
    const calls = backend.statusCalls;
    const summary = await sshExec(target, `${OP} show ip bgp summary`);
    expect(summary.stdout).toContain('BGP router identifier 10.77.1.1, local AS number 64512');
    expect(summary.stdout).toContain('Total number of Established sessions 1');
    const routes = await sshExec(target, "vbash -ic 'show ip route bgp'");
    expect(routes.stdout).toContain('B    *> 10.77.100.33/32 [200/0] via 10.77.1.11, eth1, 00:01:00');
    backend.status = {
      ...STATUS,
      neighbors: [{ ...STATUS.neighbors[0]!, state: 'Active', upSeconds: null, prefixesReceived: null }],
    };
    expect((await sshExec(target, `${OP} show ip bgp summary`)).stdout).toContain(
      'Total number of Established sessions 0',
    );
    expect(backend.statusCalls).toBe(calls + 3);
  });

  it('fails bare show and configure as EdgeOS does over exec', async () => {
    const { target } = await start();
    expect(await sshExec(target, 'show ip bgp summary')).toEqual({
      stdout: '',
      stderr: 'vbash: show: command not found\n',
      code: 127,
    });
    expect((await sshExec(target, 'configure')).stderr).toBe('vbash: configure: command not found\n');
    // Op-mode errors come indented between blank lines, as vyatta-op-cmd-wrapper prints them.
    expect(await sshExec(target, `${OP} show ip bgp foo`)).toEqual({
      stdout: '\n  Invalid command: show ip bgp [foo]\n\n',
      stderr: '',
      code: 1,
    });
    expect((await sshExec(target, `${OP} show foo`)).stdout).toBe('\n  Invalid command: show [foo]\n\n');
    expect((await sshExec(target, "vbash -ic 'show bogus words'")).stdout).toBe(
      '\n  Invalid command: show [bogus]\n\n',
    );
  });

  it('refuses an unknown wrapper verb as vyatta-cfg-cmd-wrapper does', async () => {
    const { target } = await start();
    expect(await sshExec(target, `${W} begin; ${W} comit`)).toEqual({
      stdout: 'Invalid command "comit" for vyatta-cfg-cmd-wrapper\n',
      stderr: '',
      code: 1,
    });
    expect(await sshExec(target, W)).toEqual({
      stdout: 'Invalid command "" for vyatta-cfg-cmd-wrapper\n',
      stderr: '',
      code: 1,
    });
  });

  it('treats the delete of a node that does not exist as success, saying there was nothing to delete', async () => {
    const { emulator, target } = await start();
    await sshExec(target, applyScript(NEIGHBOR_LINES));
    const before = emulator.runningConfig();
    const missing = await sshExec(
      target,
      applyScript([
        'delete protocols bgp 64512 neighbor 10.77.1.99',
        'delete interfaces ethernet eth1 address 10.9.9.9/24',
      ]),
    );
    expect(missing.code, missing.stdout).toBe(0);
    expect(missing.stdout).toContain('\n  Nothing to delete (the specified node does not exist)\n');
    expect(missing.stdout).toContain('\n  Nothing to delete (the specified value does not exist)\n');
    expect(missing.stdout).not.toContain('Delete failed');
    expect(emulator.runningConfig()).toEqual(before);
    // An invalid path is still an error.
    const invalid = await sshExec(target, applyScript(['delete protocols bgp 64512 bogus']));
    expect(invalid.code).toBe(2);
    expect(invalid.stdout).toContain('Delete failed');
  });

  it('exits 2 on an invalid set, printing EdgeOS errors, and leaves the running config alone', async () => {
    const { emulator, backend, target } = await start();
    const before = emulator.runningConfig();
    const applied = backend.applied.length;
    const bad = await sshExec(
      target,
      applyScript([
        'set protocols bgp 64512 neighbor 10.77.1.11 remote-as 64512',
        'set protocols bgp 64512 foo bar',
      ]),
    );
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('Configuration path: [protocols bgp 64512 foo] is not valid');
    expect(bad.stdout).toContain('Invalid command: set protocols bgp 64512 [foo]');
    expect(bad.stdout).toContain('Set failed');
    const value = await sshExec(
      target,
      applyScript(['set protocols bgp 64512 parameters router-id 10.77.1']),
    );
    expect(value.code).toBe(2);
    expect(value.stdout).toContain('Value validation failed');
    expect(emulator.runningConfig()).toEqual(before);
    expect(backend.applied.length).toBe(applied);
  });

  it('exits 3 on a failed commit and keeps the running config', async () => {
    const { emulator, backend, target } = await start();
    await sshExec(target, applyScript(NEIGHBOR_LINES));
    const before = emulator.runningConfig();
    const applied = backend.applied.length;
    const twoInstances = await sshExec(
      target,
      applyScript(['set protocols bgp 65000 neighbor 10.77.1.12 remote-as 65000']),
    );
    // Plain `commit` sends its output to the commit log: only the exit status tells.
    expect(twoInstances.code).toBe(3);
    expect(twoInstances.stdout).toBe('Changes have been discarded\n');
    const withError = (lines: string[]) => sshExec(target, applyScript(lines, 'commit_with_error'));
    const twoInstancesShown = await withError([
      'set protocols bgp 65000 neighbor 10.77.1.12 remote-as 65000',
    ]);
    expect(twoInstancesShown.code).toBe(3);
    expect(twoInstancesShown.stdout).toContain('Only one BGP instance is allowed');
    expect(twoInstancesShown.stdout).toContain('Commit failed');
    const noRemoteAs = await withError(['set protocols bgp 64512 neighbor 10.77.1.12 description x']);
    expect(noRemoteAs.code).toBe(3);
    expect(noRemoteAs.stdout).toContain('BGP neighbor 10.77.1.12: you must define a remote-as');
    backend.failApplyWith = 'bgpd is not running';
    const refusedQuietly = await sshExec(
      target,
      applyScript(['delete protocols bgp 64512 neighbor 10.77.1.11']),
    );
    expect(refusedQuietly.code).toBe(3);
    expect(refusedQuietly.stdout).not.toContain('bgpd is not running');
    const refused = await withError(['delete protocols bgp 64512 neighbor 10.77.1.11']);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('bgpd is not running');
    expect(emulator.runningConfig()).toEqual(before);
    expect(backend.applied.length).toBe(applied);
  });

  it('refuses a script with a for loop before running any of it (exit 2, config untouched)', async () => {
    const { emulator, backend, target } = await start();
    const before = emulator.runningConfig();
    const applied = backend.applied.length;
    const r = await sshExec(
      target,
      `W=${W}; $W begin; $W set protocols bgp 64512 neighbor 10.0.0.1 remote-as 64512; $W commit\nfor x in 1; do :; done`,
    );
    expect(r).toEqual({
      stdout: '',
      stderr:
        "vbash: line 2: syntax error near reserved word `for': not supported by this router's script runner\n",
      code: 2,
    });
    expect(emulator.runningConfig()).toEqual(before);
    expect(backend.applied.length).toBe(applied);
  });

  it('refuses set without begin, with a hint', async () => {
    const { target } = await start();
    const r = await sshExec(target, `${W} set protocols bgp 64512 neighbor 10.0.0.1 remote-as 1`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`run '${W} begin' first`);
  });

  it('runs a script from stdin with vbash -s, and from a shell channel without a PTY', async () => {
    const { emulator, target } = await start();
    const viaStdin = await sshExec(target, 'vbash -s', applyScript(NEIGHBOR_LINES.slice(0, 2)));
    expect(viaStdin.code).toBe(0);
    expect(emulator.runningConfig()).toContain('set protocols bgp 64512 neighbor 10.77.1.11 remote-as 64512');
    const viaShell = await sshShellNoPty(
      target,
      `${applyScript(['delete protocols bgp 64512 neighbor 10.77.1.11'])}\necho done\nexit 5\n`,
    );
    expect(viaShell.stdout).toMatch(/Done\ndone\n$/);
    expect(viaShell.code).toBe(5);
    expect(emulator.runningConfig().some((l) => l.includes('neighbor'))).toBe(false);
  });

  it('keeps one config session per channel', async () => {
    const { emulator, target } = await start();
    const client = await connect(target);
    try {
      await execOn(client, `${W} begin; ${W} set protocols bgp 64512 neighbor 10.0.0.1 remote-as 64512`);
      const commit = await execOn(client, `${W} commit`);
      expect(commit.code).toBe(1);
      expect(emulator.runningConfig().some((l) => l.includes('10.0.0.1'))).toBe(false);
    } finally {
      client.end();
    }
  });

  describe('curl', () => {
    let server: http.Server;
    let port = 0;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        res.setHeader('content-type', 'text/plain');
        res.end(`worker1 ${req.url}\n`);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('fetches through the backend and prints like curl', async () => {
      const backend = new StaticBackend({
        status: STATUS,
        curlTargets: { '10.77.100.33': `127.0.0.1:${port}` },
      });
      const { target } = await start({ backend });
      const body = await sshExec(target, 'curl -sS -m 5 http://10.77.100.33/hello');
      expect(body).toEqual({ stdout: 'worker1 /hello\n', stderr: '', code: 0 });
      const meta = await sshExec(
        target,
        `curl -s -o /dev/null -w '%{http_code} %{remote_ip}\\n' --max-time 5 http://10.77.100.33/`,
      );
      expect(meta.stdout).toBe('200 10.77.100.33\n');
      const withHeaders = await sshExec(target, 'curl -si http://10.77.100.33/');
      expect(withHeaders.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n(.+\r\n)*content-type: text\/plain\r\n/);
      const saved = await sshExec(target, 'curl -s -o /tmp/out http://10.77.100.33/x && cat /tmp/out');
      expect(saved.stdout).toBe('worker1 /x\n');
    });

    it('exits 7 when nothing listens and 28 on timeout', async () => {
      const silent = http.createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const slowPort = (silent.address() as AddressInfo).port;
      try {
        const backend = new StaticBackend({
          curlTargets: { '10.77.100.40': `127.0.0.1:1`, '10.77.100.41': `127.0.0.1:${slowPort}` },
        });
        const { target } = await start({ backend });
        const refused = await sshExec(target, 'curl -sS -w "%{http_code}" http://10.77.100.40/');
        expect(refused.code).toBe(7);
        expect(refused.stderr).toMatch(
          /^curl: \(7\) Failed to connect to 10\.77\.100\.40 port 80 after \d+ ms/,
        );
        expect(refused.stdout).toBe('000');
        const slow = await sshExec(target, 'curl -sS -m 1 http://10.77.100.41/');
        expect(slow.code).toBe(28);
        expect(slow.stderr).toMatch(/^curl: \(28\) Connection timed out after \d+ milliseconds/);
        const quiet = await sshExec(target, 'curl -s http://10.77.100.40/');
        expect(quiet).toEqual({ stdout: '', stderr: '', code: 7 });
      } finally {
        silent.closeAllConnections();
        silent.close();
      }
    });
  });
});

describe('interactive PTY shell', () => {
  it('drives configure/set/commit/save/exit with EdgeOS prompts', async () => {
    const { emulator, target } = await start();
    const pty = await PtySession.open(target);
    try {
      await pty.expect(/ubnt@ubnt:~\$ $/);
      expect(await pty.run('terminal length 0')).toBe('terminal length 0\nubnt@ubnt:~$ ');
      expect(await pty.run('foo')).toBe('foo\n\n  Invalid command: [foo]\n\nubnt@ubnt:~$ ');
      expect(await pty.run('configure')).toBe('configure\n[edit]\nubnt@ubnt# ');
      expect(await pty.run('set protocols bgp 64512 neighbor 10.77.1.11 remote-as 64512')).toMatch(
        /\n\[edit\]\nubnt@ubnt# $/,
      );
      const invalid = await pty.run('set protocols bgp 64512 bogus 1');
      expect(invalid).toContain('Configuration path: [protocols bgp 64512 bogus] is not valid');
      expect(invalid).toContain('Set failed');
      expect(await pty.run('compare')).toBe(
        'compare\n[edit]\n+protocols {\n+    bgp 64512 {\n+        neighbor 10.77.1.11 {\n+            remote-as 64512\n+        }\n+    }\n+}\n[edit]\nubnt@ubnt# ',
      );
      expect(await pty.run('show protocols bgp 64512')).toContain(
        '\n neighbor 10.77.1.11 {\n     remote-as 64512\n }\n[edit]',
      );
      expect(await pty.run('exit')).toContain(
        "Cannot exit: configuration modified.\nUse 'exit discard' to discard the changes and exit.",
      );
      await pty.run('commit');
      expect(emulator.runningConfig()).toContain(
        'set protocols bgp 64512 neighbor 10.77.1.11 remote-as 64512',
      );
      expect(emulator.savedConfig()).not.toContain(
        'set protocols bgp 64512 neighbor 10.77.1.11 remote-as 64512',
      );
      expect(await pty.run('delete protocols bgp 64512 neighbor 10.77.1.99')).toMatch(
        /\n\n {2}Nothing to delete \(the specified node does not exist\)\n\n\[edit\]\nubnt@ubnt# $/,
      );
      expect(await pty.run('commit')).toContain('No configuration changes to commit');
      expect(await pty.run('save')).toContain("Saving configuration to '/config/config.boot'...\nDone");
      expect(emulator.savedConfig()).toEqual(emulator.runningConfig());
      expect(await pty.run('exit')).toMatch(/exit\nubnt@ubnt:~\$ $/);
      const commands = await pty.run('show configuration commands');
      expect(commands).toContain('set protocols bgp 64512 neighbor 10.77.1.11 remote-as 64512');
      expect(commands).toContain("set interfaces ethernet eth1 description 'Cluster'");
      expect(await pty.run('show ip bgp summary')).toContain('Total number of Established sessions 1');
      pty.send('exit\r');
      await pty.expect(/$/, 0);
      await new Promise((r) => setTimeout(r, 200));
      expect(pty.closed).toBe(true);
      expect(pty.exitCode).toBe(0);
    } finally {
      pty.close();
    }
  });

  it('exit discard drops uncommitted changes; line editing handles backspace and ^C', async () => {
    const { emulator, target } = await start();
    const pty = await PtySession.open(target);
    try {
      await pty.expect(/:~\$ $/);
      await pty.run('configure');
      await pty.run('set protocols bgp 64512 neighbor 10.0.0.9 remote-as 64512');
      expect(await pty.run('exit discard')).toMatch(/ubnt@ubnt:~\$ $/);
      expect(emulator.runningConfig().some((l) => l.includes('10.0.0.9'))).toBe(false);
      const start = pty.output.length;
      pty.send('shox\x7fw version\r');
      const { text } = await pty.expect(/:~\$ $/, start);
      expect(text).toContain('Version:      v2.0.9');
      const afterCtrlC = pty.output.length;
      pty.send('half typed\x03');
      await pty.expect(/\^C\r\nubnt@ubnt:~\$ $/, afterCtrlC);
    } finally {
      pty.close();
    }
  });

  it('commit-confirm reverts to the saved config unless confirmed', async () => {
    const { emulator, backend, target } = await start({ commitConfirmMinuteMs: 300 });
    const pty = await PtySession.open(target);
    try {
      await pty.expect(/:~\$ $/);
      await pty.run('configure');
      await pty.run('set protocols bgp 64512 neighbor 10.77.1.11 remote-as 64512');
      let start = pty.output.length;
      pty.send('commit-confirm 1\r');
      await pty.expect(
        /commit confirm will be automatically reboot in 1 minutes unless confirmed\r\nProceed\? \[confirm\]$/,
        start,
      );
      await pty.run('y');
      expect(emulator.runningConfig()).toContain(
        'set protocols bgp 64512 neighbor 10.77.1.11 remote-as 64512',
      );
      await new Promise((r) => setTimeout(r, 700));
      expect(emulator.runningConfig().some((l) => l.startsWith('set protocols bgp'))).toBe(false);
      expect(backend.lastApplied).toBeNull();

      await pty.run('set protocols bgp 64512 neighbor 10.77.1.12 remote-as 64512');
      start = pty.output.length;
      pty.send('commit-confirm 1\r');
      await pty.expect(/\[confirm\]$/, start);
      await pty.run('');
      await pty.run('confirm');
      await new Promise((r) => setTimeout(r, 700));
      expect(emulator.runningConfig()).toContain(
        'set protocols bgp 64512 neighbor 10.77.1.12 remote-as 64512',
      );
    } finally {
      pty.close();
    }
  });
});

describe('interactive PTY shell at the commit-confirm prompt', () => {
  afterEach(() => vi.restoreAllMocks());

  async function atConfirmPrompt(target: Target): Promise<PtySession> {
    const pty = await PtySession.open(target);
    await pty.expect(/:~\$ $/);
    await pty.run('configure');
    await pty.run('set protocols bgp 64512 neighbor 10.77.1.13 remote-as 64512');
    const from = pty.output.length;
    pty.send('commit-confirm 1\r');
    await pty.expect(/Proceed\? \[confirm\]$/, from);
    return pty;
  }

  it('^C cancels the prompt without committing and keeps the session usable', async () => {
    const { emulator, target } = await start();
    const pty = await atConfirmPrompt(target);
    try {
      const from = pty.output.length;
      pty.send('\x03');
      await pty.expect(/\^C\r\n\[edit\]\r\nubnt@ubnt# $/, from, 2000);
      expect(emulator.runningConfig().some((l) => l.includes('10.77.1.13'))).toBe(false);
      await pty.run('commit');
      expect(emulator.runningConfig()).toContain(
        'set protocols bgp 64512 neighbor 10.77.1.13 remote-as 64512',
      );
    } finally {
      pty.close();
    }
  });

  it('a disconnect settles the prompt: nothing commits, the candidate is discarded, stop() is prompt', async () => {
    const discard = vi.spyOn(ConfigSession.prototype, 'discard');
    const { emulator, target } = await start();
    const pty = await atConfirmPrompt(target);
    pty.close();
    await vi.waitFor(() => expect(discard).toHaveBeenCalledTimes(1), { timeout: 2000 });
    const session = discard.mock.contexts[0] as ConfigSession;
    expect(session.changed).toBe(false);
    expect(emulator.runningConfig().some((l) => l.includes('10.77.1.13'))).toBe(false);
    const t0 = performance.now();
    await emulator.stop();
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('faults and persistence', () => {
  it.each(['before-apply', 'after-apply'] as const)(
    'dropMidCommit %s kills the connection and leaves old or new config, never a mix',
    async (stage) => {
      const { emulator, backend, target } = await start();
      await sshExec(target, applyScript(NEIGHBOR_LINES.slice(0, 2)));
      const oldConfig = emulator.runningConfig();
      const oldApplied = backend.lastApplied;
      emulator.faults.dropMidCommit = stage;
      const result = await sshExec(
        target,
        applyScript([
          'set protocols bgp 64512 neighbor 10.77.1.12 remote-as 64512',
          'delete protocols bgp 64512 neighbor 10.77.1.11',
        ]),
      );
      expect(result.code).toBeNull();
      expect(result.stdout).not.toContain('Saving configuration');
      const newConfig = emulator.runningConfig();
      if (stage === 'before-apply') {
        expect(newConfig).toEqual(oldConfig);
        expect(backend.lastApplied).toEqual(oldApplied);
      } else {
        expect(newConfig).toContain('set protocols bgp 64512 neighbor 10.77.1.12 remote-as 64512');
        expect(newConfig.some((l) => l.includes('10.77.1.11'))).toBe(false);
        expect(backend.lastApplied?.neighbors.map((n) => n.address)).toEqual(['10.77.1.12']);
      }
      expect(emulator.savedConfig()).toEqual(oldConfig);
      emulator.faults.dropMidCommit = null;
      expect((await sshExec(target, 'echo alive')).stdout).toBe('alive\n');
    },
  );

  it('delays responses by delayMs', async () => {
    const { emulator, target } = await start();
    const client = await connect(target);
    try {
      let t0 = performance.now();
      await execOn(client, 'true');
      const fast = performance.now() - t0;
      emulator.faults.delayMs = 1000;
      t0 = performance.now();
      await execOn(client, 'true');
      expect(performance.now() - t0).toBeGreaterThanOrEqual(990);
      // Generous margin: the machine is shared, but an undelayed exec takes far less than a second.
      expect(fast).toBeLessThan(990);
    } finally {
      client.end();
    }
  });

  it('keeps saved config across restart and in a new emulator on the same stateDir, but not unsaved changes', async () => {
    const { emulator, target, stateDir } = await start();
    await sshExec(target, applyScript(NEIGHBOR_LINES));
    await sshExec(
      target,
      `${W} begin; ${W} set protocols bgp 64512 neighbor 10.77.1.99 remote-as 64512; ${W} commit; ${W} end`,
    );
    expect(emulator.runningConfig().some((l) => l.includes('10.77.1.99'))).toBe(true);
    const saved = emulator.savedConfig();
    const port = emulator.port;
    await emulator.restart();
    expect(emulator.port).toBe(port);
    expect(emulator.runningConfig()).toEqual(saved);
    expect((await sshExec(target, `${OP} show configuration commands`)).stdout).toContain(
      "description 'worker 1'",
    );
    await emulator.stop();
    const backend = new StaticBackend();
    const second = await start({ backend }, stateDir);
    expect(second.emulator.runningConfig()).toEqual(saved);
    expect(backend.applied[0]?.neighbors.map((n) => n.address)).toEqual(['10.77.1.11']);
  });
});

describe('VyOS dialect', () => {
  it('takes VyOS BGP syntax and prints FRR status and VyOS version', async () => {
    const { emulator, backend, target } = await start({ dialect: 'vyos' });
    const script = applyScript([
      'set protocols bgp system-as 64512',
      'set protocols bgp neighbor 10.77.1.11 remote-as internal',
      'set protocols bgp neighbor 10.77.1.11 address-family ipv4-unicast',
      'set protocols bgp parameters router-id 10.77.1.1',
      'set protocols bgp address-family ipv4-unicast maximum-paths ibgp 32',
    ]);
    const result = await sshExec(target, script);
    expect(result.stdout + result.stderr).not.toContain('failed');
    expect(result.code).toBe(0);
    expect(backend.lastApplied).toEqual({
      localAs: 64512,
      routerId: '10.77.1.1',
      maximumPathsIbgp: 32,
      neighbors: [{ address: '10.77.1.11', remoteAs: 64512, remoteAsMode: 'internal' }],
    });
    expect(emulator.runningConfig()).toContain("set protocols bgp neighbor 10.77.1.11 remote-as 'internal'");
    expect((await sshExec(target, `${OP} show ip bgp summary`)).stdout).toContain(
      'IPv4 Unicast Summary (VRF default):',
    );
    expect((await sshExec(target, `${OP} show version`)).stdout).toMatch(/^Version:\s+VyOS 1\.4/);
    const edgeosSyntax = await sshExec(
      target,
      applyScript(['set protocols bgp 64512 neighbor 10.77.1.12 remote-as 64512']),
    );
    expect(edgeosSyntax.code).toBe(2);
    const pty = await PtySession.open(target);
    try {
      await pty.expect(/ubnt@vyos:~\$ $/);
    } finally {
      pty.close();
    }
  });
});
