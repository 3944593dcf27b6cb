import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../shared/progress.ts';
import { CancelledError, UserError } from '../errors.ts';
import {
  applyBgpPasswordSecret,
  applyMetallbObjects,
  installMetallb,
  probeCluster,
  removeMetallbObjects,
  uninstallMetallb,
} from './index.ts';
import { labMetallbPlan, recordingContext, startTestCluster, type TestCluster } from './testing.ts';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const PHASES: Record<string, number> = {
  Namespace: 0,
  CustomResourceDefinition: 1,
  ServiceAccount: 2,
  ClusterRole: 2,
  Role: 2,
  ClusterRoleBinding: 2,
  RoleBinding: 2,
  Deployment: 4,
  DaemonSet: 4,
};

function appliedKinds(events: ProgressEvent[]): string[] {
  return events
    .filter((e) => e.operation === 'cluster.install' && e.status === 'done' && e.step.startsWith('object/'))
    .map((e) => e.step.split('/')[1] ?? '');
}

function expectDependencyOrder(kinds: string[]): void {
  const phases = kinds.map((k) => PHASES[k] ?? 3);
  expect(phases).toEqual([...phases].sort((a, b) => a - b));
  expect(kinds[0]).toBe('Namespace');
  expect(kinds.slice(-2).sort()).toEqual(['DaemonSet', 'Deployment']);
}

function controllerImage(c: TestCluster): string {
  const d = c.emu.store.get('apps/v1', 'Deployment', 'controller', 'metallb-system');
  const spec = (d?.spec ?? {}) as { template?: { spec?: { containers?: { image?: string }[] } } };
  return spec.template?.spec?.containers?.[0]?.image ?? '';
}

