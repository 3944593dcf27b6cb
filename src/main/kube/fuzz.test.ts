// Fuzzing kubeconfig loading: whatever a kubeconfig file holds (random text, random YAML or JSON,
// kubeconfig-shaped documents with wrong fields), loading it gives a config or a UserError that
// names the file; nothing else escapes. A file too large, or not a regular file, is refused unread.

import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { UserError } from '../errors.ts';
import { MAX_KUBECONFIG_BYTES, loadKubeconfig } from './index.ts';
import type { LoadedKubeconfig } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'mbw-kubeconfig-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function kubeconfigWith(content: string | Uint8Array): string {
  const file = join(dir, `kubeconfig-${fileCount++}`);
  writeFileSync(file, content);
  return file;
}

type Outcome = { loaded: LoadedKubeconfig } | { refused: UserError };

function loadOf(file: string, context?: string): Outcome {
  try {
    return { loaded: loadKubeconfig({ path: file, ...(context ? { context } : {}) }, {}, dir) };
  } catch (error) {
    // Anything but a UserError fails the property with the error itself.
    if (!(error instanceof UserError)) throw error;
    return { refused: error };
  }
}

/** A loaded config is coherent; a refusal is invalid input, names the file, and fits one line. */
function expectLoadedOrNamedRefusal(outcome: Outcome, file: string): void {
  if ('loaded' in outcome) {
    const { loaded } = outcome;
    expect(loaded.files).toEqual([file]);
    expect(loaded.contexts.map((c) => c.name)).toContain(loaded.context);
    expect(loaded.kubeConfig.getCurrentContext()).toBe(loaded.context);
    return;
  }
  const { refused } = outcome;
  expect(refused.kind).toBe('invalid');
  expect(refused.message).toContain(file);
  expect(refused.message).not.toMatch(/[\r\n]/);
}

const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.double({ noNaN: true }),
);
const anyJson = fc.jsonValue({ maxDepth: 3 });
/** The field's usual value three times in four, else any JSON value in its place. */
const maybe = (arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 3, arbitrary: arb }, { weight: 1, arbitrary: anyJson });
const name = fc.constantFrom('a', 'b', 'home', '', 'x y', '__proto__', 'constructor');

