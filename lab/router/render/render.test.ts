import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BgpStatus } from '../backend.ts';
import { formatUptime } from './common.ts';
import { edgeosBgpNeighbors, edgeosBgpSummary, edgeosRouteBgp } from './edgeos.ts';
import { frrBgpNeighbors, frrBgpSummary, frrRouteBgp } from './frr.ts';
import { showVersion } from './version.ts';

const FIXTURES = path.resolve(process.cwd(), '../shared/fixtures/router-output');

/** Fixture text without its `# Source:` comment lines. */
function fixture(name: string): string[] {
  return readFileSync(path.join(FIXTURES, name), 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('# '));
}

/** Start and end columns of each whitespace-separated token. */
function columns(line: string): [number, number][] {
  return [...line.matchAll(/\S+/g)].map((m) => [m.index, m.index + m[0].length]);
}

const STATUS: BgpStatus = {
  routerId: '10.77.1.1',
  localAs: 64512,
  neighbors: [
    {
      address: '10.77.1.11',
      remoteAs: 64512,
      localAs: 64512,
      state: 'Established',
      upSeconds: 94440,
      msgRcvd: 3294,
      msgSent: 3277,
      prefixesReceived: 1,
    },
    {
      address: '10.77.1.12',
      remoteAs: 64512,
      localAs: 64512,
      state: 'Active',
      upSeconds: null,
      msgRcvd: 0,
      msgSent: 0,
      prefixesReceived: null,
      description: 'worker2',
    },
  ],
  routes: [
    {
      prefix: '10.77.100.33/32',
      nextHops: [
        { address: '10.77.1.11', interface: 'eth1', ageSeconds: 148 },
        { address: '10.77.1.12', interface: 'eth1', ageSeconds: 148 },
      ],
    },
  ],
};

const TIMERS = () => ({ hold: 90, keepalive: 30 });

describe('uptime', () => {
  it.each([
    [null, 'never'],
    [0, '00:00:00'],
    [2288, '00:38:08'],
    [86399, '23:59:59'],
    [86400 + 2 * 3600 + 54 * 60, '1d02h54m'],
    [21 * 86400, '03w0d00h'],
  ])('%s s prints as %s', (seconds, text) => expect(formatUptime(seconds)).toBe(text));
});

describe('EdgeOS rendering', () => {
  it('prints show ip bgp summary', () => {
    expect(edgeosBgpSummary(STATUS, { ibgp: 32, ebgp: 1 }).join('\n')).toBe(
      [
        'BGP router identifier 10.77.1.1, local AS number 64512',
        'BGP table version is 3',
        '1 BGP AS-PATH entries',
        '0 BGP community entries',
        '1  Configured ebgp ECMP multipath: Currently set at 1',
        '32  Configured ibgp ECMP multipath: Currently set at 32',
        '',
        'Neighbor                 V   AS   MsgRcv    MsgSen TblVer   InQ   OutQ    Up/Down   State/PfxRcd',
        '10.77.1.11               4 64512 3294       3277       3      0      0  1d02h14m               1',
        '10.77.1.12               4 64512 0          0          3      0      0     never          Active',
        '',
        'Total number of neighbors 2',
        '',
        'Total number of Established sessions 1',
      ].join('\n'),
    );
  });

  it('lays the summary out in the columns of the EdgeRouter Lite capture', () => {
    const lines = fixture('edgeos-show-ip-bgp-summary-erlite-ibgp-metallb-readme.txt');
    const header = lines.find((l) => l.startsWith('Neighbor'))!;
    const row = lines.find((l) => l.startsWith('10.0.0.20'))!;
    const status: BgpStatus = {
      routerId: '10.0.0.1',
      localAs: 64512,
      neighbors: [
        {
          address: '10.0.0.20',
          remoteAs: 64512,
          localAs: 64512,
          state: 'Established',
          upSeconds: 86400 + 2 * 3600 + 54 * 60,
          msgRcvd: 3294,
          msgSent: 3277,
          prefixesReceived: 1,
        },
      ],
      routes: Array.from({ length: 49 }, (_, i) => ({
        prefix: `10.1.0.${i}/32`,
        nextHops: [{ address: '10.0.0.20', interface: 'eth1', ageSeconds: 1 }],
      })),
    };
    const ours = edgeosBgpSummary(status, { ibgp: 32, ebgp: 1 });
    expect(ours).toContain(header.trimEnd());
    expect(ours).toContain(row);
    for (const l of [
      '32  Configured ibgp ECMP multipath: Currently set at 32',
      'BGP router identifier 10.0.0.1, local AS number 64512',
    ]) {
      expect(lines).toContain(l);
      expect(ours).toContain(l);
    }
  });

  it('prints show ip bgp neighbors with the capture lines the app reads', () => {
    const text = edgeosBgpNeighbors(STATUS, TIMERS);
    expect(text[0]).toBe('BGP neighbor is 10.77.1.11, remote AS 64512, local AS 64512, internal link');
    expect(text).toContain('  BGP state = Established, up for 1d02h14m');
    expect(text).toContain('  1 accepted prefixes');
    expect(text).toContain('  Last read 00:00:30, hold time is 90, keepalive interval is 30 seconds');
    expect(text).toContain('BGP neighbor is 10.77.1.12, remote AS 64512, local AS 64512, internal link');
    expect(text).toContain('  BGP state = Active');
    // Same line shapes as the article's capture (which lost its indentation).
    const article = fixture('edgeos-show-ip-bgp-neighbors-article.txt').map((l) => l.trim());
    const shape = (l: string) =>
      l
        .trim()
        .replace(/\d+(\.\d+){3}/g, 'IP')
        .replace(/\b(\d\dw\dd\d\dh|\d+d\d\dh\d\dm|\d\d:\d\d:\d\d)\b/g, 'UPTIME')
        .replace(/\d+/g, 'N');
    const articleShapes = new Set(article.map(shape));
    for (const l of text.slice(0, 12)) expect(articleShapes, l).toContain(shape(l));
  });

  it('prints show ip route bgp with ECMP continuation lines', () => {
    expect(edgeosRouteBgp(STATUS)).toEqual([
      'IP Route Table for VRF "default"',
      'B    *> 10.77.100.33/32 [200/0] via 10.77.1.11, eth1, 00:02:28',
      '     *>                 [200/0] via 10.77.1.12, eth1, 00:02:28',
      'Gateway of last resort is not set',
    ]);
    const ntc = fixture('edgeos-show-ip-route-ntc-templates-1-ecmp-static.txt');
    const first = ntc.find((l) => l.startsWith('S    *> 192.100.111.0/24'))!;
    const cont = ntc[ntc.indexOf(first) + 1]!;
    // Continuation aligns its [distance] under the first line's, as in the ntc capture.
    expect(cont.indexOf('[')).toBe(first.indexOf('['));
    expect(edgeosRouteBgp(STATUS)[2]!.indexOf('[')).toBe(edgeosRouteBgp(STATUS)[1]!.indexOf('['));
  });
});

