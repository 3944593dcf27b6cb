// Fuzzing the one entry every shell goes through: whatever channel and payload arrive (arbitrary
// values, wrong types in every field of every channel, prototype-pollution keys, oversized text),
// `dispatch` answers with an envelope carrying a one-line message, and never throws or hangs.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CHANNELS, parseRequest, requestSchemas } from '../../shared/contract.ts';
import { OUTPUT_KINDS } from '../../shared/report.ts';
import type { Channel, Envelope } from '../../shared/contract.ts';
import { createMemoryStore } from '../secrets/index.ts';
import { MAX_SHOWN_MESSAGE, createServices, dispatch } from './index.ts';
import type { ServiceDeps } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'mbw-dispatch-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const logLines: string[] = [];
const deps: ServiceDeps = {
  shell: 'cli',
  dataDir: dir,
  secrets: createMemoryStore(),
  log: {
    file: '',
    write: (line) => logLines.push(line),
    redact: () => undefined,
    close: async () => undefined,
  },
  // No KUBECONFIG and a home without ~/.kube: a kubeconfig lookup fails at once, naming the file.
  env: {},
  home: dir,
  emit: () => undefined,
};
const services = createServices(deps);
afterAll(() => services.close());

const call = (channel: string, payload: unknown): Promise<Envelope<unknown>> =>
  dispatch(services, deps, channel, payload);

const topology = { text: 'router: {}\n', fileName: 'fuzz.yaml' };
const kube = { kubeconfig: join(dir, 'missing-kubeconfig'), context: 'ctx' };
const target = { host: '192.0.2.1', port: 22, username: 'ubnt' };

/**
 * One valid request per channel, holding every field its schema knows (optional ones included), so
 * that mutating them one at a time reaches every field. Most of them would touch a router or a
 * cluster: only their mutations, which are invalid, are dispatched.
 */
const validRequests: Record<Channel, Record<string, unknown>> = {
  'app.info': {},
  'app.preset': {},
  'window.openStatus': {},
  'app.diagnostics': { topology, kube },
  'plan.build': { topology },
  'parse.output': { kind: 'summary', text: 'BGP router identifier 192.0.2.1, local AS number 64512\n' },
  'cluster.contexts': kube,
  'cluster.probe': { kube },
  'router.connect': {
    target,
    auth: { kind: 'key', keyFile: join(dir, 'id_ed25519'), passphrase: 'pass' },
    remember: false,
    acceptHostKey: 'SHA256:abc',
    expectHostKey: 'SHA256:abc',
  },
  'router.forgetHostKey': { target },
  'bgp.setPassword': { target, password: 'md5-secret', remember: false },
  'apply.preview': { topology, kube },
  'apply.run': {
    topology,
    kube,
    dryRun: true,
    manifest: { source: join(dir, 'metallb.yaml'), sha256: '0'.repeat(64) },
    operationId: 'op-1',
  },
  'teardown.preview': { topology, kube },
  'teardown.run': { topology, kube, uninstall: false, dryRun: true, operationId: 'op-1' },
  'status.read': { topology, kube },
  'status.watch': { topology, kube, intervalMs: 2000, operationId: 'op-1' },
  'test.run': {
    topology,
    kube,
    target: { service: { namespace: 'default', name: 'echo' } },
    count: 10,
    operationId: 'op-1',
  },
  'echo.deploy': { kube, operationId: 'op-1' },
  'echo.remove': { kube, operationId: 'op-1' },
  'bundle.export': { topology },
  'bundle.import': { base64: '', fileName: 'bundle.zip' },
  'operation.cancel': { operationId: 'op-1' },
};

/** Channels whose handlers touch neither a router, a cluster nor a file outside `dir`. */
const HARMLESS = new Set<string>([
  'app.info',
  'app.preset',
  'window.openStatus',
  'plan.build',
  'parse.output',
  'operation.cancel',
  'bundle.import',
]);

