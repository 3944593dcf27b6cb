import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBgpNeighbors } from './neighbors.ts';

const fixture = (name: string): string =>
  readFileSync(path.resolve(process.cwd(), '../shared/fixtures/router-output', name), 'utf8');

describe('parseBgpNeighbors on EdgeOS text', () => {
  it('reads the article capture (lost indentation) field by field', () => {
    expect(parseBgpNeighbors(fixture('edgeos-show-ip-bgp-neighbors-article.txt'))).toEqual([
      {
        address: '192.168.1.201',
        remoteAs: 64512,
        localAs: 64512,
        link: 'internal',
        state: 'Established',
        upFor: '00:38:08',
        upSeconds: 38 * 60 + 8,
        prefixesAccepted: 1,
        remoteRouterId: '192.168.1.201',
        msgRcvd: 1790,
        msgSent: 1779,
        connectionsEstablished: 5,
        connectionsDropped: 4,
      },
    ]);
  });

  it('reads several blocks, with the indentation a real EdgeRouter keeps', () => {
    const text = [
      'ubnt@ubnt:~$ show ip bgp neighbors',
      'BGP neighbor is 192.168.1.201, remote AS 64512, local AS 64512, internal link',
      '  Description: mbw-worker1',
      '  BGP version 4, remote router ID 192.168.1.201',
      '  BGP state = Established, up for 1d02h54m',
      '  Received 10 messages, 0 notifications, 0 in queue',
      '  Sent 11 messages, 0 notifications, 0 in queue',
      '  For address family: IPv4 Unicast',
      '  3 accepted prefixes',
      '  For address family: IPv6 Unicast',
      '  9 accepted prefixes',
      '  Connections established 1; dropped 0',
      'BGP neighbor is 192.168.1.202, remote AS 65000, local AS 64512, external link',
      '  BGP version 4, remote router ID 0.0.0.0',
      '  BGP state = Active',
      '  Received 0 messages, 0 notifications, 0 in queue',
      '  Sent 0 messages, 0 notifications, 0 in queue',
      '  Connections established 0; dropped 0',
    ].join('\n');
    expect(parseBgpNeighbors(text)).toEqual([
      {
        address: '192.168.1.201',
        remoteAs: 64512,
        localAs: 64512,
        link: 'internal',
        state: 'Established',
        upFor: '1d02h54m',
        upSeconds: 86400 + 2 * 3600 + 54 * 60,
        prefixesAccepted: 3,
        description: 'mbw-worker1',
        remoteRouterId: '192.168.1.201',
        msgRcvd: 10,
        msgSent: 11,
        connectionsEstablished: 1,
        connectionsDropped: 0,
      },
      {
        address: '192.168.1.202',
        remoteAs: 65000,
        localAs: 64512,
        link: 'external',
        state: 'Active',
        upFor: null,
        upSeconds: null,
        prefixesAccepted: null,
        remoteRouterId: '0.0.0.0',
        msgRcvd: 0,
        msgSent: 0,
        connectionsEstablished: 0,
        connectionsDropped: 0,
      },
    ]);
  });
});

