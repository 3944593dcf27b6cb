// The API server's verbs over the object store: get, list, create, update, patch (apply, merge,
// strategic, json), delete with garbage collection. Admission (schema validation, MetalLB's
// webhook, namespace existence) runs as pluggable checks, as in a real server.

import { ApiError, alreadyExists, badRequest, conflict, invalid, notFound } from './status.ts';
import {
  applyJsonPatch,
  applyMergePatch,
  conflictMessage,
  deepEqual,
  recordUpdate,
  serverSideApply,
} from './fields.ts';
import { apiVersionOf, resourceKey, type ResourceRegistry, type ResourceType } from './resources.ts';
import type { KubeObject, ObjectStore } from './store.ts';
import { matchesFields, matchesLabels } from './selectors.ts';
import { parse as parseYaml } from 'yaml';

/** Default for how long a Terminating namespace waits for clients to delete its contents. */
export const DEFAULT_NAMESPACE_TERMINATION_GRACE_MS = 5000;

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionRequest {
  operation: Operation;
  type: ResourceType;
  object: KubeObject;
  oldObject?: KubeObject;
  /** The request's fieldValidation (Strict, Warn, Ignore). */
  fieldValidation?: string;
}

/** Throws an ApiError to refuse the write; may mutate `object` to set defaults. */
export type AdmissionCheck = (req: AdmissionRequest) => void;

