// How the CLI gets what every command that touches something needs: the topology, the kubeconfig
// selection, and a router connection (credentials from the environment or a prompt with echo off,
// the host key confirmed on a terminal or named with --router-host-key).

import { parseTopologyText } from '../../shared/topology/index.ts';
import type { Topology } from '../../shared/topology/index.ts';
import type { RequestOf, RouterProbeView } from '../../shared/contract.ts';
import type { CliContext, Options, OptionSpec } from './run.ts';
import { CallFailed, EXIT, InputError, fileTextOf } from './run.ts';

export const CONNECTION_OPTIONS: OptionSpec = {
  topology: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'router-key': { type: 'string' },
  'router-host-key': { type: 'string' },
};

export const ENV_PASSWORD = 'METALLB_WIZARD_ROUTER_PASSWORD';
export const ENV_PASSPHRASE = 'METALLB_WIZARD_KEY_PASSPHRASE';
export const ENV_BGP_PASSWORD = 'METALLB_WIZARD_BGP_PASSWORD';

export interface TopologyArg {
  text: string;
  fileName: string;
}

export async function topologyArgOf(
  options: Options,
  ctx: CliContext,
  command: string,
): Promise<TopologyArg> {
  const file = options['topology'];
  if (typeof file !== 'string')
    throw new InputError(`${command} needs --topology FILE (a topology.yaml or .json)`);
  return { text: await fileTextOf(file, 'topology', ctx.io), fileName: file };
}

export function kubeArgOf(options: Options): { kubeconfig?: string; context?: string } {
  return {
    ...(typeof options['kubeconfig'] === 'string' ? { kubeconfig: options['kubeconfig'] } : {}),
    ...(typeof options['context'] === 'string' ? { context: options['context'] } : {}),
  };
}

/** The router's SSH target from a topology that must be valid; an invalid one exits 2 with every problem. */
export function routerTargetOf(topology: TopologyArg): { host: string; port: number; username: string } {
  return validTopologyOf(topology).router.ssh;
}

function validTopologyOf(topology: TopologyArg): Topology {
  const result = parseTopologyText(topology.text, topology.fileName);
  if (!result.ok) {
    const lines = result.errors.map((e) => `${topology.fileName}: ${e.path || '(top level)'}: ${e.message}`);
    throw new CallFailed(lines.join('\n'), EXIT.invalid);
  }
  return result.topology;
}

/** A topology with router.bgpPassword needs the password: from the environment, or asked on a terminal. */
async function giveBgpPassword(ctx: CliContext, topology: TopologyArg): Promise<void> {
  const valid = validTopologyOf(topology);
  if (!valid.router.bgpPassword) return;
  let password = ctx.env[ENV_BGP_PASSWORD];
  if (!password && ctx.io.interactive && ctx.io.prompt) {
    password = await ctx.io.prompt('BGP session password: ', { secret: true });
  }
  if (!password) {
    throw new InputError(
      `the topology asks for a BGP password (router.bgpPassword): set ${ENV_BGP_PASSWORD} or run on a terminal to be asked`,
    );
  }
  const { host, port, username } = valid.router.ssh;
  await ctx.call('bgp.setPassword', { target: { host, port, username }, password });
}

async function routerAuthOf(
  options: Options,
  ctx: CliContext,
  who: string,
): Promise<RequestOf<'router.connect'>['auth']> {
  const keyFile = options['router-key'];
  if (typeof keyFile === 'string') {
    const passphrase = ctx.env[ENV_PASSPHRASE];
    return { kind: 'key', keyFile, ...(passphrase ? { passphrase } : {}) };
  }
  const password = ctx.env[ENV_PASSWORD];
  if (password) return { kind: 'password', password };
  if (ctx.env['SSH_AUTH_SOCK']) return { kind: 'agent' };
  if (ctx.io.interactive && ctx.io.prompt) {
    const typed = await ctx.io.prompt(`Password for ${who}: `, { secret: true });
    if (typed) return { kind: 'password', password: typed };
  }
  throw new InputError(
    `no credentials for the router ${who}: set ${ENV_PASSWORD}, give --router-key FILE, run an ssh-agent, or run on a terminal to be asked`,
  );
}

/** Connects to the topology's router through router.connect; exits 3 on an unconfirmed or changed host key. */
export async function connectRouter(
  options: Options,
  ctx: CliContext,
  topology: TopologyArg,
): Promise<RouterProbeView> {
  const target = routerTargetOf(topology);
  const who = `${target.username}@${target.host}:${target.port}`;
  const auth = await routerAuthOf(options, ctx, who);
  const expected = options['router-host-key'];
  const base = { target, auth, ...(typeof expected === 'string' ? { expectHostKey: expected } : {}) };
  await giveBgpPassword(ctx, topology);
  const first = await ctx.call('router.connect', base);
  if (first.status === 'connected') return first.probe;
  const fingerprint = first.fingerprint;
  if (!(ctx.io.interactive && ctx.io.prompt)) {
    throw new CallFailed(
      `the router ${target.host}:${target.port} offers the unknown host key ${fingerprint}; check it on the router ` +
        `(show system ssh host keys / ssh-keygen -lf), then run again with --router-host-key ${fingerprint}`,
      EXIT.hostKey,
    );
  }
  const answer = await ctx.io.prompt(
    `The router ${target.host}:${target.port} is new to this computer. Its host key is\n  ${fingerprint}\n` +
      "Compare it with the router's own (show system ssh host keys). Trust it and remember it? (yes/no) ",
    { secret: false },
  );
  if (!/^y(es)?$/i.test(answer.trim())) {
    throw new CallFailed(
      `host key ${fingerprint} of ${target.host}:${target.port} was not accepted; nothing was changed`,
      EXIT.hostKey,
    );
  }
  const second = await ctx.call('router.connect', { ...base, acceptHostKey: fingerprint });
  if (second.status !== 'connected') {
    throw new CallFailed(
      `the router ${target.host}:${target.port} changed its host key while connecting; try again`,
      EXIT.hostKey,
    );
  }
  return second.probe;
}

/** Changing commands ask first on a terminal; without one they need --yes. */
export async function confirmed(ctx: CliContext, options: Options, question: string): Promise<void> {
  if (options['yes'] === true) return;
  if (!(ctx.io.interactive && ctx.io.prompt)) {
    throw new InputError(
      `${question.replace(/\?$/, '')}: refused without a terminal to confirm on; pass --yes to go ahead`,
    );
  }
  const answer = await ctx.io.prompt(`${question} (yes/no) `, { secret: false });
  if (!/^y(es)?$/i.test(answer.trim()))
    throw new CallFailed('not confirmed; nothing was changed', EXIT.failed);
}
