// What the emulated speakers announce (ClusterBgpView), from MetalLB's objects and the workloads.

import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeEmulator, type KubeEmulator } from './index.ts';
import { kubeRequest, pollUntil } from './testing.ts';
import type { ClusterBgpView } from '../speakers/types.ts';
import { ObjectStore, type KubeObject } from './store.ts';
import { reconcileLoadBalancers } from './metallb.ts';

const NODES = [
  { name: 'worker1', address: '10.77.1.11' },
  { name: 'worker2', address: '10.77.1.12' },
  { name: 'worker3', address: '10.77.1.13' },
];
const MLB = '/apis/metallb.io';
const NS = 'metallb-system';

let emu: KubeEmulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

async function post(e: KubeEmulator, path: string, body: Record<string, unknown>): Promise<void> {
  const r = await kubeRequest(e, 'POST', path, { body });
  if (r.status !== 201) throw new Error(`POST ${path} failed: ${r.status} ${r.text}`);
}

/** A cluster with MetalLB installed (scenario) and Ready, so the webhook admits configuration. */
async function clusterWithMetallb(): Promise<KubeEmulator> {
  const e = await startKubeEmulator({
    stateDir: mkdtempSync(join(tmpdir(), 'kube-emu-')),
    nodes: NODES,
    readinessDelayMs: 0,
    scenario: ['metallb-manifest'],
  });
  await pollUntil(
    () => (e.clusterBgpView().speakers.length === 3 && speakersReady(e) ? true : undefined),
    'MetalLB to become Ready',
  );
  await pollUntil(async () => {
    const r = await kubeRequest(e, 'POST', `${MLB}/v1beta1/namespaces/${NS}/ipaddresspools`, {
      body: {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'IPAddressPool',
        metadata: { name: 'lab' },
        spec: { addresses: ['10.77.100.32/30'] },
      },
    });
    return r.status === 201 ? true : undefined;
  }, 'the webhook to admit the pool');
  return e;
}

function speakersReady(e: KubeEmulator): boolean {
  return (
    e.store.list('v1', 'Pod', NS).filter((p) => p.metadata.name.startsWith('speaker-')).length === 3 &&
    e.store
      .list('apps/v1', 'Deployment', NS)
      .some((d) => (d.status as { readyReplicas?: number } | undefined)?.readyReplicas === 1)
  );
}

async function deployEcho(
  e: KubeEmulator,
  name: string,
  replicas: number,
  service: Record<string, unknown>,
): Promise<void> {
  const labels = { app: name };
  await post(e, '/apis/apps/v1/namespaces/default/deployments', {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'echo', image: 'agnhost' }] } },
    },
  });
  await post(e, '/api/v1/namespaces/default/services', {
    metadata: { name },
    spec: { type: 'LoadBalancer', selector: labels, ports: [{ port: 80 }], ...service },
  });
}

function announcementOf(view: ClusterBgpView, name: string): ClusterBgpView['services'][number] | undefined {
  return view.services.find((s) => s.name === name);
}

