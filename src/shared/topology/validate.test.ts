import { readFileSync } from 'node:fs';
import path from 'node:path';
import { twoNodeTopology } from './testing.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  NEWEST_METALLB_VERSION,
  effectiveRouterId,
  parseTopologyText,
  poolNeedsAvoidBuggyIps,
  validateTopology,
} from './index.ts';
import type { Topology, ValidationResult, WarningCode } from './index.ts';

const ARTICLE_FILE = path.resolve(process.cwd(), 'examples/article-topology.yaml');
const articleText = readFileSync(ARTICLE_FILE, 'utf8');

/** A valid topology that raises no warning: pool outside every connected subnet, no .0/.255. */
const baseTopology = (): Record<string, unknown> => twoNodeTopology() as unknown as Record<string, unknown>;

type Mutation = (t: Record<string, unknown>) => unknown;

/** Walk to the parent of a dotted path, creating nothing: the base has every parent. */
function parentOf(root: unknown, dotted: string): { parent: Record<string, unknown>; key: string } {
  const keys = dotted.split('.');
  const key = keys.pop() ?? '';
  let node = root as Record<string, unknown>;
  for (const k of keys) node = node[k] as Record<string, unknown>;
  return { parent: node, key };
}

const set =
  (dotted: string, value: unknown): Mutation =>
  (t) => {
    const { parent, key } = parentOf(t, dotted);
    parent[key] = value;
    return t;
  };

const remove =
  (dotted: string): Mutation =>
  (t) => {
    const { parent, key } = parentOf(t, dotted);
    delete parent[key];
    return t;
  };

const both =
  (...mutations: Mutation[]): Mutation =>
  (t) => {
    for (const mutate of mutations) mutate(t);
    return t;
  };

const replaceWith =
  (value: unknown): Mutation =>
  () =>
    value;

// Messages must say what to do: each holds one of these imperative verbs.
const SAYS_WHAT_TO_DO = /\b(use|add|remove|rename|give|move|fix|write|put|list|set|correct|keep|choose)\b/i;
const RAW_ZOD_TEXT = /Invalid input|expected (string|number|object|array)|received|Unrecognized key/i;

interface InvalidCase {
  name: string;
  mutate: Mutation;
  path: string;
  message: string;
}

