// Scenarios seed what the app's cluster probe looks for.

import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SCENARIOS, startKubeEmulator, type KubeEmulator, type Scenario } from './index.ts';
import { kubeRequest, pollUntil } from './testing.ts';

const NODES = [
  { name: 'worker1', address: '10.77.1.11' },
  { name: 'worker2', address: '10.77.1.12' },
];

let emu: KubeEmulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

async function start(scenario: Scenario[]): Promise<KubeEmulator> {
  emu = await startKubeEmulator({
    stateDir: mkdtempSync(join(tmpdir(), 'kube-emu-')),
    nodes: NODES,
    readinessDelayMs: 0,
    scenario,
  });
  return emu;
}

function kubeProxyConfig(e: KubeEmulator): Record<string, unknown> {
  const cm = e.store.get('v1', 'ConfigMap', 'kube-proxy', 'kube-system');
  return parseYaml(String((cm?.data as Record<string, string>)['config.conf'])) as Record<string, unknown>;
}

describe('scenarios', () => {
  it('kube-proxy in iptables mode (kubeadm writes an empty mode)', async () => {
    const e = await start(['kube-proxy-iptables']);
    expect(kubeProxyConfig(e)).toMatchObject({ mode: '', ipvs: { strictARP: false } });
  });

  it('kube-proxy in IPVS mode with and without strictARP', async () => {
    expect(kubeProxyConfig(await start(['kube-proxy-ipvs']))).toMatchObject({
      mode: 'ipvs',
      ipvs: { strictARP: false },
    });
    await emu?.stop();
    expect(kubeProxyConfig(await start(['kube-proxy-ipvs-strictarp']))).toMatchObject({
      mode: 'ipvs',
      ipvs: { strictARP: true },
    });
  });

  it('k3s ServiceLB: svclb DaemonSet pods in kube-system and traefik with node IPs', async () => {
    const e = await start(['k3s-servicelb']);
    const pods = await pollUntil(() => {
      const p = e.store
        .list('v1', 'Pod', 'kube-system')
        .filter((x) => x.metadata.name.startsWith('svclb-traefik-'));
      return p.length === 2 ? p : undefined;
    }, 'svclb pods');
    expect(pods[0]?.metadata.labels?.['svccontroller.k3s.cattle.io/svcname']).toBe('traefik');
    const traefik = await kubeRequest(e, 'GET', '/api/v1/namespaces/kube-system/services/traefik');
    expect(traefik.json.status).toEqual({
      loadBalancer: { ingress: [{ ip: '10.77.1.11' }, { ip: '10.77.1.12' }] },
    });
  });

  it('kube-vip with services enabled', async () => {
    const e = await start(['kube-vip']);
    const ds = e.store.get('apps/v1', 'DaemonSet', 'kube-vip-ds', 'kube-system');
    expect(JSON.stringify(ds?.spec)).toContain('{"name":"svc_enable","value":"true"}');
    expect(e.store.get('v1', 'ConfigMap', 'kubevip', 'kube-system')).toBeDefined();
  });

  it('Calico BGP configuration peering with the router', async () => {
    const e = await start(['calico-bgp']);
    const peers = await kubeRequest(e, 'GET', '/apis/crd.projectcalico.org/v1/bgppeers');
    expect(peers.json.items).toEqual([
      expect.objectContaining({ spec: { peerIP: '10.77.1.1', asNumber: 64512 } }),
    ]);
    expect(
      (await kubeRequest(e, 'GET', '/apis/crd.projectcalico.org/v1/bgpconfigurations/default')).status,
    ).toBe(200);
  });

  it('MetalLB installed by Helm (app.kubernetes.io labels, <release>-controller) becomes Ready', async () => {
    const e = await start(['metallb-helm']);
    const d = await pollUntil(() => {
      const x = e.store.get('apps/v1', 'Deployment', 'metallb-controller', 'metallb-system');
      return (x?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 1 ? x : undefined;
    }, 'the Helm controller to be Ready');
    expect(d.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'metallb',
      'app.kubernetes.io/component': 'controller',
      'app.kubernetes.io/managed-by': 'Helm',
    });
    expect(e.store.get('apps/v1', 'DaemonSet', 'metallb-speaker', 'metallb-system')).toBeDefined();
  });

  it('MetalLB installed by manifest (component=controller labels)', async () => {
    const e = await start(['metallb-manifest']);
    const d = e.store.get('apps/v1', 'Deployment', 'controller', 'metallb-system');
    expect(d?.metadata.labels).toEqual({ app: 'metallb', component: 'controller' });
    expect((await kubeRequest(e, 'GET', '/apis/metallb.io/v1beta1')).status).toBe(200);
  });

  it('every scenario starts, alone and all together', async () => {
    await start([...SCENARIOS]);
    expect(
      (await kubeRequest(emu!, 'GET', '/api/v1/namespaces/kube-system/configmaps/kube-proxy')).status,
    ).toBe(200);
  });
});
