// The demo end to end, as a user's tools would drive it: spawn `lab/demo.ts --json`, log in over
// SSH, talk to the API with client-node, install MetalLB from the official manifest, configure the
// router with the exec-channel wrapper script, expose a Deployment, and watch BGP and ECMP work.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'ssh2';
import { WebSocket } from 'ws';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { KubeConfig, KubernetesObjectApi, PatchStrategy, VersionApi } from '@kubernetes/client-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseBgpRoutes, parseBgpSummary, parseShowVersion } from '../src/shared/parse/index.ts';
import { buildPlan } from '../src/shared/plan/index.ts';
import { validateTopology } from '../src/shared/topology/index.ts';
import { DEMO_USAGE, parseDemoArgs } from './demo.ts';
import { generateSshKeyPair } from './router/index.ts';

interface ReadyLine {
  router: {
    host: string;
    port: number;
    username: string;
    password: string;
    hostKeySha256: string;
    dialect: string;
  };
  kubeconfig: string;
  topology: string;
  app?: { shell: string; url: string | null };
}

const MANIFEST = resolve(process.cwd(), '../shared/fixtures/metallb/v0.14.9/metallb-native.yaml');
const READY_BUDGET_MS = 10_000;
/** The app's first start may build the renderer. */
const APP_READY_BUDGET_MS = 120_000;
const FIELD_MANAGER = 'demo-test';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves with the first stdout line; rejects when the process exits first or the budget runs out. */
function firstLine(child: ChildProcess, budgetMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(
      () => reject(new Error(`no ready line within ${budgetMs} ms; stderr: ${stderr}`)),
      budgetMs,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolvePromise(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code} before it was ready; stderr: ${stderr}`));
    });
  });
}

function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** One SSH connection that verifies the printed host key, as the app does. */
function sshConnect(r: Omit<ReadyLine['router'], 'dialect'>): Promise<Client> {
  return new Promise((res, rej) => {
    const client = new Client();
    client
      .on('ready', () => res(client))
      .on('error', rej)
      .connect({
        host: r.host,
        port: r.port,
        username: r.username,
        password: r.password,
        readyTimeout: 5000,
        hostVerifier: (key: Buffer) => fingerprint(key) === r.hostKeySha256,
      });
  });
}

function sshExec(client: Client, command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    client.exec(command, (err, stream) => {
      if (err) return rej(err);
      let stdout = '';
      let stderr = '';
      let code = -1;
      stream.on('data', (d: Buffer) => (stdout += d.toString()));
      stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      stream.on('exit', (c: number) => (code = c));
      stream.on('close', () => res({ code, stdout, stderr }));
    });
  });
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen within ${timeoutMs} ms (last error: ${String(last)})`);
    await sleep(250);
  }
}

function isWebhookRefusal(err: unknown): boolean {
  const text = `${(err as Error).message ?? ''} ${JSON.stringify((err as { body?: unknown }).body ?? '')}`;
  return /failed calling webhook/.test(text);
}

async function serverSideApply(api: KubernetesObjectApi, obj: KubernetesObject): Promise<void> {
  // patch() mutates its argument: pass a copy.
  await api.patch(
    structuredClone(obj),
    undefined,
    undefined,
    FIELD_MANAGER,
    true,
    PatchStrategy.ServerSideApply,
  );
}

/** MetalLB refuses its own objects until the controller serves the webhook: retry only that. */
async function applyThroughWebhook(api: KubernetesObjectApi, obj: KubernetesObject): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      await serverSideApply(api, obj);
      return attempt;
    } catch (err) {
      if (!isWebhookRefusal(err) || attempt >= 60) throw err;
      await sleep(250);
    }
  }
}

interface Topology {
  router: { asn: number; maximumPaths: number; cluster: { address: string } };
  cluster: {
    asn: number;
    nodes: { name: string; address: string }[];
    pools: { name: string; addresses: string[] }[];
  };
}

