// The real routing backend: the router emulator's committed BGP config runs in FRR inside the router
// namespace, each node's FRR plays its MetalLB speaker, and status is read back from FRR's JSON on
// every call (over the daemons' vty sockets: no vtysh process per read).

import path from 'node:path';
import type {
  BgpConfig,
  BgpRouteStatus,
  BgpStatus,
  CurlRequest,
  CurlResult,
  NeighborStatus,
  RoutingBackend,
} from '../router/index.ts';
import type { ClusterBgpView, NodeSpeaker } from '../speakers/types.ts';
import type { LabNamespaces } from './topology.ts';
import { frrPids, startFrr, stopFrr, vtyShow, vtyshConfigure, type FrrInstance } from './frr.ts';
import {
  asHostPrefix,
  instanceChanges,
  instanceLines,
  routerInstance,
  speakerInstance,
  type FrrBgpInstance,
} from './frr-config.ts';
import { runCommand, runInNamespace } from './run.ts';

export interface LabNodeRouting {
  name: string;
  namespace: string;
  address: string;
  frr: FrrInstance;
}

export interface FrrBackendOptions {
  routerNamespace: string;
  router: FrrInstance;
  nodes: LabNodeRouting[];
}

/** Starts FRR in the router and every node namespace, under `<labDir>/frr/<namespace>`. */
export async function startLabFrr(namespaces: LabNamespaces, labDir: string): Promise<FrrBackendOptions> {
  const frrDir = (namespace: string) => path.join(labDir, 'frr', namespace);
  const router = await startFrr({
    namespace: namespaces.router,
    name: namespaces.router,
    dir: frrDir(namespaces.router),
  });
  const nodes: LabNodeRouting[] = [];
  for (const node of namespaces.nodes) {
    const frr = await startFrr({
      namespace: node.namespace,
      name: node.namespace,
      dir: frrDir(node.namespace),
    });
    nodes.push({ ...node, frr });
  }
  return { routerNamespace: namespaces.router, router, nodes };
}

// FRR's JSON, only the fields read here.
interface FrrPeerSummary {
  remoteAs?: number;
  localAs?: number;
  msgRcvd?: number;
  msgSent?: number;
  peerUptime?: string;
  peerUptimeMsec?: number;
  pfxRcd?: number;
  state?: string;
  peerState?: string;
  desc?: string;
  connectionsEstablished?: number;
}
interface FrrSummary {
  ipv4Unicast?: { routerId?: string; as?: number; peers?: Record<string, FrrPeerSummary> };
}
interface FrrRouteEntry {
  prefix?: string;
  selected?: boolean;
  installed?: boolean;
  uptime?: string;
  nexthops?: { ip?: string; interfaceName?: string; active?: boolean; fib?: boolean }[];
}
interface FrrNeighborDetail {
  remoteRouterId?: string;
  nbrDesc?: string;
  bgpState?: string;
}
interface FrrBgpInstanceJson {
  routerId?: string;
  localAS?: number;
}

function parseJson<T>(text: string, what: string): T {
  const trimmed = text.trim();
  if (trimmed === '') return {} as T;
  try {
    return JSON.parse(trimmed) as T;
  } catch {
    throw new Error(`FRR printed something other than JSON for "${what}": ${trimmed.slice(0, 200)}`);
  }
}

/** "00:02:28", "1d02h54m", "03w0d00h" → seconds (FRR's uptime formats). */
export function uptimeSeconds(text: string | undefined): number {
  if (!text) return 0;
  const clock = /^(\d+):(\d+):(\d+)$/.exec(text);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  const units: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
  let total = 0;
  for (const match of text.matchAll(/(\d+)([wdhms])/g))
    total += Number(match[1]) * (units[match[2] ?? 's'] ?? 0);
  return total;
}

