// `npm run lab -- up|status|down` as a user runs it, and issue 3's acceptance by hand with real
// clients: kubectl (server-side apply of the official MetalLB manifest), OpenSSH running the EdgeOS
// exec-channel wrapper script, curl from the LAN and cluster clients. Needs root, FRR, and the router
// and Kubernetes emulators; skips with the reason otherwise.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCommand, runInNamespace, type CommandResult } from './run.ts';
import { listNamespaces } from './topology.ts';
import { eventually, realLabSkipReason } from './testing.ts';
import { labDirectory, processAlive, readLabState, type LabReadyLine, type LabState } from './state.ts';
import { LAB_USAGE, parseLabArgs } from './cli.ts';
import { UsageError } from '../options.ts';
import { parse as parseYaml } from 'yaml';
import { validateTopology } from '../../src/shared/topology/index.ts';
import { sshExec } from '../router/testing.ts';

describe('parseLabArgs (pure)', () => {
  const defaults = { dialect: 'edgeos', nodes: 3, scenarios: [], hash: 'addresses-ports' };

  it('reads the command, --id and --json', () => {
    expect(parseLabArgs(['up', '--json'])).toEqual({ command: 'up', id: 'lab', json: true, ...defaults });
    expect(parseLabArgs(['down', '--id', 'x2'])).toEqual({
      command: 'down',
      id: 'x2',
      json: false,
      ...defaults,
    });
  });

  it('reads the case options of up; --scenario may repeat or be comma-separated', () => {
    expect(
      parseLabArgs([
        'up',
        '--dialect',
        'vyos',
        '--nodes',
        '5',
        '--scenario',
        'calico-bgp,kube-vip',
        '--scenario=metallb-manifest',
        '--hash',
        'addresses',
        '--readiness-delay',
        '0',
      ]),
    ).toEqual({
      command: 'up',
      id: 'lab',
      json: false,
      dialect: 'vyos',
      nodes: 5,
      scenarios: ['calico-bgp', 'kube-vip', 'metallb-manifest'],
      hash: 'addresses',
      readinessDelayMs: 0,
    });
  });

  it('leaves the readiness delay to the emulator (1500 ms) unless --readiness-delay gives one', () => {
    expect(parseLabArgs(['up'])).not.toHaveProperty('readinessDelayMs');
    expect(parseLabArgs(['up', '--readiness-delay=60000']).readinessDelayMs).toBe(60_000);
    expect(parseLabArgs(['up', '--readiness-delay', '1500']).readinessDelayMs).toBe(1500);
  });

  it.each([
    [[], 'give a command: up, down or status'],
    [['start'], 'unknown command "start"; use up, down or status'],
    [['up', 'down'], 'give one command, not "up down"'],
    [['up', '--id'], '--id needs a value'],
    [['up', '--id', 'Bad-Id'], 'lab id "Bad-Id" is invalid'],
    [['up', '--verbose'], 'unknown option "--verbose"'],
    [['up', '--dialect', 'ios'], '--dialect "ios" is not supported; use one of: edgeos, vyos'],
    [['up', '--nodes', '9'], '--nodes "9" is not a whole number from 1 to 8'],
    [['up', '--scenario', 'cilium'], '--scenario "cilium" is not supported'],
    [['up', '--hash', 'l4'], '--hash "l4" is not supported; use one of: addresses, addresses-ports'],
    [['status', '--nodes', '2'], '--nodes applies to "up" only, not "status"'],
    [['down', '--readiness-delay', '0'], '--readiness-delay applies to "up" only, not "down"'],
    [['up', '--readiness-delay'], '--readiness-delay needs a value'],
    [
      ['up', '--readiness-delay=-1'],
      '--readiness-delay "-1" is not a whole number of milliseconds from 0 to 60000',
    ],
    [
      ['up', '--readiness-delay', '1.5'],
      '--readiness-delay "1.5" is not a whole number of milliseconds from 0 to 60000',
    ],
    [
      ['up', '--readiness-delay', '60001'],
      '--readiness-delay "60001" is not a whole number of milliseconds from 0 to 60000',
    ],
    [
      ['up', '--readiness-delay', '1s'],
      '--readiness-delay "1s" is not a whole number of milliseconds from 0 to 60000',
    ],
  ])('refuses %j with a UsageError naming it', (argv, message) => {
    expect(() => parseLabArgs(argv)).toThrow(UsageError);
    expect(() => parseLabArgs(argv)).toThrow(message);
  });

  it('exits 2 on bad input, printing the message and the usage', async () => {
    const result = await runCommand(process.execPath, [CLI, 'up', '--dialect', 'junos'], 30_000);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `lab: --dialect "junos" is not supported; use one of: edgeos, vyos\n${LAB_USAGE}\n`,
    );
  });
});

