// What the cluster already has, before the wizard changes anything: version, nodes, an existing
// MetalLB (manifest or Helm), kube-proxy's mode, and other load-balancer or BGP software in the way.

import type { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { MANAGED_BY_LABELS } from '../../shared/plan/index.ts';
import { FIELD_MANAGER, KubeClient, asList, asObj, type Obj } from './client.ts';

export interface ProbedNode {
  name: string;
  internalIP: string | null;
  ready: boolean;
  excludedFromExternalLoadBalancers: boolean;
}

export interface ExistingPool {
  name: string;
  addresses: string[];
  managedByUs: boolean;
}

export interface ExistingPeer {
  name: string;
  peerAddress: string;
  peerASN: number;
  myASN: number;
  managedByUs: boolean;
}

export interface ExistingMetallb {
  namespace: string;
  /** From the controller's image tag (`v0.14.9`); null when the image has no tag. */
  version: string | null;
  method: 'manifest' | 'helm';
  format: 'crd' | 'configmap';
  controllerName: string;
  speakerName: string | null;
  pools: ExistingPool[];
  peers: ExistingPeer[];
  controllerReady: boolean;
  speakerReady: boolean;
  /** The wizard installed it (its objects carry our field manager or our labels). */
  managedByUs: boolean;
}

export type ConflictCode = 'k3s-servicelb' | 'kube-vip' | 'calico-bgp' | 'other-lb-controller';

export interface ClusterConflict {
  code: ConflictCode;
  /** 'conflict' must be resolved first; 'note' is worth knowing but does not block. */
  severity: 'conflict' | 'note';
  message: string;
  whatToDo: string;
}

export interface ClusterProbe {
  server: string;
  version: { gitVersion: string; minor: number };
  nodes: ProbedNode[];
  metallb: ExistingMetallb | null;
  kubeProxy: { mode: 'iptables' | 'ipvs' | 'unknown'; strictARP: boolean | null };
  conflicts: ClusterConflict[];
}

const EXCLUDE_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

export function labelsOf(o: Obj): Record<string, string> {
  return asObj(asObj(o.metadata).labels) as Record<string, string>;
}

export function nameOf(o: Obj): string {
  return String(asObj(o.metadata).name ?? '');
}

export function namespaceOf(o: Obj): string {
  return String(asObj(o.metadata).namespace ?? '');
}

/** Whether our field manager wrote the object, or it carries the planner's labels. */
export function isOurs(o: Obj): boolean {
  const labels = labelsOf(o);
  const labelled = Object.entries(MANAGED_BY_LABELS).every(([k, v]) => labels[k] === v);
  const managers = asList(asObj(o.metadata).managedFields).map((m) => asObj(m).manager);
  return labelled || managers.includes(FIELD_MANAGER);
}

function podContainers(o: Obj): Obj[] {
  return asList(asObj(asObj(asObj(o.spec).template).spec).containers);
}

function imageTag(image: string): string | null {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash ? withoutDigest.slice(colon + 1) : null;
}

function isMetallb(o: Obj, component: 'controller' | 'speaker'): 'manifest' | 'helm' | null {
  const l = labelsOf(o);
  if (l['app.kubernetes.io/name'] === 'metallb' && l['app.kubernetes.io/component'] === component)
    return 'helm';
  if (l.app === 'metallb' && l.component === component) return 'manifest';
  return null;
}

export function deploymentReady(d: Obj): boolean {
  const spec = asObj(d.spec);
  const status = asObj(d.status);
  const replicas = Number(spec.replicas ?? 1);
  const generation = Number(asObj(d.metadata).generation ?? 0);
  return (
    Number(status.observedGeneration ?? 0) >= generation &&
    Number(status.updatedReplicas ?? 0) >= replicas &&
    Number(status.availableReplicas ?? 0) >= replicas &&
    Number(status.readyReplicas ?? 0) >= replicas
  );
}

export function daemonSetReady(ds: Obj): boolean {
  const status = asObj(ds.status);
  const desired = Number(status.desiredNumberScheduled ?? 0);
  const generation = Number(asObj(ds.metadata).generation ?? 0);
  return (
    desired > 0 &&
    Number(status.observedGeneration ?? 0) >= generation &&
    Number(status.updatedNumberScheduled ?? 0) >= desired &&
    Number(status.numberReady ?? 0) >= desired
  );
}

function nodeSummary(n: Obj): ProbedNode {
  const status = asObj(n.status);
  const ip = asList(status.addresses).find((a) => a.type === 'InternalIP');
  const ready = asList(status.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
  return {
    name: nameOf(n),
    internalIP: ip ? String(ip.address) : null,
    ready,
    excludedFromExternalLoadBalancers: labelsOf(n)[EXCLUDE_LABEL] !== undefined,
  };
}

function legacyConfig(cm: Obj | undefined): Obj {
  const text = asObj(cm?.data).config;
  if (typeof text !== 'string') return {};
  try {
    return asObj(parseYaml(text));
  } catch {
    return {};
  }
}

async function existingMetallb(
  client: KubeClient,
  deployments: Obj[],
  daemonSets: Obj[],
): Promise<ExistingMetallb | null> {
  const controller = deployments.find((d) => isMetallb(d, 'controller'));
  if (!controller) return null;
  const method = isMetallb(controller, 'controller') ?? 'manifest';
  const namespace = namespaceOf(controller);
  const speaker = daemonSets.find((d) => isMetallb(d, 'speaker') && namespaceOf(d) === namespace);
  const image = String(
    podContainers(controller).find((c) => c.name === 'controller')?.image ??
      podContainers(controller)[0]?.image ??
      '',
  );
  const crd = await client.get(
    'apiextensions.k8s.io/v1',
    'CustomResourceDefinition',
    'ipaddresspools.metallb.io',
  );
  const format = crd ? 'crd' : 'configmap';
  let pools: ExistingPool[];
  let peers: ExistingPeer[];
  if (format === 'crd') {
    pools = (await client.list('metallb.io/v1beta1', 'IPAddressPool', { namespace })).map((p) => ({
      name: nameOf(p),
      addresses: asList<string>(asObj(p.spec).addresses).map(String),
      managedByUs: isOurs(p),
    }));
    const peerVersion = (await client.served('metallb.io/v1beta2', 'BGPPeer'))
      ? 'metallb.io/v1beta2'
      : 'metallb.io/v1beta1';
    peers = (await client.list(peerVersion, 'BGPPeer', { namespace })).map((p) => {
      const spec = asObj(p.spec);
      return {
        name: nameOf(p),
        peerAddress: String(spec.peerAddress ?? ''),
        peerASN: Number(spec.peerASN ?? 0),
        myASN: Number(spec.myASN ?? 0),
        managedByUs: isOurs(p),
      };
    });
  } else {
    const cm = await client.get('v1', 'ConfigMap', 'config', namespace);
    const ours = cm ? isOurs(cm) : false;
    const config = legacyConfig(cm);
    pools = asList(config['address-pools']).map((p) => ({
      name: String(p.name ?? ''),
      addresses: asList<string>(p.addresses).map(String),
      managedByUs: ours,
    }));
    peers = asList(config.peers).map((p) => ({
      name: String(p['peer-address'] ?? ''),
      peerAddress: String(p['peer-address'] ?? ''),
      peerASN: Number(p['peer-asn'] ?? 0),
      myASN: Number(p['my-asn'] ?? 0),
      managedByUs: ours,
    }));
  }
  return {
    namespace,
    version: imageTag(image),
    method,
    format,
    controllerName: nameOf(controller),
    speakerName: speaker ? nameOf(speaker) : null,
    pools,
    peers,
    controllerReady: deploymentReady(controller),
    speakerReady: speaker ? daemonSetReady(speaker) : false,
    managedByUs: isOurs(controller),
  };
}

async function kubeProxyMode(client: KubeClient): Promise<ClusterProbe['kubeProxy']> {
  const cm = await client.get('v1', 'ConfigMap', 'kube-proxy', 'kube-system');
  const text = asObj(cm?.data)['config.conf'];
  if (typeof text !== 'string') return { mode: 'unknown', strictARP: null };
  let conf: Obj;
  try {
    conf = asObj(parseYaml(text));
  } catch {
    return { mode: 'unknown', strictARP: null };
  }
  const raw = String(conf.mode ?? '');
  // kubeadm writes mode "" for the default, which is iptables on Linux.
  const mode = raw === '' || raw === 'iptables' ? 'iptables' : raw === 'ipvs' ? 'ipvs' : 'unknown';
  const strict = asObj(conf.ipvs).strictARP;
  return { mode, strictARP: typeof strict === 'boolean' ? strict : null };
}

function hasImage(o: Obj, pattern: RegExp): boolean {
  return podContainers(o).some((c) => pattern.test(String(c.image ?? '')));
}

function envOf(o: Obj): Record<string, string> {
  const env: Record<string, string> = {};
  for (const c of podContainers(o))
    for (const e of asList(c.env)) env[String(e.name)] = String(e.value ?? '');
  return env;
}

function k3sConflicts(workloads: Obj[]): ClusterConflict[] {
  const svclb = workloads.filter(
    (w) =>
      labelsOf(w)['svccontroller.k3s.cattle.io/svcname'] !== undefined || hasImage(w, /(^|\/)klipper-lb:/),
  );
  if (svclb.length === 0) return [];
  return [
    {
      code: 'k3s-servicelb',
      severity: 'conflict',
      message: `k3s's ServiceLB (Klipper) is serving LoadBalancer Services (${svclb.map((w) => `${namespaceOf(w)}/${nameOf(w)}`).join(', ')}); it would hand out node IPs alongside MetalLB.`,
      whatToDo:
        'Disable it: start k3s with --disable=servicelb (or add "disable: [servicelb]" to /etc/rancher/k3s/config.yaml) on every server and restart k3s, then probe again.',
    },
  ];
}

function kubeVipConflicts(workloads: Obj[], configMaps: Obj[]): ClusterConflict[] {
  const vips = workloads.filter((w) => hasImage(w, /kube-vip/));
  const serving = vips.filter((w) => envOf(w).svc_enable === 'true');
  const cloudProvider = configMaps.find((c) => nameOf(c) === 'kubevip' && namespaceOf(c) === 'kube-system');
  if (serving.length === 0 && !cloudProvider) return [];
  const names = serving.map((w) => `${namespaceOf(w)}/${nameOf(w)}`);
  return [
    {
      code: 'kube-vip',
      severity: 'conflict',
      message: `kube-vip is serving LoadBalancer Services${names.length ? ` (${names.join(', ')} runs with svc_enable=true)` : ''}${cloudProvider ? '; the kube-system/kubevip ConfigMap holds its address ranges' : ''}. Two controllers would fight over the same Services.`,
      whatToDo:
        'Keep kube-vip for the control-plane address only: set svc_enable to "false" in its manifest and remove the kube-vip cloud provider (and its kubevip ConfigMap), then probe again.',
    },
  ];
}

function calicoPeerAddress(peerIP: unknown): string {
  const text = String(peerIP ?? '');
  // Calico accepts "ip:port" and "[ipv6]:port".
  const bracketed = /^\[([^\]]+)\]/.exec(text);
  if (bracketed) return bracketed[1] ?? '';
  return text.split(':').length === 2 ? (text.split(':')[0] ?? '') : text;
}

async function calicoConflicts(
  client: KubeClient,
  routerAddress: string | undefined,
): Promise<ClusterConflict[]> {
  const group = 'crd.projectcalico.org/v1';
  const peers = await client.list(group, 'BGPPeer');
  const configs = await client.list(group, 'BGPConfiguration');
  if (peers.length === 0 && configs.length === 0) return [];
  const same = routerAddress
    ? peers.filter((p) => calicoPeerAddress(asObj(p.spec).peerIP) === routerAddress)
    : [];
  if (same.length > 0) {
    return [
      {
        code: 'calico-bgp',
        severity: 'conflict',
        message: `Calico already peers BGP with the router ${routerAddress} (BGPPeer ${same.map(nameOf).join(', ')}); the router would see two sessions from every node and MetalLB's would fail.`,
        whatToDo: `Either remove Calico's BGPPeer for ${routerAddress} (and let MetalLB peer), or keep Calico's session and advertise the pool through Calico (serviceLoadBalancerIPs in its BGPConfiguration) instead of MetalLB.`,
      },
    ];
  }
  const others = peers.map((p) => calicoPeerAddress(asObj(p.spec).peerIP)).filter(Boolean);
  return [
    {
      code: 'calico-bgp',
      severity: 'note',
      message: `Calico runs BGP in this cluster${others.length ? ` (peering with ${others.join(', ')})` : ''}; it does not peer with the router, so MetalLB can work beside it.`,
      whatToDo:
        'Nothing to do unless Calico and MetalLB peer with the same router; if they must, make MetalLB and Calico use different source ports or let Calico advertise the Service IPs.',
    },
  ];
}

const OTHER_LB_IMAGES: [RegExp, string][] = [
  [/openelb|kubesphere\/porter/, 'OpenELB'],
  [/purelb/, 'PureLB'],
  [/loxilb/, 'LoxiLB'],
  [/kube-vip-cloud-provider/, 'the kube-vip cloud provider'],
];

function otherLbConflicts(workloads: Obj[], explained: boolean, services: Obj[]): ClusterConflict[] {
  const out: ClusterConflict[] = [];
  for (const [pattern, product] of OTHER_LB_IMAGES) {
    const found = workloads.filter((w) => hasImage(w, pattern));
    if (found.length === 0) continue;
    out.push({
      code: 'other-lb-controller',
      severity: 'conflict',
      message: `${product} is installed (${found.map((w) => `${namespaceOf(w)}/${nameOf(w)}`).join(', ')}) and assigns LoadBalancer IPs.`,
      whatToDo: `Uninstall ${product} (or restrict it with a loadBalancerClass) before installing MetalLB.`,
    });
  }
  // Addresses nobody we know of hands out: some other controller does.
  if (!explained && out.length === 0) {
    const assigned = services.filter(
      (s) =>
        asObj(s.spec).type === 'LoadBalancer' &&
        asList(asObj(asObj(s.status).loadBalancer).ingress).length > 0,
    );
    if (assigned.length > 0) {
      out.push({
        code: 'other-lb-controller',
        severity: 'note',
        message: `LoadBalancer Services already have addresses (${assigned.map((s) => `${namespaceOf(s)}/${nameOf(s)}`).join(', ')}), so something else assigns them.`,
        whatToDo:
          'Find that controller (a cloud provider or another load balancer) and make sure it does not serve the same Services as MetalLB.',
      });
    }
  }
  return out;
}

/** Reads what the cluster has; changes nothing. */
export async function probeCluster(
  kc: KubeConfig,
  opts: { routerAddress?: string; signal?: AbortSignal } = {},
): Promise<ClusterProbe> {
  const client = new KubeClient(kc, {
    signal: opts.signal ?? new AbortController().signal,
    what: 'the cluster probe',
  });
  const versionInfo = await client.version();
  const nodes = (await client.list('v1', 'Node')).map(nodeSummary);
  const deployments = await client.list('apps/v1', 'Deployment');
  const daemonSets = await client.list('apps/v1', 'DaemonSet');
  const workloads = [...deployments, ...daemonSets];
  const configMaps = await client.list('v1', 'ConfigMap', { namespace: 'kube-system' });
  const services = await client.list('v1', 'Service');
  const metallb = await existingMetallb(client, deployments, daemonSets);
  const known = [...k3sConflicts(workloads), ...kubeVipConflicts(workloads, configMaps)];
  const conflicts = [
    ...known,
    ...(await calicoConflicts(client, opts.routerAddress)),
    ...otherLbConflicts(workloads, metallb !== null || known.length > 0, services),
  ];
  return {
    server: client.server,
    version: versionInfo,
    nodes,
    metallb,
    kubeProxy: await kubeProxyMode(client),
    conflicts,
  };
}
