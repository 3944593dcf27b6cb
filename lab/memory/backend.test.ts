import { afterEach, describe, expect, it } from 'vitest';
import type { BgpConfig, BgpNeighborConfig, BgpStatus, NeighborStatus } from '../router/index.ts';
import type { ClusterBgpView, SpeakerPeer } from '../speakers/types.ts';
import { labSpec } from '../spec.ts';
import type { HashPolicy, MemoryBackend } from './backend.ts';
import { createMemoryBackend } from './backend.ts';
import { nextHopIndex } from './ecmp.ts';

const spec = labSpec('memt');
const ROUTER_ADDRESS = spec.cluster.address.split('/')[0] ?? '';
const SERVICE_IP = '10.77.100.33';
const interfaces = [
  { name: spec.wan.interface, address: spec.wan.address },
  { name: spec.cluster.interface, address: spec.cluster.address },
  { name: spec.lan.interface, address: spec.lan.address },
];

/** A clock the tests move by hand, so session timing is exact. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

function routerConfig(over: Partial<BgpConfig> = {}, neighbor: Partial<BgpNeighborConfig> = {}): BgpConfig {
  return {
    localAs: spec.routerAsn,
    routerId: ROUTER_ADDRESS,
    neighbors: spec.nodes.map((n) => ({ address: n.address, remoteAs: spec.clusterAsn, ...neighbor })),
    maximumPathsIbgp: 32,
    ...over,
  };
}

/** What MetalLB's speakers do when every node peers with the router and announces `announcing`. */
function clusterView(
  peer: Partial<SpeakerPeer> = {},
  announcing: string[] = spec.nodes.map((n) => n.name),
  serviceIp = SERVICE_IP,
): ClusterBgpView {
  return {
    speakers: spec.nodes.map((n) => ({
      node: n.name,
      address: n.address,
      peers: [{ peerAddress: ROUTER_ADDRESS, peerAsn: spec.routerAsn, myAsn: spec.clusterAsn, ...peer }],
      announcements: announcing.includes(n.name) ? [`${serviceIp}/32`] : [],
    })),
    services: [{ namespace: 'default', name: 'web', ip: serviceIp, nodes: announcing }],
  };
}

const open: MemoryBackend[] = [];
async function backend(
  opts: { sessionDelayMs?: number; now?: () => number; hashPolicy?: HashPolicy } = {},
): Promise<MemoryBackend> {
  const b = await createMemoryBackend({
    routerInterfaces: interfaces,
    nodes: spec.nodes,
    sessionDelayMs: 0,
    ...opts,
  });
  open.push(b);
  return b;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close()));
});

async function statusOf(b: MemoryBackend): Promise<BgpStatus> {
  const status = await b.bgpStatus();
  if (!status) throw new Error('expected BGP status, got null');
  return status;
}

function states(status: BgpStatus): string[] {
  return status.neighbors.map((n) => n.state);
}

function neighbor(status: BgpStatus, address: string): NeighborStatus {
  const found = status.neighbors.find((n) => n.address === address);
  if (!found) throw new Error(`no neighbor ${address}`);
  return found;
}

function nodeOf(body: string): string {
  return (JSON.parse(body) as { node: string }).node;
}

