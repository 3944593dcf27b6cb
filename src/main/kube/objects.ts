// The plan's MetalLB configuration (pools, peer, advertisement, or 0.12's ConfigMap): applied with
// server-side apply, waiting out the webhook while the controller starts, and never over a pool
// someone else made.

import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { MetallbPlan, KubeObject } from '../../shared/plan/index.ts';
import {
  BGP_PASSWORD_SECRET,
  LEGACY_CONFIGMAP_NAME,
  MANAGED_BY_LABELS,
  METALLB_NAMESPACE,
} from '../../shared/plan/index.ts';
import {
  formatInterval,
  intervalsOverlap,
  parseInterfaceCidr,
  parsePoolEntry,
  subnetInterval,
  type AddressInterval,
} from '../../shared/net/index.ts';
import type { OperationContext, ProgressEvent } from '../../shared/progress.ts';
import { PollTimeout, pollUntil } from '../backoff.ts';
import { CancelledError, UserError, throwIfCancelled } from '../errors.ts';
import { FIELD_MANAGER, KubeClient, asList, asObj, isWebhookRefusal, type Obj } from './client.ts';
import { isOurs, nameOf } from './probe.ts';
import { objectLabel } from './install.ts';

const OPERATION = 'cluster.apply';
const REMOVE = 'cluster.remove';
/** How long to wait for MetalLB's webhook to start answering after an install. */
const WEBHOOK_TIMEOUT_MS = 3 * 60_000;

function intervalOf(entry: string): AddressInterval | undefined {
  const parsed = parsePoolEntry(entry.trim());
  if (parsed.ok) return parsed.value;
  // A CIDR written with host bits set still covers its whole subnet.
  const cidr = parseInterfaceCidr(entry.trim());
  return cidr.ok ? subnetInterval(cidr.value) : undefined;
}

function overlapping(ours: string[], theirs: string[]): [string, string] | undefined {
  for (const a of ours) {
    const ia = intervalOf(a);
    if (!ia) continue;
    for (const b of theirs) {
      const ib = intervalOf(b);
      if (ib && intervalsOverlap(ia, ib)) return [formatInterval(ia), b];
    }
  }
  return undefined;
}

function plannedPools(plan: MetallbPlan): { name: string; addresses: string[] }[] {
  return plan.objects
    .filter((o) => o.kind === 'IPAddressPool')
    .map((o) => ({ name: o.metadata.name, addresses: asList<string>(asObj(o.spec).addresses).map(String) }));
}

/** Refuses to go on when a pool the wizard did not make overlaps (or has the name of) ours. */
async function checkForeignPools(client: KubeClient, plan: MetallbPlan): Promise<void> {
  if (plan.format === 'configmap') {
    const cm = await client.get('v1', 'ConfigMap', LEGACY_CONFIGMAP_NAME, METALLB_NAMESPACE);
    if (cm && !isOurs(cm)) {
      throw new UserError(
        `${client.server}: ConfigMap ${METALLB_NAMESPACE}/${LEGACY_CONFIGMAP_NAME} already holds a MetalLB configuration the wizard did not write; MetalLB 0.12 reads only that one. Merge the plan into it by hand, or delete it if it is unused, then apply again.`,
      );
    }
    return;
  }
  const existing = await client.list('metallb.io/v1beta1', 'IPAddressPool', { namespace: METALLB_NAMESPACE });
  for (const pool of plannedPools(plan)) {
    for (const other of existing.filter((p) => !isOurs(p))) {
      const theirs = asList<string>(asObj(other.spec).addresses).map(String);
      if (nameOf(other) === pool.name) {
        throw new UserError(
          `${client.server}: IPAddressPool ${METALLB_NAMESPACE}/${nameOf(other)} already exists and was not made by the wizard (addresses ${theirs.join(', ')}). Give the wizard's pool another name, or delete that pool if it is unused.`,
          { path: 'cluster.pools' },
        );
      }
      const hit = overlapping(pool.addresses, theirs);
      if (hit) {
        throw new UserError(
          `${client.server}: the existing IPAddressPool ${METALLB_NAMESPACE}/${nameOf(other)} (not made by the wizard) covers ${hit[1]}, which overlaps the planned pool "${pool.name}" (${hit[0]}). Choose addresses outside it, or delete that pool if it is unused.`,
          { path: 'cluster.pools' },
        );
      }
    }
  }
}

