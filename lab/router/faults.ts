// Faults a test (or the demo) can switch on at runtime to see how the app copes.

export type CommitDrop = 'before-apply' | 'after-apply' | null;

export interface Faults {
  /** Destroy the SSH connection during `commit`: before the new config is applied, or right after. */
  dropMidCommit: CommitDrop;
  /** Added before every command's output and before every shell prompt. */
  delayMs: number;
  /** Every authentication attempt fails while set. */
  refuseAuth: boolean;
  /** Replace the host keys (new fingerprints, persisted in stateDir); resolves once served. */
  rotateHostKey(): Promise<void>;
}

/** Thrown inside a command when a fault cut the connection; stops the script without output. */
export class ConnectionDropped extends Error {
  constructor() {
    super('connection dropped by fault injection');
  }
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
