import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyJsonPatch,
  applyMergePatch,
  fieldPaths,
  fieldsV1ToPaths,
  pathsToFieldsV1,
  serverSideApply,
} from './fields.ts';

describe('patches', () => {
  it('merge patch sets, replaces lists and deletes null keys (RFC 7386)', () => {
    expect(applyMergePatch({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3], e: 2 }, d: null })).toEqual({
      a: { b: 1, c: [3], e: 2 },
    });
  });

  it('json patch add/replace/remove/move/test (RFC 6902)', () => {
    const doc = { a: [1, 2], b: { c: 'x' } };
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/a/-', value: 3 },
      { op: 'replace', path: '/b/c', value: 'y' },
      { op: 'move', from: '/b/c', path: '/d' },
      { op: 'remove', path: '/a/0' },
      { op: 'test', path: '/d', value: 'y' },
    ]);
    expect(out).toEqual({ a: [2, 3], b: {}, d: 'y' });
    expect(doc).toEqual({ a: [1, 2], b: { c: 'x' } });
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/a/0', value: 9 }])).toThrow(
      /test operation failed/,
    );
  });
});

describe('server-side apply field ownership', () => {
  const opts = { force: false, apiVersion: 'v1', skipStatus: true };

  it('fieldsV1 round-trips leaf paths', () => {
    const leaf = fc.stringMatching(/^[a-z]{1,4}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.array(leaf, { minLength: 1, maxLength: 3 }), {
          selector: (p) => p.join('.'),
          maxLength: 8,
        }),
        (paths) => {
          const leaves = paths.filter(
            (p) => !paths.some((q) => q !== p && q.length > p.length && p.every((s, i) => q[i] === s)),
          );
          const back = fieldsV1ToPaths(pathsToFieldsV1(leaves)).map((p) => p.join('.'));
          expect(back.sort()).toEqual(leaves.map((p) => p.join('.')).sort());
        },
      ),
    );
  });

  it('ignores identity metadata and status when listing owned fields', () => {
    const paths = fieldPaths(
      {
        apiVersion: 'v1',
        kind: 'X',
        metadata: { name: 'n', namespace: 'd', labels: { a: 'b' } },
        spec: { x: 1 },
        status: { y: 2 },
      },
      true,
    );
    expect(paths).toEqual([
      ['metadata', 'labels', 'a'],
      ['spec', 'x'],
    ]);
  });

  it('removes a field its only manager stops applying, keeps fields of others', () => {
    const first = serverSideApply(
      undefined,
      { metadata: { name: 'n' }, data: { a: '1', b: '2' } },
      { ...opts, manager: 'm1' },
    );
    if (!('result' in first)) throw new Error('unexpected conflict');
    const second = serverSideApply(
      first.result,
      { metadata: { name: 'n' }, data: { c: '3' } },
      { ...opts, manager: 'm2' },
    );
    if (!('result' in second)) throw new Error('unexpected conflict');
    const third = serverSideApply(
      second.result,
      { metadata: { name: 'n' }, data: { a: '1' } },
      { ...opts, manager: 'm1' },
    );
    if (!('result' in third)) throw new Error('unexpected conflict');
    expect(third.result.data).toEqual({ a: '1', c: '3' });
  });

  it('conflicts on a differing value owned by another manager, and force transfers ownership', () => {
    const first = serverSideApply(
      undefined,
      { metadata: { name: 'n' }, spec: { asn: 1, keep: true } },
      { ...opts, manager: 'm1' },
    );
    if (!('result' in first)) throw new Error('unexpected conflict');
    const clash = serverSideApply(
      first.result,
      { metadata: { name: 'n' }, spec: { asn: 2 } },
      { ...opts, manager: 'm2' },
    );
    expect(clash).toEqual({ conflicts: [{ manager: 'm1', apiVersion: 'v1', field: '.spec.asn' }] });
    const forced = serverSideApply(
      first.result,
      { metadata: { name: 'n' }, spec: { asn: 2 } },
      { ...opts, manager: 'm2', force: true },
    );
    if (!('result' in forced)) throw new Error('force must not conflict');
    expect(forced.result.spec).toEqual({ asn: 2, keep: true });
    const owners = (forced.result.metadata as { managedFields: { manager: string; fieldsV1: unknown }[] })
      .managedFields;
    expect(owners.map((o) => [o.manager, fieldsV1ToPaths(o.fieldsV1).map((p) => p.join('.'))])).toEqual([
      ['m1', ['spec.keep']],
      ['m2', ['spec.asn']],
    ]);
  });
});
