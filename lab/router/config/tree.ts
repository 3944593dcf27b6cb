// The configuration tree: nested words, as Vyatta stores it (`protocols` → `bgp` → `64512` → …).
// A leaf's value is a child word with no children. The schema decides which words are node names
// and which are values, and so how set/delete behave and how values are quoted when printed.

import type { SchemaNode } from './schema.ts';
import type { ValueType } from './values.ts';

export type ConfigTree = Map<string, ConfigTree>;

export type PathError =
  | { kind: 'invalid-path'; failedAt: number }
  | { kind: 'bad-value'; failedAt: number; reason: string }
  | { kind: 'needs-value' }
  /** Nothing to delete: the path is valid but not configured; `what` is a node or a leaf's value. */
  | { kind: 'missing'; what: 'node' | 'value' };

type Cursor =
  | { at: 'names'; children: Record<string, SchemaNode> }
  | { at: 'value'; node: Extract<SchemaNode, { kind: 'tag' | 'leaf' | 'multi' }> }
  | { at: 'end' }
  | { at: 'any' };

interface Step {
  next: Cursor;
  /** The schema kind of the word just consumed (a value word reports its holder's kind). */
  kind: SchemaNode['kind'] | 'value-of-tag' | 'value-of-leaf' | 'value-of-multi';
  valueType?: ValueType;
}

export function rootCursor(schema: SchemaNode): Cursor {
  return schema.kind === 'container' ? { at: 'names', children: schema.children } : { at: 'any' };
}

function cursorBelow(node: SchemaNode): Cursor {
  switch (node.kind) {
    case 'container':
      return { at: 'names', children: node.children };
    case 'tag':
    case 'leaf':
    case 'multi':
      return { at: 'value', node };
    case 'flag':
      return { at: 'end' };
    case 'any':
      return { at: 'any' };
  }
}

function step(
  cursor: Cursor,
  word: string,
  validate: boolean,
): Step | { error: 'invalid' } | { error: 'value'; reason: string } {
  switch (cursor.at) {
    case 'any':
      return { next: cursor, kind: 'any' };
    case 'end':
      return { error: 'invalid' };
    case 'names': {
      const child = Object.hasOwn(cursor.children, word) ? cursor.children[word] : undefined;
      if (child === undefined) return { error: 'invalid' };
      return { next: cursorBelow(child), kind: child.kind };
    }
    case 'value': {
      const reason = validate ? cursor.node.value.check(word) : null;
      if (reason !== null) return { error: 'value', reason };
      const { node } = cursor;
      if (node.kind === 'tag')
        return {
          next: { at: 'names', children: node.children },
          kind: 'value-of-tag',
          valueType: node.value,
        };
      return {
        next: { at: 'end' },
        kind: node.kind === 'leaf' ? 'value-of-leaf' : 'value-of-multi',
        valueType: node.value,
      };
    }
  }
}

/** Walks `words` through the schema; returns the kinds of each word or where the path broke. */
export function walkPath(
  schema: SchemaNode,
  words: string[],
  validate = true,
): { steps: Step[]; end: Cursor } | PathError {
  let cursor = rootCursor(schema);
  const steps: Step[] = [];
  for (const [i, word] of words.entries()) {
    const s = step(cursor, word, validate);
    if ('error' in s) {
      return s.error === 'invalid'
        ? { kind: 'invalid-path', failedAt: i }
        : { kind: 'bad-value', failedAt: i, reason: s.reason };
    }
    steps.push(s);
    cursor = s.next;
  }
  return { steps, end: cursor };
}

export function cloneTree(tree: ConfigTree): ConfigTree {
  return new Map([...tree].map(([k, child]) => [k, cloneTree(child)]));
}

export function treesEqual(a: ConfigTree, b: ConfigTree): boolean {
  if (a.size !== b.size) return false;
  for (const [k, child] of a) {
    const other = b.get(k);
    if (other === undefined || !treesEqual(child, other)) return false;
  }
  return true;
}

export function subtree(tree: ConfigTree, words: string[]): ConfigTree | undefined {
  let node: ConfigTree | undefined = tree;
  for (const w of words) node = node?.get(w);
  return node;
}

/** Adds a path (validated against the schema). A single-valued leaf's old value is replaced. */
export function setPath(tree: ConfigTree, schema: SchemaNode, words: string[]): PathError | null {
  const walked = walkPath(schema, words);
  if ('kind' in walked) return walked;
  if (walked.end.at === 'value') return { kind: 'needs-value' };
  let node = tree;
  for (const [i, word] of words.entries()) {
    if (walked.steps[i]?.kind === 'value-of-leaf') {
      for (const old of [...node.keys()]) if (old !== word) node.delete(old);
    }
    let child = node.get(word);
    if (child === undefined) {
      child = new Map();
      node.set(word, child);
    }
    node = child;
  }
  return null;
}

/**
 * Removes a path and everything under it. Emptied value holders, containers and tag names go
 * too (Vyatta shows no empty `parameters { }`); tag instances such as `bgp 64512` stay.
 */
export function deletePath(tree: ConfigTree, schema: SchemaNode, words: string[]): PathError | null {
  if (words.length === 0) return { kind: 'invalid-path', failedAt: 0 };
  const walked = walkPath(schema, words, false);
  if ('kind' in walked) return walked;
  const chain: ConfigTree[] = [tree];
  for (const word of words) {
    const next = chain[chain.length - 1]?.get(word);
    if (next === undefined) {
      const last = walked.steps[words.length - 1]?.kind;
      return {
        kind: 'missing',
        what: last === 'value-of-leaf' || last === 'value-of-multi' ? 'value' : 'node',
      };
    }
    chain.push(next);
  }
  for (let i = words.length - 1; i >= 0; i--) {
    const parent = chain[i];
    const word = words[i];
    if (parent === undefined || word === undefined) break;
    const isTarget = i === words.length - 1;
    const node = chain[i + 1];
    const kind = walked.steps[i]?.kind;
    const prunable =
      kind === 'container' || kind === 'tag' || kind === 'leaf' || kind === 'multi' || kind === 'any';
    if (isTarget || (node !== undefined && node.size === 0 && prunable)) parent.delete(word);
    else break;
  }
  return null;
}

/** Natural order: numbers inside words compare as numbers (192.168.1.9 < 192.168.1.10). */
export function compareWords(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function sortedEntries(tree: ConfigTree): [string, ConfigTree][] {
  return [...tree].sort(([a], [b]) => compareWords(a, b));
}

/** Every complete path (ending at a node with no children), in display order. */
export function allPaths(tree: ConfigTree, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [word, child] of sortedEntries(tree)) {
    const path = [...prefix, word];
    if (child.size === 0) out.push(path);
    else out.push(...allPaths(child, path));
  }
  return out;
}

/** Builds a tree from paths, validating each; the first bad path is reported with its index. */
export function treeFromPaths(
  schema: SchemaNode,
  paths: string[][],
): { tree: ConfigTree } | { index: number; error: PathError } {
  const tree: ConfigTree = new Map();
  for (const [index, path] of paths.entries()) {
    const error = setPath(tree, schema, path);
    if (error !== null) return { index, error };
  }
  return { tree };
}