describe('memory backend sessions', () => {
  it('reports no status while the router has no BGP config', async () => {
    const b = await backend();
    await b.setClusterView(clusterView());
    expect(await b.bgpStatus()).toBeNull();
  });

  it('brings every session up when both ends agree, and installs the announced /32', async () => {
    const b = await backend();
    await b.applyBgpConfig(routerConfig());
    await b.setClusterView(clusterView());
    const status = await statusOf(b);
    expect(states(status)).toEqual(['Established', 'Established', 'Established']);
    expect(status.neighbors.map((n) => n.prefixesReceived)).toEqual([1, 1, 1]);
    expect(status.neighbors[0]?.remoteRouterId).toBe(spec.nodes[0]?.address);
    expect(status.routerId).toBe(ROUTER_ADDRESS);
    expect(status.routes).toHaveLength(1);
    expect(status.routes[0]?.prefix).toBe(`${SERVICE_IP}/32`);
    expect(status.routes[0]?.nextHops.map((h) => `${h.address}@${h.interface}`)).toEqual(
      spec.nodes.map((n) => `${n.address}@eth1`),
    );
  });

  it('leaves neighbors Active, never up, when no speaker runs', async () => {
    const b = await backend();
    await b.applyBgpConfig(routerConfig());
    const status = await statusOf(b);
    expect(states(status)).toEqual(['Active', 'Active', 'Active']);
    expect(status.neighbors.every((n) => n.upSeconds === null && n.prefixesReceived === null)).toBe(true);
    expect(status.neighbors.every((n) => n.msgRcvd === 0)).toBe(true);
    expect(status.routes).toEqual([]);
  });

  it('answers a router remote-as mismatch with Idle after the NOTIFICATION, then Active', async () => {
    const clock = manualClock();
    const b = await backend({ now: clock.now });
    await b.applyBgpConfig(routerConfig({}, { remoteAs: 65000 }));
    await b.setClusterView(clusterView());
    expect(states(await statusOf(b))).toEqual(['Idle', 'Idle', 'Idle']);
    clock.advance(5_000);
    const later = await statusOf(b);
    expect(states(later)).toEqual(['Active', 'Active', 'Active']);
    expect(later.routes).toEqual([]);
    // The speaker's OPENs did arrive: the counters show the failed attempts.
    clock.advance(20_000);
    expect(neighbor(await statusOf(b), spec.nodes[0]?.address ?? '').msgRcvd).toBeGreaterThanOrEqual(3);
  });

  it('refuses the session when the speaker expects another router ASN', async () => {
    const b = await backend();
    await b.applyBgpConfig(routerConfig());
    await b.setClusterView(clusterView({ peerAsn: 65001 }));
    const status = await statusOf(b);
    expect(status.neighbors.every((n) => n.state === 'Idle' || n.state === 'Active')).toBe(true);
    expect(status.neighbors.some((n) => n.state === 'Established')).toBe(false);
  });

  it('keeps Active with no messages when the MD5 passwords differ, and comes up when they match', async () => {
    const b = await backend();
    await b.applyBgpConfig(routerConfig({}, { password: 'router-secret' }));
    await b.setClusterView(clusterView({ password: 'other' }));
    const refused = await statusOf(b);
    expect(states(refused)).toEqual(['Active', 'Active', 'Active']);
    expect(refused.neighbors.every((n) => n.msgRcvd === 0)).toBe(true);
    await b.setClusterView(clusterView({ password: 'router-secret' }));
    expect(states(await statusOf(b))).toEqual(['Established', 'Established', 'Established']);
  });

  it('shows Idle (Admin) for a shut-down neighbor even when the speaker agrees', async () => {
    const b = await backend();
    const config = routerConfig();
    const first = config.neighbors[0];
    if (first) first.shutdown = true;
    await b.applyBgpConfig(config);
    await b.setClusterView(clusterView());
    expect(states(await statusOf(b))).toEqual(['Idle (Admin)', 'Established', 'Established']);
  });

  it('stays Active when the speaker dials an address that is not the router', async () => {
    const b = await backend();
    await b.applyBgpConfig(routerConfig());
    await b.setClusterView(clusterView({ peerAddress: '10.77.1.254' }));
    expect(states(await statusOf(b))).toEqual(['Active', 'Active', 'Active']);
  });

  it('takes sessionDelayMs to reach Established, then counts uptime and keepalives', async () => {
    const clock = manualClock();
    const b = await backend({ sessionDelayMs: 1500, now: clock.now });
    await b.applyBgpConfig(routerConfig());
    await b.setClusterView(clusterView());
    const early = await statusOf(b);
    expect(early.neighbors.some((n) => n.state === 'Established')).toBe(false);
    expect(early.routes).toEqual([]);
    clock.advance(1500);
    const up = await statusOf(b);
    expect(states(up)).toEqual(['Established', 'Established', 'Established']);
    const before = neighbor(up, spec.nodes[0]?.address ?? '');
    expect(before.upSeconds).toBe(0);
    clock.advance(95_000);
    const after = neighbor(await statusOf(b), spec.nodes[0]?.address ?? '');
    expect(after.upSeconds).toBe(95);
    // Negotiated hold 90 s (MetalLB) → keepalive every 30 s: three more each way.
    expect(after.msgRcvd - before.msgRcvd).toBe(3);
    expect(after.msgSent - before.msgSent).toBe(3);
  });

  it('passes through Connect and OpenSent while the session comes up', async () => {
    const clock = manualClock();
    const b = await backend({ sessionDelayMs: 1000, now: clock.now });
    await b.applyBgpConfig(routerConfig());
    await b.setClusterView(clusterView());
    expect(states(await statusOf(b))[0]).toBe('Connect');
    clock.advance(600);
    expect(states(await statusOf(b))[0]).toBe('OpenSent');
    clock.advance(400);
    expect(states(await statusOf(b))[0]).toBe('Established');
  });

  it('drops a session when the speaker goes away, keeping counters and timing the down period', async () => {
    const clock = manualClock();
    const b = await backend({ now: clock.now });
    await b.applyBgpConfig(routerConfig());
    await b.setClusterView(clusterView());
    clock.advance(10_000);
    const upCount = neighbor(await statusOf(b), spec.nodes[0]?.address ?? '').msgRcvd;
    await b.setClusterView({ speakers: [], services: [] });
    clock.advance(7_000);
    const down = await statusOf(b);
    const first = neighbor(down, spec.nodes[0]?.address ?? '');
    expect(first.state).toBe('Active');
    expect(first.upSeconds).toBe(7);
    expect(first.msgRcvd).toBe(upCount);
    expect(down.routes).toEqual([]);
  });

  it('does not reset an Established session when the same config is applied again', async () => {
    const clock = manualClock();
    const b = await backend({ now: clock.now });
    await b.applyBgpConfig(routerConfig());
    await b.setClusterView(clusterView());
    clock.advance(30_000);
    await b.applyBgpConfig(routerConfig());
    expect(neighbor(await statusOf(b), spec.nodes[1]?.address ?? '').upSeconds).toBe(30);
  });

  it('counts UPDATEs as announcements change', async () => {
    const b = await backend();
    await b.applyBgpConfig(routerConfig());
    await b.setClusterView(clusterView());
    const before = neighbor(await statusOf(b), spec.nodes[0]?.address ?? '');
    await b.setClusterView(clusterView({}, undefined, '10.77.100.40'));
    const after = neighbor(await statusOf(b), spec.nodes[0]?.address ?? '');
    // One withdrawal and one new prefix.
    expect(after.msgRcvd - before.msgRcvd).toBe(2);
    expect(after.prefixesReceived).toBe(1);
  });
});

