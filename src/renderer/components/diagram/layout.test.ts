// The diagram's layout: every part of the topology placed once, no two boxes on top of each other,
// and a half-written topology (as the wizard draws it while the user types) drawn without throwing.

import { describe, expect, it } from 'vitest';
import type { Topology } from '../../../shared/topology/index.ts';
import { diagramOf } from './index.ts';

const TOPOLOGY: Topology = {
  router: {
    dialect: 'vyos',
    ssh: { host: '10.0.0.1', port: 22, username: 'vyos' },
    asn: 65000,
    maximumPaths: 8,
    wan: { interface: 'eth0' },
    cluster: { interface: 'eth1', address: '10.0.0.1/24' },
    lan: { interface: 'eth2', address: '10.1.0.1/24' },
  },
  cluster: {
    asn: 65001,
    nodes: [
      { name: 'a', address: '10.0.0.11' },
      { name: 'b', address: '10.0.0.12' },
      { name: 'c', address: '10.0.0.13' },
    ],
    pools: [
      { name: 'web', addresses: ['10.2.0.0/28'] },
      { name: 'db', addresses: ['10.3.0.1-10.3.0.9'] },
    ],
  },
  metallb: { version: 'v0.14.9' },
};

describe('diagramOf', () => {
  it('places the internet, router, both segments, every node and pool, and the LAN clients', () => {
    const picture = diagramOf(TOPOLOGY, { '10.0.0.12': 'Connect' });
    expect(picture.boxes.map((b) => `${b.kind}:${b.title}`)).toEqual([
      'internet:Internet',
      'router:Router 10.0.0.1',
      'segment:Cluster segment',
      'node:a',
      'node:b',
      'node:c',
      'pool:Pool web',
      'pool:Pool db',
      'segment:LAN',
      'clients:LAN clients',
    ]);
    const places = new Set(picture.boxes.map((b) => `${b.x},${b.y}`));
    expect(places.size).toBe(picture.boxes.length);
    expect(picture.boxes.find((b) => b.title === 'b')?.state).toBe('Connect');
    expect(picture.boxes.find((b) => b.title === 'a')?.state).toBeUndefined();
    expect(picture.boxes.find((b) => b.kind === 'router')?.lines).toEqual([
      'VyOS, AS 65000',
      'eth0 WAN',
      'eth1 cluster 10.0.0.1/24',
      'eth2 LAN 10.1.0.1/24',
    ]);
    const ids = new Set(picture.boxes.map((b) => b.id));
    for (const link of picture.links) {
      expect(ids.has(link.source) && ids.has(link.target)).toBe(true);
    }
    expect(picture.links.find((l) => l.label === 'BGP Connect')?.state).toBe('Connect');
    expect(picture.summary).toContain('3 nodes (a 10.0.0.11, b 10.0.0.12 Connect, c 10.0.0.13)');
    expect(picture.summary).toContain('pools web 10.2.0.0/28, db 10.3.0.1-10.3.0.9');
  });

  it('draws a half-written topology without throwing', () => {
    const partial = {
      router: { ssh: { host: '192.168.1.1' }, cluster: { interface: 'eth1' }, lan: {} },
      cluster: { nodes: 'worker1', pools: [{ name: 'p', addresses: '10.9.0.0/30' }, null] },
    } as unknown as Topology;
    const picture = diagramOf(partial);
    expect(picture.boxes.filter((b) => b.kind === 'node')).toHaveLength(0);
    expect(picture.boxes.find((b) => b.title === 'Pool p')?.lines).toEqual([
      '10.9.0.0/30',
      'LoadBalancer IPs',
    ]);
    expect(picture.boxes.find((b) => b.kind === 'router')?.lines).toContain('eth1 cluster ?');
    expect(picture.boxes.some((b) => b.id === 'lan')).toBe(true);
  });

  it('keeps box ids unique when two nodes share an address while the user types', () => {
    const t = {
      ...TOPOLOGY,
      cluster: {
        ...TOPOLOGY.cluster,
        nodes: [
          { name: 'a', address: '10.0.0.11' },
          { name: 'b', address: '10.0.0.11' },
        ],
      },
    };
    const ids = diagramOf(t).boxes.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
