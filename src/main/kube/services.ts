// LoadBalancer Services as the status screen shows them, and the echo service the one-click test
// deploys: agnhost's netexec behind a LoadBalancer Service, answering /hostname with its pod name.

import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { MANAGED_BY_LABELS } from '../../shared/plan/index.ts';
import type { OperationContext } from '../../shared/progress.ts';
import { PollTimeout, pollUntil } from '../backoff.ts';
import { UserError, throwIfCancelled } from '../errors.ts';
import { KubeClient, asList, asObj, type Obj } from './client.ts';
import { isOurs, nameOf, namespaceOf } from './probe.ts';

export const ECHO_NAME = 'mbw-echo';
export const ECHO_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.53';
const OPERATION = 'test.echo';
const LB_IP_TIMEOUT_MS = 3 * 60_000;

export interface LoadBalancerService {
  namespace: string;
  name: string;
  ips: string[];
  ports: number[];
  readyEndpoints: number;
  externalTrafficPolicy: string;
}

function quietClient(kc: KubeConfig, what: string, signal?: AbortSignal): KubeClient {
  return new KubeClient(kc, { signal: signal ?? new AbortController().signal, what });
}

function ingressIps(svc: Obj): string[] {
  return asList(asObj(asObj(svc.status).loadBalancer).ingress)
    .map((i) => String(i.ip ?? ''))
    .filter(Boolean);
}

function readyBySlice(slices: Obj[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of slices) {
    const service = asObj(asObj(s.metadata).labels)['kubernetes.io/service-name'];
    if (typeof service !== 'string') continue;
    const key = `${namespaceOf(s)}/${service}`;
    const ready = asList(s.endpoints).filter((e) => asObj(e.conditions).ready !== false).length;
    counts.set(key, (counts.get(key) ?? 0) + ready);
  }
  return counts;
}

export async function listLoadBalancerServices(kc: KubeConfig): Promise<LoadBalancerService[]> {
  const client = quietClient(kc, 'listing LoadBalancer Services');
  const services = (await client.list('v1', 'Service')).filter((s) => asObj(s.spec).type === 'LoadBalancer');
  if (services.length === 0) return [];
  const ready = readyBySlice(await client.list('discovery.k8s.io/v1', 'EndpointSlice'));
  return services.map((s) => {
    const spec = asObj(s.spec);
    return {
      namespace: namespaceOf(s),
      name: nameOf(s),
      ips: ingressIps(s),
      ports: asList(spec.ports).map((p) => Number(p.port)),
      readyEndpoints: ready.get(`${namespaceOf(s)}/${nameOf(s)}`) ?? 0,
      externalTrafficPolicy: String(spec.externalTrafficPolicy ?? 'Cluster'),
    };
  });
}

/** Pod name → node name for the pods a Service selects. */
export async function podNodesOfService(
  kc: KubeConfig,
  namespace: string,
  name: string,
): Promise<Record<string, string>> {
  const client = quietClient(kc, `reading the pods of Service ${namespace}/${name}`);
  const svc = await client.get('v1', 'Service', name, namespace);
  if (!svc) {
    throw new UserError(
      `${client.server}: Service ${namespace}/${name} does not exist; check its name and namespace`,
      {
        kind: 'invalid',
      },
    );
  }
  const selector = asObj(asObj(svc.spec).selector) as Record<string, string>;
  const entries = Object.entries(selector);
  if (entries.length === 0) return {};
  const pods = await client.list('v1', 'Pod', {
    namespace,
    labelSelector: entries.map(([k, v]) => `${k}=${v}`).join(','),
  });
  return Object.fromEntries(
    pods
      .map((p) => [nameOf(p), String(asObj(p.spec).nodeName ?? '')] as const)
      .filter(([, node]) => node !== ''),
  );
}

