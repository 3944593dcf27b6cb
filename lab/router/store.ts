// The router's configuration state: the running tree (what the backend routes with), the saved
// tree (config.boot in stateDir, reloaded on restart) and per-channel candidate sessions.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RoutingBackend } from './backend.ts';
import { bgpConfigOf, commitProblemLines, commitProblems } from './config/bgp.ts';
import { configBootText, parseConfigBoot, pathErrorLines } from './config/format.ts';
import { schemaFor } from './config/schema.ts';
import type { Dialect, SchemaNode } from './config/schema.ts';
import { allPaths, cloneTree, deletePath, setPath, treeFromPaths, treesEqual } from './config/tree.ts';
import type { ConfigTree } from './config/tree.ts';

export type CommitStage = 'before-apply' | 'after-apply';

export type CommitOutcome = { ok: true; changed: boolean } | { ok: false; lines: string[] };

export interface StoreOptions {
  dialect: Dialect;
  stateDir: string;
  backend: RoutingBackend;
  /** Used when stateDir has no config.boot yet. */
  defaultPaths: string[][];
}

export class ConfigStore {
  readonly dialect: Dialect;
  readonly schema: SchemaNode;
  readonly bootFile: string;
  readonly backend: RoutingBackend;
  running: ConfigTree;
  saved: ConfigTree;
  private commitChain: Promise<unknown> = Promise.resolve();

  private constructor(opts: StoreOptions, tree: ConfigTree) {
    this.dialect = opts.dialect;
    this.schema = schemaFor(opts.dialect);
    this.bootFile = path.join(opts.stateDir, 'config.boot');
    this.backend = opts.backend;
    this.running = tree;
    this.saved = cloneTree(tree);
  }

  /** Loads config.boot (or the defaults) and hands its BGP config to the backend. */
  static async open(opts: StoreOptions): Promise<ConfigStore> {
    mkdirSync(opts.stateDir, { recursive: true });
    const schema = schemaFor(opts.dialect);
    const bootFile = path.join(opts.stateDir, 'config.boot');
    const paths = existsSync(bootFile)
      ? parseConfigBoot(readFileSync(bootFile, 'utf8'), bootFile)
      : opts.defaultPaths;
    const built = treeFromPaths(schema, paths);
    if ('index' in built) {
      const bad = (paths[built.index] ?? []).join(' ');
      throw new Error(
        `${bootFile}: "${bad}" is not valid for ${opts.dialect} (${pathErrorLines(
          built.error,
          paths[built.index] ?? [],
          'set',
        )
          .join(' ')
          .trim()}); fix or delete the file`,
      );
    }
    const store = new ConfigStore(opts, built.tree);
    if (!existsSync(bootFile)) store.save();
    await opts.backend.applyBgpConfig(bgpConfigOf(built.tree, opts.dialect));
    return store;
  }

  /**
   * Validates and applies `candidate` atomically: the running tree changes only after the backend
   * accepted the new BGP config. `atStage` lets the fault injector cut the connection mid-commit.
   */
  commit(candidate: ConfigTree, atStage: (stage: CommitStage) => void = () => {}): Promise<CommitOutcome> {
    const run = async (): Promise<CommitOutcome> => {
      const problems = commitProblems(candidate, this.dialect);
      if (problems.length > 0) return { ok: false, lines: commitProblemLines(problems) };
      if (treesEqual(candidate, this.running)) return { ok: true, changed: false };
      atStage('before-apply');
      const before = JSON.stringify(bgpConfigOf(this.running, this.dialect));
      const next = bgpConfigOf(candidate, this.dialect);
      if (JSON.stringify(next) !== before) {
        try {
          await this.backend.applyBgpConfig(next);
        } catch (err) {
          return {
            ok: false,
            lines: [
              `[ protocols bgp ]`,
              `Routing backend refused the BGP configuration: ${(err as Error).message}`,
              '',
              'Commit failed',
            ],
          };
        }
      }
      this.running = cloneTree(candidate);
      atStage('after-apply');
      return { ok: true, changed: true };
    };
    const result = this.commitChain.then(run, run);
    this.commitChain = result.catch(() => undefined);
    return result;
  }

  /** Writes the running config to config.boot (atomically, so a crash never leaves half a file). */
  save(): void {
    const tmp = `${this.bootFile}.tmp`;
    writeFileSync(tmp, configBootText(this.running, this.schema, this.dialect));
    renameSync(tmp, this.bootFile);
    this.saved = cloneTree(this.running);
  }

  openSession(): ConfigSession {
    return new ConfigSession(this);
  }
}

/** A candidate copy of the running config, as `configure` or `wrapper begin` creates. */
export class ConfigSession {
  readonly store: ConfigStore;
  candidate: ConfigTree;
  /** Running config when this session began, to rebase onto commits made by other sessions. */
  private base: ConfigTree;

  constructor(store: ConfigStore) {
    this.store = store;
    this.candidate = cloneTree(store.running);
    this.base = cloneTree(store.running);
  }

  /**
   * The tree to commit: the candidate, or, when another session committed meanwhile, this
   * session's own changes replayed onto the new running config (so neither session's work is lost).
   */
  private commitTarget(): ConfigTree {
    const running = this.store.running;
    if (treesEqual(this.base, running)) return this.candidate;
    const key = (p: string[]) => JSON.stringify(p);
    const before = new Set(allPaths(this.base).map(key));
    const after = new Set(allPaths(this.candidate).map(key));
    const rebased = cloneTree(running);
    for (const p of before)
      if (!after.has(p)) deletePath(rebased, this.store.schema, JSON.parse(p) as string[]);
    for (const p of after) if (!before.has(p)) setPath(rebased, this.store.schema, JSON.parse(p) as string[]);
    return rebased;
  }

  get changed(): boolean {
    return !treesEqual(this.candidate, this.store.running);
  }

  /** Returns the error lines, or null on success. */
  set(words: string[]): string[] | null {
    const error = setPath(this.candidate, this.store.schema, words);
    return error === null ? null : [...pathErrorLines(error, words, 'set'), '  Set failed'];
  }

  /** Returns the error lines, or null on success (also when there was nothing to delete). */
  delete(words: string[]): string[] | null {
    const outcome = this.deleteOutcome(words);
    return outcome.ok ? null : outcome.lines;
  }

  /**
   * Deletes a path. A path that is valid but not configured is a success with a notice
   * (`Nothing to delete …`), as Vyatta treats it; an invalid path fails with the error lines.
   */
  deleteOutcome(words: string[]): { ok: boolean; lines: string[] } {
    const error = deletePath(this.candidate, this.store.schema, words);
    if (error === null) return { ok: true, lines: [] };
    if (error.kind === 'missing') return { ok: true, lines: pathErrorLines(error, words, 'delete') };
    return { ok: false, lines: [...pathErrorLines(error, words, 'delete'), '  Delete failed'] };
  }

  discard(): void {
    this.candidate = cloneTree(this.store.running);
    this.base = cloneTree(this.store.running);
  }

  async commit(atStage?: (stage: CommitStage) => void): Promise<CommitOutcome> {
    const outcome = await this.store.commit(this.commitTarget(), atStage);
    // After a commit (also a no-op one) the candidate follows running, as other sessions may have committed.
    if (outcome.ok) {
      this.candidate = cloneTree(this.store.running);
      this.base = cloneTree(this.store.running);
    }
    return outcome;
  }
}
