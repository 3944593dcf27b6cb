// The Kubernetes API emulator: an HTTPS API server with its own CA, a kubeconfig for clients,
// simulated controllers, MetalLB's webhook and IPAM, and the speakers' view for routing backends.

import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { KubeApi } from './api.ts';
import { SchemaValidator, builtinDefaults } from './admission.ts';
import { WorkloadControllers, nodeObject, type LabNode } from './controllers.ts';
import { clusterBgpView, metallbWebhook, reconcileLoadBalancers } from './metallb.ts';
import { ResourceRegistry, minorVersion, typesFromCrd, type ResourceType } from './resources.ts';
import { scenarioObjects, type Scenario } from './scenarios.ts';
import { KubeHttpServer, type Faults } from './server.ts';
import { ObjectStore, type KubeObject } from './store.ts';
import { loadOrCreateCertificates } from './tls.ts';
import { deepEqual } from './fields.ts';
import type { ClusterBgpView } from '../speakers/types.ts';

export type { Scenario } from './scenarios.ts';
export type { FaultRule, Faults } from './server.ts';
export type { KubeObject } from './store.ts';
export { SCENARIOS } from './scenarios.ts';

export interface KubeEmulatorOptions {
  stateDir: string;
  nodes: LabNode[];
  /** `1.30` by default; below 1.25 the server also serves policy/v1beta1 PodSecurityPolicy. */
  kubernetesVersion?: string;
  /** How long new pods take to become Ready (default 1500 ms; 0 = on the next tick). */
  readinessDelayMs?: number;
  scenario?: Scenario[];
  /**
   * How long a deleted Namespace waits for its contents to be deleted, counted from the last
   * deletion inside it, before the rest is purged (default 5000 ms). It is removed as soon as it is
   * empty either way.
   */
  namespaceTerminationGraceMs?: number;
  host?: '127.0.0.1';
  port?: number;
}

/** Direct access to stored objects, for tests and the lab's own wiring. */
export interface StoreAccess {
  get(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined;
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  /** Creates or replaces an object without admission (as a controller would write it). */
  put(obj: KubeObject): KubeObject;
  raw: ObjectStore;
}

export interface KubeEmulator {
  url: string;
  kubeconfigPath: string;
  caPem: string;
  token: string;
  kubernetesVersion: string;
  faults: Faults;
  clusterBgpView(): ClusterBgpView;
  onBgpViewChange(cb: (view: ClusterBgpView) => void): () => void;
  store: StoreAccess;
  stop(): Promise<void>;
}

const CRDS = 'apiextensions.k8s.io/customresourcedefinitions';

function kubeconfigText(url: string, caPem: string, token: string): string {
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'metallb-lab',
        cluster: { server: url, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
      },
    ],
    users: [{ name: 'metallb-lab-admin', user: { token } }],
    contexts: [
      {
        name: 'metallb-lab',
        context: { cluster: 'metallb-lab', user: 'metallb-lab-admin', namespace: 'default' },
      },
    ],
    'current-context': 'metallb-lab',
    preferences: {},
  });
}

function typeOrThrow(registry: ResourceRegistry, apiVersion: string, kind: string): ResourceType {
  const t = registry.byKind(apiVersion, kind);
  if (!t) throw new Error(`the emulator does not serve ${kind} in ${apiVersion}`);
  return t;
}

