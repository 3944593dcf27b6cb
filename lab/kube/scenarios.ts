// Seed data for what the app's cluster probe must detect. Each scenario is a list of objects
// (created through the API like any client would), so adding a scenario is adding data.

type Obj = Record<string, unknown>;

export type Scenario =
  | 'kube-proxy-iptables'
  | 'kube-proxy-ipvs'
  | 'kube-proxy-ipvs-strictarp'
  | 'k3s-servicelb'
  | 'kube-vip'
  | 'calico-bgp'
  | 'metallb-helm'
  | 'metallb-manifest';

export const SCENARIOS: readonly Scenario[] = [
  'kube-proxy-iptables',
  'kube-proxy-ipvs',
  'kube-proxy-ipvs-strictarp',
  'k3s-servicelb',
  'kube-vip',
  'calico-bgp',
  'metallb-helm',
  'metallb-manifest',
];

export interface ScenarioContext {
  nodes: { name: string; address: string }[];
}

const ns = (name: string): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

function container(name: string, image: string, extra: Obj = {}): Obj {
  return { name, image, ...extra };
}

function daemonSet(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  containers: Obj[],
  extra: Obj = {},
): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace, labels },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers, ...extra } },
    },
  };
}

function deployment(namespace: string, name: string, labels: Record<string, string>, containers: Obj[]): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers } },
    },
  };
}

function kubeProxy(mode: 'iptables' | 'ipvs', strictARP: boolean): Obj[] {
  const conf = [
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
    'kind: KubeProxyConfiguration',
    'bindAddress: 0.0.0.0',
    'clusterCIDR: 10.244.0.0/16',
    'ipvs:',
    '  scheduler: ""',
    `  strictARP: ${strictARP}`,
    `mode: "${mode === 'iptables' ? '' : mode}"`,
    '',
  ].join('\n');
  // kubeadm writes mode "" for the iptables default; keep that realism.
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } },
      data: { 'config.conf': conf, 'kubeconfig.conf': '' },
    },
    daemonSet(
      'kube-system',
      'kube-proxy',
      { 'k8s-app': 'kube-proxy' },
      [container('kube-proxy', 'registry.k8s.io/kube-proxy:v1.30.0')],
      { hostNetwork: true },
    ),
  ];
}

function k3sServiceLb(ctx: ScenarioContext): Obj[] {
  const labels = {
    app: 'svclb-traefik-7d1f6c2e',
    'svccontroller.k3s.cattle.io/svcname': 'traefik',
    'svccontroller.k3s.cattle.io/svcnamespace': 'kube-system',
  };
  return [
    daemonSet('kube-system', 'svclb-traefik-7d1f6c2e', labels, [
      container('lb-tcp-80', 'rancher/klipper-lb:v0.4.7', {
        ports: [{ containerPort: 80, hostPort: 80, protocol: 'TCP' }],
      }),
    ]),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'traefik',
        namespace: 'kube-system',
        labels: { 'app.kubernetes.io/name': 'traefik' },
      },
      spec: {
        type: 'LoadBalancer',
        selector: { 'app.kubernetes.io/name': 'traefik' },
        ports: [{ name: 'web', port: 80, targetPort: 'web' }],
      },
      status: { loadBalancer: { ingress: ctx.nodes.map((n) => ({ ip: n.address })) } },
    },
  ];
}

function kubeVip(): Obj[] {
  const env = [
    { name: 'vip_arp', value: 'true' },
    { name: 'cp_enable', value: 'true' },
    { name: 'svc_enable', value: 'true' },
    { name: 'vip_interface', value: 'eth0' },
  ];
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kubevip', namespace: 'kube-system' },
      data: { 'range-global': '10.77.1.200-10.77.1.220' },
    },
    daemonSet(
      'kube-system',
      'kube-vip-ds',
      { 'app.kubernetes.io/name': 'kube-vip-ds' },
      [container('kube-vip', 'ghcr.io/kube-vip/kube-vip:v0.8.0', { args: ['manager'], env })],
      { hostNetwork: true },
    ),
  ];
}

function openCrd(
  group: string,
  kind: string,
  plural: string,
  scope: 'Namespaced' | 'Cluster',
  versions: string[],
): Obj {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope,
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: versions.map((name, i) => ({
        name,
        served: true,
        storage: i === 0,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      })),
    },
  };
}

