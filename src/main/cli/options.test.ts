// The CLI's less travelled paths against the demo lab: a user's own MetalLB manifest (pinned or
// confirmed by its hash), a kubeconfig whose login runs a program, and `status --watch` until Ctrl-C.

import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { cliHarness, demoConnection, removeHome, startDemo } from './testing.ts';
import type { CliHarness, RunningDemo, StatusJson } from './testing.ts';

const OFFICIAL = resolve(
  import.meta.dirname,
  '../../../../shared/fixtures/metallb/v0.16.1/metallb-native.yaml',
);

describe('CLI options against the demo lab', { timeout: 120_000 }, () => {
  let demo: RunningDemo;
  let cli: CliHarness;
  let connection: string[];

  beforeAll(async () => {
    demo = await startDemo(['--fast']);
    cli = cliHarness({ METALLB_WIZARD_ROUTER_PASSWORD: demo.line.router.password });
    connection = demoConnection(demo.line);
  }, 60_000);

  afterAll(async () => {
    await demo?.stop();
    if (cli) await removeHome(cli);
  });

  it('refuses an unpinned manifest until its hash is confirmed, then installs from it', async () => {
    const changed = join(cli.home, 'metallb-patched.yaml');
    writeFileSync(changed, `${readFileSync(OFFICIAL, 'utf8')}\n# a local change\n`);
    const refused = await cli.run(['apply', ...connection, '--yes', '--manifest', changed]);
    expect(refused.code).toBe(2);
    const sha = /has sha256 ([0-9a-f]{64})/.exec(refused.stderr)?.[1];
    expect(sha, refused.stderr).toBeDefined();
    expect(refused.stderr).toContain(`--manifest-sha256 ${sha}`);

    const wrongHash = await cli.run([
      'apply',
      ...connection,
      '--yes',
      '--manifest',
      changed,
      '--manifest-sha256',
      'nothex',
    ]);
    expect(wrongHash.code).toBe(2);
    expect(wrongHash.stderr).toContain('--manifest-sha256 needs the 64 lowercase hex digits');

    const applied = await cli.run([
      'apply',
      ...connection,
      '--yes',
      '--json',
      '--manifest',
      changed,
      '--manifest-sha256',
      sha ?? '',
    ]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ changed: true, cluster: { installed: true } });
  });

  it('names the program an exec auth plugin runs before it talks to the cluster', async () => {
    const config = parseYaml(readFileSync(demo.line.kubeconfig, 'utf8')) as {
      users: { name: string; user: Record<string, unknown> }[];
    };
    const user = config.users[0];
    if (!user) throw new Error('the demo kubeconfig has no user');
    const token = String(user.user['token']);
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token },
    });
    user.user = {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: 'sh',
        args: ['-c', `printf '%s' '${credential}'`],
        interactiveMode: 'Never',
      },
    };
    const kubeconfig = join(cli.home, 'exec-kubeconfig.yaml');
    writeFileSync(kubeconfig, stringifyYaml(config));
    const connectionWithExec = connection.map((arg) => (arg === demo.line.kubeconfig ? kubeconfig : arg));
    const probe = await cli.run(['probe', ...connectionWithExec, '--json']);
    expect(probe.code, probe.stderr).toBe(0);
    expect(probe.stderr).toMatch(/logs in by running the program "sh"/);
    expect(JSON.parse(probe.stdout).cluster.nodes).toHaveLength(3);
  });

  it('refuses to apply when the router runs another dialect than the topology says, naming router.dialect', async () => {
    const document = parseYaml(readFileSync(demo.line.topology, 'utf8')) as {
      router: Record<string, unknown>;
    };
    document.router['dialect'] = 'vyos';
    const topology = join(cli.home, 'wrong-dialect.yaml');
    writeFileSync(topology, stringifyYaml(document));
    const wrong = connection.map((arg) => (arg === demo.line.topology ? topology : arg));
    const result = await cli.run(['apply', ...wrong, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('router.dialect');
    expect(result.stderr).toMatch(/edgeos/i);
  });

  it('status --watch streams snapshots until cancelled, then exits 0', async () => {
    const snapshots: StatusJson[] = [];
    let cancel: (() => void) | null = null;
    let buffer = '';
    const run = await cli.run(
      ['status', ...connection, '--watch', '--json', '--interval', '100'],
      {},
      {
        onInterrupt: (c) => (cancel = c),
        onStdout: (text) => {
          buffer += text;
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          for (const line of lines) if (line.trim()) snapshots.push(JSON.parse(line) as StatusJson);
          if (snapshots.length >= 3) cancel?.();
        },
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(snapshots.length).toBeGreaterThanOrEqual(3);
    expect(snapshots.at(-1)?.neighbors.filter((n) => n.node !== null)).toHaveLength(3);
  });
});
