// The whole job through the CLI, against the demo lab (emulated router over SSH, emulated API
// server over HTTPS, in-memory routing): apply → status → test → second apply (no-op) → export →
// teardown, for both dialects. A user's own neighbor lives on the router throughout.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { sshExec } from '../../../lab/router/testing/ssh-client.ts';
import { cliHarness, exposeWebService, removeHome, startDemo, statusWithEcmp } from './testing.ts';
import type { CliHarness, RunningDemo } from './testing.ts';

interface ApplyJson {
  changed: boolean;
  cluster: { changed: boolean };
  router: { changed: boolean; state: string };
}
interface TestJson {
  target: string;
  attempts: number;
  succeeded: number;
  byNode: Record<string, number>;
  latencyMs: { p50: number | null; max: number | null };
  notes: string[];
}

const USER_NEIGHBOR = '10.77.1.99';

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

for (const dialect of ['edgeos', 'vyos'] as const) {
  describe(`the CLI against the demo lab (${dialect})`, { timeout: 120_000 }, () => {
    let demo: RunningDemo;
    let cli: CliHarness;
    let connection: string[];
    const userNeighborLine =
      dialect === 'edgeos'
        ? `set protocols bgp 64512 neighbor ${USER_NEIGHBOR} remote-as 65010`
        : `set protocols bgp neighbor ${USER_NEIGHBOR} remote-as 65010`;

    beforeAll(async () => {
      demo = await startDemo(['--fast', '--dialect', dialect]);
      cli = cliHarness({ METALLB_WIZARD_ROUTER_PASSWORD: demo.line.router.password });
      connection = [
        '--topology',
        demo.line.topology,
        '--kubeconfig',
        demo.line.kubeconfig,
        '--router-host-key',
        demo.line.router.hostKeySha256,
      ];
      // The user's own neighbor, configured by hand before the wizard ever ran.
      const w = '/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper';
      const setup = [
        `${w} begin`,
        ...(dialect === 'vyos' ? [`${w} set protocols bgp system-as 64512`] : []),
        `${w} ${userNeighborLine.replace(/^set /, 'set ')}`,
        `${w} commit`,
        `${w} save`,
        `${w} end`,
      ].join('\n');
      const r = demo.line.router;
      const result = await sshExec(
        { host: r.host, port: r.port, username: r.username, password: r.password },
        setup,
      );
      expect(result.code).toBe(0);
    }, 60_000);

    afterAll(async () => {
      await demo?.stop();
      if (cli) await removeHome(cli);
    });

    it('refuses an unknown host key with exit 3 and names the fingerprint', async () => {
      const result = await cli.run([
        'probe',
        '--topology',
        demo.line.topology,
        '--kubeconfig',
        demo.line.kubeconfig,
      ]);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(demo.line.router.hostKeySha256);
      expect(result.stderr).toContain('--router-host-key');
    });

    it('applies, reports every neighbor Established with ECMP routes, and answers from the router', async () => {
      const applied = await cli.json<ApplyJson>(['apply', ...connection, '--yes']);
      expect(applied.changed).toBe(true);
      expect(applied.cluster.changed).toBe(true);
      expect(applied.router).toMatchObject({ changed: true, state: 'applied-and-saved' });

      await exposeWebService(demo.line.kubeconfig);
      const status = await statusWithEcmp(cli, connection, 'default/web', 3, 30_000);
      expect(status.neighbors.map((n) => n.node).sort()).toEqual([null, 'worker1', 'worker2', 'worker3']);
      expect(status.neighbors.find((n) => n.address === USER_NEIGHBOR)?.state).not.toBe('Established');
      const route = status.routes.find((r) => r.service === 'default/web');
      expect(route?.prefix).toMatch(/^10\.77\.100\.\d+\/32$/);
      expect(route?.nextHops.map((h) => h.node).sort()).toEqual(['worker1', 'worker2', 'worker3']);

      const test = await cli.json<TestJson>([
        'test',
        ...connection,
        '--service',
        'default/web',
        '--count',
        '20',
      ]);
      expect(test).toMatchObject({ attempts: 20, succeeded: 20 });
      expect(Object.keys(test.byNode).length).toBeGreaterThanOrEqual(2);
      for (const node of Object.keys(test.byNode)) expect(node).toMatch(/^worker[1-3]$/);
      expect(test.latencyMs.p50).not.toBeNull();

      const echo = await cli.json<TestJson>(['test', ...connection, '--deploy-echo', '--count', '5']);
      expect(echo).toMatchObject({ attempts: 5, succeeded: 5 });
      expect(echo.target).toContain('mbw-echo');
    });

    it('a second apply changes nothing and says so', async () => {
      const again = await cli.json<ApplyJson>(['apply', ...connection, '--yes']);
      expect(again).toMatchObject({
        changed: false,
        cluster: { changed: false },
        router: { changed: false, state: 'unchanged' },
      });
    });

    it('exports a bundle with the plan and no secret anywhere', async () => {
      const out = join(cli.home, 'bundle.zip');
      const result = await cli.run(['export', ...connection, '--out', out]);
      expect(result.code).toBe(0);
      const files = unzipSync(readFileSync(out));
      expect(Object.keys(files)).toEqual(
        expect.arrayContaining(['topology.yaml', 'router/commands.txt', 'manifest.json']),
      );
      const password = demo.line.router.password;
      for (const [name, bytes] of Object.entries(files)) {
        expect(Buffer.from(bytes).toString('utf8'), name).not.toContain(password);
      }
      for (const file of filesUnder(cli.home)) {
        expect(readFileSync(file).toString('utf8'), file).not.toContain(password);
      }
    });

    it('tears down only what it added; the user neighbor stays', async () => {
      const result = await cli.run(['teardown', ...connection]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--yes');
      const down = await cli.json<{ changed: boolean; router: { state: string } }>([
        'teardown',
        ...connection,
        '--yes',
      ]);
      expect(down.changed).toBe(true);
      const r = demo.line.router;
      const config = await sshExec(
        { host: r.host, port: r.port, username: r.username, password: r.password },
        '/opt/vyatta/bin/vyatta-op-cmd-wrapper show configuration commands',
      );
      expect(config.stdout).toContain(`neighbor ${USER_NEIGHBOR} remote-as`);
      expect(config.stdout).not.toContain('mbw-');
    });
  });
}
