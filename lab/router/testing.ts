// Test helpers of the router emulator, for tests elsewhere in the lab and in src/main.
export { connect, execOn, sshExec, sshShellNoPty, PtySession } from './testing/ssh-client.ts';
export type { ExecResult, Target } from './testing/ssh-client.ts';
export { StaticBackend } from './testing/static-backend.ts';
export type { StaticBackendOptions } from './testing/static-backend.ts';
