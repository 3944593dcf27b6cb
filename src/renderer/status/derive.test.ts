// What the status window derives from a snapshot: route row heights from their next hops, and
// which parts of two snapshots show the same (so unchanged rows and the diagram are not redrawn).

import { describe, expect, it } from 'vitest';
import type { Diagnosis, StatusNeighbor, StatusRoute } from '../../shared/diagnose/index.ts';
import {
  HOPS_PER_LINE,
  hopLinesOf,
  routeRowHeight,
  sameNeighbor,
  sameRoute,
  sameSessions,
  sessionsOf,
} from './derive.ts';

function route(hops: number, service: string | null = 'default/echo'): StatusRoute {
  return {
    prefix: '10.10.0.1/32',
    service,
    nextHops: Array.from({ length: hops }, (_, i) => ({
      address: `192.168.1.${201 + i}`,
      node: `worker${i + 1}`,
    })),
  };
}

const ACTIVE_DIAGNOSIS: Diagnosis = {
  address: '192.168.1.202',
  node: 'worker2',
  state: 'Active',
  summary: 'The router is trying to connect to worker2 and gets no answer.',
  causes: [
    {
      code: 'speaker-not-running',
      text: 'The MetalLB speaker on worker2 is not running.',
      whatToDo: 'kubectl -n metallb-system get pods -o wide',
      confirmed: true,
    },
  ],
};

function neighbor(overrides: Partial<StatusNeighbor> = {}): StatusNeighbor {
  return {
    address: '192.168.1.202',
    node: 'worker2',
    state: 'Active',
    upDown: 'never',
    prefixesReceived: null,
    diagnosis: structuredClone(ACTIVE_DIAGNOSIS),
    ...overrides,
  };
}

describe('route rows', () => {
  it('take one line of next hops up to HOPS_PER_LINE, then one more line per HOPS_PER_LINE', () => {
    expect(HOPS_PER_LINE).toBe(4);
    expect([0, 1, 4, 5, 8, 9, 32].map((n) => hopLinesOf(route(n)))).toEqual([1, 1, 1, 2, 2, 3, 8]);
    expect(routeRowHeight(route(0))).toBe(40);
    expect(routeRowHeight(route(2))).toBe(40);
    expect(routeRowHeight(route(4))).toBe(40);
    expect(routeRowHeight(route(5))).toBe(64);
    expect(routeRowHeight(route(9))).toBe(88);
    expect(routeRowHeight(route(32))).toBe(208);
  });
});

describe('sameRoute', () => {
  it('is true for a copy with the same prefix, Service and next hops in order', () => {
    expect(sameRoute(route(2), structuredClone(route(2)))).toBe(true);
    expect(sameRoute(route(0, null), route(0, null))).toBe(true);
  });

  it('is false when the Service, a next hop, their order or their number differs', () => {
    expect(sameRoute(route(2), route(2, 'default/other'))).toBe(false);
    expect(sameRoute(route(2), route(2, null))).toBe(false);
    expect(sameRoute(route(2), route(3))).toBe(false);
    const moved = route(2);
    moved.nextHops.reverse();
    expect(sameRoute(route(2), moved)).toBe(false);
    const renamed = route(2);
    renamed.nextHops[1] = { address: '192.168.1.202', node: null };
    expect(sameRoute(route(2), renamed)).toBe(false);
    expect(sameRoute(route(2), { ...route(2), prefix: '10.10.0.2/32' })).toBe(false);
  });
});

describe('sameNeighbor', () => {
  it('is true for a copy, diagnosis included', () => {
    expect(sameNeighbor(neighbor(), neighbor())).toBe(true);
    expect(sameNeighbor(neighbor({ diagnosis: null }), neighbor({ diagnosis: null }))).toBe(true);
  });

  it('is false when the state, uptime, prefixes or any part of the diagnosis differs', () => {
    expect(sameNeighbor(neighbor(), neighbor({ state: 'Idle' }))).toBe(false);
    expect(sameNeighbor(neighbor(), neighbor({ upDown: '00:00:05' }))).toBe(false);
    expect(sameNeighbor(neighbor(), neighbor({ prefixesReceived: 1 }))).toBe(false);
    expect(sameNeighbor(neighbor(), neighbor({ diagnosis: null }))).toBe(false);
    const unconfirmed = neighbor();
    unconfirmed.diagnosis!.causes[0]!.confirmed = false;
    expect(sameNeighbor(neighbor(), unconfirmed)).toBe(false);
    const otherAdvice = neighbor();
    otherAdvice.diagnosis!.causes[0]!.whatToDo = 'Restart the speaker.';
    expect(sameNeighbor(neighbor(), otherAdvice)).toBe(false);
    const moreCauses = neighbor();
    moreCauses.diagnosis!.causes.push({ ...ACTIVE_DIAGNOSIS.causes[0]!, confirmed: false });
    expect(sameNeighbor(neighbor(), moreCauses)).toBe(false);
  });
});

describe('sessions', () => {
  const established = neighbor({ address: '192.168.1.201', node: 'worker1', state: 'Established' });

  it('map each neighbor address to its state', () => {
    expect(sessionsOf([established, neighbor()])).toEqual({
      '192.168.1.201': 'Established',
      '192.168.1.202': 'Active',
    });
    expect(sessionsOf([])).toEqual({});
  });

  it('are the same when every address has the same state, whatever the order', () => {
    const a = sessionsOf([established, neighbor()]);
    expect(sameSessions(a, sessionsOf([neighbor(), established]))).toBe(true);
    expect(sameSessions(undefined, undefined)).toBe(true);
  });

  it('differ when a state changes, an address comes or goes, or one side is unknown', () => {
    const a = sessionsOf([established, neighbor()]);
    expect(sameSessions(a, sessionsOf([established, neighbor({ state: 'Established' })]))).toBe(false);
    expect(sameSessions(a, sessionsOf([established]))).toBe(false);
    expect(sameSessions(sessionsOf([established]), a)).toBe(false);
    expect(sameSessions(a, { '192.168.1.201': 'Established', '192.168.1.203': 'Active' })).toBe(false);
    expect(sameSessions(a, undefined)).toBe(false);
    expect(sameSessions(undefined, a)).toBe(false);
  });
});