/** The paths (as [spec, addresses]) our field manager owns, from managedFields' fieldsV1. */
function ownedPaths(live: Obj): string[][] {
  const paths: string[][] = [];
  for (const entry of asList(asObj(live.metadata).managedFields)) {
    if (entry.manager !== FIELD_MANAGER) continue;
    const walk = (node: Obj, prefix: string[]): void => {
      for (const [key, child] of Object.entries(node)) {
        if (!key.startsWith('f:')) continue;
        const path = [...prefix, key.slice(2)];
        const sub = asObj(child);
        if (Object.keys(sub).some((k) => k.startsWith('f:'))) walk(sub, path);
        else paths.push(path);
      }
    };
    walk(asObj(entry.fieldsV1), []);
  }
  return paths;
}

function valueAt(o: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => asObj(v)[k], o);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Obj)[k])]),
    );
  }
  return v;
}

/** Planned fields equal `sub`'s in `whole` (defaults the server added are ignored). */
function covers(whole: unknown, sub: unknown): boolean {
  if (sub !== null && typeof sub === 'object' && !Array.isArray(sub)) {
    return Object.entries(sub).every(([k, v]) => covers(asObj(whole)[k], v));
  }
  return sameValue(whole, sub);
}

const CONTENT = new Set(['spec', 'data']);

/**
 * The live object already holds exactly the plan: every planned field has its value, labels
 * included, and we own no content field the plan no longer sets.
 */
function holdsPlan(live: Obj | undefined, planned: KubeObject): boolean {
  if (!live || !isOurs(live)) return false;
  const content = Object.keys(planned).filter((k) => CONTENT.has(k));
  if (!content.every((k) => covers(live[k], planned[k]))) return false;
  if (!covers(asObj(live.metadata).labels, planned.metadata.labels ?? {})) return false;
  return ownedPaths(live)
    .filter((p) => CONTENT.has(p[0] ?? ''))
    .every((p) => valueAt(planned, p) !== undefined);
}

function emitterOf(ctx: OperationContext, operation: string): (e: Omit<ProgressEvent, 'operation'>) => void {
  return (e) => ctx.onProgress({ operation, ...e });
}

/** Applies one object, retrying while MetalLB's webhook is not yet answering. */
async function applyThroughWebhook(
  client: KubeClient,
  o: KubeObject,
  emit: (e: Omit<ProgressEvent, 'operation'>) => void,
): Promise<void> {
  const label = objectLabel(o);
  try {
    await pollUntil(
      async (attempt) => {
        try {
          await client.apply(o as KubernetesObject);
          return true;
        } catch (error) {
          if (!isWebhookRefusal(error)) throw error;
          if (attempt === 0)
            emit({
              step: `object/${o.kind}/${o.metadata.name}`,
              status: 'running',
              log: `MetalLB's webhook is not answering yet; retrying ${label}`,
            });
          return undefined;
        }
      },
      {
        timeoutMs: WEBHOOK_TIMEOUT_MS,
        signal: client.signal,
        what: `applying ${label}`,
        initialMs: 100,
        maxMs: 3_000,
      },
    );
  } catch (error) {
    if (error instanceof PollTimeout) {
      throw new UserError(
        `${client.server}: MetalLB's webhook kept refusing ${label} (failed calling webhook) for ${WEBHOOK_TIMEOUT_MS / 60_000} minutes. Check that the controller runs: "kubectl -n ${METALLB_NAMESPACE} get pods" and "kubectl -n ${METALLB_NAMESPACE} logs deploy/controller".`,
        { cause: error },
      );
    }
    throw error;
  }
}

async function ensureServed(client: KubeClient, plan: MetallbPlan): Promise<void> {
  for (const o of plan.objects) {
    if (await client.served(o.apiVersion, o.kind)) continue;
    throw new UserError(
      `${client.server} does not serve ${o.kind} (${o.apiVersion}): MetalLB ${plan.version}'s CRDs are not installed. Install MetalLB first, then apply again.`,
    );
  }
}

