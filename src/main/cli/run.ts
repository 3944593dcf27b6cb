// The CLI binding of the same operations the app uses: every command calls the handlers through
// `dispatch`. `runCli` is I/O-injected so tests can run it in-process; index.ts wires it to the
// real process.

import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { escapeInvisible } from '../../shared/net/index.ts';
import { TOPOLOGY_TEXT_MAX_BYTES } from '../../shared/topology/index.ts';
import type { Channel, Envelope, OperationEvent, RequestOf, ResponseOf } from '../../shared/contract.ts';
import { createServices, dispatch } from '../services/index.ts';
import type { ServiceDeps, Services } from '../services/index.ts';
import { createMemoryStore } from '../secrets/index.ts';
import { dataDirectory, ensureDataDirectory, openAppLog } from '../data/index.ts';
import { progressPrinter } from './progress.ts';
import { COMMANDS, USAGE } from './commands.ts';

export const EXIT = { ok: 0, failed: 1, invalid: 2, hostKey: 3 } as const;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  /** The environment the CLI reads (secrets, KUBECONFIG, XDG_CONFIG_HOME); process.env by default. */
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Whether a person is there to answer questions (stdin and stderr are terminals). */
  interactive?: boolean;
  /** Asks a question on the terminal; `secret` turns echo off. */
  prompt?: (question: string, options: { secret: boolean }) => Promise<string>;
  /** Called with a function that cancels what runs (SIGINT). */
  onInterrupt?: (cancel: () => void) => void;
}

export class InputError extends Error {}

/** A failed call, carried to the exit code. */
export class CallFailed extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** One problem, one terminal line: a value could otherwise carry newlines or control sequences. */
export const oneLine = escapeInvisible;

/** What a command has at hand: the services, typed calls, the terminal, and its options. */
export interface CliContext {
  io: CliIo;
  env: NodeJS.ProcessEnv;
  services: Services;
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Adds a listener for operation events (status snapshots of a watch). */
  onEvent(listener: (event: OperationEvent) => void): void;
  /** Like call, but returns the envelope so the command can handle a failure itself. */
  tryCall<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Envelope<ResponseOf<C>>>;
}

export function exitCodeOfKind(kind: string | undefined): number {
  if (kind === 'invalid') return EXIT.invalid;
  if (kind === 'host-key') return EXIT.hostKey;
  return EXIT.failed;
}

/** Commands that only read files (plan, parse) leave no trace: no data directory, no log. */
const NO_LOG: ServiceDeps['log'] = {
  file: '',
  write: () => undefined,
  redact: () => undefined,
  close: async () => undefined,
};

