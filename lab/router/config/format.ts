// Printing and reading the configuration: set-lines (`show configuration commands`), the
// curly-brace config.boot format, and the EdgeOS-style error text for a refused path.

import type { Dialect, SchemaNode } from './schema.ts';
import { allPaths, rootCursor, sortedEntries, subtree, walkPath } from './tree.ts';
import type { ConfigTree, PathError } from './tree.ts';

function needsQuotes(word: string): boolean {
  return word === '' || /[\s"'{};#]/.test(word);
}

/** `set …` lines; EdgeOS single-quotes text values, VyOS every leaf value. */
export function setLines(tree: ConfigTree, schema: SchemaNode, dialect: Dialect): string[] {
  return allPaths(tree).map((path) => {
    const walked = walkPath(schema, path, false);
    const words = path.map((word, i) => {
      if ('kind' in walked) return needsQuotes(word) ? `'${word}'` : word;
      const s = walked.steps[i];
      const isLeafValue = s?.kind === 'value-of-leaf' || s?.kind === 'value-of-multi';
      const quote =
        dialect === 'vyos'
          ? isLeafValue
          : (isLeafValue && s?.valueType?.quoted === true) || needsQuotes(word);
      return quote ? `'${word}'` : word;
    });
    return `set ${words.join(' ')}`;
  });
}

export function bootWord(word: string): string {
  return needsQuotes(word) ? `"${word}"` : word;
}

function renderAny(tree: ConfigTree, indent: string, out: string[]): void {
  for (const [word, child] of sortedEntries(tree)) {
    const grand = [...child.values()];
    if (child.size === 0) out.push(`${indent}${bootWord(word)}`);
    else if (grand.every((g) => g.size === 0))
      for (const value of child.keys()) out.push(`${indent}${bootWord(word)} ${bootWord(value)}`);
    else {
      out.push(`${indent}${bootWord(word)} {`);
      renderAny(child, indent + '    ', out);
      out.push(`${indent}}`);
    }
  }
}

function renderNames(
  tree: ConfigTree,
  children: Record<string, SchemaNode>,
  indent: string,
  out: string[],
): void {
  for (const [word, child] of sortedEntries(tree)) {
    const node = Object.hasOwn(children, word) ? children[word] : undefined;
    renderNode(word, node, child, indent, out);
  }
}

function renderNode(
  word: string,
  node: SchemaNode | undefined,
  child: ConfigTree,
  indent: string,
  out: string[],
): void {
  const inner = indent + '    ';
  switch (node?.kind) {
    case 'tag':
      for (const [value, instance] of sortedEntries(child)) {
        out.push(`${indent}${word} ${bootWord(value)} {`);
        renderNames(instance, node.children, inner, out);
        out.push(`${indent}}`);
      }
      return;
    case 'leaf':
    case 'multi':
      for (const [value] of sortedEntries(child)) out.push(`${indent}${word} ${bootWord(value)}`);
      return;
    case 'flag':
      out.push(`${indent}${word}`);
      return;
    case 'container':
      out.push(`${indent}${word} {`);
      renderNames(child, node.children, inner, out);
      out.push(`${indent}}`);
      return;
    default:
      renderAny(new Map([[word, child]]), indent, out);
  }
}

/** The tree in curly-brace form, as `show configuration` prints it and config.boot stores it. */
export function curlyLines(tree: ConfigTree, schema: SchemaNode): string[] {
  const out: string[] = [];
  const cursor = rootCursor(schema);
  if (cursor.at === 'names') renderNames(tree, cursor.children, '', out);
  else renderAny(tree, '', out);
  return out;
}

/** The curly form of the subtree at `path` (its contents, without the path itself); empty when absent. */
export function curlyLinesAt(tree: ConfigTree, schema: SchemaNode, path: string[]): string[] {
  if (path.length === 0) return curlyLines(tree, schema);
  const node = subtree(tree, path);
  const walked = walkPath(schema, path, false);
  if (node === undefined || node.size === 0) return [];
  const out: string[] = [];
  if ('kind' in walked) renderAny(node, '', out);
  else if (walked.end.at === 'names') renderNames(node, walked.end.children, '', out);
  else if (walked.end.at === 'value') {
    // The path names a tag or leaf: print its values (tag instances with their contents).
    const holder = walked.end.node;
    for (const [value, instance] of sortedEntries(node)) {
      if (holder.kind !== 'tag') out.push(bootWord(value));
      else {
        out.push(`${bootWord(value)} {`);
        renderNames(instance, holder.children, '    ', out);
        out.push('}');
      }
    }
  } else renderAny(node, '', out);
  return out;
}

export function configBootText(tree: ConfigTree, schema: SchemaNode, dialect: Dialect): string {
  const footer =
    dialect === 'edgeos'
      ? [
          '',
          '/* Warning: Do not remove the following line. */',
          '/* === vyatta-config-version: "config-management@1:conntrack@1:cron@1:dhcp-relay@1:dhcp-server@4:firewall@5:ipsec@5:nat@3:qos@1:quagga@2:suspend@1:system@5:ubnt-l2tp@1:ubnt-pptp@1:ubnt-udapi-server@1:ubnt-unms@2:ubnt-util@1:vrrp@1:vyatta-netflow@1:webgui@1:webproxy@2:zone-policy@1" === */',
          '/* Release version: v2.0.9-hotfix.7.5622731.230615.0857 */',
        ]
      : [
          '',
          '// Warning: Do not remove the following line.',
          '// vyos-config-version: "bgp@5:interfaces@32:system@27"',
          '// Release version: 1.4.0',
        ];
  return [...curlyLines(tree, schema), ...footer, ''].join('\n');
}

function bootTokens(line: string): string[] {
  const tokens: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re))
    tokens.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? ''));
  return tokens;
}

