// Progress of a long operation (install, apply, teardown, test), as the apply screen and the CLI's
// progress output both draw it. Plain data: it crosses IPC and the browser bridge unchanged.

export const STEP_STATUSES = ['pending', 'running', 'done', 'failed', 'skipped', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface ProgressEvent {
  /** Which operation this belongs to: `cluster.install`, `router.apply`, `test.curl`, … */
  operation: string;
  /** A stable id of the step within the operation (`crds`, `verify`, `object/Deployment/controller`). */
  step: string;
  status: StepStatus;
  /** 0–100 for the whole operation, when it can tell. */
  percent?: number;
  /** One human line for the live log; never holds a secret. */
  log?: string;
}

export type ProgressSink = (event: ProgressEvent) => void;

/** What every long operation receives: where to report, and when to stop. */
export interface OperationContext {
  onProgress: ProgressSink;
  signal: AbortSignal;
}

/** For callers that neither watch nor cancel. */
export function quietContext(): OperationContext {
  return { onProgress: () => undefined, signal: new AbortController().signal };
}
