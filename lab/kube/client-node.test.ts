// The emulator against @kubernetes/client-node 2.x, the library the app's main process uses.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { startKubeEmulator, type KubeEmulator } from './index.ts';
import { pollUntil } from './testing.ts';

const NODES = [
  { name: 'worker1', address: '10.77.1.11' },
  { name: 'worker2', address: '10.77.1.12' },
];

describe('@kubernetes/client-node against the emulator', () => {
  let emu: KubeEmulator;
  let kc: KubeConfig;

  beforeAll(async () => {
    emu = await startKubeEmulator({
      stateDir: mkdtempSync(join(tmpdir(), 'kube-emu-')),
      nodes: NODES,
      readinessDelayMs: 0,
    });
    kc = new KubeConfig();
    kc.loadFromFile(emu.kubeconfigPath);
  });
  afterAll(async () => {
    await emu?.stop();
  });

  it('lists the nodes with their InternalIPs (CoreV1Api.listNode)', async () => {
    const nodes = await kc.makeApiClient(CoreV1Api).listNode();
    const addresses = nodes.items.map((n) => [
      n.metadata?.name,
      n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
    ]);
    expect(addresses).toEqual(NODES.map((n) => [n.name, n.address]));
  });

  it('server-side applies, re-applies with a change, and records managedFields per manager', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const cm: KubernetesObject & { data: Record<string, string> } = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'wizard-state', namespace: 'default' },
      data: { step: '1' },
    };
    // patch() mutates its argument: pass copies.
    await objects.patch(
      structuredClone(cm),
      undefined,
      undefined,
      'metallb-wizard',
      false,
      PatchStrategy.ServerSideApply,
    );
    const second = await objects.patch(
      structuredClone({ ...cm, data: { step: '2' } }),
      undefined,
      undefined,
      'metallb-wizard',
      false,
      PatchStrategy.ServerSideApply,
    );
    expect((second as typeof cm).data).toEqual({ step: '2' });
    const managers = (second.metadata?.managedFields ?? []).map((m) => [m.manager, m.operation]);
    expect(managers).toEqual([['metallb-wizard', 'Apply']]);
    const read = await kc
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ name: 'wizard-state', namespace: 'default' });
    expect(read.data).toEqual({ step: '2' });
  });

  it('reports an SSA conflict as a 409 the library surfaces', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shared', namespace: 'default' },
      data: { owner: 'a' },
    };
    await objects.patch(
      structuredClone(cm),
      undefined,
      undefined,
      'manager-a',
      false,
      PatchStrategy.ServerSideApply,
    );
    const err = await objects
      .patch(
        structuredClone({ ...cm, data: { owner: 'b' } }),
        undefined,
        undefined,
        'manager-b',
        false,
        PatchStrategy.ServerSideApply,
      )
      .then(
        () => undefined,
        (e: unknown) => e as { code?: number; body?: string },
      );
    expect(err?.code).toBe(409);
    expect(String(err?.body)).toContain('conflict with \\"manager-a\\"');
  });

  it('streams watch events with resourceVersion', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    const seen: string[] = [];
    const watch = new Watch(kc);
    const ctrl = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: list.metadata?.resourceVersion },
      (phase, obj: KubernetesObject) => seen.push(`${phase} ${obj.metadata?.name}`),
      () => undefined,
    );
    try {
      await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'watched' }, data: { a: '1' } },
      });
      await core.deleteNamespacedConfigMap({ name: 'watched', namespace: 'default' });
      await pollUntil(() => (seen.includes('DELETED watched') ? true : undefined), 'the DELETED event');
      expect(seen).toEqual(['ADDED watched', 'DELETED watched']);
    } finally {
      ctrl.abort();
    }
  });
});
