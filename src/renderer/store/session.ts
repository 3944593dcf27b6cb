// What this run of the app knows but does not keep: answers from main (they are asked again on the
// next launch), connections, and the state of running operations.

import { create } from 'zustand';
import type {
  ApplyPreview,
  ApplyResult,
  AppInfo,
  KubeContexts,
  TeardownPreview,
  TeardownResult,
} from '../../shared/contract.ts';
import type { PlanReport } from '../../shared/report.ts';
import type { StepStatus } from '../../shared/progress.ts';
import type { StatusReport } from '../../shared/diagnose/index.ts';

/** An answer from main as a panel draws it: nothing yet, waiting, the value, or a clear error. */
export type Remote<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ok'; value: T }
  | { status: 'error'; message: string; path?: string; kind?: string };

export const IDLE = { status: 'idle' } as const;
export const LOADING = { status: 'loading' } as const;

export interface OperationRun<R> {
  operationId: string | null;
  phase: 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
  percent: number;
  /** operation (`cluster.install`, `router.apply`) → step → status, in arrival order. */
  steps: { operation: string; step: string; status: StepStatus }[];
  log: string[];
  result: R | null;
  error: { message: string; kind?: string } | null;
}

export function idleRun<R>(): OperationRun<R> {
  return { operationId: null, phase: 'idle', percent: 0, steps: [], log: [], result: null, error: null };
}

export interface SessionState {
  info: Remote<AppInfo>;
  contexts: Remote<KubeContexts>;
  probing: Remote<true>;
  connect: Remote<true>;
  /** The fingerprint the router offered on first contact, waiting for the user's decision. */
  hostKeyToConfirm: string | null;
  routerConnected: boolean;
  plan: Remote<PlanReport>;
  /** The text the plan above was built from: a plan for older text is stale. */
  planFor: string | null;
  preview: Remote<ApplyPreview>;
  previewFor: string | null;
  apply: OperationRun<ApplyResult>;
  services: Remote<StatusReport>;
  testing: Remote<true>;
  echo: Remote<true>;
  teardownPreview: Remote<TeardownPreview>;
  teardown: OperationRun<TeardownResult>;
  notice: { tone: 'ok' | 'error'; text: string } | null;
  patch: (data: Partial<SessionState>) => void;
}

export const useSession = create<SessionState>()((set) => ({
  info: IDLE,
  contexts: IDLE,
  probing: IDLE,
  connect: IDLE,
  hostKeyToConfirm: null,
  routerConnected: false,
  plan: IDLE,
  planFor: null,
  preview: IDLE,
  previewFor: null,
  apply: idleRun(),
  services: IDLE,
  testing: IDLE,
  echo: IDLE,
  teardownPreview: IDLE,
  teardown: idleRun(),
  notice: null,
  patch: (data) => set(data),
}));
