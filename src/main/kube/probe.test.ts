import { afterEach, describe, expect, it } from 'vitest';
import { probeCluster, type ClusterProbe } from './index.ts';
import type { Scenario } from '../../../lab/kube/index.ts';
import { LAB, ROUTER_ADDRESS, startTestCluster, type TestCluster } from './testing.ts';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function probe(scenario: Scenario[], routerAddress?: string): Promise<ClusterProbe> {
  cluster = await startTestCluster({ scenario });
  return probeCluster(cluster.kc, routerAddress ? { routerAddress } : {});
}

describe('probeCluster', () => {
  it('reads the server, version and nodes, and finds no MetalLB or conflict on a plain cluster', async () => {
    const p = await probe(['kube-proxy-iptables']);
    expect(p.server).toBe(cluster?.emu.url);
    expect(p.version).toEqual({ gitVersion: 'v1.30.0', minor: 30 });
    expect(p.nodes).toEqual(
      LAB.nodes.map((n) => ({
        name: n.name,
        internalIP: n.address,
        ready: true,
        excludedFromExternalLoadBalancers: false,
      })),
    );
    expect(p.metallb).toBeNull();
    expect(p.kubeProxy).toEqual({ mode: 'iptables', strictARP: false });
    expect(p.conflicts).toEqual([]);
  });

  it('reads kube-proxy in IPVS mode with and without strictARP, and a node excluded from load balancers', async () => {
    expect((await probe(['kube-proxy-ipvs'])).kubeProxy).toEqual({ mode: 'ipvs', strictARP: false });
    await cluster?.stop();
    cluster = await startTestCluster({ scenario: ['kube-proxy-ipvs-strictarp'] });
    const node = cluster.emu.store.get('v1', 'Node', 'worker2');
    cluster.emu.store.put({
      ...node!,
      metadata: {
        ...node!.metadata,
        labels: { ...node!.metadata.labels, 'node.kubernetes.io/exclude-from-external-load-balancers': '' },
      },
    });
    const p = await probeCluster(cluster.kc);
    expect(p.kubeProxy).toEqual({ mode: 'ipvs', strictARP: true });
    expect(p.nodes.find((n) => n.name === 'worker2')?.excludedFromExternalLoadBalancers).toBe(true);
    expect(p.nodes.find((n) => n.name === 'worker1')?.excludedFromExternalLoadBalancers).toBe(false);
  });

  it('reports kube-proxy as unknown when its ConfigMap is missing', async () => {
    expect((await probe([])).kubeProxy).toEqual({ mode: 'unknown', strictARP: null });
  });

  it("finds k3s's ServiceLB", async () => {
    const p = await probe(['k3s-servicelb']);
    expect(p.conflicts.map((c) => [c.code, c.severity])).toEqual([['k3s-servicelb', 'conflict']]);
    expect(p.conflicts[0]?.message).toContain('kube-system/svclb-traefik-7d1f6c2e');
    expect(p.conflicts[0]?.whatToDo).toContain('--disable=servicelb');
  });

  it('finds kube-vip serving Services', async () => {
    const p = await probe(['kube-vip']);
    expect(p.conflicts.map((c) => [c.code, c.severity])).toEqual([['kube-vip', 'conflict']]);
    expect(p.conflicts[0]?.message).toContain('kube-system/kube-vip-ds runs with svc_enable=true');
    expect(p.conflicts[0]?.whatToDo).toContain('svc_enable');
  });

  it('finds Calico peering with the same router as a conflict, and as a note otherwise', async () => {
    const p = await probe(['calico-bgp'], ROUTER_ADDRESS);
    expect(p.conflicts.map((c) => [c.code, c.severity])).toEqual([['calico-bgp', 'conflict']]);
    expect(p.conflicts[0]?.message).toContain(
      `Calico already peers BGP with the router ${ROUTER_ADDRESS} (BGPPeer edgerouter)`,
    );
    const other = await probeCluster(cluster!.kc, { routerAddress: '10.99.0.1' });
    expect(other.conflicts.map((c) => [c.code, c.severity])).toEqual([['calico-bgp', 'note']]);
    expect(other.conflicts[0]?.message).toContain(`peering with ${ROUTER_ADDRESS}`);
  });

  it('finds MetalLB installed by its manifest', async () => {
    const p = await probe(['metallb-manifest']);
    expect(p.metallb).toMatchObject({
      namespace: 'metallb-system',
      version: 'v0.14.9',
      method: 'manifest',
      format: 'crd',
      controllerName: 'controller',
      speakerName: 'speaker',
      pools: [],
      peers: [],
      managedByUs: false,
    });
    expect(p.conflicts).toEqual([]);
  });

  it('finds MetalLB installed by Helm, ready, with a foreign pool and peer', async () => {
    cluster = await startTestCluster({ scenario: ['metallb-helm'] });
    cluster.emu.store.put({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'home', namespace: 'metallb-system' },
      spec: { addresses: ['192.168.50.0/28'] },
    });
    cluster.emu.store.put({
      apiVersion: 'metallb.io/v1beta2',
      kind: 'BGPPeer',
      metadata: { name: 'upstream', namespace: 'metallb-system' },
      spec: { peerAddress: '192.168.50.1', peerASN: 65001, myASN: 65002 },
    });
    const p = await probeCluster(cluster.kc);
    expect(p.metallb).toEqual({
      namespace: 'metallb-system',
      version: 'v0.14.9',
      method: 'helm',
      format: 'crd',
      controllerName: 'metallb-controller',
      speakerName: 'metallb-speaker',
      pools: [{ name: 'home', addresses: ['192.168.50.0/28'], managedByUs: false }],
      peers: [
        { name: 'upstream', peerAddress: '192.168.50.1', peerASN: 65001, myASN: 65002, managedByUs: false },
      ],
      controllerReady: true,
      speakerReady: true,
      managedByUs: false,
    });
  });

  it('finds another load-balancer controller by its image', async () => {
    cluster = await startTestCluster();
    cluster.emu.store.put({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'openelb-manager', namespace: 'openelb-system' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'openelb' } },
        template: {
          metadata: { labels: { app: 'openelb' } },
          spec: { containers: [{ name: 'm', image: 'kubesphere/openelb:v0.6.0' }] },
        },
      },
    });
    const p = await probeCluster(cluster.kc);
    expect(p.conflicts).toEqual([
      {
        code: 'other-lb-controller',
        severity: 'conflict',
        message: 'OpenELB is installed (openelb-system/openelb-manager) and assigns LoadBalancer IPs.',
        whatToDo: 'Uninstall OpenELB (or restrict it with a loadBalancerClass) before installing MetalLB.',
      },
    ]);
  });
});