/** Documents shaped like a kubeconfig, each field of the right type most of the time. */
const kubeconfigLike = fc.record(
  {
    apiVersion: maybe(fc.constantFrom('v1', 'v2')),
    kind: maybe(fc.constantFrom('Config', 'Other')),
    clusters: maybe(
      fc.array(
        fc.record(
          {
            name: maybe(name),
            cluster: maybe(
              fc.record(
                {
                  server: maybe(fc.constantFrom('https://127.0.0.1:6443', 'http://x', 'not a url', '')),
                  'insecure-skip-tls-verify': maybe(fc.boolean()),
                  'certificate-authority': maybe(fc.constantFrom('ca.crt', '/nonexistent/ca.crt')),
                  'certificate-authority-data': maybe(fc.base64String({ maxLength: 40 })),
                  'tls-server-name': maybe(scalar),
                  'proxy-url': maybe(scalar),
                },
                { requiredKeys: [] },
              ),
            ),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    ),
    users: maybe(
      fc.array(
        fc.record(
          {
            name: maybe(name),
            user: maybe(
              fc.record(
                {
                  token: maybe(scalar),
                  'client-certificate': maybe(fc.constantFrom('c.crt', '/nonexistent')),
                  'client-key-data': maybe(fc.base64String({ maxLength: 40 })),
                  username: maybe(scalar),
                  password: maybe(scalar),
                  exec: maybe(
                    fc.record(
                      {
                        apiVersion: maybe(fc.constant('client.authentication.k8s.io/v1')),
                        command: maybe(fc.constantFrom('aws', 'gke-gcloud-auth-plugin')),
                        args: maybe(fc.array(scalar, { maxLength: 3 })),
                        env: maybe(fc.array(fc.record({ name: scalar, value: scalar }), { maxLength: 2 })),
                      },
                      { requiredKeys: [] },
                    ),
                  ),
                  'auth-provider': maybe(fc.record({ name: scalar, config: anyJson }, { requiredKeys: [] })),
                },
                { requiredKeys: [] },
              ),
            ),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    ),
    contexts: maybe(
      fc.array(
        fc.record(
          {
            name: maybe(name),
            context: maybe(
              fc.record(
                { cluster: maybe(name), user: maybe(name), namespace: maybe(scalar) },
                { requiredKeys: [] },
              ),
            ),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    ),
    'current-context': maybe(name),
    preferences: anyJson,
  },
  { requiredKeys: [] },
);

const VALID_DOCUMENT: Record<string, unknown> = {
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'a', cluster: { server: 'https://127.0.0.1:6443' } }],
  users: [{ name: 'b', user: { token: 't' } }],
  contexts: [{ name: 'home', context: { cluster: 'a', user: 'b' } }],
  'current-context': 'home',
};

/** A valid kubeconfig with some of its top-level fields replaced by generated ones. */
const partlyValid = fc
  .tuple(kubeconfigLike, fc.subarray(Object.keys(VALID_DOCUMENT)))
  .map(([generated, replaced]) => {
    const doc: Record<string, unknown> = { ...VALID_DOCUMENT };
    for (const key of replaced) {
      if (key in generated) doc[key] = (generated as Record<string, unknown>)[key];
      else delete doc[key];
    }
    return doc;
  });

describe('kubeconfig loading under fuzzing', () => {
  it('loads a kubeconfig-shaped document with the right fields (the control for the properties)', () => {
    const file = kubeconfigWith(
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443' } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'home', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'home',
      }),
    );
    const outcome = loadOf(file);
    expect('loaded' in outcome && outcome.loaded.context).toBe('home');
  });

  it('loads or refuses by name any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const file = kubeconfigWith(text);
        expectLoadedOrNamedRefusal(loadOf(file), file);
      }),
      { numRuns: 300 },
    );
  });

  it('loads or refuses by name any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const file = kubeconfigWith(bytes);
        expectLoadedOrNamedRefusal(loadOf(file), file);
      }),
      { numRuns: 200 },
    );
  });

  it('loads or refuses by name any JSON or YAML document', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, asJson) => {
        const file = kubeconfigWith(asJson ? JSON.stringify(value) : stringify(value));
        expectLoadedOrNamedRefusal(loadOf(file), file);
      }),
      { numRuns: 300 },
    );
  });

  it('loads or refuses by name kubeconfig-shaped documents with wrong or missing fields', () => {
    let loaded = 0;
    fc.assert(
      fc.property(
        fc.oneof(kubeconfigLike, partlyValid),
        fc.option(name, { nil: undefined }),
        fc.boolean(),
        (doc, context, asJson) => {
          const file = kubeconfigWith(asJson ? JSON.stringify(doc) : stringify(doc));
          const outcome = loadOf(file, context);
          expectLoadedOrNamedRefusal(outcome, file);
          if ('loaded' in outcome) loaded++;
        },
      ),
      { numRuns: 400 },
    );
    // The generator reaches valid configs too, not only refusals.
    expect(loaded).toBeGreaterThan(0);
  });

  it('refuses YAML built to blow up: deep nesting, alias fan-out, huge keys', () => {
    const laughs = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      ...Array.from({ length: 9 }, (_v, i) => {
        const prev = i === 0 ? 'a' : `l${i - 1}`;
        return `l${i}: &l${i} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`;
      }),
      'clusters: *l8',
    ].join('\n');
    for (const text of [
      laughs,
      `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
      `${'- '.repeat(2_000)}x`,
      `${'k'.repeat(1_000_000)}: v`,
      'clusters: !!binary aGVsbG8=',
      'clusters: !<tag:yaml.org,2002:js/function> "function(){}"',
      '%YAML 1.2\n---\na: 1\n---\nb: 2\n',
    ]) {
      const file = kubeconfigWith(text);
      expectLoadedOrNamedRefusal(loadOf(file), file);
    }
  });

  it(`refuses a file over ${MAX_KUBECONFIG_BYTES} bytes before reading it, naming file and bound`, () => {
    const file = join(dir, 'huge-kubeconfig');
    writeFileSync(file, '');
    // Sparse: the bound is checked on the size, so nothing is written or read.
    truncateSync(file, MAX_KUBECONFIG_BYTES + 1);
    const outcome = loadOf(file);
    expect('refused' in outcome).toBe(true);
    if (!('refused' in outcome)) return;
    expect(outcome.refused.kind).toBe('invalid');
    expect(outcome.refused.message).toBe(
      `kubeconfig file ${file} is larger than 10 MB, more than a kubeconfig holds; check that this is the right file`,
    );
    expectLoadedOrNamedRefusal(outcome, file);
    // Right at the bound it is read and loaded: a real kubeconfig padded with a comment.
    const config = stringify({
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443' } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'padded', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'padded',
    });
    const padded = `${config}#${'x'.repeat(MAX_KUBECONFIG_BYTES - config.length - 2)}\n`;
    expect(Buffer.byteLength(padded)).toBe(MAX_KUBECONFIG_BYTES);
    const read = loadOf(kubeconfigWith(padded));
    expect('loaded' in read && read.loaded.context).toBe('padded');
  });

  it('reads a device only up to the bound, and refuses a directory, naming each', () => {
    // /dev/zero never ends: the read stops at the bound instead of filling memory.
    const zero = loadOf('/dev/zero');
    expect('refused' in zero && zero.refused.message).toBe(
      'kubeconfig file /dev/zero is larger than 10 MB, more than a kubeconfig holds; check that this is the right file',
    );
    // /dev/null reads as an empty file: an empty config, which names no context to use.
    const empty = loadOf('/dev/null');
    expectLoadedOrNamedRefusal(empty, '/dev/null');
    expect('refused' in empty && empty.refused.message).toMatch(/^\/dev\/null sets no current-context/);
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const directory = loadOf(folder);
    expect('refused' in directory && directory.refused.message).toMatch(
      new RegExp(`^kubeconfig file ${folder} cannot be read \\(EISDIR`),
    );
  });
});
