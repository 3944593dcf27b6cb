// Installing, upgrading and uninstalling MetalLB from its manifest with server-side apply, in
// dependency order, then waiting (by polling with backoff) until it really serves.

import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { MetallbVersion } from '../../shared/topology/index.ts';
import { METALLB_NAMESPACE } from '../../shared/plan/index.ts';
import type { OperationContext, ProgressEvent } from '../../shared/progress.ts';
import { PollTimeout, pollUntil } from '../backoff.ts';
import { CancelledError, UserError, throwIfCancelled } from '../errors.ts';
import { KubeClient, asList, asObj, type Obj } from './client.ts';
import { bundledManifest, manifestObjects } from './manifests.ts';
import { daemonSetReady, deploymentReady, isOurs } from './probe.ts';

const OPERATION = 'cluster.install';
const UNINSTALL = 'cluster.uninstall';
/** Image pulls on a home cluster can take minutes. */
const ROLLOUT_TIMEOUT_MS = 5 * 60_000;

export interface InstallOptions {
  manifest?: { text: string; source: string };
  /** How long one API request may take before it is retried (default 30 s). */
  requestTimeoutMs?: number;
}

export interface InstallResult {
  changed: boolean;
  applied: number;
  skipped: string[];
}

const RBAC_KINDS = new Set(['ServiceAccount', 'ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding']);
const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

/** Namespace, CRDs, RBAC, everything else, workloads: each may refer to the ones before it. */
function applyPhase(o: KubernetesObject): number {
  if (o.kind === 'Namespace') return 0;
  if (o.kind === 'CustomResourceDefinition') return 1;
  if (RBAC_KINDS.has(String(o.kind))) return 2;
  if (WORKLOAD_KINDS.has(String(o.kind))) return 4;
  return 3;
}

export function inApplyOrder(objects: KubernetesObject[]): KubernetesObject[] {
  return objects
    .map((o, index) => ({ o, index }))
    .sort((a, b) => applyPhase(a.o) - applyPhase(b.o) || a.index - b.index)
    .map((x) => x.o);
}

/** 0.12's metallb.yaml has no Namespace (it shipped as namespace.yaml): make sure there is one. */
function withNamespace(objects: KubernetesObject[]): KubernetesObject[] {
  if (objects.some((o) => o.kind === 'Namespace' && o.metadata?.name === METALLB_NAMESPACE)) return objects;
  const namespace: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: METALLB_NAMESPACE, labels: { app: 'metallb' } },
  };
  return [namespace, ...objects];
}

export function objectLabel(o: KubernetesObject | Obj): string {
  const meta = asObj(o.metadata);
  const ns = typeof meta.namespace === 'string' && meta.namespace ? `${meta.namespace}/` : '';
  return `${String(o.kind)} ${ns}${String(meta.name ?? '')}`;
}

function stepOf(o: KubernetesObject): string {
  return `object/${String(o.kind)}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? ''}`;
}

function imagesOf(o: KubernetesObject | Obj): string[] {
  const spec = asObj(asObj(asObj(asObj(o).spec).template).spec);
  return [...asList(spec.initContainers), ...asList(spec.containers)].map((c) => String(c.image ?? ''));
}

async function manifestFor(version: MetallbVersion, opts: InstallOptions): Promise<KubernetesObject[]> {
  const manifest = opts.manifest ?? (await bundledManifest(version));
  return inApplyOrder(withNamespace(manifestObjects(manifest.text, manifest.source)));
}

async function liveObject(client: KubeClient, o: KubernetesObject): Promise<Obj | undefined> {
  return client.get(String(o.apiVersion), String(o.kind), String(o.metadata?.name), o.metadata?.namespace);
}

/**
 * The manifest is already in place when every object exists and every workload runs the
 * manifest's images. Re-applying then would only undo what MetalLB's cert controller wrote
 * (the CRDs' and webhook's caBundle).
 */
async function alreadyInstalled(client: KubeClient, objects: KubernetesObject[]): Promise<boolean> {
  for (const o of objects) {
    const live = await liveObject(client, o);
    if (!live) return false;
    if (WORKLOAD_KINDS.has(String(o.kind)) && imagesOf(live).join(' ') !== imagesOf(o).join(' '))
      return false;
  }
  return true;
}

function servedNote(o: KubernetesObject): string {
  const removed = o.kind === 'PodSecurityPolicy' ? ' (PodSecurityPolicy was removed in Kubernetes 1.25)' : '';
  return `${objectLabel(o)}: ${String(o.apiVersion)} is not served by this cluster${removed}; skipped`;
}

function timeoutError(what: string, hint: string, error: unknown): unknown {
  if (!(error instanceof PollTimeout)) return error;
  return new UserError(`${error.message}. ${hint}`, { cause: error });
}