const INVALID_CASES: InvalidCase[] = [
  {
    name: 'unknown dialect',
    mutate: set('router.dialect', 'vyatta'),
    path: 'router.dialect',
    message: 'use one of edgeos, vyos',
  },
  {
    name: 'ssh host octet above 255',
    mutate: set('router.ssh.host', '192.168.1.300'),
    path: 'router.ssh.host',
    message: '"192.168.1.300" is not an IPv4 address or DNS name',
  },
  {
    name: 'ssh host with shell metacharacters',
    mutate: set('router.ssh.host', 'router; reboot'),
    path: 'router.ssh.host',
    message: 'is not an IPv4 address or DNS name',
  },
  {
    name: 'ssh port 0',
    mutate: set('router.ssh.port', 0),
    path: 'router.ssh.port',
    message: '0 is not a TCP port',
  },
  {
    name: 'ssh port quoted',
    mutate: set('router.ssh.port', '22'),
    path: 'router.ssh.port',
    message: 'is the text "22"; use a port number such as 22 (a number, without quotes)',
  },
  {
    name: 'ssh username with capitals',
    mutate: set('router.ssh.username', 'Admin'),
    path: 'router.ssh.username',
    message: '"Admin" is not a valid login name',
  },
  {
    name: 'a password in the topology',
    mutate: set('router.ssh.password', 'hunter2'),
    path: 'router.ssh.password',
    message: 'unknown field "password" in router.ssh',
  },
  { name: 'router ASN 0', mutate: set('router.asn', 0), path: 'router.asn', message: 'outside 1-4294967295' },
  {
    name: 'router ASN AS_TRANS',
    mutate: set('router.asn', 23456),
    path: 'router.asn',
    message: '23456 is AS_TRANS',
  },
  {
    name: 'router ASN 65535',
    mutate: set('router.asn', 65535),
    path: 'router.asn',
    message: '65535 is reserved',
  },
  {
    name: 'cluster ASN 4294967295',
    mutate: set('cluster.asn', 4294967295),
    path: 'cluster.asn',
    message: '4294967295 is reserved',
  },
  {
    name: 'cluster ASN too big',
    mutate: set('cluster.asn', 4294967296),
    path: 'cluster.asn',
    message: 'outside 1-4294967295',
  },
  {
    name: 'cluster ASN fraction',
    mutate: set('cluster.asn', 64512.5),
    path: 'cluster.asn',
    message: 'not a whole number',
  },
  {
    name: 'cluster ASN missing',
    mutate: remove('cluster.asn'),
    path: 'cluster.asn',
    message: '"asn" is missing',
  },
  {
    name: 'router id not an address',
    mutate: set('router.routerId', '1.2.3'),
    path: 'router.routerId',
    message: '"1.2.3" is not an IPv4 address; use four numbers 0-255',
  },
  {
    name: 'router id 0.0.0.0',
    mutate: set('router.routerId', '0.0.0.0'),
    path: 'router.routerId',
    message: 'not a usable BGP router id',
  },
  {
    name: 'maximumPaths 0',
    mutate: set('router.maximumPaths', 0),
    path: 'router.maximumPaths',
    message: 'use a whole number 1-255',
  },
  {
    name: 'maximumPaths 256',
    mutate: set('router.maximumPaths', 256),
    path: 'router.maximumPaths',
    message: '256 is not a valid path count',
  },
  {
    name: 'wan interface with injection',
    mutate: set('router.wan.interface', 'eth0; reboot'),
    path: 'router.wan.interface',
    message: 'is not an EdgeOS interface name',
  },
  {
    name: 'cluster interface capitalised',
    mutate: set('router.cluster.interface', 'Eth1'),
    path: 'router.cluster.interface',
    message: '"Eth1" is not an EdgeOS interface name',
  },
  {
    name: 'lan on the cluster port',
    mutate: set('router.lan.interface', 'eth1'),
    path: 'router.lan.interface',
    message: 'eth1 is already used as router.cluster.interface',
  },
  {
    name: 'cluster address is the network',
    mutate: set('router.cluster.address', '192.168.1.0/24'),
    path: 'router.cluster.address',
    message: "is the subnet's network address",
  },
  {
    name: 'cluster address is the broadcast',
    mutate: set('router.cluster.address', '192.168.1.255/24'),
    path: 'router.cluster.address',
    message: "is the subnet's broadcast address",
  },
  {
    name: 'cluster address without prefix',
    mutate: set('router.cluster.address', '192.168.1.1'),
    path: 'router.cluster.address',
    message: 'is not an address with prefix length',
  },
  {
    name: 'cluster address /32',
    mutate: set('router.cluster.address', '192.168.1.1/32'),
    path: 'router.cluster.address',
    message: 'use a prefix length 8-30',
  },
  {
    name: 'lan overlaps cluster',
    mutate: set('router.lan.address', '192.168.1.129/25'),
    path: 'router.lan.address',
    message: 'overlaps the cluster subnet 192.168.1.0/24',
  },
  {
    name: 'cluster port missing',
    mutate: remove('router.cluster'),
    path: 'router.cluster',
    message: '"cluster" is missing',
  },
  {
    name: 'misspelled routerId',
    mutate: both(remove('router.routerId'), set('router.rotuerId', '192.168.1.1')),
    path: 'router.rotuerId',
    message: 'rename it to "routerId"',
  },
  {
    name: 'unknown top-level field',
    mutate: set('secrets', { token: 'x' }),
    path: 'secrets',
    message: 'unknown field "secrets" at the top level',
  },
  { name: 'no nodes', mutate: set('cluster.nodes', []), path: 'cluster.nodes', message: '"nodes" is empty' },
  {
    name: 'node given as a bare name',
    mutate: set('cluster.nodes.0', 'worker1'),
    path: 'cluster.nodes.0',
    message: 'item 0 of "nodes" is the text "worker1"',
  },
  {
    name: 'node name with underscore',
    mutate: set('cluster.nodes.0.name', 'Worker_1'),
    path: 'cluster.nodes.0.name',
    message: 'is not a Kubernetes node name',
  },
  {
    name: 'duplicate node name',
    mutate: set('cluster.nodes.1.name', 'worker1'),
    path: 'cluster.nodes.1.name',
    message: 'node name "worker1" is already used by cluster.nodes.0',
  },
  {
    name: 'duplicate node address',
    mutate: set('cluster.nodes.1.address', '192.168.1.201'),
    path: 'cluster.nodes.1.address',
    message: 'is also the address of node "worker1"',
  },
  {
    name: 'node outside the cluster subnet',
    mutate: set('cluster.nodes.0.address', '192.168.2.201'),
    path: 'cluster.nodes.0.address',
    message: 'is outside the cluster subnet 192.168.1.0/24',
  },
  {
    name: 'node on the router address',
    mutate: set('cluster.nodes.0.address', '192.168.1.1'),
    path: 'cluster.nodes.0.address',
    message: "is the router's address",
  },
  {
    name: 'node on the broadcast address',
    mutate: set('cluster.nodes.0.address', '192.168.1.255'),
    path: 'cluster.nodes.0.address',
    message: 'is the broadcast address of 192.168.1.0/24',
  },
  {
    name: 'node address octet 256',
    mutate: set('cluster.nodes.1.address', '192.168.1.256'),
    path: 'cluster.nodes.1.address',
    message: '"192.168.1.256" is not an IPv4 address',
  },
  {
    name: 'node with unknown field',
    mutate: set('cluster.nodes.0.role', 'master'),
    path: 'cluster.nodes.0.role',
    message: 'unknown field "role" in cluster.nodes.0',
  },
  { name: 'no pools', mutate: set('cluster.pools', []), path: 'cluster.pools', message: '"pools" is empty' },
  {
    name: 'pool without addresses',
    mutate: set('cluster.pools.0.addresses', []),
    path: 'cluster.pools.0.addresses',
    message: '"addresses" is empty',
  },
  {
    name: 'reversed range',
    mutate: set('cluster.pools.0.addresses.0', '10.10.10.20-10.10.10.10'),
    path: 'cluster.pools.0.addresses.0',
    message: 'ends before it starts',
  },
  {
    name: 'pool CIDR with host bits',
    mutate: set('cluster.pools.0.addresses.0', '10.10.10.33/27'),
    path: 'cluster.pools.0.addresses.0',
    message: 'use the network form 10.10.10.32/27',
  },
  {
    name: 'pool name with underscore',
    mutate: set('cluster.pools.0.name', 'my_pool'),
    path: 'cluster.pools.0.name',
    message: 'is not a valid pool name (DNS-1123 label)',
  },
  {
    name: 'pool name of 64 characters',
    mutate: set('cluster.pools.0.name', 'a'.repeat(64)),
    path: 'cluster.pools.0.name',
    message: 'at most 63 characters',
  },
  {
    name: 'overlapping pools',
    mutate: set('cluster.pools.1', { name: 'second', addresses: ['10.10.10.15/32'] }),
    path: 'cluster.pools.1.addresses.0',
    message: 'overlaps 10.10.10.10-10.10.10.20 of pool "default"',
  },
  {
    name: 'duplicate pool name',
    mutate: set('cluster.pools.1', { name: 'default', addresses: ['10.10.11.10/32'] }),
    path: 'cluster.pools.1.name',
    message: 'pool name "default" is already used by cluster.pools.0',
  },
  {
    name: 'pool holding a node',
    mutate: set('cluster.pools.0.addresses.0', '192.168.1.200/29'),
    path: 'cluster.pools.0.addresses.0',
    message: 'holds node "worker1"\'s address 192.168.1.201',
  },
  {
    name: 'pool holding the router cluster address',
    mutate: set('cluster.pools.0.addresses.0', '192.168.1.1/32'),
    path: 'cluster.pools.0.addresses.0',
    message: "holds the router's address 192.168.1.1 (router.cluster.address)",
  },
  {
    name: 'pool holding the router id',
    mutate: set('router.routerId', '10.10.10.12'),
    path: 'cluster.pools.0.addresses.0',
    message: "holds the router's address 10.10.10.12 (router.routerId)",
  },
  {
    name: 'pool entry as a single address',
    mutate: set('cluster.pools.0.addresses.0', '10.10.10.10'),
    path: 'cluster.pools.0.addresses.0',
    message: 'write it as 10.10.10.10/32',
  },
  {
    name: 'unsupported MetalLB version',
    mutate: set('metallb.version', 'v0.14.0'),
    path: 'metallb.version',
    message: 'use one of v0.12.1, v0.13.12, v0.14.9, v0.15.3, v0.16.1',
  },
  {
    name: 'dialect missing',
    mutate: remove('router.dialect'),
    path: 'router.dialect',
    message: '"dialect" is missing; add it',
  },
  {
    name: 'a Set where a list belongs',
    mutate: set('cluster.pools.0.addresses', new Set(['10.10.10.10/32'])),
    path: 'cluster.pools.0.addresses',
    message: 'is a Set value, which a topology cannot hold',
  },
  {
    name: 'a string instead of a topology',
    mutate: replaceWith('hello'),
    path: '',
    message: 'the topology is the text "hello"',
  },
  {
    name: 'null instead of a topology',
    mutate: replaceWith(null),
    path: '',
    message: 'the topology is empty (null)',
  },
  {
    name: 'a list instead of a topology',
    mutate: replaceWith([]),
    path: '',
    message: 'the topology is a list',
  },
];

