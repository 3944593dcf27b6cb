// Fuzzing the bundle import: random bytes, valid bundles truncated or with bits flipped, zips with
// random entry names and contents. Whatever the file holds, the import returns the exported
// topology or refuses the file with a UserError (kind 'invalid') naming it; nothing else escapes.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../shared/plan/index.ts';
import { parseTopologyText } from '../../shared/topology/index.ts';
import { UserError } from '../errors.ts';
import { MAX_BUNDLE_BYTES, bundleOf, topologyFromBundle } from './index.ts';

const ARTICLE_TEXT = readFileSync(
  new URL('../../../examples/article-topology.yaml', import.meta.url),
  'utf8',
);

function articleBundle(): Uint8Array {
  const validation = parseTopologyText(ARTICLE_TEXT, 'topology.yaml');
  if (!validation.ok) throw new Error('the article topology no longer validates');
  return bundleOf({
    topologyText: ARTICLE_TEXT,
    plan: buildPlan(validation.topology, validation.warnings),
    appVersion: '0.1.0',
    createdAt: new Date('2025-01-02T03:04:05.000Z'),
  });
}

const BUNDLE = articleBundle();
const ENTRIES = unzipSync(BUNDLE);

/** What an import may do: give back the exported topology, or refuse the file by name. */
type Outcome = { imported: string } | { refused: UserError };

function importOf(bytes: Uint8Array, fileName: string): Outcome {
  try {
    return { imported: topologyFromBundle(bytes, fileName).topologyText };
  } catch (error) {
    // Anything but a UserError fails the property with the error itself.
    if (!(error instanceof UserError)) throw error;
    return { refused: error };
  }
}

function expectRefusedByName(outcome: Outcome, fileName: string): void {
  expect('refused' in outcome).toBe(true);
  if (!('refused' in outcome)) return;
  expectNamedRefusal(outcome.refused, fileName);
}

function expectNamedRefusal(error: UserError, fileName: string): void {
  expect(error.kind).toBe('invalid');
  expect(error.path).toBe(fileName);
  expect(error.message.startsWith(`${fileName}: `)).toBe(true);
  expect(error.message.slice(fileName.length)).not.toMatch(/[\r\n]/);
}

/** Either the exact exported topology, or a refusal naming the file. */
function expectTopologyOrRefusal(outcome: Outcome, fileName: string): void {
  if ('imported' in outcome) expect(outcome.imported).toBe(ARTICLE_TEXT);
  else expectNamedRefusal(outcome.refused, fileName);
}

const fileName = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((name) => !/[\r\n]/.test(name));

const entryName = fc.oneof(
  fc.string({ unit: 'binary', minLength: 0, maxLength: 40 }),
  fc
    .array(fc.constantFrom('..', '.', '', 'a', 'router', 'C:', '\\', 'x\u0000y', '%2e%2e'), {
      minLength: 1,
      maxLength: 5,
    })
    .map((parts) => parts.join('/')),
  fc.constantFrom('manifest.json/', 'topology.yaml/', '/topology.yaml', './topology.yaml', 'TOPOLOGY.YAML'),
);

