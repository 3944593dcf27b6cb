// Applying and tearing down plans on the router emulator over real SSH, in both dialects: backup,
// one commit, verify, save; refusals; drops mid-commit and cancels end in a stated config.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../shared/progress.ts';
import type { Plan } from '../../shared/plan/index.ts';
import { UserError } from '../errors.ts';
import {
  RouterApplyCancelled,
  RouterApplyError,
  applyRouterPlan,
  previewRouterTeardown,
  teardownRouter,
} from './index.ts';
import type { RouterApplyResult, RouterSession } from './index.ts';
import { bgpPrefix, commitScript, labPlan, startRouterLab } from './testing.ts';
import type { RouterLab } from './testing.ts';

const USER_PASSWORD = 'Top-Secret-99';

function context(signal = new AbortController().signal) {
  const events: ProgressEvent[] = [];
  return { events, ctx: { onProgress: (e: ProgressEvent) => events.push(e), signal } };
}

async function failure(
  promise: Promise<unknown>,
): Promise<UserError & { state?: string; backupFile?: string | null }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError & { state?: string };
  }
  throw new Error('expected the operation to fail');
}

describe.each(['edgeos', 'vyos'] as const)('router apply on %s', (dialect) => {
  let l: RouterLab;
  let session: RouterSession;
  const root = bgpPrefix(dialect);
  const opts = () => ({ dataDir: l.dataDir, reconnect: () => l.open() });
  const bgpRunning = () => l.emulator.runningConfig().filter((line) => line.startsWith('set protocols bgp'));

  beforeEach(async () => {
    l = await startRouterLab({ dialect });
    session = await l.open();
  });
  afterEach(async () => {
    await session.close();
    await l.stop();
  });

  async function addUserNeighbor(): Promise<void> {
    const lines = [
      ...(dialect === 'vyos' ? [`set ${root} system-as 64512`] : []),
      `set ${root} neighbor 10.77.1.99 remote-as 64512`,
      `set ${root} neighbor 10.77.1.99 password ${USER_PASSWORD}`,
      `set ${root} neighbor 10.77.1.99 description 'my own peer'`,
    ];
    expect((await session.exec(commitScript(lines))).code).toBe(0);
  }

  async function applied(plan: Plan): Promise<RouterApplyResult> {
    const { ctx } = context();
    return applyRouterPlan(session, plan, ctx, opts());
  }

  it('applies, verifies and saves; a second apply changes nothing and runs no script', async () => {
    const plan = labPlan(dialect, 2);
    const { events, ctx } = context();
    const result = await applyRouterPlan(session, plan, ctx, opts());
    expect(result).toMatchObject({ changed: true, state: 'applied-and-saved' });
    expect(result.message).toMatch(/verified and saved/);
    expect(result.preview.filter((p) => p.kind === 'add').map((p) => p.line)).toContain(
      `set ${root} neighbor 10.77.1.12 description mbw-worker2`,
    );
    const running = l.emulator.runningConfig();
    expect(running).toContain(`set ${root} neighbor 10.77.1.11 description 'mbw-worker1'`);
    expect(l.emulator.savedConfig()).toEqual(running);
    const steps = events.filter((e) => e.status === 'done').map((e) => e.step);
    expect(steps).toEqual(['read', 'backup', 'diff', 'apply', 'verify', 'save']);
    expect(events.every((e) => e.operation === 'router.apply')).toBe(true);

    const again = context();
    const second = await applyRouterPlan(session, plan, again.ctx, opts());
    expect(second).toMatchObject({ changed: false, state: 'unchanged' });
    expect(second.preview.every((p) => p.kind === 'keep')).toBe(true);
    expect(again.events.some((e) => e.step === 'apply' && e.status === 'running')).toBe(false);
    expect(again.events.filter((e) => e.status === 'skipped').map((e) => e.step)).toEqual([
      'apply',
      'verify',
      'save',
    ]);
    expect(l.emulator.runningConfig()).toEqual(running);
  });

  it('keeps the user’s own neighbor through apply and teardown; the backup holds no password', async () => {
    await addUserNeighbor();
    const result = await applied(labPlan(dialect, 2));
    expect(result.state).toBe('applied-and-saved');
    expect(result.backupFile).not.toBeNull();
    const backupFile = result.backupFile ?? '';
    expect(path.basename(backupFile)).toMatch(/^router-127\.0\.0\.1-\d{4}-\d\d-\d\dT[\d-]+Z\.txt$/);
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(backupFile)).mode & 0o777).toBe(0o700);
    const backup = readFileSync(backupFile, 'utf8');
    expect(backup).not.toContain(USER_PASSWORD);
    expect(backup).toMatch(/neighbor 10\.77\.1\.99 password <password removed>/);
    expect(backup).toContain('neighbor 10.77.1.99 remote-as');
    expect(backup).not.toContain('interfaces');
    expect(bgpRunning().some((line) => line.includes('10.77.1.99 password'))).toBe(true);

    const preview = await previewRouterTeardown(session, labPlan(dialect, 2));
    expect(preview.unchanged).toBe(false);
    expect(preview.lines).toEqual([
      `delete ${root} neighbor 10.77.1.11`,
      `delete ${root} neighbor 10.77.1.12`,
    ]);

    const { events, ctx } = context();
    const teardown = await teardownRouter(session, labPlan(dialect, 2), ctx, opts());
    expect(teardown).toMatchObject({ changed: true, state: 'applied-and-saved' });
    expect(events.every((e) => e.operation === 'router.teardown')).toBe(true);
    const after = bgpRunning();
    expect(after.some((line) => line.includes('mbw-'))).toBe(false);
    expect(after).toContain(`set ${root} neighbor 10.77.1.99 description 'my own peer'`);
    expect(after.some((line) => line.includes('10.77.1.99 password'))).toBe(true);
    expect(l.emulator.savedConfig()).toEqual(l.emulator.runningConfig());
    for (const file of readdirSync(path.dirname(backupFile))) {
      expect(readFileSync(path.join(path.dirname(backupFile), file), 'utf8')).not.toContain(USER_PASSWORD);
    }
    const done = await teardownRouter(session, labPlan(dialect, 2), context().ctx, opts());
    expect(done).toMatchObject({ changed: false, state: 'unchanged' });
  });

  it('tears down everything it added when no other neighbor needs it, noting the router-id reset', async () => {
    await applied(labPlan(dialect, 2));
    const preview = await previewRouterTeardown(session, labPlan(dialect, 2));
    expect(preview.lines).toEqual([`delete ${root}`]);
    expect(preview.notes.join(' ')).toMatch(/router id resets every BGP session/);
    await teardownRouter(session, labPlan(dialect, 2), context().ctx, opts());
    expect(bgpRunning()).toEqual([]);
  });

  it('refuses when the router runs BGP under another ASN, and changes nothing', async () => {
    const foreign =
      dialect === 'edgeos'
        ? ['set protocols bgp 65001 neighbor 10.77.1.50 remote-as 65001']
        : ['set protocols bgp system-as 65001', 'set protocols bgp neighbor 10.77.1.50 remote-as 65001'];
    expect((await session.exec(commitScript(foreign))).code).toBe(0);
    const before = l.emulator.runningConfig();
    const error = await failure(applied(labPlan(dialect, 2)));
    expect(error).toBeInstanceOf(RouterApplyError);
    expect(error.state).toBe('old-config');
    expect(error.message).toContain('AS 65001');
    expect(error.message).toMatch(/still runs its previous BGP configuration/);
    expect(l.emulator.runningConfig()).toEqual(before);
  });

  it.each(['before-apply', 'after-apply'] as const)(
    'a drop mid-commit (%s) ends in exactly the old config, restored if needed, never saved',
    async (stage) => {
      await applied(labPlan(dialect, 2));
      const oldRunning = l.emulator.runningConfig();
      const oldSaved = l.emulator.savedConfig();
      l.emulator.faults.dropMidCommit = stage;
      const { events, ctx } = context();
      const error = await failure(
        applyRouterPlan(session, labPlan(dialect, 3), ctx, {
          dataDir: l.dataDir,
          // The router is back: it does not drop the next commit.
          reconnect: () => {
            l.emulator.faults.dropMidCommit = null;
            return l.open();
          },
        }),
      );
      expect(error).toBeInstanceOf(RouterApplyError);
      expect(l.emulator.runningConfig()).toEqual(oldRunning);
      expect(l.emulator.savedConfig()).toEqual(oldSaved);
      expect(events.some((e) => e.step === 'save' && e.status === 'running')).toBe(false);
      if (stage === 'before-apply') {
        expect(error.state).toBe('old-config');
        expect(error.message).toMatch(/still runs its previous BGP configuration/);
      } else {
        expect(error.state).toBe('restored');
        expect(error.message).toMatch(/runs its previous BGP configuration again \(restored and verified\)/);
        expect(events).toContainEqual(expect.objectContaining({ step: 'restore', status: 'done' }));
      }
      expect(error.message).toMatch(/saved configuration was not touched/);
      expect(error.message).toMatch(/connection dropped/);
    },
  );

  it('restores a removed neighbor with its quoted password after a drop, keeping the password out of every message', async () => {
    await applied(labPlan(dialect, 3));
    const secret = 'pass word!7';
    expect(
      (await session.exec(commitScript([`set ${root} neighbor 10.77.1.13 password '${secret}'`]))).code,
    ).toBe(0);
    const oldRunning = l.emulator.runningConfig();
    expect(oldRunning.some((line) => line.includes(secret))).toBe(true);
    l.emulator.faults.dropMidCommit = 'after-apply';
    const { events, ctx } = context();
    const error = await failure(
      applyRouterPlan(session, labPlan(dialect, 2), ctx, {
        dataDir: l.dataDir,
        reconnect: () => {
          l.emulator.faults.dropMidCommit = null;
          return l.open();
        },
      }),
    );
    expect(error.state).toBe('restored');
    expect(l.emulator.runningConfig()).toEqual(oldRunning);
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(events)).not.toContain(secret);
    expect(readFileSync(error.backupFile ?? '', 'utf8')).not.toContain(secret);
  });

  it('says the state is unknown when the router cannot be reached again', async () => {
    await applied(labPlan(dialect, 2));
    l.emulator.faults.dropMidCommit = 'after-apply';
    const error = await failure(
      applyRouterPlan(session, labPlan(dialect, 3), context().ctx, {
        dataDir: l.dataDir,
        reconnectTimeoutMs: 300,
        reconnect: () => Promise.reject(new Error('host key refused for the test')),
      }),
    );
    expect(error).toMatchObject({ state: 'unknown' });
    expect(error.message).toMatch(/UNKNOWN/);
    expect(error.message).toContain(error.backupFile ?? 'no backup');
    l.emulator.faults.dropMidCommit = null;
  });

  it('a cancel during the commit restores the old config and says so', async () => {
    await applied(labPlan(dialect, 2));
    const oldRunning = l.emulator.runningConfig();
    const controller = new AbortController();
    l.emulator.faults.delayMs = 300;
    const events: ProgressEvent[] = [];
    const ctx = {
      signal: controller.signal,
      onProgress: (e: ProgressEvent) => {
        events.push(e);
        if (e.step === 'apply' && e.status === 'running') controller.abort();
      },
    };
    const error = await failure(applyRouterPlan(session, labPlan(dialect, 3), ctx, opts()));
    l.emulator.faults.delayMs = 0;
    expect(error).toBeInstanceOf(RouterApplyCancelled);
    expect(error.kind).toBe('cancelled');
    expect(error.state).toBe('restored');
    expect(error.message).toMatch(/was cancelled\. The router runs its previous BGP configuration again/);
    expect(l.emulator.runningConfig()).toEqual(oldRunning);
    expect(l.emulator.savedConfig()).toEqual(oldRunning);
  });

  it('a cancel before the commit changes nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failure(
      applyRouterPlan(
        session,
        labPlan(dialect, 2),
        { onProgress: () => undefined, signal: controller.signal },
        opts(),
      ),
    );
    expect(error.kind).toBe('cancelled');
    expect(error.state).toBe('old-config');
    expect(bgpRunning()).toEqual([]);
  });
});
