// Changing the router's BGP configuration with a way back: read, back up, diff, one commit,
// verify by reading again, and only then save. Any failure restores the previous BGP lines and
// says exactly which configuration the router runs afterwards, and whether it is saved.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diffRouterConfig, renderRouterLine, teardownPlan } from '../../shared/plan/index.ts';
import type { Plan, PreviewLine, RouterLine } from '../../shared/plan/index.ts';
import type { OperationContext } from '../../shared/progress.ts';
import { pollUntil } from '../backoff.ts';
import { CancelledError, UserError, messageOf } from '../errors.ts';
import { bgpLinesOf, readRunningConfig } from './probe.ts';
import { bgpTokensOf, editsToReach, redactedBgpLines, restoreScript, sameBgpLines } from './restore.ts';
import type { BgpTokens } from './restore.ts';
import { RouterConnectError, describeTarget } from './session.ts';
import type { RouterSession } from './session.ts';

export type RouterState =
  'unchanged' | 'applied' | 'applied-and-saved' | 'restored' | 'old-config' | 'unknown';

export interface RouterApplyResult {
  changed: boolean;
  state: RouterState;
  message: string;
  preview: PreviewLine[];
  backupFile: string | null;
}

export interface RouterApplyOptions {
  dataDir: string;
  /** Opens a new session with the same auth and host key policy, after a drop. */
  reconnect: () => Promise<RouterSession>;
  /** How long to keep trying to reach a router that dropped the connection. Default 60 s. */
  reconnectTimeoutMs?: number;
}

/** A failed apply or teardown; `state` says what the router runs now. */
export class RouterApplyError extends UserError {
  readonly state: RouterState;
  readonly backupFile: string | null;
  constructor(message: string, state: RouterState, backupFile: string | null, cause?: unknown) {
    super(message, cause === undefined ? {} : { cause });
    this.name = 'RouterApplyError';
    this.state = state;
    this.backupFile = backupFile;
  }
}

/** A cancelled apply or teardown, after the router was put back in a stated state. */
export class RouterApplyCancelled extends CancelledError {
  readonly state: RouterState;
  readonly backupFile: string | null;
  constructor(what: string, stateText: string, state: RouterState, backupFile: string | null) {
    super(what);
    this.message = `${this.message}. ${stateText}`;
    this.name = 'RouterApplyCancelled';
    this.state = state;
    this.backupFile = backupFile;
  }
}

type Operation = 'router.apply' | 'router.teardown';
type Step = 'read' | 'backup' | 'diff' | 'apply' | 'verify' | 'save' | 'restore';

const PERCENT: Record<Step, number> = {
  read: 10,
  backup: 20,
  diff: 30,
  apply: 50,
  verify: 70,
  save: 90,
  restore: 90,
};

/** What to change, computed from the running config; `refusal` means: change nothing. */
type Change =
  | { refusal: string }
  | { unchanged: boolean; script: string; preview: PreviewLine[]; lineCount: number; notes: string[] };

interface Job {
  operation: Operation;
  verb: string;
  plan: Plan;
  ctx: OperationContext;
  opts: RouterApplyOptions;
  change: (configCommands: string) => Change;
  /** Whether the running config holds what the job wanted. */
  reached: (configCommands: string) => boolean;
}

class Run {
  session: RouterSession;
  readonly job: Job;
  readonly opened: RouterSession[] = [];
  backupFile: string | null = null;
  backup: BgpTokens[] = [];
  /** The router may have taken the change (a script ran, or dropped while running). */
  touched = false;

  constructor(session: RouterSession, job: Job) {
    this.session = session;
    this.job = job;
  }

  get where(): string {
    return describeTarget(this.session.target);
  }

  progress(step: Step, status: 'running' | 'done' | 'failed' | 'skipped' | 'cancelled', log?: string): void {
    this.job.ctx.onProgress({
      operation: this.job.operation,
      step,
      status,
      percent: status === 'running' ? PERCENT[step] - 5 : PERCENT[step],
      ...(log === undefined ? {} : { log }),
    });
  }

