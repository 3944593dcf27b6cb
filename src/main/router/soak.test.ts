// A soak: 2,000 status polls over one connection at a short interval, each parsed and joined with
// the cluster facts as the status window does. The heap after the run may not exceed the heap
// after the warm-up by 10%: a leak per poll (listeners, buffers, parsed tables) would show here.

import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../../../lab/memory/backend.ts';
import type { MemoryBackend } from '../../../lab/memory/backend.ts';
import { labSpec } from '../../../lab/spec.ts';
import { statusReportOf } from '../../shared/diagnose/index.ts';
import { quietContext } from '../../shared/progress.ts';
import { applyRouterPlan, watchRouterStatus } from './index.ts';
import type { RouterSession } from './index.ts';
import { LAB_INTERFACES, labPlan, startRouterLab } from './testing.ts';
import type { RouterLab } from './testing.ts';

const POLLS = Number(process.env['SOAK_POLLS'] ?? 2_000);
const WARM_UP = Math.min(200, POLLS / 2);
const SERVICE_IP = '10.77.100.33';
const spec = labSpec('soak', 3);

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

function settledHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('status polling soak', () => {
  let backend: MemoryBackend;
  let lab: RouterLab;
  let session: RouterSession;
  const plan = labPlan('edgeos', 3);

  beforeAll(async () => {
    backend = await createMemoryBackend({
      routerInterfaces: LAB_INTERFACES,
      nodes: spec.nodes,
      sessionDelayMs: 0,
    });
    lab = await startRouterLab({ dialect: 'edgeos', backend });
    session = await lab.open();
    await applyRouterPlan(session, plan, quietContext(), {
      dataDir: lab.dataDir,
      reconnect: () => lab.open(),
    });
    await backend.setClusterView({
      speakers: spec.nodes.map((n) => ({
        node: n.name,
        address: n.address,
        peers: [{ peerAddress: '10.77.1.1', peerAsn: 64512, myAsn: 64512 }],
        announcements: [`${SERVICE_IP}/32`],
      })),
      services: [{ namespace: 'default', name: 'web', ip: SERVICE_IP, nodes: spec.nodes.map((n) => n.name) }],
    });
  });

  afterAll(async () => {
    await session?.close();
    await lab?.stop();
    await backend?.close();
  });

  it(`keeps the heap flat over ${POLLS} polls`, { timeout: 180_000 }, async () => {
    const controller = new AbortController();
    let polls = 0;
    let established = 0;
    let warmHeap = 0;
    const services = [{ namespace: 'default', name: 'web', ips: [SERVICE_IP], readyEndpoints: 3 }];
    await watchRouterStatus(async () => session, {
      intervalMs: 1,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.kind !== 'snapshot') return;
        const report = statusReportOf({
          summary: event.status.summary,
          routes: event.status.routes,
          topology: plan.topology,
          services,
          facts: () => ({
            node: null,
            speakerRunning: true,
            nodeExcluded: false,
            servicesWithReadyEndpoints: 1,
            advertisementMatchesPool: true,
            routerConfigured: true,
          }),
        });
        if (report.neighbors.every((n) => n.state === 'Established')) established++;
        polls++;
        if (polls === WARM_UP) warmHeap = settledHeap();
        if (polls === POLLS) controller.abort();
      },
    });
    const endHeap = settledHeap();
    expect(polls).toBe(POLLS);
    expect(established).toBe(POLLS);
    const growth = (endHeap - warmHeap) / warmHeap;
    console.info(
      `soak: ${POLLS} polls, heap ${(warmHeap / 1e6).toFixed(1)} MB after warm-up, ${(endHeap / 1e6).toFixed(1)} MB at the end (${(growth * 100).toFixed(1)}%)`,
    );
    expect(growth).toBeLessThan(0.1);
  });
});
