// What the router is: dialect and firmware from `show version`, and its current configuration.

import { parseShowVersion } from '../../shared/parse/index.ts';
import type { Plan } from '../../shared/plan/index.ts';
import { UserError } from '../errors.ts';
import type { RouterSession } from './session.ts';
import { describeTarget } from './session.ts';

export const OP_WRAPPER = '/opt/vyatta/bin/vyatta-op-cmd-wrapper';
export const SHOW_CONFIG_COMMANDS = `${OP_WRAPPER} show configuration commands`;

export interface RouterProbe {
  dialect: 'edgeos' | 'vyos';
  version: string;
  model: string | null;
  configCommands: string;
  /** The `set protocols bgp …` lines of the running config, as printed. */
  bgpLines: string[];
  hasCurl: boolean;
}

/** A marker line between the outputs of several commands in one exec. */
export function sectionMarker(name: string): string {
  return `@@mbw-section-${name}@@`;
}

/** `echo` for a marker: the marker only holds [a-z0-9@-], so it needs no quoting. */
export function echoMarker(name: string): string {
  return `echo ${sectionMarker(name)}`;
}

/** Splits exec output at marker lines into the named sections (text before the first is dropped). */
export function splitSections(stdout: string): Map<string, string> {
  const sections = new Map<string, string>();
  let current: string | null = null;
  let lines: string[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^@@mbw-section-([a-z0-9-]+)@@\r?$/.exec(line);
    if (match?.[1] !== undefined) {
      if (current !== null) sections.set(current, lines.join('\n'));
      current = match[1];
      lines = [];
    } else lines.push(line);
  }
  if (current !== null) sections.set(current, lines.join('\n'));
  return sections;
}

export function bgpLinesOf(configCommands: string): string[] {
  return configCommands
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /^set protocols bgp(\s|$)/.test(line));
}

function versionNumbers(version: string): number[] {
  return (/(\d+)\.(\d+)(?:\.(\d+))?/.exec(version) ?? []).slice(1).map((n) => Number(n ?? 0));
}

/** curl ships with EdgeOS 1.8.5 and later (and every 2.x); VyOS always has it. */
export function firmwareHasCurl(dialect: 'edgeos' | 'vyos', version: string): boolean {
  if (dialect === 'vyos') return true;
  const [major = 0, minor = 0, patch = 0] = versionNumbers(version);
  if (major !== 1) return major > 1;
  return minor > 8 || (minor === 8 && patch >= 5);
}

/** Runs `show configuration commands`; throws when the router does not answer with exit 0. */
export async function readRunningConfig(session: RouterSession, signal?: AbortSignal): Promise<string> {
  const result = await session.exec(SHOW_CONFIG_COMMANDS, signal === undefined ? {} : { signal });
  if (result.code !== 0) {
    throw new UserError(
      `Reading the configuration of router ${describeTarget(session.target)} failed ` +
        `(show configuration commands exited ${result.code === null ? 'without a status: the connection dropped' : result.code}).`,
    );
  }
  return result.stdout;
}

export async function probeRouter(session: RouterSession): Promise<RouterProbe> {
  const result = await session.exec(
    [echoMarker('version'), `${OP_WRAPPER} show version`, echoMarker('config'), SHOW_CONFIG_COMMANDS].join(
      '\n',
    ),
  );
  const where = describeTarget(session.target);
  const sections = splitSections(result.stdout);
  const versionText = sections.get('version') ?? result.stdout;
  const configCommands = sections.get('config') ?? '';
  const version = parseShowVersion(versionText);
  if (version === null) {
    throw new UserError(
      `Router ${where} did not answer "show version" like EdgeOS or VyOS (exit ${result.code ?? 'none'}). ` +
        'Check that router.ssh points at an EdgeRouter or a VyOS 1.4+ router and that the user may run operational commands.',
    );
  }
  if (result.code !== 0) {
    throw new UserError(
      `Router ${where} could not show its configuration (exit ${result.code ?? 'none: the connection dropped'}). ` +
        'Check that the user is an admin on the router.',
    );
  }
  return {
    dialect: version.dialect,
    version: version.version,
    model: version.model ?? null,
    configCommands,
    bgpLines: bgpLinesOf(configCommands),
    hasCurl: firmwareHasCurl(version.dialect, version.version),
  };
}

export function checkDialect(probe: RouterProbe, plan: Plan): void {
  const planned = plan.router.dialect;
  if (probe.dialect === planned) return;
  const name = (d: string): string => (d === 'edgeos' ? 'EdgeOS' : 'VyOS');
  throw new UserError(
    `The topology says router.dialect: ${planned}, but the router runs ${name(probe.dialect)} ${probe.version}. ` +
      `Set router.dialect to ${probe.dialect} and plan again.`,
    { kind: 'invalid', path: 'router.dialect' },
  );
}
