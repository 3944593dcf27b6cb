import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBgpSummary } from './summary.ts';

const fixture = (name: string): string =>
  readFileSync(path.resolve(process.cwd(), '../shared/fixtures/router-output', name), 'utf8');

describe('parseBgpSummary on EdgeOS text', () => {
  it('reads every row of the EdgeRouter Lite capture', () => {
    const summary = parseBgpSummary(fixture('edgeos-show-ip-bgp-summary-erlite-ibgp-metallb-readme.txt'));
    expect(summary.routerId).toBe('10.0.0.1');
    expect(summary.localAs).toBe(64512);
    expect(summary.neighbors).toEqual([
      {
        address: '10.0.0.20',
        remoteAs: 64512,
        state: 'Established',
        upDown: '1d02h54m',
        upSeconds: 86400 + 2 * 3600 + 54 * 60,
        prefixesReceived: 1,
        established: true,
        msgRcvd: 3294,
        msgSent: 3277,
      },
      {
        address: '10.0.0.21',
        remoteAs: 64512,
        state: 'Established',
        upDown: '1d02h42m',
        upSeconds: 86400 + 2 * 3600 + 42 * 60,
        prefixesReceived: 1,
        established: true,
        msgRcvd: 3279,
        msgSent: 3266,
      },
      {
        address: '10.0.0.22',
        remoteAs: 64512,
        state: 'Established',
        upDown: '1d02h43m',
        upSeconds: 86400 + 2 * 3600 + 43 * 60,
        prefixesReceived: 1,
        established: true,
        msgRcvd: 3284,
        msgSent: 3269,
      },
    ]);
  });

  // Hand-made in the EdgeOS layout: every non-Established state, weeks, never, and a long IPv6
  // neighbor whose address runs into the V column.
  const edgeosStates = [
    'ubnt@ubnt:~$ show ip bgp summary',
    'BGP router identifier 192.168.1.1, local AS number 64512',
    'BGP table version is 7',
    '1  Configured ebgp ECMP multipath: Currently set at 1',
    '32  Configured ibgp ECMP multipath: Currently set at 32',
    '',
    'Neighbor                 V   AS   MsgRcv    MsgSen TblVer   InQ   OutQ    Up/Down   State/PfxRcd',
    '192.168.1.201            4 64512    1790      1779      35      0      0  00:38:08               1',
    '192.168.1.202            4 64512       0         0       0      0      0     never          Active',
    '192.168.1.203            4 64512      12        10       0      0      0  03w0d00h    Idle (Admin)',
    '192.168.1.204            4 64512       5         4       0      0      0  00:00:12    Idle (PfxCt)',
    '192.168.1.205            4 64512       0         0       0      0      0  00:00:01         Connect',
    '192.168.1.206            4 64512       1         1       0      0      0  00:00:01        OpenSent',
    '192.168.1.207            4 64512       1         1       0      0      0  00:00:01     OpenConfirm',
    '192.168.1.208            4 64512       0         0       0      0      0     never            Idle',
    '2001:db8:aaaa:bbbb::2014 64512      40        41      35      0      0  00:10:00               3',
    '',
    'Total number of neighbors 9',
    '',
    'Total number of Established sessions 2',
  ].join('\n');

  it('keeps every state word as printed and prefixes only for Established rows', () => {
    const summary = parseBgpSummary(edgeosStates);
    expect(summary.routerId).toBe('192.168.1.1');
    expect(summary.localAs).toBe(64512);
    expect(
      summary.neighbors.map((n) => [n.address, n.state, n.upDown, n.upSeconds, n.prefixesReceived]),
    ).toEqual([
      ['192.168.1.201', 'Established', '00:38:08', 38 * 60 + 8, 1],
      ['192.168.1.202', 'Active', 'never', null, null],
      ['192.168.1.203', 'Idle (Admin)', '03w0d00h', 21 * 86400, null],
      ['192.168.1.204', 'Idle (PfxCt)', '00:00:12', 12, null],
      ['192.168.1.205', 'Connect', '00:00:01', 1, null],
      ['192.168.1.206', 'OpenSent', '00:00:01', 1, null],
      ['192.168.1.207', 'OpenConfirm', '00:00:01', 1, null],
      ['192.168.1.208', 'Idle', 'never', null, null],
      ['2001:db8:aaaa:bbbb::201', 'Established', '00:10:00', 600, 3],
    ]);
    expect(summary.neighbors.every((n) => n.remoteAs === 64512)).toBe(true);
    expect(summary.neighbors.map((n) => n.established)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });

  it('reads the same rows from a capture that lost its indentation and column spacing', () => {
    const flattened = edgeosStates
      .split('\n')
      .map((line) => line.trim().replace(/\s+/g, ' '))
      .join('\n');
    expect(parseBgpSummary(flattened)).toEqual(parseBgpSummary(edgeosStates));
  });
});

describe('parseBgpSummary on FRR/VyOS text', () => {
  it('reads the VyOS 1.4 summary out of a capture that also holds route and BGP tables', () => {
    const summary = parseBgpSummary(fixture('frr-vyos14-show-ip-bgp-summary-ictsc.txt'));
    expect(summary).toEqual({
      routerId: '192.168.17.1',
      localAs: 65001,
      neighbors: [
        {
          address: '10.1.48.2',
          remoteAs: 65002,
          state: 'Established',
          upDown: '00:06:06',
          upSeconds: 366,
          prefixesReceived: 2,
          established: true,
          msgRcvd: 12,
          msgSent: 11,
          prefixesSent: 1,
        },
        {
          address: '10.1.49.3',
          remoteAs: 65003,
          state: 'Established',
          upDown: '00:06:07',
          upSeconds: 367,
          prefixesReceived: 1,
          established: true,
          msgRcvd: 12,
          msgSent: 10,
          prefixesSent: 1,
        },
      ],
    });
  });

  // FRR 8.4 layout: (Policy), NoNeg, Idle (Admin), descriptions, a wrapped IPv6 neighbor.
  const frrStates = [
    'vyos@vyos:~$ show ip bgp summary',
    '',
    'IPv4 Unicast Summary (VRF default):',
    'BGP router identifier 10.0.0.1, local AS number 65001 vrf-id 0',
    'BGP table version 4',
    'RIB entries 7, using 1288 bytes of memory',
    'Peers 5, using 3614 KiB of memory',
    '',
    'Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc',
    '10.0.0.2        4      65002         5         4        0    0    0 00:01:02     (Policy) (Policy) N/A',
    '10.0.0.3        4      65001        10        11        4    0    0 01:02:03        NoNeg    NoNeg mbw-worker3',
    '10.0.0.4        4      65001         0         0        0    0    0    never Idle (Admin)        0 mbw-worker4',
    '10.0.0.5        4      65001        30        31        4    0    0 1d02h03m            2        0 mbw worker five',
    '2001:db8:ffff:ffff::1',
    '                4 4200000001        0         0        0    0    0    never       Active        0 N/A',
    '',
    'Total number of neighbors 5',
  ].join('\n');

  it('keeps (Policy), NoNeg and Idle (Admin) as printed, with PfxSnt and descriptions', () => {
    const summary = parseBgpSummary(frrStates);
    expect(summary.routerId).toBe('10.0.0.1');
    expect(summary.localAs).toBe(65001);
    expect(
      summary.neighbors.map((n) => [
        n.address,
        n.remoteAs,
        n.state,
        n.upDown,
        n.prefixesReceived,
        n.prefixesSent,
        n.description,
        n.established,
      ]),
    ).toEqual([
      ['10.0.0.2', 65002, '(Policy)', '00:01:02', null, undefined, undefined, true],
      ['10.0.0.3', 65001, 'NoNeg', '01:02:03', null, undefined, 'mbw-worker3', true],
      ['10.0.0.4', 65001, 'Idle (Admin)', 'never', null, 0, 'mbw-worker4', false],
      ['10.0.0.5', 65001, 'Established', '1d02h03m', 2, 0, 'mbw worker five', true],
      ['2001:db8:ffff:ffff::1', 4200000001, 'Active', 'never', null, 0, undefined, false],
    ]);
  });

  it('reads FRR hostnames shown as name(address)', () => {
    const text = [
      'BGP router identifier 10.0.0.1, local AS number 65001 vrf-id 0',
      'Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc',
      'node1(10.0.0.9) 4      65001         7         8        0    0    0 00:00:09            1        1 N/A',
    ].join('\n');
    expect(parseBgpSummary(text).neighbors[0]).toMatchObject({
      address: '10.0.0.9',
      hostname: 'node1',
      prefixesReceived: 1,
    });
  });
});

describe('parseBgpSummary on FRR JSON', () => {
  it('reads the nested (ipv4Unicast) capture', () => {
    expect(parseBgpSummary(fixture('frr10-show-bgp-summary-json-nested-demo.txt'))).toEqual({
      routerId: '10.200.255.1',
      localAs: 65000,
      neighbors: [
        {
          address: '10.200.1.18',
          remoteAs: 65100,
          state: 'Established',
          upDown: '00:00:03',
          upSeconds: 3,
          prefixesReceived: 3,
          established: true,
          msgRcvd: 7,
          msgSent: 8,
          prefixesSent: 5,
          description: 'spine',
          hostname: 'spine',
        },
      ],
    });
  });

  // Modelled on FRR 8.4 `show ip bgp summary json`: flat, one peer up, one admin-down, one never up.
  const flat = JSON.stringify({
    routerId: '192.168.1.1',
    as: 64512,
    vrfId: 0,
    vrfName: 'default',
    tableVersion: 6,
    ribCount: 3,
    ribMemory: 552,
    peerCount: 3,
    peerMemory: 2169672,
    peers: {
      '192.168.1.201': {
        hostname: 'worker1',
        remoteAs: 64512,
        localAs: 64512,
        version: 4,
        msgRcvd: 120,
        msgSent: 118,
        tableVersion: 0,
        outq: 0,
        inq: 0,
        peerUptime: '01:02:03',
        peerUptimeMsec: 3723000,
        peerUptimeEstablishedEpoch: 1700000000,
        pfxRcd: 2,
        pfxSnt: 0,
        state: 'Established',
        peerState: 'OK',
        connectionsEstablished: 1,
        connectionsDropped: 0,
        desc: 'mbw-worker1',
        idType: 'ipv4',
      },
      '192.168.1.202': {
        remoteAs: 64512,
        localAs: 64512,
        version: 4,
        msgRcvd: 0,
        msgSent: 0,
        peerUptime: 'never',
        peerUptimeMsec: 0,
        pfxRcd: 0,
        pfxSnt: 0,
        state: 'Idle',
        peerState: 'Admin',
        idType: 'ipv4',
      },
      '192.168.1.203': {
        remoteAs: 64512,
        localAs: 64512,
        version: 4,
        msgRcvd: 0,
        msgSent: 0,
        peerUptime: 'never',
        peerUptimeMsec: 0,
        state: 'Active',
        peerState: 'OK',
        idType: 'ipv4',
      },
    },
    failedPeers: 2,
    displayedPeers: 3,
    totalPeers: 3,
    dynamicPeers: 0,
    bestPath: { multiPathRelax: 'false' },
  });

  it('reads the flat form, with a prompt line before it', () => {
    const summary = parseBgpSummary(`router# show ip bgp summary json\n${flat}\n`);
    expect(summary.routerId).toBe('192.168.1.1');
    expect(summary.localAs).toBe(64512);
    expect(summary.neighbors).toEqual([
      {
        address: '192.168.1.201',
        remoteAs: 64512,
        state: 'Established',
        upDown: '01:02:03',
        upSeconds: 3723,
        prefixesReceived: 2,
        established: true,
        msgRcvd: 120,
        msgSent: 118,
        prefixesSent: 0,
        description: 'mbw-worker1',
        hostname: 'worker1',
      },
      {
        address: '192.168.1.202',
        remoteAs: 64512,
        state: 'Idle (Admin)',
        upDown: 'never',
        upSeconds: null,
        prefixesReceived: null,
        established: false,
        msgRcvd: 0,
        msgSent: 0,
        prefixesSent: 0,
      },
      {
        address: '192.168.1.203',
        remoteAs: 64512,
        state: 'Active',
        upDown: 'never',
        upSeconds: null,
        prefixesReceived: null,
        established: false,
        msgRcvd: 0,
        msgSent: 0,
      },
    ]);
  });

  it('invents no rows from neighbors JSON, even where it holds a `peers` object', () => {
    const neighbor = { remoteAs: 64512, localAs: 64512, bgpState: 'Established', nbrInternalLink: true };
    const empty = { routerId: null, localAs: null, neighbors: [] };
    expect(parseBgpSummary(JSON.stringify({ '10.0.0.2': neighbor }))).toEqual(empty);
    expect(parseBgpSummary(JSON.stringify({ peers: { '10.0.0.2': neighbor } }))).toEqual(empty);
    expect(
      parseBgpSummary(JSON.stringify({ '10.0.0.2': { ...neighbor, peers: { '10.0.0.3': neighbor } } })),
    ).toEqual(empty);
    expect(parseBgpSummary(JSON.stringify({ default: { '10.0.0.2': neighbor }, x: { peers: {} } }))).toEqual(
      empty,
    );
  });

  it('needs a summary header (routerId or as) beside peers, and a state on each peer', () => {
    expect(parseBgpSummary('{"peers": {"10.0.0.2": {"remoteAs": 1, "state": "Active"}}}').neighbors).toEqual(
      [],
    );
    const summary = parseBgpSummary(
      '{"as": 64512, "peers": {"10.0.0.2": {"remoteAs": 1, "state": "Active"}, "10.0.0.3": {"remoteAs": 1}}}',
    );
    expect(summary.localAs).toBe(64512);
    expect(summary.neighbors.map((n) => [n.address, n.state])).toEqual([['10.0.0.2', 'Active']]);
  });

  it('gives an empty summary for JSON that is not a summary', () => {
    expect(parseBgpSummary('{"foo": [1, 2, 3]}')).toEqual({ routerId: null, localAs: null, neighbors: [] });
    expect(parseBgpSummary('{"peers": {"1.2.3.4": {"remoteAs": "x"}}}').neighbors).toEqual([]);
  });
});

describe('parseBgpSummary on other text', () => {
  it.each([
    ['', 'empty'],
    ['% No BGP neighbors found', 'the no-neighbor message'],
    [fixture('edgeos-show-ip-route-bgp-article.txt'), 'a route table'],
    ['Neighbor V AS MsgRcv MsgSen TblVer InQ OutQ Up/Down State/PfxRcd\nfoo bar baz', 'a header and garbage'],
  ])('is empty for %#: %s', (text) => {
    expect(parseBgpSummary(text).neighbors).toEqual([]);
  });
});
