// Test support for the status window: what jsdom lacks (the stubs shared with the wizard's tests,
// and a layout), the per-test setup, and a stand-in for the app's backend at the `wizardApi()`
// boundary that parses with the real shared parsers.

import { afterEach, beforeAll, beforeEach } from 'vitest';
import { cleanup } from '@testing-library/react';
import type {
  Channel,
  Envelope,
  OperationEvent,
  RequestOf,
  ResponseOf,
  WizardApi,
} from '../../shared/contract.ts';
import { parsedOutputOf } from '../../shared/report.ts';
import { installDomStubs } from '../components/testing.tsx';

export { installDomStubs, renderWithMantine } from '../components/testing.tsx';

/** A viewport and row heights, so the virtualizer computes a real window of rows. */
export function installLayout({ viewport, row }: { viewport: number; row: number }): () => void {
  const proto = window.HTMLElement.prototype;
  const saved = {
    clientHeight: Object.getOwnPropertyDescriptor(proto, 'clientHeight'),
    offsetHeight: Object.getOwnPropertyDescriptor(proto, 'offsetHeight'),
  };
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get: () => viewport });
  Object.defineProperty(proto, 'offsetHeight', { configurable: true, get: () => row });
  return () => {
    for (const [key, descriptor] of Object.entries(saved)) {
      if (descriptor) Object.defineProperty(proto, key, descriptor);
      else delete (proto as unknown as Record<string, unknown>)[key];
    }
  };
}

type Pending = { operationId: string; resolve: (e: Envelope<{ stopped: true }>) => void };

/** The backend as the renderer sees it: records calls, holds watches open until cancelled. */
export class FakeBackend implements WizardApi {
  calls: { channel: Channel; request: unknown }[] = [];
  private listeners = new Set<(event: OperationEvent) => void>();
  private watches: Pending[] = [];
  /** What the next status.watch answers at once instead of running (an error envelope). */
  watchFailure: Envelope<never> | null = null;

  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Envelope<ResponseOf<C>>> {
    this.calls.push({ channel, request });
    return this.answer(channel, request) as Promise<Envelope<ResponseOf<C>>>;
  }

  private answer(channel: Channel, request: unknown): Promise<Envelope<unknown>> {
    if (channel === 'status.watch') {
      if (this.watchFailure) return Promise.resolve(this.watchFailure);
      const { operationId } = request as RequestOf<'status.watch'>;
      return new Promise((resolve) => this.watches.push({ operationId: operationId ?? '', resolve }));
    }
    if (channel === 'operation.cancel') {
      const { operationId } = request as RequestOf<'operation.cancel'>;
      const found = this.watches.filter((w) => w.operationId === operationId);
      this.watches = this.watches.filter((w) => w.operationId !== operationId);
      for (const w of found) w.resolve({ ok: true, value: { stopped: true } });
      return Promise.resolve({ ok: true, value: { cancelled: found.length > 0 } });
    }
    if (channel === 'parse.output') {
      const { kind, text } = request as RequestOf<'parse.output'>;
      return Promise.resolve({ ok: true, value: parsedOutputOf(kind, text) });
    }
    return Promise.resolve({
      ok: false,
      error: { message: `${channel} is not part of this test`, kind: 'failed' },
    });
  }

  onEvent(listener: (event: OperationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The operation id of the watch that is running now. */
  runningWatch(): string {
    const last = this.watches.at(-1);
    if (!last) throw new Error('no status.watch is running');
    return last.operationId;
  }

  runningWatches(): number {
    return this.watches.length;
  }

  emit(event: OperationEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  callsOf(channel: Channel): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.request);
  }
}

/**
 * Each status test's setup: jsdom stubs and a laid-out viewport for the file, a fresh backend
 * handed to `use` before each test, the DOM cleaned up after it.
 */
export function setUpStatusTests(
  layout: { viewport: number; row: number },
  use: (backend: FakeBackend) => void,
): void {
  beforeAll(() => {
    installDomStubs();
    return installLayout(layout);
  });
  beforeEach(() => use(new FakeBackend()));
  afterEach(cleanup);
}

/** The article's reference setup: four workers, iBGP AS 64512, eth0 WAN, eth1 cluster, eth2 LAN. */
export const ARTICLE_TOPOLOGY = `router:
  dialect: edgeos
  ssh: { host: 192.168.1.1, port: 22, username: ubnt }
  asn: 64512
  maximumPaths: 32
  wan: { interface: eth0 }
  cluster: { interface: eth1, address: 192.168.1.1/24 }
  lan: { interface: eth2, address: 192.168.2.1/24 }
cluster:
  asn: 64512
  nodes:
    - { name: worker1, address: 192.168.1.201 }
    - { name: worker2, address: 192.168.1.202 }
    - { name: worker3, address: 192.168.1.203 }
    - { name: worker4, address: 192.168.1.204 }
  pools:
    - { name: default, addresses: [10.10.0.0/28] }
metallb:
  version: v0.14.9
`;

/** \`show ip bgp summary\` as an EdgeRouter prints it: worker1 up, worker2 trying, worker3 and 4 up. */
export const SUMMARY_ONE_ACTIVE = `BGP router identifier 192.168.1.1, local AS number 64512
BGP table version is 12
1 BGP AS-PATH entries
0 BGP community entries
32  Configured ibgp ECMP multipath: Currently set at 32

Neighbor                 V   AS   MsgRcv    MsgSen TblVer   InQ   OutQ    Up/Down   State/PfxRcd
192.168.1.201            4 64512     120       118      12      0      0  00:55:28               1
192.168.1.202            4 64512       0         0       0      0      0     never          Active
192.168.1.203            4 64512     121       118      12      0      0  00:55:20               1
192.168.1.204            4 64512     119       118      12      0      0  00:55:11               1

Total number of neighbors 4
`;

export const ROUTES_TWO_PATHS = `IP Route Table for VRF "default"
B    *> 10.10.0.1/32 [200/0] via 192.168.1.201, eth1, 00:08:04
     *>              [200/0] via 192.168.1.203, eth1, 00:08:04
`;