describe('parseBgpNeighbors on FRR text', () => {
  it('reads the MetalLB speaker capture field by field', () => {
    expect(parseBgpNeighbors(fixture('frr9-show-bgp-neighbors-metallb-speaker.txt'))).toEqual([
      {
        address: '10.161.43.6',
        remoteAs: 65520,
        localAs: 65580,
        link: 'external',
        state: 'Established',
        upFor: '00:31:03',
        upSeconds: 31 * 60 + 3,
        prefixesAccepted: 0,
        remoteRouterId: '10.161.41.253',
        localRouterId: '10.226.32.2',
        // From the `Total:  35  56` row under `Sent  Rcvd`.
        msgSent: 35,
        msgRcvd: 56,
        connectionsEstablished: 1,
        connectionsDropped: 0,
      },
    ]);
  });

  it('reads hostnames, unnumbered neighbors, admin-down blocks and asdot ASNs', () => {
    const text = [
      'BGP neighbor is 10.0.0.2, remote AS 64512, local AS 64512, internal link',
      'Hostname: worker1',
      '  Description: mbw-worker1',
      '  BGP version 4, remote router ID 10.0.0.2, local router ID 10.0.0.1',
      '  BGP state = Established, up for 03w0d00h',
      ' For address family: IPv4 Unicast',
      '  2 accepted prefixes',
      'BGP neighbor on eth1: fe80::2, remote AS 1.10, local AS 65001, external link',
      '  BGP state = Idle',
      'BGP neighbor is 10.0.0.3, remote AS 64512, local AS 64512, internal link',
      '  BGP state = Idle',
      '  Administratively shut down',
    ].join('\n');
    const neighbors = parseBgpNeighbors(text);
    expect(
      neighbors.map((n) => [
        n.address,
        n.remoteAs,
        n.link,
        n.state,
        n.upFor,
        n.upSeconds,
        n.prefixesAccepted,
      ]),
    ).toEqual([
      ['10.0.0.2', 64512, 'internal', 'Established', '03w0d00h', 21 * 86400, 2],
      ['fe80::2', 65546, 'external', 'Idle', null, null, null],
      ['10.0.0.3', 64512, 'internal', 'Idle', null, null, null],
    ]);
    expect(neighbors[0]).toMatchObject({
      hostname: 'worker1',
      description: 'mbw-worker1',
      localRouterId: '10.0.0.1',
    });
    expect(neighbors[1]?.interface).toBe('eth1');
    expect(neighbors.map((n) => n.adminShutdown)).toEqual([undefined, undefined, true]);
  });
});

// Modelled on FRR 8.4 `show bgp neighbors json`: keyed by address, one iBGP peer up, one eBGP never up.
const neighborsJson = {
  '192.168.1.201': {
    remoteAs: 64512,
    localAs: 64512,
    nbrInternalLink: true,
    nbrDesc: 'mbw-worker1',
    hostname: 'worker1',
    bgpVersion: 4,
    remoteRouterId: '192.168.1.201',
    localRouterId: '192.168.1.1',
    bgpState: 'Established',
    bgpTimerUpMsec: 7384000,
    bgpTimerUpString: '02:03:04',
    bgpTimerUpEstablishedEpoch: 1700000000,
    bgpTimerLastRead: 3000,
    bgpTimerLastWrite: 3000,
    bgpInUpdateElapsedTimeMsecs: 7380000,
    bgpTimerConfiguredHoldTimeMsecs: 90000,
    bgpTimerConfiguredKeepAliveIntervalMsecs: 30000,
    messageStats: {
      depthInq: 0,
      depthOutq: 0,
      opensSent: 1,
      opensRecv: 1,
      updatesSent: 1,
      updatesRecv: 3,
      keepalivesSent: 246,
      keepalivesRecv: 246,
      totalSent: 248,
      totalRecv: 250,
    },
    minBtwnAdvertisementRunsTimerMsecs: 0,
    addressFamilyInfo: {
      ipv4Unicast: {
        updateGroupId: 1,
        subGroupId: 1,
        packetQueueLength: 0,
        commAttriSentToNbr: 'extendedAndStandard',
        acceptedPrefixCounter: 2,
        sentPrefixCounter: 0,
      },
    },
    connectionsEstablished: 1,
    connectionsDropped: 0,
    lastResetTimerMsecs: 7390000,
    lastResetDueTo: 'Waiting for peer OPEN',
    hostLocal: '192.168.1.1',
    portLocal: 179,
    hostForeign: '192.168.1.201',
    portForeign: 40123,
  },
  '10.9.9.9': {
    remoteAs: 65010,
    localAs: 64512,
    nbrExternalLink: true,
    bgpVersion: 4,
    remoteRouterId: '0.0.0.0',
    localRouterId: '192.168.1.1',
    bgpState: 'Active',
    bgpTimerLastRead: 120000,
    messageStats: { totalSent: 0, totalRecv: 0 },
    addressFamilyInfo: {
      ipv4Unicast: { commAttriSentToNbr: 'extendedAndStandard', acceptedPrefixCounter: 0 },
    },
    connectionsEstablished: 0,
    connectionsDropped: 0,
  },
};

