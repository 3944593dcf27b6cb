// Property tests: no input makes validation throw, and no accepted topology carries a string that
// could smuggle a character outside the allow-list (or a newline) into a router command.
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { stringify as stringifyYaml } from 'yaml';
import {
  ROUTER_TOKEN,
  isInterfaceName,
  isNodeName,
  isPoolName,
  isSshHost,
  isUsername,
  parseTopologyText,
  validateTopology,
} from './index.ts';
import type { Topology, ValidationResult } from './index.ts';
import { twoNodeTopology } from './testing.ts';
import { parseInterfaceCidr, parseIpv4, parsePoolEntry } from '../net/index.ts';

const validBase = (): Record<string, unknown> =>
  twoNodeTopology('192.168.1.224/27') as unknown as Record<string, unknown>;

/** Every leaf and object path of the base, so mutations hit every field and whole sections. */
const MUTABLE_PATHS = [
  'router',
  'router.dialect',
  'router.ssh',
  'router.ssh.host',
  'router.ssh.port',
  'router.ssh.username',
  'router.asn',
  'router.routerId',
  'router.maximumPaths',
  'router.wan',
  'router.wan.interface',
  'router.cluster.interface',
  'router.cluster.address',
  'router.lan.interface',
  'router.lan.address',
  'cluster.asn',
  'cluster.nodes',
  'cluster.nodes.0',
  'cluster.nodes.0.name',
  'cluster.nodes.1.name',
  'cluster.nodes.0.address',
  'cluster.nodes.1.address',
  'cluster.pools.0.name',
  'cluster.pools.0.addresses',
  'cluster.pools.0.addresses.0',
  'metallb',
  'metallb.version',
  'extra',
];

/** Valid alternatives per field, so that many mutants are still accepted and get checked. */
const VALID_FOR: Readonly<Record<string, readonly unknown[]>> = {
  'router.dialect': ['vyos', 'edgeos'],
  'router.ssh.host': ['10.0.0.1', 'router.lan', 'er-x'],
  'router.ssh.port': [22, 2222],
  'router.ssh.username': ['admin', 'vyos', '_svc-1'],
  'router.asn': [65000, 4200000001, 100],
  'router.routerId': ['10.255.0.1', '192.168.1.1'],
  'router.maximumPaths': [1, 8, 255],
  'router.wan.interface': ['eth0', 'pppoe0', 'eth0.100'],
  'router.cluster.interface': ['eth1', 'switch0', 'bond0.20'],
  'router.cluster.address': ['192.168.1.1/24', '192.168.1.254/16'],
  'router.lan.interface': ['eth2', 'br0', 'wg0'],
  'router.lan.address': ['192.168.2.1/24', '172.16.0.1/12'],
  'cluster.asn': [64512, 64513],
  'cluster.nodes.0.name': ['worker-a', 'node1.example.com'],
  'cluster.nodes.1.name': ['worker-b', 'x'],
  'cluster.nodes.0.address': ['192.168.1.10', '192.168.1.250'],
  'cluster.nodes.1.address': ['192.168.1.11', '192.168.1.99'],
  'cluster.pools.0.name': ['lb', 'pool-2'],
  'cluster.pools.0.addresses': [['10.10.10.10-10.10.10.20', '10.10.11.0/24']],
  'cluster.pools.0.addresses.0': ['10.10.10.32/27', '192.168.100.5-192.168.100.9'],
  'metallb.version': ['v0.12.1', 'v0.16.1'],
};

const NASTY = [
  '\n',
  '\r\n',
  ';',
  '"',
  "'",
  ' ',
  '`',
  '$(reboot)',
  '|',
  '&&',
  '\u2028',
  '\u0000',
  'é',
  '\t',
  '#',
  '\\',
];

const PLAUSIBLE_STRINGS = Object.values(VALID_FOR)
  .flat()
  .filter((value): value is string => typeof value === 'string');

function replacementFor(path: string): fc.Arbitrary<unknown> {
  const valid = VALID_FOR[path] ?? PLAUSIBLE_STRINGS;
  const validStrings = valid.filter((value): value is string => typeof value === 'string');
  const base = validStrings.length > 0 ? validStrings : PLAUSIBLE_STRINGS;
  const spoiled = fc
    .tuple(fc.constantFrom(...base), fc.constantFrom(...NASTY), fc.boolean())
    .map(([value, nasty, before]) => (before ? nasty + value : value + nasty));
  return fc.oneof(
    { arbitrary: fc.constantFrom(...valid), weight: 4 },
    { arbitrary: spoiled, weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 1 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 1 },
    { arbitrary: fc.integer({ min: -1, max: 4294967296 }), weight: 1 },
    { arbitrary: fc.anything({ maxDepth: 2 }), weight: 1 },
  );
}

