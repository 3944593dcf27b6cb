// Discovery (/api, /apis, resource lists) and OpenAPI documents (/openapi/v2, /openapi/v3).
// kubectl needs OpenAPI before it applies anything: it checks that PATCH supports the
// fieldValidation parameter for each kind (found by x-kubernetes-group-version-kind).

import { createHash } from 'node:crypto';
import { apiVersionOf, sortVersions, type ResourceRegistry, type ResourceType } from './resources.ts';

type Obj = Record<string, unknown>;

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function coreVersions(serverAddress: string): Obj {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(name: string, versions: string[]): Obj {
  const sorted = sortVersions(versions);
  const gv = (v: string): Obj => ({ groupVersion: `${name}/${v}`, version: v });
  return { name, versions: sorted.map(gv), preferredVersion: gv(sorted[0] ?? '') };
}

export function groupList(registry: ResourceRegistry): Obj {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groupVersions()
      .filter((g) => g.group !== '')
      .map((g) => apiGroup(g.group, g.versions)),
  };
}

export function group(registry: ResourceRegistry, name: string): Obj | undefined {
  const found = registry.groupVersions().find((g) => g.group === name);
  return found ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(name, found.versions) } : undefined;
}

export function resourceList(
  registry: ResourceRegistry,
  groupName: string,
  version: string,
): Obj | undefined {
  const types = registry.all().filter((t) => t.group === groupName && t.version === version);
  if (types.length === 0) return undefined;
  const resources: Obj[] = [];
  for (const t of types) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: VERBS,
      ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length ? { categories: t.categories } : {}),
    });
    if (t.hasStatus) {
      resources.push({
        name: `${t.plural}/status`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group: groupName, version }),
    resources,
  };
}

// ---- OpenAPI --------------------------------------------------------------------------------

/** Schema name in the style Kubernetes uses (`io.k8s.api.core.v1.Service`, `io.metallb.v1beta1.IPAddressPool`). */
export function schemaName(t: ResourceType): string {
  if (t.crd) return `${t.group.split('.').reverse().join('.')}.${t.version}.${t.kind}`;
  const g = t.group === '' ? 'core' : (t.group.split('.')[0] ?? t.group);
  if (t.group === 'apiextensions.k8s.io')
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${t.version}.${t.kind}`;
  return `io.k8s.api.${g}.${t.version}.${t.kind}`;
}

function gvk(t: ResourceType): Obj {
  return { group: t.group, version: t.version, kind: t.kind };
}

function kindSchema(t: ResourceType): Obj {
  const base: Obj = t.schema
    ? structuredClone(t.schema)
    : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const props = (base.properties as Obj | undefined) ?? {};
  base.properties = {
    ...props,
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  };
  base.type = 'object';
  base['x-kubernetes-group-version-kind'] = [gvk(t)];
  return base;
}

function operations(t: ResourceType, ref: Obj, v3: boolean): Obj {
  const param = (name: string): Obj =>
    v3
      ? { name, in: 'query', schema: { type: 'string', uniqueItems: true } }
      : { name, in: 'query', type: 'string', uniqueItems: true };
  const body = v3
    ? { requestBody: { content: { '*/*': { schema: ref } }, required: true } }
    : { parameters: [{ name: 'body', in: 'body', required: true, schema: ref }] };
  const response = v3
    ? { 200: { description: 'OK', content: { 'application/json': { schema: ref } } } }
    : { 200: { description: 'OK', schema: ref } };
  const op = (action: string, params: string[], withBody: boolean): Obj => {
    const p = params.map(param);
    const o: Obj = {
      operationId: `${action}${t.kind}`,
      responses: response,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk(t),
      parameters: p,
    };
    if (withBody && v3) Object.assign(o, body);
    if (withBody && !v3) o.parameters = [...p, ...(body.parameters as Obj[])];
    return o;
  };
  return {
    get: op('get', ['pretty'], false),
    put: op('put', ['dryRun', 'fieldManager', 'fieldValidation'], true),
    patch: op('patch', ['dryRun', 'fieldManager', 'fieldValidation', 'force'], true),
    delete: op('delete', ['dryRun', 'gracePeriodSeconds'], false),
  };
}

function pathFor(t: ResourceType): string {
  const prefix = t.group === '' ? '/api/v1' : `/apis/${t.group}/${t.version}`;
  return t.namespaced
    ? `${prefix}/namespaces/{namespace}/${t.plural}/{name}`
    : `${prefix}/${t.plural}/{name}`;
}

export function openApiV3GroupVersion(
  registry: ResourceRegistry,
  groupName: string,
  version: string,
  k8sVersion: string,
): Obj | undefined {
  const types = registry.all().filter((t) => t.group === groupName && t.version === version);
  if (types.length === 0) return undefined;
  const schemas: Obj = {};
  const paths: Obj = {};
  for (const t of types) {
    schemas[schemaName(t)] = kindSchema(t);
    paths[pathFor(t)] = operations(t, { $ref: `#/components/schemas/${schemaName(t)}` }, true);
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: `v${k8sVersion}.0` },
    paths,
    components: { schemas },
  };
}

function hashOf(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 64).toUpperCase();
}

/** The v3 index; hashes change when a group-version's content changes so kubectl's cache refreshes. */
export function openApiV3Index(registry: ResourceRegistry, k8sVersion: string): Obj {
  const paths: Obj = {};
  for (const { group: g, versions } of registry.groupVersions()) {
    for (const v of versions) {
      const rel = g === '' ? 'api/v1' : `apis/${g}/${v}`;
      const doc = openApiV3GroupVersion(registry, g, v, k8sVersion);
      paths[rel] = { serverRelativeURL: `/openapi/v3/${rel}?hash=${hashOf(doc)}` };
    }
  }
  return { paths };
}

export function openApiV2(registry: ResourceRegistry, k8sVersion: string): Obj {
  const definitions: Obj = {};
  const paths: Obj = {};
  for (const t of registry.all()) {
    definitions[schemaName(t)] = kindSchema(t);
    paths[pathFor(t)] = operations(t, { $ref: `#/definitions/${schemaName(t)}` }, false);
  }
  return { swagger: '2.0', info: { title: 'Kubernetes', version: `v${k8sVersion}.0` }, paths, definitions };
}
