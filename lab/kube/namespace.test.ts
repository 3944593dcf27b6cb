// Namespace termination as the namespace controller does it: a deleted Namespace stays Terminating
// while it has contents, refuses new content, and goes away once empty (or after the grace).

import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeEmulator, type KubeEmulator } from './index.ts';
import { kubeRequest, pollUntil } from './testing.ts';

const NS = '/api/v1/namespaces';

let emu: KubeEmulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

async function emulatorWithShop(namespaceTerminationGraceMs: number): Promise<KubeEmulator> {
  const e = await startKubeEmulator({
    stateDir: mkdtempSync(join(tmpdir(), 'kube-emu-')),
    nodes: [{ name: 'worker1', address: '10.77.1.11' }],
    readinessDelayMs: 0,
    namespaceTerminationGraceMs,
  });
  const created = [
    await kubeRequest(e, 'POST', NS, { body: { metadata: { name: 'shop' } } }),
    await kubeRequest(e, 'POST', `${NS}/shop/configmaps`, { body: { metadata: { name: 'a' } } }),
    await kubeRequest(e, 'POST', `${NS}/shop/configmaps`, { body: { metadata: { name: 'b' } } }),
    await kubeRequest(e, 'POST', `${NS}/shop/secrets`, { body: { metadata: { name: 'c' } } }),
  ];
  expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201]);
  return e;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('namespace termination', () => {
  it('keeps a Terminating namespace and its objects until a slow client has deleted them all', async () => {
    emu = await emulatorWithShop(60_000);
    const deleted = await kubeRequest(emu, 'DELETE', `${NS}/shop`);
    expect(deleted.status).toBe(200);
    expect(deleted.json.status).toEqual({ phase: 'Terminating' });

    // A client slower than any fixed window: its deletes must still find the objects.
    await sleep(1000);
    const ns = await kubeRequest(emu, 'GET', `${NS}/shop`);
    expect(ns.status).toBe(200);
    expect((ns.json.metadata as { deletionTimestamp?: string }).deletionTimestamp).toBeTruthy();
    expect((await kubeRequest(emu, 'DELETE', `${NS}/shop/configmaps/a`)).status).toBe(200);
    expect((await kubeRequest(emu, 'DELETE', `${NS}/shop/configmaps/b`)).status).toBe(200);
    expect((await kubeRequest(emu, 'GET', `${NS}/shop`)).status).toBe(200);

    expect((await kubeRequest(emu, 'DELETE', `${NS}/shop/secrets/c`)).status).toBe(200);
    await pollUntil(
      async () => ((await kubeRequest(emu!, 'GET', `${NS}/shop`)).status === 404 ? true : undefined),
      'the emptied namespace to go away',
    );
  });

  it('refuses new content in a Terminating namespace with the NamespaceTerminating Forbidden Status', async () => {
    emu = await emulatorWithShop(60_000);
    await kubeRequest(emu, 'DELETE', `${NS}/shop`);
    const refused = await kubeRequest(emu, 'POST', `${NS}/shop/configmaps`, {
      body: { metadata: { name: 'late' } },
    });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      message:
        'configmaps "late" is forbidden: unable to create new content in namespace shop because it is being terminated',
      details: {
        name: 'late',
        kind: 'configmaps',
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: 'namespace shop is being terminated',
            field: 'metadata.namespace',
          },
        ],
      },
    });
  });

  it('purges the namespace and the contents nobody deleted once the grace has passed', async () => {
    emu = await emulatorWithShop(200);
    await kubeRequest(emu, 'DELETE', `${NS}/shop`);
    await pollUntil(
      async () => ((await kubeRequest(emu!, 'GET', `${NS}/shop`)).status === 404 ? true : undefined),
      'the namespace to be purged after the grace',
    );
    expect(emu.store.raw.list('/configmaps', 'shop')).toEqual([]);
    expect(emu.store.raw.list('/secrets', 'shop')).toEqual([]);
  });
});