  /** The session to use now: the current one if it still stands, else a new one. */
  async live(): Promise<RouterSession> {
    if (this.session.isOpen()) return this.session;
    const never = new AbortController().signal;
    const session = await pollUntil(
      async () => {
        try {
          return await this.job.opts.reconnect();
        } catch (error) {
          // Only an unreachable router is worth waiting for; a host key or login problem is final.
          if (error instanceof RouterConnectError && error.reason === 'unreachable') return undefined;
          throw error;
        }
      },
      {
        timeoutMs: this.job.opts.reconnectTimeoutMs ?? 60_000,
        signal: never,
        what: `reconnecting to router ${this.where}`,
        initialMs: 200,
        maxMs: 3000,
      },
    );
    this.opened.push(session);
    this.session = session;
    return session;
  }

  /** A connection that lost a command's exit status is not trusted again. */
  async abandon(): Promise<void> {
    await this.session.close().catch(() => undefined);
  }

  async closeOwn(): Promise<void> {
    await Promise.all(this.opened.map((s) => s.close().catch(() => undefined)));
  }
}

function backupName(host: string): string {
  const safeHost = host.replace(/[^A-Za-z0-9.-]/g, '_');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return `router-${safeHost}-${stamp}`;
}

/** Writes the BGP lines (passwords removed) to <dataDir>/backups; never the whole config. */
export async function writeBgpBackup(
  dataDir: string,
  session: RouterSession,
  configCommands: string,
  verb: string,
): Promise<string> {
  const dir = path.join(dataDir, 'backups');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lines = redactedBgpLines(bgpLinesOf(configCommands));
  const text = [
    `# MetalLB BGP Wizard: the BGP configuration of router ${describeTarget(session.target)} before ${verb}, read ${new Date().toISOString()}.`,
    '# Passwords are removed. To put it back by hand: configure, delete protocols bgp, each set line below (re-enter passwords), commit, save.',
    ...(lines.length === 0 ? ['# (the router had no BGP configuration)'] : lines),
    '',
  ].join('\n');
  const base = backupName(session.target.host);
  for (let n = 0; ; n++) {
    const file = path.join(dir, `${base}${n === 0 ? '' : `-${n}`}.txt`);
    try {
      await writeFile(file, text, { mode: 0o600, flag: 'wx' });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw error;
    }
  }
}

function stateText(state: RouterState, backupFile: string | null): string {
  const backup =
    backupFile === null ? '' : ` The previous BGP lines are in ${backupFile} (passwords removed).`;
  switch (state) {
    case 'unchanged':
      return 'The router already runs the planned BGP configuration; nothing was run.';
    case 'old-config':
      return 'The router still runs its previous BGP configuration (nothing was changed); its saved configuration was not touched.';
    case 'restored':
      return 'The router runs its previous BGP configuration again (restored and verified); its saved configuration was not touched.';
    case 'applied':
      return 'The router runs the NEW BGP configuration, which is NOT saved: a reboot brings back the previous one. Apply again, or run "save" on the router.';
    case 'applied-and-saved':
      return 'The router runs the new BGP configuration, verified and saved.';
    case 'unknown':
      return `Which BGP configuration the router runs now is UNKNOWN: check it with "show configuration commands". Its saved configuration was not touched.${backup}`;
  }
}

async function failWith(run: Run, reason: string, cancelled: boolean, cause?: unknown): Promise<never> {
  const state = run.touched ? await restore(run) : 'old-config';
  await run.closeOwn();
  const text = stateText(state, run.backupFile);
  if (cancelled)
    throw new RouterApplyCancelled(`${run.job.verb} on router ${run.where}`, text, state, run.backupFile);
  throw new RouterApplyError(`${reason} ${text}`, state, run.backupFile, cause);
}

