// MetalLB's behaviour as the cluster shows it: the validating webhook (refusing metallb.io writes
// while its Service has no ready endpoint), the controller's LoadBalancer IPAM (CRD pools or the
// legacy ConfigMap), and what the speakers announce (ClusterBgpView).

import ipaddr from 'ipaddr.js';
import { parse as parseYaml } from 'yaml';
import { ApiError, internalError } from './status.ts';
import type { AdmissionRequest } from './api.ts';
import type { KubeObject, ObjectStore } from './store.ts';
import { isPodReady } from './controllers.ts';
import { matchesLabelSelectorObject } from './selectors.ts';
import { deepEqual } from './fields.ts';
import { poolProblem, type NamedPool } from './pool-cidrs.ts';
import type { ClusterBgpView, NodeSpeaker, ServiceAnnouncement, SpeakerPeer } from '../speakers/types.ts';

type Obj = Record<string, unknown>;
type LabelSelector = Parameters<typeof matchesLabelSelectorObject>[1];

export const METALLB_NAMESPACE = 'metallb-system';
const EXCLUDE_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

const R = {
  services: '/services',
  slices: 'discovery.k8s.io/endpointslices',
  deployments: 'apps/deployments',
  daemonsets: 'apps/daemonsets',
  pods: '/pods',
  nodes: '/nodes',
  configmaps: '/configmaps',
  secrets: '/secrets',
  vwc: 'admissionregistration.k8s.io/validatingwebhookconfigurations',
  pools: 'metallb.io/ipaddresspools',
  peers: 'metallb.io/bgppeers',
  adverts: 'metallb.io/bgpadvertisements',
} as const;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function list<T = Obj>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

// ---- recognising MetalLB's workloads (manifest labels or Helm labels) -------------------------

function isMetallbComponent(o: KubeObject, component: 'controller' | 'speaker'): boolean {
  const l = o.metadata.labels ?? {};
  const manifest = l.app === 'metallb' && l.component === component;
  const helm = l['app.kubernetes.io/name'] === 'metallb' && l['app.kubernetes.io/component'] === component;
  return manifest || helm;
}

export function controllerReady(store: ObjectStore): boolean {
  return store
    .list(R.deployments)
    .some((d) => isMetallbComponent(d, 'controller') && Number(obj(d.status).readyReplicas ?? 0) >= 1);
}

function speakerReadyNodes(store: ObjectStore): Set<string> {
  const ready = new Set<string>();
  for (const ds of store.list(R.daemonsets).filter((d) => isMetallbComponent(d, 'speaker'))) {
    for (const p of store.list(R.pods, ds.metadata.namespace)) {
      const owned = (p.metadata.ownerReferences ?? []).some((r) => r.uid === ds.metadata.uid);
      if (owned && isPodReady(p)) ready.add(String(obj(p.spec).nodeName));
    }
  }
  return ready;
}

/**
 * The loadBalancerClass a MetalLB component was started with (`--lb-class`); without one it serves
 * only Services that have no class, leaving the others to their own implementation.
 */
function metallbLoadBalancerClass(
  store: ObjectStore,
  component: 'controller' | 'speaker',
): string | undefined {
  const workloads = [...store.list(R.deployments), ...store.list(R.daemonsets)];
  for (const w of workloads.filter((o) => isMetallbComponent(o, component))) {
    for (const c of list(obj(obj(obj(w.spec).template).spec).containers)) {
      const args = list<string>(c.args);
      for (const [i, arg] of args.entries()) {
        if (arg.startsWith('--lb-class=')) return arg.slice('--lb-class='.length) || undefined;
        if (arg === '--lb-class') return args[i + 1] || undefined;
      }
    }
  }
  return undefined;
}

function servedByMetallb(svc: KubeObject, lbClass: string | undefined): boolean {
  const cls = obj(svc.spec).loadBalancerClass;
  return (typeof cls === 'string' && cls ? cls : undefined) === lbClass;
}