function echoObjects(namespace: string, replicas: number): KubernetesObject[] {
  const labels = { app: ECHO_NAME, ...MANAGED_BY_LABELS };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: ECHO_NAME, namespace, labels },
      spec: {
        replicas,
        selector: { matchLabels: { app: ECHO_NAME } },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'echo',
                image: ECHO_IMAGE,
                args: ['netexec', '--http-port=8080'],
                ports: [{ containerPort: 8080, name: 'http' }],
                readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 2 },
              },
            ],
          },
        },
      },
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: ECHO_NAME, namespace, labels },
      spec: {
        type: 'LoadBalancer',
        selector: { app: ECHO_NAME },
        ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      },
    } as KubernetesObject,
  ];
}

/** One replica per schedulable node (at most 8), so the test can show the spread. */
async function echoReplicas(client: KubeClient): Promise<number> {
  const nodes = await client.list('v1', 'Node');
  const usable = nodes.filter(
    (n) =>
      asObj(n.spec).unschedulable !== true &&
      asList(asObj(n.status).conditions).some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  return Math.min(8, Math.max(1, usable.length));
}

export async function deployEchoService(
  kc: KubeConfig,
  ctx: OperationContext,
  namespace = 'default',
): Promise<{ namespace: string; name: string; ip: string }> {
  const what = 'deploying the echo service';
  const client = new KubeClient(kc, { signal: ctx.signal, what });
  const emit = (e: { step: string; status: 'running' | 'done'; log: string; percent?: number }): void =>
    ctx.onProgress({ operation: OPERATION, ...e });
  throwIfCancelled(ctx.signal, what);
  const existing = await client.get('v1', 'Service', ECHO_NAME, namespace);
  if (existing && !isOurs(existing)) {
    throw new UserError(
      `${client.server}: Service ${namespace}/${ECHO_NAME} exists and was not made by the wizard; remove it or choose another namespace for the test`,
    );
  }
  for (const o of echoObjects(namespace, await echoReplicas(client))) {
    emit({
      step: `object/${o.kind}/${ECHO_NAME}`,
      status: 'running',
      log: `applying ${o.kind} ${namespace}/${ECHO_NAME}`,
    });
    await client.apply(o);
    emit({
      step: `object/${o.kind}/${ECHO_NAME}`,
      status: 'done',
      log: `applied ${o.kind} ${namespace}/${ECHO_NAME}`,
    });
  }
  emit({
    step: 'wait/ip',
    status: 'running',
    log: `waiting for a LoadBalancer IP for ${namespace}/${ECHO_NAME}`,
  });
  try {
    const ip = await pollUntil(
      async () => ingressIps((await client.get('v1', 'Service', ECHO_NAME, namespace)) ?? {})[0],
      {
        timeoutMs: LB_IP_TIMEOUT_MS,
        signal: ctx.signal,
        what: `Service ${namespace}/${ECHO_NAME} getting a LoadBalancer IP`,
        initialMs: 100,
        maxMs: 1_000,
      },
    );
    emit({ step: 'wait/ip', status: 'done', percent: 100, log: `${namespace}/${ECHO_NAME} has IP ${ip}` });
    return { namespace, name: ECHO_NAME, ip };
  } catch (error) {
    if (error instanceof PollTimeout) {
      throw new UserError(
        `${error.message}: MetalLB assigned no address. Check that MetalLB's controller runs and that a pool has free addresses ("kubectl -n metallb-system get ipaddresspools", "kubectl -n ${namespace} describe service ${ECHO_NAME}").`,
        { cause: error },
      );
    }
    throw error;
  }
}

export async function removeEchoService(
  kc: KubeConfig,
  ctx: OperationContext,
  namespace = 'default',
): Promise<void> {
  const what = 'removing the echo service';
  const client = new KubeClient(kc, { signal: ctx.signal, what });
  for (const [apiVersion, kind] of [
    ['v1', 'Service'],
    ['apps/v1', 'Deployment'],
  ] as const) {
    throwIfCancelled(ctx.signal, what);
    const live = await client.get(apiVersion, kind, ECHO_NAME, namespace);
    if (!live || !isOurs(live)) continue;
    await client.delete(apiVersion, kind, ECHO_NAME, namespace);
    ctx.onProgress({
      operation: OPERATION,
      step: `delete/${kind}`,
      status: 'done',
      log: `deleted ${kind} ${namespace}/${ECHO_NAME}`,
    });
  }
}
