// The real backend end to end: namespaces, FRR on the router and three nodes, echo servers, kernel
// ECMP, and the same-segment caveat. Needs root and FRR; skips with the reason otherwise.
// The vty socket protocol the status reads speak is also checked without root, against a socket
// that answers the way FRR's daemons do.

import { processAlive } from './run.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { labSpec } from '../spec.ts';
import type { BgpConfig } from '../router/index.ts';
import type { ClusterBgpView } from '../speakers/types.ts';
import { labUp, listNamespaces, removeLab, type LabNamespaces } from './topology.ts';
import { FrrBackend, curlInNamespace, startLabFrr } from './frr-backend.ts';
import { vtyShow, vtysh, vtyshJson, type FrrInstance } from './frr.ts';
import { spawnEchoServer } from './echo.ts';
import { mustRun } from './run.ts';
import { eventually, realLabSkipReason } from './testing.ts';

const skipReason = await realLabSkipReason();
if (skipReason) console.warn(`lab/netns/frr-backend.test.ts skipped: ${skipReason}`);

const spec = labSpec('tfb');
const OUTSIDE_IP = '10.77.100.33'; // from the lab pool 10.77.100.32/27, outside every connected subnet
const INSIDE_IP = '10.77.1.200'; // inside the cluster subnet 10.77.1.0/24: the same-segment caveat

const routerConfig: BgpConfig = {
  localAs: spec.routerAsn,
  routerId: '10.77.1.1',
  neighbors: spec.nodes.map((node) => ({
    address: node.address,
    remoteAs: spec.clusterAsn,
    description: node.name,
  })),
  maximumPathsIbgp: 32,
};

function clusterView(announcements: string[]): ClusterBgpView {
  return {
    speakers: spec.nodes.map((node) => ({
      node: node.name,
      address: node.address,
      peers: [{ peerAddress: '10.77.1.1', peerAsn: spec.routerAsn, myAsn: spec.clusterAsn }],
      announcements,
    })),
    services: announcements.map((ip, i) => ({
      namespace: 'default',
      name: `svc${i}`,
      ip,
      nodes: spec.nodes.map((n) => n.name),
    })),
  };
}

