// `compare` in configure mode: the candidate against the running config in Vyatta's curly diff
// form, one `[edit <path>]` header per changed parent and `+`/`-` lines for the nodes that differ.

import { bootWord, curlyLinesAt } from './format.ts';
import type { SchemaNode } from './schema.ts';
import { compareWords, treesEqual, walkPath } from './tree.ts';
import type { ConfigTree } from './tree.ts';

interface DiffBlock {
  path: string[];
  lines: string[];
}

/** A tree holding only `branch` under `path`, so rendering at `path` prints just that branch. */
function treeWithOnly(path: string[], branch: ConfigTree): ConfigTree {
  return path.reduceRight<ConfigTree>((inner, word) => new Map([[word, inner]]), branch);
}

function marked(mark: '+' | '-', lines: string[]): string[] {
  return lines.map((l) => `${mark}${l}`);
}

function unionSorted(a: ConfigTree, b: ConfigTree): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].sort(compareWords);
}

class DiffCollector {
  readonly blocks: DiffBlock[] = [];
  private readonly schema: SchemaNode;
  constructor(schema: SchemaNode) {
    this.schema = schema;
  }

  private emit(path: string[], lines: string[]): void {
    const last = this.blocks[this.blocks.length - 1];
    if (last !== undefined && last.path.join('\0') === path.join('\0')) last.lines.push(...lines);
    else this.blocks.push({ path, lines: [...lines] });
  }

  /** Curly lines of `word` → `children` as they would print inside `path`. */
  private render(path: string[], word: string, children: ConfigTree): string[] {
    return curlyLinesAt(treeWithOnly(path, new Map([[word, children]])), this.schema, path);
  }

  /** Differences among the children of the node at `path`. */
  diff(path: string[], before: ConfigTree, after: ConfigTree): void {
    for (const word of unionSorted(before, after)) {
      const was = before.get(word);
      const now = after.get(word);
      if (was === undefined && now !== undefined) this.emit(path, marked('+', this.render(path, word, now)));
      else if (now === undefined && was !== undefined)
        this.emit(path, marked('-', this.render(path, word, was)));
      else if (was !== undefined && now !== undefined && !treesEqual(was, now))
        this.diffChanged(path, word, was, now);
    }
  }

  private diffChanged(path: string[], word: string, was: ConfigTree, now: ConfigTree): void {
    const walked = walkPath(this.schema, [...path, word], false);
    const holder = !('kind' in walked) && walked.end.at === 'value' ? walked.end.node : null;
    if (holder === null) {
      // A container (or a node the schema does not know): the change is somewhere below it.
      this.diff([...path, word], was, now);
      return;
    }
    const removed: string[] = [];
    const added: string[] = [];
    for (const value of unionSorted(was, now)) {
      const oldInstance = was.get(value);
      const newInstance = now.get(value);
      if (holder.kind === 'tag' && oldInstance !== undefined && newInstance !== undefined) {
        if (!treesEqual(oldInstance, newInstance))
          this.diff([...path, word, value], oldInstance, newInstance);
        continue;
      }
      // Leaf and multi values (and whole tag instances) are shown as one removed or added unit.
      if (oldInstance !== undefined)
        removed.push(...marked('-', this.render(path, word, new Map([[value, oldInstance]]))));
      if (newInstance !== undefined)
        added.push(...marked('+', this.render(path, word, new Map([[value, newInstance]]))));
    }
    if (removed.length + added.length > 0) this.emit(path, [...removed, ...added]);
  }
}

function editHeader(path: string[]): string {
  return path.length === 0 ? '[edit]' : `[edit ${path.map(bootWord).join(' ')}]`;
}

/** The diff from `before` (running) to `after` (candidate); empty when they are the same. */
export function compareLines(before: ConfigTree, after: ConfigTree, schema: SchemaNode): string[] {
  const collector = new DiffCollector(schema);
  collector.diff([], before, after);
  return collector.blocks.flatMap((b) => [editHeader(b.path), ...b.lines]);
}