function metallbObjects(t: Topology): KubernetesObject[] {
  const ns = 'metallb-system';
  const routerAddress = t.router.cluster.address.split('/')[0];
  const pool = t.cluster.pools[0]!;
  return [
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: pool.name, namespace: ns },
      spec: { addresses: pool.addresses },
    } as KubernetesObject,
    {
      apiVersion: 'metallb.io/v1beta2',
      kind: 'BGPPeer',
      metadata: { name: 'router', namespace: ns },
      spec: { myASN: t.cluster.asn, peerASN: t.router.asn, peerAddress: routerAddress },
    } as KubernetesObject,
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'BGPAdvertisement',
      metadata: { name: 'all-pools', namespace: ns },
      spec: { ipAddressPools: [pool.name] },
    } as KubernetesObject,
  ];
}

function routerScript(t: Topology): string {
  const as = t.router.asn;
  const routerId = t.router.cluster.address.split('/')[0];
  const lines = [
    `set protocols bgp ${as} parameters router-id ${routerId}`,
    ...t.cluster.nodes.map((n) => `set protocols bgp ${as} neighbor ${n.address} remote-as ${t.cluster.asn}`),
    `set protocols bgp ${as} maximum-paths ${as === t.cluster.asn ? 'ibgp' : 'ebgp'} ${t.router.maximumPaths}`,
  ];
  return [
    '#!/bin/vbash',
    'W=/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper',
    '$W begin || exit 1',
    ...lines.map((l) => `$W ${l} || { $W discard; $W end; exit 2; }`),
    '$W commit || { $W discard; $W end; exit 3; }',
    '$W save || { $W end; exit 4; }',
    '$W end',
    '',
  ].join('\n');
}

const app = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'web', image: 'registry.k8s.io/e2e-test-images/agnhost:2.47', args: ['netexec'] },
        ],
      },
    },
  },
} as KubernetesObject;

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    type: 'LoadBalancer',
    selector: { app: 'web' },
    ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
  },
} as KubernetesObject;

function summaryText(s: {
  neighbors: { address: string; state: string; prefixesReceived: number | null }[];
}): string {
  return s.neighbors.map((n) => `${n.address} ${n.state} pfx=${n.prefixesReceived}`).join('\n');
}

/**
 * Teardown when a test stopped early (or ran alone with -t): SIGTERM so the demo cleans up itself,
 * SIGKILL only if it hangs, and then remove what a killed demo could not.
 */
async function stopDemo(child: ChildProcess | undefined, topology: string | undefined): Promise<void> {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  if (topology && basename(dirname(topology)).startsWith('metallb-demo-')) {
    await rm(dirname(topology), { recursive: true, force: true });
  }
}

