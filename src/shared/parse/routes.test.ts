import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBgpRoutes } from './routes.ts';

const fixture = (name: string): string =>
  readFileSync(path.resolve(process.cwd(), '../shared/fixtures/router-output', name), 'utf8');

const hop = (address: string, iface: string | null, age: string | null) => ({
  address,
  interface: iface,
  age,
});

describe('parseBgpRoutes on EdgeOS text', () => {
  it('reads the article capture (lost indentation, typographic quotes) with its ECMP continuation lines', () => {
    const routes = parseBgpRoutes(fixture('edgeos-show-ip-route-bgp-article.txt'));
    expect(routes.map((r) => ({ prefix: r.prefix, nextHops: r.nextHops }))).toEqual([
      { prefix: '192.168.1.224/32', nextHops: [hop('192.168.1.205', 'eth1', '00:00:04')] },
      {
        prefix: '192.168.1.225/32',
        nextHops: [hop('192.168.1.203', 'eth1', '00:08:04'), hop('192.168.1.201', 'eth1', '00:08:04')],
      },
      {
        prefix: '192.168.1.226/32',
        nextHops: [
          hop('192.168.1.205', 'eth1', '00:08:04'),
          hop('192.168.1.202', 'eth1', '00:08:04'),
          hop('192.168.1.201', 'eth1', '00:08:04'),
        ],
      },
      { prefix: '192.168.1.227/32', nextHops: [hop('192.168.1.205', 'eth1', '00:00:04')] },
    ]);
    expect(routes.every((r) => r.distance === 200 && r.metric === 0 && r.selected && r.installed)).toBe(true);
  });

  it('yields no route from a table holding only static and connected routes', () => {
    expect(parseBgpRoutes(fixture('edgeos-show-ip-route-ntc-templates-1-ecmp-static.txt'))).toEqual([]);
  });

  // The ntc-templates layout (real indentation, recursive hops, stray ` )`) with a BGP route added.
  const edgeosMixed = [
    'IP Route Table for VRF "default"',
    'S    *> 0.0.0.0/0 [50/0] is directly connected, pppoe4',
    'B    *> 10.20.0.0/16 [200/0] via 192.168.1.25 (recursive is directly connected, pppoe4) )',
    '     *>              [200/0] via 192.168.1.20, eth1, 00:02:28',
    '     *>              [200/0] via 192.168.1.21, eth1, 00:02:27',
    // Misaligned on purpose: EdgeOS never prints resolving hops, so indentation means nothing here.
    '     *>                     [200/0] via 192.168.1.22, eth1, 00:02:26',
    'S    *> 192.100.111.0/24 [1/0] via 192.168.1.25 (recursive is directly connected, pppoe4) )',
    '     *>                  [1/0] via 192.168.1.20 (recursive is directly connected, pppoe4) )',
    'B    *> 192.168.30.1/32 [200/0] via 192.168.3.32, switch0, 00:02:28',
    'C    *> 127.0.0.0/8 is directly connected, lo',
  ].join('\n');

  it('appends continuation lines to the BGP route above, never to a static one', () => {
    expect(parseBgpRoutes(edgeosMixed).map((r) => ({ prefix: r.prefix, nextHops: r.nextHops }))).toEqual([
      {
        prefix: '10.20.0.0/16',
        nextHops: [
          { ...hop('192.168.1.25', null, null), recursive: true },
          hop('192.168.1.20', 'eth1', '00:02:28'),
          hop('192.168.1.21', 'eth1', '00:02:27'),
          hop('192.168.1.22', 'eth1', '00:02:26'),
        ],
      },
      { prefix: '192.168.30.1/32', nextHops: [hop('192.168.3.32', 'switch0', '00:02:28')] },
    ]);
  });

  it('does not attach a continuation line that follows a non-BGP route with no BGP route between', () => {
    const text =
      'B    *> 10.1.0.0/16 [200/0] via 10.0.0.2, eth1, 00:01:00\nS    *> 10.2.0.0/16 [1/0] via 10.0.0.9, eth1\n     *>       [1/0] via 10.0.0.8, eth1';
    const routes = parseBgpRoutes(text);
    expect(routes).toHaveLength(1);
    expect(routes[0]?.nextHops.map((h) => h.address)).toEqual(['10.0.0.2']);
  });
});

