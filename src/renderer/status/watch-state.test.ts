// The watch's state machine: outage, recovery, pause and end, independent of any rendering.

import { describe, expect, it } from 'vitest';
import type { StatusReport } from '../../shared/diagnose/index.ts';
import { INITIAL_WATCH, watchReducer } from './watch-state.ts';
import type { WatchAction, WatchState } from './watch-state.ts';

const REPORT: StatusReport = {
  neighbors: [
    {
      address: '192.168.1.201',
      node: 'worker1',
      state: 'Established',
      upDown: '00:01:00',
      prefixesReceived: 1,
      diagnosis: null,
    },
  ],
  routes: [],
};

function run(actions: WatchAction[]): WatchState {
  return actions.reduce(watchReducer, INITIAL_WATCH);
}

const snapshot = (at: number): WatchAction => ({
  type: 'event',
  at,
  event: { operationId: 'w', kind: 'status', status: REPORT },
});

describe('watchReducer', () => {
  it('goes live on the first snapshot and records when it came', () => {
    const state = run([snapshot(1000)]);
    expect(state.phase).toBe('watching');
    expect(state.updatedAt).toBe(1000);
    expect(state.report).toBe(REPORT);
  });

  it('keeps the last snapshot through an outage and clears the outage on recovery', () => {
    const down = run([
      snapshot(1000),
      {
        type: 'event',
        at: 2000,
        event: { operationId: 'w', kind: 'outage', message: 'reset', since: '2025-01-01T00:00:00Z' },
      },
    ]);
    expect(down.outage).toEqual({ message: 'reset', since: '2025-01-01T00:00:00Z' });
    expect(down.report).toBe(REPORT);
    const back = watchReducer(down, {
      type: 'event',
      at: 9000,
      event: { operationId: 'w', kind: 'recovered', downMs: 7000 },
    });
    expect(back.outage).toBeNull();
    expect(back.recovery).toEqual({ downMs: 7000, at: 9000 });
  });

  it('a snapshot clears an outage whose recovery was missed', () => {
    const state = run([
      { type: 'event', at: 1, event: { operationId: 'w', kind: 'outage', message: 'reset', since: 'x' } },
      snapshot(2),
    ]);
    expect(state.outage).toBeNull();
  });

  it('stays paused when a snapshot already in flight arrives, and the end of a paused watch is no stop', () => {
    const state = run([snapshot(1), { type: 'paused' }, snapshot(2), { type: 'ended' }]);
    expect(state.phase).toBe('paused');
    expect(state.updatedAt).toBe(2);
  });

  it('a watch that ends by itself is stopped; a failure carries its message until a restart', () => {
    expect(run([snapshot(1), { type: 'ended' }]).phase).toBe('stopped');
    const failed = run([{ type: 'failed', message: 'router 192.168.1.1:22 refused the login' }]);
    expect(failed).toMatchObject({ phase: 'failed', error: 'router 192.168.1.1:22 refused the login' });
    expect(run([{ type: 'failed', message: 'x' }, { type: 'ended' }]).phase).toBe('failed');
    expect(watchReducer(failed, { type: 'start' })).toMatchObject({ phase: 'starting', error: null });
  });
});