describe('installMetallb and applyMetallbObjects', () => {
  it('installs v0.14.9 in dependency order, applies the plan while the webhook refuses at first, then changes nothing the second time', async () => {
    cluster = await startTestCluster({ readinessDelayMs: 300 });
    const ctx = recordingContext();
    const result = await installMetallb(cluster.kc, 'v0.14.9', ctx);
    expect(result).toEqual({ changed: true, applied: 24, skipped: [] });
    const kinds = appliedKinds(ctx.events);
    expect(kinds).toHaveLength(24);
    expectDependencyOrder(kinds);
    const steps = ctx.events.map((e) => `${e.step}:${e.status}`);
    expect(steps.indexOf('crds:done')).toBeGreaterThan(
      steps.lastIndexOf('object/CustomResourceDefinition/servicel2statuses.metallb.io:done'),
    );
    expect(steps.indexOf('crds:done')).toBeLessThan(
      steps.indexOf('object/ServiceAccount/metallb-system/controller:done'),
    );
    expect(steps.slice(-4)).toEqual([
      'wait/DaemonSet/speaker:done',
      'wait/webhook:running',
      'wait/webhook:done',
      'done:done',
    ]);
    expect(controllerImage(cluster)).toBe('quay.io/metallb/controller:v0.14.9');

    // The controller restarts: its webhook refuses until the new pod is Ready.
    for (const pod of cluster.emu.store.list('v1', 'Pod', 'metallb-system')) {
      if (pod.metadata.labels?.component === 'controller')
        cluster.emu.store.raw.delete('/pods', 'metallb-system', pod.metadata.name);
    }
    const plan = labMetallbPlan('v0.14.9');
    const applyCtx = recordingContext();
    const applied = await applyMetallbObjects(cluster.kc, plan, applyCtx);
    expect(applied).toEqual({
      changed: true,
      objects: [
        'IPAddressPool metallb-system/lab',
        'BGPPeer metallb-system/mbw-router',
        'BGPAdvertisement metallb-system/mbw-pools',
      ],
    });
    expect(
      applyCtx.events.some((e) =>
        /webhook is not answering yet; retrying IPAddressPool metallb-system\/lab/.test(e.log ?? ''),
      ),
    ).toBe(true);
    const pool = cluster.emu.store.get('metallb.io/v1beta1', 'IPAddressPool', 'lab', 'metallb-system');
    expect(pool?.spec).toMatchObject({ addresses: ['10.77.100.32/27'] });
    expect(
      cluster.emu.store.get('metallb.io/v1beta2', 'BGPPeer', 'mbw-router', 'metallb-system')?.spec,
    ).toMatchObject({
      myASN: 64512,
      peerASN: 64512,
      peerAddress: '10.77.1.1',
    });

    const again = recordingContext();
    expect(await installMetallb(cluster.kc, 'v0.14.9', again)).toEqual({
      changed: false,
      applied: 0,
      skipped: [],
    });
    expect(again.events.some((e) => e.step.startsWith('object/') && e.status === 'done')).toBe(false);
    expect(await applyMetallbObjects(cluster.kc, plan, recordingContext())).toMatchObject({ changed: false });

    const probe = await probeCluster(cluster.kc);
    expect(probe.metallb).toMatchObject({
      version: 'v0.14.9',
      method: 'manifest',
      managedByUs: true,
      pools: [{ name: 'lab', addresses: ['10.77.100.32/27'], managedByUs: true }],
      peers: [
        { name: 'mbw-router', peerAddress: '10.77.1.1', peerASN: 64512, myASN: 64512, managedByUs: true },
      ],
    });

    // A changed plan is applied again.
    const moved = labMetallbPlan('v0.14.9', { name: 'lab', addresses: ['10.77.100.64/28'] });
    expect(await applyMetallbObjects(cluster.kc, moved, recordingContext())).toMatchObject({ changed: true });
    expect(
      cluster.emu.store.get('metallb.io/v1beta1', 'IPAddressPool', 'lab', 'metallb-system')?.spec,
    ).toMatchObject({
      addresses: ['10.77.100.64/28'],
    });

    expect(await removeMetallbObjects(cluster.kc, moved, recordingContext())).toEqual({
      removed: [
        'BGPAdvertisement metallb-system/mbw-pools',
        'BGPPeer metallb-system/mbw-router',
        'IPAddressPool metallb-system/lab',
      ],
    });
    expect(cluster.emu.store.list('metallb.io/v1beta1', 'IPAddressPool', 'metallb-system')).toEqual([]);
  });

  it('installs v0.12.1 (PodSecurityPolicy skipped on 1.30) and applies the legacy ConfigMap', async () => {
    cluster = await startTestCluster();
    const ctx = recordingContext();
    const result = await installMetallb(cluster.kc, 'v0.12.1', ctx);
    expect(result.changed).toBe(true);
    expect(result.skipped).toEqual([
      'PodSecurityPolicy controller: policy/v1beta1 is not served by this cluster (PodSecurityPolicy was removed in Kubernetes 1.25); skipped',
      'PodSecurityPolicy speaker: policy/v1beta1 is not served by this cluster (PodSecurityPolicy was removed in Kubernetes 1.25); skipped',
    ]);
    expect(ctx.events.filter((e) => e.status === 'skipped').map((e) => e.step)).toEqual([
      'object/PodSecurityPolicy/controller',
      'object/PodSecurityPolicy/speaker',
    ]);
    expectDependencyOrder(appliedKinds(ctx.events));
    expect(ctx.events.some((e) => e.step === 'wait/webhook')).toBe(false);
    expect(controllerImage(cluster)).toBe('quay.io/metallb/controller:v0.12.1');

    const plan = labMetallbPlan('v0.12.1');
    expect(plan.format).toBe('configmap');
    expect(await applyMetallbObjects(cluster.kc, plan, recordingContext())).toEqual({
      changed: true,
      objects: ['ConfigMap metallb-system/config'],
    });
    expect(await applyMetallbObjects(cluster.kc, plan, recordingContext())).toMatchObject({ changed: false });
    const probe = await probeCluster(cluster.kc);
    expect(probe.metallb).toMatchObject({
      version: 'v0.12.1',
      format: 'configmap',
      pools: [{ name: 'lab', addresses: ['10.77.100.32/27'], managedByUs: true }],
      peers: [{ peerAddress: '10.77.1.1', peerASN: 64512, myASN: 64512 }],
    });
  });

  it('applies PodSecurityPolicy on Kubernetes 1.24', async () => {
    cluster = await startTestCluster({ kubernetesVersion: '1.24' });
    const result = await installMetallb(cluster.kc, 'v0.12.1', recordingContext());
    expect(result).toMatchObject({ changed: true, skipped: [] });
    expect(
      cluster.emu.store
        .list('policy/v1beta1', 'PodSecurityPolicy')
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(['controller', 'speaker']);
  });

  it('upgrades v0.13.12 to v0.14.9 by applying the new manifest', async () => {
    cluster = await startTestCluster();
    const first = recordingContext();
    await installMetallb(cluster.kc, 'v0.13.12', first);
    expect(first.events.find((e) => e.step === 'wait/webhook' && e.status === 'running')?.log).toContain(
      'metallb-system/webhook-service',
    );
    expect(controllerImage(cluster)).toBe('quay.io/metallb/controller:v0.13.12');
    const upgrade = recordingContext();
    const result = await installMetallb(cluster.kc, 'v0.14.9', upgrade);
    expect(result.changed).toBe(true);
    expect(controllerImage(cluster)).toBe('quay.io/metallb/controller:v0.14.9');
    expect(upgrade.events.find((e) => e.step === 'wait/webhook' && e.status === 'done')?.log).toContain(
      'metallb-system/metallb-webhook-service',
    );
    expect((await probeCluster(cluster.kc)).metallb).toMatchObject({
      version: 'v0.14.9',
      controllerReady: true,
      speakerReady: true,
    });
    expect(
      await applyMetallbObjects(cluster.kc, labMetallbPlan('v0.14.9'), recordingContext()),
    ).toMatchObject({ changed: true });
  });

  it('refuses a plan whose pool overlaps a pool the wizard did not make, naming it', async () => {
    cluster = await startTestCluster({ scenario: ['metallb-manifest'] });
    cluster.emu.store.put({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'homelab', namespace: 'metallb-system' },
      spec: { addresses: ['10.77.100.40-10.77.100.45'] },
    });
    const error = await applyMetallbObjects(cluster.kc, labMetallbPlan('v0.14.9'), recordingContext()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      `${cluster.emu.url}: the existing IPAddressPool metallb-system/homelab (not made by the wizard) covers 10.77.100.40-10.77.100.45, which overlaps the planned pool "lab" (10.77.100.32/27). Choose addresses outside it, or delete that pool if it is unused.`,
    );
    expect(
      cluster.emu.store.get('metallb.io/v1beta2', 'BGPPeer', 'mbw-router', 'metallb-system'),
    ).toBeUndefined();
  });

  it('turns a 403 into a message naming the permission', async () => {
    cluster = await startTestCluster();
    cluster.emu.faults.set({
      kind: 'status',
      code: 403,
      match: { method: 'PATCH', pathPrefix: '/apis/apps/v1' },
    });
    const error = await installMetallb(cluster.kc, 'v0.14.9', recordingContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    const message = (error as UserError).message;
    expect(message).toMatch(
      /^https:\/\/127\.0\.0\.1:\d+ refused to patch Deployment metallb-system\/controller: the kubeconfig's user lacks the permission "patch" on Deployment \(apps\) in namespace metallb-system \(forbidden by an injected fault\)\. Use a kubeconfig with cluster-admin rights/,
    );
    expect(message).not.toMatch(/HTTP-Code|Headers|\{"/);
  });

  it('resumes through 500s and a request that times out', async () => {
    cluster = await startTestCluster();
    cluster.emu.faults.set({
      kind: 'status',
      code: 500,
      times: 3,
      match: { method: 'PATCH', pathPrefix: '/apis/apiextensions.k8s.io' },
    });
    cluster.emu.faults.set({
      kind: 'timeout',
      times: 1,
      match: { method: 'PATCH', pathPrefix: '/apis/rbac.authorization.k8s.io' },
    });
    cluster.emu.faults.set({
      kind: 'status',
      code: 500,
      times: 2,
      match: { method: 'GET', pathPrefix: '/apis/apps/v1/namespaces/metallb-system/deployments' },
    });
    const result = await installMetallb(cluster.kc, 'v0.14.9', recordingContext(), { requestTimeoutMs: 400 });
    expect(result).toMatchObject({ changed: true, applied: 24 });
    expect(
      cluster.emu.store.list('rbac.authorization.k8s.io/v1', 'ClusterRole').map((r) => r.metadata.name),
    ).toEqual(expect.arrayContaining(['metallb-system:controller', 'metallb-system:speaker']));
    expect((await probeCluster(cluster.kc)).metallb).toMatchObject({
      controllerReady: true,
      speakerReady: true,
    });
  });

  it('stops with CancelledError when cancelled mid-install', async () => {
    cluster = await startTestCluster();
    const ctx = recordingContext((e, controller) => {
      if (e.step === 'object/CustomResourceDefinition/bgppeers.metallb.io' && e.status === 'done')
        controller.abort();
    });
    const error = await installMetallb(cluster.kc, 'v0.14.9', ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).message).toBe('the MetalLB v0.14.9 install was cancelled');
    expect(ctx.events.at(-1)).toMatchObject({ operation: 'cluster.install', status: 'cancelled' });
    expect(cluster.emu.store.get('apps/v1', 'Deployment', 'controller', 'metallb-system')).toBeUndefined();
    // Resuming afterwards completes the install.
    expect(await installMetallb(cluster.kc, 'v0.14.9', recordingContext())).toMatchObject({ changed: true });
  });

  it('uninstalls what it applied and nothing else', async () => {
    cluster = await startTestCluster();
    await installMetallb(cluster.kc, 'v0.14.9', recordingContext());
    cluster.emu.store.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'keep-me', namespace: 'default' },
      data: { a: 'b' },
    });
    const result = await uninstallMetallb(cluster.kc, 'v0.14.9', recordingContext());
    expect(result.removed).toHaveLength(24);
    expect(result.removed[0]).toMatch(
      /^(DaemonSet metallb-system\/speaker|Deployment metallb-system\/controller)$/,
    );
    expect(result.removed.at(-1)).toBe('Namespace metallb-system');
    expect(cluster.emu.store.get('apps/v1', 'Deployment', 'controller', 'metallb-system')).toBeUndefined();
    expect(cluster.emu.store.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).toEqual([]);
    expect(cluster.emu.store.get('v1', 'ConfigMap', 'keep-me', 'default')?.data).toEqual({ a: 'b' });
    expect(cluster.emu.store.get('v1', 'Namespace', 'kube-system')).toBeDefined();
  });

  it('leaves a MetalLB it did not install alone on uninstall', async () => {
    cluster = await startTestCluster({ scenario: ['metallb-manifest'] });
    expect(await uninstallMetallb(cluster.kc, 'v0.14.9', recordingContext())).toEqual({ removed: [] });
    expect(cluster.emu.store.get('apps/v1', 'Deployment', 'controller', 'metallb-system')).toBeDefined();
  });

  it('stores the BGP password in a basic-auth Secret once, without showing it, and removes it with the objects', async () => {
    cluster = await startTestCluster({ scenario: ['metallb-manifest'] });
    const password = 'md5-Secret.42';
    const ctx = recordingContext();
    expect(await applyBgpPasswordSecret(cluster.kc, password, ctx)).toEqual({ changed: true });
    const secret = cluster.emu.store.get('v1', 'Secret', 'mbw-bgp-password', 'metallb-system');
    expect(secret?.type).toBe('kubernetes.io/basic-auth');
    expect(Buffer.from(String((secret?.data as { password: string }).password), 'base64').toString()).toBe(
      password,
    );
    expect(await applyBgpPasswordSecret(cluster.kc, password, ctx)).toEqual({ changed: false });
    expect(await applyBgpPasswordSecret(cluster.kc, 'another-pass', ctx)).toEqual({ changed: true });
    expect(JSON.stringify(ctx.events)).not.toContain(password);
    const removed = await removeMetallbObjects(cluster.kc, labMetallbPlan('v0.14.9'), recordingContext());
    expect(removed).toEqual({ removed: ['Secret metallb-system/mbw-bgp-password'] });
    expect(cluster.emu.store.get('v1', 'Secret', 'mbw-bgp-password', 'metallb-system')).toBeUndefined();
  });
});
