// Property tests: whatever text arrives, the parsers return well-typed results and never throw;
// text that is not router output (random bytes, printable garbage) gives empty results.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  detectOutputFormat,
  parseBgpNeighbors,
  parseBgpRoutes,
  parseBgpSummary,
  parseShowVersion,
  parseUptimeSeconds,
} from './index.ts';
import type { BgpNeighbor, BgpRoute, BgpSummary, RouterVersion } from './index.ts';

const fixtureDir = path.resolve(process.cwd(), '../shared/fixtures/router-output');
const samples = readdirSync(fixtureDir)
  .filter((name) => name.endsWith('.txt'))
  .map((name) => readFileSync(path.join(fixtureDir, name), 'utf8'));

const isNullableNumber = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));
const isNullableString = (v: unknown): boolean => v === null || typeof v === 'string';

function expectSummaryShape(summary: BgpSummary): void {
  expect(isNullableString(summary.routerId)).toBe(true);
  expect(isNullableNumber(summary.localAs)).toBe(true);
  expect(Array.isArray(summary.neighbors)).toBe(true);
  for (const n of summary.neighbors) {
    expect(typeof n.address).toBe('string');
    expect(Number.isInteger(n.remoteAs)).toBe(true);
    expect(typeof n.state).toBe('string');
    expect(typeof n.upDown).toBe('string');
    expect(isNullableNumber(n.upSeconds)).toBe(true);
    expect(isNullableNumber(n.prefixesReceived)).toBe(true);
    // The contract: a prefix count only for Established sessions.
    if (n.prefixesReceived !== null) expect(n.state).toBe('Established');
  }
}

function expectNeighborsShape(neighbors: BgpNeighbor[]): void {
  expect(Array.isArray(neighbors)).toBe(true);
  for (const n of neighbors) {
    expect(typeof n.address).toBe('string');
    expect(Number.isInteger(n.remoteAs)).toBe(true);
    expect(isNullableNumber(n.localAs)).toBe(true);
    expect(['internal', 'external']).toContain(n.link);
    expect(typeof n.state).toBe('string');
    expect(isNullableString(n.upFor)).toBe(true);
    expect(isNullableNumber(n.upSeconds)).toBe(true);
    expect(isNullableNumber(n.prefixesAccepted)).toBe(true);
  }
}

function expectRoutesShape(routes: BgpRoute[]): void {
  expect(Array.isArray(routes)).toBe(true);
  for (const route of routes) {
    expect(typeof route.prefix).toBe('string');
    expect(Array.isArray(route.nextHops)).toBe(true);
    for (const hop of route.nextHops) {
      expect(typeof hop.address).toBe('string');
      expect(isNullableString(hop.interface)).toBe(true);
      expect(isNullableString(hop.age)).toBe(true);
      if (hop.recursive) expect(hop.interface).toBeNull();
    }
  }
}

function expectVersionShape(version: RouterVersion | null): void {
  if (version === null) return;
  expect(['edgeos', 'vyos']).toContain(version.dialect);
  expect(typeof version.version).toBe('string');
}

function expectAllParsersWellTyped(text: string): void {
  expectSummaryShape(parseBgpSummary(text));
  expectNeighborsShape(parseBgpNeighbors(text));
  expectRoutesShape(parseBgpRoutes(text));
  expectVersionShape(parseShowVersion(text));
  expect(['edgeos', 'frr', 'frr-json', 'unknown']).toContain(detectOutputFormat(text));
  parseUptimeSeconds(text);
}

// Words routers print, so random text reaches deep into the parsers rather than failing the first regex.
const routerWord = fc.constantFrom(
  'B',
  'B>*',
  '*>',
  '*',
  'via',
  '10.0.0.1',
  '10.0.0.0/8',
  'fe80::1',
  '[200/0]',
  '(recursive)',
  '(recursive is directly connected, eth0) )',
  'eth1,',
  'weight 1,',
  '00:00:04',
  'never',
  'Neighbor',
  'V',
  'AS',
  'Up/Down',
  'State/PfxRcd',
  'PfxSnt',
  'Desc',
  '4',
  '64512',
  'Idle',
  '(Admin)',
  'BGP neighbor is',
  'remote AS',
  'local AS',
  'internal link',
  'BGP state =',
  'up for',
  'accepted prefixes',
  'Version:',
  'VyOS',
  'v2.0.9',
  '{',
  '}',
  '"peers":',
  '[',
  ']',
  ',',
  ':',
  '\n',
  '  ',
);
const routerishText = fc
  .array(fc.oneof(routerWord, fc.string({ maxLength: 6 })), { maxLength: 80 })
  .map((words) => words.join(' '));

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), keep: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
);

