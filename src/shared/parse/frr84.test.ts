// The parsers against real FRR 8.4.4 output (see frr84-captures.test-data.ts for how it was made):
// text and JSON of the same router state must give the same rows.

import { describe, expect, it } from 'vitest';
import {
  FRR84_NEIGHBORS_JSON,
  FRR84_NEIGHBORS_TEXT,
  FRR84_ROUTE_BGP_JSON,
  FRR84_ROUTE_TEXT,
  FRR84_SUMMARY_IPV6_TEXT,
  FRR84_SUMMARY_JSON,
  FRR84_SUMMARY_TEXT,
} from './frr84-captures.test-data.ts';
import { detectOutputFormat, parseBgpNeighbors, parseBgpRoutes, parseBgpSummary } from './index.ts';

const row = (n: {
  address: string;
  remoteAs: number;
  state: string;
  upDown: string;
  prefixesReceived: number | null;
}) => [n.address, n.remoteAs, n.state, n.upDown, n.prefixesReceived];

describe('FRR 8.4 show ip bgp summary', () => {
  it('detects text and JSON', () => {
    expect(detectOutputFormat(FRR84_SUMMARY_TEXT)).toBe('frr');
    expect(detectOutputFormat(FRR84_SUMMARY_JSON)).toBe('frr-json');
  });

  it('reads every text row', () => {
    const summary = parseBgpSummary(FRR84_SUMMARY_TEXT);
    expect(summary.routerId).toBe('10.99.0.1');
    expect(summary.localAs).toBe(64512);
    expect(summary.neighbors.map(row)).toEqual([
      ['10.99.1.2', 64512, 'Established', '00:00:09', 2],
      ['10.99.2.2', 64512, 'Established', '00:00:09', 1],
      ['10.99.3.2', 65010, '(Policy)', '00:00:09', null],
      ['10.99.9.8', 64512, 'Idle (Admin)', 'never', null],
      ['10.99.9.9', 64512, 'Active', 'never', null],
    ]);
    expect(summary.neighbors.map((n) => [n.msgRcvd, n.msgSent, n.prefixesSent, n.description])).toEqual([
      [5, 3, 0, 'mbw-worker1'],
      [4, 3, 0, 'mbw-worker2'],
      [7, 6, undefined, undefined],
      [0, 0, 0, undefined],
      [0, 0, 0, undefined],
    ]);
  });

  it('reads a widened table with an IPv6 neighbor and an empty Desc', () => {
    const summary = parseBgpSummary(FRR84_SUMMARY_IPV6_TEXT);
    expect(summary.neighbors).toHaveLength(6);
    expect(summary.neighbors[5]).toMatchObject({
      address: '2001:db8:ffff:ffff::99',
      remoteAs: 64512,
      state: 'Active',
      upDown: 'never',
      prefixesReceived: null,
      prefixesSent: 0,
    });
    expect(summary.neighbors[5]?.description).toBeUndefined();
  });

  it('gives the same rows from JSON as from text', () => {
    const fromJson = parseBgpSummary(FRR84_SUMMARY_JSON);
    const fromText = parseBgpSummary(FRR84_SUMMARY_TEXT);
    expect(fromJson.routerId).toBe(fromText.routerId);
    expect(fromJson.localAs).toBe(fromText.localAs);
    expect(fromJson.neighbors.map(row)).toEqual(fromText.neighbors.map(row));
    expect(fromJson.neighbors.map((n) => [n.msgRcvd, n.msgSent])).toEqual(
      fromText.neighbors.map((n) => [n.msgRcvd, n.msgSent]),
    );
    expect(fromJson.neighbors.map((n) => [n.upDown, n.upSeconds])).toEqual([
      ['00:00:09', 9],
      ['00:00:09', 9],
      ['00:00:09', 9],
      ['never', null],
      ['never', null],
    ]);
    expect(fromJson.neighbors.map((n) => n.hostname)).toEqual([
      'worker1',
      'worker2',
      'ext',
      undefined,
      undefined,
    ]);
  });
});

describe('FRR 8.4 show ip route', () => {
  const expected = [
    {
      prefix: '10.99.100.1/32',
      nextHops: [
        { address: '10.99.1.2', interface: 'bpv1', age: '00:00:06', weight: 1 },
        { address: '10.99.2.2', interface: 'bpv2', age: '00:00:06', weight: 1 },
      ],
      distance: 200,
      metric: 0,
      selected: true,
      installed: true,
    },
    {
      prefix: '10.99.200.0/24',
      nextHops: [
        { address: '10.99.255.1', interface: null, age: '00:00:06', weight: 1, recursive: true },
        { address: '10.99.1.2', interface: 'bpv1', age: '00:00:06', weight: 1, resolves: '10.99.255.1' },
      ],
      distance: 200,
      metric: 0,
      selected: true,
    },
  ];

  it('reads the B routes of the full table, skipping connected and static ones', () => {
    const routes = parseBgpRoutes(FRR84_ROUTE_TEXT);
    expect(routes).toEqual([expected[0], { ...expected[1], installed: false }]);
  });

  it('reads the same routes from JSON (where FRR counts the recursive route as installed)', () => {
    expect(parseBgpRoutes(FRR84_ROUTE_BGP_JSON)).toEqual([expected[0], { ...expected[1], installed: true }]);
  });
});

describe('FRR 8.4 show ip bgp neighbors', () => {
  const expected = [
    {
      address: '10.99.1.2',
      remoteAs: 64512,
      localAs: 64512,
      link: 'internal',
      state: 'Established',
      upFor: '00:00:10',
      upSeconds: 10,
      prefixesAccepted: 2,
      remoteRouterId: '10.99.1.2',
      localRouterId: '10.99.0.1',
      description: 'mbw-worker1',
      hostname: 'worker1',
      msgSent: 3,
      msgRcvd: 5,
      connectionsEstablished: 1,
      connectionsDropped: 0,
    },
    {
      address: '10.99.9.8',
      remoteAs: 64512,
      localAs: 64512,
      link: 'internal',
      state: 'Idle',
      upFor: null,
      upSeconds: null,
      prefixesAccepted: 0,
      remoteRouterId: '0.0.0.0',
      localRouterId: '10.99.0.1',
      adminShutdown: true,
      msgSent: 0,
      msgRcvd: 0,
      connectionsEstablished: 0,
      connectionsDropped: 0,
    },
  ];

  it('reads text blocks', () => {
    expect(detectOutputFormat(FRR84_NEIGHBORS_TEXT)).toBe('frr');
    expect(parseBgpNeighbors(FRR84_NEIGHBORS_TEXT)).toEqual(expected);
  });

  it('reads the same neighbors from JSON', () => {
    expect(detectOutputFormat(FRR84_NEIGHBORS_JSON)).toBe('frr-json');
    expect(parseBgpNeighbors(FRR84_NEIGHBORS_JSON)).toEqual(expected);
  });
});
