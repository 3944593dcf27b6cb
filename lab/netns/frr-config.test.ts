import { describe, expect, it } from 'vitest';
import {
  asHostPrefix,
  instanceChanges,
  instanceLines,
  negation,
  routerInstance,
  speakerInstance,
} from './frr-config.ts';
import type { BgpConfig } from '../router/index.ts';

const base: BgpConfig = {
  localAs: 64512,
  routerId: '10.77.1.1',
  neighbors: [
    { address: '10.77.1.11', remoteAs: 64512, description: 'worker1' },
    { address: '10.77.1.12', remoteAs: 64512 },
  ],
  maximumPathsIbgp: 32,
};

describe('routerInstance', () => {
  it('renders EdgeOS intent as FRR lines, with no eBGP policy requirement and a short connect timer', () => {
    const lines = instanceLines(routerInstance(base)!);
    expect(lines).toEqual([
      'router bgp 64512',
      'bgp router-id 10.77.1.1',
      'no bgp ebgp-requires-policy',
      'neighbor 10.77.1.11 remote-as 64512',
      'neighbor 10.77.1.11 description worker1',
      'neighbor 10.77.1.11 timers connect 5',
      'neighbor 10.77.1.12 remote-as 64512',
      'neighbor 10.77.1.12 timers connect 5',
      'address-family ipv4 unicast',
      'maximum-paths ibgp 32',
      'exit-address-family',
      'exit',
    ]);
  });

  it('renders password, timers, multihop, update-source, shutdown and eBGP multipath', () => {
    const lines = instanceLines(
      routerInstance({
        localAs: 64512,
        neighbors: [
          {
            address: '10.0.0.2',
            remoteAs: 64513,
            password: 's3cret',
            keepalive: 10,
            holdtime: 30,
            ebgpMultihop: 2,
            updateSource: 'eth1',
            shutdown: true,
          },
        ],
        maximumPathsEbgp: 8,
      })!,
    );
    expect(lines).toContain('neighbor 10.0.0.2 password s3cret');
    expect(lines).toContain('neighbor 10.0.0.2 timers 10 30');
    expect(lines).toContain('neighbor 10.0.0.2 ebgp-multihop 2');
    expect(lines).toContain('neighbor 10.0.0.2 update-source eth1');
    expect(lines).toContain('neighbor 10.0.0.2 shutdown');
    expect(lines).toContain('maximum-paths 8');
    expect(lines.some((l) => l.startsWith('bgp router-id'))).toBe(false);
  });

  it('keeps VyOS remote-as internal/external as FRR keywords', () => {
    const instance = routerInstance({
      localAs: 64512,
      neighbors: [
        { address: '10.0.0.2', remoteAs: 64512, remoteAsMode: 'internal' },
        { address: '10.0.0.3', remoteAs: 0, remoteAsMode: 'external' },
      ],
    })!;
    expect(instance.neighbors.get('10.0.0.2')?.[0]).toBe('neighbor 10.0.0.2 remote-as internal');
    expect(instance.neighbors.get('10.0.0.3')?.[0]).toBe('neighbor 10.0.0.3 remote-as external');
  });

  it('is null without BGP config', () => {
    expect(routerInstance(null)).toBeNull();
  });
});

describe('speakerInstance', () => {
  it('renders a MetalLB speaker: router-id = node address, import-check off, one network per announcement', () => {
    const lines = instanceLines(
      speakerInstance({
        node: 'worker1',
        address: '10.77.1.11',
        peers: [
          { peerAddress: '10.77.1.1', peerAsn: 64512, myAsn: 64512, password: 'pw', holdTimeSeconds: 90 },
        ],
        announcements: ['10.77.100.33/32', '10.77.100.34', '10.77.100.33/32'],
      })!,
    );
    expect(lines).toEqual([
      'router bgp 64512',
      'bgp router-id 10.77.1.11',
      'no bgp ebgp-requires-policy',
      'no bgp network import-check',
      'neighbor 10.77.1.1 remote-as 64512',
      'neighbor 10.77.1.1 password pw',
      'neighbor 10.77.1.1 timers 30 90',
      'neighbor 10.77.1.1 timers connect 5',
      'address-family ipv4 unicast',
      'network 10.77.100.33/32',
      'network 10.77.100.34/32',
      'exit-address-family',
      'exit',
    ]);
  });

  it('is null for a node with no peer (MetalLB absent or speaker not selected)', () => {
    expect(
      speakerInstance({ node: 'w', address: '10.0.0.1', peers: [], announcements: ['10.1.1.1/32'] }),
    ).toBeNull();
  });

  it('uses local-as for a second peer with another myAsn and sets a non-default port', () => {
    const instance = speakerInstance({
      node: 'w',
      address: '10.0.0.1',
      peers: [
        { peerAddress: '10.0.0.254', peerAsn: 65000, myAsn: 64512 },
        { peerAddress: '10.0.0.253', peerAsn: 65000, myAsn: 64600, peerPort: 1179 },
      ],
      announcements: [],
    })!;
    expect(instance.asn).toBe(64512);
    expect(instance.neighbors.get('10.0.0.253')).toContain(
      'neighbor 10.0.0.253 local-as 64600 no-prepend replace-as',
    );
    expect(instance.neighbors.get('10.0.0.253')).toContain('neighbor 10.0.0.253 port 1179');
    expect(instanceLines(instance)).not.toContain('address-family ipv4 unicast');
  });
});

