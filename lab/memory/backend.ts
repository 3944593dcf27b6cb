// The in-memory routing backend: no root, no kernel routes. Sessions and routes are computed on
// every call from the router's committed BGP config and MetalLB's speakers (ClusterBgpView), and
// the router's `curl` makes real HTTP requests to per-node echo servers on loopback.

import type { BgpConfig, BgpStatus, CurlRequest, CurlResult, RoutingBackend } from '../router/index.ts';
import type { ClusterBgpView, NodeSpeaker } from '../speakers/types.ts';
import type { ConnectedSubnet, RouterInterface } from './addresses.ts';
import { compareAddresses, connectedSubnetOf, isIpv4Address, normalisePrefix } from './addresses.ts';
import { routerCurl } from './curl.ts';
import { HASH_POLICIES } from './ecmp.ts';
import type { HashPolicy } from './ecmp.ts';
import type { EchoServer, LabNode } from './echo.ts';
import { startEchoServer } from './echo.ts';
import type { LearnedPaths, PathAges } from './routes.ts';
import { bgpRoutes } from './routes.ts';
import type { SessionRecord, SessionTiming } from './sessions.ts';
import {
  DEFAULT_TIMING,
  advanceSession,
  isEstablishedNow,
  neighborStatus,
  sessionCondition,
} from './sessions.ts';

export type { HashPolicy } from './ecmp.ts';

export interface MemoryBackendOptions {
  routerInterfaces: RouterInterface[];
  /** Lab nodes; each gets an echo server. Nodes that appear only in a cluster view get one on demand. */
  nodes: LabNode[];
  /** Time from both ends agreeing to Established: ~1500 for the demo, 0 in tests. */
  sessionDelayMs?: number;
  /** Clock for session timing; tests pass a controllable one. */
  now?: () => number;
  /**
   * What the router's ECMP hashes: 'addresses-ports' (default, Linux fib_multipath_hash_policy=1)
   * spreads one client's connections by port; 'addresses' (policy 0) sends every connection from
   * the router to one Service IP to the same node.
   */
  hashPolicy?: HashPolicy;
}

export interface EchoEndpoint {
  node: string;
  address: string;
  port: number;
}

export interface MemoryBackend extends RoutingBackend {
  readonly kind: 'memory';
  /** The loopback echo servers, one per node. */
  echoEndpoints(): EchoEndpoint[];
  /** Fault for tests: the node's echo server answers only after `ms`. */
  setEchoDelay(node: string, ms: number): void;
}

const EMPTY_VIEW: ClusterBgpView = { speakers: [], services: [] };

function validateNodes(nodes: readonly LabNode[]): void {
  for (const node of nodes) {
    if (!node.name) throw new Error('memory backend: a node has an empty name; give every lab node a name');
    if (!isIpv4Address(node.address)) {
      throw new Error(
        `memory backend: node ${node.name} has address "${node.address}", which is not an IPv4 address`,
      );
    }
  }
}

/** Speakers with their announcements written as `a.b.c.d/32`, whatever form the view used. */
function normaliseView(view: ClusterBgpView): ClusterBgpView {
  const speakers: NodeSpeaker[] = view.speakers.map((s) => ({
    ...s,
    peers: s.peers.map((p) => ({ ...p })),
    announcements: [
      ...new Set(s.announcements.map(normalisePrefix).filter((p): p is string => p !== undefined)),
    ],
  }));
  return { speakers, services: view.services.map((svc) => ({ ...svc, nodes: [...svc.nodes] })) };
}

function defaultRouterId(subnets: readonly ConnectedSubnet[]): string {
  const addresses = subnets.map((s) => s.routerAddress).sort(compareAddresses);
  return addresses[addresses.length - 1] ?? '0.0.0.0';
}