export interface WriteOptions {
  fieldManager?: string;
  userAgent?: string;
  force?: boolean;
  subresource?: string;
  fieldValidation?: string;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Default manager name, as the API server derives it from the User-Agent (`kubectl/v1.32 …` → `kubectl`). */
function managerName(opts: WriteOptions): string {
  if (opts.fieldManager) return opts.fieldManager;
  const ua = opts.userAgent ?? 'unknown';
  return ua.split('/')[0] || 'unknown';
}

function specOf(obj: Obj): unknown {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

export interface KubeApiOptions {
  /**
   * How long a Terminating namespace keeps contents that nobody deletes, counted from the last
   * deletion inside it; then the namespace and what is left in it are removed.
   */
  namespaceTerminationGraceMs?: number;
}

export class KubeApi {
  readonly registry: ResourceRegistry;
  readonly store: ObjectStore;
  private readonly admission: AdmissionCheck[] = [];
  private readonly terminationGraceMs: number;
  /** Purge timers of Terminating namespaces, by namespace name. */
  private readonly terminations = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribeStore: () => void;

  constructor(registry: ResourceRegistry, store: ObjectStore, opts: KubeApiOptions = {}) {
    this.registry = registry;
    this.store = store;
    this.terminationGraceMs = opts.namespaceTerminationGraceMs ?? DEFAULT_NAMESPACE_TERMINATION_GRACE_MS;
    // Contents also go away through garbage collection and controllers, not only client deletes.
    this.unsubscribeStore = store.onEvent((e) => {
      const ns = e.object.metadata.namespace;
      if (e.type === 'DELETED' && ns && this.terminations.has(ns)) this.progressTermination(ns);
    });
  }

  /** Stops pending namespace terminations (the emulator is shutting down). */
  close(): void {
    this.unsubscribeStore();
    for (const timer of this.terminations.values()) clearTimeout(timer);
    this.terminations.clear();
  }

  addAdmission(check: AdmissionCheck): void {
    this.admission.push(check);
  }

  /** The object as served at the requested version. */
  present(type: ResourceType, obj: KubeObject): KubeObject {
    return { ...obj, apiVersion: apiVersionOf(type), kind: type.kind };
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const obj = this.store.get(resourceKey(type), type.namespaced ? namespace : undefined, name);
    if (!obj) throw notFound(type.plural, type.group, name);
    return this.present(type, obj);
  }

  list(
    type: ResourceType,
    namespace: string | undefined,
    labelSelector?: string,
    fieldSelector?: string,
  ): KubeObject[] {
    return this.store
      .list(resourceKey(type), type.namespaced ? namespace : undefined)
      .filter((o) => matchesLabels(o.metadata.labels, labelSelector) && matchesFields(o, fieldSelector))
      .map((o) => this.present(type, o));
  }

  listObject(type: ResourceType, items: KubeObject[]): Obj {
    return {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: String(this.store.currentRevision()) },
      items,
    };
  }

  private checkBody(
    type: ResourceType,
    namespace: string | undefined,
    body: unknown,
    name?: string,
  ): KubeObject {
    if (!isObj(body)) throw badRequest(`the request body must be a ${type.kind} object`);
    const meta = isObj(body.metadata) ? body.metadata : {};
    const bodyName = typeof meta.name === 'string' ? meta.name : '';
    if (name !== undefined && bodyName && bodyName !== name) {
      throw badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`);
    }
    const finalName = bodyName || name || '';
    if (!finalName) {
      throw invalid(type.kind, type.group, '', [
        {
          reason: 'FieldValueRequired',
          message: 'Required value: name or generateName is required',
          field: 'metadata.name',
        },
      ]);
    }
    if (body.kind !== undefined && body.kind !== type.kind) {
      throw badRequest(
        `the object kind "${String(body.kind)}" does not match the URL's resource ${type.plural} (kind ${type.kind})`,
      );
    }
    const ns = type.namespaced
      ? (namespace ?? (typeof meta.namespace === 'string' ? meta.namespace : 'default'))
      : undefined;
    if (type.namespaced && namespace && typeof meta.namespace === 'string' && meta.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const out = structuredClone(body) as KubeObject;
    out.metadata = { ...(meta as Obj), name: finalName } as KubeObject['metadata'];
    if (ns) out.metadata.namespace = ns;
    else delete out.metadata.namespace;
    out.apiVersion = apiVersionOf(type);
    out.kind = type.kind;
    return out;
  }

  private admit(req: AdmissionRequest): void {
    for (const check of this.admission) check(req);
  }

  private requireNamespace(type: ResourceType, ns: string | undefined, name: string): void {
    if (!type.namespaced || !ns) return;
    const found = this.store.get('/namespaces', undefined, ns);
    if (!found) throw notFound('namespaces', '', ns);
    if (found.metadata.deletionTimestamp) {
      // The NamespaceLifecycle admission plugin's refusal, cause included, as clients parse it.
      throw new ApiError(
        403,
        'Forbidden',
        `${type.plural}${type.group ? `.${type.group}` : ''} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        {
          name,
          group: type.group,
          kind: type.plural,
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${ns} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      );
    }
  }

  create(
    type: ResourceType,
    namespace: string | undefined,
    body: unknown,
    opts: WriteOptions = {},
  ): KubeObject {
    const obj = this.checkBody(type, namespace, body);
    return this.createChecked(type, obj, opts);
  }

  private createChecked(
    type: ResourceType,
    obj: KubeObject,
    opts: WriteOptions,
    managedAlready = false,
  ): KubeObject {
    const key = resourceKey(type);
    if (this.store.get(key, obj.metadata.namespace, obj.metadata.name)) {
      throw alreadyExists(type.plural, type.group, obj.metadata.name);
    }
    this.requireNamespace(type, obj.metadata.namespace, obj.metadata.name);
    for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'generation'] as const)
      delete obj.metadata[f];
    if (
      type.hasStatus &&
      !type.crd &&
      type.plural !== 'namespaces' &&
      type.plural !== 'customresourcedefinitions'
    ) {
      // Built-in controllers own status; a client's status on create is dropped as on a real server.
      delete obj.status;
    }
    obj.metadata.generation = 1;
    this.admit({ operation: 'CREATE', type, object: obj, fieldValidation: opts.fieldValidation });
    if (!managedAlready)
      recordUpdate(undefined, obj, {
        manager: managerName(opts),
        apiVersion: apiVersionOf(type),
        skipStatus: type.hasStatus,
      });
    return this.present(type, this.store.create(key, obj));
  }

  update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
  ): KubeObject {
    const obj = this.checkBody(type, namespace, body, name);
    const key = resourceKey(type);
    const old = this.store.get(key, obj.metadata.namespace, name);
    if (!old) throw notFound(type.plural, type.group, name);
    const rv = obj.metadata.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) {
      throw conflict(
        type.plural,
        type.group,
        name,
        `Operation cannot be fulfilled on ${type.group ? `${type.plural}.${type.group}` : type.plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    return this.replaceWith(type, old, obj, opts);
  }

  /** Stores `obj` over `old` as an update by the request's field manager (PUT and non-apply PATCH). */
  private replaceWith(type: ResourceType, old: KubeObject, obj: KubeObject, opts: WriteOptions): KubeObject {
    const next = this.mergeSubresource(type, old, obj, opts.subresource);
    recordUpdate(old, next, {
      manager: managerName(opts),
      apiVersion: apiVersionOf(type),
      skipStatus: type.hasStatus,
    });
    return this.commitUpdate(type, old, next, opts);
  }

  /** A write to /status changes only status; a write to the main resource keeps status. */
  private mergeSubresource(
    type: ResourceType,
    old: KubeObject,
    obj: KubeObject,
    subresource?: string,
  ): KubeObject {
    if (subresource === 'status') return { ...old, status: obj.status };
    if (type.hasStatus) {
      const next = { ...obj };
      if (old.status !== undefined) next.status = old.status;
      else delete next.status;
      return next;
    }
    return obj;
  }

  private commitUpdate(
    type: ResourceType,
    old: KubeObject,
    next: KubeObject,
    opts: WriteOptions,
  ): KubeObject {
    next.metadata.uid = old.metadata.uid;
    next.metadata.creationTimestamp = old.metadata.creationTimestamp;
    const gen = old.metadata.generation ?? 1;
    next.metadata.generation = deepEqual(specOf(old), specOf(next)) ? gen : gen + 1;
    this.admit({
      operation: 'UPDATE',
      type,
      object: next,
      oldObject: old,
      fieldValidation: opts.fieldValidation,
    });
    if (
      deepEqual(old, {
        ...next,
        metadata: { ...next.metadata, resourceVersion: old.metadata.resourceVersion },
      })
    ) {
      return this.present(type, old);
    }
    return this.present(type, this.store.update(resourceKey(type), next));
  }

  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    rawBody: string,
    contentType: string,
    opts: WriteOptions = {},
  ): KubeObject {
    const key = resourceKey(type);
    const ns = type.namespaced ? namespace : undefined;
    const old = this.store.get(key, ns, name);
    const ct = contentType.split(';')[0]?.trim() ?? '';
    if (ct === 'application/apply-patch+yaml') return this.apply(type, ns, name, rawBody, old, opts);
    if (!old) throw notFound(type.plural, type.group, name);
    let patchDoc: unknown;
    try {
      patchDoc = JSON.parse(rawBody);
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    let patched: unknown;
    if (ct === 'application/json-patch+json') patched = applyJsonPatch(old, patchDoc);
    else if (ct === 'application/merge-patch+json' || ct === 'application/strategic-merge-patch+json') {
      patched = applyMergePatch(old, patchDoc);
    } else {
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
    }
    const obj = this.checkBody(type, ns, patched, name);
    return this.replaceWith(type, old, obj, opts);
  }

  private apply(
    type: ResourceType,
    ns: string | undefined,
    name: string,
    rawBody: string,
    old: KubeObject | undefined,
    opts: WriteOptions,
  ): KubeObject {
    if (!opts.fieldManager) {
      throw badRequest(
        'PATCH requests with apply content type (application/apply-patch+yaml) must have the fieldManager query parameter set',
      );
    }
    let doc: unknown;
    try {
      doc = parseYaml(rawBody);
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
    if (!isObj(doc)) throw badRequest('the apply body must be a YAML or JSON object');
    if (doc.apiVersion !== undefined && doc.apiVersion !== apiVersionOf(type)) {
      throw badRequest(
        `apiVersion "${String(doc.apiVersion)}" in the body does not match the URL's ${apiVersionOf(type)}`,
      );
    }
    const applied = this.checkBody(type, ns, doc, name);
    const skipStatus = type.hasStatus && opts.subresource !== 'status';
    const outcome = serverSideApply(old, applied, {
      manager: opts.fieldManager,
      force: opts.force ?? false,
      apiVersion: apiVersionOf(type),
      skipStatus,
    });
    if ('conflicts' in outcome) {
      const err = conflict(type.plural, type.group, name, conflictMessage(outcome.conflicts));
      err.details!.causes = outcome.conflicts.map((c) => ({
        reason: 'FieldManagerConflict',
        message: `conflict with "${c.manager}" using ${c.apiVersion}`,
        field: c.field,
      }));
      throw err;
    }
    const result = outcome.result as KubeObject;
    result.apiVersion = apiVersionOf(type);
    result.kind = type.kind;
    if (!old) return this.createChecked(type, result, opts, true);
    return this.commitUpdate(type, old, result, opts);
  }

  delete(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const ns = type.namespaced ? namespace : undefined;
    const old = this.store.get(resourceKey(type), ns, name);
    if (!old) throw notFound(type.plural, type.group, name);
    this.admit({ operation: 'DELETE', type, object: old });
    if (type.group === '' && type.plural === 'namespaces')
      return this.present(type, this.terminateNamespace(old));
    const gone = this.store.delete(resourceKey(type), ns, name);
    if (gone) this.collectGarbage(gone, type);
    return this.present(type, gone ?? old);
  }

  /**
   * Namespaces terminate as the namespace controller finishes them: the object stays Terminating
   * (its contents still readable and deletable, new content refused) until it is empty, so
   * `kubectl delete -f` of a manifest that starts with its Namespace still finds every object that
   * follows it, however slow the client. Contents nobody deletes are purged after the grace.
   */
  private terminateNamespace(ns: KubeObject): KubeObject {
    if (ns.metadata.deletionTimestamp) return ns;
    const terminating = this.store.update('/namespaces', {
      ...ns,
      metadata: { ...ns.metadata, deletionTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
      status: { phase: 'Terminating' },
    });
    this.progressTermination(ns.metadata.name);
    return terminating;
  }

  private namespaceIsEmpty(ns: string): boolean {
    return this.store.resources().every((r) => this.store.list(r, ns).length === 0);
  }

  /** Removes the namespace once it is empty; otherwise (re)starts the grace before the purge. */
  private progressTermination(ns: string): void {
    clearTimeout(this.terminations.get(ns));
    if (this.namespaceIsEmpty(ns)) {
      this.finishTermination(ns);
      return;
    }
    const timer = setTimeout(() => this.finishTermination(ns), this.terminationGraceMs);
    timer.unref();
    this.terminations.set(ns, timer);
  }

  private finishTermination(ns: string): void {
    clearTimeout(this.terminations.get(ns));
    this.terminations.delete(ns);
    const gone = this.store.delete('/namespaces', undefined, ns);
    const nsType = this.registry.anyVersion('', 'namespaces');
    if (gone && nsType) this.collectGarbage(gone, nsType);
  }

  /** Deletes what the removed object owned: dependents by ownerReference, a namespace's contents. */
  private collectGarbage(gone: KubeObject, type: ResourceType): void {
    const uid = gone.metadata.uid;
    for (const resource of this.store.resources()) {
      for (const o of this.store.list(resource)) {
        const owned = (o.metadata.ownerReferences ?? []).some((r) => r.uid === uid);
        const inNamespace =
          type.plural === 'namespaces' && type.group === '' && o.metadata.namespace === gone.metadata.name;
        if (owned || inNamespace) {
          const dependent = this.store.delete(resource, o.metadata.namespace, o.metadata.name);
          const [group = '', plural = ''] = resource.split('/');
          const depType = this.registry.anyVersion(group, plural);
          if (dependent && depType) this.collectGarbage(dependent, depType);
        }
      }
    }
  }
}
