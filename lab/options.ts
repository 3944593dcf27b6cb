// The options that choose which case a lab shows, shared by `npm run demo` and `npm run lab -- up`:
// the router's dialect, the number of nodes, the cluster scenarios to seed, the router's ECMP
// hashing and how long the Kubernetes API emulator keeps new pods from being Ready. Parsed strictly (node:util parseArgs): an unknown option or a bad value is a UsageError
// that names it, never silently ignored.

import { parseArgs } from 'node:util';
import { SCENARIOS } from './kube/index.ts';
import type { Scenario } from './kube/index.ts';
import { HASH_POLICIES } from './memory/ecmp.ts';
import type { HashPolicy } from './memory/ecmp.ts';
import type { Dialect } from './router/index.ts';

export type { HashPolicy } from './memory/ecmp.ts';

/** Bad command-line input: the CLIs print the message with their usage and exit 2. */
export class UsageError extends Error {}

export interface LabCaseOptions {
  /** The router emulator's dialect, and `router.dialect` of the topology file the lab writes. */
  dialect: Dialect;
  /** Cluster nodes (1–8): nodes in the Kubernetes API emulator, the topology file and the backend. */
  nodes: number;
  /** Cluster scenarios seeded into the Kubernetes API emulator (lab/kube/scenarios.ts). */
  scenarios: Scenario[];
  /** What the router's ECMP hashes (Linux fib_multipath_hash_policy 1 = 'addresses-ports', 0 = 'addresses'). */
  hash: HashPolicy;
  /**
   * Milliseconds the Kubernetes API emulator keeps a new pod from being Ready (--readiness-delay);
   * absent = the lab's own default (1500 ms in the real lab, 2000 ms in the demo). 0 makes pods Ready
   * at once, which is how the full-setup benchmark times the wizard against FRR alone.
   */
  readinessDelayMs?: number;
}

export const DIALECTS: readonly Dialect[] = ['edgeos', 'vyos'];
export const MIN_NODES = 1;
export const MAX_NODES = 8;
/** A minute: longer would only make a lab look hung. */
export const MAX_READINESS_DELAY_MS = 60_000;

export const DEFAULT_CASE: LabCaseOptions = {
  dialect: 'edgeos',
  nodes: 3,
  scenarios: [],
  hash: 'addresses-ports',
};

/** parseArgs option specs of the case options, for a CLI to merge with its own. */
export const CASE_OPTION_SPECS = {
  dialect: { type: 'string' },
  nodes: { type: 'string' },
  scenario: { type: 'string', multiple: true },
  hash: { type: 'string' },
  'readiness-delay': { type: 'string' },
} as const;

/** The case options that name themselves on the command line, as `--name`. */
export const CASE_OPTION_NAMES = Object.keys(CASE_OPTION_SPECS) as (keyof typeof CASE_OPTION_SPECS)[];

export const CASE_USAGE = `[--dialect ${DIALECTS.join('|')}] [--nodes ${MIN_NODES}-${MAX_NODES}] [--scenario NAME[,NAME]]… [--hash ${HASH_POLICIES.join('|')}] [--readiness-delay 0-${MAX_READINESS_DELAY_MS}]`;

export interface CaseOptionValues {
  dialect?: string | undefined;
  nodes?: string | undefined;
  scenario?: string[] | undefined;
  hash?: string | undefined;
  'readiness-delay'?: string | undefined;
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${option} "${value}" is not supported; use one of: ${allowed.join(', ')}`);
}

function nodeCount(value: string): number {
  const count = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(count) || count < MIN_NODES || count > MAX_NODES) {
    throw new UsageError(`--nodes "${value}" is not a whole number from ${MIN_NODES} to ${MAX_NODES}`);
  }
  return count;
}

function readinessDelay(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(ms) || ms > MAX_READINESS_DELAY_MS) {
    throw new UsageError(
      `--readiness-delay "${value}" is not a whole number of milliseconds from 0 to ${MAX_READINESS_DELAY_MS}`,
    );
  }
  return ms;
}

/** `--scenario a --scenario b,c` → [a, b, c], each checked, duplicates dropped, order kept. */
function scenarioList(values: readonly string[]): Scenario[] {
  const names = values.flatMap((v) => v.split(',')).map((name) => name.trim());
  const scenarios: Scenario[] = [];
  for (const name of names) {
    if (name === '') throw new UsageError('--scenario has an empty name; give NAME or NAME,NAME');
    const scenario = oneOf('scenario', name, SCENARIOS);
    if (!scenarios.includes(scenario)) scenarios.push(scenario);
  }
  return scenarios;
}

/** The case options from parsed values; absent ones take DEFAULT_CASE. Throws a UsageError naming a bad one. */
export function caseOptionsFrom(values: CaseOptionValues): LabCaseOptions {
  return {
    dialect: values.dialect === undefined ? DEFAULT_CASE.dialect : oneOf('dialect', values.dialect, DIALECTS),
    nodes: values.nodes === undefined ? DEFAULT_CASE.nodes : nodeCount(values.nodes),
    scenarios: scenarioList(values.scenario ?? []),
    hash: values.hash === undefined ? DEFAULT_CASE.hash : oneOf('hash', values.hash, HASH_POLICIES),
    ...(values['readiness-delay'] === undefined
      ? {}
      : { readinessDelayMs: readinessDelay(values['readiness-delay']) }),
  };
}

/** The case options as command-line arguments again (to hand to a child process). */
export function caseOptionArgs(options: LabCaseOptions): string[] {
  return [
    '--dialect',
    options.dialect,
    '--nodes',
    String(options.nodes),
    ...(options.scenarios.length > 0 ? ['--scenario', options.scenarios.join(',')] : []),
    '--hash',
    options.hash,
    ...(options.readinessDelayMs === undefined
      ? []
      : ['--readiness-delay', String(options.readinessDelayMs)]),
  ];
}

/** One line describing the case, for readable output. */
export function caseSummary(options: LabCaseOptions): string {
  const scenarios = options.scenarios.length > 0 ? options.scenarios.join(', ') : 'none';
  const readiness =
    options.readinessDelayMs === undefined ? '' : `, readiness delay: ${options.readinessDelayMs} ms`;
  return `${options.dialect}, ${options.nodes} node${options.nodes === 1 ? '' : 's'}, scenarios: ${scenarios}, ECMP hash: ${options.hash}${readiness}`;
}

type ParseArgsConfig = NonNullable<Parameters<typeof parseArgs>[0]>;
type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs in strict mode, with its errors turned into UsageErrors that name the
 * offending option or argument (without parseArgs' advice about `--`, which does not apply here).
 */
export function strictArgs<const O extends OptionSpecs>(
  argv: string[],
  options: O,
  allowPositionals: boolean,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS_')) throw error;
    const message = (error as Error).message;
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    if (unknown) throw new UsageError(`unknown option "${unknown[1]}"`);
    const positional = /^Unexpected argument '([^']+)'/.exec(message);
    if (positional) throw new UsageError(`unexpected argument "${positional[1]}"`);
    const option =
      /^Option '(-[^\s,']+)(?:, (--[^\s']+))?[^']*' (argument missing|argument is ambiguous|does not take an argument)/.exec(
        message,
      );
    if (option) {
      const name = option[2] ?? option[1];
      throw new UsageError(
        option[3] === 'does not take an argument' ? `${name} takes no value` : `${name} needs a value`,
      );
    }
    throw new UsageError(message.split('. ')[0] ?? message);
  }
}