describe('instanceChanges', () => {
  it('changes nothing for an identical config, so no session is touched', () => {
    expect(instanceChanges(routerInstance(base), routerInstance(structuredClone(base)))).toEqual([]);
  });

  it('creates everything from nothing and removes the instance to nothing', () => {
    expect(instanceChanges(null, routerInstance(base))).toEqual(instanceLines(routerInstance(base)!));
    expect(instanceChanges(routerInstance(base), null)).toEqual(['no router bgp 64512']);
    expect(instanceChanges(null, null)).toEqual([]);
  });

  it('replaces the instance when the local ASN changes', () => {
    const changes = instanceChanges(routerInstance(base), routerInstance({ ...base, localAs: 65000 }));
    expect(changes[0]).toBe('no router bgp 64512');
    expect(changes[1]).toBe('router bgp 65000');
  });

  it('adds one neighbor without touching the others', () => {
    const next = { ...base, neighbors: [...base.neighbors, { address: '10.77.1.13', remoteAs: 64512 }] };
    expect(instanceChanges(routerInstance(base), routerInstance(next))).toEqual([
      'router bgp 64512',
      'neighbor 10.77.1.13 remote-as 64512',
      'neighbor 10.77.1.13 timers connect 5',
      'exit',
    ]);
  });

  it('removes a neighbor with one line, and re-creates one whose remote-as changed', () => {
    const next = { ...base, neighbors: [{ address: '10.77.1.11', remoteAs: 65001, description: 'worker1' }] };
    expect(instanceChanges(routerInstance(base), routerInstance(next))).toEqual([
      'router bgp 64512',
      'no neighbor 10.77.1.11',
      'no neighbor 10.77.1.12',
      'neighbor 10.77.1.11 remote-as 65001',
      'neighbor 10.77.1.11 description worker1',
      'neighbor 10.77.1.11 timers connect 5',
      'exit',
    ]);
  });

  it('edits single options, router-id and maximum-paths in place', () => {
    const next: BgpConfig = {
      ...base,
      routerId: '10.77.2.1',
      neighbors: [{ address: '10.77.1.11', remoteAs: 64512, description: 'w1' }, base.neighbors[1]!],
      maximumPathsIbgp: 4,
    };
    expect(instanceChanges(routerInstance(base), routerInstance(next))).toEqual([
      'router bgp 64512',
      'no bgp router-id 10.77.1.1',
      'bgp router-id 10.77.2.1',
      'no neighbor 10.77.1.11 description worker1',
      'neighbor 10.77.1.11 description w1',
      'address-family ipv4 unicast',
      'no maximum-paths ibgp 32',
      'maximum-paths ibgp 4',
      'exit-address-family',
      'exit',
    ]);
  });

  it('withdraws and adds announcements on a speaker', () => {
    const speaker = {
      node: 'w',
      address: '10.0.0.1',
      peers: [{ peerAddress: '10.0.0.254', peerAsn: 64512, myAsn: 64512 }],
    };
    const before = speakerInstance({ ...speaker, announcements: ['10.9.0.1/32'] });
    const after = speakerInstance({ ...speaker, announcements: ['10.9.0.2/32'] });
    expect(instanceChanges(before, after)).toEqual([
      'router bgp 64512',
      'address-family ipv4 unicast',
      'no network 10.9.0.1/32',
      'network 10.9.0.2/32',
      'exit-address-family',
      'exit',
    ]);
  });
});

describe('helpers', () => {
  it('negates lines both ways and completes host prefixes', () => {
    expect(negation('no bgp ebgp-requires-policy')).toBe('bgp ebgp-requires-policy');
    expect(negation('neighbor 1.1.1.1 shutdown')).toBe('no neighbor 1.1.1.1 shutdown');
    expect(asHostPrefix('10.0.0.1')).toBe('10.0.0.1/32');
    expect(asHostPrefix('10.0.0.1/32')).toBe('10.0.0.1/32');
  });
});
