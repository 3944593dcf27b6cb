// Test support for the router adapter: the lab's router emulator over real SSH, with a data dir
// of its own, and the lab topology planned for either dialect.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRouterEmulator } from '../../../lab/router/index.ts';
import type { RouterEmulator, RouterEmulatorOptions } from '../../../lab/router/index.ts';
import type { RoutingBackend } from '../../../lab/router/index.ts';
import { StaticBackend } from '../../../lab/router/testing.ts';
import { labSpec, labTopologyDocument } from '../../../lab/spec.ts';
import { buildPlan } from '../../shared/plan/index.ts';
import type { Plan } from '../../shared/plan/index.ts';
import { validateTopology } from '../../shared/topology/index.ts';
import { HostKeyStore } from './host-keys.ts';
import { openRouterSession } from './session.ts';
import type { HostKeyPolicy, RouterAuth, RouterSession, RouterTarget } from './session.ts';

export const LAB_PASSWORD = 'router-adapter-pass';
export const CFG = '/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper';

export const LAB_INTERFACES = [
  { name: 'eth0', address: '10.77.0.2/24' },
  { name: 'eth1', address: '10.77.1.1/24' },
  { name: 'eth2', address: '10.77.2.1/24' },
];

export interface RouterLab {
  emulator: RouterEmulator;
  target: RouterTarget;
  auth: RouterAuth;
  dataDir: string;
  store: HostKeyStore;
  /** A session whose host key is checked against the emulator's own (pinned on first use). */
  open(): Promise<RouterSession>;
  policy(): HostKeyPolicy;
  stop(): Promise<void>;
}

export async function startRouterLab(
  opts: { dialect: 'edgeos' | 'vyos'; backend?: RoutingBackend } & Partial<RouterEmulatorOptions>,
): Promise<RouterLab> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mbw-router-adapter-'));
  const emulator = await startRouterEmulator({
    stateDir: path.join(dir, 'router'),
    backend: opts.backend ?? new StaticBackend(),
    users: [{ username: 'ubnt', password: LAB_PASSWORD }],
    interfaces: LAB_INTERFACES,
    ...opts,
  });
  const dataDir = path.join(dir, 'data');
  const store = new HostKeyStore({ dataDir, knownHostsFile: null });
  const target: RouterTarget = { host: emulator.host, port: emulator.port, username: 'ubnt' };
  const auth: RouterAuth = { kind: 'password', password: LAB_PASSWORD };
  const policy = (): HostKeyPolicy => ({ store, expected: emulator.hostKeySha256 });
  return {
    emulator,
    target,
    auth,
    dataDir,
    store,
    policy,
    open: () => openRouterSession(target, auth, policy(), { readyTimeoutMs: 10_000 }),
    stop: async () => {
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The lab topology (router 10.77.1.1, nodes 10.77.1.11…) for a dialect, planned. */
export function labPlan(dialect: 'edgeos' | 'vyos', nodeCount = 2, port = 22): Plan {
  const document = labTopologyDocument(labSpec('rta', nodeCount), { host: '127.0.0.1', port });
  (document.router as { dialect: string }).dialect = dialect;
  const result = validateTopology(document);
  if (!result.ok) throw new Error(`lab topology invalid: ${JSON.stringify(result.errors)}`);
  return buildPlan(result.topology);
}

/** One wrapper script that sets (or deletes) lines and commits, for arranging a router by hand. */
export function commitScript(lines: string[]): string {
  return [`W=${CFG}`, '$W begin', ...lines.map((l) => `$W ${l}`), '$W commit || exit 3', '$W end'].join('\n');
}

/** The BGP root as a command prefix in the dialect. */
export function bgpPrefix(dialect: 'edgeos' | 'vyos'): string {
  return dialect === 'edgeos' ? 'protocols bgp 64512' : 'protocols bgp';
}