function errorsOf(result: ValidationResult): { path: string; message: string }[] {
  expect(result.ok).toBe(false);
  return result.errors;
}

describe('validateTopology: invalid topologies', () => {
  it('has a table of at least 30 cases', () => {
    expect(INVALID_CASES.length).toBeGreaterThanOrEqual(30);
  });

  it('accepts the base topology with no warnings (so each case fails for its own mutation)', () => {
    const result = validateTopology(baseTopology());
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it.each(INVALID_CASES)('$name -> $path', ({ mutate, path: expectedPath, message }) => {
    const errors = errorsOf(validateTopology(mutate(baseTopology())));
    const match = errors.find((error) => error.path === expectedPath);
    expect(match, `errors were ${JSON.stringify(errors)}`).toBeDefined();
    expect(match?.message).toContain(message);
    for (const error of errors) {
      expect(error.message).toMatch(SAYS_WHAT_TO_DO);
      expect(error.message).not.toMatch(RAW_ZOD_TEXT);
    }
  });

  it('reports several independent field errors at once', () => {
    const mutate = both(
      set('router.asn', 23456),
      set('cluster.nodes.0.name', 'BAD'),
      set('metallb.version', 'x'),
    );
    const paths = errorsOf(validateTopology(mutate(baseTopology()))).map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['router.asn', 'cluster.nodes.0.name', 'metallb.version']));
  });
});

