// Turns router lines into text. The exec-script form is a contract with the router emulator's
// interpreter: only `#` comments, blank lines, NAME=value, $NAME, `CMD || { CMD; CMD; exit N; }`,
// `exit N` and plain commands may appear.

import { ROUTER_TOKEN } from '../topology/index.ts';
import type { RouterLine } from './types.ts';

export const CFG_WRAPPER = '/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper';

/** Exit codes of the exec script, so the app can tell where it stopped. */
export const SCRIPT_EXIT = { begin: 1, change: 2, commit: 3, save: 4 } as const;

/**
 * `set a b c`. Throws when a token holds anything outside ROUTER_TOKEN: validation already
 * guarantees that, and this is the last line of defence before text reaches a shell.
 */
export function renderRouterLine(line: RouterLine): string {
  if (line.op !== 'set' && line.op !== 'delete') {
    throw new Error(`Router line has unknown operation ${JSON.stringify(line.op)}; use "set" or "delete".`);
  }
  if (line.path.length === 0)
    throw new Error(`Router line "${line.op}" has no path; give at least one token.`);
  for (const [index, token] of line.path.entries()) {
    if (!ROUTER_TOKEN.test(token)) {
      throw new Error(
        `Router command token ${index + 1} (${JSON.stringify(token)}) of "${line.op} ${line.path.slice(0, index).join(' ')} …" ` +
          `has characters outside A-Z a-z 0-9 . _ : / -; fix the topology value it came from.`,
      );
    }
  }
  return `${line.op} ${line.path.join(' ')}`;
}

/** The session a person types: configure, the lines, commit, save, exit. */
export function renderInteractiveCommands(lines: RouterLine[]): string[] {
  return ['configure', ...lines.map(renderRouterLine), 'commit', 'save', 'exit'];
}

// The purpose lands in a comment: keep it to one line of harmless characters whatever the caller passes.
function commentText(purpose: string): string {
  const clean = purpose
    .replace(/[^A-Za-z0-9 .,:/()_-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean === '' ? 'configuration change' : clean;
}

function scriptHeader(purpose: string): string[] {
  return [
    '#!/bin/vbash',
    `# MetalLB BGP Wizard: ${commentText(purpose)}. Runs as one exec'd script: the config session is keyed on this shell.`,
    `W=${CFG_WRAPPER}`,
    `$W begin || exit ${SCRIPT_EXIT.begin}`,
  ];
}

export interface ExecScriptOptions {
  save: boolean;
  purpose?: string;
}

/** begin, each line (discard and end on failure), commit, optionally save, end. */
export function renderExecScript(lines: RouterLine[], opts: ExecScriptOptions): string {
  const body = lines.map(
    (line) => `$W ${renderRouterLine(line)} || { $W discard; $W end; exit ${SCRIPT_EXIT.change}; }`,
  );
  return [
    ...scriptHeader(opts.purpose ?? 'apply BGP configuration'),
    ...body,
    // commit_with_error: plain commit may send its errors to a log only, leaving the user no reason.
    `$W commit_with_error || { $W discard; $W end; exit ${SCRIPT_EXIT.commit}; }`,
    ...(opts.save ? [`$W save || { $W end; exit ${SCRIPT_EXIT.save}; }`] : []),
    '$W end',
    '',
  ].join('\n');
}

/** Saves the running config to the boot config; run only after the running config checked out. */
export function renderSaveScript(): string {
  return [
    ...scriptHeader('save the running configuration'),
    `$W save || { $W end; exit ${SCRIPT_EXIT.save}; }`,
    '$W end',
    '',
  ].join('\n');
}
