// Issue 6's acceptance on the real lab (network namespaces, FRR, kernel ECMP), for both router
// dialects: the wizard's CLI applies, status shows every neighbor Established with ECMP routes, the
// router's curl is answered by at least two nodes, a second apply changes nothing, and teardown
// removes every marked neighbor while the user's own stays. Needs root and FRR; skips otherwise.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from './run.ts';
import type { CommandResult } from './run.ts';
import { realLabSkipReason } from './testing.ts';
import { cliHarness, exposeWebService, removeHome, statusWithEcmp } from '../../src/main/cli/testing.ts';
import type { CliHarness } from '../../src/main/cli/testing.ts';
import { sshExec } from '../router/testing.ts';

const CLI = path.resolve(process.cwd(), 'lab/netns/cli.ts');
const USER_NEIGHBOR = '10.77.1.99';

const reason = await realLabSkipReason();
if (reason) console.warn(`lab/netns/wizard-cli.test.ts skipped: ${reason}`);

interface ReadyLine {
  router: { host: string; port: number; username: string; password: string; hostKeySha256: string };
  kubeconfig: string;
  topology: string;
}

for (const dialect of ['edgeos', 'vyos'] as const) {
  const id = dialect === 'edgeos' ? 'twe' : 'twv';
  const lab = (args: string[]): Promise<CommandResult> =>
    runCommand(process.execPath, [CLI, ...args, '--id', id], 180_000);

  describe.skipIf(reason !== null)(
    `the wizard CLI on the real lab (${dialect})`,
    { timeout: 180_000 },
    () => {
      let line: ReadyLine;
      let cli: CliHarness;
      let connection: string[];
      const routerExec = (script: string) =>
        sshExec(
          {
            host: line.router.host,
            port: line.router.port,
            username: line.router.username,
            password: line.router.password,
          },
          script,
        );

      beforeAll(async () => {
        await lab(['down']);
        const up = await lab(['up', '--json', '--dialect', dialect]);
        expect(up.exitCode, up.stderr).toBe(0);
        line = JSON.parse(up.stdout.trim().split('\n').at(-1) ?? '') as ReadyLine;
        cli = cliHarness({ METALLB_WIZARD_ROUTER_PASSWORD: line.router.password });
        connection = [
          '--topology',
          line.topology,
          '--kubeconfig',
          line.kubeconfig,
          '--router-host-key',
          line.router.hostKeySha256,
        ];
        const w = '/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper';
        const neighbor =
          dialect === 'edgeos'
            ? `protocols bgp 64512 neighbor ${USER_NEIGHBOR} remote-as 65010`
            : `protocols bgp neighbor ${USER_NEIGHBOR} remote-as 65010`;
        const system = dialect === 'vyos' ? [`${w} set protocols bgp system-as 64512`] : [];
        const setup = await routerExec(
          [`${w} begin`, ...system, `${w} set ${neighbor}`, `${w} commit`, `${w} save`, `${w} end`].join(
            '\n',
          ),
        );
        expect(setup.code, setup.stdout).toBe(0);
      }, 240_000);

      afterAll(async () => {
        await lab(['down']);
        if (cli) await removeHome(cli);
      });

      it('apply → Established + ECMP → curl from ≥2 nodes → no-op apply → teardown keeps the user neighbor', async () => {
        const applied = await cli.json<{ changed: boolean; router: { state: string } }>([
          'apply',
          ...connection,
          '--yes',
        ]);
        expect(applied).toMatchObject({ changed: true, router: { state: 'applied-and-saved' } });

        await exposeWebService(line.kubeconfig);
        const status = await statusWithEcmp(cli, connection, 'default/web', 3, 90_000);
        const route = status.routes.find((r) => r.service === 'default/web');
        expect(route?.nextHops.map((h) => h.node).sort()).toEqual(['worker1', 'worker2', 'worker3']);

        const test = await cli.run([
          'test',
          ...connection,
          '--service',
          'default/web',
          '--count',
          '30',
          '--json',
        ]);
        expect(test.code, test.stderr).toBe(0);
        const report = JSON.parse(test.stdout) as { succeeded: number; byNode: Record<string, number> };
        expect(report.succeeded).toBe(30);
        expect(Object.keys(report.byNode).length).toBeGreaterThanOrEqual(2);

        const again = await cli.json<{ changed: boolean }>(['apply', ...connection, '--yes']);
        expect(again.changed).toBe(false);

        const down = await cli.run(['teardown', ...connection, '--yes', '--json']);
        expect(down.code, down.stderr).toBe(0);
        const config = await routerExec('/opt/vyatta/bin/vyatta-op-cmd-wrapper show configuration commands');
        expect(config.stdout).toContain(`neighbor ${USER_NEIGHBOR} remote-as`);
        expect(config.stdout).not.toContain('mbw-');
      });
    },
  );
}
