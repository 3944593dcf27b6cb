// What the status window knows about its watch, folded from the watch's events. Pure, so the
// window's behaviour on outage, recovery and pause follows from one function.

import type { OperationEvent } from '../../shared/contract.ts';
import type { StatusReport } from '../../shared/diagnose/index.ts';

export type WatchPhase =
  /** The watch was asked for; no snapshot yet. */
  | 'starting'
  /** Snapshots arrive. */
  | 'watching'
  /** The user paused: the watch is cancelled, the last snapshot stays on screen. */
  | 'paused'
  /** The watch ended without being paused (main stopped it). */
  | 'stopped'
  /** The watch could not start or failed; `error` says why. */
  | 'failed';

export interface Outage {
  message: string;
  /** ISO time the router stopped answering. */
  since: string;
}

export interface WatchState {
  phase: WatchPhase;
  report: StatusReport | null;
  /** When the last snapshot arrived (ms since the epoch). */
  updatedAt: number | null;
  outage: Outage | null;
  /** The last recovery: how long the router was down, and when it came back. */
  recovery: { downMs: number; at: number } | null;
  error: string | null;
}

export type WatchAction =
  | { type: 'start' }
  | { type: 'event'; event: OperationEvent; at: number }
  | { type: 'paused' }
  | { type: 'ended' }
  | { type: 'failed'; message: string }
  | { type: 'dismiss-recovery' };

export const INITIAL_WATCH: WatchState = {
  phase: 'starting',
  report: null,
  updatedAt: null,
  outage: null,
  recovery: null,
  error: null,
};

function withEvent(state: WatchState, event: OperationEvent, at: number): WatchState {
  switch (event.kind) {
    case 'status':
      // A snapshot means the router answers, even if its recovery event was missed.
      return { ...state, phase: 'watching', report: event.status, updatedAt: at, outage: null, error: null };
    case 'outage':
      return { ...state, outage: { message: event.message, since: event.since }, recovery: null };
    case 'recovered':
      return { ...state, outage: null, recovery: { downMs: event.downMs, at } };
    case 'progress':
      return state;
  }
}

export function watchReducer(state: WatchState, action: WatchAction): WatchState {
  switch (action.type) {
    case 'start':
      return { ...state, phase: state.report === null ? 'starting' : 'watching', error: null };
    case 'event':
      // Events that arrive after a pause (already in flight) must not flip the window back to live.
      if (state.phase === 'paused' && action.event.kind === 'status') {
        return { ...state, report: action.event.status, updatedAt: action.at };
      }
      return withEvent(state, action.event, action.at);
    case 'paused':
      return { ...state, phase: 'paused', outage: null };
    case 'ended':
      return state.phase === 'paused' || state.phase === 'failed' ? state : { ...state, phase: 'stopped' };
    case 'failed':
      return { ...state, phase: 'failed', error: action.message, outage: null };
    case 'dismiss-recovery':
      return { ...state, recovery: null };
  }
}
