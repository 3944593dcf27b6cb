// Bounded exponential backoff, cancellable. The apply path never sleeps a fixed time: it waits on
// a watch, or polls with these delays until a deadline.

import { CancelledError } from './errors.ts';

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
}

/** The delay before retry number `attempt` (0-based): initial · factor^attempt, capped at max. */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const { initialMs = 200, maxMs = 5_000, factor = 2 } = options;
  return Math.min(maxMs, initialMs * factor ** attempt);
}

/** Resolves after `ms`, or rejects with CancelledError as soon as `signal` fires. */
export function sleepUnlessCancelled(ms: number, signal: AbortSignal, what: string): Promise<void> {
  if (signal.aborted) return Promise.reject(new CancelledError(what));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError(what));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface PollOptions extends BackoffOptions {
  /** Give up after this long; `describeTimeout` then names what never happened. */
  timeoutMs: number;
  signal: AbortSignal;
  what: string;
}

/**
 * Calls `attempt` until it returns a value other than undefined, backing off between tries.
 * `attempt` throws to stop at once (a permanent failure); returning undefined means "not yet".
 */
export async function pollUntil<T>(
  attempt: (tryNumber: number) => Promise<T | undefined>,
  options: PollOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (let tryNumber = 0; ; tryNumber++) {
    if (options.signal.aborted) throw new CancelledError(options.what);
    const value = await attempt(tryNumber);
    if (value !== undefined) return value;
    const wait = Math.min(backoffDelayMs(tryNumber, options), deadline - Date.now());
    if (wait <= 0) throw new PollTimeout(options.what, options.timeoutMs);
    await sleepUnlessCancelled(wait, options.signal, options.what);
  }
}

export class PollTimeout extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`${what}: not done after ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'PollTimeout';
  }
}