describe('defaults', () => {
  it('fills ssh port/username, maximumPaths and metallb.version', () => {
    const minimal = both(
      remove('router.ssh.port'),
      remove('router.ssh.username'),
      remove('router.maximumPaths'),
      remove('router.routerId'),
      remove('router.wan'),
      remove('router.lan'),
      remove('metallb'),
    )(baseTopology());
    const result = validateTopology(minimal);
    expect(result.errors).toEqual([]);
    const topology = result.topology as Topology;
    expect(topology.router.ssh).toEqual({ host: '192.168.1.1', port: 22, username: 'ubnt' });
    expect(topology.router.maximumPaths).toBe(32);
    expect(topology.metallb).toEqual({ version: NEWEST_METALLB_VERSION });
    expect(topology.router.routerId).toBeUndefined();
    expect(topology.router.wan).toBeUndefined();
  });

  it('fills metallb.version when the section is present but empty', () => {
    const result = validateTopology(set('metallb', {})(baseTopology()));
    expect(result.topology?.metallb.version).toBe(NEWEST_METALLB_VERSION);
  });

  it('accepts a lan without an address', () => {
    const result = validateTopology(set('router.lan', { interface: 'eth2' })(baseTopology()));
    expect(result.errors).toEqual([]);
  });

  it('derives the router id from the cluster interface when not given', () => {
    const without = validateTopology(remove('router.routerId')(baseTopology())).topology as Topology;
    expect(effectiveRouterId(without)).toBe('192.168.1.1');
    const withId = validateTopology(set('router.routerId', '10.255.0.1')(baseTopology()))
      .topology as Topology;
    expect(effectiveRouterId(withId)).toBe('10.255.0.1');
  });
});

