import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findBgpSubtree, parseConfigCommands, tokenizeConfigLine } from './config.ts';

function fixture(name: string): string {
  const text = readFileSync(path.resolve(process.cwd(), '../shared/fixtures/router-output', name), 'utf8');
  return text
    .split('\n')
    .filter((line) => !line.startsWith('# '))
    .join('\n');
}

describe('parseConfigCommands', () => {
  it('reads the EdgeOS Ansible fixture line by line, single quotes removed', () => {
    expect(parseConfigCommands(fixture('edgeos1-show-configuration-commands-ansible-fixture.txt'))).toEqual([
      ['system', 'host-name', 'router'],
      ['system', 'domain-name', 'acme.com'],
      ['system', 'domain-search', 'domain', 'acme.com'],
      ['system', 'name-server', '208.67.220.220'],
      ['system', 'name-server', '208.67.222.222'],
      ['interfaces', 'ethernet', 'eth0', 'address', '1.2.3.4/24'],
      ['interfaces', 'ethernet', 'eth0', 'description', 'Outside'],
      ['interfaces', 'ethernet', 'eth1', 'address', '10.77.88.1/24'],
      ['interfaces', 'ethernet', 'eth1', 'description', 'Inside'],
      ['interfaces', 'ethernet', 'eth1', 'disable'],
    ]);
  });

  it('ignores prompts, banners, blank, indented-blank and unknown lines, and keeps indented set lines', () => {
    const text = [
      'Welcome to EdgeOS',
      'ubnt@ubnt:~$ show configuration commands',
      '',
      '   ',
      "  set system host-name 'ubnt'",
      'set',
      'delete protocols bgp',
      'settings are fine',
      'ubnt@ubnt:~$ ',
    ].join('\r\n');
    expect(parseConfigCommands(text)).toEqual([['system', 'host-name', 'ubnt']]);
  });

  it('handles double quotes, typographic quotes, spaces inside values and unterminated quotes', () => {
    const text = [
      'set interfaces ethernet eth0 description "Uplink to ISP"',
      'set interfaces ethernet eth1 description \u2018Cluster LAN\u2019',
      'set interfaces ethernet eth2 description \u201CHome\u201D',
      'set system login user ubnt full-name Bob\u2019s',
      "set system host-name 'unterminated value",
      "set a b''",
    ].join('\n');
    expect(parseConfigCommands(text)).toEqual([
      ['interfaces', 'ethernet', 'eth0', 'description', 'Uplink to ISP'],
      ['interfaces', 'ethernet', 'eth1', 'description', 'Cluster LAN'],
      ['interfaces', 'ethernet', 'eth2', 'description', 'Home'],
      ['system', 'login', 'user', 'ubnt', 'full-name', 'Bob\u2019s'],
      ['system', 'host-name', 'unterminated value'],
      ['a', 'b'],
    ]);
  });

  it('keeps an empty quoted value as an empty token', () => {
    expect(tokenizeConfigLine("set x description ''")).toEqual(['set', 'x', 'description', '']);
  });

  it('never throws and returns only non-empty token lists for garbage', () => {
    // Pieces that exercise the quote handling, glued with arbitrary text and line breaks.
    const piece = fc.oneof(
      fc.constantFrom(
        'set ',
        "'",
        '"',
        '\u2018',
        '\u2019',
        '\u201C',
        '\u201D',
        '\n',
        '\r\n',
        ' ',
        'protocols bgp ',
      ),
      fc.string({ unit: 'binary', maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const result = parseConfigCommands(pieces.join(''));
        for (const tokens of result) expect(tokens.length).toBeGreaterThan(0);
        expect(() => findBgpSubtree(result, 'edgeos')).not.toThrow();
      }),
      { numRuns: 300 },
    );
    expect(parseConfigCommands(undefined as unknown as string)).toEqual([]);
  });
});

describe('findBgpSubtree', () => {
  const edgeos = parseConfigCommands(
    [
      "set interfaces ethernet eth1 description 'Cluster'",
      'set protocols bgp 64512 parameters router-id 192.168.1.1',
      "set protocols bgp 64512 neighbor 192.168.1.201 description 'mbw-worker1'",
      'set protocols bgp 64512 neighbor 192.168.1.201 remote-as 64512',
      'set protocols static route 0.0.0.0/0 next-hop 1.2.3.1',
    ].join('\n'),
  );
  const vyos = parseConfigCommands(
    [
      'set protocols bgp system-as 65000',
      "set protocols bgp neighbor 10.0.0.2 description 'peer'",
      'set protocols bgp neighbor 10.0.0.2 remote-as internal',
      'set protocols ospf area 0 network 10.0.0.0/24',
    ].join('\n'),
  );

  it('finds the EdgeOS instance by ASN with its body below the ASN', () => {
    expect(findBgpSubtree(edgeos, 'edgeos')).toEqual({
      instances: [
        {
          asn: '64512',
          body: [
            ['parameters', 'router-id', '192.168.1.1'],
            ['neighbor', '192.168.1.201', 'description', 'mbw-worker1'],
            ['neighbor', '192.168.1.201', 'remote-as', '64512'],
          ],
        },
      ],
      otherLayout: [],
    });
  });

  it('finds the VyOS instance by system-as with its body below protocols bgp', () => {
    expect(findBgpSubtree(vyos, 'vyos')).toEqual({
      instances: [
        {
          asn: '65000',
          body: [
            ['system-as', '65000'],
            ['neighbor', '10.0.0.2', 'description', 'peer'],
            ['neighbor', '10.0.0.2', 'remote-as', 'internal'],
          ],
        },
      ],
      otherLayout: [],
    });
  });

  it('reports lines in the other dialect layout', () => {
    expect(findBgpSubtree(vyos, 'edgeos').instances).toEqual([]);
    expect(findBgpSubtree(vyos, 'edgeos').otherLayout).toHaveLength(3);
    expect(findBgpSubtree(edgeos, 'vyos').instances).toEqual([]);
    expect(findBgpSubtree(edgeos, 'vyos').otherLayout).toHaveLength(3);
  });

  it('lists every EdgeOS instance and gives none without BGP', () => {
    const two = parseConfigCommands(
      'set protocols bgp 1 parameters router-id 1.1.1.1\nset protocols bgp 2 neighbor 1.1.1.2 remote-as 2',
    );
    expect(findBgpSubtree(two, 'edgeos').instances.map((i) => i.asn)).toEqual(['1', '2']);
    expect(
      findBgpSubtree(
        parseConfigCommands(fixture('edgeos1-show-configuration-commands-ansible-fixture.txt')),
        'edgeos',
      ),
    ).toEqual({
      instances: [],
      otherLayout: [],
    });
  });
});
