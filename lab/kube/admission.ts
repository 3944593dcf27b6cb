// Admission the emulated server performs itself: defaults for built-in kinds (Service cluster IPs,
// Namespace labels), CRDs established at once, and custom resources validated against their
// openAPIV3Schema (with defaults applied) as the apiextensions server does.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { badRequest, invalid, type StatusCause } from './status.ts';
import type { AdmissionRequest } from './api.ts';
import type { ObjectStore } from './store.ts';
import type { ResourceType } from './resources.ts';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// ajv-formats ships as CommonJS; under native ESM its default export may be wrapped once more.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  a: Ajv,
) => Ajv;

export class SchemaValidator {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, { schema: unknown; fn: ValidateFunction }>();

  constructor() {
    this.ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true, validateFormats: true });
    addFormats(this.ajv);
  }

  /**
   * Drops fields the schema does not declare, as the apiextensions server prunes them; with
   * fieldValidation=Strict an unknown field is an error instead.
   */
  prune(type: ResourceType, obj: Obj, strict: boolean): void {
    if (!type.schema) return;
    const unknown: string[] = [];
    const props = isObj(type.schema.properties) ? type.schema.properties : {};
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
      const sub = props[k];
      if (isObj(sub)) collectUnknown(sub, v, k, unknown, !strict);
      else if (type.schema['x-kubernetes-preserve-unknown-fields'] !== true) {
        unknown.push(k);
        if (!strict) delete obj[k];
      }
    }
    if (strict && unknown.length > 0) {
      const list = unknown.map((f) => `unknown field "${f}"`).join(', ');
      throw badRequest(
        `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${list}`,
      );
    }
  }

  validate(type: ResourceType, obj: Obj): void {
    if (!type.schema) return;
    const cacheKey = `${type.group}/${type.version}/${type.plural}`;
    let entry = this.cache.get(cacheKey);
    if (!entry || entry.schema !== type.schema) {
      entry = { schema: type.schema, fn: this.ajv.compile(withoutMetadataRules(type.schema)) };
      this.cache.set(cacheKey, entry);
    }
    const valid = entry.fn as ((data: unknown) => boolean) & ValidateFunction;
    if (valid(obj)) return;
    const causes = (entry.fn.errors ?? []).map((e) => causeOf(e, obj));
    throw invalid(type.kind, type.group, String((obj.metadata as Obj | undefined)?.name ?? ''), causes);
  }
}

function collectUnknown(schema: Obj, value: unknown, path: string, out: string[], prune: boolean): void {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(value) && isObj(schema.items)) {
    value.forEach((item, i) => collectUnknown(schema.items as Obj, item, `${path}[${i}]`, out, prune));
    return;
  }
  if (!isObj(value)) return;
  const props = isObj(schema.properties) ? schema.properties : undefined;
  const additional = schema.additionalProperties;
  for (const [k, v] of Object.entries(value)) {
    const declared = props?.[k];
    if (isObj(declared)) collectUnknown(declared, v, `${path}.${k}`, out, prune);
    else if (isObj(additional)) collectUnknown(additional, v, `${path}.${k}`, out, prune);
    else if (props && additional !== true) {
      out.push(`${path}.${k}`);
      if (prune) delete value[k];
    }
  }
}

/** The server validates metadata itself; CRD schemas only say it is an object. */
function withoutMetadataRules(schema: Obj): Obj {
  const copy = structuredClone(schema);
  if (isObj(copy.properties)) copy.properties.metadata = { type: 'object' };
  return copy;
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function valueAtPointer(obj: unknown, pointer: string): unknown {
  let cur = obj;
  for (const seg of pointer.split('/').filter(Boolean)) {
    cur = isObj(cur) ? cur[seg] : Array.isArray(cur) ? cur[Number(seg)] : undefined;
  }
  return cur;
}

function causeOf(e: ErrorObject, obj: Obj): StatusCause {
  const segs = e.instancePath.split('/').filter(Boolean);
  const field = segs
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
  const value = valueAtPointer(obj, e.instancePath);
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty?: string }).missingProperty ?? '');
    const f = field ? `${field}.${missing}` : missing;
    return { reason: 'FieldValueRequired', message: 'Required value', field: f };
  }
  if (e.keyword === 'type') {
    const t = typeName(value);
    return {
      reason: 'FieldValueTypeInvalid',
      message: `Invalid value: "${t}": ${field} in body must be of type ${String((e.params as { type?: unknown }).type)}: "${t}"`,
      field,
    };
  }
  if (e.keyword === 'enum') {
    const allowed = ((e.params as { allowedValues?: unknown[] }).allowedValues ?? [])
      .map((v) => JSON.stringify(v))
      .join(', ');
    return {
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed}`,
      field,
    };
  }
  return {
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${JSON.stringify(value)}: ${field} in body ${e.message ?? 'is invalid'}`,
    field,
  };
}