function codes(result: ValidationResult): WarningCode[] {
  return result.warnings.map((warning) => warning.code);
}

function articleWithPool(addresses: string[]): string {
  const article = parseYaml(articleText) as { cluster: { pools: { addresses: string[] }[] } };
  const pool = article.cluster.pools[0];
  if (pool) pool.addresses = addresses;
  return stringifyYaml(article);
}

describe('the article topology', () => {
  const result = parseTopologyText(articleText, 'article-topology.yaml');

  it('is valid and raises exactly the same-segment and network/broadcast warnings', () => {
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(codes(result).sort()).toEqual(['pool-in-cluster-segment', 'pool-includes-network-or-broadcast']);
  });

  it('explains the same-segment caveat and proposes a pool outside the connected subnets', () => {
    const warning = result.warnings.find((w) => w.code === 'pool-in-cluster-segment');
    expect(warning?.path).toBe('cluster.pools.0.addresses.0');
    expect(warning?.message).toContain('ARP');
    expect(warning?.message).toContain('nobody answers');
    expect(warning?.suggestion?.pool).toBe('192.168.100.32/27');
    expect(warning?.message).toContain('192.168.100.32/27');
  });

  it('names 192.168.1.255 in the network/broadcast warning and needs avoidBuggyIPs', () => {
    const warning = result.warnings.find((w) => w.code === 'pool-includes-network-or-broadcast');
    expect(warning?.message).toContain('192.168.1.255');
    expect(warning?.message).toContain('avoidBuggyIPs');
    expect(poolNeedsAvoidBuggyIps(result.topology as Topology, 0)).toBe(true);
  });

  it('with the suggested pool validates with no warning at all', () => {
    const suggestion =
      result.warnings.find((w) => w.code === 'pool-in-cluster-segment')?.suggestion?.pool ?? '';
    const adopted = parseTopologyText(articleWithPool([suggestion]), 'adopted.yaml');
    expect(adopted.errors).toEqual([]);
    expect(codes(adopted)).toEqual([]);
    expect(poolNeedsAvoidBuggyIps(adopted.topology as Topology, 0)).toBe(false);
  });

  it.each([['10.10.10.10-10.10.10.20'], ['10.100.0.0/24'], ['192.168.100.0/27']])(
    'with the pool %s outside every connected subnet raises neither warning',
    (pool) => {
      const outside = parseTopologyText(articleWithPool([pool]), 'outside.yaml');
      expect(outside.ok).toBe(true);
      expect(codes(outside)).not.toContain('pool-in-cluster-segment');
      expect(codes(outside)).not.toContain('pool-includes-network-or-broadcast');
    },
  );
});

