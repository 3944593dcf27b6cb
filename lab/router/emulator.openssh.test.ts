// The router emulator against Debian's OpenSSH client, the way a user (or the app's docs) runs it.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouterEmulator } from './index.ts';
import type { RouterEmulator } from './index.ts';
import { StaticBackend } from './testing/static-backend.ts';
import { runOpenSsh } from './testing/openssh.ts';
import type { OpenSshRun } from './testing/openssh.ts';

const W = '/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper';

function hasOpenSsh(): boolean {
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // ssh-keygen -? exits non-zero but exists; only a missing binary matters.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

const available = hasOpenSsh();
if (!available)
  console.warn(
    'OpenSSH client (ssh, ssh-keygen) not installed: skipping the OpenSSH tests of the router emulator',
  );

describe.skipIf(!available)('router emulator with the OpenSSH client', () => {
  let dir: string;
  let emulator: RouterEmulator;
  let backend: StaticBackend;
  let keyFile: string;
  let knownHosts: string;

  function ssh(args: string[], stdin?: string, timeoutMs = 20_000): Promise<OpenSshRun> {
    return runOpenSsh({
      port: emulator.port,
      knownHosts,
      identity: keyFile,
      args,
      timeoutMs,
      ...(stdin === undefined ? {} : { stdin }),
    });
  }

  function pinHostKey(): void {
    const ed25519 = emulator.hostKeys.find((k) => k.type === 'ssh-ed25519')!;
    writeFileSync(knownHosts, `[127.0.0.1]:${emulator.port} ${ed25519.publicKey}\n`);
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'router-openssh-'));
    keyFile = path.join(dir, 'id_ed25519');
    knownHosts = path.join(dir, 'known_hosts');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test@lab', '-f', keyFile]);
    backend = new StaticBackend({
      status: {
        routerId: '10.77.1.1',
        localAs: 64512,
        neighbors: [
          {
            address: '10.77.1.11',
            remoteAs: 64512,
            localAs: 64512,
            state: 'Established',
            upSeconds: 100,
            msgRcvd: 5,
            msgSent: 5,
            prefixesReceived: 1,
          },
        ],
        routes: [],
      },
    });
    emulator = await startRouterEmulator({
      stateDir: path.join(dir, 'state'),
      dialect: 'edgeos',
      backend,
      users: [{ username: 'ubnt', authorizedKeys: [readFileSync(`${keyFile}.pub`, 'utf8').trim()] }],
    });
    pinHostKey();
  });

  afterAll(async () => {
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the wrapper script as an exec command and commits', async () => {
    const script = [
      '#!/bin/vbash',
      `W=${W}`,
      '$W begin || exit 1',
      '$W set protocols bgp 64512 parameters router-id 10.77.1.1 || { $W discard; $W end; exit 2; }',
      '$W set protocols bgp 64512 neighbor 10.77.1.11 remote-as 64512 || { $W discard; $W end; exit 2; }',
      "$W set protocols bgp 64512 neighbor 10.77.1.11 description 'worker 1' || { $W discard; $W end; exit 2; }",
      '$W commit || { $W discard; $W end; exit 3; }',
      '$W save || { $W end; exit 4; }',
      '$W end',
    ].join('\n');
    const result = await ssh([script]);
    // OpenSSH prints the pre-auth banner on stderr; nothing else may appear there.
    expect(result.stderr).toMatch(
      /^Welcome to EdgeOS\n\nBy logging in, accessing, or using the Ubiquiti product/,
    );
    expect(result.stderr).not.toMatch(/error|failed|warning/i);
    expect(result.code).toBe(0);
    expect(emulator.runningConfig()).toContain(
      "set protocols bgp 64512 neighbor 10.77.1.11 description 'worker 1'",
    );
    expect(backend.lastApplied?.neighbors).toEqual([
      { address: '10.77.1.11', remoteAs: 64512, description: 'worker 1' },
    ]);
  });

  it('passes the exit status of a failing script back', async () => {
    const result = await ssh([`${W} begin; ${W} set protocols bgp 64512 nonsense 1 || exit 2`]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Set failed');
  });

  it('reads show ip bgp summary through vyatta-op-cmd-wrapper', async () => {
    const result = await ssh(['/opt/vyatta/bin/vyatta-op-cmd-wrapper', 'show', 'ip', 'bgp', 'summary']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('BGP router identifier 10.77.1.1, local AS number 64512');
    expect(result.stdout).toMatch(/^10\.77\.1\.11\s+4 64512 /m);
  });

  it('runs `ssh host < script` on a shell channel without a PTY', async () => {
    const result = await ssh(
      [],
      `${W} begin\n${W} set protocols bgp 64512 neighbor 10.77.1.12 remote-as 64512\n${W} commit\n${W} end\necho applied\n`,
    );
    expect(result.stdout).toBe('applied\n');
    expect(result.code).toBe(0);
    expect(emulator.runningConfig()).toContain('set protocols bgp 64512 neighbor 10.77.1.12 remote-as 64512');
  });

  it('drives the PTY shell with ssh -tt and a script on stdin: configure, set, commit, exit', async () => {
    const script = [
      'configure',
      'set protocols bgp 64512 neighbor 10.77.1.14 remote-as 64512',
      'commit',
      'exit',
      'exit',
      '',
    ].join('\n');
    const result = await ssh(['-tt'], script, 15_000);
    expect(result.code).toBe(0);
    // The script is typed ahead, so how echo and answers interleave depends on timing: check the
    // prompts and their order, not their neighbours.
    const out = result.stdout.replace(/\r\n/g, '\n');
    expect(out).toMatch(/^Welcome to EdgeOS\n\nubnt@ubnt:~\$ /);
    // configure, set and commit each end at the configure prompt; the first exit returns to op mode.
    expect(out.split('[edit]\nubnt@ubnt# ').length - 1).toBe(3);
    expect(out.lastIndexOf('ubnt@ubnt:~$ ')).toBeGreaterThan(out.lastIndexOf('ubnt@ubnt# '));
    expect(out).toMatch(/ubnt@ubnt:~\$ (exit\n)?$/);
    expect(out).not.toMatch(/Invalid|failed/i);
    expect(emulator.runningConfig()).toContain('set protocols bgp 64512 neighbor 10.77.1.14 remote-as 64512');
  });

  it('also verifies against the pinned ssh-rsa host key (rsa-sha2 signatures)', async () => {
    const rsa = emulator.hostKeys.find((k) => k.type === 'ssh-rsa')!;
    writeFileSync(knownHosts, `[127.0.0.1]:${emulator.port} ${rsa.publicKey}\n`);
    try {
      const result = await ssh(['-o', 'HostKeyAlgorithms=rsa-sha2-512,rsa-sha2-256', 'echo', 'rsa']);
      expect(result.stdout).toBe('rsa\n');
    } finally {
      pinHostKey();
    }
  });

  it('fails host key verification after the host key rotates, and passes once re-pinned', async () => {
    expect((await ssh(['echo', 'pinned'])).stdout).toBe('pinned\n');
    await emulator.faults.rotateHostKey();
    const refused = await ssh(['echo', 'should-not-run']);
    expect(refused.code).toBe(255);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
    expect(refused.stderr).toContain('Host key verification failed.');
    pinHostKey();
    expect((await ssh(['echo', 'again'])).stdout).toBe('again\n');
  });
});