/** Maps FRR's summary, neighbor detail and BGP routes to the emulator's status. */
export function bgpStatusFromFrr(
  summary: FrrSummary,
  neighbors: Record<string, FrrNeighborDetail>,
  routes: Record<string, FrrRouteEntry[]>,
  instance: FrrBgpInstanceJson,
): BgpStatus | null {
  const unicast = summary.ipv4Unicast;
  const localAs = unicast?.as ?? instance.localAS;
  if (localAs === undefined) return null;
  const neighborStatuses: NeighborStatus[] = Object.entries(unicast?.peers ?? {}).map(([address, peer]) => {
    const detail = neighbors[address] ?? {};
    const established = peer.state === 'Established';
    const everUp =
      (peer.connectionsEstablished ?? 0) > 0 ||
      (peer.peerUptime !== undefined && peer.peerUptime !== 'never');
    const status: NeighborStatus = {
      address,
      remoteAs: peer.remoteAs ?? 0,
      localAs: peer.localAs ?? localAs,
      // FRR says "Idle (Admin)" in text and "Idle" + peerState "Admin" in JSON; routers print the former.
      state: peer.state === 'Idle' && peer.peerState === 'Admin' ? 'Idle (Admin)' : (peer.state ?? 'Idle'),
      upSeconds: everUp ? Math.floor((peer.peerUptimeMsec ?? 0) / 1000) : null,
      msgRcvd: peer.msgRcvd ?? 0,
      msgSent: peer.msgSent ?? 0,
      prefixesReceived: established ? (peer.pfxRcd ?? 0) : null,
    };
    if (detail.remoteRouterId && detail.remoteRouterId !== '0.0.0.0')
      status.remoteRouterId = detail.remoteRouterId;
    const description = peer.desc ?? detail.nbrDesc;
    if (description) status.description = description;
    return status;
  });
  const routeStatuses: BgpRouteStatus[] = [];
  for (const [prefix, entries] of Object.entries(routes)) {
    const best = entries.find((entry) => entry.selected && entry.installed);
    if (!best) continue;
    const age = uptimeSeconds(best.uptime);
    const nextHops = (best.nexthops ?? [])
      .filter((hop) => hop.active !== false && hop.ip)
      .map((hop) => ({ address: hop.ip ?? '', interface: hop.interfaceName ?? '', ageSeconds: age }));
    routeStatuses.push({ prefix: best.prefix ?? prefix, nextHops });
  }
  return {
    routerId: unicast?.routerId ?? instance.routerId ?? '0.0.0.0',
    localAs,
    neighbors: neighborStatuses,
    routes: routeStatuses,
  };
}

const CURL_MARK = '\n@@mbw-curl@@';

/** Parses `curl -i … -w '<mark>%{json}'` output into the emulator's result. */
export function curlResultFromOutput(
  stdout: string,
  stderr: string,
  exitCode: number,
  elapsedMs: number,
): CurlResult {
  const markAt = stdout.lastIndexOf(CURL_MARK);
  const transfer = markAt >= 0 ? stdout.slice(0, markAt) : stdout;
  let info: { http_code?: number; remote_ip?: string; time_total?: number; errormsg?: string | null } = {};
  if (markAt >= 0) {
    try {
      info = JSON.parse(stdout.slice(markAt + CURL_MARK.length)) as typeof info;
    } catch {
      info = {};
    }
  }
  const result: CurlResult = {
    exitCode,
    body: '',
    timeMs: info.time_total !== undefined ? Math.round(info.time_total * 1000) : elapsedMs,
  };
  if (info.remote_ip) result.remoteIp = info.remote_ip;
  if (exitCode !== 0) {
    result.error =
      (info.errormsg ?? stderr.replace(/^curl: \(\d+\)\s*/, '').trim()) || `curl exited with ${exitCode}`;
  }
  // With -i the header block precedes the body; take the last block in case of 1xx interim responses.
  let rest = transfer;
  let headerBlock = '';
  while (/^HTTP\/[\d.]+ \d{3}/.test(rest)) {
    const end = rest.search(/\r?\n\r?\n/);
    if (end < 0) {
      headerBlock = rest;
      rest = '';
      break;
    }
    headerBlock = rest.slice(0, end);
    rest = rest.slice(end).replace(/^\r?\n\r?\n/, '');
  }
  if (headerBlock) {
    const [statusLine, ...headerLines] = headerBlock.split(/\r?\n/);
    const status = /^HTTP\/[\d.]+ (\d{3})/.exec(statusLine ?? '');
    if (status) result.status = Number(status[1]);
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    result.headers = headers;
  } else if (info.http_code) {
    result.status = info.http_code;
  }
  result.body = rest;
  return result;
}