describe('warnings', () => {
  const warn = (mutate: Mutation): ValidationResult => {
    const result = validateTopology(mutate(baseTopology()));
    expect(result.errors).toEqual([]);
    return result;
  };

  it('pool-in-lan-segment with a suggestion outside both subnets', () => {
    const result = warn(set('cluster.pools.0.addresses', ['192.168.2.100-192.168.2.110']));
    expect(codes(result)).toEqual(['pool-in-lan-segment']);
    expect(result.warnings[0]?.suggestion?.pool).toBe('192.168.100.16/28');
  });

  it('gives two pools in the cluster segment two different suggestions', () => {
    const result = warn(
      set('cluster.pools', [
        { name: 'a', addresses: ['192.168.1.100-192.168.1.110'] },
        { name: 'b', addresses: ['192.168.1.120-192.168.1.130'] },
      ]),
    );
    const suggestions = result.warnings.map((w) => w.suggestion?.pool);
    expect(suggestions).toEqual(['192.168.100.16/28', '192.168.100.32/28']);
  });

  it('asn-not-private for each public side', () => {
    const result = warn(both(set('router.asn', 100), set('cluster.asn', 4200000000)));
    expect(result.warnings.map((w) => [w.code, w.path])).toEqual([['asn-not-private', 'router.asn']]);
    const both2 = warn(both(set('router.asn', 100), set('cluster.asn', 3000)));
    expect(both2.warnings.map((w) => w.path)).toEqual(['router.asn', 'cluster.asn']);
  });

  it('asn boundaries: 64511 and 4294967294 vs 64512 and 65534', () => {
    expect(codes(warn(set('router.asn', 64511)))).toEqual(['asn-not-private']);
    expect(codes(warn(set('router.asn', 65534)))).toEqual([]);
    expect(codes(warn(set('router.asn', 4294967294)))).toEqual([]);
  });

  it('maximum-paths-below-nodes', () => {
    const result = warn(set('router.maximumPaths', 1));
    expect(codes(result)).toEqual(['maximum-paths-below-nodes']);
    expect(result.warnings[0]?.message).toContain('at least 2');
  });

  it('single-node', () => {
    const result = warn(set('cluster.nodes', [{ name: 'solo', address: '192.168.1.50' }]));
    expect(codes(result)).toEqual(['single-node']);
    expect(result.warnings[0]?.path).toBe('cluster.nodes');
  });

  it('no network/broadcast warning for .0/.255 addresses outside every connected subnet, yet avoidBuggyIPs is set', () => {
    for (const pool of ['10.10.10.0/28', '10.100.0.0/24', '192.168.100.0/27']) {
      const result = warn(set('cluster.pools.0.addresses', [pool]));
      expect(codes(result)).toEqual([]);
      expect(poolNeedsAvoidBuggyIps(result.topology as Topology, 0)).toBe(true);
    }
  });

  it('pool-includes-network-or-broadcast names the connected subnet and claims only what avoidBuggyIPs does', () => {
    const result = warn(set('cluster.pools.0.addresses', ['192.168.2.240/28']));
    expect(codes(result).sort()).toEqual(['pool-in-lan-segment', 'pool-includes-network-or-broadcast']);
    const warning = result.warnings.find((w) => w.code === 'pool-includes-network-or-broadcast');
    expect(warning?.path).toBe('cluster.pools.0.addresses.0');
    expect(warning?.message).toContain('192.168.2.255');
    expect(warning?.message).toContain('broadcast address of the lan subnet 192.168.2.0/24');
    expect(warning?.message).toContain('skips every address ending in .0 or .255');
    expect(warning?.message).toContain('192.168.2.240-192.168.2.254');
    expect(warning?.message).not.toMatch(/never assigned|so such addresses/);
    expect(poolNeedsAvoidBuggyIps(result.topology as Topology, 0)).toBe(true);
  });

  const slash26Cluster = (pool: string): Mutation =>
    both(
      set('router.cluster.address', '192.168.1.100/26'),
      set('router.routerId', '192.168.1.100'),
      set('router.ssh.host', '192.168.1.100'),
      set('cluster.nodes', [
        { name: 'w1', address: '192.168.1.101' },
        { name: 'w2', address: '192.168.1.102' },
      ]),
      set('cluster.pools.0.addresses', [pool]),
    );

  it('a connected broadcast address avoidBuggyIPs cannot skip (not .255) is an error with a range leaving it out', () => {
    const result = validateTopology(slash26Cluster('192.168.1.120/29')(baseTopology()));
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      {
        path: 'cluster.pools.0.addresses.0',
        message: expect.stringMatching(
          /192\.168\.1\.127 is the broadcast address of the cluster subnet 192\.168\.1\.64\/26 .*use 192\.168\.1\.120-192\.168\.1\.126 instead/,
        ) as string,
      },
    ]);
  });

  it('a connected network address that is not .0 is an error too', () => {
    const result = validateTopology(slash26Cluster('192.168.1.64/29')(baseTopology()));
    expect(result.errors.map((e) => e.path)).toEqual(['cluster.pools.0.addresses.0']);
    const message = result.errors[0]?.message;
    expect(message).toContain('192.168.1.64 is the network address of the cluster subnet 192.168.1.64/26');
    expect(message).toContain('192.168.1.65-192.168.1.71');
  });

  it('poolNeedsAvoidBuggyIps is false for a clean pool and for an index out of range', () => {
    const topology = validateTopology(baseTopology()).topology as Topology;
    expect(poolNeedsAvoidBuggyIps(topology, 0)).toBe(false);
    expect(poolNeedsAvoidBuggyIps(topology, 5)).toBe(false);
  });
});

