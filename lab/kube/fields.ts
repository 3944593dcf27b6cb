// Patch semantics and server-side apply field ownership.
// Ownership is tracked per leaf field; lists are atomic (owned as a whole), which matches
// Kubernetes for most of what the wizard applies and keeps conflicts easy to explain.

import { ApiError, badRequest } from './status.ts';

type Json = unknown;
type JsonMap = Record<string, Json>;
export type FieldPath = string[];

function isMap(v: Json): v is JsonMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** RFC 7386 JSON merge patch (also used for strategic merge patch, which only differs for lists). */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isMap(patch)) return structuredClone(patch);
  const result: JsonMap = isMap(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else result[k] = applyMergePatch(result[k], v);
  }
  return result;
}

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`json patch path "${path}" must start with "/"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, segs: string[], path: string): { parent: Json; last: string } {
  let cur = doc;
  for (const s of segs.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isMap(cur)) cur = cur[s];
    else cur = undefined;
    if (cur === undefined) throw new ApiError(422, 'Invalid', `json patch: path "${path}" does not exist`);
  }
  const last = segs[segs.length - 1];
  if (last === undefined)
    throw badRequest(`json patch: path "${path}" cannot address the whole document here`);
  return { parent: cur, last };
}

function getPointer(doc: Json, path: string): Json {
  let cur = doc;
  for (const s of pointer(path)) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isMap(cur)) cur = cur[s];
    else return undefined;
  }
  return cur;
}

function removeAt(doc: Json, path: string): Json {
  const { parent, last } = parentOf(doc, pointer(path), path);
  if (Array.isArray(parent)) return parent.splice(Number(last), 1)[0];
  if (isMap(parent) && last in parent) {
    const old = parent[last];
    delete parent[last];
    return old;
  }
  throw new ApiError(422, 'Invalid', `json patch: cannot remove "${path}": it does not exist`);
}

function addAt(doc: Json, path: string, value: Json): Json {
  const segs = pointer(path);
  if (segs.length === 0) return structuredClone(value);
  const { parent, last } = parentOf(doc, segs, path);
  if (Array.isArray(parent))
    parent.splice(last === '-' ? parent.length : Number(last), 0, structuredClone(value));
  else if (isMap(parent)) parent[last] = structuredClone(value);
  else throw new ApiError(422, 'Invalid', `json patch: parent of "${path}" is not an object or list`);
  return doc;
}

/** RFC 6902 JSON patch. */
export function applyJsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw badRequest('json patch body must be a list of operations');
  let doc = structuredClone(target);
  for (const raw of ops as JsonPatchOp[]) {
    switch (raw.op) {
      case 'add':
        doc = addAt(doc, raw.path, raw.value);
        break;
      case 'remove':
        removeAt(doc, raw.path);
        break;
      case 'replace':
        removeAt(doc, raw.path);
        doc = addAt(doc, raw.path, raw.value);
        break;
      case 'move': {
        const v = removeAt(doc, raw.from ?? '');
        doc = addAt(doc, raw.path, v);
        break;
      }
      case 'copy':
        doc = addAt(doc, raw.path, getPointer(doc, raw.from ?? ''));
        break;
      case 'test':
        if (!deepEqual(getPointer(doc, raw.path), raw.value)) {
          throw new ApiError(422, 'Invalid', `json patch test operation failed at "${raw.path}"`);
        }
        break;
      default:
        throw badRequest(`json patch: unknown operation "${String(raw.op)}"`);
    }
  }
  return doc;
}

// ---- field sets -----------------------------------------------------------------------------

const IDENTITY = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
]);

/** Leaf field paths of an object as ownership sees them (identity metadata excluded). */
export function fieldPaths(obj: Json, skipStatus: boolean): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (v: Json, path: FieldPath): void => {
    if (isMap(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) walk(child, [...path, k]);
    } else {
      out.push(path);
    }
  };
  if (!isMap(obj)) return out;
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || (skipStatus && k === 'status')) continue;
    if (k === 'metadata' && isMap(v)) {
      for (const [mk, mv] of Object.entries(v)) if (!IDENTITY.has(mk)) walk(mv, ['metadata', mk]);
      continue;
    }
    walk(v, [k]);
  }
  return out;
}

export function valueAt(obj: Json, path: FieldPath): Json {
  let cur = obj;
  for (const s of path) {
    if (!isMap(cur)) return undefined;
    cur = cur[s];
  }
  return cur;
}

function deleteAt(obj: Json, path: FieldPath): void {
  const parents: JsonMap[] = [];
  let cur = obj;
  for (const s of path.slice(0, -1)) {
    if (!isMap(cur)) return;
    parents.push(cur);
    cur = cur[s];
  }
  const last = path[path.length - 1];
  if (!isMap(cur) || last === undefined) return;
  delete cur[last];
  // Drop maps the removal left empty, as apply does when a manager stops setting a subtree.
  for (let i = parents.length - 1; i >= 0; i--) {
    const seg = path[i];
    const parent = parents[i];
    if (!parent || seg === undefined) break;
    const child = parent[seg];
    if (isMap(child) && Object.keys(child).length === 0) delete parent[seg];
    else break;
  }
}

function mergeInto(target: JsonMap, applied: JsonMap): void {
  for (const [k, v] of Object.entries(applied)) {
    const existing = target[k];
    if (isMap(v) && isMap(existing) && Object.keys(v).length > 0) mergeInto(existing, v);
    else target[k] = structuredClone(v);
  }
}

export function pathsToFieldsV1(paths: FieldPath[]): JsonMap {
  const root: JsonMap = {};
  for (const p of paths) {
    let cur = root;
    for (const s of p) {
      const key = `f:${s}`;
      const next = isMap(cur[key]) ? (cur[key] as JsonMap) : {};
      cur[key] = next;
      cur = next;
    }
  }
  return root;
}

export function fieldsV1ToPaths(fields: Json): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (v: Json, path: FieldPath): void => {
    if (!isMap(v)) return;
    const keys = Object.keys(v).filter((k) => k.startsWith('f:'));
    if (keys.length === 0 && path.length > 0) out.push(path);
    for (const k of keys) walk(v[k], [...path, k.slice(2)]);
  };
  walk(fields, []);
  return out;
}

export interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  paths: FieldPath[];
}

export function readManaged(obj: Json): ManagedEntry[] {
  const list = valueAt(obj, ['metadata', 'managedFields']);
  if (!Array.isArray(list)) return [];
  return list.filter(isMap).map((e) => ({
    manager: String(e.manager ?? ''),
    operation: e.operation === 'Apply' ? 'Apply' : 'Update',
    apiVersion: String(e.apiVersion ?? ''),
    time: String(e.time ?? ''),
    paths: fieldsV1ToPaths(e.fieldsV1),
  }));
}

export function writeManaged(obj: JsonMap, entries: ManagedEntry[]): void {
  const meta = isMap(obj.metadata) ? obj.metadata : {};
  meta.managedFields = entries
    .filter((e) => e.paths.length > 0)
    .map((e) => ({
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      time: e.time,
      fieldsType: 'FieldsV1',
      fieldsV1: pathsToFieldsV1(e.paths),
    }));
  obj.metadata = meta;
}

const key = (p: FieldPath): string => JSON.stringify(p);

function isPrefix(a: FieldPath, b: FieldPath): boolean {
  return a.length <= b.length && a.every((s, i) => b[i] === s);
}

function overlaps(a: FieldPath, b: FieldPath): boolean {
  return isPrefix(a, b) || isPrefix(b, a);
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

export interface ApplyConflict {
  manager: string;
  apiVersion: string;
  field: string;
}

export function formatField(p: FieldPath): string {
  return '.' + p.join('.');
}

/**
 * Server-side apply of `applied` by `manager` onto `existing` (undefined when creating).
 * Returns the merged object with managedFields updated, or the conflicts when force is false.
 */
export function serverSideApply(
  existing: JsonMap | undefined,
  applied: JsonMap,
  opts: { manager: string; force: boolean; apiVersion: string; skipStatus: boolean },
): { result: JsonMap } | { conflicts: ApplyConflict[] } {
  const appliedPaths = fieldPaths(applied, opts.skipStatus);
  const entries = existing ? readManaged(existing) : [];
  const others = entries.filter((e) => !(e.manager === opts.manager && e.operation === 'Apply'));
  const mine = entries.find((e) => e.manager === opts.manager && e.operation === 'Apply');

  const conflicts: ApplyConflict[] = [];
  const contested = new Map<string, Set<string>>();
  for (const other of others) {
    for (const p of appliedPaths) {
      const owned = other.paths.find((q) => overlaps(p, q));
      if (!owned) continue;
      const shorter = owned.length < p.length ? owned : p;
      if (deepEqual(valueAt(existing, shorter), valueAt(applied, shorter))) continue;
      conflicts.push({ manager: other.manager, apiVersion: other.apiVersion, field: formatField(p) });
      const set = contested.get(other.manager + '\u0000' + other.operation) ?? new Set<string>();
      set.add(key(owned));
      contested.set(other.manager + '\u0000' + other.operation, set);
    }
  }
  if (conflicts.length > 0 && !opts.force) return { conflicts };

  const result: JsonMap = existing ? structuredClone(existing) : {};
  const appliedKeys = new Set(appliedPaths.map(key));
  const ownedByOthers = (p: FieldPath): boolean => others.some((o) => o.paths.some((q) => overlaps(p, q)));
  for (const p of mine?.paths ?? []) {
    if (!appliedKeys.has(key(p)) && !appliedPaths.some((a) => isPrefix(p, a)) && !ownedByOthers(p))
      deleteAt(result, p);
  }
  const toMerge = structuredClone(applied);
  if (opts.skipStatus) delete toMerge.status;
  mergeInto(result, toMerge);

  const updatedOthers = others.map((o) => {
    const lost = contested.get(o.manager + '\u0000' + o.operation);
    return lost ? { ...o, paths: o.paths.filter((q) => !lost.has(key(q))) } : o;
  });
  writeManaged(result, [
    ...updatedOthers,
    {
      manager: opts.manager,
      operation: 'Apply',
      apiVersion: opts.apiVersion,
      time: now(),
      paths: appliedPaths,
    },
  ]);
  return { result };
}

/** Ownership after a non-apply write (create, update, patch): the writer takes what it changed. */
export function recordUpdate(
  before: JsonMap | undefined,
  after: JsonMap,
  opts: { manager: string; apiVersion: string; skipStatus: boolean },
): void {
  const entries = before ? readManaged(before) : [];
  const afterPaths = fieldPaths(after, opts.skipStatus);
  const changed = afterPaths.filter((p) => !before || !deepEqual(valueAt(before, p), valueAt(after, p)));
  const present = new Set(afterPaths.map(key));
  const stillThere = (p: FieldPath): boolean => present.has(key(p)) || afterPaths.some((a) => isPrefix(p, a));
  const updated = entries.map((e) => ({
    ...e,
    paths: e.paths.filter((p) => stillThere(p) && !changed.some((c) => overlaps(c, p))),
  }));
  if (changed.length > 0) {
    const idx = updated.findIndex((e) => e.manager === opts.manager && e.operation === 'Update');
    const existing = idx >= 0 ? updated[idx] : undefined;
    const merged = existing ? [...existing.paths, ...changed] : changed;
    const entry: ManagedEntry = {
      manager: opts.manager,
      operation: 'Update',
      apiVersion: opts.apiVersion,
      time: now(),
      paths: merged,
    };
    if (idx >= 0) updated[idx] = entry;
    else updated.push(entry);
  }
  writeManaged(after, updated);
}

export function conflictMessage(conflicts: ApplyConflict[]): string {
  const byManager = new Map<string, ApplyConflict[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c]);
  const n = conflicts.length;
  const head = `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: `;
  if (n === 1) {
    const c = conflicts[0]!;
    return `${head}conflict with "${c.manager}" using ${c.apiVersion}: ${c.field}`;
  }
  return (
    head +
    [...byManager]
      .map(
        ([m, cs]) =>
          `conflicts with "${m}" using ${cs[0]?.apiVersion ?? ''}:\n${cs.map((c) => `- ${c.field}`).join('\n')}`,
      )
      .join('\n')
  );
}