describe('parseBgpRoutes on FRR text', () => {
  it('takes only the B routes of the VyOS capture, not its BGP table rows', () => {
    const routes = parseBgpRoutes(fixture('frr-vyos14-show-ip-bgp-summary-ictsc.txt'));
    expect(routes).toEqual([
      {
        prefix: '172.16.2.0/24',
        nextHops: [{ ...hop('10.1.48.2', 'eth2', '00:05:20'), weight: 1 }],
        distance: 20,
        metric: 0,
        selected: true,
        installed: true,
      },
      {
        prefix: '172.16.3.0/24',
        nextHops: [{ ...hop('10.1.48.2', 'eth2', '00:05:20'), weight: 1 }],
        distance: 20,
        metric: 0,
        selected: true,
        installed: true,
      },
    ]);
  });

  it('reads both ECMP next hops and the recursive route of the FRR 8 capture, not the bgp tables', () => {
    const routes = parseBgpRoutes(fixture('frr8-show-bgp-ipv4-and-show-ip-route-ecmp-drumato.txt'));
    expect(routes).toEqual([
      {
        prefix: '10.0.0.0/16',
        nextHops: [
          { ...hop('10.0.1.1', 'net2', '00:00:14'), weight: 1 },
          { ...hop('10.0.1.2', 'net2', '00:00:14'), weight: 1 },
        ],
        distance: 20,
        metric: 0,
        selected: true,
        installed: true,
      },
      {
        prefix: '10.0.0.0/16',
        nextHops: [
          { ...hop('10.0.255.3', null, '00:00:19'), weight: 1, recursive: true },
          // Indented two columns deeper: the hop resolving the recursive one, not an ECMP sibling.
          { ...hop('10.0.1.2', 'net2', '00:00:19'), weight: 1, resolves: '10.0.255.3' },
        ],
        distance: 200,
        metric: 0,
        selected: true,
        installed: false,
      },
    ]);
  });

  it('reads FRR 7 heads with no space after the flags, IPv6, and the VRF header', () => {
    const text = [
      'IPv4 unicast VRF default:',
      'B>*10.0.0.0/16 [20/0] via 10.0.1.1, eth1, weight 1, 00:00:14',
      'B   10.9.0.0/16 [20/0] via 10.0.1.7 inactive, weight 1, 00:00:02',
      'B>* 2001:db8:1::/64 [20/0] via fe80::1, eth1, weight 1, 1d02h03m',
    ].join('\n');
    expect(parseBgpRoutes(text).map((r) => [r.prefix, r.selected, r.installed, r.nextHops])).toEqual([
      ['10.0.0.0/16', true, true, [{ ...hop('10.0.1.1', 'eth1', '00:00:14'), weight: 1 }]],
      ['10.9.0.0/16', false, false, [{ ...hop('10.0.1.7', null, '00:00:02'), weight: 1 }]],
      ['2001:db8:1::/64', true, true, [{ ...hop('fe80::1', 'eth1', '1d02h03m'), weight: 1 }]],
    ]);
  });
});