/** The envelope's message is one bounded line a shell can show: no newline, no stack frame. */
function expectShowableError(
  envelope: Envelope<unknown>,
): asserts envelope is Extract<Envelope<unknown>, { ok: false }> {
  expect(envelope.ok).toBe(false);
  if (envelope.ok) return;
  const { message } = envelope.error;
  expect(typeof message).toBe('string');
  expect(message.length).toBeGreaterThan(0);
  expect(message.length).toBeLessThanOrEqual(MAX_SHOWN_MESSAGE);
  expect(message).not.toMatch(/[\r\n\u2028\u2029]/);
  // What a leaked stack would show: Node's own frames or a dependency's.
  expect(message).not.toMatch(/node:internal|node_modules\//);
  expect(['invalid', 'failed', 'host-key', 'cancelled']).toContain(envelope.error.kind);
}

/** A refused request: kind 'invalid', and the message names the channel or the field. */
function expectInvalid(envelope: Envelope<unknown>): void {
  expectShowableError(envelope);
  if (envelope.ok) return;
  expect(envelope.error.kind).toBe('invalid');
  expect(Object.keys(envelope.error).sort()).toEqual(
    'path' in envelope.error ? ['kind', 'message', 'path'] : ['kind', 'message'],
  );
  expect(envelope.error.message).toMatch(/^(invalid request for |unknown channel ")/);
}

const prototypeKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty');

/** Values of every kind structured clone or JSON can carry, with odd keys mixed in. */
const anyValue = fc.anything({
  maxDepth: 4,
  maxKeys: 6,
  key: fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), prototypeKeys),
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withTypedArray: true,
  withSparseArray: true,
});

/** JSON text with `__proto__` or `constructor.prototype` as own keys, parsed as the bridge parses. */
const pollutingPayload = fc
  .tuple(
    fc.constantFrom(
      '{"__proto__":{"polluted":"yes"}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      '{"kube":{"__proto__":{"polluted":"yes"}}}',
      '{"topology":{"text":"x","fileName":"f","__proto__":{"polluted":"yes"}}}',
      '{"target":{"__proto__":{"polluted":"yes"},"host":"h","port":22,"username":"u"}}',
      '{"__proto__":{"polluted":"yes"},"kind":"summary","text":"x"}',
    ),
  )
  .map(([json]) => JSON.parse(json) as unknown);

const channelName = fc.oneof(
  fc.constantFrom(...CHANNELS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  prototypeKeys,
  fc.constantFrom('mbw:app.info', 'APP.INFO', 'app.info ', 'app.info\n', '', 'hasOwnProperty'),
);

function objectPrototypeKeys(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}
const pristinePrototype = objectPrototypeKeys();

function expectPrototypeUntouched(): void {
  expect(objectPrototypeKeys()).toEqual(pristinePrototype);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
}

// -------------------------------------------------------------------------------------------------
// Mutations of valid requests, one field at a time

type Path = (string | number)[];

/** Every path into a plain value: objects' keys, recursively (the root is []). */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, v]) => pathsOf(v, [...prefix, key]))];
}

function valueAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)[key], value);
}

function withValueAt(value: unknown, path: Path, replacement: unknown, remove = false): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string, ...Path];
  const copy = { ...(value as Record<string, unknown>) };
  if (remove && rest.length === 0) delete copy[head];
  else copy[head] = withValueAt(copy[head], rest, replacement, remove);
  return copy;
}

/** What type a value has, finer than typeof: arrays and null are their own. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Values whose type differs from `original`'s: any of them makes the field invalid. */
function wrongTypeFor(original: unknown): fc.Arbitrary<unknown> {
  return fc
    .oneof(
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
      fc.bigInt(),
      fc.date({ noInvalidDate: true }),
    )
    .filter((value) => kindOf(value) !== kindOf(original));
}

interface Mutation {
  channel: Channel;
  payload: unknown;
  /** The field changed: the refusal names it or a field that holds it. */
  path: string;
}

const topLevelShape = (channel: Channel): Record<string, { safeParse(v: unknown): { success: boolean } }> =>
  (
    requestSchemas[channel] as unknown as {
      shape: Record<string, { safeParse(v: unknown): { success: boolean } }>;
    }
  ).shape;

/** A field is required when its schema refuses undefined. */
function isRequired(channel: Channel, path: Path): boolean {
  const without = withValueAt(validRequests[channel], path, undefined, true);
  return !parseRequest(channel, without).ok;
}

