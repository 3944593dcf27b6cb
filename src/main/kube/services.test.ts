import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import {
  applyMetallbObjects,
  deployEchoService,
  installMetallb,
  listLoadBalancerServices,
  podNodesOfService,
  removeEchoService,
} from './index.ts';
import { LAB, labMetallbPlan, recordingContext, startTestCluster, type TestCluster } from './testing.ts';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe('the echo service', () => {
  it('deploys agnhost behind a LoadBalancer Service, gets an IP from the pool, lists it, maps pods to nodes, and removes it', async () => {
    cluster = await startTestCluster({ readinessDelayMs: 50 });
    await installMetallb(cluster.kc, 'v0.14.9', recordingContext());
    await applyMetallbObjects(cluster.kc, labMetallbPlan('v0.14.9'), recordingContext());

    const ctx = recordingContext();
    const echo = await deployEchoService(cluster.kc, ctx);
    // The lab pool is 10.77.100.32/27; its first address is handed out first.
    expect(echo).toEqual({ namespace: 'default', name: 'mbw-echo', ip: '10.77.100.32' });
    expect(ctx.events.at(-1)).toMatchObject({ operation: 'test.echo', step: 'wait/ip', status: 'done' });

    const deployment = cluster.emu.store.get('apps/v1', 'Deployment', 'mbw-echo', 'default');
    const container = (
      deployment?.spec as { template: { spec: { containers: { image: string; args: string[] }[] } } }
    ).template.spec.containers[0];
    expect(container).toMatchObject({
      image: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
      args: ['netexec', '--http-port=8080'],
    });
    expect(cluster.emu.store.get('v1', 'Service', 'mbw-echo', 'default')?.spec).toMatchObject({
      type: 'LoadBalancer',
      ports: [{ port: 80, targetPort: 8080 }],
    });

    const services = await listLoadBalancerServices(cluster.kc);
    const listed = services.find((s) => s.name === 'mbw-echo');
    expect(listed).toMatchObject({
      namespace: 'default',
      ips: ['10.77.100.32'],
      ports: [80],
      externalTrafficPolicy: 'Cluster',
    });
    // One replica per node, each Ready once the readiness delay passed.
    await expect
      .poll(
        async () =>
          (await listLoadBalancerServices(cluster!.kc)).find((s) => s.name === 'mbw-echo')?.readyEndpoints,
      )
      .toBe(LAB.nodes.length);

    const pods = await podNodesOfService(cluster.kc, 'default', 'mbw-echo');
    expect(Object.keys(pods)).toHaveLength(LAB.nodes.length);
    expect(Object.keys(pods).every((p) => p.startsWith('mbw-echo-'))).toBe(true);
    expect(Object.values(pods).sort()).toEqual(LAB.nodes.map((n) => n.name).sort());

    await removeEchoService(cluster.kc, recordingContext());
    expect(cluster.emu.store.get('v1', 'Service', 'mbw-echo', 'default')).toBeUndefined();
    expect(cluster.emu.store.get('apps/v1', 'Deployment', 'mbw-echo', 'default')).toBeUndefined();
    expect((await listLoadBalancerServices(cluster.kc)).map((s) => s.name)).not.toContain('mbw-echo');
  });

  it("names a Service that does not exist, and leaves another tool's mbw-echo alone", async () => {
    cluster = await startTestCluster();
    await expect(podNodesOfService(cluster.kc, 'default', 'nope')).rejects.toThrow(
      `${cluster.emu.url}: Service default/nope does not exist; check its name and namespace`,
    );
    cluster.emu.store.put({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'mbw-echo', namespace: 'default' },
      spec: { ports: [{ port: 80 }] },
    });
    const error = await deployEchoService(cluster.kc, recordingContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(
      'Service default/mbw-echo exists and was not made by the wizard',
    );
    await removeEchoService(cluster.kc, recordingContext());
    expect(cluster.emu.store.get('v1', 'Service', 'mbw-echo', 'default')).toBeDefined();
  });
});