describe('memory backend routes', () => {
  async function nextHopsWith(config: BgpConfig, view: ClusterBgpView = clusterView()): Promise<string[]> {
    const b = await backend();
    await b.applyBgpConfig(config);
    await b.setClusterView(view);
    return (await statusOf(b)).routes[0]?.nextHops.map((h) => h.address) ?? [];
  }

  it('installs a single next hop when maximum-paths is unset', async () => {
    const hops = await nextHopsWith(routerConfig({ maximumPathsIbgp: undefined }));
    expect(hops).toEqual([spec.nodes[0]?.address]);
  });

  it('limits iBGP ECMP next hops to maximum-paths ibgp', async () => {
    expect(await nextHopsWith(routerConfig({ maximumPathsIbgp: 2 }))).toHaveLength(2);
  });

  it('uses maximum-paths ebgp, not ibgp, when the cluster has its own ASN', async () => {
    const ebgpView = clusterView({ myAsn: 64513 });
    const ebgp = (over: Partial<BgpConfig>): BgpConfig => routerConfig(over, { remoteAs: 64513 });
    expect(await nextHopsWith(ebgp({ maximumPathsIbgp: 32 }), ebgpView)).toHaveLength(1);
    expect(
      await nextHopsWith(ebgp({ maximumPathsIbgp: undefined, maximumPathsEbgp: 32 }), ebgpView),
    ).toHaveLength(3);
  });

  it('accepts VyOS `remote-as external` for a cluster with its own ASN, and `internal` only for the same ASN', async () => {
    const external: Partial<BgpNeighborConfig> = { remoteAs: 0, remoteAsMode: 'external' };
    const ebgpView = clusterView({ myAsn: 64513 });
    expect(await nextHopsWith(routerConfig({ maximumPathsEbgp: 32 }, external), ebgpView)).toHaveLength(3);
    const b = await backend();
    await b.applyBgpConfig(routerConfig({}, { remoteAs: spec.routerAsn, remoteAsMode: 'internal' }));
    await b.setClusterView(ebgpView);
    expect((await statusOf(b)).neighbors.some((n) => n.state === 'Established')).toBe(false);
  });

  it('does not share an eBGP route between neighbors in different ASes', async () => {
    const view = clusterView({ myAsn: 64513 });
    const second = view.speakers[1]?.peers[0];
    if (second) second.myAsn = 64514;
    const config = routerConfig({ maximumPathsEbgp: 32 }, { remoteAs: 64513 });
    const middle = config.neighbors[1];
    if (middle) middle.remoteAs = 64514;
    expect(await nextHopsWith(config, view)).toEqual([spec.nodes[0]?.address, spec.nodes[2]?.address]);
  });

  it('with externalTrafficPolicy Local, routes only to the nodes that announce', async () => {
    const hops = await nextHopsWith(routerConfig(), clusterView({}, ['worker2', 'worker3']));
    expect(hops).toEqual([spec.nodes[1]?.address, spec.nodes[2]?.address]);
  });

  it('withdraws a next hop when its speaker stops announcing', async () => {
    const b = await backend();
    await b.applyBgpConfig(routerConfig());
    await b.setClusterView(clusterView());
    expect((await statusOf(b)).routes[0]?.nextHops).toHaveLength(3);
    await b.setClusterView(clusterView({}, ['worker1']));
    expect((await statusOf(b)).routes[0]?.nextHops.map((h) => h.address)).toEqual([spec.nodes[0]?.address]);
  });
});

