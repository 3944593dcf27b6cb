// The emulator against the real kubectl client: what a user (and the wizard's manual steps) runs.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startKubeEmulator, type KubeEmulator } from './index.ts';
import { kubectlRunner, pollUntil, type KubectlResult } from './testing.ts';

const FIXTURES = resolve(process.cwd(), '../shared/fixtures/metallb');
const NODES = [
  { name: 'worker1', address: '10.77.1.11' },
  { name: 'worker2', address: '10.77.1.12' },
  { name: 'worker3', address: '10.77.1.13' },
];

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const kubectlPresent = hasKubectl();
if (!kubectlPresent) console.warn('kubectl tests skipped: no kubectl on PATH');

const POOL = `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: lab
  namespace: metallb-system
spec:
  addresses:
  - 10.77.100.32/27
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata:
  name: all
  namespace: metallb-system
`;

function ok(r: KubectlResult): KubectlResult {
  if (r.code !== 0) throw new Error(`kubectl failed (${r.code}): ${r.stderr}`);
  return r;
}

/** Serves the fixture manifests over plain HTTP, as the release URL would be. */
function serveFixtures(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const rel = (req.url ?? '/').replace(/^\/+/, '');
    if (rel.includes('..')) {
      res.writeHead(400).end();
      return;
    }
    try {
      const text = readFileSync(join(FIXTURES, rel));
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(text);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((res) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      res({ server, base: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` });
    }),
  );
}

describe.skipIf(!kubectlPresent)('kubectl against the emulator (Kubernetes 1.30, MetalLB v0.14.9)', () => {
  let emu: KubeEmulator;
  let kubectl: (args: string[]) => Promise<KubectlResult>;
  let fixtures: { server: Server; base: string };
  let poolFile: string;

  beforeAll(async () => {
    emu = await startKubeEmulator({
      stateDir: mkdtempSync(join(tmpdir(), 'kube-emu-')),
      nodes: NODES,
      readinessDelayMs: 1500,
    });
    kubectl = kubectlRunner(emu);
    fixtures = await serveFixtures();
    poolFile = join(mkdtempSync(join(tmpdir(), 'pool-')), 'pool.yaml');
    writeFileSync(poolFile, POOL);
  });
  afterAll(async () => {
    await emu?.stop();
    fixtures?.server.close();
  });

  it('reports the server version', async () => {
    const r = ok(await kubectl(['version', '-o', 'json']));
    expect(JSON.parse(r.stdout).serverVersion.gitVersion).toBe('v1.30.0');
  });

  it('lists the lab nodes with their InternalIPs', async () => {
    const r = ok(await kubectl(['get', 'nodes', '-o', 'wide']));
    for (const n of NODES)
      expect(r.stdout).toMatch(new RegExp(`${n.name}\\s+Ready.*${n.address.replace(/\./g, '\\.')}`));
  });

  it('installs MetalLB by server-side apply from a URL; the webhook refuses a pool until the controller is Ready', async () => {
    const manifestUrl = `${fixtures.base}/v0.14.9/metallb-native.yaml`;
    const applied = ok(await kubectl(['apply', '--server-side', '-f', manifestUrl]));
    const manifest = readFileSync(join(FIXTURES, 'v0.14.9/metallb-native.yaml'), 'utf8');
    const objectCount = manifest.split(/^---$/m).filter((d) => /^kind:/m.test(d)).length;
    expect(applied.stdout.trim().split('\n')).toHaveLength(objectCount);
    expect(applied.stdout).toContain('deployment.apps/controller serverside-applied');

    const early = await kubectl(['apply', '--server-side', '-f', poolFile]);
    expect(early.code).not.toBe(0);
    expect(early.stderr).toMatch(
      /Internal error occurred: failed calling webhook "ipaddresspoolvalidationwebhook\.metallb\.io": failed to call webhook: Post "https:\/\/metallb-webhook-service\.metallb-system\.svc:443\/validate-metallb-io-v1beta1-ipaddresspool\?timeout=10s": dial tcp 10\.96\.\d+\.\d+:443: connect: connection refused/,
    );

    const later = await pollUntil(async () => {
      const r = await kubectl(['apply', '--server-side', '-f', poolFile]);
      return r.code === 0 ? r : undefined;
    }, 'the pool apply to succeed once the controller is Ready');
    expect(later.stdout).toContain('ipaddresspool.metallb.io/lab serverside-applied');
    const rollout = ok(
      await kubectl([
        '-n',
        'metallb-system',
        'get',
        'deployment',
        'controller',
        '-o',
        'jsonpath={.status.readyReplicas}',
      ]),
    );
    expect(rollout.stdout).toBe('1');
    const dsRollout = ok(
      await kubectl(['-n', 'metallb-system', 'rollout', 'status', 'daemonset/speaker', '--timeout=20s']),
    );
    expect(dsRollout.stdout).toContain('daemon set "speaker" successfully rolled out');
  });

  it('gives a LoadBalancer Service created with kubectl an IP from the pool', async () => {
    ok(
      await kubectl([
        'create',
        'deployment',
        'echo',
        '--image=registry.k8s.io/e2e-test-images/agnhost:2.39',
        '--replicas=2',
        '--',
        '/agnhost',
        'netexec',
        '--http-port=8080',
      ]),
    );
    ok(
      await kubectl([
        'expose',
        'deployment',
        'echo',
        '--type=LoadBalancer',
        '--port=80',
        '--target-port=8080',
      ]),
    );
    const ip = await pollUntil(async () => {
      const r = await kubectl(['get', 'svc', 'echo', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}']);
      return r.code === 0 && r.stdout ? r.stdout : undefined;
    }, 'the echo Service to get an IP');
    expect(ip).toMatch(/^10\.77\.100\.(3[2-9]|[4-5]\d|6[0-3])$/);
    const table = ok(await kubectl(['get', 'svc']));
    expect(table.stdout).toMatch(
      new RegExp(`echo\\s+LoadBalancer\\s+10\\.96\\.\\S+\\s+${ip.replace(/\./g, '\\.')}\\s+80:\\d+/TCP`),
    );

    const view = await pollUntil(() => {
      const v = emu.clusterBgpView();
      return v.speakers.every((s) => s.announcements.includes(`${ip}/32`)) ? v : undefined;
    }, 'every speaker to announce the Service IP');
    expect(view.services).toContainEqual({
      namespace: 'default',
      name: 'echo',
      ip,
      nodes: NODES.map((n) => n.name),
    });
  });

  it('refuses a BGPPeer with a misspelt field (kubectl asks for strict field validation)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'peer-')), 'peer.yaml');
    const peer = [
      'apiVersion: metallb.io/v1beta2',
      'kind: BGPPeer',
      'metadata:',
      '  name: router',
      '  namespace: metallb-system',
      'spec:',
      '  myASN: 64512',
      '  peerAsn: 64512',
      '  peerAddress: 10.77.1.1',
      '',
    ];
    writeFileSync(file, peer.join('\n'));
    const r = await kubectl(['apply', '--server-side', '-f', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown field "spec.peerAsn"');
  });

  it('refuses a MetalLB object outside metallb-system once the webhook serves', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pool-')), 'p.yaml');
    writeFileSync(file, POOL.split('---')[0]!.replace('namespace: metallb-system', 'namespace: default'));
    const r = await kubectl(['apply', '--server-side', '-f', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('denied the request: resource must be created in metallb-system namespace');
  });

  it('uninstalls with kubectl delete -f: the namespace terminates after the objects that follow it', async () => {
    const r = ok(
      await kubectl(['delete', '-f', join(FIXTURES, 'v0.14.9/metallb-native.yaml'), '--timeout=30s']),
    );
    expect(r.stdout).toContain('namespace "metallb-system" deleted');
    expect(r.stdout).toContain('daemonset.apps "speaker" deleted');
    const pods = ok(await kubectl(['get', 'pods', '-n', 'metallb-system', '-o', 'name']));
    expect(pods.stdout.trim()).toBe('');
    expect(
      emu.clusterBgpView().speakers.every((s) => s.peers.length === 0 && s.announcements.length === 0),
    ).toBe(true);
  });
});

describe.skipIf(!kubectlPresent)('kubectl with MetalLB v0.12.1 manifests (PodSecurityPolicy)', () => {
  const apply = async (version: string): Promise<KubectlResult> => {
    const emu = await startKubeEmulator({
      stateDir: mkdtempSync(join(tmpdir(), 'kube-emu-')),
      nodes: NODES.slice(0, 1),
      kubernetesVersion: version,
      readinessDelayMs: 0,
    });
    try {
      const kubectl = kubectlRunner(emu);
      return await kubectl([
        'apply',
        '--server-side',
        '-f',
        join(FIXTURES, 'v0.12.1/namespace.yaml'),
        '-f',
        join(FIXTURES, 'v0.12.1/metallb.yaml'),
      ]);
    } finally {
      await emu.stop();
    }
  };

  it('applies on 1.24, where policy/v1beta1 is served', async () => {
    const r = ok(await apply('1.24'));
    expect(r.stdout).toContain('podsecuritypolicy.policy/controller serverside-applied');
    expect(r.stdout).toContain('daemonset.apps/speaker serverside-applied');
  });

  it('fails on the PodSecurityPolicy documents on 1.30, as a real server does', async () => {
    const r = await apply('1.30');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no matches for kind "PodSecurityPolicy" in version "policy/v1beta1"');
    expect(r.stdout).toContain('deployment.apps/controller serverside-applied');
  });
});