function readyEndpointNodes(store: ObjectStore, namespace: string | undefined, service: string): string[] {
  const nodes = new Set<string>();
  for (const s of store.list(R.slices, namespace)) {
    if (s.metadata.labels?.['kubernetes.io/service-name'] !== service) continue;
    for (const e of list(s.endpoints)) {
      if (obj(e.conditions).ready !== false) nodes.add(String(e.nodeName ?? ''));
    }
  }
  return [...nodes];
}

// ---- the validating webhook -------------------------------------------------------------------

function ruleMatches(rule: Obj, req: AdmissionRequest): boolean {
  const has = (field: string, value: string): boolean => {
    const values = list<string>(rule[field]);
    return values.includes('*') || values.includes(value);
  };
  return (
    has('apiGroups', req.type.group) &&
    has('apiVersions', req.type.version) &&
    has('resources', req.type.plural) &&
    has('operations', req.operation)
  );
}

export function metallbWebhook(store: ObjectStore): (req: AdmissionRequest) => void {
  return (req) => {
    if (req.type.group !== 'metallb.io' || req.operation === 'DELETE') return;
    for (const config of store.list(R.vwc)) {
      for (const hook of list(config.webhooks)) {
        if (!list(hook.rules).some((r) => ruleMatches(obj(r), req))) continue;
        callWebhook(store, hook, req);
      }
    }
  };
}

function callWebhook(store: ObjectStore, hook: Obj, req: AdmissionRequest): void {
  const name = String(hook.name ?? '');
  const ref = obj(obj(hook.clientConfig).service);
  const svcName = String(ref.name ?? '');
  const svcNs = String(ref.namespace ?? '');
  const port = Number(ref.port ?? 443);
  const timeout = Number(hook.timeoutSeconds ?? 10);
  const url = `https://${svcName}.${svcNs}.svc:${port}${String(ref.path ?? '')}?timeout=${timeout}s`;
  const prefix = `failed calling webhook "${name}": failed to call webhook: Post "${url}"`;
  const svc = store.get(R.services, svcNs, svcName);
  const ignore = hook.failurePolicy === 'Ignore';
  if (!svc) {
    if (!ignore) throw internalError(`${prefix}: service "${svcName}" not found`);
    return;
  }
  if (readyEndpointNodes(store, svcNs, svcName).length === 0) {
    if (ignore) return;
    const clusterIp = String(obj(svc.spec).clusterIP ?? '');
    throw internalError(`${prefix}: dial tcp ${clusterIp}:${port}: connect: connection refused`);
  }
  const denied = (message: string): ApiError =>
    new ApiError(403, 'Forbidden', `admission webhook "${name}" denied the request: ${message}`);
  const ns = req.object.metadata.namespace;
  if (ns !== METALLB_NAMESPACE) throw denied(`resource must be created in ${METALLB_NAMESPACE} namespace`);
  if (req.type.plural === 'ipaddresspools') {
    const problem = ipAddressPoolProblem(store, req.object);
    if (problem) throw denied(problem);
  }
}

function namedPool(p: KubeObject): NamedPool {
  return { name: p.metadata.name, addresses: list<string>(obj(p.spec).addresses).map(String) };
}

/** The pool checked against the others as MetalLB's webhook does (an update replaces its old self). */
function ipAddressPoolProblem(store: ObjectStore, pool: KubeObject): string | undefined {
  const others = store.list(R.pools, METALLB_NAMESPACE).filter((p) => p.metadata.name !== pool.metadata.name);
  return poolProblem(namedPool(pool), others.map(namedPool));
}

// ---- address pools ---------------------------------------------------------------------------

interface Pool {
  name: string;
  autoAssign: boolean;
  avoidBuggyIPs: boolean;
  labels: Record<string, string>;
  protocol: 'bgp' | 'layer2';
  ranges: [number, number][];
}