const mutation: fc.Arbitrary<Mutation> = fc.constantFrom(...CHANNELS).chain((channel) => {
  const request = validRequests[channel];
  const fields = pathsOf(request).filter((p) => p.length > 0);
  const objects = pathsOf(request).filter((p) => kindOf(valueAt(request, p)) === 'object');
  const retyped = fields.map((path) =>
    wrongTypeFor(valueAt(request, path)).map((value): Mutation => ({
      channel,
      payload: withValueAt(request, path, value),
      path: path.join('.'),
    })),
  );
  const extraKey = objects.map((path) =>
    fc
      .tuple(fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), prototypeKeys), anyValue)
      .filter(([key]) => !Object.hasOwn(valueAt(request, path) as object, key))
      .map(([key, value]): Mutation => {
        const holder = { ...(valueAt(request, path) as Record<string, unknown>) };
        Object.defineProperty(holder, key, { value, enumerable: true, writable: true, configurable: true });
        return { channel, payload: withValueAt(request, path, holder), path: path.join('.') };
      }),
  );
  const removed = fields
    .filter((path) => isRequired(channel, path))
    .map((path) =>
      fc.constant<Mutation>({
        channel,
        payload: withValueAt(request, path, undefined, true),
        path: path.join('.'),
      }),
    );
  const wholePayload = wrongTypeFor(request).map((payload): Mutation => ({ channel, payload, path: '' }));
  return fc.oneof(...retyped, ...extraKey, ...removed, wholePayload);
});

// -------------------------------------------------------------------------------------------------