/** The argument vector for curl; exported so clients in other namespaces run the very same request. */
export function curlArguments(request: CurlRequest): string[] {
  const seconds = Math.max(0.1, request.timeoutMs / 1000).toFixed(1);
  const method = (request.method ?? 'GET').toUpperCase();
  // `-X HEAD` would wait for a body that never comes; `-I` is curl's HEAD.
  const methodArgs = method === 'HEAD' ? ['-I'] : ['-X', method];
  return ['-sS', '-i', '--max-time', seconds, ...methodArgs, '-w', `${CURL_MARK}%{json}`, '--', request.url];
}

/** Real curl inside `namespace`. */
export async function curlInNamespace(namespace: string, request: CurlRequest): Promise<CurlResult> {
  const started = Date.now();
  const result = await runInNamespace(namespace, 'curl', curlArguments(request), request.timeoutMs + 5_000);
  return curlResultFromOutput(result.stdout, result.stderr, result.exitCode, Date.now() - started);
}

export class FrrBackend implements RoutingBackend {
  readonly kind = 'frr' as const;
  readonly #options: FrrBackendOptions;
  #routerApplied: FrrBgpInstance | null = null;
  readonly #nodeApplied = new Map<string, FrrBgpInstance | null>();
  readonly #boundServiceIps = new Map<string, Set<string>>();
  // Config changes are serialized: a commit and a cluster change racing on vtysh would interleave.
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: FrrBackendOptions) {
    this.#options = options;
  }

  /** The router's FRR, for callers that need raw vtysh (tests, the lab's status command). */
  get routerFrr(): FrrInstance {
    return this.#options.router;
  }

  /** PIDs of every FRR daemon this backend drives, for the lab's process tracking. */
  async pids(): Promise<number[]> {
    const all = [this.#options.router, ...this.#options.nodes.map((node) => node.frr)];
    return (await Promise.all(all.map((instance) => frrPids(instance)))).flat();
  }

  #serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  applyBgpConfig(config: BgpConfig | null): Promise<void> {
    return this.#serialized(async () => {
      const desired = routerInstance(config);
      await applyInstance(this.#options.router, this.#routerApplied, desired);
      this.#routerApplied = desired;
    });
  }

  setClusterView(view: ClusterBgpView): Promise<void> {
    return this.#serialized(async () => {
      for (const node of this.#options.nodes) {
        const speaker = speakerFor(view, node);
        await this.#applySpeaker(node, speaker);
      }
    });
  }

  async #applySpeaker(node: LabNodeRouting, speaker: NodeSpeaker | undefined): Promise<void> {
    const desired = speaker ? speakerInstance(speaker) : null;
    const announced = new Set(desired ? speaker!.announcements.map(asHostPrefix) : []);
    // Bind first, announce second: a route must never point at a node that would drop the traffic.
    await this.#bindServiceIps(node, announced);
    await applyInstance(node.frr, this.#nodeApplied.get(node.name) ?? null, desired);
    this.#nodeApplied.set(node.name, desired);
  }

  async #bindServiceIps(node: LabNodeRouting, wanted: Set<string>): Promise<void> {
    const bound = this.#boundServiceIps.get(node.name) ?? new Set<string>();
    for (const prefix of wanted) {
      if (bound.has(prefix)) continue;
      await mustSucceed(
        runCommand('ip', ['-n', node.namespace, 'addr', 'replace', prefix, 'dev', 'lo']),
        `bind ${prefix} on ${node.name}'s lo`,
      );
      bound.add(prefix);
    }
    for (const prefix of [...bound]) {
      if (wanted.has(prefix)) continue;
      await runCommand('ip', ['-n', node.namespace, 'addr', 'del', prefix, 'dev', 'lo']);
      bound.delete(prefix);
    }
    this.#boundServiceIps.set(node.name, bound);
  }

  /**
   * Reads the router's FRR afresh on every call: BGP from bgpd and the installed routes from zebra,
   * the same show commands vtysh would send them, over their vty sockets and in parallel.
   */
  async bgpStatus(): Promise<BgpStatus | null> {
    const router = this.#options.router;
    const [[summaryText = '', neighborsText = ''], [routesText = '']] = await Promise.all([
      vtyShow(router, 'bgpd', ['show bgp summary json', 'show bgp neighbors json']),
      vtyShow(router, 'zebra', ['show ip route bgp json']),
    ]);
    const summary = parseJson<FrrSummary>(summaryText, 'show bgp summary json');
    const neighbors = parseJson<Record<string, FrrNeighborDetail>>(neighborsText, 'show bgp neighbors json');
    const routes = parseJson<Record<string, FrrRouteEntry[]>>(routesText, 'show ip route bgp json');
    // With no neighbor at all the summary is empty; the instance itself still tells whether BGP runs.
    const instance = summary.ipv4Unicast
      ? {}
      : parseJson<FrrBgpInstanceJson>(
          (await vtyShow(router, 'bgpd', ['show bgp ipv4 unicast json']))[0] ?? '',
          'show bgp ipv4 unicast json',
        );
    return bgpStatusFromFrr(summary, neighbors, routes, instance);
  }

  curl(request: CurlRequest): Promise<CurlResult> {
    return curlInNamespace(this.#options.routerNamespace, request);
  }

  /** Stops every FRR this backend drives and unbinds the Service IPs. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    for (const node of this.#options.nodes)
      await this.#bindServiceIps(node, new Set()).catch(() => undefined);
    // In parallel: each daemon may take its full grace period to exit.
    await Promise.all(
      [this.#options.router, ...this.#options.nodes.map((node) => node.frr)].map((instance) =>
        stopFrr(instance),
      ),
    );
  }
}

/**
 * Moves FRR from `applied` to `desired` with the minimal commands. vtysh stops at the first line FRR
 * refuses, leaving it half-changed; then the instance is rebuilt as it was, so FRR always matches what
 * the caller believes is applied (as the emulator's atomic commit promises), and the error is rethrown.
 */
async function applyInstance(
  frr: FrrInstance,
  applied: FrrBgpInstance | null,
  desired: FrrBgpInstance | null,
): Promise<void> {
  try {
    await vtyshConfigure(frr, instanceChanges(applied, desired));
  } catch (error) {
    const asns = new Set([applied?.asn, desired?.asn].filter((asn): asn is number => asn !== undefined));
    for (const asn of asns) await vtyshConfigure(frr, [`no router bgp ${asn}`]).catch(() => undefined);
    if (applied) await vtyshConfigure(frr, instanceLines(applied));
    throw error;
  }
}

function speakerFor(view: ClusterBgpView, node: LabNodeRouting): NodeSpeaker | undefined {
  return (
    view.speakers.find((s) => s.node === node.name) ?? view.speakers.find((s) => s.address === node.address)
  );
}

async function mustSucceed(pending: ReturnType<typeof runCommand>, what: string): Promise<void> {
  const result = await pending;
  if (result.exitCode !== 0) throw new Error(`could not ${what}: ${result.stderr.trim()}`);
}