describe('npm run demo (in-memory lab)', () => {
  let demo: ChildProcess;
  let line: ReadyLine;
  let readyMs = 0;
  let ssh: Client | undefined;

  beforeAll(async () => {
    const started = Date.now();
    demo = spawn(process.execPath, ['lab/demo.ts', '--json', '--no-app'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    line = JSON.parse(await firstLine(demo, READY_BUDGET_MS)) as ReadyLine;
    readyMs = Date.now() - started;
  });

  afterAll(async () => {
    ssh?.end();
    await stopDemo(demo, line?.topology);
  });

  it('prints one ready line within 10 s, without namespaces', () => {
    console.info(`demo ready in ${readyMs} ms`);
    expect(readyMs).toBeLessThan(READY_BUDGET_MS);
    expect(Object.keys(line).sort()).toEqual(['kubeconfig', 'router', 'topology']);
    expect(line.router.hostKeySha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(line.router.port).toBeGreaterThan(0);
    expect(line.router.dialect).toBe('edgeos');
    expect(
      (parseYaml(readFileSync(line.topology, 'utf8')) as { router: { dialect: string } }).router.dialect,
    ).toBe('edgeos');
  });

  it('accepts an SSH login with the printed password and host key, and serves /version', async () => {
    ssh = await sshConnect(line.router);
    const kc = new KubeConfig();
    kc.loadFromFile(line.kubeconfig);
    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toMatch(/^v1\.\d+/);
  });

  it('rejects a host key other than the printed one', async () => {
    await expect(sshConnect({ ...line.router, hostKeySha256: 'SHA256:not-the-key' })).rejects.toThrow();
  });

  it('runs the full flow: MetalLB + router BGP + LoadBalancer Service → Established sessions, ECMP, curl from ≥2 nodes', async () => {
    const topology = parseYaml(readFileSync(line.topology, 'utf8')) as Topology;
    const kc = new KubeConfig();
    kc.loadFromFile(line.kubeconfig);
    const api = KubernetesObjectApi.makeApiClient(kc);
    ssh ??= await sshConnect(line.router);
    const client = ssh;

    // Nothing configured yet: the router has no BGP.
    expect((await sshExec(client, 'cat /config/config.boot')).stdout).not.toMatch(/protocols\s*{[^}]*bgp/);

    const manifest = parseAllDocuments(readFileSync(MANIFEST, 'utf8'))
      .map((d) => d.toJSON() as KubernetesObject | null)
      .filter((o): o is KubernetesObject => o !== null && typeof o === 'object' && 'kind' in o);
    expect(manifest.length).toBeGreaterThan(10);
    for (const obj of manifest) await serverSideApply(api, obj);

    const attempts: number[] = [];
    for (const obj of metallbObjects(topology)) attempts.push(await applyThroughWebhook(api, obj));
    // The first MetalLB object met the webhook before the controller was Ready, as on a real cluster.
    expect(attempts[0]).toBeGreaterThan(1);

    const configured = await sshExec(client, routerScript(topology));
    expect(configured.code, configured.stderr).toBe(0);

    await serverSideApply(api, app);
    await serverSideApply(api, service);
    const serviceIp = await until('LoadBalancer IP', 20_000, async () => {
      const svc = (await api.read({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'default' },
      })) as {
        status?: { loadBalancer?: { ingress?: { ip?: string }[] } };
      };
      return svc.status?.loadBalancer?.ingress?.[0]?.ip;
    });

    const nodeCount = topology.cluster.nodes.length;
    const summary = await until('every neighbor Established', 20_000, async () => {
      const out = await sshExec(client, '/opt/vyatta/bin/vyatta-op-cmd-wrapper show ip bgp summary');
      const parsed = parseBgpSummary(out.stdout);
      const up = parsed.neighbors.filter((n) => n.state === 'Established' || n.prefixesReceived !== null);
      return up.length === nodeCount && parsed.neighbors.every((n) => n.prefixesReceived === 1)
        ? parsed
        : undefined;
    });
    expect(summary.neighbors.map((n) => n.address).sort()).toEqual(
      topology.cluster.nodes.map((n) => n.address).sort(),
    );

    const routesOut = await sshExec(client, "vbash -ic 'show ip route bgp'");
    console.info(`router output seen by the test:\n${summaryText(summary)}\n${routesOut.stdout}`);
    const route = parseBgpRoutes(routesOut.stdout).find((r) => r.prefix === `${serviceIp}/32`);
    expect(route, routesOut.stdout).toBeDefined();
    expect(route?.nextHops.map((h) => h.address).sort()).toEqual(
      topology.cluster.nodes.map((n) => n.address).sort(),
    );

    const answered = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const out = await sshExec(client, `curl -s -m 5 http://${serviceIp}/hostname`);
      expect(out.code, out.stderr).toBe(0);
      answered.add((JSON.parse(out.stdout) as { node: string }).node);
    }
    expect(answered.size).toBeGreaterThanOrEqual(2);
  });

  it('stops on SIGTERM and deletes its temp dir', async () => {
    ssh?.end();
    ssh = undefined;
    const stateDir = dirname(line.topology);
    expect(existsSync(stateDir)).toBe(true);
    const exited = new Promise<number | null>((r) => demo.once('exit', (code) => r(code)));
    demo.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(stateDir)).toBe(false);
    expect(existsSync(line.kubeconfig)).toBe(false);
  });
});

