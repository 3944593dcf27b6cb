// The topology's YAML text is the source of truth (it is what plan.build reads); the form reads
// fields out of it and writes edits back into it with the `yaml` document model, so comments and
// the user's layout survive an edit.

import { isMap, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';

export type FieldPath = (string | number)[];

export interface NodeRow {
  name: string;
  address: string;
}

export interface PoolRow {
  name: string;
  addresses: string[];
}

/** What the form shows: strings as typed, so a half-typed value is never lost. */
export interface TopologyFormValues {
  nodes: NodeRow[];
  pools: PoolRow[];
  /** Scalar fields by dotted path (`router.asn`). */
  scalars: Record<string, string>;
}

export type ReadResult = { ok: true; values: TopologyFormValues } | { ok: false; message: string };

/** The scalar fields the form edits, by dotted path, in screen order. */
export const SCALAR_FIELDS = [
  'router.dialect',
  'router.ssh.host',
  'router.ssh.port',
  'router.ssh.username',
  'router.asn',
  'router.routerId',
  'router.maximumPaths',
  'router.wan.interface',
  'router.cluster.interface',
  'router.cluster.address',
  'router.lan.interface',
  'router.lan.address',
  'cluster.asn',
  'metallb.version',
] as const;
export type ScalarField = (typeof SCALAR_FIELDS)[number];

export function pathOf(dotted: string): FieldPath {
  return dotted.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function documentOf(text: string): Document {
  return parseDocument(text, { prettyErrors: false });
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function rowsOf(doc: Document, path: FieldPath): unknown[] {
  const node = doc.getIn(path, true);
  if (!isSeq(node)) return [];
  return node.items.map((item) => (isMap(item) ? item.toJSON() : {}));
}

/** The form's view of the text; a YAML syntax error is reported, not thrown. */
export function readTopologyForm(text: string): ReadResult {
  const doc = documentOf(text);
  const syntax = doc.errors[0];
  if (syntax) return { ok: false, message: `topology.yaml is not valid YAML: ${syntax.message}` };
  const root = doc.contents;
  if (root !== null && !isMap(root)) {
    return { ok: false, message: 'topology.yaml must be a mapping with router, cluster and metallb' };
  }
  const scalars: Record<string, string> = {};
  for (const field of SCALAR_FIELDS) scalars[field] = textOf(doc.getIn(pathOf(field)));
  const nodes = rowsOf(doc, ['cluster', 'nodes']).map((row) => {
    const r = row as Record<string, unknown>;
    return { name: textOf(r['name']), address: textOf(r['address']) };
  });
  const pools = rowsOf(doc, ['cluster', 'pools']).map((row) => {
    const r = row as Record<string, unknown>;
    const addresses = Array.isArray(r['addresses']) ? r['addresses'].map(textOf) : [];
    return { name: textOf(r['name']), addresses };
  });
  return { ok: true, values: { nodes, pools, scalars } };
}

/** A typed value as YAML should hold it: whole numbers as numbers, the rest as strings. */
export function scalarOf(typed: string): string | number {
  const trimmed = typed.trim();
  return /^(0|[1-9]\d{0,15})$/.test(trimmed) ? Number(trimmed) : typed;
}

function edited(text: string, edit: (doc: Document) => void): string {
  const doc = documentOf(text);
  if (doc.errors.length > 0) return text;
  if (doc.contents === null) doc.contents = doc.createNode({});
  edit(doc);
  return doc.toString({ lineWidth: 0 });
}

/** Sets one field; an empty value removes an optional field rather than writing `""`. */
export function withField(text: string, path: FieldPath, typed: string): string {
  return edited(text, (doc) => {
    if (typed.trim() === '' && doc.hasIn(path)) doc.deleteIn(path);
    else if (typed.trim() !== '') doc.setIn(path, scalarOf(typed));
  });
}

export function withPoolAddresses(text: string, poolIndex: number, typed: string): string {
  const addresses = typed
    .split(/[,\s]+/)
    .map((a) => a.trim())
    .filter((a) => a !== '');
  return edited(text, (doc) => {
    const node = doc.createNode(addresses, { flow: true });
    doc.setIn(['cluster', 'pools', poolIndex, 'addresses'], node);
  });
}

/** Appends a row to `cluster.nodes` or `cluster.pools`, creating the list when it is missing. */
export function withRowAdded<L extends 'nodes' | 'pools'>(
  text: string,
  list: L,
  row: L extends 'nodes' ? NodeRow : PoolRow,
): string {
  return edited(text, (doc) => {
    if (!isSeq(doc.getIn(['cluster', list], true))) doc.setIn(['cluster', list], doc.createNode([]));
    doc.addIn(['cluster', list], doc.createNode(row, { flow: true }));
  });
}

export function withRowRemoved(text: string, list: 'nodes' | 'pools', index: number): string {
  return edited(text, (doc) => {
    doc.deleteIn(['cluster', list, index]);
  });
}

/** Adopts the pool a same-segment warning suggests, for the pool that warning names. */
export function withSuggestedPool(text: string, warningPath: string, pool: string): string {
  const match = /^cluster\.pools\.(\d+)/.exec(warningPath);
  const index = match ? Number(match[1]) : 0;
  return edited(text, (doc) => {
    doc.setIn(['cluster', 'pools', index, 'addresses'], doc.createNode([pool], { flow: true }));
  });
}

/** Replaces the nodes with the cluster's (name + InternalIP), e.g. from the probe. */
export function withNodes(text: string, nodes: NodeRow[]): string {
  return edited(text, (doc) => {
    const seq = doc.createNode(
      nodes.map((n) => doc.createNode(n, { flow: true })),
      { flow: false },
    );
    doc.setIn(['cluster', 'nodes'], seq);
  });
}

export { STARTER_TOPOLOGY } from './starter-topology.ts';
