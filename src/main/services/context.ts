// What every handler receives besides its request: where the app keeps its files and secrets, how
// to report, and the cancellation of the call it serves.

import type { AppInfo, AppPreset, OperationEvent } from '../../shared/contract.ts';
import type { OperationContext, ProgressEvent } from '../../shared/progress.ts';
import type { SecretStore } from '../secrets/index.ts';
import type { AppLog } from '../data/index.ts';

export interface ServiceDeps {
  shell: AppInfo['shell'];
  dataDir: string;
  secrets: SecretStore;
  log: AppLog;
  env: NodeJS.ProcessEnv;
  home: string;
  /** Every operation's events go here: the IPC binding sends them to the window, the CLI draws them. */
  emit: (event: OperationEvent) => void;
  /** What the app was started with (the demo lab). Its router password is seeded into `secrets`. */
  preset?: AppPreset | null;
  /** Electron opens the status window; other shells leave it to the renderer's #/status route. */
  openStatusWindow?: () => boolean;
}

/** One call of a handler: its operation id (for events and cancel) and its cancellation signal. */
export interface CallContext extends OperationContext {
  operationId: string;
}

/** Logs each step's line, then passes the event on to whoever watches the operation. */
export function progressSink(deps: ServiceDeps, operationId: string): (progress: ProgressEvent) => void {
  return (progress) => {
    if (progress.log)
      deps.log.write(`${progress.operation} ${progress.step} ${progress.status}: ${progress.log}`);
    deps.emit({ operationId, kind: 'progress', progress });
  };
}
