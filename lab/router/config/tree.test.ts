import { describe, expect, it } from 'vitest';
import { bgpConfigOf, commitProblems } from './bgp.ts';
import { configBootText, curlyLines, parseConfigBoot, pathErrorLines, setLines } from './format.ts';
import { schemaFor } from './schema.ts';
import { deletePath, setPath, treeFromPaths } from './tree.ts';
import type { ConfigTree } from './tree.ts';

const edgeos = schemaFor('edgeos');
const vyos = schemaFor('vyos');

function build(schema = edgeos, lines: string[]): ConfigTree {
  const built = treeFromPaths(
    schema,
    lines.map((l) => l.split(' ')),
  );
  if ('index' in built) throw new Error(`line ${built.index} refused: ${JSON.stringify(built.error)}`);
  return built.tree;
}

describe('EdgeOS set validation', () => {
  it('accepts the article BGP lines', () => {
    const tree = build(edgeos, [
      'protocols bgp 64512 parameters router-id 192.168.1.1',
      'protocols bgp 64512 neighbor 192.168.1.201 remote-as 64512',
      'protocols bgp 64512 maximum-paths ibgp 32',
    ]);
    expect(setLines(tree, edgeos, 'edgeos')).toEqual([
      'set protocols bgp 64512 maximum-paths ibgp 32',
      'set protocols bgp 64512 neighbor 192.168.1.201 remote-as 64512',
      'set protocols bgp 64512 parameters router-id 192.168.1.1',
    ]);
  });

  it.each([
    ['protocols bgp 0 parameters router-id 1.1.1.1', 2],
    ['protocols bgp 4294967296 parameters router-id 1.1.1.1', 2],
    ['protocols bgp 64512 parameters router-id 1.2.3', 5],
    ['protocols bgp 64512 neighbor 10.0.0.300 remote-as 1', 4],
    ['protocols bgp 64512 neighbor 10.0.0.1 ebgp-multihop 256', 6],
    ['protocols bgp 64512 neighbor 10.0.0.1 timers holdtime 3', 7],
    ['protocols bgp 64512 maximum-paths ibgp 0', 5],
    ['protocols bgp 64512 network 10.0.0.0/33', 4],
  ])('refuses the bad value in "%s" at word %i', (line, failedAt) => {
    const error = setPath(new Map(), edgeos, line.split(' '));
    expect(error).toMatchObject({ kind: 'bad-value', failedAt });
    expect(pathErrorLines(error!, line.split(' '), 'set')).toContain('  Value validation failed');
  });

  it('accepts the edges of the ranges', () => {
    for (const line of [
      'protocols bgp 4294967295 neighbor 10.0.0.1 timers holdtime 0',
      'protocols bgp 4294967295 neighbor 10.0.0.1 timers holdtime 4',
      'protocols bgp 4294967295 neighbor 10.0.0.1 timers keepalive 65535',
      'protocols bgp 4294967295 neighbor fd00::1 remote-as 1',
      'protocols bgp 4294967295 neighbor 10.0.0.1 ebgp-multihop 255',
    ]) {
      expect(setPath(new Map(), edgeos, line.split(' ')), line).toBeNull();
    }
  });

  it('refuses a double quote in a description', () => {
    const words = ['protocols', 'bgp', '64512', 'neighbor', '10.0.0.1', 'description', 'say "hi"'];
    expect(setPath(new Map(), edgeos, words)).toMatchObject({ kind: 'bad-value' });
  });

  it('names the invalid node with Invalid command', () => {
    const words = 'protocols bgp 64512 foo bar'.split(' ');
    const error = setPath(new Map(), edgeos, words);
    expect(error).toEqual({ kind: 'invalid-path', failedAt: 3 });
    const lines = pathErrorLines(error!, words, 'set');
    expect(lines[0]).toBe('  Configuration path: [protocols bgp 64512 foo] is not valid');
    expect(lines[1]).toBe('  Invalid command: set protocols bgp 64512 [foo]');
  });

  it('refuses VyOS syntax in the EdgeOS dialect and the other way round', () => {
    expect(setPath(new Map(), edgeos, 'protocols bgp system-as 64512'.split(' '))).toMatchObject({
      kind: 'bad-value',
    });
    expect(
      setPath(new Map(), vyos, 'protocols bgp 64512 neighbor 10.0.0.1 remote-as 1'.split(' ')),
    ).toMatchObject({ kind: 'invalid-path' });
  });

  it('asks for a value when a leaf has none', () => {
    expect(setPath(new Map(), edgeos, 'protocols bgp 64512 parameters router-id'.split(' '))).toEqual({
      kind: 'needs-value',
    });
  });

  it('replaces a single-valued leaf and accumulates a multi-valued one', () => {
    const tree = build(edgeos, [
      'protocols bgp 64512 parameters router-id 1.1.1.1',
      'protocols bgp 64512 parameters router-id 2.2.2.2',
      'interfaces ethernet eth0 address 10.0.0.1/24',
      'interfaces ethernet eth0 address 10.0.1.1/24',
    ]);
    expect(setLines(tree, edgeos, 'edgeos')).toEqual([
      'set interfaces ethernet eth0 address 10.0.0.1/24',
      'set interfaces ethernet eth0 address 10.0.1.1/24',
      'set protocols bgp 64512 parameters router-id 2.2.2.2',
    ]);
  });
});

