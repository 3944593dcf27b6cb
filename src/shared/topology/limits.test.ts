// Issue 8 §5: bad input and limits. Oversized, binary and over-long topologies are refused with a
// message naming the file or field and the limit; big valid ones still validate, and their
// overlap and uniqueness checks (now sort- and map-based) name the same entries as before.
import { describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import {
  MAXIMUM_PATHS_MAX,
  TOPOLOGY_MAX_NODES,
  TOPOLOGY_MAX_POOL_ENTRIES,
  TOPOLOGY_MAX_POOLS,
  TOPOLOGY_TEXT_MAX_BYTES,
  maximumPathsProblem,
  parseTopologyText,
  validateTopology,
} from './index.ts';
import type { Topology, ValidationResult } from './index.ts';
import { twoNodeTopology } from './testing.ts';

/** A valid topology with `nodes` workers on 192.168.0.0/16 and pools outside it. */
function bigTopology(nodes: number, pools = 1): Topology {
  const t = twoNodeTopology();
  t.router.cluster = { interface: 'eth1', address: '192.168.0.1/16' };
  t.router.routerId = '192.168.0.1';
  t.router.lan = { interface: 'eth2', address: '172.20.0.1/24' };
  t.cluster.nodes = Array.from({ length: nodes }, (_, i) => ({
    name: `worker${i}`,
    address: `192.168.${1 + (i >> 8)}.${i & 255}`,
  }));
  t.cluster.pools = Array.from({ length: pools }, (_, i) => ({
    name: `pool${i}`,
    addresses: [`10.100.${i}.32/27`],
  }));
  return t;
}

function messages(result: ValidationResult): string[] {
  return result.errors.map((error) => error.message);
}

// Characters that must never reach a message from binary input.
// eslint-disable-next-line no-control-regex -- finding a NUL in a message is the point
const ECHOED_BINARY = /[\u0000\ufffd]/;

describe('topology text limits', () => {
  it('refuses a 200,000-node file by its size, naming the file and the limit, without parsing it', () => {
    const text = JSON.stringify(bigTopology(1, 1)).replace(
      /"nodes":\[[^\]]*\]/,
      `"nodes":[${Array.from({ length: 200_000 }, (_, i) => `{"name":"w${i}","address":"10.0.0.1"}`).join(',')}]`,
    );
    expect(text.length).toBeGreaterThan(7_000_000);
    for (const name of ['huge.json', 'huge.yaml']) {
      const result = parseTopologyText(text, name);
      expect(result.ok).toBe(false);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]?.message).toMatch(
        new RegExp(
          `^${name.replace('.', '\\.')} is larger than 262,144 bytes, the most a topology file may hold \\(TOPOLOGY_TEXT_MAX_BYTES\\)`,
        ),
      );
    }
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(TOPOLOGY_TEXT_MAX_BYTES).toBe(256 * 1024);
    const comment = `# ${'é'.repeat(TOPOLOGY_TEXT_MAX_BYTES / 2)}\n`;
    expect(comment.length).toBeLessThan(TOPOLOGY_TEXT_MAX_BYTES);
    const result = parseTopologyText(comment + stringifyYaml(bigTopology(2)), 'accents.yaml');
    expect(messages(result)[0]).toContain('accents.yaml is larger than 262,144 bytes');
    // Just under the limit is read as usual.
    const fits = `# ${'é'.repeat(1000)}\n${stringifyYaml(bigTopology(2))}`;
    expect(parseTopologyText(fits, 'accents.yaml').ok).toBe(true);
  });

  it('refuses a binary file as "not a text file" at its first NUL, echoing nothing of it', () => {
    const binary = `PK\u0003\u0004\u0014\u0000\u0008\u0000${'\ufffd'.repeat(40)}\u0000\u0001`;
    const result = parseTopologyText(binary, 'photo.yaml');
    expect(result.errors).toHaveLength(1);
    const message = messages(result)[0] ?? '';
    expect(message).toMatch(/^photo\.yaml:1:6: photo\.yaml is not a text file \(/);
    expect(message).toContain('saved as UTF-8');
    expect(message).not.toMatch(ECHOED_BINARY);
  });

  it('refuses text that is mostly invalid UTF-8 even without a NUL', () => {
    const garbled = `router:\n  dialect: edgeos\n${'\ufffd\ufffd\u0007\ufffd'.repeat(5)}\n`;
    const result = parseTopologyText(garbled, 'latin1.yaml');
    expect(messages(result)[0]).toMatch(/^latin1\.yaml:3:1: latin1\.yaml is not a text file/);
    expect(messages(result)[0]).not.toMatch(ECHOED_BINARY);
  });

  it('still reads a text file with a stray invalid byte in a comment', () => {
    const text = `# caf\ufffd\n${stringifyYaml(bigTopology(2))}`;
    expect(parseTopologyText(text, 'comment.yaml').ok).toBe(true);
  });
});