async function waitUntil<T>(
  client: KubeClient,
  what: string,
  hint: string,
  attempt: () => Promise<T | undefined>,
  timeoutMs = ROLLOUT_TIMEOUT_MS,
): Promise<T> {
  try {
    return await pollUntil(attempt, {
      timeoutMs,
      signal: client.signal,
      what,
      initialMs: 100,
      // A rollout is a few GETs to check; a long gap would only leave a ready cluster unnoticed.
      maxMs: 1_000,
    });
  } catch (error) {
    throw timeoutError(what, hint, error);
  }
}

async function waitEstablished(client: KubeClient, crd: KubernetesObject): Promise<void> {
  const name = String(crd.metadata?.name);
  await waitUntil(
    client,
    `CustomResourceDefinition ${name} becoming Established`,
    `Check it with "kubectl get crd ${name} -o yaml" (status.conditions).`,
    async () => {
      const live = await client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', name);
      const established = asList(asObj(live?.status).conditions).some(
        (c) => c.type === 'Established' && c.status === 'True',
      );
      return established ? true : undefined;
    },
    60_000,
  );
}

async function readyEndpoints(client: KubeClient, namespace: string, service: string): Promise<number> {
  const slices = await client.list('discovery.k8s.io/v1', 'EndpointSlice', {
    namespace,
    labelSelector: `kubernetes.io/service-name=${service}`,
  });
  return slices
    .flatMap((s) => asList(s.endpoints))
    .filter((e) => asObj(e.conditions).ready !== false && asList(e.addresses).length > 0).length;
}

/** The controller rollout, the speaker DaemonSet, and the webhook Service's endpoints. */
async function waitServing(
  client: KubeClient,
  objects: KubernetesObject[],
  emit: (e: Omit<ProgressEvent, 'operation'>) => void,
): Promise<void> {
  const workloads = objects.filter((o) => WORKLOAD_KINDS.has(String(o.kind)));
  for (const w of workloads) {
    const name = String(w.metadata?.name);
    const ns = w.metadata?.namespace ?? METALLB_NAMESPACE;
    const step = `wait/${String(w.kind)}/${name}`;
    emit({ step, status: 'running', percent: 85, log: `waiting for ${objectLabel(w)} to be ready` });
    await waitUntil(
      client,
      `${objectLabel(w)} becoming ready`,
      `Check its pods with "kubectl -n ${ns} get pods" and "kubectl -n ${ns} describe ${String(w.kind).toLowerCase()} ${name}" (image pulls, scheduling).`,
      async () => {
        const live = await liveObject(client, w);
        if (!live) return undefined;
        const ready = w.kind === 'DaemonSet' ? daemonSetReady(live) : deploymentReady(live);
        return ready ? true : undefined;
      },
    );
    emit({ step, status: 'done', percent: 90, log: `${objectLabel(w)} is ready` });
  }
  // webhook-service up to 0.14.3, metallb-webhook-service from 0.14.4; 0.12 has no webhook.
  const webhook = objects.find(
    (o) => o.kind === 'Service' && /webhook-service$/.test(String(o.metadata?.name)),
  );
  if (!webhook) return;
  const name = String(webhook.metadata?.name);
  const ns = webhook.metadata?.namespace ?? METALLB_NAMESPACE;
  emit({
    step: 'wait/webhook',
    status: 'running',
    percent: 92,
    log: `waiting for Service ${ns}/${name} to have endpoints`,
  });
  await waitUntil(
    client,
    `MetalLB's webhook Service ${ns}/${name} getting a ready endpoint`,
    `Check the controller pod with "kubectl -n ${ns} logs deploy/controller".`,
    async () => ((await readyEndpoints(client, ns, name)) > 0 ? true : undefined),
  );
  emit({
    step: 'wait/webhook',
    status: 'done',
    percent: 98,
    log: `Service ${ns}/${name} has ready endpoints`,
  });
}

function emitterOf(ctx: OperationContext, operation: string): (e: Omit<ProgressEvent, 'operation'>) => void {
  return (e) => ctx.onProgress({ operation, ...e });
}

async function cancelledAware<T>(
  ctx: OperationContext,
  operation: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const emit = emitterOf(ctx, operation);
    if (error instanceof CancelledError) emit({ step: 'cancelled', status: 'cancelled', log: error.message });
    else
      emit({
        step: 'failed',
        status: 'failed',
        log: error instanceof UserError ? error.message : String(error),
      });
    throw error;
  }
}

/**
 * Applies MetalLB's manifest (bundled, or the caller's already verified one) and waits until the
 * controller, the speakers and the webhook serve. A manifest already in place is not re-applied.
 */