async function cliDeps(
  io: CliIo,
  env: NodeJS.ProcessEnv,
  json: boolean,
  local: boolean,
  listeners: ((event: OperationEvent) => void)[],
): Promise<ServiceDeps> {
  const printProgress = progressPrinter(io, { interactive: io.interactive ?? false, quiet: false, json });
  const dataDir = dataDirectory(env, io.home ?? homedir());
  if (!local) await ensureDataDirectory(dataDir);
  return {
    shell: 'cli',
    dataDir,
    secrets: createMemoryStore(),
    log: local ? NO_LOG : openAppLog(dataDir),
    env,
    home: io.home ?? homedir(),
    emit: (event) => {
      printProgress(event);
      for (const listener of listeners) listener(event);
    },
  };
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr(USAGE);
    return EXIT.invalid;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const spec = COMMANDS[command];
  if (!spec) {
    io.stderr(
      `${oneLine(`metallb-bgp-wizard: unknown command "${command}"; run "metallb-bgp-wizard help" for the list`)}\n`,
    );
    return EXIT.invalid;
  }
  const env = io.env ?? process.env;
  let services: Services | null = null;
  let deps: ServiceDeps | null = null;
  try {
    const options = optionsOf(rest, spec.options, command);
    const listeners: ((event: OperationEvent) => void)[] = [];
    deps = await cliDeps(io, env, options['json'] === true, spec.local === true, listeners);
    const ready = deps;
    const live = createServices(ready);
    services = live;
    io.onInterrupt?.(() => live.operations.cancelAll());
    const tryCall = <C extends Channel>(channel: C, request: RequestOf<C>) =>
      dispatch(live, ready, channel, request) as Promise<Envelope<ResponseOf<C>>>;
    const context: CliContext = {
      io,
      env,
      services: live,
      onEvent: (listener) => listeners.push(listener),
      tryCall,
      call: async (channel, request) => {
        const reply = await tryCall(channel, request);
        if (!reply.ok) throw new CallFailed(reply.error.message, exitCodeOfKind(reply.error.kind));
        return reply.value;
      },
    };
    return await spec.run(options, context);
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`${oneLine(`metallb-bgp-wizard: ${error.message}`)}\n`);
      if (rest.includes('--json') && command === 'plan') {
        // Scripts asking for JSON get it even when the input never reached the validator.
        const report = {
          ok: false,
          errors: [{ path: '', message: error.message }],
          warnings: [],
          metallb: null,
          router: null,
        };
        io.stdout(`${JSON.stringify(report)}\n`);
      }
      return EXIT.invalid;
    }
    if (error instanceof CallFailed) {
      io.stderr(`${oneLine(`metallb-bgp-wizard: ${command}: ${error.message}`)}\n`);
      return error.exitCode;
    }
    const detail = error instanceof Error ? error.message : String(error);
    io.stderr(`${oneLine(`metallb-bgp-wizard: ${command} failed: ${detail}`)}\n`);
    return EXIT.failed;
  } finally {
    await services?.close();
    await deps?.log.close();
  }
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
export type Options = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Node's wording of a bad option, in ours: one line that names the option and says what to do. */
function optionProblem(error: unknown, command: string, spec: OptionSpec): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const option = /'(--?[A-Za-z0-9-]+)/.exec(message)?.[1] ?? '';
  const name = option.replace(/^-+/, '');
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `${command} has no option ${option}; run "metallb-bgp-wizard help" for its options`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return spec[name]?.type === 'boolean' ? `${option} takes no value` : `${option} needs a value`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const word = /argument '([^']*)'/.exec(message)?.[1] ?? '';
    return `${command} takes options only, not "${word}"; run "metallb-bgp-wizard help" for its options`;
  }
  return message;
}

function optionsOf(args: string[], spec: OptionSpec, command: string): Options {
  try {
    return parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new InputError(optionProblem(error, command, spec));
  }
}

/** How much the CLI reads of each kind of input before refusing it unread. */
export const INPUT_LIMITS = {
  topology: TOPOLOGY_TEXT_MAX_BYTES,
  'router output': 5_000_000,
} as const;

function tooLarge(what: string, file: string, limit: number): InputError {
  const shown = file === '-' ? 'standard input' : `${what} file "${file}"`;
  return new InputError(
    `${shown} is larger than ${Math.round(limit / 1024)} KiB, the most a ${what} may be; check that it is the right file`,
  );
}

/** Standard input up to `limit` bytes; more is refused without reading it all. */
async function stdinTextOf(io: CliIo, what: string, limit: number): Promise<string> {
  const text = await io.readStdin();
  if (Buffer.byteLength(text) > limit) throw tooLarge(what, '-', limit);
  return text;
}

export async function fileTextOf(file: string, what: keyof typeof INPUT_LIMITS, io: CliIo): Promise<string> {
  const limit = INPUT_LIMITS[what];
  if (file === '-') return stdinTextOf(io, what, limit);
  try {
    // The size first: a 9 MB file must be refused before it is read, let alone parsed.
    if ((await stat(file)).size > limit) throw tooLarge(what, file, limit);
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${what} file "${file}" does not exist; check the path`);
    if (code === 'EISDIR') throw new InputError(`${what} file "${file}" is a directory; give a file`);
    if (code === 'EACCES')
      throw new InputError(`${what} file "${file}" is not readable; check its permissions`);
    throw new InputError(`${what} file "${file}" cannot be read (${code ?? 'error'})`);
  }
}
