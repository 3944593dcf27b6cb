// The real lab of the full-setup figure, and its floor: FRR alone bringing up the same sessions.
//
// Each run gets a fresh lab of its own (`lab/netns/cli.ts up --id bnfs --readiness-delay 0`), never
// the status entries' `bnch`, which runs with the default delays. On it the floor runs first: the
// plan's BGP goes straight into the router's FRR and every node's FRR (bench/full-setup-frr.ts), all
// at once with vtysh; once every session is Established, every node binds the Service IP and
// announces it until the router's curl is answered. Then every FRR is put back as the lab started
// it (no BGP instance, no bound IP; checked) and the wizard runs on the same lab, which the floor
// touched nowhere else (not the router emulator's config, not the API emulator). Afterwards the
// `router bgp` blocks the wizard's path left in FRR must equal the floor's: the same sessions with
// the same timers, or an error.
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { Plan } from '../src/shared/plan/index.ts';
import {
  announcementLines,
  bgpBlock,
  routerFrrLines,
  speakerAsn,
  speakerFrrLines,
} from './full-setup-frr.ts';

const LAB_CLI = new URL('../lab/netns/cli.ts', import.meta.url).pathname;
const UP_TIMEOUT_MS = 180_000;
const DOWN_TIMEOUT_MS = 60_000;
const COMMAND_TIMEOUT_MS = 15_000;
/** Bounds of one floor: sessions and the curl come in seconds, so a minute means something broke. */
const FLOOR_TIMEOUT_MS = 60_000;
const POLL_MS = 50;

/** What `lab up --json` prints, the fields used here. */
export interface LabLine {
  router: { host: string; port: number; username: string; password: string; hostKeySha256: string };
  kubeconfig: string;
  topology: string;
  namespaces: { router: string; nodes: { name: string; namespace: string; address: string }[] };
}

/** One FRR of the lab: its namespace and the directory holding its vty sockets. */
interface Frr {
  namespace: string;
  dir: string;
}

export interface FullSetupLab {
  id: string;
  line: LabLine;
  router: Frr;
  nodes: { name: string; address: string; frr: Frr }[];
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], timeoutMs = COMMAND_TIMEOUT_MS): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function mustRun(file: string, args: string[]): Promise<string> {
  const result = await run(file, args);
  // vtysh prints FRR's refusals ("% Unknown command") on stdout.
  if (result.code !== 0 || /^%/m.test(result.stdout))
    throw new Error(`${file} ${args.join(' ')} failed: ${(result.stdout + result.stderr).trim()}`);
  return result.stdout;
}

function labCommand(id: string, args: string[], timeoutMs: number): Promise<Run> {
  return run(process.execPath, [LAB_CLI, ...args, '--id', id], timeoutMs);
}

/** A fresh lab `id` whose API emulator makes pods Ready at once; leftovers of an earlier run go first. */
export async function startFullSetupLab(id: string): Promise<FullSetupLab> {
  await labCommand(id, ['down'], DOWN_TIMEOUT_MS);
  const up = await labCommand(id, ['up', '--json', '--readiness-delay', '0'], UP_TIMEOUT_MS);
  if (up.code !== 0) {
    await labCommand(id, ['down'], DOWN_TIMEOUT_MS);
    throw new Error(`the real lab "${id}" did not start: ${up.stderr.trim().split('\n').at(-1) ?? ''}`);
  }
  const line = JSON.parse(up.stdout.trim().split('\n').at(-1) ?? '') as LabLine;
  const status = await labCommand(id, ['status', '--json'], COMMAND_TIMEOUT_MS);
  const { dir } = JSON.parse(status.stdout) as { dir: string };
  // The lab runs each FRR with its sockets under <lab dir>/frr/<namespace> (lab/netns/frr-backend.ts).
  const frr = (namespace: string): Frr => ({ namespace, dir: path.join(dir, 'frr', namespace) });
  return {
    id,
    line,
    router: frr(line.namespaces.router),
    nodes: line.namespaces.nodes.map((n) => ({ name: n.name, address: n.address, frr: frr(n.namespace) })),
  };
}

export async function stopFullSetupLab(id: string): Promise<void> {
  const down = await labCommand(id, ['down'], DOWN_TIMEOUT_MS);
  if (down.code !== 0) throw new Error(`"lab down --id ${id}" failed: ${down.stderr.trim()}`);
}

function vtysh(frr: Frr, commands: string[]): Promise<string> {
  return mustRun('vtysh', ['--vty_socket', frr.dir, ...commands.flatMap((c) => ['-c', c])]);
}

function configure(frr: Frr, lines: string[]): Promise<string> {
  return vtysh(frr, ['configure terminal', ...lines]);
}