export async function applyMetallbObjects(
  kc: KubeConfig,
  plan: MetallbPlan,
  ctx: OperationContext,
): Promise<{ changed: boolean; objects: string[] }> {
  const what = 'applying the MetalLB configuration';
  const client = new KubeClient(kc, { signal: ctx.signal, what });
  const emit = emitterOf(ctx, OPERATION);
  try {
    throwIfCancelled(ctx.signal, what);
    emit({
      step: 'check',
      status: 'running',
      percent: 0,
      log: 'checking the existing MetalLB configuration',
    });
    await ensureServed(client, plan);
    await checkForeignPools(client, plan);
    emit({ step: 'check', status: 'done', percent: 10 });
    let changed = false;
    const objects: string[] = [];
    for (const [index, o] of plan.objects.entries()) {
      throwIfCancelled(ctx.signal, what);
      const step = `object/${o.kind}/${o.metadata.name}`;
      const label = objectLabel(o);
      objects.push(label);
      const live = await client.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
      const percent = Math.round(10 + (90 * (index + 1)) / plan.objects.length);
      if (holdsPlan(live, o)) {
        emit({ step, status: 'done', percent, log: `${label} is already as planned` });
        continue;
      }
      emit({ step, status: 'running', log: `applying ${label}` });
      await applyThroughWebhook(client, o, emit);
      changed = true;
      emit({ step, status: 'done', percent, log: `applied ${label}` });
    }
    emit({
      step: 'done',
      status: 'done',
      percent: 100,
      log: changed ? 'MetalLB configuration applied' : 'MetalLB configuration already as planned',
    });
    return { changed, objects };
  } catch (error) {
    emit({
      step: 'failed',
      status: error instanceof CancelledError ? 'cancelled' : 'failed',
      log: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
}

/** Deletes the plan's objects that the wizard made; anything else is left alone. */
export async function removeMetallbObjects(
  kc: KubeConfig,
  plan: MetallbPlan,
  ctx: OperationContext,
): Promise<{ removed: string[] }> {
  const what = 'removing the MetalLB configuration';
  const client = new KubeClient(kc, { signal: ctx.signal, what });
  const emit = emitterOf(ctx, REMOVE);
  const removed: string[] = [];
  // Dependents first: the advertisement and peer name the pools.
  for (const o of [...plan.objects].reverse()) {
    throwIfCancelled(ctx.signal, what);
    if (!(await client.served(o.apiVersion, o.kind))) continue;
    const live = await client.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
    if (!live || !isOurs(live)) continue;
    const label = objectLabel(o);
    emit({ step: `object/${o.kind}/${o.metadata.name}`, status: 'running', log: `deleting ${label}` });
    await client.delete(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
    removed.push(label);
    emit({ step: `object/${o.kind}/${o.metadata.name}`, status: 'done', log: `deleted ${label}` });
  }
  // The password Secret the BGPPeer named goes with it (only when the wizard wrote it).
  const secret = await client.get('v1', 'Secret', BGP_PASSWORD_SECRET, METALLB_NAMESPACE);
  if (secret && isOurs(secret)) {
    await client.delete('v1', 'Secret', BGP_PASSWORD_SECRET, METALLB_NAMESPACE);
    removed.push(`Secret ${METALLB_NAMESPACE}/${BGP_PASSWORD_SECRET}`);
  }
  emit({ step: 'done', status: 'done', percent: 100, log: `removed ${removed.length} objects` });
  return { removed };
}

/**
 * The kubernetes.io/basic-auth Secret the plan's BGPPeer reads its MD5 password from. The
 * password appears in no message, event or return value.
 */
export async function applyBgpPasswordSecret(
  kc: KubeConfig,
  password: string,
  ctx: OperationContext,
): Promise<{ changed: boolean }> {
  const what = 'storing the BGP password';
  const client = new KubeClient(kc, { signal: ctx.signal, what });
  throwIfCancelled(ctx.signal, what);
  const encoded = Buffer.from(password, 'utf8').toString('base64');
  const label = `Secret ${METALLB_NAMESPACE}/${BGP_PASSWORD_SECRET}`;
  const live = await client.get('v1', 'Secret', BGP_PASSWORD_SECRET, METALLB_NAMESPACE);
  if (live && !isOurs(live)) {
    throw new UserError(
      `${client.server}: ${label} exists and was not made by the wizard; delete it or rename it, then apply again`,
    );
  }
  const step = `object/Secret/${BGP_PASSWORD_SECRET}`;
  if (live && asObj(live.data).password === encoded && live.type === 'kubernetes.io/basic-auth') {
    ctx.onProgress({
      operation: OPERATION,
      step,
      status: 'done',
      log: `${label} already holds the password`,
    });
    return { changed: false };
  }
  ctx.onProgress({
    operation: OPERATION,
    step,
    status: 'running',
    log: `storing the BGP password in ${label}`,
  });
  await client.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: BGP_PASSWORD_SECRET, namespace: METALLB_NAMESPACE, labels: { ...MANAGED_BY_LABELS } },
    type: 'kubernetes.io/basic-auth',
    data: { password: encoded },
  } as KubernetesObject);
  ctx.onProgress({ operation: OPERATION, step, status: 'done', log: `stored the BGP password in ${label}` });
  return { changed: true };
}