export async function installMetallb(
  kc: KubeConfig,
  version: MetallbVersion,
  ctx: OperationContext,
  opts: InstallOptions = {},
): Promise<InstallResult> {
  const what = `the MetalLB ${version} install`;
  const client = new KubeClient(kc, { signal: ctx.signal, what, requestTimeoutMs: opts.requestTimeoutMs });
  const emit = emitterOf(ctx, OPERATION);
  return cancelledAware(ctx, OPERATION, async () => {
    throwIfCancelled(ctx.signal, what);
    const objects = await manifestFor(version, opts);
    emit({
      step: 'check',
      status: 'running',
      percent: 0,
      log: `checking ${client.server} for MetalLB ${version}`,
    });
    const skipped: string[] = [];
    const served: KubernetesObject[] = [];
    for (const o of objects) {
      if (await client.served(String(o.apiVersion), String(o.kind))) served.push(o);
      else skipped.push(servedNote(o));
    }
    if (await alreadyInstalled(client, served)) {
      emit({
        step: 'check',
        status: 'done',
        percent: 80,
        log: `MetalLB ${version} is already installed; nothing to apply`,
      });
      await waitServing(client, served, emit);
      emit({
        step: 'done',
        status: 'done',
        percent: 100,
        log: `MetalLB ${version} is installed and serving`,
      });
      return { changed: false, applied: 0, skipped };
    }
    emit({ step: 'check', status: 'done', percent: 2, log: `applying ${served.length} objects` });
    for (const note of skipped) {
      const o = objects.find((x) => note.startsWith(objectLabel(x)));
      emit({ step: o ? stepOf(o) : 'skipped', status: 'skipped', log: note });
    }
    let applied = 0;
    for (const [index, o] of served.entries()) {
      throwIfCancelled(ctx.signal, what);
      const percent = Math.round(2 + (78 * index) / served.length);
      emit({ step: stepOf(o), status: 'running', percent, log: `applying ${objectLabel(o)}` });
      await client.apply(o);
      applied++;
      emit({
        step: stepOf(o),
        status: 'done',
        percent: Math.round(2 + (78 * (index + 1)) / served.length),
        log: `applied ${objectLabel(o)}`,
      });
      // Custom resources and the webhook's rules need the CRDs served first.
      const next = served[index + 1];
      if (o.kind === 'CustomResourceDefinition' && next?.kind !== 'CustomResourceDefinition') {
        for (const crd of served.filter((x) => x.kind === 'CustomResourceDefinition')) {
          await waitEstablished(client, crd);
        }
        emit({ step: 'crds', status: 'done', percent, log: 'the CRDs are established' });
      }
    }
    await waitServing(client, served, emit);
    emit({ step: 'done', status: 'done', percent: 100, log: `MetalLB ${version} is installed and serving` });
    return { changed: true, applied, skipped };
  });
}

/**
 * Deletes what the manifest applied, in reverse order, and only objects the wizard applied (our
 * field manager): a MetalLB installed by hand or by Helm is left alone.
 */
export async function uninstallMetallb(
  kc: KubeConfig,
  version: MetallbVersion,
  ctx: OperationContext,
): Promise<{ removed: string[] }> {
  const what = `the MetalLB ${version} uninstall`;
  const client = new KubeClient(kc, { signal: ctx.signal, what });
  const emit = emitterOf(ctx, UNINSTALL);
  return cancelledAware(ctx, UNINSTALL, async () => {
    const objects = [...(await manifestFor(version, {}))].reverse();
    // Objects with no fields of their own (the webhook's cert Secret) carry no field manager; in a
    // namespace the wizard made they are ours anyway, and would go with the namespace.
    const ownNamespaces = new Set<string>();
    for (const ns of objects.filter((o) => o.kind === 'Namespace')) {
      const live = await liveObject(client, ns);
      if (live && isOurs(live)) ownNamespaces.add(String(ns.metadata?.name));
    }
    const removed: string[] = [];
    for (const [index, o] of objects.entries()) {
      throwIfCancelled(ctx.signal, what);
      const live = await liveObject(client, o);
      if (!live || !(isOurs(live) || ownNamespaces.has(o.metadata?.namespace ?? ''))) continue;
      emit({
        step: stepOf(o),
        status: 'running',
        percent: Math.round((100 * index) / objects.length),
        log: `deleting ${objectLabel(o)}`,
      });
      await client.delete(
        String(o.apiVersion),
        String(o.kind),
        String(o.metadata?.name),
        o.metadata?.namespace,
      );
      removed.push(objectLabel(o));
      emit({ step: stepOf(o), status: 'done', log: `deleted ${objectLabel(o)}` });
    }
    emit({ step: 'done', status: 'done', percent: 100, log: `removed ${removed.length} objects` });
    return { removed };
  });
}