async function nodesReached(namespace: string, ip: string, requests: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  // Separate curl runs: each one is a new connection with a new source port, hashed afresh.
  for (let i = 0; i < requests; i++) {
    const result = await curlInNamespace(namespace, { url: `http://${ip}/`, timeoutMs: 3_000 });
    expect(result.exitCode, `curl ${i + 1} from ${namespace} to ${ip}: ${result.error ?? ''}`).toBe(0);
    const node = result.headers?.['x-node'] ?? 'none';
    counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  return counts;
}

/** An answer as FRR's daemons send it to vtysh: the text, three NULs, the command's status byte. */
function vtyAnswer(text: string, status: number): Buffer {
  return Buffer.concat([Buffer.from(text), Buffer.from([0, 0, 0, status])]);
}

/**
 * A bgpd.vty socket answering as FRR's bgpd does, from `answers` (command → text and status); long
 * answers go out in pieces, with the end marker split across two writes as a busy daemon may send it.
 */
async function fakeDaemon(
  dir: string,
  answers: Record<string, { text: string; status: number } | 'hang-up'>,
): Promise<{ received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const server = net.createServer((socket) => {
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let end = pending.indexOf('\0'); end >= 0; end = pending.indexOf('\0')) {
        const command = pending.slice(0, end);
        pending = pending.slice(end + 1);
        received.push(command);
        const answer = answers[command] ?? { text: `% [BGP] Unknown command: ${command}\n`, status: 2 };
        if (answer === 'hang-up') {
          socket.destroy();
          return;
        }
        const bytes = vtyAnswer(answer.text, answer.status);
        const cut = bytes.length - 2;
        for (let at = 0; at < cut; at += 4096) socket.write(bytes.subarray(at, Math.min(at + 4096, cut)));
        setTimeout(() => socket.write(bytes.subarray(cut)), 5);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path.join(dir, 'bgpd.vty'), resolve));
  return { received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('vtyShow (the vty socket protocol, against a socket answering as bgpd does)', () => {
  let dir = '';
  const instance = (): FrrInstance => ({ namespace: 'mbwfake-rtr', name: 'mbwfake-rtr', dir });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mbw-vty-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('enters enable mode, then returns each answer in order, however the daemon splits it', async () => {
    const big = JSON.stringify({ peers: Array.from({ length: 3000 }, (_, i) => ({ i, state: 'Idle' })) });
    const daemon = await fakeDaemon(dir, {
      enable: { text: '', status: 0 },
      'show bgp summary json': { text: '{}\n', status: 1 }, // CMD_WARNING: bgpd without BGP
      'show bgp neighbors json': { text: `${big}\n`, status: 0 },
    });
    try {
      const outputs = await vtyShow(instance(), 'bgpd', ['show bgp summary json', 'show bgp neighbors json']);
      expect(daemon.received).toEqual(['enable', 'show bgp summary json', 'show bgp neighbors json']);
      expect(outputs).toHaveLength(2);
      expect(outputs[0]).toBe('{}\n');
      expect(big.length).toBeGreaterThan(4096 * 10);
      expect(outputs[1]).toBe(`${big}\n`);
    } finally {
      await daemon.close();
    }
  });

  it("refuses with FRR's own message when the daemon rejects a command, and sends nothing after it", async () => {
    const daemon = await fakeDaemon(dir, { enable: { text: '', status: 0 } });
    try {
      await expect(
        vtyShow(instance(), 'bgpd', ['show ip route bgp json', 'show bgp summary json']),
      ).rejects.toThrow(
        'bgpd in mbwfake-rtr refused "show ip route bgp json": % [BGP] Unknown command: show ip route bgp json',
      );
      expect(daemon.received).toEqual(['enable', 'show ip route bgp json']);
    } finally {
      await daemon.close();
    }
  });

  it('names the socket when the daemon is gone or hangs up mid-answer', async () => {
    await expect(vtyShow(instance(), 'zebra', ['show ip route bgp json'])).rejects.toThrow(
      `zebra in mbwfake-rtr is not answering on ${path.join(dir, 'zebra.vty')} (ENOENT)`,
    );
    const daemon = await fakeDaemon(dir, {
      enable: { text: '', status: 0 },
      'show bgp summary json': 'hang-up',
    });
    try {
      await expect(vtyShow(instance(), 'bgpd', ['show bgp summary json'])).rejects.toThrow(
        'bgpd in mbwfake-rtr closed its vty socket before answering "show bgp summary json"',
      );
    } finally {
      await daemon.close();
    }
  });
});

describe.skipIf(skipReason !== null)('FrrBackend on real namespaces (router + 3 nodes)', () => {
  let labDir = '';
  let ns: LabNamespaces;
  let backend: FrrBackend | undefined;

  beforeAll(async () => {
    await removeLab(spec.id); // leftovers of an interrupted earlier run
    labDir = await mkdtemp(path.join(os.tmpdir(), 'mbw-lab-tfb-'));
    await chmod(labDir, 0o755); // the FRR daemons run as user frr and must reach their directory
    ns = await labUp(spec);
    backend = new FrrBackend(await startLabFrr(ns, labDir));
    for (const node of ns.nodes) {
      await spawnEchoServer({
        namespace: node.namespace,
        name: node.name,
        port: 80,
        logFile: path.join(labDir, `echo-${node.name}.log`),
      });
    }
    await backend.applyBgpConfig(routerConfig);
    await backend.setClusterView(clusterView([`${OUTSIDE_IP}/32`, `${INSIDE_IP}/32`]));
  });

  afterAll(async () => {
    await backend?.close().catch(() => undefined);
    await removeLab(spec.id);
    if (labDir) await rm(labDir, { recursive: true, force: true });
  });

  it('brings all three sessions to Established and installs a 3-way ECMP route in the kernel', async () => {
    // Sessions, prefix counts and the kernel's FIB converge one after another: wait for all of them.
    const kernelHops = async (): Promise<string[]> => {
      const kernel = await mustRun('ip', ['-n', ns.router, 'route', 'show', OUTSIDE_IP]);
      return [...kernel.matchAll(/nexthop via (\S+) dev eth1/g)].map((m) => m[1] ?? '').sort();
    };
    const status = await eventually(
      '3 Established sessions, 2 prefixes each and a 3-next-hop route',
      30_000,
      async () => {
        const s = await backend!.bgpStatus();
        const established =
          s?.neighbors.filter((n) => n.state === 'Established' && n.prefixesReceived === 2).length ?? 0;
        const route = s?.routes.find((r) => r.prefix === `${OUTSIDE_IP}/32`);
        const converged =
          established === 3 && route?.nextHops.length === 3 && (await kernelHops()).length === 3;
        return converged ? s : undefined;
      },
    );
    expect(status.localAs).toBe(64512);
    expect(status.neighbors.map((n) => n.description).sort()).toEqual(['worker1', 'worker2', 'worker3']);
    expect(status.neighbors.every((n) => n.prefixesReceived === 2 && (n.upSeconds ?? -1) >= 0)).toBe(true);
    const kernel = await mustRun('ip', ['-n', ns.router, 'route', 'show', OUTSIDE_IP]);
    const hops = [...kernel.matchAll(/nexthop via (\S+) dev eth1/g)].map((m) => m[1]).sort();
    expect(hops).toEqual(spec.nodes.map((n) => n.address).sort());
  });

  it('reads over the vty sockets what vtysh prints for the same commands', async () => {
    type Summary = {
      ipv4Unicast?: { as?: number; peers?: Record<string, { remoteAs?: number; state?: string }> };
    };
    type Routes = Record<string, { selected?: boolean; nexthops?: { ip?: string }[] }[]>;
    const router = backend!.routerFrr;
    const [[summaryText = '', neighborsText = ''], [routesText = '']] = await Promise.all([
      vtyShow(router, 'bgpd', ['show bgp summary json', 'show bgp neighbors json']),
      vtyShow(router, 'zebra', ['show ip route bgp json']),
    ]);
    const peersOf = (summary: Summary) =>
      Object.entries(summary.ipv4Unicast?.peers ?? {}).map(([address, p]) => [address, p.remoteAs, p.state]);
    const hopsOf = (routes: Routes) =>
      Object.entries(routes).map(([prefix, entries]) => [
        prefix,
        entries.flatMap((e) => (e.selected ? (e.nexthops ?? []).map((h) => h.ip) : [])).sort(),
      ]);
    const viaVtysh = {
      summary: (await vtyshJson(router, 'show bgp summary json')) as Summary,
      neighbors: (await vtyshJson(router, 'show bgp neighbors json')) as Record<string, unknown>,
      routes: (await vtyshJson(router, 'show ip route bgp json')) as Routes,
    };
    const summary = JSON.parse(summaryText) as Summary;
    expect(peersOf(summary)).toHaveLength(3);
    expect(peersOf(summary)).toEqual(peersOf(viaVtysh.summary));
    expect(Object.keys(JSON.parse(neighborsText) as object).sort()).toEqual(
      Object.keys(viaVtysh.neighbors).sort(),
    );
    const routes = JSON.parse(routesText) as Routes;
    expect(hopsOf(routes)).toContainEqual([`${OUTSIDE_IP}/32`, spec.nodes.map((n) => n.address).sort()]);
    expect(hopsOf(routes)).toEqual(hopsOf(viaVtysh.routes));
  });

  it('spreads 20 curls from the router and from the LAN client over at least 2 nodes', async () => {
    const fromRouter = await nodesReached(ns.router, OUTSIDE_IP, 20);
    const fromLan = await nodesReached(ns.lanClient, OUTSIDE_IP, 20);
    expect(fromRouter.has('none')).toBe(false);
    expect(fromRouter.size, `router reached ${[...fromRouter.keys()].join(', ')}`).toBeGreaterThanOrEqual(2);
    expect(fromLan.size, `LAN reached ${[...fromLan.keys()].join(', ')}`).toBeGreaterThanOrEqual(2);
    // The backend's own curl is the router's: it reaches a node too.
    const viaBackend = await backend!.curl({ url: `http://${OUTSIDE_IP}/`, timeoutMs: 3_000 });
    expect(viaBackend.status).toBe(200);
    expect(JSON.parse(viaBackend.body)).toMatchObject({ client: '10.77.1.1', server: OUTSIDE_IP });
  });

  it('makes the same-segment caveat real: the cluster client cannot reach a pool IP inside its subnet', async () => {
    // Control: the inside IP is announced and routed; a client on another segment (LAN) reaches it.
    const fromLan = await curlInNamespace(ns.lanClient, { url: `http://${INSIDE_IP}/`, timeoutMs: 3_000 });
    expect(fromLan.exitCode, fromLan.error).toBe(0);
    const inside = await curlInNamespace(ns.clusterClient, { url: `http://${INSIDE_IP}/`, timeoutMs: 2_000 });
    expect(inside.exitCode).not.toBe(0); // ARP for an on-link address nobody answers
    expect(inside.status).toBeUndefined();
    const outside = await curlInNamespace(ns.clusterClient, {
      url: `http://${OUTSIDE_IP}/`,
      timeoutMs: 3_000,
    });
    expect(outside.exitCode, outside.error).toBe(0);
    expect(outside.headers?.['x-node']).toMatch(/^worker[123]$/);
  });

  it('does not reset any session when the same config is applied twice', async () => {
    type Peers = Record<string, { connectionsEstablished?: number; connectionsDropped?: number }>;
    const countersBefore = (await vtyshJson(backend!.routerFrr, 'show bgp neighbors json')) as Peers;
    const before = (await backend!.bgpStatus())!;
    await backend!.applyBgpConfig(structuredClone(routerConfig));
    await backend!.applyBgpConfig(structuredClone(routerConfig));
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const after = (await backend!.bgpStatus())!;
    const countersAfter = (await vtyshJson(backend!.routerFrr, 'show bgp neighbors json')) as Peers;
    for (const node of spec.nodes) {
      const b = before.neighbors.find((n) => n.address === node.address)!;
      const a = after.neighbors.find((n) => n.address === node.address)!;
      expect(a.state).toBe('Established');
      expect(a.upSeconds!).toBeGreaterThanOrEqual(b.upSeconds! + 2);
      expect(countersAfter[node.address]?.connectionsEstablished).toBe(
        countersBefore[node.address]?.connectionsEstablished,
      );
      expect(countersAfter[node.address]?.connectionsDropped ?? 0).toBe(0);
    }
  });

  it('withdraws a service from the router and unbinds it from the nodes when the cluster view drops it', async () => {
    await backend!.setClusterView(clusterView([`${OUTSIDE_IP}/32`]));
    await eventually('the inside IP route withdrawn', 15_000, async () => {
      const s = await backend!.bgpStatus();
      return s && !s.routes.some((r) => r.prefix === `${INSIDE_IP}/32`) ? true : undefined;
    });
    const lo = await mustRun('ip', ['-n', ns.nodes[0]!.namespace, '-4', 'addr', 'show', 'dev', 'lo']);
    expect(lo).toContain(`${OUTSIDE_IP}/32`);
    expect(lo).not.toContain(INSIDE_IP);
  });

  it('runs eBGP with MD5 passwords (no policy needed, as on EdgeOS); a wrong password keeps that node out', async () => {
    const clusterAsn = 64600;
    await backend!.applyBgpConfig({
      ...routerConfig,
      neighbors: spec.nodes.map((node) => ({
        address: node.address,
        remoteAs: clusterAsn,
        password: 'lab-secret',
      })),
      maximumPathsIbgp: undefined,
      maximumPathsEbgp: 32,
    });
    const view = clusterView([`${OUTSIDE_IP}/32`]);
    for (const speaker of view.speakers) {
      speaker.peers = [
        {
          peerAddress: '10.77.1.1',
          peerAsn: spec.routerAsn,
          myAsn: clusterAsn,
          password: speaker.node === 'worker3' ? 'wrong' : 'lab-secret',
        },
      ];
    }
    await backend!.setClusterView(view);
    const status = await eventually(
      'worker1 and worker2 Established over eBGP with a 2-way route',
      30_000,
      async () => {
        const s = await backend!.bgpStatus();
        const up = s?.neighbors.filter((n) => n.state === 'Established').map((n) => n.address) ?? [];
        const route = s?.routes.find((r) => r.prefix === `${OUTSIDE_IP}/32`);
        return up.length === 2 && route?.nextHops.length === 2 ? s : undefined;
      },
    );
    expect(status.neighbors.find((n) => n.address === '10.77.1.13')?.state).not.toBe('Established');
    expect(
      status.neighbors
        .filter((n) => n.state === 'Established')
        .every((n) => n.remoteAs === clusterAsn && n.prefixesReceived === 1),
    ).toBe(true);
    const hops = status.routes
      .find((r) => r.prefix === `${OUTSIDE_IP}/32`)!
      .nextHops.map((h) => h.address)
      .sort();
    expect(hops).toEqual(['10.77.1.11', '10.77.1.12']);
  });

  it("refuses a line FRR rejects with FRR's message and leaves FRR as it was", async () => {
    const before = (await backend!.bgpStatus())!;
    const bad: BgpConfig = {
      localAs: spec.routerAsn,
      routerId: '10.77.1.1',
      neighbors: [{ address: '10.77.1.11', remoteAs: 64600, ebgpMultihop: 999 }],
      maximumPathsEbgp: 32,
    };
    await expect(backend!.applyBgpConfig(bad)).rejects.toThrow(
      /vtysh in mbwtfb-rtr failed.*ebgp-multihop 999/s,
    );
    const after = (await backend!.bgpStatus())!;
    expect(after.neighbors.map((n) => [n.address, n.remoteAs])).toEqual(
      before.neighbors.map((n) => [n.address, n.remoteAs]),
    );
    const running = await vtysh(backend!.routerFrr, ['show running-config bgpd']);
    expect(running).toContain('neighbor 10.77.1.13 password lab-secret');
    expect(running).not.toContain('ebgp-multihop');
    // The rollback rebuilt the instance, so its sessions come back up.
    await eventually('the restored sessions back up', 30_000, async () => {
      const s = await backend!.bgpStatus();
      return (s?.neighbors.filter((n) => n.state === 'Established').length ?? 0) >= 2;
    });
  });

  it('reports BGP with no neighbors, and null once BGP is removed (read live from FRR)', async () => {
    await backend!.applyBgpConfig({ localAs: 64512, routerId: '10.77.1.1', neighbors: [] });
    const empty = await backend!.bgpStatus();
    expect(empty).toMatchObject({ localAs: 64512, routerId: '10.77.1.1', neighbors: [] });
    await backend!.applyBgpConfig(null);
    expect(await backend!.bgpStatus()).toBeNull();
  });

  it('leaves no namespace or FRR process of the lab after close + removeLab', async () => {
    const pids = await backend!.pids();
    expect(pids.length).toBe(8); // zebra + bgpd on the router and three nodes
    await backend!.close();
    await removeLab(spec.id);
    expect((await listNamespaces()).filter((name) => name.startsWith('mbwtfb-'))).toEqual([]);
    const alive = pids.filter(processAlive);
    expect(alive).toEqual([]);
    // What the emulator shows as "Routing daemon is not responding": the socket and the cause, named.
    await expect(backend!.bgpStatus()).rejects.toThrow(
      /(bgpd|zebra) in mbwtfb-rtr is not answering on \S+\.vty/,
    );
  });
});
