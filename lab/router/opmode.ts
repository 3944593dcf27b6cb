// Operational-mode commands (`show …`), shared by the PTY shell, vyatta-op-cmd-wrapper and
// `vbash -ic`. Status comes from the backend on every call, never cached.

import type { BgpStatus } from './backend.ts';
import { bgpConfigOf } from './config/bgp.ts';
import { curlyLines, setLines } from './config/format.ts';
import { sortedEntries, subtree } from './config/tree.ts';
import type { CommandOutput } from './curl.ts';
import { EDGEOS_NO_BGP, edgeosBgpNeighbors, edgeosBgpSummary, edgeosRouteBgp } from './render/edgeos.ts';
import { FRR_NO_BGP, frrBgpNeighbors, frrBgpSummary, frrRouteBgp } from './render/frr.ts';
import { showVersion } from './render/version.ts';
import type { ConfigStore } from './store.ts';

export interface RouterContext {
  store: ConfigStore;
  bootedAt: Date;
  /** Files written by `curl -o`, readable with `cat`. */
  files: Map<string, string>;
}

const ok = (lines: string[]): CommandOutput => ({
  stdout: lines.map((l) => `${l}\n`).join(''),
  stderr: '',
  code: 0,
});
const fail = (lines: string[], code = 1): CommandOutput => ({
  stdout: lines.map((l) => `${l}\n`).join(''),
  stderr: '',
  code,
});

/** The command words the op mode knows, to point at the first unknown word as EdgeOS does. */
const KNOWN: string[][] = [
  ['show', 'version'],
  ['show', 'ip', 'bgp', 'summary'],
  ['show', 'ip', 'bgp', 'neighbors'],
  ['show', 'bgp', 'summary'],
  ['show', 'bgp', 'neighbors'],
  ['show', 'bgp', 'ipv4', 'summary'],
  ['show', 'ip', 'route', 'bgp'],
  ['show', 'configuration', 'commands'],
  ['show', 'interfaces'],
  ['show', 'host', 'name'],
];

export function invalidCommandLine(words: string[]): string {
  let matched = 0;
  for (const known of KNOWN) {
    let n = 0;
    while (n < words.length && n < known.length && known[n] === words[n]) n++;
    matched = Math.max(matched, n);
  }
  const bad = words[matched] ?? '';
  return `Invalid command: ${[...words.slice(0, matched), `[${bad}]`].join(' ')}`;
}

/** An op-mode error as Vyatta prints it: indented, between blank lines. */
export function invalidCommandOutput(words: string[]): string {
  return `\n  ${invalidCommandLine(words)}\n\n`;
}

function timersOf(ctx: RouterContext): (address: string) => { hold: number; keepalive: number } {
  const config = bgpConfigOf(ctx.store.running, ctx.store.dialect);
  const [hold, keepalive] = ctx.store.dialect === 'edgeos' ? [90, 30] : [180, 60];
  return (address) => {
    const n = config?.neighbors.find((x) => x.address === address);
    return { hold: n?.holdtime ?? hold, keepalive: n?.keepalive ?? keepalive };
  };
}

function onlyNeighbor(status: BgpStatus, address: string | undefined): BgpStatus {
  return address === undefined
    ? status
    : { ...status, neighbors: status.neighbors.filter((n) => n.address === address) };
}

function interfaceLines(ctx: RouterContext): string[] {
  const lines = [
    'Codes: S - State, L - Link, u - Up, D - Down, A - Admin Down',
    'Interface    IP Address                        S/L  Description',
    '---------    ----------                        ---  -----------',
  ];
  for (const [, byName] of sortedEntries(subtree(ctx.store.running, ['interfaces']) ?? new Map())) {
    for (const [name, node] of sortedEntries(byName)) {
      const addresses = [...(node.get('address')?.keys() ?? [])];
      const description = [...(node.get('description')?.keys() ?? [])][0] ?? '';
      const state = node.has('disable') ? 'A/D' : 'u/u';
      lines.push(`${name.padEnd(13)}${(addresses[0] ?? '-').padEnd(34)}${state}  ${description}`.trimEnd());
      for (const extra of addresses.slice(1)) lines.push(`${''.padEnd(13)}${extra}`);
    }
  }
  return lines;
}

/** Backend status, or the op-mode error when the routing daemon cannot answer (never a crash). */
async function statusOrError(ctx: RouterContext): Promise<BgpStatus | null | CommandOutput> {
  try {
    return await ctx.store.backend.bgpStatus();
  } catch (err) {
    return fail([`% Routing daemon is not responding: ${(err as Error).message}`]);
  }
}

async function bgpStatusCommand(
  ctx: RouterContext,
  what: 'summary' | 'neighbors',
  address: string | undefined,
): Promise<CommandOutput> {
  const status = await statusOrError(ctx);
  if (status !== null && 'code' in status) return status;
  const edgeos = ctx.store.dialect === 'edgeos';
  if (status === null) return fail([edgeos ? EDGEOS_NO_BGP : FRR_NO_BGP]);
  if (what === 'summary') {
    const config = bgpConfigOf(ctx.store.running, ctx.store.dialect);
    const ecmp = { ibgp: config?.maximumPathsIbgp ?? 1, ebgp: config?.maximumPathsEbgp ?? 1 };
    return ok(edgeos ? edgeosBgpSummary(status, ecmp) : frrBgpSummary(status));
  }
  const filtered = onlyNeighbor(status, address);
  if (address !== undefined && filtered.neighbors.length === 0) {
    return fail([edgeos ? `% No such neighbor` : `% No such neighbor in this view/vrf`]);
  }
  return ok(edgeos ? edgeosBgpNeighbors(filtered, timersOf(ctx)) : frrBgpNeighbors(filtered, timersOf(ctx)));
}

/** Runs an op-mode command line given as words (`show ip bgp summary` → [show, ip, bgp, summary]). */
export async function runOpCommand(words: string[], ctx: RouterContext): Promise<CommandOutput> {
  const line = words.join(' ');
  const { store } = ctx;
  switch (true) {
    case line === 'show version':
      return ok(showVersion(store.dialect, ctx.bootedAt));
    case line === 'show ip bgp summary' || line === 'show bgp summary' || line === 'show bgp ipv4 summary':
      return bgpStatusCommand(ctx, 'summary', undefined);
    case /^show (ip )?bgp neighbors?( \S+)?$/.test(line):
      return bgpStatusCommand(ctx, 'neighbors', /^show (?:ip )?bgp neighbors? (\S+)$/.exec(line)?.[1]);
    case line === 'show ip route bgp': {
      const status = await statusOrError(ctx);
      if (status !== null && 'code' in status) return status;
      return ok(store.dialect === 'edgeos' ? edgeosRouteBgp(status) : frrRouteBgp(status));
    }
    case line === 'show configuration' || line === 'show config':
      return ok(curlyLines(store.running, store.schema));
    case line === 'show configuration commands':
      return ok(setLines(store.running, store.schema, store.dialect));
    case line === 'show interfaces':
      return ok(interfaceLines(ctx));
    case line === 'show host name':
      return ok([[...(subtree(store.running, ['system', 'host-name'])?.keys() ?? [])][0] ?? 'ubnt']);
    default:
      return { stdout: invalidCommandOutput(words), stderr: '', code: 1 };
  }
}