describe('dispatch under fuzzing', () => {
  it('holds a valid request for every channel, with every field of its schema', () => {
    expect(Object.keys(validRequests).sort()).toEqual([...CHANNELS].sort());
    for (const channel of CHANNELS) {
      const parsed = parseRequest(channel, validRequests[channel]);
      expect(parsed.ok, channel).toBe(true);
      expect(Object.keys(validRequests[channel]).sort(), channel).toEqual(
        Object.keys(topLevelShape(channel)).sort(),
      );
    }
  });

  it('answers any channel with any payload with an envelope, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(channelName, fc.oneof(anyValue, pollutingPayload), async (channel, payload) => {
        const parsed = parseRequest(channel, payload);
        // A payload that happens to be valid only runs on a channel that touches nothing outside.
        fc.pre(!parsed.ok || HARMLESS.has(channel) || channel === 'app.diagnostics');
        const envelope = await call(channel, payload);
        if (!parsed.ok) expectInvalid(envelope);
        else if (!envelope.ok) expectShowableError(envelope);
      }),
      { numRuns: 600 },
    );
    expectPrototypeUntouched();
  });

  it('refuses every valid request mutated in one field, naming that field or one holding it', async () => {
    await fc.assert(
      fc.asyncProperty(mutation, async ({ channel, payload, path }) => {
        const envelope = await call(channel, payload);
        expectInvalid(envelope);
        if (envelope.ok) return;
        expect(envelope.error.message.startsWith(`invalid request for ${channel}`)).toBe(true);
        const reported = envelope.error.path ?? '';
        // A union (auth, a test target) reports the field holding the alternatives.
        expect(path === reported || path.startsWith(`${reported}.`) || reported === '').toBe(true);
        if (reported === '') expect(path.includes('.')).toBe(false);
      }),
      { numRuns: 800 },
    );
    expectPrototypeUntouched();
  });

  it('refuses prototype-pollution payloads on every channel and leaves Object.prototype alone', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS), pollutingPayload, async (channel, payload) => {
        expectInvalid(await call(channel, payload));
      }),
      { numRuns: 150 },
    );
    expectPrototypeUntouched();
  });

  it('keeps a refusal one bounded line when the request echoes a key or channel with newlines or megabytes', async () => {
    const fakeFrame = 'x\n    at Object.<anonymous> (/app/src/main/services/index.ts:1:1)';
    // The request's own text is quoted escaped, on the one line.
    expect(await call(fakeFrame, {})).toEqual({
      ok: false,
      error: {
        message: 'unknown channel "x\\n    at Object.<anonymous> (/app/src/main/services/index.ts:1:1)"',
        kind: 'invalid',
      },
    });
    const long = await call('x'.repeat(1_000_000), {});
    expect(long.ok || long.error.message).toBe(`unknown channel "${'x'.repeat(MAX_SHOWN_MESSAGE - 20)}...`);
    for (const envelope of [
      await call(fakeFrame, {}),
      await call('app.info', { [fakeFrame]: 1 }),
      await call('cluster.probe', { kube: { [fakeFrame]: 1 } }),
      await call('x'.repeat(1_000_000), {}),
      await call('app.info', { ['k'.repeat(1_000_000)]: 1 }),
    ]) {
      expectInvalid(envelope);
    }
  });

  it('answers harmless valid requests with ok envelopes, whatever text they carry', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 2000 });
    const fileName = fc.string({ unit: 'binary', minLength: 1, maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant(['app.info', {}] as const),
          fc.constant(['app.preset', {}] as const),
          fc.record({ text, fileName }).map((t) => ['plan.build', { topology: t }] as const),
          fc
            .record({ kind: fc.constantFrom(...OUTPUT_KINDS), text })
            .map((request) => ['parse.output', request] as const),
          fc
            .stringMatching(/^[A-Za-z0-9_-]{1,64}$/)
            .map((operationId) => ['operation.cancel', { operationId }] as const),
        ),
        async ([channel, payload]) => {
          const envelope = await call(channel, payload);
          expect(envelope.ok).toBe(true);
          if (!envelope.ok) return;
          expect(envelope.value).toBeDefined();
          if (channel === 'operation.cancel') expect(envelope.value).toEqual({ cancelled: false });
          if (channel === 'plan.build') expect(typeof (envelope.value as { ok: unknown }).ok).toBe('boolean');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a bundle of random bytes as invalid input naming the file', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4000 }),
        fc.string({ minLength: 1, maxLength: 40 }).filter((name) => !/[\r\n]/.test(name)),
        async (bytes, fileName) => {
          const envelope = await call('bundle.import', {
            base64: Buffer.from(bytes).toString('base64'),
            fileName,
          });
          expectShowableError(envelope);
          if (envelope.ok) return;
          expect(envelope.error.kind).toBe('invalid');
          expect(envelope.error.message.startsWith(`${fileName}: `)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('looks for a kubeconfig at any given path and names it when it is not there', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40 }).filter((name) => !/[\0/\\\r\n]/.test(name)),
        async (name) => {
          const file = join(dir, 'nowhere', name);
          const envelope = await call('cluster.contexts', { kubeconfig: file });
          expectShowableError(envelope);
          if (envelope.ok) return;
          expect(envelope.error.kind).toBe('invalid');
          expect(envelope.error.message).toContain('does not exist');
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('the size bounds of the contract', () => {
  // The contract's bounds (src/shared/contract.ts): 5,000,000 characters of pasted router output,
  // 1,000,000 of topology text, 28,000,000 of base64 (a 20 MB bundle), 4096 of a path.
  it.each([
    ['parse.output', { kind: 'summary', text: 'x'.repeat(5_000_001) }, 'text'],
    ['plan.build', { topology: { text: 'x'.repeat(1_000_001), fileName: 't.yaml' } }, 'topology.text'],
    ['bundle.import', { base64: 'A'.repeat(28_000_001), fileName: 'b.zip' }, 'base64'],
    ['bundle.import', { base64: '', fileName: 'b'.repeat(4097) }, 'fileName'],
    ['cluster.contexts', { kubeconfig: `/${'k'.repeat(4096)}` }, 'kubeconfig'],
  ] as const)('refuses %s over its bound at %s', async (channel, payload, path) => {
    const envelope = await call(channel, payload);
    expectInvalid(envelope);
    if (!envelope.ok) expect(envelope.error.path).toBe(path);
  });

  it('accepts pasted output right at the bound', async () => {
    const envelope = await call('parse.output', { kind: 'routes', text: 'x'.repeat(5_000_000) });
    expect(envelope.ok).toBe(true);
  });
});
