// The planner (src/shared/plan) and the router emulator meet at one contract: the exec-channel
// wrapper script. This drives the planner's own scripts over SSH, in both dialects, through a
// whole life cycle: apply, re-plan to no change, change the topology, save, tear down. If either
// side drifts (script form, quoting of `show configuration commands`, tree validation), this fails.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRouterEmulator } from './index.ts';
import type { RouterEmulator } from './index.ts';
import { StaticBackend } from './testing/static-backend.ts';
import { sshExec } from './testing/ssh-client.ts';
import type { Target } from './testing/ssh-client.ts';
import {
  SCRIPT_EXIT,
  buildPlan,
  diffRouterConfig,
  renderSaveScript,
  teardownPlan,
} from '../../src/shared/plan/index.ts';
import { validateTopology } from '../../src/shared/topology/index.ts';
import type { RouterDialect, Topology } from '../../src/shared/topology/index.ts';
import { labSpec, labTopologyDocument } from '../spec.ts';

const PASSWORD = 'contract-pass';
const SHOW_CONFIG = '/opt/vyatta/bin/vyatta-op-cmd-wrapper show configuration commands';

function labTopology(dialect: RouterDialect, nodeCount: number): Topology {
  const document = labTopologyDocument(labSpec('ctr', nodeCount), { host: '127.0.0.1', port: 22 });
  (document.router as { dialect: string }).dialect = dialect;
  const result = validateTopology(document);
  if (!result.ok) throw new Error(`lab topology invalid: ${JSON.stringify(result.errors)}`);
  return result.topology;
}

describe.each(['edgeos', 'vyos'] as const)('planner scripts on the %s emulator', (dialect) => {
  let dir: string;
  let emulator: RouterEmulator;
  let target: Target;
  const backend = new StaticBackend();

  const runningConfig = async () => (await sshExec(target, SHOW_CONFIG)).stdout;
  const run = async (script: string) => {
    const result = await sshExec(target, script);
    expect(result, `script failed:\n${script}\n${result.stdout}${result.stderr}`).toMatchObject({ code: 0 });
    return result;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mbw-contract-'));
    emulator = await startRouterEmulator({
      stateDir: dir,
      dialect,
      backend,
      port: 0,
      users: [{ username: 'ubnt', password: PASSWORD }],
      interfaces: [
        { name: 'eth0', address: '10.77.0.2/24' },
        { name: 'eth1', address: '10.77.1.1/24' },
        { name: 'eth2', address: '10.77.2.1/24' },
      ],
    });
    target = { host: emulator.host, port: emulator.port, username: 'ubnt', password: PASSWORD };
  });
  afterAll(async () => {
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the plan, then re-plans to no change', async () => {
    const plan = buildPlan(labTopology(dialect, 3));
    const before = diffRouterConfig(await runningConfig(), plan);
    expect(before.ok).toBe(true);
    if (!before.ok) return;
    expect(before.unchanged).toBe(false);
    await run(before.script);

    const config = await runningConfig();
    expect(config).toContain("neighbor 10.77.1.13 description 'mbw-worker3'");
    const after = diffRouterConfig(config, plan);
    expect(after).toMatchObject({ ok: true, unchanged: true, lines: [] });
  });

  it('removes the marked neighbor of a node that left, and keeps a neighbor the user added', async () => {
    const asnRoot = dialect === 'edgeos' ? 'protocols bgp 64512' : 'protocols bgp';
    await run(
      [
        'W=/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper',
        '$W begin',
        `$W set ${asnRoot} neighbor 10.77.1.99 remote-as 64512`,
        '$W commit',
        '$W end',
      ].join('\n'),
    );
    const plan = buildPlan(labTopology(dialect, 2));
    const diff = diffRouterConfig(await runningConfig(), plan);
    expect(diff.ok).toBe(true);
    if (!diff.ok) return;
    expect(diff.lines).toEqual([{ op: 'delete', path: [...asnRoot.split(' '), 'neighbor', '10.77.1.13'] }]);
    await run(diff.script);

    const config = await runningConfig();
    expect(config).not.toContain('10.77.1.13');
    expect(config).toContain('neighbor 10.77.1.99 remote-as');
    expect(diffRouterConfig(config, plan)).toMatchObject({ ok: true, unchanged: true });
  });

  it('saves only through the separate save script', async () => {
    expect(emulator.savedConfig().some((line) => line.includes('mbw-'))).toBe(false);
    await run(renderSaveScript());
    expect(emulator.savedConfig().some((line) => line.includes('mbw-worker1'))).toBe(true);
  });

  it('tears down exactly what the wizard added', async () => {
    const teardown = teardownPlan(labTopology(dialect, 2), await runningConfig());
    expect(teardown.lines.length).toBeGreaterThan(0);
    await run(teardown.script);

    const config = await runningConfig();
    expect(config).not.toContain('mbw-');
    // The user's own neighbor stays, and so does the BGP instance it needs.
    expect(config).toContain('neighbor 10.77.1.99 remote-as');
  });

  it('a commit the router refuses stops the planner script with the commit exit code and says why', async () => {
    const plan = buildPlan(labTopology(dialect, 3));
    const diff = diffRouterConfig(await runningConfig(), plan);
    expect(diff.ok).toBe(true);
    if (!diff.ok) return;
    const before = await runningConfig();
    backend.failApplyWith = 'bgpd is not running';
    try {
      // The wrapper's plain commit only logs its errors (as real firmware); the plan uses commit_with_error.
      const quiet = await sshExec(target, diff.script.replace('$W commit_with_error ||', '$W commit ||'));
      expect(quiet.code).toBe(SCRIPT_EXIT.commit);
      expect(quiet.stdout).not.toContain('bgpd is not running');
      const told = await sshExec(target, diff.script);
      expect(told.code).toBe(SCRIPT_EXIT.commit);
      expect(told.stdout).toContain('bgpd is not running');
      expect(told.stdout).toContain('Commit failed');
    } finally {
      backend.failApplyWith = null;
    }
    expect(await runningConfig()).toBe(before);
  });
});