describe('delete', () => {
  it('removes a neighbor and prunes emptied containers but keeps the bgp instance', () => {
    const tree = build(edgeos, [
      'protocols bgp 64512 neighbor 10.0.0.1 remote-as 64512',
      'protocols bgp 64512 parameters router-id 1.1.1.1',
    ]);
    expect(deletePath(tree, edgeos, 'protocols bgp 64512 neighbor 10.0.0.1'.split(' '))).toBeNull();
    expect(deletePath(tree, edgeos, 'protocols bgp 64512 parameters router-id'.split(' '))).toBeNull();
    expect(setLines(tree, edgeos, 'edgeos')).toEqual(['set protocols bgp 64512']);
  });

  it('reports a missing node, and a missing value of a leaf', () => {
    expect(deletePath(new Map(), edgeos, 'protocols bgp 64512'.split(' '))).toEqual({
      kind: 'missing',
      what: 'node',
    });
    const tree = build(edgeos, ['interfaces ethernet eth1 address 10.0.0.1/24']);
    expect(deletePath(tree, edgeos, 'interfaces ethernet eth1 address 10.0.0.2/24'.split(' '))).toEqual({
      kind: 'missing',
      what: 'value',
    });
    expect(deletePath(tree, edgeos, 'interfaces ethernet eth2'.split(' '))).toEqual({
      kind: 'missing',
      what: 'node',
    });
  });
});

describe('printing', () => {
  it('quotes text values like the EdgeOS fixture and all leaf values in VyOS', () => {
    const lines = [
      'interfaces ethernet eth1 address 10.77.88.1/24',
      'interfaces ethernet eth1 description Inside',
      'interfaces ethernet eth1 disable',
      'system name-server 208.67.220.220',
    ];
    expect(setLines(build(edgeos, lines), edgeos, 'edgeos')).toEqual([
      'set interfaces ethernet eth1 address 10.77.88.1/24',
      "set interfaces ethernet eth1 description 'Inside'",
      'set interfaces ethernet eth1 disable',
      'set system name-server 208.67.220.220',
    ]);
    const v = build(vyos, [
      'protocols bgp system-as 64512',
      'protocols bgp neighbor 10.0.0.2 remote-as internal',
    ]);
    expect(setLines(v, vyos, 'vyos')).toEqual([
      "set protocols bgp neighbor 10.0.0.2 remote-as 'internal'",
      "set protocols bgp system-as '64512'",
    ]);
  });

  it('round-trips through config.boot, including spaces and unmodelled subtrees', () => {
    const tree = build(edgeos, [
      'protocols bgp 64512 neighbor 10.0.0.9 remote-as 64512',
      'protocols bgp 64512 neighbor 10.0.0.10 remote-as 64512',
      'protocols bgp 64512 network 10.1.0.0/16',
      'service ssh',
      'system login user ubnt level admin',
      'interfaces ethernet eth0 disable',
    ]);
    setPath(tree, edgeos, ['interfaces', 'ethernet', 'eth0', 'description', 'to the ISP']);
    const text = configBootText(tree, edgeos, 'edgeos');
    expect(text).toContain(
      '        neighbor 10.0.0.9 {\n            remote-as 64512\n        }\n        neighbor 10.0.0.10 {',
    );
    expect(text).toContain('description "to the ISP"');
    const again = treeFromPaths(edgeos, parseConfigBoot(text, 'config.boot'));
    expect('tree' in again && setLines(again.tree, edgeos, 'edgeos')).toEqual(
      setLines(tree, edgeos, 'edgeos'),
    );
  });

  it('names the file and line of a malformed config.boot', () => {
    expect(() => parseConfigBoot('system {\n}\n}\n', '/x/config.boot')).toThrow('/x/config.boot line 3');
    expect(() => parseConfigBoot('system {\n', '/x/config.boot')).toThrow('unclosed');
  });

  it('prints the curly form with four-space indentation', () => {
    const tree = build(edgeos, ['protocols bgp 64512 parameters router-id 1.1.1.1']);
    expect(curlyLines(tree, edgeos)).toEqual([
      'protocols {',
      '    bgp 64512 {',
      '        parameters {',
      '            router-id 1.1.1.1',
      '        }',
      '    }',
      '}',
    ]);
  });
});

