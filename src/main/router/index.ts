// Public entry of the router adapter: SSH sessions with host key pinning, probing, applying a plan
// with backup/verify/save/restore, teardown, live status and the curl test from the router.

export { HostKeyStore, fingerprintOfKeyBlob, knownHostKeysIn } from './host-keys.ts';
export type { KnownHostKey } from './host-keys.ts';
export { RouterConnectError, describeTarget, openRouterSession } from './session.ts';
export type {
  ConnectFailure,
  ExecResult,
  HostKeyPolicy,
  RouterAuth,
  RouterSession,
  RouterTarget,
  SessionOptions,
} from './session.ts';
export { checkDialect, firmwareHasCurl, probeRouter, readRunningConfig } from './probe.ts';
export type { RouterProbe } from './probe.ts';
export {
  RouterApplyCancelled,
  RouterApplyError,
  applyRouterPlan,
  previewRouterTeardown,
  teardownRouter,
} from './apply.ts';
export type { RouterApplyOptions, RouterApplyResult, RouterState, TeardownPreview } from './apply.ts';
export { readRouterStatus, watchRouterStatus } from './status.ts';
export type { RouterStatus, StatusEvent, WatchOptions } from './status.ts';
export { curlFromRouter } from './curl.ts';
export type { CurlAttempt, CurlTarget } from './curl.ts';