describe('npm run demo without --json', () => {
  it('prints the endpoints and credentials readably, says the wizard was not started, and cleans up on SIGINT', async () => {
    const demo = spawn(process.execPath, ['lab/demo.ts', '--no-app'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    demo.stdout?.on('data', (d: Buffer) => (text += d.toString()));
    try {
      await until('the readable banner', READY_BUDGET_MS, async () =>
        text.includes('Press Ctrl-C') ? true : undefined,
      );
      const password = /password:\s+(\S+)/.exec(text)?.[1];
      const kubeconfig = /kubeconfig:\s+(\S+)/.exec(text)?.[1];
      const port = Number(/ssh -p (\d+) ubnt@127\.0\.0\.1/.exec(text)?.[1]);
      const hostKey = /host key:\s+(SHA256:\S+)/.exec(text)?.[1];
      expect(text).toMatch(/The wizard was not started \(--no-app\)/);
      expect(text).not.toMatch(/http:\/\//);
      expect(text).toMatch(/npm run cli -- plan --topology \S+topology\.yaml/);
      expect(kubeconfig && existsSync(kubeconfig)).toBe(true);
      // The printed credentials are the real ones.
      const client = await sshConnect({
        host: '127.0.0.1',
        port,
        username: 'ubnt',
        password: password ?? '',
        hostKeySha256: hostKey ?? '',
      });
      client.end();
      const exited = new Promise<number | null>((r) => demo.once('exit', (code) => r(code)));
      demo.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(existsSync(dirname(dirname(kubeconfig ?? '/')))).toBe(false);
    } finally {
      const kubeconfig = /kubeconfig:\s+(\S+)/.exec(text)?.[1];
      await stopDemo(demo, kubeconfig && join(dirname(dirname(kubeconfig)), 'topology.yaml'));
    }
  });
});

describe('npm run demo when its parent dies', () => {
  it('stops and deletes its temp dir when the shell that started it (as npm does) is killed', async () => {
    // `; true` keeps sh from exec'ing node, so node really is a grandchild, as under `npm run`.
    const shell = spawn('sh', ['-c', `'${process.execPath}' lab/demo.ts --json --no-app; true`], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ready = JSON.parse(await firstLine(shell, READY_BUDGET_MS)) as ReadyLine;
    const stateDir = dirname(ready.topology);
    expect(existsSync(stateDir)).toBe(true);
    shell.kill('SIGKILL');
    await until('the orphaned demo to clean up', 5000, async () => (existsSync(stateDir) ? undefined : true));
    // And it let go of its SSH port.
    await expect(sshConnect(ready.router)).rejects.toThrow();
  });
});

describe('demo options (parseDemoArgs)', () => {
  it('defaults to the EdgeOS, three-node, no-scenario case with realistic delays and addresses+ports hashing', () => {
    expect(parseDemoArgs([])).toEqual({
      json: false,
      fast: false,
      app: true,
      browser: false,
      open: true,
      authorizedKeys: [],
      pool: null,
      help: false,
      dialect: 'edgeos',
      nodes: 3,
      scenarios: [],
      hash: 'addresses-ports',
    });
  });

  it('refuses a --pool that is not a CIDR or range, naming it', () => {
    expect(() => parseDemoArgs(['--pool', '10.77.1.300/27'])).toThrow(/^--pool "10\.77\.1\.300\/27": /);
    expect(() => parseDemoArgs(['--pool', 'lots'])).toThrow(/--pool "lots"/);
  });

  it('reads every option; --scenario may repeat and take comma-separated names', () => {
    expect(
      parseDemoArgs([
        '--json',
        '--fast',
        '--no-app',
        '--browser',
        '--no-open',
        '--dialect',
        'vyos',
        '--nodes=5',
        '--scenario',
        'calico-bgp,kube-vip',
        '--scenario',
        'metallb-helm',
        '--scenario',
        'kube-vip',
        '--hash',
        'addresses',
        '--pool',
        '10.77.1.224/27',
      ]),
    ).toEqual({
      json: true,
      fast: true,
      app: false,
      browser: true,
      open: false,
      authorizedKeys: [],
      pool: '10.77.1.224/27',
      help: false,
      dialect: 'vyos',
      nodes: 5,
      scenarios: ['calico-bgp', 'kube-vip', 'metallb-helm'],
      hash: 'addresses',
    });
    expect(parseDemoArgs(['--nodes', '1']).nodes).toBe(1);
    expect(parseDemoArgs(['--nodes', '8']).nodes).toBe(8);
  });

  it.each([
    [['--dialect', 'junos'], '--dialect "junos" is not supported; use one of: edgeos, vyos'],
    [['--nodes', '9'], '--nodes "9" is not a whole number from 1 to 8'],
    [['--nodes', '0'], '--nodes "0" is not a whole number from 1 to 8'],
    [['--nodes', '2.5'], '--nodes "2.5" is not a whole number from 1 to 8'],
    [
      ['--scenario', 'calico-bgp,calico'],
      '--scenario "calico" is not supported; use one of: kube-proxy-iptables',
    ],
    [['--scenario', 'kube-vip,'], '--scenario has an empty name'],
    [['--hash', 'ports'], '--hash "ports" is not supported; use one of: addresses, addresses-ports'],
    [['--jsn'], 'unknown option "--jsn"'],
    [['up'], 'unexpected argument "up"'],
    [['--dialect'], '--dialect needs a value'],
    [['--nodes', '--json'], '--nodes needs a value'],
    [['--fast=yes'], '--fast takes no value'],
    [['--no-app=1'], '--no-app takes no value'],
    [['--authorized-key'], '--authorized-key needs a value'],
    [
      ['--authorized-key', '/nonexistent/id.pub'],
      '--authorized-key "/nonexistent/id.pub": it cannot be read: ENOENT',
    ],
  ])('refuses %j, naming it', (argv, message) => {
    expect(() => parseDemoArgs(argv)).toThrow(message);
  });

  it('exits 2 with the message and the usage on a bad option, before starting anything', async () => {
    const demo = spawn(process.execPath, ['lab/demo.ts', '--nodes', '12'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    demo.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    demo.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => demo.once('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`demo: --nodes "12" is not a whole number from 1 to 8\n${DEMO_USAGE}\n`);
  });
});

describe('npm run demo -- --authorized-key FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mbw-demo-key-'));
  const passphrase = 'demo test passphrase';
  const pair = generateSshKeyPair('ed25519', passphrase);
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text, { mode: 0o600 });
    return file;
  };
  const pub = write('id_ed25519.pub', `# the test's key\n${pair.public.trim()} test@demo\n`);
  let demo: ChildProcess | undefined;
  let line: ReadyLine | undefined;

  afterAll(async () => {
    await stopDemo(demo, line?.topology);
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the public key lines of the file, skipping blank lines and comments', () => {
    expect(parseDemoArgs(['--authorized-key', pub]).authorizedKeys).toEqual([
      `${pair.public.trim()} test@demo`,
    ]);
  });

  it.each([
    ['the private key', () => write('id_ed25519', pair.private), 'line 1 is not an OpenSSH public key line'],
    ['an empty file', () => write('empty.pub', '\n# nothing\n'), 'holds no public key'],
    ['a folder', () => dir, 'it is not a file'],
    ['a 100 KiB file', () => write('big.pub', 'x'.repeat(100 * 1024)), 'more than a public key file'],
  ])('refuses %s, naming the option and the file and never echoing its content', (_what, file, message) => {
    const path = file();
    expect(() => parseDemoArgs(['--authorized-key', path])).toThrow(`--authorized-key "${path}"`);
    expect(() => parseDemoArgs(['--authorized-key', path])).toThrow(message);
    try {
      parseDemoArgs(['--authorized-key', path]);
    } catch (error) {
      expect((error as Error).message).not.toContain('PRIVATE KEY');
    }
  });

  it('exits 2 naming the option when the file is not a public key', async () => {
    const child = spawn(
      process.execPath,
      ['lab/demo.ts', '--no-app', '--authorized-key', write('k', pair.private)],
      {
        cwd: process.cwd(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^demo: --authorized-key ".*" line 1 is not an OpenSSH public key line/);
  });

  it("lets the router's user sign in with the key (and still with the password)", async () => {
    demo = spawn(process.execPath, ['lab/demo.ts', '--json', '--no-app', '--fast', '--authorized-key', pub], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    line = JSON.parse(await firstLine(demo, READY_BUDGET_MS)) as ReadyLine;
    const { host, port, username, hostKeySha256 } = line.router;
    const client = await new Promise<Client>((res, rej) => {
      const c = new Client();
      c.on('ready', () => res(c))
        .on('error', rej)
        .connect({
          host,
          port,
          username,
          privateKey: pair.private,
          passphrase,
          readyTimeout: 5000,
          hostVerifier: (key: Buffer) => fingerprint(key) === hostKeySha256,
        });
    });
    try {
      const out = await sshExec(client, '/opt/vyatta/bin/vyatta-op-cmd-wrapper show version');
      expect(out.code, out.stderr).toBe(0);
      expect(parseShowVersion(out.stdout)?.dialect).toBe('edgeos');
    } finally {
      client.end();
    }
    (await sshConnect(line.router)).end();
  });
});

describe('npm run demo -- --fast --dialect vyos --nodes 5 --scenario calico-bgp --hash addresses', () => {
  let demo: ChildProcess;
  let line: ReadyLine;
  let ssh: Client | undefined;

  beforeAll(async () => {
    demo = spawn(
      process.execPath,
      [
        'lab/demo.ts',
        '--json',
        '--no-app',
        '--fast',
        '--dialect',
        'vyos',
        '--nodes',
        '5',
        '--scenario',
        'calico-bgp',
        '--hash',
        'addresses',
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    line = JSON.parse(await firstLine(demo, READY_BUDGET_MS)) as ReadyLine;
  });

  afterAll(async () => {
    ssh?.end();
    await stopDemo(demo, line?.topology);
  });

  it('writes a VyOS topology with five nodes that validates, and says vyos in the ready line', () => {
    expect(line.router.dialect).toBe('vyos');
    const result = validateTopology(parseYaml(readFileSync(line.topology, 'utf8')));
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.topology.router.dialect).toBe('vyos');
    expect(result.topology.router.ssh).toMatchObject({ host: line.router.host, port: line.router.port });
    expect(result.topology.cluster.nodes.map((n) => `${n.name} ${n.address}`)).toEqual([
      'worker1 10.77.1.11',
      'worker2 10.77.1.12',
      'worker3 10.77.1.13',
      'worker4 10.77.1.14',
      'worker5 10.77.1.15',
    ]);
  });

  it('serves a router that answers show version as VyOS', async () => {
    ssh = await sshConnect(line.router);
    const out = await sshExec(ssh, '/opt/vyatta/bin/vyatta-op-cmd-wrapper show version');
    expect(out.code, out.stderr).toBe(0);
    expect(parseShowVersion(out.stdout)).toMatchObject({ dialect: 'vyos', version: '1.4.0' });
    const banner = await sshExec(ssh, 'cat /config/config.boot');
    expect(banner.stdout).toContain('host-name vyos');
  });

  it('has five nodes in the cluster and the Calico BGP scenario seeded', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(line.kubeconfig);
    const api = KubernetesObjectApi.makeApiClient(kc);
    const nodes = await api.list('v1', 'Node');
    expect(nodes.items.map((n) => n.metadata?.name).sort()).toEqual([
      'worker1',
      'worker2',
      'worker3',
      'worker4',
      'worker5',
    ]);
    const peer = (await api.read({
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'BGPPeer',
      metadata: { name: 'edgerouter' },
    })) as KubernetesObject & { spec?: { peerIP?: string } };
    expect(peer.spec?.peerIP).toBe('10.77.1.1');
    const calicoNode = await api.read({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'calico-node', namespace: 'kube-system' },
    });
    expect(calicoNode.metadata?.name).toBe('calico-node');
  });

  it("runs the planner's VyOS plan: five sessions up at once, and every curl to the Service IP on one node", async () => {
    const parsed = validateTopology(parseYaml(readFileSync(line.topology, 'utf8')));
    if (!parsed.ok) throw new Error(`topology invalid: ${JSON.stringify(parsed.errors)}`);
    const plan = buildPlan(parsed.topology);
    expect(plan.router.dialect).toBe('vyos');
    const kc = new KubeConfig();
    kc.loadFromFile(line.kubeconfig);
    const api = KubernetesObjectApi.makeApiClient(kc);
    ssh ??= await sshConnect(line.router);
    const client = ssh;

    const manifest = parseAllDocuments(readFileSync(MANIFEST, 'utf8'))
      .map((d) => d.toJSON() as KubernetesObject | null)
      .filter((o): o is KubernetesObject => o !== null && typeof o === 'object' && 'kind' in o);
    for (const obj of manifest) await serverSideApply(api, obj);
    for (const obj of plan.metallb.objects) await applyThroughWebhook(api, obj as KubernetesObject);
    const configured = await sshExec(client, plan.router.script);
    expect(configured.code, configured.stdout + configured.stderr).toBe(0);
    await serverSideApply(api, app);
    await serverSideApply(api, service);

    const serviceIp = await until('LoadBalancer IP', 10_000, async () => {
      const svc = (await api.read({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'default' },
      })) as { status?: { loadBalancer?: { ingress?: { ip?: string }[] } } };
      return svc.status?.loadBalancer?.ingress?.[0]?.ip;
    });
    await until('five neighbors Established with the Service route', 10_000, async () => {
      const out = await sshExec(client, '/opt/vyatta/bin/vyatta-op-cmd-wrapper show ip bgp summary');
      const summary = parseBgpSummary(out.stdout);
      return summary.neighbors.length === 5 && summary.neighbors.every((n) => n.prefixesReceived === 1)
        ? true
        : undefined;
    });
    const routes = parseBgpRoutes((await sshExec(client, "vbash -ic 'show ip route bgp'")).stdout);
    expect(routes.find((r) => r.prefix === `${serviceIp}/32`)?.nextHops).toHaveLength(5);

    const answered: string[] = [];
    for (let i = 0; i < 12; i++) {
      const out = await sshExec(client, `curl -s -m 5 http://${serviceIp}/hostname`);
      expect(out.code, out.stderr).toBe(0);
      answered.push((JSON.parse(out.stdout) as { node: string }).node);
    }
    // Hashing on addresses only: one client, one Service IP, one node.
    expect(new Set(answered).size, answered.join(',')).toBe(1);
  });
});

/** Opens a WebSocket and reports whether it opened, or the HTTP status its upgrade was refused with. */
function bridgeAttempt(url: string, origin: string): Promise<'open' | number> {
  return new Promise((resolvePromise, reject) => {
    const socket = new WebSocket(url, { origin });
    socket.once('open', () => {
      resolvePromise('open');
      socket.close();
    });
    socket.once('unexpected-response', (_req, res) => {
      resolvePromise(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** One call over the bridge, as the renderer's client makes it. */
function bridgeCall(url: string, origin: string, channel: string): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    const socket = new WebSocket(url, { origin });
    socket.once('open', () => socket.send(JSON.stringify({ id: 1, channel, payload: {} })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; envelope?: unknown };
      if (message.id !== 1) return;
      resolvePromise(message.envelope);
      socket.close();
    });
    socket.once('error', reject);
  });
}

describe('npm run demo with the app (browser mode)', () => {
  let demo: ChildProcess;
  let line: ReadyLine;

  beforeAll(async () => {
    demo = spawn(process.execPath, ['lab/demo.ts', '--json', '--fast', '--browser', '--no-open'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    line = JSON.parse(await firstLine(demo, APP_READY_BUDGET_MS)) as ReadyLine;
  }, APP_READY_BUDGET_MS + 10_000);

  afterAll(async () => {
    await stopDemo(demo, line?.topology);
  });

  it('adds the wizard URL to the ready line, serves the app there with its CSP, and deletes the preset file', async () => {
    expect(line.app?.shell).toBe('browser');
    const url = line.app?.url ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const port = new URL(url).port;
    expect(response.headers.get('content-security-policy')).toContain(
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws://127.0.0.1:${port}`,
    );
    expect(await response.text()).toContain('<div id="root">');
    // The password travelled in a file that the app deleted once read.
    expect(readdirSync(dirname(line.topology)).filter((f) => f.startsWith('app-preset-'))).toEqual([]);
  });

  it('refuses a bridge connection without the token, with a wrong one, or from a foreign origin', async () => {
    const { origin, hash } = new URL(line.app?.url ?? '');
    const token = hash.slice('#token='.length);
    const bridge = `ws://${new URL(origin).host}/bridge`;
    expect(await bridgeAttempt(bridge, origin)).toBe(403);
    expect(await bridgeAttempt(`${bridge}?token=${token.slice(1)}`, origin)).toBe(403);
    expect(await bridgeAttempt(`${bridge}?token=${token}`, 'http://evil.example')).toBe(403);
    expect(await bridgeAttempt(`${bridge}?token=${token}`, origin)).toBe('open');
  });

  it("hands the app the lab as its preset: endpoints and 'password held', never the password", async () => {
    const { origin, hash } = new URL(line.app?.url ?? '');
    const bridge = `ws://${new URL(origin).host}/bridge?token=${hash.slice('#token='.length)}`;
    const envelope = (await bridgeCall(bridge, origin, 'app.preset')) as {
      ok: boolean;
      value: {
        topology: { text: string; fileName: string };
        kubeconfig: string;
        router: unknown;
        source: string;
      };
    };
    expect(envelope.ok).toBe(true);
    expect(envelope.value.router).toEqual({
      host: line.router.host,
      port: line.router.port,
      username: line.router.username,
      passwordHeld: true,
      hostKey: line.router.hostKeySha256,
    });
    expect(envelope.value.kubeconfig).toBe(line.kubeconfig);
    expect(envelope.value.topology).toEqual({
      text: readFileSync(line.topology, 'utf8'),
      fileName: basename(line.topology),
    });
    expect(envelope.value.source).toBe('the built-in demo lab');
    expect(JSON.stringify(envelope)).not.toContain(line.router.password);
  });

  it('stops the app with the demo', async () => {
    const url = line.app?.url ?? '';
    const exited = new Promise<number | null>((r) => demo.once('exit', (code) => r(code)));
    demo.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe('npm run demo with the app, human-readable', () => {
  it(
    "writes the wizard's URL as the first http URL, on a line of its own",
    async () => {
      const demo = spawn(process.execPath, ['lab/demo.ts', '--fast', '--browser', '--no-open'], {
        cwd: process.cwd(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      demo.stdout?.on('data', (d: Buffer) => (text += d.toString()));
      try {
        await until('the Ctrl-C line', APP_READY_BUDGET_MS, async () =>
          text.includes('Press Ctrl-C') ? true : undefined,
        );
        const firstUrl = /https?:\/\/\S+/.exec(text)?.[0];
        const wizardLine = text.split('\n').find((l) => l.startsWith('Wizard: '));
        expect(wizardLine).toMatch(/^Wizard: http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
        expect(wizardLine).toBe(`Wizard: ${firstUrl}`);
        expect(text).toContain('Starting the wizard in browser mode (asked for with --browser)');
        expect((await fetch(firstUrl ?? '')).status).toBe(200);
      } finally {
        const kubeconfig = /kubeconfig:\s+(\S+)/.exec(text)?.[1];
        await stopDemo(demo, kubeconfig && join(dirname(dirname(kubeconfig)), 'topology.yaml'));
      }
    },
    APP_READY_BUDGET_MS + 10_000,
  );
});