export async function createMemoryBackend(opts: MemoryBackendOptions): Promise<MemoryBackend> {
  const subnets = opts.routerInterfaces.map(connectedSubnetOf);
  validateNodes(opts.nodes);
  const hashPolicy = opts.hashPolicy ?? 'addresses-ports';
  if (!HASH_POLICIES.includes(hashPolicy)) {
    throw new Error(
      `memory backend: hashPolicy "${String(hashPolicy)}" is unknown; use ${HASH_POLICIES.join(' or ')}`,
    );
  }
  const now = opts.now ?? Date.now;
  const timing: SessionTiming = { ...DEFAULT_TIMING, sessionDelayMs: Math.max(0, opts.sessionDelayMs ?? 0) };

  let config: BgpConfig | null = null;
  let view: ClusterBgpView = EMPTY_VIEW;
  let closed = false;
  const sessions = new Map<string, SessionRecord>();
  const neighborsAtLastStep = new Map<string, BgpConfig['neighbors'][number]>();
  const ages: PathAges = new Map();
  const echoServers = new Map<string, EchoServer>();
  const echoStarting = new Map<string, Promise<EchoServer>>();

  async function echoServerFor(node: LabNode): Promise<EchoServer> {
    const running = echoServers.get(node.address);
    if (running) return running;
    const starting = echoStarting.get(node.address) ?? startEchoServer(node);
    echoStarting.set(node.address, starting);
    const server = await starting;
    echoStarting.delete(node.address);
    if (closed) {
      await server.close();
      throw new Error(`memory backend is closed; no echo server for node ${node.name}`);
    }
    echoServers.set(node.address, server);
    return server;
  }

  /** Brings every session up to `now` under the current config and view; called on every read and change. */
  function step(at: number): void {
    if (!config) {
      sessions.clear();
      neighborsAtLastStep.clear();
      ages.clear();
      return;
    }
    const configured = new Set<string>();
    for (const neighbor of config.neighbors) {
      configured.add(neighbor.address);
      const condition = sessionCondition(neighbor, config.localAs, view.speakers, subnets);
      const previous = neighborsAtLastStep.get(neighbor.address) ?? neighbor;
      const record = advanceSession(
        sessions.get(neighbor.address),
        neighbor,
        config.localAs,
        condition,
        timing,
        at,
        previous,
      );
      sessions.set(neighbor.address, record);
      neighborsAtLastStep.set(neighbor.address, neighbor);
    }
    for (const address of [...sessions.keys()]) {
      if (!configured.has(address)) {
        sessions.delete(address);
        neighborsAtLastStep.delete(address);
      }
    }
  }

  function status(at: number): BgpStatus | null {
    step(at);
    if (!config) return null;
    const cfg = config;
    const learned: LearnedPaths[] = [];
    const neighbors = cfg.neighbors.map((neighbor) => {
      const record = sessions.get(neighbor.address);
      if (!record)
        throw new Error(`memory backend: no session for neighbor ${neighbor.address} after recompute`);
      if (isEstablishedNow(record, timing, at) && record.condition.kind === 'agreed') {
        learned.push({ neighbor, peerAs: record.condition.peer.myAsn, prefixes: record.announced });
      }
      return neighborStatus(record, neighbor, cfg.localAs, timing, at);
    });
    return {
      routerId: cfg.routerId ?? defaultRouterId(subnets),
      localAs: cfg.localAs,
      neighbors,
      routes: bgpRoutes(cfg, learned, subnets, ages, at),
    };
  }

  async function echoPortFor(nodeAddress: string, serviceIp: string): Promise<number | undefined> {
    const speaker = view.speakers.find((s) => s.address === nodeAddress);
    // A node that does not announce the IP (e.g. no local endpoint) does not serve it.
    if (!speaker || !speaker.announcements.includes(`${serviceIp}/32`)) return undefined;
    const node = opts.nodes.find((n) => n.address === nodeAddress) ?? {
      name: speaker.node,
      address: nodeAddress,
    };
    return (await echoServerFor(node)).port;
  }

  await Promise.all(opts.nodes.map((node) => echoServerFor(node)));

  return {
    kind: 'memory',
    async applyBgpConfig(next: BgpConfig | null): Promise<void> {
      step(now());
      config = next === null ? null : structuredClone(next);
      step(now());
    },
    async setClusterView(next: ClusterBgpView): Promise<void> {
      step(now());
      view = normaliseView(next);
      step(now());
    },
    async bgpStatus(): Promise<BgpStatus | null> {
      return status(now());
    },
    async curl(request: CurlRequest): Promise<CurlResult> {
      const current = status(now());
      return routerCurl(request, {
        routes: current?.routes ?? [],
        subnets,
        echoPortFor,
        hashPolicy,
        isNodeAddress: (address) =>
          opts.nodes.some((n) => n.address === address) || view.speakers.some((s) => s.address === address),
      });
    },
    echoEndpoints(): EchoEndpoint[] {
      return [...echoServers.values()].map((s) => ({ node: s.node, address: s.address, port: s.port }));
    },
    setEchoDelay(node: string, ms: number): void {
      const server = [...echoServers.values()].find((s) => s.node === node);
      if (!server) throw new Error(`memory backend: no echo server for node "${node}"`);
      server.setResponseDelay(ms);
    },
    async close(): Promise<void> {
      closed = true;
      const servers = [...echoServers.values()];
      echoServers.clear();
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
