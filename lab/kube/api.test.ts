// HTTP-level behaviour of the emulator: auth, Status errors, CRUD and patch flavours, SSA
// conflicts, CRD registration and validation, watch streams and injected faults.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpsRequest } from 'node:https';
import { startKubeEmulator, type KubeEmulator } from './index.ts';
import { kubeRequest } from './testing.ts';

const POOLS = '/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools';
const APPLY = 'application/apply-patch+yaml';

const poolCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'ipaddresspools.metallb.io' },
  spec: {
    group: 'metallb.io',
    scope: 'Namespaced',
    names: {
      kind: 'IPAddressPool',
      plural: 'ipaddresspools',
      singular: 'ipaddresspool',
      listKind: 'IPAddressPoolList',
    },
    versions: [
      {
        name: 'v1beta1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['addresses'],
                properties: {
                  addresses: { type: 'array', items: { type: 'string' } },
                  autoAssign: { type: 'boolean', default: true },
                },
              },
            },
          },
        },
      },
    ],
  },
};

describe('Kubernetes API emulator over HTTPS', () => {
  let emu: KubeEmulator;

  beforeAll(async () => {
    emu = await startKubeEmulator({
      stateDir: mkdtempSync(join(tmpdir(), 'kube-emu-')),
      nodes: [{ name: 'worker1', address: '10.77.1.11' }],
      readinessDelayMs: 0,
    });
    await kubeRequest(emu, 'POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'metallb-system' } },
    });
  });
  afterAll(async () => {
    await emu?.stop();
  });

  it('rejects a wrong bearer token with a 401 Status, and serves /version anonymously', async () => {
    const bad = await kubeRequest(emu, 'GET', '/api/v1/nodes', { token: 'wrong' });
    expect(bad.status).toBe(401);
    expect(bad.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
    const anonymous = await kubeRequest(emu, 'GET', '/api/v1/nodes', { token: null });
    expect(anonymous.status).toBe(401);
    const version = await kubeRequest(emu, 'GET', '/version', { token: null });
    expect(version.json.gitVersion).toBe('v1.30.0');
  });

  it('answers 404 for a kind it does not serve, and NotFound Status for a missing object', async () => {
    const psp = await kubeRequest(emu, 'GET', '/apis/policy/v1beta1/podsecuritypolicies');
    expect(psp.status).toBe(404);
    const missing = await kubeRequest(emu, 'DELETE', '/api/v1/namespaces/default/configmaps/nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'configmaps "nope" not found',
      code: 404,
    });
  });

  it('decodes percent-encoded names in the URL (client-node sends ":" as %3a)', async () => {
    const path = '/apis/rbac.authorization.k8s.io/v1/clusterroles/metallb-system%3acontroller';
    const applied = await kubeRequest(emu, 'PATCH', `${path}?fieldManager=test`, {
      contentType: 'application/apply-patch+yaml',
      body: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'metallb-system:controller' },
        rules: [],
      },
    });
    expect(applied.status).toBe(201);
    const read = await kubeRequest(emu, 'GET', path);
    expect(read.status).toBe(200);
    expect(read.json.metadata).toMatchObject({ name: 'metallb-system:controller' });
    const malformed = await kubeRequest(emu, 'GET', '/api/v1/namespaces/default/configmaps/bad%zz');
    expect(malformed.status).toBe(404);
  });

  it('creates, gets, lists by label, merge-patches, json-patches and deletes', async () => {
    const base = '/api/v1/namespaces/default/configmaps';
    const created = await kubeRequest(emu, 'POST', base, {
      body: { metadata: { name: 'c1', labels: { tier: 'a' } }, data: { x: '1' } },
    });
    expect(created.status).toBe(201);
    expect(created.json.metadata).toMatchObject({
      name: 'c1',
      namespace: 'default',
      resourceVersion: expect.any(String),
      uid: expect.any(String),
    });
    const again = await kubeRequest(emu, 'POST', base, { body: { metadata: { name: 'c1' } } });
    expect(again.json).toMatchObject({ reason: 'AlreadyExists', code: 409 });
    await kubeRequest(emu, 'POST', base, { body: { metadata: { name: 'c2', labels: { tier: 'b' } } } });
    const listed = await kubeRequest(
      emu,
      'GET',
      `${base}?labelSelector=${encodeURIComponent('tier in (a)')}`,
    );
    expect((listed.json.items as { metadata: { name: string } }[]).map((i) => i.metadata.name)).toEqual([
      'c1',
    ]);
    const merged = await kubeRequest(emu, 'PATCH', `${base}/c1`, {
      body: { data: { y: '2', x: null } },
      contentType: 'application/merge-patch+json',
    });
    expect(merged.json.data).toEqual({ y: '2' });
    const jsonPatched = await kubeRequest(emu, 'PATCH', `${base}/c1`, {
      body: [{ op: 'add', path: '/data/z', value: '3' }],
      contentType: 'application/json-patch+json',
    });
    expect(jsonPatched.json.data).toEqual({ y: '2', z: '3' });
    expect(
      Number((jsonPatched.json.metadata as { resourceVersion: string }).resourceVersion),
    ).toBeGreaterThan(Number((created.json.metadata as { resourceVersion: string }).resourceVersion));
    const stale = await kubeRequest(emu, 'PUT', `${base}/c1`, {
      body: { metadata: { name: 'c1', resourceVersion: '1' }, data: {} },
    });
    expect(stale.json).toMatchObject({ reason: 'Conflict', code: 409 });
    expect((await kubeRequest(emu, 'DELETE', `${base}/c1`)).status).toBe(200);
    expect((await kubeRequest(emu, 'GET', `${base}/c1`)).status).toBe(404);
  });

  it('refuses apply without fieldManager, and reports an SSA conflict naming the field and manager', async () => {
    const path = '/api/v1/namespaces/default/configmaps/owned';
    const doc = (v: string): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owned\ndata:\n  mode: ${v}\n`;
    expect((await kubeRequest(emu, 'PATCH', path, { body: doc('a'), contentType: APPLY })).status).toBe(400);
    const first = await kubeRequest(emu, 'PATCH', `${path}?fieldManager=wizard`, {
      body: doc('a'),
      contentType: APPLY,
    });
    expect(first.status).toBe(201);
    const clash = await kubeRequest(emu, 'PATCH', `${path}?fieldManager=other&force=false`, {
      body: doc('b'),
      contentType: APPLY,
    });
    expect(clash.status).toBe(409);
    expect(clash.json).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "wizard" using v1: .data.mode',
      details: { causes: [{ reason: 'FieldManagerConflict', field: '.data.mode' }] },
    });
    const same = await kubeRequest(emu, 'PATCH', `${path}?fieldManager=other`, {
      body: doc('a'),
      contentType: APPLY,
    });
    expect(same.status).toBe(200);
    const forced = await kubeRequest(emu, 'PATCH', `${path}?fieldManager=other&force=true`, {
      body: doc('b'),
      contentType: APPLY,
    });
    expect(forced.status).toBe(200);
    expect(forced.json.data).toEqual({ mode: 'b' });
    const managers = (forced.json.metadata as { managedFields: { manager: string; fieldsV1: unknown }[] })
      .managedFields;
    expect(managers.map((m) => m.manager)).toEqual(['other']);
    // The manager that lost its only field, then stops applying it, leaves it in place for the new owner.
    const dropped = await kubeRequest(emu, 'PATCH', `${path}?fieldManager=wizard`, {
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owned\n',
      contentType: APPLY,
    });
    expect(dropped.json.data).toEqual({ mode: 'b' });
  });

  it('registers a CRD at once (Established, discovery, OpenAPI), validates and defaults its resources', async () => {
    const crd = await kubeRequest(emu, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      body: poolCrd,
    });
    expect(crd.status).toBe(201);
    const conditions = (crd.json.status as { conditions: { type: string; status: string }[] }).conditions;
    expect(conditions).toContainEqual(expect.objectContaining({ type: 'Established', status: 'True' }));
    const groups = await kubeRequest(emu, 'GET', '/apis');
    expect(JSON.stringify(groups.json)).toContain('"metallb.io/v1beta1"');
    const resources = await kubeRequest(emu, 'GET', '/apis/metallb.io/v1beta1');
    expect(resources.json.resources).toContainEqual(
      expect.objectContaining({ name: 'ipaddresspools', kind: 'IPAddressPool', namespaced: true }),
    );
    const index = await kubeRequest(emu, 'GET', '/openapi/v3');
    const ref = (index.json.paths as Record<string, { serverRelativeURL: string }>)[
      'apis/metallb.io/v1beta1'
    ];
    expect(ref?.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/metallb\.io\/v1beta1\?hash=/);
    const gvDoc = await kubeRequest(emu, 'GET', ref!.serverRelativeURL);
    const schema = (gvDoc.json.components as { schemas: Record<string, Record<string, unknown>> }).schemas[
      'io.metallb.v1beta1.IPAddressPool'
    ];
    expect(schema?.['x-kubernetes-group-version-kind']).toEqual([
      { group: 'metallb.io', version: 'v1beta1', kind: 'IPAddressPool' },
    ]);

    const bad = await kubeRequest(emu, 'POST', POOLS, {
      body: {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'IPAddressPool',
        metadata: { name: 'bad' },
        spec: { addresses: '10.0.0.0/24' },
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      code: 422,
      details: {
        kind: 'IPAddressPool',
        group: 'metallb.io',
        causes: [expect.objectContaining({ field: 'spec.addresses', reason: 'FieldValueTypeInvalid' })],
      },
    });
    expect(String(bad.json.message)).toContain('IPAddressPool.metallb.io "bad" is invalid: spec.addresses');
    const missing = await kubeRequest(emu, 'POST', POOLS, {
      body: { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'bad2' }, spec: {} },
    });
    expect(missing.json).toMatchObject({
      code: 422,
      details: {
        causes: [expect.objectContaining({ field: 'spec.addresses', reason: 'FieldValueRequired' })],
      },
    });

    const good = await kubeRequest(emu, 'POST', POOLS, {
      body: {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'IPAddressPool',
        metadata: { name: 'ok' },
        spec: { addresses: ['10.77.100.32/27'] },
      },
    });
    expect(good.status).toBe(201);
    expect(good.json.spec).toEqual({ addresses: ['10.77.100.32/27'], autoAssign: true });

    // Unknown fields are pruned, or refused with fieldValidation=Strict (what kubectl sends).
    const typo = {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'typo' },
      spec: { addresses: ['10.0.0.1/32'], autoassign: false },
    };
    const strict = await kubeRequest(emu, 'POST', `${POOLS}?fieldValidation=Strict`, { body: typo });
    expect(strict.status).toBe(400);
    expect(strict.json).toMatchObject({
      reason: 'BadRequest',
      message: expect.stringContaining('strict decoding error: unknown field "spec.autoassign"'),
    });
    const pruned = await kubeRequest(emu, 'POST', POOLS, { body: typo });
    expect(pruned.json.spec).toEqual({ addresses: ['10.0.0.1/32'], autoAssign: true });
    expect(
      (
        await kubeRequest(
          emu,
          'DELETE',
          '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/ipaddresspools.metallb.io',
        )
      ).status,
    ).toBe(200);
    expect((await kubeRequest(emu, 'GET', POOLS)).status).toBe(404);
    expect(emu.store.raw.list('metallb.io/ipaddresspools')).toEqual([]);
  });

  it('streams watch events as JSON lines from a resourceVersion', async () => {
    const base = '/api/v1/namespaces/default/secrets';
    const list = await kubeRequest(emu, 'GET', base);
    const rv = (list.json.metadata as { resourceVersion: string }).resourceVersion;
    await kubeRequest(emu, 'POST', base, { body: { metadata: { name: 's1' }, stringData: { a: 'b' } } });
    const lines = await new Promise<string[]>((resolve, reject) => {
      const url = new URL(`${base}?watch=true&resourceVersion=${rv}&timeoutSeconds=5`, emu.url);
      const req = httpsRequest(
        url,
        { headers: { Authorization: `Bearer ${emu.token}` }, ca: emu.caPem },
        (res) => {
          let buf = '';
          res.on('data', (c: Buffer) => {
            buf += c.toString();
            const got = buf.split('\n').filter(Boolean);
            if (got.length === 1) void kubeRequest(emu, 'DELETE', `${base}/s1`);
            if (got.length >= 2) {
              req.destroy();
              resolve(got);
            }
          });
        },
      );
      req.on('error', (e) => (e.message.includes('aborted') ? undefined : reject(e)));
      req.end();
    });
    const events = lines.map(
      (l) => JSON.parse(l) as { type: string; object: { kind: string; metadata: { name: string } } },
    );
    expect(events.map((e) => `${e.type} ${e.object.kind} ${e.object.metadata.name}`)).toEqual([
      'ADDED Secret s1',
      'DELETED Secret s1',
    ]);
  });

  it('answers a watch from a non-numeric resourceVersion with a 400 BadRequest Status', async () => {
    for (const rv of ['abc', '-5', '1.5']) {
      const r = await kubeRequest(
        emu,
        'GET',
        `/api/v1/namespaces/default/secrets?watch=true&resourceVersion=${rv}&timeoutSeconds=1`,
      );
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
      expect(String(r.json.message)).toContain(`resourceVersion: Invalid value: "${rv}"`);
    }
  });

  it('injects 403 and 500 Status faults by method and path prefix, for a number of requests', async () => {
    emu.faults.set({
      match: { method: 'GET', pathPrefix: '/api/v1/nodes' },
      kind: 'status',
      code: 403,
      message: 'nodes is forbidden: User "lab" cannot list resource "nodes"',
      times: 1,
    });
    const denied = await kubeRequest(emu, 'GET', '/api/v1/nodes');
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message: 'nodes is forbidden: User "lab" cannot list resource "nodes"',
    });
    expect((await kubeRequest(emu, 'GET', '/api/v1/nodes')).status).toBe(200);
    emu.faults.set({ match: { pathPrefix: '/version' }, kind: 'status', code: 500 });
    expect((await kubeRequest(emu, 'GET', '/version')).json).toMatchObject({
      reason: 'InternalError',
      code: 500,
    });
    expect((await kubeRequest(emu, 'GET', '/version')).status).toBe(500);
    emu.faults.clear();
    expect((await kubeRequest(emu, 'GET', '/version')).status).toBe(200);
  });

  it('holds a request under a timeout fault until the client gives up, and answers once cleared', async () => {
    emu.faults.set({ match: { pathPrefix: '/api/v1/namespaces' }, kind: 'timeout' });
    await expect(kubeRequest(emu, 'GET', '/api/v1/namespaces', { timeoutMs: 300 })).rejects.toThrow(
      /timed out/,
    );
    const pending = kubeRequest(emu, 'GET', '/api/v1/namespaces', { timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 100));
    emu.faults.clear();
    expect((await pending).status).toBe(200);
  });
});