function ipToInt(ip: string): number | undefined {
  if (!ipaddr.IPv4.isValid(ip)) return undefined;
  return ipaddr.IPv4.parse(ip)
    .toByteArray()
    .reduce((n, b) => n * 256 + b, 0);
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** IPv4 ranges of pool entries (`10.0.0.0/27` or `10.0.0.1-10.0.0.9`); IPv6 entries are ignored. */
function parseRanges(entries: string[]): [number, number][] {
  const out: [number, number][] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry.includes('-')) {
      const [a, b] = entry.split('-').map((s) => ipToInt(s.trim()));
      if (a !== undefined && b !== undefined && a <= b) out.push([a, b]);
    } else if (entry.includes('/')) {
      try {
        const [addr, bits] = ipaddr.parseCIDR(entry);
        if (addr.kind() !== 'ipv4') continue;
        const base = ipToInt(addr.toString()) ?? 0;
        const size = 2 ** (32 - bits);
        const start = base - (base % size);
        out.push([start, start + size - 1]);
      } catch {
        // An unparsable entry is skipped; the CRD's own validation reports bad input.
      }
    }
  }
  return out;
}

function legacyConfig(store: ObjectStore): Obj | undefined {
  const cm = store.get(R.configmaps, METALLB_NAMESPACE, 'config');
  const text = obj(cm?.data).config;
  if (typeof text !== 'string') return undefined;
  try {
    return obj(parseYaml(text));
  } catch {
    return undefined;
  }
}

export function pools(store: ObjectStore): Pool[] {
  const crdPools = store.list(R.pools, METALLB_NAMESPACE).map((p): Pool => {
    const spec = obj(p.spec);
    return {
      name: p.metadata.name,
      autoAssign: spec.autoAssign !== false,
      avoidBuggyIPs: spec.avoidBuggyIPs === true,
      labels: p.metadata.labels ?? {},
      protocol: 'bgp',
      ranges: parseRanges(list<string>(spec.addresses)),
    };
  });
  const legacy = list(legacyConfig(store)?.['address-pools']).map((p): Pool => ({
    name: String(p.name ?? ''),
    autoAssign: p['auto-assign'] !== false,
    avoidBuggyIPs: p['avoid-buggy-ips'] === true,
    labels: {},
    protocol: p.protocol === 'layer2' ? 'layer2' : 'bgp',
    ranges: parseRanges(list<string>(p.addresses)),
  }));
  return [...crdPools, ...legacy];
}

function inPool(pool: Pool, n: number): boolean {
  const buggy = pool.avoidBuggyIPs && ((n & 255) === 0 || (n & 255) === 255);
  return !buggy && pool.ranges.some(([a, b]) => n >= a && n <= b);
}

function poolOf(all: Pool[], ip: string): Pool | undefined {
  const n = ipToInt(ip);
  return n === undefined ? undefined : all.find((p) => inPool(p, n));
}

function serviceIps(svc: KubeObject): string[] {
  return list(obj(obj(svc.status).loadBalancer).ingress)
    .map((i) => String(i.ip ?? ''))
    .filter(Boolean);
}

function requestedIps(svc: KubeObject): string[] {
  const a = svc.metadata.annotations ?? {};
  const annotated = a['metallb.io/loadBalancerIPs'] ?? a['metallb.universe.tf/loadBalancerIPs'];
  if (annotated)
    return annotated
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const legacy = obj(svc.spec).loadBalancerIP;
  return typeof legacy === 'string' && legacy ? [legacy] : [];
}

function requestedPool(svc: KubeObject): string | undefined {
  const a = svc.metadata.annotations ?? {};
  return a['metallb.io/address-pool'] ?? a['metallb.universe.tf/address-pool'];
}

function chooseIp(svc: KubeObject, all: Pool[], used: Set<string>): string | undefined {
  const wanted = requestedIps(svc);
  if (wanted.length > 0) {
    const ip = wanted[0] ?? '';
    return poolOf(all, ip) && !used.has(ip) ? ip : undefined;
  }
  const poolName = requestedPool(svc);
  const candidates = poolName ? all.filter((p) => p.name === poolName) : all.filter((p) => p.autoAssign);
  for (const pool of candidates) {
    for (const [a, b] of pool.ranges) {
      for (let n = a; n <= b; n++) {
        const ip = intToIp(n);
        if (inPool(pool, n) && !used.has(ip)) return ip;
      }
    }
  }
  return undefined;
}