// ---- defaults for built-in kinds ------------------------------------------------------------

export class ClusterIpAllocator {
  private next = 2;
  private readonly store: ObjectStore;

  constructor(store: ObjectStore) {
    this.store = store;
  }

  /** A free address in 10.96.0.0/16 (10.96.0.1 is the kubernetes Service). */
  allocate(): string {
    const used = new Set(
      this.store.list('/services').map((s) => String((s.spec as Obj | undefined)?.clusterIP ?? '')),
    );
    for (let i = 0; i < 65000; i++) {
      const n = this.next++;
      if (this.next > 65000) this.next = 2;
      const ip = `10.96.${Math.floor(n / 256)}.${n % 256}`;
      if (n % 256 !== 0 && n % 256 !== 255 && !used.has(ip)) return ip;
    }
    throw new Error('service cluster IP range 10.96.0.0/16 is exhausted');
  }
}

function defaultService(req: AdmissionRequest, ips: ClusterIpAllocator, nodePorts: () => number): void {
  const spec: Obj = isObj(req.object.spec) ? req.object.spec : {};
  req.object.spec = spec;
  const old = isObj(req.oldObject?.spec) ? (req.oldObject.spec as Obj) : undefined;
  spec.type ??= 'ClusterIP';
  if (spec.type !== 'ExternalName') {
    spec.clusterIP ??= (old?.clusterIP as string | undefined) ?? ips.allocate();
    spec.clusterIPs ??= [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  spec.sessionAffinity ??= 'None';
  spec.internalTrafficPolicy ??= 'Cluster';
  const external = spec.type === 'LoadBalancer' || spec.type === 'NodePort';
  if (external) spec.externalTrafficPolicy ??= 'Cluster';
  const oldPorts = Array.isArray(old?.ports) ? (old.ports as Obj[]) : [];
  if (Array.isArray(spec.ports)) {
    spec.ports = (spec.ports as Obj[]).map((p, i) => {
      const port: Obj = { protocol: 'TCP', ...p };
      port.targetPort ??= port.port;
      if (external) port.nodePort ??= oldPorts[i]?.nodePort ?? nodePorts();
      return port;
    });
  }
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined)
    spec.allocateLoadBalancerNodePorts = true;
  if (!isObj(req.object.status))
    req.object.status = (req.oldObject?.status as Obj | undefined) ?? { loadBalancer: {} };
}

function establishCrd(obj: Obj): void {
  const names = isObj(obj.spec) && isObj(obj.spec.names) ? obj.spec.names : {};
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const cond = (type: string, reason: string, message: string): Obj => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  obj.status = {
    acceptedNames: names,
    conditions: [
      cond('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      cond('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    storedVersions: ((isObj(obj.spec) && Array.isArray(obj.spec.versions) ? obj.spec.versions : []) as Obj[])
      .filter((v) => v.storage)
      .map((v) => String(v.name)),
  };
}

export function builtinDefaults(store: ObjectStore): (req: AdmissionRequest) => void {
  const ips = new ClusterIpAllocator(store);
  let nodePort = 30000 + Math.floor(Math.random() * 2000);
  const nextNodePort = (): number => (nodePort = nodePort >= 32767 ? 30000 : nodePort + 1);
  return (req) => {
    if (req.operation === 'DELETE') return;
    const key = `${req.type.group}/${req.type.plural}`;
    const obj = req.object;
    if (key === '/namespaces') {
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
      obj.spec = { finalizers: ['kubernetes'], ...(isObj(obj.spec) ? obj.spec : {}) };
      obj.status = { phase: 'Active' };
    } else if (key === '/services') {
      defaultService(req, ips, nextNodePort);
    } else if (key === 'apiextensions.k8s.io/customresourcedefinitions') {
      establishCrd(obj);
    } else if (key === 'apps/deployments' && isObj(obj.spec)) {
      obj.spec.replicas ??= 1;
      obj.spec.strategy ??= {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      };
      obj.spec.revisionHistoryLimit ??= 10;
      obj.spec.progressDeadlineSeconds ??= 600;
    } else if (key === 'apps/daemonsets' && isObj(obj.spec)) {
      // `kubectl rollout status` only follows DaemonSets with the RollingUpdate strategy.
      obj.spec.updateStrategy ??= {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
      };
      obj.spec.revisionHistoryLimit ??= 10;
    }
  };
}