/** Reads config.boot text back into paths. Throws with the line number on malformed input. */
export function parseConfigBoot(text: string, fileName: string): string[][] {
  const paths: string[][] = [];
  const stack: { prefix: string[]; pathsBefore: number }[] = [];
  let prefix: string[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('/*') || line.startsWith('//')) continue;
    if (line === '}') {
      const frame = stack.pop();
      if (frame === undefined)
        throw new Error(`${fileName} line ${i + 1}: unexpected "}"; the file is malformed, fix or delete it`);
      if (paths.length === frame.pathsBefore) paths.push(prefix);
      prefix = frame.prefix;
      continue;
    }
    if (line.endsWith('{')) {
      const words = bootTokens(line.slice(0, -1));
      stack.push({ prefix, pathsBefore: paths.length });
      prefix = [...prefix, ...words];
      continue;
    }
    paths.push([...prefix, ...bootTokens(line)]);
  }
  if (stack.length > 0)
    throw new Error(`${fileName}: ${stack.length} unclosed "{"; the file is truncated, fix or delete it`);
  return paths;
}

/** The lines EdgeOS prints when `set`/`delete` refuses a path (without the final `Set failed`). */
export function pathErrorLines(error: PathError, words: string[], verb: 'set' | 'delete'): string[] {
  switch (error.kind) {
    case 'invalid-path': {
      const upTo = words.slice(0, error.failedAt + 1).join(' ');
      const bad = words[error.failedAt] ?? '';
      return [
        `  Configuration path: [${upTo}] is not valid`,
        `  Invalid command: ${verb} ${words.slice(0, error.failedAt).join(' ')} [${bad}]`.replace(
          `${verb}  [`,
          `${verb} [`,
        ),
      ];
    }
    case 'bad-value':
      return [`  ${error.reason}`, '  Value validation failed'];
    case 'needs-value':
      return [`  Configuration path: [${words.join(' ')}] requires a value`];
    case 'missing':
      return [`  Nothing to delete (the specified ${error.what} does not exist)`];
  }
}