/** MetalLB's controller: assigns and releases LoadBalancer IPs, only while it is Ready. */
export function reconcileLoadBalancers(store: ObjectStore): void {
  if (!controllerReady(store)) return;
  const all = pools(store);
  const lbClass = metallbLoadBalancerClass(store, 'controller');
  // Services of another class belong to another controller: their status is not MetalLB's to write.
  const services = store.list(R.services).filter((svc) => servedByMetallb(svc, lbClass));
  const used = new Set<string>();
  const keep = new Map<string, string[]>();
  for (const svc of services) {
    const isLb = obj(svc.spec).type === 'LoadBalancer';
    const valid = serviceIps(svc).filter((ip) => isLb && poolOf(all, ip) && !used.has(ip));
    const wanted = requestedIps(svc);
    const stillWanted = wanted.length === 0 ? valid : valid.filter((ip) => wanted.includes(ip));
    stillWanted.forEach((ip) => used.add(ip));
    keep.set(`${svc.metadata.namespace}/${svc.metadata.name}`, stillWanted);
  }
  for (const svc of services) {
    const isLb = obj(svc.spec).type === 'LoadBalancer';
    let ips = keep.get(`${svc.metadata.namespace}/${svc.metadata.name}`) ?? [];
    if (isLb && ips.length === 0) {
      const ip = chooseIp(svc, all, used);
      if (ip) {
        used.add(ip);
        ips = [ip];
      }
    }
    const status = {
      ...obj(svc.status),
      loadBalancer: ips.length ? { ingress: ips.map((ip) => ({ ip, ipMode: 'VIP' })) } : {},
    };
    if (!deepEqual(status, svc.status)) store.update(R.services, { ...svc, status });
  }
}

// ---- what the speakers announce ---------------------------------------------------------------

function seconds(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || !v) return undefined;
  let total = 0;
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)(h|m|s|ms)/g)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 's' ? n : n / 1000;
  }
  return total;
}

function secretPassword(store: ObjectStore, ref: Obj): string | undefined {
  const secret = store.get(R.secrets, String(ref.namespace ?? METALLB_NAMESPACE), String(ref.name ?? ''));
  const data = obj(secret?.data);
  if (typeof data.password === 'string') return Buffer.from(data.password, 'base64').toString('utf8');
  const plain = obj(secret?.stringData).password;
  return typeof plain === 'string' ? plain : undefined;
}

interface PeerRule {
  peer: SpeakerPeer;
  nodeSelectors: LabelSelector[];
}

function crdPeers(store: ObjectStore): PeerRule[] {
  return store.list(R.peers, METALLB_NAMESPACE).map((p) => {
    const spec = obj(p.spec);
    const peer: SpeakerPeer = {
      peerAddress: String(spec.peerAddress ?? ''),
      peerAsn: Number(spec.peerASN ?? 0),
      myAsn: Number(spec.myASN ?? 0),
    };
    if (spec.peerPort !== undefined) peer.peerPort = Number(spec.peerPort);
    const hold = seconds(spec.holdTime);
    if (hold !== undefined) peer.holdTimeSeconds = hold;
    const keepalive = seconds(spec.keepaliveTime);
    if (keepalive !== undefined) peer.keepaliveSeconds = keepalive;
    const password = spec.passwordSecret
      ? secretPassword(store, obj(spec.passwordSecret))
      : typeof spec.password === 'string' && spec.password
        ? spec.password
        : undefined;
    if (password) peer.password = password;
    return { peer, nodeSelectors: list<LabelSelector>(spec.nodeSelectors) };
  });
}

function legacyPeers(store: ObjectStore): PeerRule[] {
  return list(legacyConfig(store)?.peers).map((p) => {
    const peer: SpeakerPeer = {
      peerAddress: String(p['peer-address'] ?? ''),
      peerAsn: Number(p['peer-asn'] ?? 0),
      myAsn: Number(p['my-asn'] ?? 0),
    };
    if (p['peer-port'] !== undefined) peer.peerPort = Number(p['peer-port']);
    const hold = seconds(p['hold-time']);
    if (hold !== undefined) peer.holdTimeSeconds = hold;
    if (typeof p.password === 'string' && p.password) peer.password = p.password;
    const selectors = list(p['node-selectors']).map((s): LabelSelector => {
      const sel: NonNullable<LabelSelector> = {};
      if (s['match-labels']) sel.matchLabels = obj(s['match-labels']) as Record<string, string>;
      if (s['match-expressions'])
        sel.matchExpressions = list(s['match-expressions']) as NonNullable<LabelSelector>['matchExpressions'];
      return sel;
    });
    return { peer, nodeSelectors: selectors };
  });
}