describe('commit checks and BgpConfig', () => {
  it('allows only one EdgeOS BGP instance and needs remote-as', () => {
    const tree = build(edgeos, [
      'protocols bgp 64512 neighbor 10.0.0.1 description x',
      'protocols bgp 65000 parameters router-id 1.1.1.1',
    ]);
    const messages = commitProblems(tree, 'edgeos').map((p) => p.message);
    expect(messages).toContain(
      'Only one BGP instance is allowed, found AS 64512 and 65000; delete all but one',
    );
    expect(messages).toContain('BGP neighbor 10.0.0.1: you must define a remote-as');
  });

  it('converts EdgeOS BGP to BgpConfig', () => {
    const tree = build(edgeos, [
      'protocols bgp 64512 parameters router-id 192.168.1.1',
      'protocols bgp 64512 neighbor 192.168.1.201 remote-as 64513',
      'protocols bgp 64512 neighbor 192.168.1.201 timers holdtime 9',
      'protocols bgp 64512 neighbor 192.168.1.201 timers keepalive 3',
      'protocols bgp 64512 neighbor 192.168.1.201 ebgp-multihop 2',
      'protocols bgp 64512 neighbor 192.168.1.201 shutdown',
      'protocols bgp 64512 maximum-paths ebgp 8',
    ]);
    expect(commitProblems(tree, 'edgeos')).toEqual([]);
    expect(bgpConfigOf(tree, 'edgeos')).toEqual({
      localAs: 64512,
      routerId: '192.168.1.1',
      maximumPathsEbgp: 8,
      neighbors: [
        {
          address: '192.168.1.201',
          remoteAs: 64513,
          holdtime: 9,
          keepalive: 3,
          ebgpMultihop: 2,
          shutdown: true,
        },
      ],
    });
    expect(bgpConfigOf(new Map(), 'edgeos')).toBeNull();
  });

  it('converts VyOS BGP, resolving internal/external, and needs system-as', () => {
    const tree = build(vyos, [
      'protocols bgp system-as 64512',
      'protocols bgp neighbor 10.0.0.2 remote-as internal',
      'protocols bgp neighbor 10.0.0.3 remote-as external',
      'protocols bgp neighbor 10.0.0.4 remote-as 65001',
      'protocols bgp address-family ipv4-unicast maximum-paths ibgp 32',
    ]);
    const config = bgpConfigOf(tree, 'vyos');
    expect(config?.maximumPathsIbgp).toBe(32);
    expect(config?.neighbors).toEqual([
      { address: '10.0.0.2', remoteAs: 64512, remoteAsMode: 'internal' },
      { address: '10.0.0.3', remoteAs: 0, remoteAsMode: 'external' },
      { address: '10.0.0.4', remoteAs: 65001 },
    ]);
    const noAs = build(vyos, ['protocols bgp neighbor 10.0.0.2 remote-as internal']);
    expect(commitProblems(noAs, 'vyos').map((p) => p.message)).toEqual(['BGP system-as must be defined']);
  });
});