const ID = 'tcl';
const CLI = path.resolve(process.cwd(), 'lab/netns/cli.ts');
const MANIFEST = path.resolve(process.cwd(), '../shared/fixtures/metallb/v0.14.9/metallb-native.yaml');

async function skipReason(): Promise<string | null> {
  const base = await realLabSkipReason();
  if (base) return base;
  for (const entry of ['lab/router/index.ts', 'lab/kube/index.ts']) {
    if (!existsSync(path.resolve(process.cwd(), entry)))
      return `${entry} (an emulator the real lab runs) is not in this checkout yet`;
  }
  for (const tool of ['kubectl', 'ssh', 'ssh-keyscan', 'ssh-keygen']) {
    if ((await runCommand('sh', ['-c', `command -v ${tool}`])).exitCode !== 0)
      return `${tool} is not installed`;
  }
  if (!existsSync(MANIFEST)) return `the MetalLB manifest fixture ${MANIFEST} is missing`;
  return null;
}

const reason = await skipReason();
if (reason) console.warn(`lab/netns/cli.test.ts skipped: ${reason}`);

function labCli(args: string[], timeoutMs = 150_000): Promise<CommandResult> {
  return runCommand(process.execPath, [CLI, ...args, '--id', ID], timeoutMs);
}

describe.skipIf(reason !== null)(
  'npm run lab -- up|status|down, and the acceptance flow with real clients',
  () => {
    let line: LabReadyLine;
    let work = '';
    let kubeconfig = '';
    const sshOptions: string[] = [];

    async function kubectl(args: string[], timeoutMs = 30_000): Promise<CommandResult> {
      return runCommand('kubectl', ['--kubeconfig', kubeconfig, ...args], timeoutMs);
    }

    /** One exec channel through Debian's OpenSSH client, with password auth via SSH_ASKPASS. */
    async function ssh(script: string): Promise<CommandResult> {
      return runCommand(
        'setsid',
        [
          '-w',
          'env',
          `SSH_ASKPASS=${path.join(work, 'askpass')}`,
          'SSH_ASKPASS_REQUIRE=force',
          'DISPLAY=none',
          'ssh',
          ...sshOptions,
          script,
        ],
        30_000,
      );
    }

    beforeAll(async () => {
      await labCli(['down']); // leftovers of an interrupted earlier run
      work = await mkdtemp(path.join(os.tmpdir(), 'mbw-cli-test-'));
      const up = await labCli(['up', '--json']);
      expect(up.exitCode, up.stderr).toBe(0);
      const lines = up.stdout.split('\n').filter((l) => l.trim() !== '');
      expect(lines).toHaveLength(1);
      line = JSON.parse(lines[0]!) as LabReadyLine;
      kubeconfig = line.kubeconfig;

      await writeFile(path.join(work, 'askpass'), `#!/bin/sh\nprintf '%s\\n' '${line.router.password}'\n`);
      await chmod(path.join(work, 'askpass'), 0o700);
      const scan = await runCommand('ssh-keyscan', [
        '-t',
        'ed25519',
        '-p',
        String(line.router.port),
        line.router.host,
      ]);
      await writeFile(path.join(work, 'known_hosts'), scan.stdout);
      sshOptions.push(
        '-p',
        String(line.router.port),
        '-o',
        `UserKnownHostsFile=${path.join(work, 'known_hosts')}`,
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        'PubkeyAuthentication=no',
        '-o',
        'PreferredAuthentications=password',
        `${line.router.username}@${line.router.host}`,
      );
    });

    afterAll(async () => {
      await labCli(['down']);
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('up --json prints the ready line; SSH, the API and FRR answer; nothing is configured yet', async () => {
      expect(line.router).toMatchObject({ host: '127.0.0.1', username: 'ubnt' });
      expect(line.router.port).toBeGreaterThan(0);
      expect(line.router.hostKeySha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(line.namespaces).toMatchObject({
        router: 'mbwtcl-rtr',
        lanClient: 'mbwtcl-lan',
        clusterClient: 'mbwtcl-ccl',
      });
      expect(line.namespaces.nodes.map((n) => n.address)).toEqual(['10.77.1.11', '10.77.1.12', '10.77.1.13']);
      const topology = await readFile(line.topology, 'utf8');
      expect(topology).toContain(`port: ${line.router.port}`);
      expect(topology).toContain('10.77.100.32/27');

      // The host key OpenSSH sees is the one the line advertises.
      const fingerprint = await runCommand('ssh-keygen', ['-lf', path.join(work, 'known_hosts')]);
      expect(fingerprint.stdout).toContain(line.router.hostKeySha256);
      const config = await ssh('cat /config/config.boot');
      expect(config.exitCode, config.stderr).toBe(0);
      expect(config.stdout).not.toMatch(/protocols\s*\{[^}]*bgp/s);

      const nodes = await kubectl([
        'get',
        'nodes',
        '-o',
        'jsonpath={.items[*].status.addresses[?(@.type=="InternalIP")].address}',
      ]);
      expect(nodes.stdout.split(' ').sort()).toEqual(['10.77.1.11', '10.77.1.12', '10.77.1.13']);
      expect((await kubectl(['get', 'namespace', 'metallb-system'])).exitCode).not.toBe(0);

      const frr = await runCommand('vtysh', [
        '--vty_socket',
        path.join(labDirectory(ID), 'frr', line.namespaces.router),
        '-c',
        'show bgp summary json',
      ]);
      expect(frr.exitCode).toBe(0);
      expect(JSON.parse(frr.stdout)).toEqual({}); // FRR runs, with no BGP instance
    });

    it('up again reports the same lab instead of rebuilding it; status says it runs', async () => {
      const again = await labCli(['up', '--json']);
      expect(again.exitCode, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toEqual(line);
      const status = await labCli(['status', '--json']);
      expect(status.exitCode).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({
        running: true,
        phase: 'ready',
        missingNamespaces: [],
      });
    });

    it('acceptance: MetalLB by kubectl, router BGP by OpenSSH, a LoadBalancer service reached over ECMP', async () => {
      const install = await kubectl(['apply', '--server-side', '-f', MANIFEST], 60_000);
      expect(install.exitCode, install.stderr).toBe(0);

      const objects = path.join(work, 'metallb-objects.yaml');
      await writeFile(
        objects,
        `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: lab, namespace: metallb-system}
spec: {addresses: [10.77.100.32/27]}
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: inside, namespace: metallb-system}
spec: {addresses: [10.77.1.200/32], autoAssign: false}
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: router, namespace: metallb-system}
spec: {myASN: 64512, peerASN: 64512, peerAddress: 10.77.1.1}
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: lab, namespace: metallb-system}
spec: {ipAddressPools: [lab, inside]}
`,
      );
      // The webhook refuses MetalLB objects until the controller serves it: retry, bounded.
      await eventually(
        'the MetalLB objects accepted by the webhook',
        30_000,
        async () => (await kubectl(['apply', '--server-side', '-f', objects])).exitCode === 0,
      );

      const wrapper = '/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper';
      const script = [
        `${wrapper} begin`,
        `${wrapper} set protocols bgp 64512 parameters router-id 10.77.1.1`,
        ...line.namespaces.nodes.map(
          (n) => `${wrapper} set protocols bgp 64512 neighbor ${n.address} remote-as 64512`,
        ),
        `${wrapper} set protocols bgp 64512 maximum-paths ibgp 32`,
        `${wrapper} commit`,
        `${wrapper} save`,
        `${wrapper} end`,
      ].join('\n');
      const commit = await ssh(script);
      expect(commit.exitCode, commit.stdout + commit.stderr).toBe(0);

      expect(
        (
          await kubectl([
            'create',
            'deployment',
            'web',
            '--image=registry.k8s.io/e2e-test-images/agnhost:2.47',
            '--replicas=3',
          ])
        ).exitCode,
      ).toBe(0);
      const expose = await kubectl(['expose', 'deployment', 'web', '--type=LoadBalancer', '--port=80']);
      expect(expose.exitCode, expose.stderr).toBe(0);
      const serviceIp = await eventually('an EXTERNAL-IP for service web', 30_000, async () => {
        const ip = (
          await kubectl(['get', 'service', 'web', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])
        ).stdout.trim();
        return ip || undefined;
      });
      expect(serviceIp.startsWith('10.77.100.')).toBe(true);

      const routes = await eventually('3 ECMP next hops in show ip route bgp', 30_000, async () => {
        const out = (await ssh('/opt/vyatta/bin/vyatta-op-cmd-wrapper show ip route bgp')).stdout;
        return (out.match(/via 10\.77\.1\.1[123]/g) ?? []).length >= 3 && out.includes(serviceIp)
          ? out
          : undefined;
      });
      for (const node of line.namespaces.nodes) expect(routes).toContain(`via ${node.address}`);

      const reached = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const curl = await runInNamespace(line.namespaces.lanClient, 'curl', [
          '-sS',
          '--max-time',
          '3',
          `http://${serviceIp}/`,
        ]);
        expect(curl.exitCode, curl.stderr).toBe(0);
        reached.add((JSON.parse(curl.stdout) as { node: string }).node);
      }
      expect(reached.size, [...reached].join(', ')).toBeGreaterThanOrEqual(2);

      // The one-click test: curl on the router itself (the emulator runs real curl in the router namespace).
      const fromRouter = await ssh(`curl -s --max-time 3 http://${serviceIp}/`);
      expect(fromRouter.exitCode, fromRouter.stderr).toBe(0);
      expect(JSON.parse(fromRouter.stdout)).toMatchObject({ client: '10.77.1.1', server: serviceIp });
    });

    it('acceptance: the cluster-segment client fails on a pool IP inside its subnet and succeeds outside it', async () => {
      // Created with its annotation, so MetalLB never assigns it an address from the auto-assign pool first.
      const service = path.join(work, 'inside-service.yaml');
      await writeFile(
        service,
        `apiVersion: v1
kind: Service
metadata: {name: inside, namespace: default, annotations: {metallb.io/loadBalancerIPs: 10.77.1.200}}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
`,
      );
      const create = await kubectl(['apply', '-f', service]);
      expect(create.exitCode, create.stderr).toBe(0);
      await eventually('10.77.1.200 routed by the router', 30_000, async () => {
        const route = await runCommand('ip', ['-n', line.namespaces.router, 'route', 'show', '10.77.1.200']);
        return route.stdout.includes('nexthop via') || route.stdout.includes('proto bgp');
      });
      // A route appears with the first node's announcement, before every node serves the new IP:
      // the control waits for the LAN client to be answered, then the cluster client must not be.
      let fromLan = { exitCode: -1, stderr: 'never tried' };
      await eventually('the LAN client answered on 10.77.1.200', 30_000, async () => {
        fromLan = await runInNamespace(line.namespaces.lanClient, 'curl', [
          '-sS',
          '--max-time',
          '3',
          'http://10.77.1.200/',
        ]);
        return fromLan.exitCode === 0;
      }).catch(() => undefined);
      expect(fromLan.exitCode, `control: the LAN reaches the inside IP: ${fromLan.stderr}`).toBe(0);
      const inside = await runInNamespace(line.namespaces.clusterClient, 'curl', [
        '-sS',
        '--max-time',
        '2',
        'http://10.77.1.200/',
      ]);
      expect(inside.exitCode).not.toBe(0);
      const serviceIp = (
        await kubectl(['get', 'service', 'web', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])
      ).stdout.trim();
      const outside = await runInNamespace(line.namespaces.clusterClient, 'curl', [
        '-sS',
        '--max-time',
        '3',
        `http://${serviceIp}/`,
      ]);
      expect(outside.exitCode, outside.stderr).toBe(0);
    });

    it('down leaves no namespace, process or file of the lab', async () => {
      const state = JSON.parse(await readFile(path.join(labDirectory(ID), 'state.json'), 'utf8')) as LabState;
      const tracked = [state.pid, ...state.pids];
      expect(state.pids.length).toBeGreaterThanOrEqual(8 + 3); // 4×(zebra+bgpd) + 3 echo servers
      const down = await labCli(['down']);
      expect(down.exitCode, down.stderr).toBe(0);
      expect((await listNamespaces()).filter((name) => name.startsWith('mbwtcl-'))).toEqual([]);
      expect(tracked.filter(processAlive)).toEqual([]);
      const strays = await runCommand('pgrep', ['-f', labDirectory(ID)]);
      expect(strays.stdout.trim()).toBe('');
      expect(existsSync(labDirectory(ID))).toBe(false);
      const status = await labCli(['status', '--json']);
      expect(JSON.parse(status.stdout)).toMatchObject({ running: false, phase: 'absent', namespaces: [] });
    });
  },
);

describe.skipIf(reason !== null)('up with every case option (vyos, 2 nodes, Calico, 0 ms delay)', () => {
  const id = 'tcv';
  const run = (args: string[]) => runCommand(process.execPath, [CLI, ...args, '--id', id], 150_000);
  const OTHERS = ['--dialect', 'vyos', '--nodes', '2', '--scenario', 'calico-bgp', '--hash', 'addresses'];
  const CASE = [...OTHERS, '--readiness-delay', '0'];

  afterAll(async () => {
    await run(['down']);
  });

  it('builds that case: a VyOS router hashing on addresses only, two nodes, Calico seeded, pods Ready at once; status and up again agree', async () => {
    await run(['down']);
    const up = await run(['up', '--json', ...CASE]);
    expect(up.exitCode, up.stderr).toBe(0);
    const line = JSON.parse(up.stdout) as LabReadyLine;
    expect(line.router.dialect).toBe('vyos');
    expect(line.namespaces.nodes.map((n) => `${n.name} ${n.address} ${n.namespace}`)).toEqual([
      'worker1 10.77.1.11 mbwtcv-n1',
      'worker2 10.77.1.12 mbwtcv-n2',
    ]);
    const topology = validateTopology(parseYaml(await readFile(line.topology, 'utf8')));
    expect(topology.ok, JSON.stringify(topology)).toBe(true);
    if (topology.ok) {
      expect(topology.topology.router.dialect).toBe('vyos');
      expect(topology.topology.cluster.nodes).toHaveLength(2);
    }
    const policy = await runCommand('ip', [
      'netns',
      'exec',
      line.namespaces.router,
      'sysctl',
      '-n',
      'net.ipv4.fib_multipath_hash_policy',
    ]);
    expect(policy.stdout.trim()).toBe('0');

    const version = await sshExec(
      { host: line.router.host, port: line.router.port, username: 'ubnt', password: line.router.password },
      '/opt/vyatta/bin/vyatta-op-cmd-wrapper show version',
    );
    expect(version.stdout).toMatch(/^Version:\s+VyOS 1\.4/m);

    const peer = await runCommand('kubectl', [
      '--kubeconfig',
      line.kubeconfig,
      'get',
      'bgppeers.crd.projectcalico.org',
      'edgerouter',
      '-o',
      'jsonpath={.spec.peerIP}',
    ]);
    expect(peer.stdout, peer.stderr).toBe('10.77.1.1');

    // The delay reached the API emulator: a new pod is Ready by the time kubectl can ask, where
    // the default would keep it Pending for 1.5 s.
    const kubectl = (args: string[]) =>
      runCommand('kubectl', ['--kubeconfig', line.kubeconfig, ...args], 30_000);
    const created = await kubectl(['run', 'ready-at-once', '--image', 'registry.k8s.io/pause:3.9']);
    expect(created.exitCode, created.stderr).toBe(0);
    const ready = await kubectl([
      'get',
      'pod',
      'ready-at-once',
      '-o',
      'jsonpath={.status.phase} {.status.conditions[?(@.type=="Ready")].status}',
    ]);
    expect(ready.stdout, ready.stderr).toBe('Running True');
    expect((await readLabState(labDirectory(id)))?.options?.readinessDelayMs).toBe(0);

    const status = await run(['status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: true, phase: 'ready', missingNamespaces: [] });
    const same = await run(['up', '--json', ...CASE]);
    expect(same.exitCode, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toEqual(line);
    const other = await run(['up', '--nodes', '3']);
    expect(other.exitCode).toBe(1);
    expect(other.stderr).toContain(`lab "${id}" is already up with another case (vyos, 2 nodes`);
    const slower = await run(['up', ...OTHERS]);
    expect(slower.exitCode).toBe(1);
    expect(slower.stderr).toContain(
      'ECMP hash: addresses, readiness delay: 0 ms); run "npm run lab -- down --id tcv" first',
    );

    const down = await run(['down']);
    expect(down.exitCode, down.stderr).toBe(0);
    expect((await listNamespaces()).filter((name) => name.startsWith(`mbw${id}-`))).toEqual([]);
  });
});

describe.skipIf(reason !== null)('a lab whose daemon crashed', () => {
  const id = 'tck';
  const run = (args: string[]) => runCommand(process.execPath, [CLI, ...args, '--id', id], 150_000);

  afterAll(async () => {
    await run(['down']);
  });

  it('is reported as not running with its leftovers; up rebuilds it; down removes everything', async () => {
    const first = await run(['up', '--json']);
    expect(first.exitCode, first.stderr).toBe(0);
    const state = (await readLabState(labDirectory(id)))!;
    process.kill(state.pid, 'SIGKILL'); // no cleanup runs: namespaces, FRR and echo servers stay behind
    await eventually('the daemon gone', 5_000, async () => !processAlive(state.pid));

    const status = await run(['status', '--json']);
    expect(status.exitCode).toBe(4);
    const report = JSON.parse(status.stdout) as { running: boolean; namespaces: string[] };
    expect(report.running).toBe(false);
    expect(report.namespaces.length).toBeGreaterThanOrEqual(7);
    expect(state.pids.filter(processAlive).length).toBeGreaterThan(0); // FRR and echo servers outlived it

    const second = await run(['up', '--json']);
    expect(second.exitCode, second.stderr).toBe(0);
    const line = JSON.parse(second.stdout) as LabReadyLine;
    expect(line.router.port).toBeGreaterThan(0);
    // The old lab's processes were cleaned up before the new one started.
    expect(state.pids.filter(processAlive)).toEqual([]);

    const newState = (await readLabState(labDirectory(id)))!;
    process.kill(newState.pid, 'SIGKILL');
    await eventually('the second daemon gone', 5_000, async () => !processAlive(newState.pid));
    const down = await run(['down']);
    expect(down.exitCode, down.stderr).toBe(0);
    expect((await listNamespaces()).filter((name) => name.startsWith(`mbw${id}-`))).toEqual([]);
    expect(newState.pids.filter(processAlive)).toEqual([]);
    expect(existsSync(labDirectory(id))).toBe(false);
  });
});

const canSwitchUser = process.getuid?.() === 0;
if (!canSwitchUser)
  console.warn('skipping the "without root" CLI test: it needs root to run the CLI as user nobody');
describe.skipIf(!canSwitchUser)('without root', () => {
  it('refuses up with a message saying what is needed', async () => {
    const result = await runCommand('runuser', [
      '-u',
      'nobody',
      '--',
      process.execPath,
      CLI,
      'up',
      '--id',
      'tnr',
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('the real lab needs root');
    expect((await listNamespaces()).filter((name) => name.startsWith('mbwtnr-'))).toEqual([]);
  });
});
