// Status, the live watcher and the curl test against the router emulator with the in-memory
// routing backend (real BGP state machine, real HTTP echo servers per node).

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMemoryBackend } from '../../../lab/memory/backend.ts';
import type { MemoryBackend } from '../../../lab/memory/backend.ts';
import type { ClusterBgpView } from '../../../lab/speakers/types.ts';
import { labSpec } from '../../../lab/spec.ts';
import type { ProgressEvent } from '../../shared/progress.ts';
import { quietContext } from '../../shared/progress.ts';
import { UserError } from '../errors.ts';
import {
  applyRouterPlan,
  curlFromRouter,
  openRouterSession,
  readRouterStatus,
  watchRouterStatus,
} from './index.ts';
import type { RouterSession, StatusEvent } from './index.ts';
import { LAB_INTERFACES, labPlan, startRouterLab } from './testing.ts';
import type { RouterLab } from './testing.ts';

const SERVICE_IP = '10.77.100.33';
const spec = labSpec('rta', 2);

function clusterView(): ClusterBgpView {
  return {
    speakers: spec.nodes.map((n) => ({
      node: n.name,
      address: n.address,
      peers: [{ peerAddress: '10.77.1.1', peerAsn: 64512, myAsn: 64512 }],
      announcements: [`${SERVICE_IP}/32`],
    })),
    services: [{ namespace: 'default', name: 'web', ip: SERVICE_IP, nodes: spec.nodes.map((n) => n.name) }],
  };
}

describe.each(['edgeos', 'vyos'] as const)('status and curl on %s with the memory backend', (dialect) => {
  let backend: MemoryBackend;
  let l: RouterLab;
  let session: RouterSession;

  beforeAll(async () => {
    backend = await createMemoryBackend({
      routerInterfaces: LAB_INTERFACES,
      nodes: spec.nodes,
      sessionDelayMs: 0,
    });
    l = await startRouterLab({ dialect, backend });
    session = await l.open();
    await applyRouterPlan(session, labPlan(dialect, 2), quietContext(), {
      dataDir: l.dataDir,
      reconnect: () => l.open(),
    });
    await backend.setClusterView(clusterView());
  });
  afterAll(async () => {
    await session?.close();
    await l?.stop();
    await backend?.close();
  });

  it('reads summary, neighbors and routes in one exec', async () => {
    const status = await readRouterStatus(session);
    expect(status.summary.routerId).toBe('10.77.1.1');
    expect(status.summary.localAs).toBe(64512);
    expect(status.summary.neighbors.map((n) => [n.address, n.state])).toEqual([
      ['10.77.1.11', 'Established'],
      ['10.77.1.12', 'Established'],
    ]);
    expect(status.neighbors.map((n) => n.address)).toEqual(['10.77.1.11', '10.77.1.12']);
    expect(status.neighbors.every((n) => n.link === 'internal')).toBe(true);
    const route = status.routes.find((r) => r.prefix === `${SERVICE_IP}/32`);
    expect(route?.nextHops.map((h) => h.address).sort()).toEqual(['10.77.1.11', '10.77.1.12']);
    expect(Number.isNaN(Date.parse(status.at))).toBe(false);
  });

  it('curls the Service IP from the router and reports each attempt', async () => {
    const events: ProgressEvent[] = [];
    const attempts = await curlFromRouter(session, { ip: SERVICE_IP, port: 80, path: '/hostname' }, 4, {
      onProgress: (e) => events.push(e),
      signal: new AbortController().signal,
    });
    expect(attempts).toHaveLength(4);
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ ok: true, status: 200, error: null });
      expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
      expect(['worker1', 'worker2']).toContain(attempt.headers['x-node']);
      const body = JSON.parse(attempt.body) as { node: string; path: string; serviceIp: string };
      expect(body.node).toBe(attempt.headers['x-node']);
      expect(body.path).toBe('/hostname');
      expect(body.serviceIp).toBe(SERVICE_IP);
    }
    expect(events.every((e) => e.operation === 'test.curl')).toBe(true);
    expect(events.at(-1)).toMatchObject({ status: 'done', percent: 100 });
  });

  it('reports a failed attempt with curl’s exit code', async () => {
    const [attempt] = await curlFromRouter(
      session,
      { ip: '10.77.100.50', port: 80, path: '/' },
      1,
      quietContext(),
    );
    expect(attempt).toMatchObject({ ok: false, status: null, latencyMs: null });
    expect(attempt?.error).toMatch(/^curl exit 7: could not connect/);
  });

  it('refuses a target outside the allow-list before anything reaches the router', async () => {
    const bad = [
      [{ ip: "10.77.100.33'; reboot; '", port: 80, path: '/' }, 'target.ip'],
      [{ ip: '10.77.100.033', port: 80, path: '/' }, 'target.ip'],
      [{ ip: SERVICE_IP, port: 80.5, path: '/' }, 'target.port'],
      [{ ip: SERVICE_IP, port: 80, path: "/x' && reboot" }, 'target.path'],
    ] as const;
    for (const [target, field] of bad) {
      const error = await curlFromRouter(session, target, 1, quietContext()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect(error).toMatchObject({ kind: 'invalid', path: field });
    }
  });
});