describe('ClusterBgpView', () => {
  it('is empty of peers and announcements before MetalLB is installed', async () => {
    emu = await startKubeEmulator({
      stateDir: mkdtempSync(join(tmpdir(), 'kube-emu-')),
      nodes: NODES,
      readinessDelayMs: 0,
    });
    expect(emu.clusterBgpView()).toEqual({
      speakers: NODES.map((n) => ({ node: n.name, address: n.address, peers: [], announcements: [] })),
      services: [],
    });
  });

  it('gives every Ready speaker its BGPPeers (password from the secret, nodeSelectors honoured)', async () => {
    emu = await clusterWithMetallb();
    await post(emu, `/api/v1/namespaces/${NS}/secrets`, {
      metadata: { name: 'bgp-auth' },
      type: 'kubernetes.io/basic-auth',
      data: { password: Buffer.from('s3cret').toString('base64') },
    });
    await post(emu, `${MLB}/v1beta2/namespaces/${NS}/bgppeers`, {
      apiVersion: 'metallb.io/v1beta2',
      kind: 'BGPPeer',
      metadata: { name: 'router' },
      spec: {
        myASN: 64512,
        peerASN: 64513,
        peerAddress: '10.77.1.1',
        holdTime: '90s',
        passwordSecret: { name: 'bgp-auth', namespace: NS },
      },
    });
    await post(emu, `${MLB}/v1beta2/namespaces/${NS}/bgppeers`, {
      apiVersion: 'metallb.io/v1beta2',
      kind: 'BGPPeer',
      metadata: { name: 'only-worker3' },
      spec: {
        myASN: 64512,
        peerASN: 64514,
        peerAddress: '10.77.1.2',
        nodeSelectors: [{ matchLabels: { 'kubernetes.io/hostname': 'worker3' } }],
      },
    });
    const view = await pollUntil(() => {
      const v = emu!.clusterBgpView();
      return v.speakers[2]?.peers.length === 2 ? v : undefined;
    }, 'peers in the view');
    // Peers come in object-name order (only-worker3 before router), as a list of BGPPeers does.
    const router = {
      peerAddress: '10.77.1.1',
      peerAsn: 64513,
      myAsn: 64512,
      holdTimeSeconds: 90,
      password: 's3cret',
    };
    expect(view.speakers.map((s) => s.peers)).toEqual([
      [router],
      [router],
      [{ peerAddress: '10.77.1.2', peerAsn: 64514, myAsn: 64512 }, router],
    ]);
  });

  it('announces a /32 for each advertised IP with a ready endpoint; Local policy only from endpoint nodes; none without endpoints', async () => {
    emu = await clusterWithMetallb();
    const changes: ClusterBgpView[] = [];
    const unsubscribe = emu.onBgpViewChange((v) => changes.push(v));
    await deployEcho(emu, 'cluster', 2, {});
    await deployEcho(emu, 'local', 1, { externalTrafficPolicy: 'Local' });
    await post(emu, '/api/v1/namespaces/default/services', {
      metadata: { name: 'empty' },
      spec: { type: 'LoadBalancer', selector: { app: 'nothing' }, ports: [{ port: 80 }] },
    });

    // IPs are assigned, but nothing is announced without a BGPAdvertisement.
    const assigned = await pollUntil(() => {
      const v = emu!.clusterBgpView();
      return v.services.length === 3 ? v : undefined;
    }, 'three Service IPs');
    expect(assigned.services.every((s) => s.nodes.length === 0)).toBe(true);

    await post(emu, `${MLB}/v1beta1/namespaces/${NS}/bgpadvertisements`, {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'BGPAdvertisement',
      metadata: { name: 'all' },
    });
    const view = await pollUntil(() => {
      const v = emu!.clusterBgpView();
      return announcementOf(v, 'local')?.nodes.length === 1 &&
        announcementOf(v, 'cluster')?.nodes.length === 3
        ? v
        : undefined;
    }, 'announcements');
    const local = announcementOf(view, 'local')!;
    const cluster = announcementOf(view, 'cluster')!;
    const empty = announcementOf(view, 'empty')!;
    const localPod = emu.store.list('v1', 'Pod', 'default').find((p) => p.metadata.labels?.app === 'local');
    expect(local.nodes).toEqual([(localPod?.spec as { nodeName: string }).nodeName]);
    expect(cluster.nodes).toEqual(['worker1', 'worker2', 'worker3']);
    expect(empty.nodes).toEqual([]);
    for (const s of view.speakers) {
      const expected = [cluster.ip, ...(local.nodes.includes(s.node) ? [local.ip] : [])]
        .map((ip) => `${ip}/32`)
        .sort();
      expect(s.announcements).toEqual(expected);
    }
    expect(new Set([cluster.ip, local.ip, empty.ip]).size).toBe(3);
    expect(changes.at(-1)).toEqual(view);
    unsubscribe();

    // Deleting the Service releases its IP and withdraws the announcement.
    await kubeRequest(emu, 'DELETE', '/api/v1/namespaces/default/services/cluster');
    await pollUntil(
      () =>
        emu!.clusterBgpView().speakers.every((s) => !s.announcements.includes(`${cluster.ip}/32`))
          ? true
          : undefined,
      'withdrawal',
    );
  });

  it('announces nothing from a node labelled exclude-from-external-load-balancers', async () => {
    emu = await clusterWithMetallb();
    await kubeRequest(emu, 'PATCH', '/api/v1/nodes/worker2', {
      body: { metadata: { labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': '' } } },
      contentType: 'application/merge-patch+json',
    });
    await post(emu, `${MLB}/v1beta1/namespaces/${NS}/bgpadvertisements`, {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'BGPAdvertisement',
      metadata: { name: 'all' },
    });
    await deployEcho(emu, 'web', 3, {});
    const view = await pollUntil(() => {
      const v = emu!.clusterBgpView();
      return announcementOf(v, 'web')?.nodes.length ? v : undefined;
    }, 'web announced');
    expect(announcementOf(view, 'web')?.nodes).toEqual(['worker1', 'worker3']);
    expect(view.speakers.find((s) => s.node === 'worker2')?.announcements).toEqual([]);
  });

  it('reads peers and bgp pools from the legacy v0.12 ConfigMap', async () => {
    emu = await startKubeEmulator({
      stateDir: mkdtempSync(join(tmpdir(), 'kube-emu-')),
      nodes: NODES.slice(0, 2),
      readinessDelayMs: 0,
    });
    await post(emu, '/api/v1/namespaces', { metadata: { name: NS } });
    const labels = (c: string): Record<string, string> => ({ app: 'metallb', component: c });
    await post(emu, `/apis/apps/v1/namespaces/${NS}/deployments`, {
      metadata: { name: 'controller', labels: labels('controller') },
      spec: {
        selector: { matchLabels: labels('controller') },
        template: {
          metadata: { labels: labels('controller') },
          spec: { containers: [{ name: 'c', image: 'c' }] },
        },
      },
    });
    await post(emu, `/apis/apps/v1/namespaces/${NS}/daemonsets`, {
      metadata: { name: 'speaker', labels: labels('speaker') },
      spec: {
        selector: { matchLabels: labels('speaker') },
        template: {
          metadata: { labels: labels('speaker') },
          spec: { hostNetwork: true, containers: [{ name: 's', image: 's' }] },
        },
      },
    });
    const config =
      'peers:\n- peer-address: 10.77.1.1\n  peer-asn: 64512\n  my-asn: 64512\naddress-pools:\n- name: default\n  protocol: bgp\n  addresses:\n  - 10.77.100.40-10.77.100.41\n';
    await post(emu, `/api/v1/namespaces/${NS}/configmaps`, {
      metadata: { name: 'config' },
      data: { config },
    });
    await deployEcho(emu, 'old', 1, {});
    const view = await pollUntil(() => {
      const v = emu!.clusterBgpView();
      return announcementOf(v, 'old')?.nodes.length === 2 ? v : undefined;
    }, 'legacy announcement');
    expect(announcementOf(view, 'old')?.ip).toBe('10.77.100.40');
    expect(view.speakers.map((s) => s.peers)).toEqual([
      [{ peerAddress: '10.77.1.1', peerAsn: 64512, myAsn: 64512 }],
      [{ peerAddress: '10.77.1.1', peerAsn: 64512, myAsn: 64512 }],
    ]);
  });
});

describe('LoadBalancer IPAM', () => {
  it('honours requested IPs and pool annotations, and leaves an IP outside every pool pending', async () => {
    emu = await clusterWithMetallb();
    await post(emu, `${MLB}/v1beta1/namespaces/${NS}/ipaddresspools`, {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'manual' },
      spec: { addresses: ['10.77.200.10-10.77.200.11'], autoAssign: false },
    });
    const svc = (name: string, annotations: Record<string, string>): Record<string, unknown> => ({
      metadata: { name, annotations },
      spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80 }] },
    });
    await post(
      emu,
      '/api/v1/namespaces/default/services',
      svc('pinned', { 'metallb.io/loadBalancerIPs': '10.77.100.34' }),
    );
    await post(
      emu,
      '/api/v1/namespaces/default/services',
      svc('legacy-pool', { 'metallb.universe.tf/address-pool': 'manual' }),
    );
    await post(emu, '/api/v1/namespaces/default/services', svc('auto', {}));
    await post(
      emu,
      '/api/v1/namespaces/default/services',
      svc('outside', { 'metallb.universe.tf/loadBalancerIPs': '192.0.2.1' }),
    );
    const ips = await pollUntil(() => {
      const v = emu!.clusterBgpView().services;
      return v.length === 3 ? Object.fromEntries(v.map((s) => [s.name, s.ip])) : undefined;
    }, 'three assigned IPs');
    // The auto-assigned IP skips .34, which the pinned Service holds, and never comes from "manual".
    expect(ips).toEqual({ pinned: '10.77.100.34', 'legacy-pool': '10.77.200.10', auto: '10.77.100.32' });
    const outside = await kubeRequest(emu, 'GET', '/api/v1/namespaces/default/services/outside');
    expect(outside.json.status).toEqual({ loadBalancer: {} });
  });

  it('leaves a Service of another loadBalancerClass alone: no MetalLB IP, its own IP never announced', async () => {
    emu = await clusterWithMetallb();
    await post(emu, `${MLB}/v1beta1/namespaces/${NS}/bgpadvertisements`, {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'BGPAdvertisement',
      metadata: { name: 'all' },
    });
    await deployEcho(emu, 'foreign', 1, { loadBalancerClass: 'example.com/other-lb' });
    await deployEcho(emu, 'ours', 1, {});
    const view = await pollUntil(() => {
      const v = emu!.clusterBgpView();
      return announcementOf(v, 'ours')?.nodes.length ? v : undefined;
    }, 'the class-less Service announced');
    expect(announcementOf(view, 'foreign')).toBeUndefined();
    const path = '/api/v1/namespaces/default/services/foreign';
    expect((await kubeRequest(emu, 'GET', path)).json.status).toEqual({ loadBalancer: {} });

    // The other implementation's address, even one inside a MetalLB pool, is neither touched nor announced.
    const foreign = (await kubeRequest(emu, 'GET', path)).json as unknown as KubeObject;
    const theirs = { loadBalancer: { ingress: [{ ip: '10.77.100.35', ipMode: 'VIP' }] } };
    emu.store.put({ ...foreign, status: theirs });
    await deployEcho(emu, 'later', 1, {});
    const after = await pollUntil(() => {
      const v = emu!.clusterBgpView();
      return announcementOf(v, 'later')?.nodes.length ? v : undefined;
    }, 'a later class-less Service announced');
    expect((await kubeRequest(emu, 'GET', path)).json.status).toEqual(theirs);
    expect(announcementOf(after, 'foreign')).toBeUndefined();
    expect(after.speakers.flatMap((s) => s.announcements)).not.toContain('10.77.100.35/32');
  });

  it('serves only its own class when the controller runs with --lb-class', () => {
    const store = new ObjectStore();
    store.create('apps/deployments', {
      metadata: { name: 'controller', namespace: NS, labels: { app: 'metallb', component: 'controller' } },
      spec: { template: { spec: { containers: [{ name: 'controller', args: ['--lb-class=metallb'] }] } } },
      status: { readyReplicas: 1 },
    });
    store.create('metallb.io/ipaddresspools', {
      metadata: { name: 'lab', namespace: NS },
      spec: { addresses: ['10.77.100.32/30'] },
    });
    const service = (name: string, spec: Record<string, unknown>): KubeObject => ({
      metadata: { name, namespace: 'default' },
      spec: { type: 'LoadBalancer', ...spec },
      status: { loadBalancer: {} },
    });
    store.create('/services', service('classless', {}));
    store.create('/services', service('ours', { loadBalancerClass: 'metallb' }));
    reconcileLoadBalancers(store);
    const ingress = (name: string): unknown => store.get('/services', 'default', name)?.status;
    expect(ingress('ours')).toEqual({ loadBalancer: { ingress: [{ ip: '10.77.100.32', ipMode: 'VIP' }] } });
    expect(ingress('classless')).toEqual({ loadBalancer: {} });
  });

  it('assigns nothing while the MetalLB controller is not Ready', async () => {
    emu = await startKubeEmulator({
      stateDir: mkdtempSync(join(tmpdir(), 'kube-emu-')),
      nodes: NODES,
      readinessDelayMs: 60_000,
      scenario: ['metallb-manifest'],
    });
    // The webhook is not serving either, so the pool goes in as a controller would have stored it.
    emu.store.put({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'lab', namespace: NS },
      spec: { addresses: ['10.77.100.32/30'] },
    });
    await deployEcho(emu, 'waiting', 1, {});
    await pollUntil(
      () =>
        emu!.store
          .list('discovery.k8s.io/v1', 'EndpointSlice', 'default')
          .some((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'waiting')
          ? true
          : undefined,
      'the EndpointSlice',
    );
    const svc = await kubeRequest(emu, 'GET', '/api/v1/namespaces/default/services/waiting');
    expect(svc.json.status).toEqual({ loadBalancer: {} });
    expect(emu.clusterBgpView().services).toEqual([]);
  });
});