function calicoBgp(ctx: ScenarioContext): Obj[] {
  const first = ctx.nodes[0]?.address ?? '10.77.1.11';
  const router = first.replace(/\.\d+$/, '.1');
  const g = 'crd.projectcalico.org';
  return [
    openCrd(g, 'BGPConfiguration', 'bgpconfigurations', 'Cluster', ['v1']),
    openCrd(g, 'BGPPeer', 'bgppeers', 'Cluster', ['v1']),
    {
      apiVersion: `${g}/v1`,
      kind: 'BGPConfiguration',
      metadata: { name: 'default' },
      spec: { asNumber: 64512, nodeToNodeMeshEnabled: true, logSeverityScreen: 'Info' },
    },
    {
      apiVersion: `${g}/v1`,
      kind: 'BGPPeer',
      metadata: { name: 'edgerouter' },
      spec: { peerIP: router, asNumber: 64512 },
    },
    daemonSet(
      'kube-system',
      'calico-node',
      { 'k8s-app': 'calico-node' },
      [container('calico-node', 'docker.io/calico/node:v3.27.0')],
      { hostNetwork: true },
    ),
  ];
}

/** MetalLB as installed by its manifest or by its Helm chart; only labels and names differ. */
function metallbInstalled(style: 'manifest' | 'helm'): Obj[] {
  const n = 'metallb-system';
  const labels = (component: string): Record<string, string> =>
    style === 'manifest'
      ? { app: 'metallb', component }
      : {
          'app.kubernetes.io/name': 'metallb',
          'app.kubernetes.io/instance': 'metallb',
          'app.kubernetes.io/component': component,
        };
  const helmMeta =
    style === 'helm'
      ? {
          'helm.sh/chart': 'metallb-0.14.9',
          'app.kubernetes.io/managed-by': 'Helm',
          'app.kubernetes.io/version': 'v0.14.9',
        }
      : {};
  const name = (base: string): string => (style === 'helm' ? `metallb-${base}` : base);
  const controller = deployment(n, name('controller'), labels('controller'), [
    container('controller', 'quay.io/metallb/controller:v0.14.9', {
      args: ['--port=7472', '--webhook-mode=enabled'],
    }),
  ]);
  const speaker = daemonSet(
    n,
    name('speaker'),
    labels('speaker'),
    [container('speaker', 'quay.io/metallb/speaker:v0.14.9', { args: ['--port=7472'] })],
    { hostNetwork: true },
  );
  for (const o of [controller, speaker]) {
    const meta = o.metadata as Obj;
    meta.labels = { ...(meta.labels as Obj), ...helmMeta };
  }
  const webhookService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'metallb-webhook-service', namespace: n },
    spec: { ports: [{ port: 443, targetPort: 9443 }], selector: labels('controller') },
  };
  const hook = (kind: string, version: string, plural: string): Obj => ({
    name: `${kind}validationwebhook.metallb.io`,
    admissionReviewVersions: ['v1'],
    clientConfig: {
      service: {
        name: 'metallb-webhook-service',
        namespace: n,
        path: `/validate-metallb-io-${version}-${kind}`,
      },
    },
    failurePolicy: 'Fail',
    sideEffects: 'None',
    rules: [
      {
        apiGroups: ['metallb.io'],
        apiVersions: [version],
        operations: ['CREATE', 'UPDATE'],
        resources: [plural],
      },
    ],
  });
  return [
    ns(n),
    openCrd('metallb.io', 'IPAddressPool', 'ipaddresspools', 'Namespaced', ['v1beta1']),
    openCrd('metallb.io', 'BGPPeer', 'bgppeers', 'Namespaced', ['v1beta2', 'v1beta1']),
    openCrd('metallb.io', 'BGPAdvertisement', 'bgpadvertisements', 'Namespaced', ['v1beta1']),
    openCrd('metallb.io', 'L2Advertisement', 'l2advertisements', 'Namespaced', ['v1beta1']),
    controller,
    speaker,
    webhookService,
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'metallb-webhook-configuration' },
      webhooks: [
        hook('ipaddresspool', 'v1beta1', 'ipaddresspools'),
        hook('bgppeer', 'v1beta2', 'bgppeers'),
        hook('bgpadvertisement', 'v1beta1', 'bgpadvertisements'),
      ],
    },
  ];
}

export function scenarioObjects(scenario: Scenario, ctx: ScenarioContext): Obj[] {
  switch (scenario) {
    case 'kube-proxy-iptables':
      return kubeProxy('iptables', false);
    case 'kube-proxy-ipvs':
      return kubeProxy('ipvs', false);
    case 'kube-proxy-ipvs-strictarp':
      return kubeProxy('ipvs', true);
    case 'k3s-servicelb':
      return k3sServiceLb(ctx);
    case 'kube-vip':
      return kubeVip();
    case 'calico-bgp':
      return calicoBgp(ctx);
    case 'metallb-helm':
      return metallbInstalled('helm');
    case 'metallb-manifest':
      return metallbInstalled('manifest');
  }
  throw new Error(`unknown scenario "${String(scenario)}": use one of ${SCENARIOS.join(', ')}`);
}