// Modelled on FRR 8.4 `show ip route bgp json`: one ECMP route, one iBGP recursive route, a
// non-selected entry, and a non-BGP entry that must be skipped.
const routeJson = {
  '10.0.0.0/16': [
    {
      prefix: '10.0.0.0/16',
      prefixLen: 16,
      protocol: 'bgp',
      vrfId: 0,
      vrfName: 'default',
      selected: true,
      destSelected: true,
      distance: 20,
      metric: 0,
      installed: true,
      table: 254,
      internalStatus: 16,
      internalFlags: 8,
      internalNextHopNum: 2,
      internalNextHopActiveNum: 2,
      nexthopGroupId: 38,
      installedNexthopGroupId: 38,
      uptime: '00:00:14',
      nexthops: [
        {
          flags: 3,
          fib: true,
          ip: '10.0.1.1',
          afi: 'ipv4',
          interfaceIndex: 2,
          interfaceName: 'net2',
          active: true,
          weight: 1,
        },
        {
          flags: 3,
          fib: true,
          ip: '10.0.1.2',
          afi: 'ipv4',
          interfaceIndex: 2,
          interfaceName: 'net2',
          active: true,
          weight: 1,
        },
      ],
    },
  ],
  '10.8.0.0/16': [
    {
      prefix: '10.8.0.0/16',
      prefixLen: 16,
      protocol: 'bgp',
      selected: true,
      destSelected: true,
      distance: 200,
      metric: 0,
      installed: true,
      uptime: '00:00:19',
      nexthops: [
        { flags: 5, ip: '10.0.255.3', afi: 'ipv4', active: true, recursive: true, weight: 1 },
        {
          flags: 3,
          fib: true,
          ip: '10.0.1.2',
          afi: 'ipv4',
          interfaceIndex: 2,
          interfaceName: 'net2',
          resolver: true,
          active: true,
        },
      ],
    },
  ],
  '10.9.0.0/16': [
    {
      prefix: '10.9.0.0/16',
      protocol: 'static',
      selected: true,
      installed: true,
      uptime: '00:10:00',
      nexthops: [{ ip: '10.0.1.9', interfaceName: 'net2', active: true }],
    },
    {
      prefix: '10.9.0.0/16',
      protocol: 'bgp',
      distance: 20,
      metric: 0,
      uptime: '00:00:05',
      nexthops: [{ ip: '10.0.1.1', afi: 'ipv4', interfaceName: 'net2', active: true, weight: 1 }],
    },
  ],
};

describe('parseBgpRoutes on FRR JSON', () => {
  it('reads every BGP entry with its next hops and skips other protocols', () => {
    const routes = parseBgpRoutes(
      `$ vtysh -c 'show ip route bgp json'\n${JSON.stringify(routeJson, null, 2)}`,
    );
    expect(routes).toEqual([
      {
        prefix: '10.0.0.0/16',
        nextHops: [
          { ...hop('10.0.1.1', 'net2', '00:00:14'), weight: 1 },
          { ...hop('10.0.1.2', 'net2', '00:00:14'), weight: 1 },
        ],
        distance: 20,
        metric: 0,
        selected: true,
        installed: true,
      },
      {
        prefix: '10.8.0.0/16',
        nextHops: [
          { ...hop('10.0.255.3', null, '00:00:19'), recursive: true, weight: 1 },
          { ...hop('10.0.1.2', 'net2', '00:00:19'), resolves: '10.0.255.3' },
        ],
        distance: 200,
        metric: 0,
        selected: true,
        installed: true,
      },
      {
        prefix: '10.9.0.0/16',
        nextHops: [{ ...hop('10.0.1.1', 'net2', '00:00:05'), weight: 1 }],
        distance: 20,
        metric: 0,
        selected: false,
        installed: false,
      },
    ]);
  });

  it('gives [] for an empty table and for JSON of another shape', () => {
    expect(parseBgpRoutes('{}')).toEqual([]);
    expect(parseBgpRoutes('{"10.0.0.0/8": "nope", "x": [1, null, {"protocol": "bgp"}]}')).toEqual([
      { prefix: 'x', nextHops: [], selected: false, installed: false },
    ]);
  });
});

describe('parseBgpRoutes on other text', () => {
  it.each([
    fixture('edgeos-show-ip-bgp-summary-erlite-ibgp-metallb-readme.txt'),
    fixture('frr9-show-bgp-neighbors-metallb-speaker.txt'),
    'BGP is not running',
    'B foo bar',
    '  *>  via nowhere',
  ])('gives [] for text %#', (text) => {
    expect(parseBgpRoutes(text)).toEqual([]);
  });
});