describe('MetalLB webhook: IPAddressPool checks', () => {
  const poolPath = `${MLB}/v1beta1/namespaces/${NS}/ipaddresspools`;
  const pool = (name: string, addresses: string[]): Record<string, unknown> => ({
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name },
    spec: { addresses },
  });
  const denied = (message: string): Record<string, unknown> => ({
    kind: 'Status',
    status: 'Failure',
    reason: 'Forbidden',
    code: 403,
    message: `admission webhook "ipaddresspoolvalidationwebhook.metallb.io" denied the request: ${message}`,
  });

  it('refuses addresses that are neither a CIDR nor an IP range', async () => {
    emu = await clusterWithMetallb();
    const cases: [string, string][] = [
      ['10.77.200.0/33', 'invalid CIDR "10.77.200.0/33" in pool "bad": invalid CIDR "10.77.200.0/33"'],
      ['10.77.200.1', 'invalid CIDR "10.77.200.1" in pool "bad": invalid CIDR "10.77.200.1"'],
      [
        '10.77.200.x-10.77.200.9',
        'invalid CIDR "10.77.200.x-10.77.200.9" in pool "bad": invalid IP range "10.77.200.x-10.77.200.9": invalid start IP "10.77.200.x"',
      ],
      [
        '10.77.200.1-10.77.200.300',
        'invalid CIDR "10.77.200.1-10.77.200.300" in pool "bad": invalid IP range "10.77.200.1-10.77.200.300": invalid end IP "10.77.200.300"',
      ],
      [
        '10.77.200.9-10.77.200.1',
        'invalid CIDR "10.77.200.9-10.77.200.1" in pool "bad": invalid IP range "10.77.200.9-10.77.200.1": start IP "10.77.200.9" is after the end IP "10.77.200.1"',
      ],
    ];
    for (const [address, message] of cases) {
      const r = await kubeRequest(emu, 'POST', poolPath, { body: pool('bad', [address]) });
      expect(r.status, address).toBe(403);
      expect(r.json, address).toMatchObject(denied(message));
    }
    expect(emu.store.get('metallb.io/v1beta1', 'IPAddressPool', 'bad', NS)).toBeUndefined();
  });

  it('refuses a pool overlapping another pool, naming the new pool and the CIDR it overlaps', async () => {
    emu = await clusterWithMetallb(); // pool "lab": 10.77.100.32/30
    const r = await kubeRequest(emu, 'POST', poolPath, {
      body: pool('other', ['10.77.200.0/24', '10.77.100.30-10.77.100.40']),
    });
    expect(r.status).toBe(403);
    // The range is split into CIDRs (.30/31, .32/29, .40/32) as MetalLB does; .32/29 covers lab's /30.
    expect(r.json).toMatchObject(
      denied('CIDR "10.77.100.32/29" in pool "other" overlaps with already defined CIDR "10.77.100.32/30"'),
    );
    const v6 = await kubeRequest(emu, 'POST', poolPath, { body: pool('v6', ['fd00:77::/64']) });
    expect(v6.status).toBe(201);
    const v6overlap = await kubeRequest(emu, 'POST', poolPath, {
      body: pool('v6b', ['fd00:77::10-fd00:77::11']),
    });
    expect(v6overlap.json).toMatchObject(
      denied('CIDR "fd00:77::10/127" in pool "v6b" overlaps with already defined CIDR "fd00:77::/64"'),
    );
    const dup = await kubeRequest(emu, 'POST', poolPath, {
      body: pool('dup', ['10.77.210.0/24', '10.77.210.128/25']),
    });
    expect(dup.json).toMatchObject(
      denied('CIDR "10.77.210.128/25" in pool "dup" overlaps with already defined CIDR "10.77.210.0/24"'),
    );
    // Disjoint pools are admitted, and a pool does not overlap its own previous version.
    expect(
      (await kubeRequest(emu, 'POST', poolPath, { body: pool('next', ['10.77.100.36/30']) })).status,
    ).toBe(201);
    const lab = await kubeRequest(emu, 'GET', `${poolPath}/lab`);
    const widened = { ...lab.json, spec: { addresses: ['10.77.100.32/31', '10.77.100.34-10.77.100.35'] } };
    const updated = await kubeRequest(emu, 'PUT', `${poolPath}/lab`, { body: widened });
    expect(updated.status).toBe(200);
    const grown = { ...updated.json, spec: { addresses: ['10.77.100.32/28'] } };
    const refused = await kubeRequest(emu, 'PUT', `${poolPath}/lab`, { body: grown });
    expect(refused.json).toMatchObject(
      denied('CIDR "10.77.100.32/28" in pool "lab" overlaps with already defined CIDR "10.77.100.36/30"'),
    );
  });
});