export async function startKubeEmulator(opts: KubeEmulatorOptions): Promise<KubeEmulator> {
  const kubernetesVersion = opts.kubernetesVersion ?? '1.30';
  minorVersion(kubernetesVersion);
  if (opts.nodes.length === 0)
    throw new Error('startKubeEmulator: nodes is empty; give at least one {name, address}');
  const stateDir = resolve(opts.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const certs = loadOrCreateCertificates(stateDir);
  const token = randomBytes(24).toString('base64url');

  const registry = new ResourceRegistry(kubernetesVersion);
  const store = new ObjectStore();
  const api = new KubeApi(registry, store, {
    namespaceTerminationGraceMs: opts.namespaceTerminationGraceMs,
  });
  const validator = new SchemaValidator();

  // CRDs register their kinds synchronously so the very next request can use them.
  store.onEvent((e) => {
    if (e.resource !== CRDS) return;
    registry.setCustom(store.list(CRDS).flatMap((c) => typesFromCrd(c)));
    if (e.type === 'DELETED') {
      const spec = (e.object.spec ?? {}) as { group?: string; names?: { plural?: string } };
      const resource = `${spec.group ?? ''}/${spec.names?.plural ?? ''}`;
      for (const o of store.list(resource)) store.delete(resource, o.metadata.namespace, o.metadata.name);
    }
  });

  api.addAdmission(builtinDefaults(store));
  api.addAdmission((req) => {
    if (req.operation === 'DELETE' || !req.type.crd) return;
    validator.prune(req.type, req.object, req.fieldValidation === 'Strict');
    validator.validate(req.type, req.object);
  });
  api.addAdmission(metallbWebhook(store));

  const controllers = new WorkloadControllers(store, opts.readinessDelayMs ?? 1500);
  controllers.addReconciler(() => reconcileLoadBalancers(store));

  seedCluster(api, opts.nodes, kubernetesVersion);
  for (const scenario of opts.scenario ?? []) seedScenario(api, scenario, opts.nodes);

  const http = new KubeHttpServer({ api, token, kubernetesVersion, tls: certs });
  const url = await http.listen(opts.host ?? '127.0.0.1', opts.port ?? 0);
  const kubeconfigPath = join(stateDir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfigText(url, certs.caPem, token), { mode: 0o600 });
  controllers.schedule();

  const viewListeners = new Set<(v: ClusterBgpView) => void>();
  let lastView = clusterBgpView(store, opts.nodes);
  let viewCheck: NodeJS.Immediate | undefined;
  const unsubscribeView = store.onEvent(() => {
    // Coalesce bursts of writes into one comparison.
    viewCheck ??= setImmediate(() => {
      viewCheck = undefined;
      const view = clusterBgpView(store, opts.nodes);
      if (deepEqual(view, lastView)) return;
      lastView = view;
      for (const cb of [...viewListeners]) cb(structuredClone(view));
    });
  });

  const storeAccess: StoreAccess = {
    raw: store,
    get: (apiVersion, kind, name, namespace) => {
      const t = typeOrThrow(registry, apiVersion, kind);
      const o = store.get(
        `${t.group}/${t.plural}`,
        t.namespaced ? (namespace ?? 'default') : undefined,
        name,
      );
      return o ? api.present(t, o) : undefined;
    },
    list: (apiVersion, kind, namespace) => {
      const t = typeOrThrow(registry, apiVersion, kind);
      return store.list(`${t.group}/${t.plural}`, namespace).map((o) => api.present(t, o));
    },
    put: (obj) => {
      const t = typeOrThrow(registry, String(obj.apiVersion), String(obj.kind));
      const key = `${t.group}/${t.plural}`;
      const exists = store.get(key, obj.metadata.namespace, obj.metadata.name);
      return exists ? store.update(key, obj) : store.create(key, obj);
    },
  };

  return {
    url,
    kubeconfigPath,
    caPem: certs.caPem,
    token,
    kubernetesVersion,
    faults: http.faults,
    clusterBgpView: () => clusterBgpView(store, opts.nodes),
    onBgpViewChange: (cb) => {
      viewListeners.add(cb);
      return () => viewListeners.delete(cb);
    },
    store: storeAccess,
    stop: async () => {
      unsubscribeView();
      if (viewCheck) clearImmediate(viewCheck);
      controllers.stop();
      api.close();
      await http.close();
    },
  };
}

function seedCluster(api: KubeApi, nodes: LabNode[], kubernetesVersion: string): void {
  const create = (obj: KubeObject): void => {
    const t = typeOrThrow(api.registry, String(obj.apiVersion), String(obj.kind));
    api.create(t, obj.metadata.namespace, obj, { fieldManager: 'kube-apiserver' });
  };
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const nodeType = typeOrThrow(api.registry, 'v1', 'Node');
  for (const n of nodes) {
    const node = nodeObject(n, kubernetesVersion);
    const created = api.create(nodeType, undefined, node, { fieldManager: 'kubelet' });
    // Node status comes from the kubelet, not from the create request.
    api.store.update('/nodes', { ...created, status: node.status });
  }
  create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] },
  });
}

function seedScenario(api: KubeApi, scenario: Scenario, nodes: LabNode[]): void {
  for (const raw of scenarioObjects(scenario, { nodes })) {
    const obj = raw as KubeObject;
    const t = typeOrThrow(api.registry, String(obj.apiVersion), String(obj.kind));
    const ns = t.namespaced ? (obj.metadata.namespace ?? 'default') : undefined;
    const key = `${t.group}/${t.plural}`;
    if (api.store.get(key, ns, obj.metadata.name)) continue;
    const created = api.create(t, ns, obj, { fieldManager: 'lab-scenario' });
    // Seeded status (e.g. k3s's ServiceLB ingress) is what that cluster's controllers would have written.
    if (obj.status !== undefined && t.hasStatus) api.store.update(key, { ...created, status: obj.status });
  }
}