describe('watchRouterStatus', () => {
  it('reports an outage across a router restart and recovers by itself', async () => {
    const l = await startRouterLab({ dialect: 'edgeos' });
    const controller = new AbortController();
    const events: StatusEvent[] = [];
    try {
      const watching = watchRouterStatus(() => l.open(), {
        intervalMs: 150,
        signal: controller.signal,
        onEvent: (e) => events.push(e),
      });
      await vi.waitFor(() => expect(events.some((e) => e.kind === 'snapshot')).toBe(true), { timeout: 5000 });
      await l.emulator.restart();
      await vi.waitFor(() => expect(events.some((e) => e.kind === 'recovered')).toBe(true), {
        timeout: 5000,
      });
      const snapshotsBefore = events.length;
      await vi.waitFor(
        () => expect(events.slice(snapshotsBefore).some((e) => e.kind === 'snapshot')).toBe(true),
        {
          timeout: 5000,
        },
      );
      controller.abort();
      await watching;
      const kinds = events.map((e) => e.kind);
      const outage = kinds.indexOf('outage');
      expect(outage).toBeGreaterThan(0);
      expect(kinds.indexOf('recovered')).toBeGreaterThan(outage);
      const outageEvent = events[outage];
      expect(outageEvent?.kind === 'outage' && outageEvent.message).toMatch(/127\.0\.0\.1/);
    } finally {
      controller.abort();
      await l.stop();
    }
  });

  it('stops with a host-key error when the router comes back with another key', async () => {
    const l = await startRouterLab({ dialect: 'edgeos' });
    const controller = new AbortController();
    const events: StatusEvent[] = [];
    try {
      await l.store.pin(l.target.host, l.target.port, l.emulator.hostKeySha256);
      // Only the pin decides: no expected key, no confirm.
      const connect = () => openRouterSession(l.target, l.auth, { store: l.store });
      const watching = watchRouterStatus(connect, {
        intervalMs: 150,
        signal: controller.signal,
        onEvent: (e) => events.push(e),
      });
      await vi.waitFor(() => expect(events.some((e) => e.kind === 'snapshot')).toBe(true), { timeout: 5000 });
      await l.emulator.faults.rotateHostKey();
      await expect(watching).rejects.toMatchObject({ kind: 'host-key' });
      expect(events.some((e) => e.kind === 'outage')).toBe(true);
      expect(events.some((e) => e.kind === 'recovered')).toBe(false);
    } finally {
      controller.abort();
      await l.stop();
    }
  });

  it('rejects at once when the first login fails', async () => {
    const l = await startRouterLab({ dialect: 'edgeos' });
    try {
      l.emulator.faults.refuseAuth = true;
      await expect(
        watchRouterStatus(() => l.open(), {
          intervalMs: 100,
          signal: new AbortController().signal,
          onEvent: () => undefined,
        }),
      ).rejects.toMatchObject({ kind: 'failed' });
    } finally {
      await l.stop();
    }
  });
});
