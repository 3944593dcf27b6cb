// The whole job through the CLI, against the demo lab (emulated router over SSH, emulated API
// server over HTTPS, in-memory routing): apply → status → test → second apply (no-op) → export →
// teardown, for both dialects. A user's own neighbor lives on the router throughout.

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { sshExec } from '../../../lab/router/testing.ts';
import {
  cliHarness,
  demoConnection,
  exposeWebService,
  removeHome,
  startDemo,
  statusWithEcmp,
} from './testing.ts';
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
      connection = demoConnection(demo.line);
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

    if (dialect === 'edgeos') {
      it('waits for the route before a test, and still reports when none comes', async () => {
        // Local policy and no endpoint: MetalLB gives the Service an IP but no node announces it.
        const kc = new KubeConfig();
        kc.loadFromFile(demo.line.kubeconfig);
        const core = kc.makeApiClient(CoreV1Api);
        await core.createNamespacedService({
          namespace: 'default',
          body: {
            metadata: { name: 'unrouted' },
            spec: {
              type: 'LoadBalancer',
              externalTrafficPolicy: 'Local',
              selector: { app: 'nobody' },
              ports: [{ port: 80 }],
            },
          },
        });
        let ip: string | undefined;
        for (let delay = 50; ip === undefined; delay = Math.min(delay * 2, 1000)) {
          const service = await core.readNamespacedService({ name: 'unrouted', namespace: 'default' });
          ip = service.status?.loadBalancer?.ingress?.[0]?.ip;
          if (ip === undefined) await new Promise((r) => setTimeout(r, delay));
        }
        const result = await cli.run([
          'test',
          ...connection,
          '--service',
          'default/unrouted',
          '--count',
          '1',
        ]);
        expect(result.stderr).toContain(`waiting up to 10 s for the router to learn a BGP route to ${ip}`);
        expect(result.code).toBe(1);
        await core.deleteNamespacedService({ name: 'unrouted', namespace: 'default' });
      });
    }

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

describe('the CLI with a BGP password against the demo lab', { timeout: 120_000 }, () => {
  const bgpPassword = 'Md5-demo.secret42';
  let demo: RunningDemo;
  let cli: CliHarness;
  let connection: string[];

  beforeAll(async () => {
    demo = await startDemo(['--fast']);
    cli = cliHarness({
      METALLB_WIZARD_ROUTER_PASSWORD: demo.line.router.password,
      METALLB_WIZARD_BGP_PASSWORD: bgpPassword,
    });
    const document = parseYaml(readFileSync(demo.line.topology, 'utf8')) as {
      router: Record<string, unknown>;
    };
    document.router['bgpPassword'] = true;
    const topology = join(cli.home, 'topology-md5.yaml');
    writeFileSync(topology, stringifyYaml(document));
    connection = demoConnection(demo.line, topology);
  }, 60_000);

  afterAll(async () => {
    await demo?.stop();
    if (cli) await removeHome(cli);
  });

  it('sets the password on the router and in the Secret, and shows or stores it nowhere else', async () => {
    const outputs: string[] = [];
    const apply = await cli.run(['apply', ...connection, '--yes', '--json']);
    outputs.push(apply.stdout, apply.stderr);
    expect(apply.code, apply.stderr).toBe(0);
    expect(JSON.parse(apply.stdout)).toMatchObject({ changed: true, router: { state: 'applied-and-saved' } });

    const r = demo.line.router;
    const config = await sshExec(
      { host: r.host, port: r.port, username: r.username, password: r.password },
      '/opt/vyatta/bin/vyatta-op-cmd-wrapper show configuration commands',
    );
    for (const n of [11, 12, 13]) expect(config.stdout).toContain(`neighbor 10.77.1.${n} password`);
    expect(config.stdout).toContain(bgpPassword);

    const kc = new KubeConfig();
    kc.loadFromFile(demo.line.kubeconfig);
    const secret = await kc
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({ name: 'mbw-bgp-password', namespace: 'metallb-system' });
    expect(secret.type).toBe('kubernetes.io/basic-auth');
    expect(Buffer.from(secret.data?.['password'] ?? '', 'base64').toString()).toBe(bgpPassword);

    const again = await cli.run(['apply', ...connection, '--yes', '--json']);
    outputs.push(again.stdout, again.stderr);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false });

    const out = join(cli.home, 'md5-bundle.zip');
    const exported = await cli.run(['export', ...connection, '--out', out]);
    outputs.push(exported.stdout, exported.stderr);
    expect(exported.code).toBe(0);
    const files = unzipSync(readFileSync(out));
    expect(Buffer.from(files['router/commands.txt'] ?? new Uint8Array()).toString()).toContain(
      'password BGP-PASSWORD',
    );
    for (const [name, bytes] of Object.entries(files)) {
      expect(Buffer.from(bytes).toString('utf8'), name).not.toContain(bgpPassword);
    }
    for (const file of filesUnder(cli.home)) {
      const text = readFileSync(file).toString('utf8');
      expect(text, file).not.toContain(bgpPassword);
      expect(text, file).not.toContain(r.password);
    }
    for (const text of outputs) {
      expect(text).not.toContain(bgpPassword);
      expect(text).not.toContain(r.password);
    }
  });
});