describe('memory backend curl', () => {
  async function readyBackend(
    view: ClusterBgpView = clusterView(),
    hashPolicy?: HashPolicy,
  ): Promise<MemoryBackend> {
    const b = await backend(hashPolicy === undefined ? {} : { hashPolicy });
    await b.applyBgpConfig(routerConfig());
    await b.setClusterView(view);
    return b;
  }

  it('spreads 20 requests over at least two nodes with real HTTP answers', async () => {
    const b = await readyBackend();
    const nodes = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const result = await b.curl({ url: `http://${SERVICE_IP}/hostname`, timeoutMs: 2000 });
      expect(result.exitCode, result.error).toBe(0);
      expect(result.status).toBe(200);
      expect(result.remoteIp).toBe(SERVICE_IP);
      const node = nodeOf(result.body);
      expect(result.headers?.['x-node']).toBe(node);
      nodes.add(node);
    }
    expect(nodes.size).toBeGreaterThanOrEqual(2);
  });

  async function nodesAnswering(b: MemoryBackend, url: string, requests: number): Promise<string[]> {
    const nodes: string[] = [];
    for (let i = 0; i < requests; i++) {
      const result = await b.curl({ url, timeoutMs: 2000 });
      expect(result.exitCode, result.error).toBe(0);
      nodes.push(nodeOf(result.body));
    }
    return nodes;
  }

  it("with hashPolicy 'addresses-ports' (Linux policy 1) spreads one client's requests by source port", async () => {
    const b = await readyBackend(clusterView(), 'addresses-ports');
    const nodes = await nodesAnswering(b, `http://${SERVICE_IP}/hostname`, 20);
    expect(new Set(nodes).size).toBeGreaterThanOrEqual(2);
  });

  it("with hashPolicy 'addresses' (Linux policy 0) sends every request to one Service IP to the same node", async () => {
    const b = await readyBackend(clusterView(), 'addresses');
    const nodes = await nodesAnswering(b, `http://${SERVICE_IP}/hostname`, 20);
    expect(new Set(nodes).size, nodes.join(',')).toBe(1);
    // Other ports to the same address hash the same way too.
    expect(await nodesAnswering(b, `http://${SERVICE_IP}:80/`, 3)).toEqual([nodes[0], nodes[0], nodes[0]]);
  });

  it("with hashPolicy 'addresses' spreads different Service IPs over the nodes", async () => {
    const ips = Array.from({ length: 12 }, (_, i) => `10.77.100.${33 + i}`);
    const view: ClusterBgpView = {
      speakers: spec.nodes.map((n) => ({
        node: n.name,
        address: n.address,
        peers: [{ peerAddress: ROUTER_ADDRESS, peerAsn: spec.routerAsn, myAsn: spec.clusterAsn }],
        announcements: ips.map((ip) => `${ip}/32`),
      })),
      services: ips.map((ip, i) => ({
        namespace: 'default',
        name: `web${i}`,
        ip,
        nodes: spec.nodes.map((n) => n.name),
      })),
    };
    const b = await readyBackend(view, 'addresses');
    const firstNodes = new Set<string>();
    for (const ip of ips) firstNodes.add((await nodesAnswering(b, `http://${ip}/`, 1))[0] ?? '');
    expect(firstNodes.size).toBeGreaterThanOrEqual(2);
  });

  it('refuses an unknown hash policy, naming it', async () => {
    await expect(
      createMemoryBackend({
        routerInterfaces: interfaces,
        nodes: spec.nodes,
        hashPolicy: 'ports' as HashPolicy,
      }),
    ).rejects.toThrow(/hashPolicy "ports" is unknown; use addresses or addresses-ports/);
  });

  it('reaches only the announcing node under Local policy', async () => {
    const b = await readyBackend(clusterView({}, ['worker3']));
    for (let i = 0; i < 5; i++) {
      const result = await b.curl({ url: SERVICE_IP, timeoutMs: 2000 });
      expect(result.exitCode, result.error).toBe(0);
      expect(nodeOf(result.body)).toBe('worker3');
    }
  });

  it('fails with exit 7 when there is no route to the Service IP', async () => {
    const b = await readyBackend();
    const result = await b.curl({ url: 'http://10.77.100.50/', timeoutMs: 2000 });
    expect(result.exitCode).toBe(7);
    expect(result.error).toMatch(/No route to host/);
  });

  it('fails with exit 7 before the sessions are up, though the speakers announce', async () => {
    const b = await backend();
    await b.setClusterView(clusterView());
    expect((await b.curl({ url: `http://${SERVICE_IP}/`, timeoutMs: 2000 })).exitCode).toBe(7);
  });

  it('times out with exit 28 when the node answers too slowly', async () => {
    const b = await readyBackend();
    for (const node of spec.nodes) b.setEchoDelay(node.name, 3000);
    const result = await b.curl({ url: `http://${SERVICE_IP}/`, timeoutMs: 200 });
    expect(result.exitCode).toBe(28);
    expect(result.error).toMatch(/timed out/);
  });

  it('fails with exit 6 for a name and exit 3 for a malformed URL', async () => {
    const b = await readyBackend();
    expect((await b.curl({ url: 'http://web.example/', timeoutMs: 500 })).exitCode).toBe(6);
    expect((await b.curl({ url: 'http://[bad', timeoutMs: 500 })).exitCode).toBe(3);
  });
});