function selects(selectors: LabelSelector[], labels: Record<string, string> | undefined): boolean {
  return selectors.length === 0 || selectors.some((s) => matchesLabelSelectorObject(labels, s));
}

interface Advertisement {
  covers(pool: Pool): boolean;
  nodeSelectors: LabelSelector[];
}

function advertisements(store: ObjectStore, all: Pool[]): Advertisement[] {
  const crd = store.list(R.adverts, METALLB_NAMESPACE).map((a): Advertisement => {
    const spec = obj(a.spec);
    const names = list<string>(spec.ipAddressPools);
    const selectors = list<LabelSelector>(spec.ipAddressPoolSelectors);
    return {
      covers: (pool) =>
        (names.length === 0 && selectors.length === 0) ||
        names.includes(pool.name) ||
        selectors.some((s) => matchesLabelSelectorObject(pool.labels, s)),
      nodeSelectors: list<LabelSelector>(spec.nodeSelectors),
    };
  });
  // The legacy ConfigMap advertises every bgp pool.
  const legacy =
    legacyConfig(store) && all.some((p) => p.protocol === 'bgp')
      ? [{ covers: (p: Pool) => p.protocol === 'bgp' && p.labels !== undefined, nodeSelectors: [] }]
      : [];
  return [...crd, ...legacy];
}

export function clusterBgpView(
  store: ObjectStore,
  labNodes: { name: string; address: string }[],
): ClusterBgpView {
  const speakersReady = speakerReadyNodes(store);
  const peerRules = [...crdPeers(store), ...legacyPeers(store)];
  const all = pools(store);
  const adverts = advertisements(store, all);
  const nodeObjects = new Map(store.list(R.nodes).map((n) => [n.metadata.name, n]));
  const labels = (node: string): Record<string, string> | undefined => nodeObjects.get(node)?.metadata.labels;
  const canAnnounce = (node: string): boolean =>
    speakersReady.has(node) && labels(node)?.[EXCLUDE_LABEL] === undefined;

  const lbClass = metallbLoadBalancerClass(store, 'speaker');
  const services: ServiceAnnouncement[] = [];
  for (const svc of store.list(R.services)) {
    if (obj(svc.spec).type !== 'LoadBalancer' || !servedByMetallb(svc, lbClass)) continue;
    const endpointNodes = readyEndpointNodes(store, svc.metadata.namespace, svc.metadata.name);
    const local = obj(svc.spec).externalTrafficPolicy === 'Local';
    for (const ip of serviceIps(svc)) {
      const pool = poolOf(all, ip);
      const covering = pool ? adverts.filter((a) => a.covers(pool)) : [];
      let nodes: string[] = [];
      if (covering.length > 0 && endpointNodes.length > 0) {
        nodes = labNodes
          .map((n) => n.name)
          .filter((n) => canAnnounce(n))
          .filter((n) => covering.some((a) => selects(a.nodeSelectors, labels(n))))
          .filter((n) => !local || endpointNodes.includes(n));
      }
      services.push({ namespace: svc.metadata.namespace ?? 'default', name: svc.metadata.name, ip, nodes });
    }
  }

  const speakers: NodeSpeaker[] = labNodes.map((n) => ({
    node: n.name,
    address: n.address,
    peers: speakersReady.has(n.name)
      ? peerRules.filter((r) => selects(r.nodeSelectors, labels(n.name))).map((r) => r.peer)
      : [],
    announcements: [
      ...new Set(services.filter((s) => s.nodes.includes(n.name)).map((s) => `${s.ip}/32`)),
    ].sort(),
  }));
  return { speakers, services };
}