/** Brings `protocols bgp` back to the backup; returns the state it leaves the router in. */
async function restore(run: Run): Promise<RouterState> {
  run.progress('restore', 'running', 'Restoring the previous BGP configuration');
  try {
    const session = await run.live();
    const current = await readRunningConfig(session);
    const tokens = bgpTokensOf(current);
    if (sameBgpLines(tokens, run.backup)) {
      run.progress(
        'restore',
        'done',
        'The router still runs its previous BGP configuration; nothing to restore',
      );
      return 'old-config';
    }
    const script = restoreScript(editsToReach(tokens, run.backup));
    if (!script.ok) {
      run.progress('restore', 'failed', `Cannot restore automatically: ${script.problem}`);
      return run.job.reached(current) ? 'applied' : 'unknown';
    }
    const result = await session.exec(script.script);
    if (result.code === null) await run.abandon();
    const after = await readRunningConfig(await run.live());
    if (sameBgpLines(bgpTokensOf(after), run.backup)) {
      run.progress('restore', 'done', 'Restored the previous BGP configuration and checked it');
      return 'restored';
    }
    run.progress('restore', 'failed', `Restoring did not take (exit ${result.code ?? 'none'})`);
    return run.job.reached(after) ? 'applied' : 'unknown';
  } catch (error) {
    run.progress('restore', 'failed', `Restoring failed: ${messageOf(error)}`);
    return 'unknown';
  }
}

function exitText(code: number | null): string {
  return code === null ? 'the connection dropped before it finished' : `it exited with status ${code}`;
}

const MAX_SAID = 400;

/**
 * What the router printed, for the message: the failure is judged by the exit status alone, but
 * commit_with_error's text tells the user why. One line, bounded, with any password value removed.
 */