function mutate(
  sample: string,
  mutations: { kind: string; at: number; keep?: number; text?: string }[],
): string {
  let lines = sample.split('\n');
  for (const m of mutations) {
    const index = lines.length === 0 ? 0 : m.at % lines.length;
    const line = lines[index] ?? '';
    if (m.kind === 'drop') lines = [...lines.slice(0, index), ...lines.slice(index + 1)];
    else if (m.kind === 'duplicate') lines = [...lines.slice(0, index), line, ...lines.slice(index)];
    else if (m.kind === 'truncate') lines[index] = line.slice(0, (m.keep ?? 0) % (line.length + 1));
    else {
      const pos = line.length === 0 ? 0 : m.at % line.length;
      lines[index] = line.slice(0, pos) + (m.text ?? '') + line.slice(pos);
    }
  }
  return lines.join('\n');
}

function expectAllParsersEmpty(text: string): void {
  expect(parseBgpSummary(text)).toEqual({ routerId: null, localAs: null, neighbors: [] });
  expect(parseBgpNeighbors(text)).toEqual([]);
  expect(parseBgpRoutes(text)).toEqual([]);
  expect(parseShowVersion(text)).toBeNull();
}

// Lines of printable ASCII, not built from router words: digits, dots, slashes and brackets
// appear, but the odds of them forming a header, a row or a route line by chance are nil.
const printableGarbage = fc
  .array(
    fc.string({
      maxLength: 60,
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    }),
    {
      maxLength: 20,
    },
  )
  .map((lines) => lines.join('\n'));

describe('parsers on arbitrary text', () => {
  it('never throw on random strings, keep their types, and find nothing in them', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (text) => {
        expectAllParsersWellTyped(text);
        expectAllParsersEmpty(text);
      }),
      { numRuns: 300 },
    );
  });

  it('find nothing in lines of printable garbage', () => {
    fc.assert(
      fc.property(printableGarbage, (text) => {
        expectAllParsersWellTyped(text);
        expectAllParsersEmpty(text);
      }),
      { numRuns: 300 },
    );
  });

  it('find nothing in random JSON objects', () => {
    fc.assert(
      fc.property(fc.object({ maxDepth: 3 }), (value) => {
        const text = JSON.stringify(value);
        expectAllParsersWellTyped(text);
        expectAllParsersEmpty(text);
      }),
      { numRuns: 300 },
    );
  });

  it('never throw on random router-like word salad', () => {
    fc.assert(
      fc.property(routerishText, (text) => expectAllParsersWellTyped(text)),
      { numRuns: 400 },
    );
  });

  it('never throw on real samples with lines dropped, duplicated, truncated or salted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...samples),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (sample, mutations) => expectAllParsersWellTyped(mutate(sample, mutations)),
      ),
      { numRuns: 400 },
    );
  });

  it('give empty results, not exceptions, for values that are not strings', () => {
    for (const value of [undefined, null, 42, {}, [], Symbol('x')]) {
      const text = value as unknown as string;
      expect(parseBgpSummary(text)).toEqual({ routerId: null, localAs: null, neighbors: [] });
      expect(parseBgpNeighbors(text)).toEqual([]);
      expect(parseBgpRoutes(text)).toEqual([]);
      expect(parseShowVersion(text)).toBeNull();
      expect(detectOutputFormat(text)).toBe('unknown');
    }
  });

  it('still find the rows a sample holds after a line that is not a row was dropped', () => {
    // Dropping the `Total number …` tail must not lose any neighbor row.
    const sample = samples.find((s) => s.includes('Total number of Established sessions')) ?? '';
    const trimmed = sample
      .split('\n')
      .filter((line) => !line.startsWith('Total'))
      .join('\n');
    expect(parseBgpSummary(trimmed)).toEqual(parseBgpSummary(sample));
    expect(parseBgpSummary(sample).neighbors).toHaveLength(3);
  });
});