describe('parseTopologyText', () => {
  it('reads JSON for .json files', () => {
    const result = parseTopologyText(JSON.stringify(baseTopology(), null, 2), 'topology.json');
    expect(result.errors).toEqual([]);
    expect(result.topology?.cluster.nodes).toHaveLength(2);
  });

  it('reads JSON text in a .yaml file too (YAML is a superset)', () => {
    expect(parseTopologyText(JSON.stringify(baseTopology()), 'topology.yaml').ok).toBe(true);
  });

  it('names the file and line of a YAML syntax error', () => {
    const text = 'router:\n  dialect: edgeos\n  ssh: { host: 192.168.1.1\ncluster: {}\n';
    const [error] = parseTopologyText(text, 'broken.yaml').errors;
    expect(error?.path).toBe('');
    expect(error?.message).toMatch(/^broken\.yaml:\d+:\d+: YAML syntax error: /);
    expect(error?.message).toMatch(/fix the YAML at line \d+ of broken\.yaml/);
    expect(error?.message).toMatch(/^broken\.yaml:[34]:/);
  });

  it('names the line of a bad indentation', () => {
    const text = 'router:\n  dialect: edgeos\n asn: 1\n';
    const [error] = parseTopologyText(text, 'indent.yaml').errors;
    expect(error?.message).toMatch(/^indent\.yaml:3:/);
  });

  it('names the file and line of a JSON syntax error', () => {
    const text = '{\n  "router": {\n    "dialect": "edgeos",\n  }\n}';
    const [error] = parseTopologyText(text, 'broken.json').errors;
    expect(error?.message).toMatch(
      /^broken\.json:4:\d+: JSON syntax error: .*fix the JSON at line 4 of broken\.json$/,
    );
  });

  it('rejects duplicate YAML keys with a line', () => {
    const [error] = parseTopologyText('router: {}\nrouter: {}\n', 'dup.yaml').errors;
    expect(error?.message).toMatch(/^dup\.yaml:2:/);
  });

  it('rejects several YAML documents', () => {
    const [error] = parseTopologyText(`${articleText}\n---\n${articleText}`, 'two.yaml').errors;
    expect(error?.message).toContain('more than one YAML document');
  });

  it('rejects YAML tags that yield non-plain values', () => {
    const [error] = parseTopologyText('router: !!binary aGVsbG8=\n', 'tagged.yaml').errors;
    expect(error).toEqual({
      path: 'router',
      message: expect.stringContaining('"router" is a Buffer value') as string,
    });
  });

  it('rejects an empty file', () => {
    const [error] = parseTopologyText('  \n# only a comment\n', 'empty.yaml').errors;
    expect(error?.message).toMatch(/empty\.yaml (is empty|holds no topology)/);
  });

  it('reports a billion-laughs alias bomb as an error instead of expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(10)
          .fill(i === 1 ? '*a' : `*${'b'.repeat(i - 1)}`)
          .join(', ')}]`,
      );
    const result = parseTopologyText(lines.join('\n'), 'bomb.yaml');
    expect(result.ok).toBe(false);
    expect(result.errors[0]?.message).toContain('bomb.yaml');
  });
});

// Any of these in a message or path would break the one-line CLI output or a log line.
const LINE_BREAKING = /[\p{Cc}\p{Zl}\p{Zp}]/u;

function expectOneLine(result: ValidationResult): void {
  for (const item of [...result.errors, ...result.warnings]) {
    expect(item.path).not.toMatch(LINE_BREAKING);
    expect(item.message).not.toMatch(LINE_BREAKING);
    expect(item.path.length).toBeLessThanOrEqual(200);
  }
}

describe('JSON syntax errors', () => {
  it('give file, line and column computed from the position, without an excerpt of the text', () => {
    const result = parseTopologyText('{"a": x\ny\nz}', 'bad.json');
    expectOneLine(result);
    const message = result.errors[0]?.message ?? '';
    expect(message).toMatch(/^bad\.json:1:7: JSON syntax error: /);
    expect(message).not.toContain('is not valid JSON');
    expect(message).not.toContain('{"a"');
  });

  it('locate an error on a later line', () => {
    const message = parseTopologyText('{\n  "router": {\n  ]\n}', 'later.json').errors[0]?.message ?? '';
    expect(message).toMatch(/^later\.json:3:3: JSON syntax error: .*fix the JSON at line 3 of later\.json$/);
  });

  it('never echo binary or control characters of the input', () => {
    const result = parseTopologyText('{"router": \u0000\u0001\u2028\u0085}', 'bin.json');
    expect(result.errors).toHaveLength(1);
    expectOneLine(result);
    expect(result.errors[0]?.message).toMatch(/^bin\.json:1:12: /);
  });

  it('report an unexpected end of the text at its last line', () => {
    const message = parseTopologyText('{\n  "router": {', 'short.json').errors[0]?.message ?? '';
    expect(message).toMatch(/^short\.json:2:14: JSON syntax error: the text ends too early/);
  });

  it('quote a file name that holds a line break', () => {
    const result = parseTopologyText('{', 'a\nb.json');
    expectOneLine(result);
    expect(result.errors[0]?.message).toContain('"a\\nb.json"');
  });
});

describe('unknown fields with odd keys', () => {
  it('quote a key with a line break, U+2028 or U+0085 in the path', () => {
    const expected: [string, string][] = [
      ['a\nb', '"a\\nb"'],
      ['a\u2028b', '"a\\u2028b"'],
      ['a\u0085b', '"a\\u0085b"'],
    ];
    for (const [key, path] of expected) {
      const result = validateTopology({ ...baseTopology(), [key]: 1 });
      expectOneLine(result);
      expect(result.errors.map((e) => e.path)).toEqual([path]);
    }
  });

  it('shorten a huge key in the path and the message', () => {
    const result = validateTopology({ ...baseTopology(), ['k'.repeat(5000)]: 1 });
    expectOneLine(result);
    expect(result.errors[0]?.path.length).toBeLessThan(80);
    expect(result.errors[0]?.message.length).toBeLessThan(400);
  });

  it('keep plain keys as they are', () => {
    expect(validateTopology({ ...baseTopology(), colour: 'red' }).errors[0]?.path).toBe('colour');
    const nested = set('router.colour', 1)(baseTopology());
    expect(validateTopology(nested).errors[0]?.path).toBe('router.colour');
  });

  it('quote an odd key in the path of a nested non-plain value', () => {
    const result = validateTopology({ ...baseTopology(), router: { 'x\ny': new Date(0) } });
    expectOneLine(result);
    expect(result.errors[0]?.path).toBe('router."x\\ny"');
  });
});

describe('YAML keys that are collections', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('are an error naming the path, with no warning printed by the yaml library', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const top = parseTopologyText('? [a, b]\n: 1\n', 'keys.yaml');
    const nested = parseTopologyText('router:\n  ? {x: 1}\n  : 2\n', 'nested.yaml');
    expect(emitWarning).not.toHaveBeenCalled();
    expect(consoleWarn).not.toHaveBeenCalled();
    expect(top.errors).toEqual([
      {
        path: '',
        message: expect.stringMatching(
          /^keys\.yaml:1:3: a key at the top level is a YAML list.*use a plain name/,
        ) as string,
      },
    ]);
    expect(nested.errors).toEqual([
      {
        path: 'router',
        message: expect.stringMatching(
          /^nested\.yaml:2:5: a key in router is a YAML mapping.*use a plain name/,
        ) as string,
      },
    ]);
  });
});

describe('node name length', () => {
  const named = (name: string): ValidationResult =>
    validateTopology(set('cluster.nodes.0.name', name)(baseTopology()));
  // Labels of at most 63 characters, as a real host name would have.
  const nameOfLength = (length: number): string =>
    Array.from({ length: Math.ceil(length / 64) }, () => 'a'.repeat(63))
      .join('.')
      .slice(0, length)
      .replace(/\.$/, 'a');

  it('accepts 251 characters, whose description mbw-<name> is exactly 255', () => {
    expect(nameOfLength(251)).toHaveLength(251);
    expect(named(nameOfLength(251)).errors).toEqual([]);
  });

  it('rejects 252 and 253 characters and says why', () => {
    for (const length of [252, 253]) {
      const result = named(nameOfLength(length));
      expect(result.errors.map((e) => e.path)).toEqual(['cluster.nodes.0.name']);
      expect(result.errors[0]?.message).toContain('at most 251 characters');
      expect(result.errors[0]?.message).toContain('mbw-<name>');
      expect(result.errors[0]?.message).toContain('255');
    }
  });
});