function routerSaid(output: string): string {
  const text = output
    .replace(/\bpassword\s+('[^']*'|"[^"]*"|\S+)/g, 'password <removed>')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return '';
  return ` The router said: "${text.length > MAX_SAID ? `${text.slice(0, MAX_SAID)}…` : text}"`;
}

async function runJob(session: RouterSession, job: Job): Promise<RouterApplyResult> {
  const run = new Run(session, job);
  const { ctx } = job;
  const cancelled = (): boolean => ctx.signal.aborted;

  run.progress('read', 'running', `Reading the running configuration of ${run.where}`);
  let config: string;
  try {
    config = await readRunningConfig(session, ctx.signal);
  } catch (error) {
    if (error instanceof CancelledError) return failWith(run, '', true);
    throw error;
  }
  run.backup = bgpTokensOf(config);
  run.progress('read', 'done');
  if (cancelled()) return failWith(run, '', true);

  run.progress('backup', 'running');
  run.backupFile = await writeBgpBackup(job.opts.dataDir, session, config, job.verb);
  run.progress('backup', 'done', `Saved the current BGP lines to ${run.backupFile}`);

  run.progress('diff', 'running');
  const change = job.change(config);
  if ('refusal' in change) {
    run.progress('diff', 'failed', change.refusal);
    return failWith(run, change.refusal, false);
  }
  run.progress(
    'diff',
    'done',
    change.unchanged ? 'Nothing to change' : `${change.lineCount} line(s) to change`,
  );
  if (change.unchanged) {
    for (const step of ['apply', 'verify', 'save'] as const) run.progress(step, 'skipped');
    return {
      changed: false,
      state: 'unchanged',
      message: stateText('unchanged', null),
      preview: change.preview,
      backupFile: run.backupFile,
    };
  }
  if (cancelled()) return failWith(run, '', true);

  // The commit is never interrupted: a cancel during it takes effect right after, by restoring.
  run.progress('apply', 'running', `Running ${change.lineCount} configuration line(s) in one commit`);
  run.touched = true;
  let result;
  try {
    result = await session.exec(change.script);
  } catch (error) {
    await run.abandon();
    run.progress('apply', 'failed', messageOf(error));
    return failWith(
      run,
      `The change could not be run on router ${run.where}: ${messageOf(error)}.`,
      cancelled(),
      error,
    );
  }
  if (result.code !== 0) {
    if (result.code === null) await run.abandon();
    run.progress('apply', 'failed', `The configuration script failed: ${exitText(result.code)}`);
    return failWith(
      run,
      `The configuration script on router ${run.where} failed: ${exitText(result.code)}.${routerSaid(result.stdout)}`,
      cancelled(),
    );
  }
  run.progress('apply', 'done');
  if (cancelled()) return failWith(run, '', true);

  run.progress('verify', 'running', 'Reading the configuration back');
  let after: string;
  try {
    after = await readRunningConfig(await run.live());
  } catch (error) {
    await run.abandon();
    return failWith(run, `Reading the configuration back failed: ${messageOf(error)}.`, cancelled(), error);
  }
  if (!job.reached(after)) {
    run.progress('verify', 'failed', 'The running configuration does not hold the change');
    return failWith(
      run,
      `Router ${run.where} accepted the change, but its running configuration does not hold it afterwards.`,
      cancelled(),
    );
  }
  run.progress('verify', 'done', 'The running configuration holds the change');
  if (cancelled()) return failWith(run, '', true);

  return save(run, change.preview, change.notes);
}

async function save(run: Run, preview: PreviewLine[], notes: string[]): Promise<RouterApplyResult> {
  run.progress('save', 'running', 'Saving the verified configuration');
  let saved;
  try {
    saved = await (await run.live()).exec(run.job.plan.router.saveScript);
  } catch (error) {
    saved = { code: null, stdout: '', stderr: messageOf(error) };
  }
  await run.closeOwn();
  if (saved.code !== 0) {
    run.progress('save', 'failed', `Saving failed: ${exitText(saved.code)}`);
    const unsure = saved.code === null ? ' Whether the save completed is unknown.' : '';
    throw new RouterApplyError(
      `Saving the configuration on router ${run.where} failed: ${exitText(saved.code)}. ${stateText('applied', run.backupFile)}${unsure}`,
      'applied',
      run.backupFile,
    );
  }
  run.progress('save', 'done', 'Saved');
  return {
    changed: true,
    state: 'applied-and-saved',
    message: [stateText('applied-and-saved', run.backupFile), ...notes].join(' '),
    preview,
    backupFile: run.backupFile,
  };
}

const RESET_NOTE =
  'Changing or removing the router id resets every BGP session on the router, including ones the wizard did not add.';

function touchesRouterId(lines: RouterLine[]): boolean {
  return lines.some((l) => l.path.includes('router-id') || (l.op === 'delete' && l.path.length <= 3));
}

export async function applyRouterPlan(
  session: RouterSession,
  plan: Plan,
  ctx: OperationContext,
  opts: RouterApplyOptions,
): Promise<RouterApplyResult> {
  return runJob(session, {
    operation: 'router.apply',
    verb: 'applying the plan',
    plan,
    ctx,
    opts,
    change: (config) => {
      const diff = diffRouterConfig(config, plan);
      if (!diff.ok) return { refusal: diff.error };
      const hadRouterId = /\srouter-id\s/.test(config);
      return {
        unchanged: diff.unchanged,
        script: diff.script,
        preview: diff.preview,
        lineCount: diff.lines.length,
        notes: hadRouterId && touchesRouterId(diff.lines) ? [RESET_NOTE] : [],
      };
    },
    reached: (config) => {
      const diff = diffRouterConfig(config, plan);
      return diff.ok && diff.unchanged;
    },
  });
}

export interface TeardownPreview {
  lines: string[];
  unchanged: boolean;
  notes: string[];
}

function teardownPreviewOf(plan: Plan, config: string): TeardownPreview {
  const teardown = teardownPlan(plan.topology, config);
  const notes: string[] = [];
  if (touchesRouterId(teardown.lines)) notes.push(RESET_NOTE);
  if (teardown.lines.length > 0) {
    notes.push('Only neighbors whose description starts with "mbw-" are removed; your own neighbors stay.');
  }
  return { lines: teardown.lines.map(renderRouterLine), unchanged: teardown.lines.length === 0, notes };
}

export async function previewRouterTeardown(session: RouterSession, plan: Plan): Promise<TeardownPreview> {
  return teardownPreviewOf(plan, await readRunningConfig(session));
}

export async function teardownRouter(
  session: RouterSession,
  plan: Plan,
  ctx: OperationContext,
  opts: RouterApplyOptions,
): Promise<RouterApplyResult> {
  return runJob(session, {
    operation: 'router.teardown',
    verb: 'removing the wizard BGP configuration',
    plan,
    ctx,
    opts,
    change: (config) => {
      const teardown = teardownPlan(plan.topology, config);
      const preview = teardownPreviewOf(plan, config);
      return {
        unchanged: teardown.lines.length === 0,
        script: teardown.script,
        preview: preview.lines.map((line) => ({ line, kind: 'remove' as const })),
        lineCount: teardown.lines.length,
        notes: preview.notes.filter((n) => n === RESET_NOTE),
      };
    },
    reached: (config) => teardownPlan(plan.topology, config).lines.length === 0,
  });
}
