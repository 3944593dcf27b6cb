// Runs `status.watch` for the window's inputs and folds its events into WatchState. Pause cancels
// the watch in main (operation.cancel with its id); resume starts a new one.

import { useCallback, useEffect, useReducer, useState } from 'react';
import { wizardApi } from '../api.ts';
import { INITIAL_WATCH, watchReducer } from './watch-state.ts';
import type { WatchState } from './watch-state.ts';
import type { WatchInputs } from './inputs.ts';
import { failureText } from './format.ts';

export const DEFAULT_INTERVAL_MS = 2000;

export interface StatusWatch {
  state: WatchState;
  pause: () => void;
  resume: () => void;
  retry: () => void;
  dismissRecovery: () => void;
}

let sequence = 0;

/** Matches the contract's operation id: 1-64 letters, digits, _ or -. */
function newOperationId(): string {
  sequence += 1;
  return `status-${Date.now().toString(36)}-${sequence}-${Math.random().toString(36).slice(2, 8)}`;
}

export function useStatusWatch(inputs: WatchInputs | null, intervalMs = DEFAULT_INTERVAL_MS): StatusWatch {
  const [state, dispatch] = useReducer(watchReducer, INITIAL_WATCH);
  const [live, setLive] = useState(true);
  // Bumped by retry: a new watch for the same inputs.
  const [attempt, setAttempt] = useState(0);
  const text = inputs?.topologyText ?? null;
  const fileName = inputs?.fileName ?? '';
  const kubeconfig = inputs?.kube.kubeconfig;
  const context = inputs?.kube.context;

  useEffect(() => {
    const api = wizardApi();
    if (text === null || !live || api === null) return;
    const operationId = newOperationId();
    let current = true;
    const unsubscribe = api.onEvent((event) => {
      if (current && event.operationId === operationId) dispatch({ type: 'event', event, at: Date.now() });
    });
    const kube = { ...(kubeconfig ? { kubeconfig } : {}), ...(context ? { context } : {}) };
    api.call('status.watch', { topology: { text, fileName }, kube, intervalMs, operationId }).then(
      (reply) => {
        if (!current) return;
        if (reply.ok) dispatch({ type: 'ended' });
        else if (reply.error.kind !== 'cancelled') dispatch({ type: 'failed', message: reply.error.message });
      },
      (error: unknown) => {
        if (current) dispatch({ type: 'failed', message: failureText(error, 'Watching the status') });
      },
    );
    return () => {
      current = false;
      unsubscribe();
      // The watch runs in main until cancelled; a failed cancel only means it had already ended.
      api.call('operation.cancel', { operationId }).catch(() => undefined);
    };
  }, [text, fileName, kubeconfig, context, intervalMs, live, attempt]);

  const pause = useCallback(() => {
    dispatch({ type: 'paused' });
    setLive(false);
  }, []);
  const resume = useCallback(() => {
    dispatch({ type: 'start' });
    setLive(true);
  }, []);
  const retry = useCallback(() => {
    dispatch({ type: 'start' });
    setLive(true);
    setAttempt((n) => n + 1);
  }, []);
  const dismissRecovery = useCallback(() => dispatch({ type: 'dismiss-recovery' }), []);
  return { state, pause, resume, retry, dismissRecovery };
}
