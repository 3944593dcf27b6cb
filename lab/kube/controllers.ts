// Simulated controllers, driven by store events and readiness timers (no polling):
// Deployments and DaemonSets create pods on the lab nodes, pods become Ready after the
// readiness delay, Services get EndpointSlices (and Endpoints) from matching pods, and
// workload status follows the pods, as the real controllers report it.

import { createHash, randomBytes } from 'node:crypto';
import { deepEqual } from './fields.ts';
import { matchesLabelSelectorObject } from './selectors.ts';
import type { KubeObject, ObjectStore } from './store.ts';

type Obj = Record<string, unknown>;

export interface LabNode {
  name: string;
  address: string;
}

const K = {
  nodes: '/nodes',
  pods: '/pods',
  services: '/services',
  endpoints: '/endpoints',
  slices: 'discovery.k8s.io/endpointslices',
  deployments: 'apps/deployments',
  daemonsets: 'apps/daemonsets',
} as const;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function shortHash(text: string, len: number): string {
  // Kubernetes name suffixes use consonants and digits only; mimic that alphabet.
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha256').update(text).digest();
  return Array.from(digest.subarray(0, len), (b) => alphabet[b % alphabet.length]).join('');
}

export function isPodReady(pod: KubeObject): boolean {
  const conditions = (obj(pod.status).conditions as Obj[] | undefined) ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function nodeObject(
  node: LabNode,
  kubernetesVersion: string,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        ...labels,
      },
    },
    spec: { podCIDR: '' },
    status: {
      addresses: [
        { type: 'InternalIP', address: node.address },
        { type: 'Hostname', address: node.name },
      ],
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastTransitionTime: now(),
          lastHeartbeatTime: now(),
        },
      ],
      nodeInfo: {
        kubeletVersion: `v${kubernetesVersion}.0`,
        kubeProxyVersion: `v${kubernetesVersion}.0`,
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.1.0-lab',
        containerRuntimeVersion: 'containerd://1.7.0',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

export class WorkloadControllers {
  private readonly store: ObjectStore;
  private readonly delayMs: number;
  private scheduled = false;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly readyAt = new Map<string, number>();
  private podIpCounter = 10;
  private readonly afterReconcile: (() => void)[] = [];
  private readonly unsubscribe: () => void;

  constructor(store: ObjectStore, readinessDelayMs: number) {
    this.store = store;
    this.delayMs = readinessDelayMs;
    this.unsubscribe = store.onEvent(() => this.schedule());
  }

  /** Extra reconcilers (IPAM) that run after the built-in ones. */
  addReconciler(fn: () => void): void {
    this.afterReconcile.push(fn);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.stopped) this.reconcile();
    });
  }

  private later(ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.schedule();
    }, ms);
    this.timers.add(t);
  }

  reconcile(): void {
    for (const d of this.store.list(K.deployments)) this.reconcileDeployment(d);
    for (const ds of this.store.list(K.daemonsets)) this.reconcileDaemonSet(ds);
    for (const p of this.store.list(K.pods)) this.reconcilePod(p);
    for (const d of this.store.list(K.deployments)) this.deploymentStatus(d);
    for (const ds of this.store.list(K.daemonsets)) this.daemonSetStatus(ds);
    for (const s of this.store.list(K.services)) this.reconcileEndpoints(s);
    this.removeOrphanSlices();
    for (const fn of this.afterReconcile) fn();
  }

  private nodes(): KubeObject[] {
    return this.store.list(K.nodes);
  }

  private ownedPods(owner: KubeObject): KubeObject[] {
    return this.store
      .list(K.pods, owner.metadata.namespace)
      .filter((p) => (p.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid));
  }

  private createPod(owner: KubeObject, nodeName: string, suffix: string): void {
    const spec = obj(owner.spec);
    const template = obj(spec.template);
    const meta = obj(template.metadata);
    const podSpec = structuredClone(obj(template.spec));
    podSpec.nodeName = nodeName;
    const ns = owner.metadata.namespace ?? 'default';
    const name = `${owner.metadata.name}-${suffix}`;
    if (this.store.get(K.pods, ns, name)) return;
    this.store.create(K.pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: ns,
        labels: { ...(meta.labels as Record<string, string> | undefined) },
        ...(meta.annotations ? { annotations: meta.annotations as Record<string, string> } : {}),
        ownerReferences: [
          {
            apiVersion: String(owner.apiVersion ?? 'apps/v1'),
            kind: String(owner.kind ?? ''),
            name: owner.metadata.name,
            uid: owner.metadata.uid ?? '',
            controller: true,
          },
        ],
      },
      spec: podSpec,
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: now() }],
      },
    });
  }

  private reconcileDeployment(d: KubeObject): void {
    const replicas = Number(obj(d.spec).replicas ?? 1);
    const pods = this.ownedPods(d);
    const nodes = this.nodes();
    const template = createHash('sha256')
      .update(JSON.stringify(obj(d.spec).template ?? {}))
      .digest('hex')
      .slice(0, 10);
    for (let i = pods.length; i < replicas && nodes.length > 0; i++) {
      const node = this.leastLoadedNode(nodes, this.ownedPods(d));
      if (!node) break;
      this.createPod(
        d,
        node.metadata.name,
        `${shortHash(template + d.metadata.uid, 10)}-${shortHash(randomBytes(8).toString('hex'), 5)}`,
      );
    }
    for (const extra of pods.slice(replicas))
      this.store.delete(K.pods, extra.metadata.namespace, extra.metadata.name);
  }

  /** Spreads replicas as the scheduler's topology spreading would: fewest siblings, then fewest pods. */
  private leastLoadedNode(nodes: KubeObject[], siblings: KubeObject[]): KubeObject | undefined {
    const all = this.store.list(K.pods);
    const count = (list: KubeObject[], node: string): number =>
      list.filter((p) => obj(p.spec).nodeName === node).length;
    return [...nodes].sort(
      (a, b) =>
        count(siblings, a.metadata.name) - count(siblings, b.metadata.name) ||
        count(all, a.metadata.name) - count(all, b.metadata.name),
    )[0];
  }

  private dsNodes(ds: KubeObject): KubeObject[] {
    const podSpec = obj(obj(obj(ds.spec).template).spec);
    const selector = (podSpec.nodeSelector as Record<string, string> | undefined) ?? {};
    return this.nodes().filter((n) =>
      Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v),
    );
  }

  private reconcileDaemonSet(ds: KubeObject): void {
    const pods = this.ownedPods(ds);
    const nodes = this.dsNodes(ds);
    for (const node of nodes) {
      if (!pods.some((p) => obj(p.spec).nodeName === node.metadata.name)) {
        this.createPod(ds, node.metadata.name, shortHash(`${ds.metadata.uid}/${node.metadata.name}`, 5));
      }
    }
    const wanted = new Set(nodes.map((n) => n.metadata.name));
    for (const p of pods)
      if (!wanted.has(String(obj(p.spec).nodeName)))
        this.store.delete(K.pods, p.metadata.namespace, p.metadata.name);
  }

  private podIp(pod: KubeObject, nodeAddress: string, nodeIndex: number): string {
    if (obj(pod.spec).hostNetwork === true) return nodeAddress;
    const n = this.podIpCounter++;
    return `10.244.${nodeIndex}.${(n % 250) + 2}`;
  }

  /** Schedules unplaced pods and turns Pending pods Ready once the readiness delay has passed. */
  private reconcilePod(pod: KubeObject): void {
    if (isPodReady(pod)) return;
    const nodes = this.nodes();
    const spec = obj(pod.spec);
    const key = `${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.uid}`;
    if (!spec.nodeName) {
      const node = nodes[this.podIpCounter % Math.max(1, nodes.length)];
      if (!node) return;
      this.store.update(K.pods, { ...pod, spec: { ...spec, nodeName: node.metadata.name } });
      return;
    }
    const due = this.readyAt.get(key) ?? Date.now() + this.delayMs;
    this.readyAt.set(key, due);
    const wait = due - Date.now();
    if (wait > 0) {
      this.later(wait);
      return;
    }
    this.readyAt.delete(key);
    const nodeIndex = nodes.findIndex((n) => n.metadata.name === spec.nodeName);
    const node = nodes[nodeIndex];
    const nodeAddress = String(
      ((obj(node?.status).addresses as Obj[] | undefined) ?? []).find((a) => a.type === 'InternalIP')
        ?.address ?? '',
    );
    const ip = String(obj(pod.status).podIP ?? '') || this.podIp(pod, nodeAddress, nodeIndex + 1);
    const containers = (spec.containers as Obj[] | undefined) ?? [];
    const t = now();
    this.store.update(K.pods, {
      ...pod,
      status: {
        phase: 'Running',
        hostIP: nodeAddress,
        podIP: ip,
        podIPs: [{ ip }],
        startTime: t,
        conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
          type,
          status: 'True',
          lastTransitionTime: t,
        })),
        containerStatuses: containers.map((c) => ({
          name: String(c.name ?? ''),
          image: String(c.image ?? ''),
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: t } },
        })),
      },
    });
  }

  private writeStatus(resource: string, o: KubeObject, status: Obj): void {
    if (deepEqual(o.status, status)) return;
    this.store.update(resource, { ...o, status });
  }

  private deploymentStatus(d: KubeObject): void {
    const replicas = Number(obj(d.spec).replicas ?? 1);
    const pods = this.ownedPods(d);
    const ready = pods.filter(isPodReady).length;
    const available = ready >= replicas;
    const previous = ((obj(d.status).conditions as Obj[] | undefined) ?? []).find(
      (c) => c.type === 'Available',
    );
    const status = String(available);
    const cap = (s: string): string => (s === 'true' ? 'True' : 'False');
    this.writeStatus(K.deployments, d, {
      observedGeneration: d.metadata.generation ?? 1,
      replicas: pods.length,
      updatedReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(pods.length - ready > 0 ? { unavailableReplicas: pods.length - ready } : {}),
      conditions: [
        {
          type: 'Available',
          status: cap(status),
          reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          message: available
            ? 'Deployment has minimum availability.'
            : 'Deployment does not have minimum availability.',
          lastTransitionTime:
            previous && previous.status === cap(status) ? previous.lastTransitionTime : now(),
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${d.metadata.name}" has successfully progressed.`,
        },
      ],
    });
  }

  private daemonSetStatus(ds: KubeObject): void {
    const pods = this.ownedPods(ds);
    const ready = pods.filter(isPodReady).length;
    const desired = this.dsNodes(ds).length;
    this.writeStatus(K.daemonsets, ds, {
      observedGeneration: ds.metadata.generation ?? 1,
      desiredNumberScheduled: desired,
      currentNumberScheduled: pods.length,
      updatedNumberScheduled: pods.length,
      numberReady: ready,
      numberAvailable: ready,
      numberMisscheduled: 0,
      ...(desired - ready > 0 ? { numberUnavailable: desired - ready } : {}),
    });
  }

  private reconcileEndpoints(svc: KubeObject): void {
    const spec = obj(svc.spec);
    const selector = spec.selector as Record<string, string> | undefined;
    if (!selector || Object.keys(selector).length === 0) return;
    const ns = svc.metadata.namespace;
    const pods = this.store
      .list(K.pods, ns)
      .filter(
        (p) =>
          matchesLabelSelectorObject(p.metadata.labels, { matchLabels: selector }) && obj(p.status).podIP,
      );
    const ports = ((spec.ports as Obj[] | undefined) ?? []).map((p) => ({
      name: String(p.name ?? ''),
      port: typeof p.targetPort === 'number' ? p.targetPort : Number(p.port),
      protocol: String(p.protocol ?? 'TCP'),
    }));
    const owner = [
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: svc.metadata.name,
        uid: svc.metadata.uid ?? '',
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
    const sliceName = `${svc.metadata.name}-${shortHash(svc.metadata.uid ?? svc.metadata.name, 5)}`;
    const endpoints = pods.map((p) => ({
      addresses: [String(obj(p.status).podIP)],
      conditions: { ready: isPodReady(p), serving: isPodReady(p), terminating: false },
      nodeName: String(obj(p.spec).nodeName ?? ''),
      targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
    }));
    const slice: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: sliceName,
        namespace: ns,
        generateName: `${svc.metadata.name}-`,
        labels: {
          'kubernetes.io/service-name': svc.metadata.name,
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        },
        ownerReferences: owner,
      },
      addressType: 'IPv4',
      endpoints,
      ports,
    };
    this.upsert(K.slices, slice, ['endpoints', 'ports']);
    const ready = pods.filter(isPodReady);
    const notReady = pods.filter((p) => !isPodReady(p));
    const addr = (p: KubeObject): Obj => ({
      ip: String(obj(p.status).podIP),
      nodeName: String(obj(p.spec).nodeName ?? ''),
      targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
    });
    const subset: Obj = { ports: ports.map((p) => ({ ...p, name: p.name || undefined })) };
    if (ready.length) subset.addresses = ready.map(addr);
    if (notReady.length) subset.notReadyAddresses = notReady.map(addr);
    this.upsert(
      K.endpoints,
      {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: svc.metadata.name, namespace: ns, labels: { ...svc.metadata.labels } },
        subsets: pods.length ? [JSON.parse(JSON.stringify(subset)) as Obj] : [],
      },
      ['subsets'],
    );
  }

  private upsert(resource: string, desired: KubeObject, fields: string[]): void {
    const existing = this.store.get(resource, desired.metadata.namespace, desired.metadata.name);
    if (!existing) {
      this.store.create(resource, desired);
      return;
    }
    if (fields.every((f) => deepEqual(existing[f], desired[f]))) return;
    const next: KubeObject = { ...existing };
    for (const f of fields) next[f] = desired[f];
    this.store.update(resource, next);
  }

  private removeOrphanSlices(): void {
    for (const resource of [K.slices, K.endpoints]) {
      for (const s of this.store.list(resource)) {
        const svcName =
          resource === K.slices ? s.metadata.labels?.['kubernetes.io/service-name'] : s.metadata.name;
        if (svcName && !this.store.get(K.services, s.metadata.namespace, svcName)) {
          this.store.delete(resource, s.metadata.namespace, s.metadata.name);
        }
      }
    }
  }
}
