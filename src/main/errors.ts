// Errors written for the user: they name the field, file or host, and say what to do. Adapters
// throw them; the dispatcher and the CLI show the message as it is, never a stack trace.

/** How the CLI maps a failure onto its exit code (0 ok, 1 failed, 2 invalid input, 3 host key). */
export type FailureKind = 'failed' | 'invalid' | 'host-key' | 'cancelled';

export class UserError extends Error {
  readonly path: string | undefined;
  readonly kind: FailureKind;
  constructor(message: string, options: { path?: string; kind?: FailureKind; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.path = options.path;
    this.kind = options.kind ?? 'failed';
  }
}

/** Thrown when the caller's AbortSignal fired; the operation has already put things in a stated state. */
export class CancelledError extends UserError {
  constructor(what: string) {
    super(`${what} was cancelled`, { kind: 'cancelled' });
    this.name = 'CancelledError';
  }
}

/** Throws CancelledError when `signal` has fired; call between steps. */
export function throwIfCancelled(signal: AbortSignal, what: string): void {
  if (signal.aborted) throw new CancelledError(what);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