describe('bundle import under fuzzing', () => {
  it('exports a bundle the import reads back (the control for the properties below)', () => {
    expect(importOf(BUNDLE, 'b.zip')).toEqual({ imported: ARTICLE_TEXT });
  });

  it('refuses random bytes, naming the file', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fileName, (bytes, name) => {
        expectRefusedByName(importOf(bytes, name), name);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses random bytes that start like a zip (local header, end-of-directory record)', () => {
    const zipLike = fc
      .tuple(
        fc.constantFrom([0x50, 0x4b, 0x03, 0x04], [0x50, 0x4b, 0x05, 0x06], [0x50, 0x4b, 0x01, 0x02]),
        fc.uint8Array({ minLength: 18, maxLength: 400 }),
        fc.boolean(),
      )
      .map(([magic, rest, eocdAtEnd]) => {
        const bytes = new Uint8Array([...magic, ...rest]);
        // An end-of-central-directory signature 22 bytes from the end sends fflate into the directory.
        if (eocdAtEnd) bytes.set([0x50, 0x4b, 0x05, 0x06], bytes.length - 22);
        return bytes;
      });
    fc.assert(
      fc.property(zipLike, (bytes) => expectRefusedByName(importOf(bytes, 'z.zip'), 'z.zip')),
      { numRuns: 400 },
    );
  });

  it('refuses a valid bundle cut short anywhere', () => {
    fc.assert(
      fc.property(fc.nat({ max: BUNDLE.length - 1 }), (length) => {
        expectRefusedByName(importOf(BUNDLE.slice(0, length), 'cut.zip'), 'cut.zip');
      }),
      { numRuns: 300 },
    );
  });

  it('gives back the exact topology or refuses the file when bits of a valid bundle are flipped', () => {
    const flips = fc.array(fc.tuple(fc.nat({ max: BUNDLE.length - 1 }), fc.integer({ min: 0, max: 7 })), {
      minLength: 1,
      maxLength: 6,
    });
    let refused = 0;
    fc.assert(
      fc.property(flips, (positions) => {
        const bytes = BUNDLE.slice();
        for (const [at, bit] of positions) bytes[at] = (bytes[at] ?? 0) ^ (1 << bit);
        const outcome = importOf(bytes, 'flipped.zip');
        expectTopologyOrRefusal(outcome, 'flipped.zip');
        if ('refused' in outcome) refused++;
      }),
      { numRuns: 500 },
    );
    // Most flips land in compressed data or a checked header: the property saw refusals, not only passes.
    expect(refused).toBeGreaterThan(100);
  });

  it('gives back the exact topology or refuses the file when a byte of any header is overwritten', () => {
    // Headers start at each PK signature: overwrite one of the 46 bytes after one with any value.
    const signatures: number[] = [];
    for (let i = 0; i + 3 < BUNDLE.length; i++) {
      if (BUNDLE[i] === 0x50 && BUNDLE[i + 1] === 0x4b && (BUNDLE[i + 2] ?? 0) <= 6) signatures.push(i);
    }
    expect(signatures.length).toBeGreaterThan(10);
    fc.assert(
      fc.property(
        fc.constantFrom(...signatures),
        fc.nat({ max: 45 }),
        fc.integer({ min: 0, max: 255 }),
        (start, offset, value) => {
          const bytes = BUNDLE.slice();
          if (start + offset < bytes.length) bytes[start + offset] = value;
          expectTopologyOrRefusal(importOf(bytes, 'header.zip'), 'header.zip');
        },
      ),
      { numRuns: 600 },
    );
  });

  it('refuses or reads a bundle with an extra entry of any name, and never an unsafe one', () => {
    fc.assert(
      fc.property(entryName, fc.uint8Array({ maxLength: 64 }), (name, content) => {
        fc.pre(!(name in ENTRIES));
        let zip: Uint8Array;
        try {
          zip = zipSync({ ...ENTRIES, [name]: content });
        } catch {
          // fflate itself cannot write some names (too long once encoded): nothing to import.
          return;
        }
        const outcome = importOf(zip, 'extra.zip');
        expectTopologyOrRefusal(outcome, 'extra.zip');
        const unsafe =
          name.startsWith('/') ||
          name.includes('\\') ||
          name.split('/').includes('..') ||
          /\p{Cc}/u.test(name);
        if (unsafe) expect('refused' in outcome).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses zips of random entries: random names, random contents, random manifests', () => {
    const manifest = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc
        .record({
          app: fc.constantFrom('metallb-bgp-wizard', 'other'),
          files: fc.dictionary(entryName, fc.oneof(fc.string(), fc.constant('0'.repeat(64))), { maxKeys: 4 }),
        })
        .map((m) => JSON.stringify(m)),
    );
    const zip = fc
      .tuple(
        fc.dictionary(entryName, fc.uint8Array({ maxLength: 200 }), { maxKeys: 6 }),
        fc.option(manifest, { nil: undefined }),
        fc.option(fc.string({ unit: 'binary', maxLength: 200 }), { nil: undefined }),
      )
      .map(([entries, manifestText, topology]) => {
        const all: Record<string, Uint8Array> = { ...entries };
        if (manifestText !== undefined) all['manifest.json'] = strToU8(manifestText);
        if (topology !== undefined) all['topology.yaml'] = strToU8(topology);
        try {
          return zipSync(all);
        } catch {
          return new Uint8Array(0);
        }
      });
    fc.assert(
      fc.property(zip, (bytes) => expectRefusedByName(importOf(bytes, 'random.zip'), 'random.zip')),
      { numRuns: 300 },
    );
  });

  it('keeps the unpacked size bounded when a header understates an entry’s size', () => {
    // 30 MB of zeros compresses to a few KB; the directory then claims 100 bytes.
    const zeros = zipSync(
      { 'manifest.json': new Uint8Array(MAX_BUNDLE_BYTES + 10 * 1024 * 1024) },
      { level: 9 },
    );
    const directory = zeros.findIndex(
      (_b, i) => zeros[i] === 0x50 && zeros[i + 1] === 0x4b && zeros[i + 2] === 0x01 && zeros[i + 3] === 0x02,
    );
    expect(directory).toBeGreaterThan(0);
    // Uncompressed size: offset 24 of the central directory header, little-endian.
    new DataView(zeros.buffer, zeros.byteOffset).setUint32(directory + 24, 100, true);
    const outcome = importOf(zeros, 'lying.zip');
    expectRefusedByName(outcome, 'lying.zip');
  });

  it('refuses a file over the 20 MB bound before unzipping it', () => {
    const bytes = new Uint8Array(MAX_BUNDLE_BYTES + 1);
    bytes.set(BUNDLE);
    const outcome = importOf(bytes, 'big.zip');
    expectRefusedByName(outcome, 'big.zip');
    if ('refused' in outcome) expect(outcome.refused.message).toContain('limit 20 MB');
  });
});