/** Polls `probe` every POLL_MS until it returns true, or throws naming `what`. */
async function polled(what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + FLOOR_TIMEOUT_MS;
  while (!(await probe())) {
    if (performance.now() > deadline)
      throw new Error(`the floor: no ${what} within ${FLOOR_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function routerPeerStates(lab: FullSetupLab): Promise<Record<string, string | undefined>> {
  const summary = JSON.parse((await vtysh(lab.router, ['show bgp summary json'])).trim() || '{}') as {
    ipv4Unicast?: { peers?: Record<string, { state?: string }> };
  };
  const peers = summary.ipv4Unicast?.peers ?? {};
  return Object.fromEntries(Object.entries(peers).map(([address, peer]) => [address, peer.state]));
}

async function answered(lab: FullSetupLab, ip: string): Promise<boolean> {
  const curl = await run('ip', [
    ...['netns', 'exec', lab.line.namespaces.router],
    ...['curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '2', `http://${ip}/`],
  ]);
  return curl.code === 0 && curl.stdout.trim() === '200';
}

export interface FloorRun {
  seconds: number;
  /** Seconds from the start until every session was Established. */
  sessionsAt: number;
  /** The `router bgp` blocks FRR ran, router first, to compare with the wizard's. */
  blocks: string[][];
}

/**
 * FRR alone: the same sessions (same lines, same timers) configured straight into FRR; once they
 * are Established, every node binds the Service IP and announces it, as MetalLB's speakers do for a
 * new Service, until the router's curl of it is answered. The same order as the wizard's run, and
 * the quicker one: announced together with the sessions, the route came with FRR's first update
 * about 2 s after Established, and the whole took about 0.5 s longer.
 */
export async function floorRun(lab: FullSetupLab, plan: Plan, serviceIp: string): Promise<FloorRun> {
  const routerLines = routerFrrLines(plan);
  const speakers = lab.nodes.map((node) => ({ node, lines: speakerFrrLines(plan, node) }));

  const start = performance.now();
  await Promise.all([
    configure(lab.router, routerLines),
    ...speakers.map(({ node, lines }) => configure(node.frr, lines)),
  ]);
  await polled('session Established with every node', async () => {
    const states = await routerPeerStates(lab);
    return lab.nodes.every((node) => states[node.address] === 'Established');
  });
  const sessionsAt = (performance.now() - start) / 1000;
  await Promise.all(
    lab.nodes.map(async (node) => {
      // Bind first, announce second, as the lab's speakers do: a route never points at a node that drops.
      await mustRun('ip', ['-n', node.frr.namespace, 'addr', 'replace', `${serviceIp}/32`, 'dev', 'lo']);
      await configure(node.frr, announcementLines(plan, serviceIp));
    }),
  );
  await polled(`answer to a curl of http://${serviceIp}/ from the router`, () => answered(lab, serviceIp));
  const seconds = (performance.now() - start) / 1000;
  return { seconds, sessionsAt, blocks: await bgpBlocks(lab) };
}

/** The `router bgp` block of every FRR of the lab, router first. */
export async function bgpBlocks(lab: FullSetupLab): Promise<string[][]> {
  return Promise.all(
    [lab.router, ...lab.nodes.map((n) => n.frr)].map(async (frr) =>
      bgpBlock(await vtysh(frr, ['show running-config'])),
    ),
  );
}

/**
 * Puts every FRR back as the lab started it: no BGP instance and no bound Service IP, checked, so
 * the wizard then meets the lab as `up` left it.
 */
export async function resetFloor(lab: FullSetupLab, plan: Plan, serviceIp: string): Promise<void> {
  await Promise.all([
    configure(lab.router, [`no router bgp ${plan.topology.router.asn}`]),
    ...lab.nodes.map(async (node) => {
      await configure(node.frr, [`no router bgp ${speakerAsn(plan)}`]);
      await mustRun('ip', ['-n', node.frr.namespace, 'addr', 'del', `${serviceIp}/32`, 'dev', 'lo']);
    }),
  ]);
  const left = (await bgpBlocks(lab)).findIndex((block) => block.length > 0);
  if (left >= 0) throw new Error(`the floor left a BGP instance in the lab's FRR (number ${left})`);
  for (const node of lab.nodes) {
    const addresses = await mustRun('ip', ['-n', node.frr.namespace, '-o', 'addr', 'show', 'dev', 'lo']);
    if (addresses.includes(`${serviceIp}/32`))
      throw new Error(`the floor left ${serviceIp} bound on ${node.name}`);
  }
}

/** Throws, naming the first differing line, unless the wizard's path left FRR as the floor ran it. */
export function checkSameSessions(lab: FullSetupLab, floor: string[][], wizard: string[][]): void {
  const names = ['the router', ...lab.nodes.map((n) => n.name)];
  for (const [i, name] of names.entries()) {
    const a = floor[i] ?? [];
    const b = wizard[i] ?? [];
    const at = a.findIndex((line, j) => line !== b[j]);
    if (at >= 0 || a.length !== b.length) {
      const j = at >= 0 ? at : Math.min(a.length, b.length);
      throw new Error(
        `the floor did not run the wizard's sessions on ${name}: FRR had "${a[j] ?? '(nothing)'}" after the floor, "${b[j] ?? '(nothing)'}" after the wizard`,
      );
    }
  }
}