describe('memory backend input checks', () => {
  it('names the interface whose address is not a CIDR', async () => {
    await expect(
      createMemoryBackend({ routerInterfaces: [{ name: 'eth1', address: '10.77.1.1' }], nodes: [] }),
    ).rejects.toThrow(/eth1.*not an IPv4 CIDR/);
  });

  it('names the node whose address is invalid', async () => {
    await expect(
      createMemoryBackend({ routerInterfaces: interfaces, nodes: [{ name: 'worker9', address: 'nope' }] }),
    ).rejects.toThrow(/worker9/);
  });
});

describe('ECMP flow hash', () => {
  const flow = {
    sourceAddress: '10.77.1.1',
    sourcePort: 40000,
    destinationAddress: SERVICE_IP,
    destinationPort: 80,
    protocol: 6,
  };

  it('keeps one flow on one path', () => {
    expect(nextHopIndex(flow, 3)).toBe(nextHopIndex({ ...flow }, 3));
  });

  it('spreads source ports over every path', () => {
    const used = new Set<number>();
    for (let port = 40000; port < 40100; port++) used.add(nextHopIndex({ ...flow, sourcePort: port }, 3));
    expect([...used].sort()).toEqual([0, 1, 2]);
  });

  it("ignores ports under the 'addresses' policy, and spreads destinations", () => {
    const paths = new Set<number>();
    for (let port = 40000; port < 40100; port++)
      paths.add(nextHopIndex({ ...flow, sourcePort: port, destinationPort: port }, 3, 'addresses'));
    expect(paths.size).toBe(1);
    const byDestination = new Set<number>();
    for (let last = 1; last < 100; last++)
      byDestination.add(nextHopIndex({ ...flow, destinationAddress: `10.77.100.${last}` }, 3, 'addresses'));
    expect([...byDestination].sort()).toEqual([0, 1, 2]);
  });

  it('has no path to pick when there are no next hops', () => {
    expect(nextHopIndex(flow, 0)).toBe(-1);
  });
});