describe('parseBgpNeighbors on FRR JSON', () => {
  it('reads every neighbor keyed by address', () => {
    expect(
      parseBgpNeighbors(`vyos@vyos:~$ show bgp neighbors json\n${JSON.stringify(neighborsJson)}`),
    ).toEqual([
      {
        address: '192.168.1.201',
        remoteAs: 64512,
        localAs: 64512,
        link: 'internal',
        state: 'Established',
        upFor: '02:03:04',
        upSeconds: 7384,
        prefixesAccepted: 2,
        remoteRouterId: '192.168.1.201',
        localRouterId: '192.168.1.1',
        description: 'mbw-worker1',
        hostname: 'worker1',
        msgSent: 248,
        msgRcvd: 250,
        connectionsEstablished: 1,
        connectionsDropped: 0,
      },
      {
        address: '10.9.9.9',
        remoteAs: 65010,
        localAs: 64512,
        link: 'external',
        state: 'Active',
        upFor: null,
        upSeconds: null,
        prefixesAccepted: 0,
        remoteRouterId: '0.0.0.0',
        localRouterId: '192.168.1.1',
        msgSent: 0,
        msgRcvd: 0,
        connectionsEstablished: 0,
        connectionsDropped: 0,
      },
    ]);
  });

  it('falls back to comparing ASNs for the link and skips entries that are not neighbors', () => {
    const json = {
      '10.0.0.1': { remoteAs: 1, localAs: 1, bgpState: 'Connect' },
      vrfName: 'default',
      junk: [1],
    };
    expect(parseBgpNeighbors(JSON.stringify(json))).toEqual([
      {
        address: '10.0.0.1',
        remoteAs: 1,
        localAs: 1,
        link: 'internal',
        state: 'Connect',
        upFor: null,
        upSeconds: null,
        prefixesAccepted: null,
      },
    ]);
  });
});

describe('parseBgpNeighbors on FRR JSON in other wrappings', () => {
  it('finds the JSON after a login banner and reads per-VRF nesting', () => {
    const banner = 'Welcome to VyOS\n{ not json\n';
    const nested = { default: { vrfId: 0, vrfName: 'default', ...neighborsJson } };
    const neighbors = parseBgpNeighbors(banner + JSON.stringify(nested, null, 1));
    expect(neighbors.map((n) => [n.address, n.state, n.prefixesAccepted])).toEqual([
      ['192.168.1.201', 'Established', 2],
      ['10.9.9.9', 'Active', 0],
    ]);
  });
});

describe('parseBgpNeighbors on other text', () => {
  it.each([
    '',
    fixture('edgeos-show-ip-bgp-summary-erlite-ibgp-metallb-readme.txt'),
    fixture('edgeos-show-ip-route-bgp-article.txt'),
    'BGP neighbor is , remote AS x',
    '% No such neighbor',
  ])('gives [] for text %#', (text) => {
    expect(parseBgpNeighbors(text)).toEqual([]);
  });
});

describe('parseBgpNeighbors on summary JSON', () => {
  // Summary peers carry remoteAs (and often localAs) too; read as neighbors they would invent
  // sessions with a guessed link and state `Unknown`.
  const summaryPeer = { remoteAs: 64512, localAs: 64512, msgRcvd: 5, state: 'Established', pfxRcd: 2 };
  const summary = { routerId: '192.168.1.1', as: 64512, peers: { '192.168.1.201': summaryPeer } };

  it.each([
    ['flat, as `show ip bgp summary json` prints it', summary],
    ['flat, peers only', { peers: { '192.168.1.201': { remoteAs: 65001 } } }],
    ['under ipv4Unicast', { ipv4Unicast: summary }],
    ['per VRF', { default: summary }],
    ['per VRF and family', { default: { ipv4Unicast: summary } }],
  ])('gives [] for summary JSON %s', (_name, json) => {
    expect(parseBgpNeighbors(JSON.stringify(json))).toEqual([]);
  });

  it('gives [] for the summary JSON sample', () => {
    expect(parseBgpNeighbors(fixture('frr10-show-bgp-summary-json-nested-demo.txt'))).toEqual([]);
  });

  it('needs bgpState: an entry with only remoteAs is not a neighbor', () => {
    expect(parseBgpNeighbors('{"10.0.0.1": {"remoteAs": 1}}')).toEqual([]);
  });
});