describe('FRR (VyOS) rendering', () => {
  it('prints show ip bgp summary in the FRR 8 layout', () => {
    expect(frrBgpSummary(STATUS)).toEqual([
      '',
      'IPv4 Unicast Summary (VRF default):',
      'BGP router identifier 10.77.1.1, local AS number 64512 vrf-id 0',
      'BGP table version 3',
      'RIB entries 2, using 192 bytes of memory',
      'Peers 2, using 40 KiB of memory',
      '',
      'Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc',
      '10.77.1.11      4      64512      3294      3277        3    0    0 1d02h14m            1        0 N/A',
      '10.77.1.12      4      64512         0         0        3    0    0    never       Active        0 worker2',
      '',
      'Total number of neighbors 2',
    ]);
  });

  it('matches the VyOS 1.4 capture column for column', () => {
    const lines = fixture('frr-vyos14-show-ip-bgp-summary-ictsc.txt');
    const header = lines.find((l) => l.startsWith('Neighbor'))!;
    const row = lines.find((l) => l.startsWith('10.1.48.2'))!;
    const ours = frrBgpSummary({
      routerId: '192.168.17.1',
      localAs: 65001,
      neighbors: [
        {
          address: '10.1.48.2',
          remoteAs: 65002,
          localAs: 65001,
          state: 'Established',
          upSeconds: 366,
          msgRcvd: 12,
          msgSent: 11,
          prefixesReceived: 2,
        },
      ],
      routes: [
        { prefix: '172.16.2.0/24', nextHops: [{ address: '10.1.48.2', interface: 'eth2', ageSeconds: 1 }] },
        { prefix: '172.16.3.0/24', nextHops: [{ address: '10.1.48.2', interface: 'eth2', ageSeconds: 1 }] },
      ],
    });
    expect(ours).toContain(header);
    const ourRow = ours.find((l) => l.startsWith('10.1.48.2'))!;
    expect(columns(ourRow)).toEqual(columns(row));
    expect(ours).toContain('IPv4 Unicast Summary (VRF default):');
    expect(ours).toContain('BGP router identifier 192.168.17.1, local AS number 65001 vrf-id 0');
  });

  it('prints show ip route bgp with FRR ECMP siblings', () => {
    const routes = frrRouteBgp(STATUS);
    expect(routes[0]).toMatch(/^Codes: K - kernel route/);
    expect(routes.slice(-2)).toEqual([
      'B>* 10.77.100.33/32 [200/0] via 10.77.1.11, eth1, weight 1, 00:02:28',
      '  *                         via 10.77.1.12, eth1, weight 1, 00:02:28',
    ]);
    const drumato = fixture('frr8-show-bgp-ipv4-and-show-ip-route-ecmp-drumato.txt');
    const first = drumato.find((l) => l.startsWith('B>* 10.0.0.0/16'))!;
    const sibling = drumato[drumato.indexOf(first) + 1]!;
    expect(sibling.indexOf('via')).toBe(first.indexOf('via'));
    expect(routes.at(-1)!.indexOf('via')).toBe(routes.at(-2)!.indexOf('via'));
  });

  it('prints neighbors like FRR with local router ID and external link', () => {
    const text = frrBgpNeighbors(
      { ...STATUS, neighbors: [{ ...STATUS.neighbors[0]!, remoteAs: 65001 }] },
      TIMERS,
    );
    expect(text[0]).toBe('BGP neighbor is 10.77.1.11, remote AS 65001, local AS 64512, external link');
    expect(text).toContain('  BGP version 4, remote router ID 10.77.1.11, local router ID 10.77.1.1');
    expect(text).toContain('  1 accepted prefixes');
  });
});

describe('show version', () => {
  it('has the lines the app detects the dialect by', () => {
    const edgeos = showVersion('edgeos', new Date(0), new Date(3_600_000));
    expect(edgeos[0]).toMatch(/^Version:\s+v2\.0\.9/);
    expect(edgeos.some((l) => l.startsWith('HW model:'))).toBe(true);
    const real = fixture('edgeos2-show-version-ntc-templates.txt');
    expect(edgeos.map((l) => l.split(':')[0])).toEqual(
      real.filter((l) => l !== '').map((l) => l.split(':')[0]),
    );
    const vyos = showVersion('vyos', new Date(0));
    expect(vyos[0]).toMatch(/^Version:\s+VyOS 1\.4/);
    expect(vyos.some((l) => l.startsWith('HW model:'))).toBe(false);
  });
});