describe('topology count limits', () => {
  it('refuses more than TOPOLOGY_MAX_NODES nodes at cluster.nodes, from a value and from a file', () => {
    const topology = bigTopology(TOPOLOGY_MAX_NODES + 1);
    const expected = {
      path: 'cluster.nodes',
      message:
        'cluster.nodes lists 1,001 nodes, more than the 1,000 a topology may hold (TOPOLOGY_MAX_NODES); list only the nodes that should peer with the router',
    };
    expect(validateTopology(topology).errors).toEqual([expected]);
    expect(parseTopologyText(JSON.stringify(topology), 'many.json').errors).toEqual([expected]);
    expect(parseTopologyText(stringifyYaml(topology), 'many.yaml').errors).toEqual([expected]);
  });

  it('checks the counts before anything else, so a huge node list is refused at once', () => {
    const topology = bigTopology(2) as unknown as { cluster: { nodes: unknown[] } };
    // Entries that would each be an error if they were looked at.
    topology.cluster.nodes = Array.from({ length: 200_000 }, () => ({
      name: 'X',
      address: 'not an address',
    }));
    const result = validateTopology(topology);
    expect(result.errors.map((error) => error.path)).toEqual(['cluster.nodes']);
  });

  it('accepts exactly TOPOLOGY_MAX_NODES nodes', () => {
    const result = validateTopology(bigTopology(TOPOLOGY_MAX_NODES));
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('refuses more than TOPOLOGY_MAX_POOLS pools and more than TOPOLOGY_MAX_POOL_ENTRIES entries in a pool', () => {
    const manyPools = validateTopology(bigTopology(2, TOPOLOGY_MAX_POOLS + 1));
    expect(manyPools.errors).toEqual([
      {
        path: 'cluster.pools',
        message:
          'cluster.pools lists 101 pools, more than the 100 a topology may hold (TOPOLOGY_MAX_POOLS); merge pools that serve the same services',
      },
    ]);
    const t = bigTopology(2, 2);
    const second = t.cluster.pools[1];
    if (second)
      second.addresses = Array.from({ length: TOPOLOGY_MAX_POOL_ENTRIES + 1 }, (_, i) => `10.1.${i}.0/28`);
    expect(validateTopology(t).errors).toEqual([
      {
        path: 'cluster.pools.1.addresses',
        message:
          'cluster.pools.1.addresses lists 101 entries, more than the 100 a pool may hold (TOPOLOGY_MAX_POOL_ENTRIES); write adjacent addresses as one range or CIDR',
      },
    ]);
    expect(validateTopology(bigTopology(2, TOPOLOGY_MAX_POOLS)).ok).toBe(true);
  });
});

describe('maximum-paths-below-nodes never suggests a value validation refuses', () => {
  it('suggests 255, the router maximum, for more than 255 nodes, and that value is valid', () => {
    const t = bigTopology(300);
    t.router.maximumPaths = 32;
    const result = validateTopology(t);
    const warning = result.warnings.find((w) => w.code === 'maximum-paths-below-nodes');
    expect(warning?.message).toBe(
      'maximumPaths 32 is below the 300 nodes, so the router spreads each service over at most 32 of them; set maximumPaths to 255, the most the router takes (each service then reaches 255 of the 300 nodes)',
    );
    expect(warning?.message).not.toContain('at least 300');
    expect(maximumPathsProblem(MAXIMUM_PATHS_MAX)).toBeUndefined();
    expect(maximumPathsProblem(MAXIMUM_PATHS_MAX + 1)).toBeDefined();
  });

  it('at 255 already, says so instead of asking for more', () => {
    const t = bigTopology(300);
    t.router.maximumPaths = MAXIMUM_PATHS_MAX;
    const warning = validateTopology(t).warnings.find((w) => w.code === 'maximum-paths-below-nodes');
    expect(warning?.message).toBe(
      'maximumPaths 255 is below the 300 nodes, so the router spreads each service over at most 255 of them; 255 is the most the router takes, so leave it as it is',
    );
  });

  it('still asks for the node count when it is within the router maximum', () => {
    const t = bigTopology(40);
    t.router.maximumPaths = 32;
    const warning = validateTopology(t).warnings.find((w) => w.code === 'maximum-paths-below-nodes');
    expect(warning?.message).toContain('set maximumPaths to at least 40 (32 is usual)');
  });
});

describe('overlap and uniqueness checks on big topologies', () => {
  it('names the first earlier entry an entry overlaps, and the first listed node inside it', () => {
    const t = bigTopology(600, 3);
    // Listed from the highest address down: the first listed node inside the range below is
    // worker500 (192.168.2.244), not the lowest address inside it (worker10, 192.168.1.10).
    t.cluster.nodes.reverse();
    const [a, b, c] = t.cluster.pools;
    if (a && b && c) {
      a.addresses = ['10.100.0.0/24'];
      b.addresses = ['10.100.0.128/25', '192.168.1.10-192.168.2.244'];
      c.addresses = ['10.100.0.64/26'];
    }
    const result = validateTopology(t);
    expect(result.errors).toEqual([
      {
        path: 'cluster.pools.1.addresses.0',
        message:
          '10.100.0.128/25 overlaps 10.100.0.0/24 of pool "pool0" (cluster.pools.0.addresses.0); move or shrink one of them so the pools\' addresses are disjoint',
      },
      {
        path: 'cluster.pools.1.addresses.1',
        message:
          '192.168.1.10-192.168.2.244 holds node "worker500"\'s address 192.168.2.244 (cluster.nodes.99.address); move the pool, or use a range that leaves 192.168.2.244 out',
      },
      {
        path: 'cluster.pools.2.addresses.0',
        message:
          '10.100.0.64/26 overlaps 10.100.0.0/24 of pool "pool0" (cluster.pools.0.addresses.0); move or shrink one of them so the pools\' addresses are disjoint',
      },
    ]);
  });

  it('names the first node with the same name or address, however far apart they are listed', () => {
    const t = bigTopology(900);
    const [first] = t.cluster.nodes;
    const late = t.cluster.nodes[850];
    const later = t.cluster.nodes[899];
    if (first && late && later) {
      late.name = first.name;
      later.address = first.address;
    }
    expect(validateTopology(t).errors).toEqual([
      {
        path: 'cluster.nodes.850.name',
        message:
          'node name "worker0" is already used by cluster.nodes.0; list each node once, with its own Kubernetes name',
      },
      {
        path: 'cluster.nodes.899.address',
        message:
          '192.168.1.0 is also the address of node "worker0" (cluster.nodes.0.address); give each node its own InternalIP',
      },
    ]);
  });
});
