// Commands the router runs for an exec channel, `vbash -s` or a non-PTY shell: the Vyatta
// wrappers, `vbash`/`bash`, `cat`, `curl`. The config session lives as long as the channel, as
// EdgeOS keys it on the parent shell.

import { readFileSync } from 'node:fs';
import { curlyLinesAt } from './config/format.ts';
import { subtree } from './config/tree.ts';
import { runCurl } from './curl.ts';
import type { CommandOutput } from './curl.ts';
import { ConnectionDropped, sleep } from './faults.ts';
import type { Faults } from './faults.ts';
import { runOpCommand } from './opmode.ts';
import type { RouterContext } from './opmode.ts';
import { runScript } from './script.ts';
import type { ShellIo } from './script.ts';
import type { CommitStage, ConfigSession } from './store.ts';

export const CFG_WRAPPER = '/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper';
export const OP_WRAPPER = '/opt/vyatta/bin/vyatta-op-cmd-wrapper';
const SHELLS = new Set(['vbash', '/bin/vbash', 'bash', '/bin/bash', 'sh', '/bin/sh']);

export interface ChannelContext extends RouterContext {
  faults: Faults;
  /** Destroys the SSH connection (fault injection). */
  dropConnection(): void;
  /** The wrapper's config session for this channel. */
  session: ConfigSession | null;
  /** The channel's stdin, for `vbash -s`; resolves once the client sent EOF. */
  readStdin(): Promise<string>;
}

function emit(io: ShellIo, out: CommandOutput): number {
  if (out.stdout) io.out(out.stdout);
  if (out.stderr) io.err(out.stderr);
  return out.code;
}

const lines = (ls: string[]): string => ls.map((l) => `${l}\n`).join('');

/** A commit stage hook that cuts the connection when the fault asks for it at this stage. */
export function faultStage(
  ctx: Pick<ChannelContext, 'faults' | 'dropConnection'>,
): (stage: CommitStage) => void {
  return (stage) => {
    if (ctx.faults.dropMidCommit === stage) {
      ctx.dropConnection();
      throw new ConnectionDropped();
    }
  };
}

/** The verbs this emulator's vyatta-cfg-cmd-wrapper knows; anything else is refused as the real one does. */
const WRAPPER_VERBS = new Set([
  'begin',
  'end',
  'set',
  'delete',
  'commit',
  'commit_with_error',
  'discard',
  'cleanup',
  'save',
  'show',
]);

async function cfgWrapper(args: string[], io: ShellIo, ctx: ChannelContext): Promise<number> {
  const [verb = '', ...words] = args;
  if (!WRAPPER_VERBS.has(verb)) {
    io.out(`Invalid command "${verb}" for vyatta-cfg-cmd-wrapper\n`);
    return 1;
  }
  if (verb === 'begin') {
    ctx.session = ctx.store.openSession();
    return 0;
  }
  const session = ctx.session;
  if (verb === 'end') {
    ctx.session = null;
    return 0;
  }
  if (verb === 'save') {
    ctx.store.save();
    io.out(`Saving configuration to '/config/config.boot'...\nDone\n`);
    return 0;
  }
  if (session === null) {
    io.out(`  Cannot ${verb}: no configuration session; run '${CFG_WRAPPER} begin' first\n`);
    return 1;
  }
  switch (verb) {
    case 'set': {
      const error = session.set(words);
      if (error === null) return 0;
      io.out(lines(['', ...error]));
      return 1;
    }
    case 'delete': {
      // Deleting what is not there is not an error: the wrapper says so and succeeds.
      const outcome = session.deleteOutcome(words);
      if (outcome.lines.length > 0) io.out(lines(['', ...outcome.lines]));
      return outcome.ok ? 0 : 1;
    }
    case 'commit':
    case 'commit_with_error': {
      // The plain verb sends commit's output to a log (as VyOS's wrapper does): a failure shows
      // only in the exit status. commit_with_error prints it.
      const printed = verb === 'commit_with_error';
      const outcome = await session.commit(faultStage(ctx));
      if (outcome.ok) {
        if (!outcome.changed && printed) io.out('No configuration changes to commit\n');
        return 0;
      }
      if (printed) io.out(lines(outcome.lines));
      return 1;
    }
    case 'discard':
    case 'cleanup':
      session.discard();
      io.out('Changes have been discarded\n');
      return 0;
    default: {
      // show
      const shown = curlyLinesAt(session.candidate, ctx.store.schema, words);
      io.out(lines(shown.length === 0 ? ['Configuration under specified path is empty'] : shown));
      return 0;
    }
  }
}

function readFile(file: string, ctx: RouterContext): string | undefined {
  if (file === '/config/config.boot') {
    try {
      return readFileSync(ctx.store.bootFile, 'utf8');
    } catch {
      return undefined;
    }
  }
  return ctx.files.get(file);
}

async function shellCommand(args: string[], io: ShellIo, ctx: ChannelContext): Promise<number> {
  let interactive = false;
  let script: string | undefined;
  let fromStdin = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-s') fromStdin = true;
    else if (/^-[il]*c[il]*$/.test(a)) {
      interactive = a.includes('i');
      script = args[++i];
    } else if (a === '-i' || a === '-l' || a === '-il' || a === '-li') interactive = true;
    else if (a.startsWith('-')) {
      io.err(`vbash: ${a}: invalid option\n`);
      return 2;
    }
  }
  if (script === undefined && !fromStdin) {
    io.err('vbash: an interactive shell needs a terminal (use ssh -t), or pass -c SCRIPT or -s\n');
    return 2;
  }
  const source = script ?? (await ctx.readStdin());
  return runScript(source, { io, run: (argv, nested) => runCommand(argv, nested, ctx, interactive) });
}

/** Runs one command of a router script; `interactive` enables vbash's `show` alias. */
export async function runCommand(
  argv: string[],
  io: ShellIo,
  ctx: ChannelContext,
  interactive = false,
): Promise<number> {
  const [cmd = '', ...args] = argv;
  if (cmd === CFG_WRAPPER || cmd === 'vyatta-cfg-cmd-wrapper') return cfgWrapper(args, io, ctx);
  if (cmd === OP_WRAPPER || cmd === 'vyatta-op-cmd-wrapper') return emit(io, await runOpCommand(args, ctx));
  if (SHELLS.has(cmd)) return shellCommand(args, io, ctx);
  if (interactive && cmd === 'show') return emit(io, await runOpCommand(argv, ctx));
  switch (cmd) {
    case 'cat': {
      let code = 0;
      for (const file of args) {
        const text = readFile(file, ctx);
        if (text === undefined) {
          io.err(`cat: ${file}: No such file or directory\n`);
          code = 1;
        } else io.out(text);
      }
      return code;
    }
    case 'curl':
      return emit(io, await runCurl(args, ctx.store.backend, ctx.files));
    case 'sleep':
      await sleep(Number(args[0] ?? 0) * 1000);
      return 0;
    case 'hostname':
      io.out(`${[...(subtree(ctx.store.running, ['system', 'host-name'])?.keys() ?? [])][0] ?? 'ubnt'}\n`);
      return 0;
    default:
      io.err(`vbash: ${cmd}: command not found\n`);
      return 127;
  }
}

/** Runs an exec request or a non-PTY shell's stdin as a script; resolves to the exit status. */
export function runChannelScript(source: string, io: ShellIo, ctx: ChannelContext): Promise<number> {
  return runScript(source, { io, run: (argv, nested) => runCommand(argv, nested, ctx) });
}