interface Mutation {
  path: string;
  value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc
  .constantFrom(...MUTABLE_PATHS)
  .chain((path) => replacementFor(path).map((value) => ({ path, value })));

const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

function applyMutations(mutationsToApply: readonly Mutation[]): Record<string, unknown> {
  const root = validBase();
  for (const { path, value } of mutationsToApply) {
    const keys = path.split('.');
    const last = keys.pop() ?? '';
    let node: unknown = root;
    for (const key of keys)
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    if (node !== null && typeof node === 'object') (node as Record<string, unknown>)[last] = value;
  }
  return root;
}

function commandStrings(t: Topology): string[] {
  const r = t.router;
  return [
    r.dialect,
    r.ssh.host,
    r.ssh.username,
    r.routerId,
    r.wan?.interface,
    r.cluster.interface,
    r.cluster.address,
    r.lan?.interface,
    r.lan?.address,
    ...t.cluster.nodes.flatMap((node) => [node.name, `mbw-${node.name}`, node.address]),
    ...t.cluster.pools.flatMap((pool) => [pool.name, ...pool.addresses]),
    t.metallb.version,
  ].filter((value): value is string => value !== undefined);
}

/** Throws (failing the property) when an accepted topology holds an unsafe value. */
function assertCommandSafe(t: Topology): void {
  for (const value of commandStrings(t)) {
    if (!ROUTER_TOKEN.test(value) || /\s/.test(value))
      throw new Error(`unsafe token ${JSON.stringify(value)}`);
  }
  const r = t.router;
  const interfaces = [r.wan?.interface, r.cluster.interface, r.lan?.interface].filter((v) => v !== undefined);
  if (!interfaces.every(isInterfaceName)) throw new Error(`bad interface in ${JSON.stringify(interfaces)}`);
  if (!isSshHost(r.ssh.host) || !isUsername(r.ssh.username)) throw new Error('bad ssh endpoint');
  if (r.routerId !== undefined && !parseIpv4(r.routerId).ok) throw new Error('bad router id');
  if (!parseInterfaceCidr(r.cluster.address).ok) throw new Error('bad cluster address');
  for (const node of t.cluster.nodes) {
    // VyOS refuses neighbor descriptions over 255 characters.
    if (!isNodeName(node.name) || !parseIpv4(node.address).ok || `mbw-${node.name}`.length > 255)
      throw new Error(`bad node ${JSON.stringify(node)}`);
  }
  for (const pool of t.cluster.pools) {
    if (!isPoolName(pool.name) || !pool.addresses.every((a) => parsePoolEntry(a).ok)) {
      throw new Error(`bad pool ${JSON.stringify(pool)}`);
    }
  }
  const numbers = [r.asn, t.cluster.asn, r.ssh.port, r.maximumPaths];
  if (!numbers.every(Number.isSafeInteger))
    throw new Error(`non-integer number in ${JSON.stringify(numbers)}`);
}

// Any of these in a message or path would break the one-line CLI output or a log line.
const LINE_BREAKING = /[\p{Cc}\p{Zl}\p{Zp}]/u;

/** The result has the promised shape: errors iff not ok, each a {path, message} of strings. */
function assertWellFormed(result: ValidationResult): void {
  if (typeof result.ok !== 'boolean') throw new Error('ok is not a boolean');
  for (const item of [...result.errors, ...result.warnings]) {
    if (LINE_BREAKING.test(item.path) || LINE_BREAKING.test(item.message))
      throw new Error(`multi-line or control character in ${JSON.stringify(item)}`);
    if (item.path.length > 300) throw new Error(`huge path ${JSON.stringify(item.path.slice(0, 100))}...`);
  }
  if (result.ok) {
    if (result.errors.length !== 0) throw new Error('ok result with errors');
    assertCommandSafe(result.topology);
    return;
  }
  if (result.errors.length === 0) throw new Error('failed result without errors');
  for (const error of result.errors) {
    if (typeof error.path !== 'string' || typeof error.message !== 'string' || error.message === '') {
      throw new Error(`malformed error ${JSON.stringify(error)}`);
    }
  }
}

describe('validateTopology properties', () => {
  it('never throws on arbitrary values (10,000 runs)', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        assertWellFormed(validateTopology(input));
      }),
      { numRuns: 10_000 },
    );
  });

  it('accepts only allow-listed strings from mutated valid topologies (10,000 runs)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutations, (mutationList) => {
        const result = validateTopology(applyMutations(mutationList));
        assertWellFormed(result);
        if (result.ok) accepted++;
      }),
      { numRuns: 10_000 },
    );
    // Guard against a vacuous property: a good share of the mutants must be accepted.
    expect(accepted).toBeGreaterThan(500);
  });

  it('accepts only allow-listed strings from mutated topology files (1,000 runs)', () => {
    const text = stringifyYaml(validBase());
    const edits = fc.record({
      at: fc.nat({ max: text.length }),
      insert: fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', maxLength: 8 })),
      drop: fc.nat({ max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(edits, { minLength: 1, maxLength: 3 }), (editList) => {
        let mutated = text;
        for (const { at, insert, drop } of editList)
          mutated = mutated.slice(0, at) + insert + mutated.slice(at + drop);
        assertWellFormed(parseTopologyText(mutated, 'fuzz.yaml'));
        assertWellFormed(parseTopologyText(mutated, 'fuzz.json'));
      }),
      { numRuns: 1_000 },
    );
  });

  it('never throws on arbitrary text (2,000 runs)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        assertWellFormed(parseTopologyText(text, 'random.yaml'));
        assertWellFormed(parseTopologyText(text, 'random.json'));
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps paths and messages on one line for arbitrary keys (2,000 runs)', () => {
    const oddKey = fc.string({ unit: 'binary', minLength: 1, maxLength: 300 });
    fc.assert(
      fc.property(
        oddKey,
        fc.constantFrom('top', 'router', 'node'),
        fc.anything({ maxDepth: 1 }),
        (key, where, value) => {
          const topology = validBase();
          const router = topology.router as Record<string, unknown>;
          const node = (topology.cluster as { nodes: Record<string, unknown>[] }).nodes[0] ?? {};
          const target = where === 'top' ? topology : where === 'router' ? router : node;
          target[key] = value;
          assertWellFormed(validateTopology(topology));
          assertWellFormed(parseTopologyText(JSON.stringify(topology), 'keys.json'));
          assertWellFormed(parseTopologyText(stringifyYaml(topology), 'keys.yaml'));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
