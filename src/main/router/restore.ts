// Putting `protocols bgp` back the way the backup saw it: the fewest delete/set lines from the
// current BGP lines to the backed-up ones, as one wrapper script (one commit: old or new, never between).

import { parseConfigCommands } from '../../shared/parse/index.ts';
import { CFG_WRAPPER, SCRIPT_EXIT } from '../../shared/plan/index.ts';
import { ROUTER_TOKEN } from '../../shared/topology/index.ts';

/** A configuration line below `protocols bgp`, as tokens without quotes. */
export type BgpTokens = string[];

const BGP_ROOT = ['protocols', 'bgp'];

/** The `protocols bgp` lines of `show configuration commands`, relative to `protocols bgp`. */
export function bgpTokensOf(configCommands: string): BgpTokens[] {
  return parseConfigCommands(configCommands)
    .filter((c) => c[0] === 'protocols' && c[1] === 'bgp' && c.length > 2)
    .map((c) => c.slice(2));
}

const keyOf = (tokens: readonly string[]): string => JSON.stringify(tokens);

function startsWith(line: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= line.length && prefix.every((token, i) => line[i] === token);
}

/** Same lines, in any order. */
export function sameBgpLines(a: BgpTokens[], b: BgpTokens[]): boolean {
  const left = new Set(a.map(keyOf));
  const right = new Set(b.map(keyOf));
  return left.size === right.size && [...left].every((k) => right.has(k));
}

export interface ConfigEdit {
  op: 'set' | 'delete';
  /** Full path from the config root. */
  path: string[];
}

/**
 * Deletes first, each at the shortest prefix nothing in `target` lives under (a whole neighbor, or
 * the whole instance when the target has no BGP), then sets for what the target has and current lacks.
 */
export function editsToReach(current: BgpTokens[], target: BgpTokens[]): ConfigEdit[] {
  const targetKeys = new Set(target.map(keyOf));
  const currentKeys = new Set(current.map(keyOf));
  const deletes: string[][] = [];
  for (const line of current) {
    if (targetKeys.has(keyOf(line))) continue;
    let cut = line.length;
    for (let k = 0; k <= line.length; k++) {
      const prefix = line.slice(0, k);
      if (!target.some((t) => startsWith(t, prefix))) {
        cut = k;
        break;
      }
    }
    const path = line.slice(0, cut);
    if (deletes.some((d) => startsWith(path, d))) continue;
    for (let i = deletes.length - 1; i >= 0; i--)
      if (startsWith(deletes[i] ?? [], path)) deletes.splice(i, 1);
    deletes.push(path);
  }
  const sets = target.filter((line) => !currentKeys.has(keyOf(line)));
  return [
    ...deletes.map((path): ConfigEdit => ({ op: 'delete', path: [...BGP_ROOT, ...path] })),
    ...sets.map((path): ConfigEdit => ({ op: 'set', path: [...BGP_ROOT, ...path] })),
  ];
}

/** Printable ASCII without quotes: safe inside single quotes, and EdgeOS rejects `"` in values anyway. */
const QUOTABLE = /^[\x20-\x26\x28-\x7e]*$/;

/** A token as a word of the script: bare when it is plain, single-quoted otherwise; null when neither is safe. */
function scriptWord(token: string): string | null {
  if (ROUTER_TOKEN.test(token)) return token;
  if (!QUOTABLE.test(token) || /"/.test(token)) return null;
  return `'${token}'`;
}

export type RestoreScript = { ok: true; script: string; lineCount: number } | { ok: false; problem: string };

/** The wrapper script for `edits` (never saves); refuses a value it cannot quote safely. */
export function restoreScript(edits: ConfigEdit[]): RestoreScript {
  const body: string[] = [];
  for (const edit of edits) {
    const words = edit.path.map(scriptWord);
    const bad = words.findIndex((w) => w === null);
    if (bad !== -1) {
      return {
        ok: false,
        problem: `a value under "${edit.path.slice(0, Math.min(bad, 5)).join(' ')}" holds characters that cannot be sent safely`,
      };
    }
    body.push(`$W ${edit.op} ${words.join(' ')} || { $W discard; $W end; exit ${SCRIPT_EXIT.change}; }`);
  }
  const script = [
    '#!/bin/vbash',
    "# MetalLB BGP Wizard: restore the previous BGP configuration. One exec'd script: one config session.",
    `W=${CFG_WRAPPER}`,
    `$W begin || exit ${SCRIPT_EXIT.begin}`,
    ...body,
    `$W commit_with_error || { $W discard; $W end; exit ${SCRIPT_EXIT.commit}; }`,
    '$W end',
    '',
  ].join('\n');
  return { ok: true, script, lineCount: body.length };
}

/** Backup text: the BGP lines as printed, with every `password` value replaced. */
export function redactedBgpLines(lines: string[]): string[] {
  return lines.map((line) => line.replace(/(\spassword\s+)('[^']*'|"[^"]*"|\S+)/g, '$1<password removed>'));
}
