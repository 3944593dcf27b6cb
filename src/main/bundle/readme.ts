// README.md of the config bundle: how to apply the plan by hand, what to watch out for, how to undo it.

import type { Plan } from '../../shared/plan/index.ts';

export interface ReadmeInput {
  plan: Plan;
  appVersion: string;
  objectFiles: string[];
  /** True when router/teardown.txt came from the router's real config, false when it assumes the plan. */
  teardownKnown: boolean;
  /** `delete … neighbor X` per node, for routers that also run other BGP sessions. */
  neighborDeletes: string[];
}

/** The official install manifests of a release, in apply order (0.12 and older: two files under manifests/). */
function manifestUrls(version: string): string[] {
  const base = `https://raw.githubusercontent.com/metallb/metallb/${version}`;
  return version.startsWith('v0.12.')
    ? [`${base}/manifests/namespace.yaml`, `${base}/manifests/metallb.yaml`]
    : [`${base}/config/manifests/metallb-native.yaml`];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function routerName(plan: Plan): string {
  return plan.router.dialect === 'edgeos' ? 'EdgeOS' : 'VyOS';
}

function fence(lines: string[]): string[] {
  return ['```sh', ...lines, '```'];
}

function installSection(plan: Plan, objectFiles: string[]): string[] {
  const urls = manifestUrls(plan.metallb.version);
  return [
    `## 1. Install MetalLB ${plan.metallb.version} on the cluster`,
    '',
    ...fence([
      ...urls.map((url) => `kubectl apply -f ${url}`),
      'kubectl -n metallb-system rollout status deployment/controller --timeout=180s',
      'kubectl -n metallb-system rollout status daemonset/speaker --timeout=180s',
    ]),
    '',
    `## 2. Apply the MetalLB configuration (${plural(objectFiles.length, 'file')} in metallb/)`,
    '',
    ...fence(['kubectl apply -f metallb/']),
    '',
    ...(plan.metallb.format === 'crd'
      ? [
          "If this fails with `failed calling webhook … connect: connection refused`, MetalLB's webhook is not",
          'serving yet: wait half a minute and run it again.',
          '',
        ]
      : []),
  ];
}

function routerSection(plan: Plan): string[] {
  const { host, port, username } = plan.topology.router.ssh;
  const ssh = port === 22 ? `ssh ${username}@${host}` : `ssh -p ${port} ${username}@${host}`;
  const scp = port === 22 ? 'scp' : `scp -P ${port}`;
  return [
    `## 3. Configure the ${routerName(plan)} router over SSH`,
    '',
    `Log in with \`${ssh}\` and type the lines of \`router/commands.txt\` (configure, the set lines,`,
    'commit, save, exit). Or copy the script over and let it do the same; it stops and discards the',
    'change if any line fails:',
    '',
    ...fence([
      `${scp} router/apply.sh ${username}@${host}:/tmp/mbw-apply.sh`,
      `${ssh} /bin/vbash /tmp/mbw-apply.sh`,
    ]),
    '',
    'Then check on the router: `show ip bgp summary` lists one neighbor per node, Established once the',
    'speakers are up, and `show ip route bgp` shows each Service IP with one next hop per node (ECMP).',
    '',
  ];
}

function caveatSection(plan: Plan): string[] {
  const inSegment = plan.warnings.find((w) => w.code === 'pool-in-cluster-segment');
  return [
    '## The same-segment caveat',
    '',
    'The router does the load balancing, so a client must send its traffic for a Service IP to the router.',
    "If the address pool lies inside the cluster segment's subnet, hosts on that segment believe the IPs are",
    'on-link, send ARP requests for them, and nobody answers: they cannot reach the Services, while clients',
    'on another interface (the LAN, or WAN with port forwarding) can. Even with a pool outside every',
    "connected subnet, clients on the nodes' own segment get asymmetric routing (request via the router,",
    'reply direct), which a stateful firewall may drop.',
    '',
    ...(inSegment === undefined ? [] : [`**This plan:** ${inSegment.message}`, '']),
  ];
}

function warningsSection(plan: Plan): string[] {
  const others = plan.warnings.filter((w) => w.code !== 'pool-in-cluster-segment');
  if (others.length === 0) return [];
  return ['## Other warnings', '', ...others.map((w) => `- \`${w.code}\`: ${w.message}`), ''];
}

function undoSection(input: ReadmeInput): string[] {
  const urls = manifestUrls(input.plan.metallb.version);
  const assumption = input.teardownKnown
    ? [
        "`router/teardown.txt` was computed from the router's configuration when this bundle was exported: it",
        'removes the neighbors marked `mbw-` (and the router id and maximum-paths when nothing else needs them).',
        'If the router changed since, export again first.',
      ]
    : [
        "The router's configuration was not known when this bundle was exported, so `router/teardown.txt`",
        '**assumes the router holds exactly this plan** under BGP and nothing else. If the router runs other',
        'BGP sessions or settings, do not use it as is; delete only the neighbors the wizard added:',
        '',
        ...fence(['configure', ...input.neighborDeletes, 'commit', 'save', 'exit']),
      ];
  return [
    '## How to undo',
    '',
    'On the router, type the lines of `router/teardown.txt` in an SSH session.',
    '',
    ...assumption,
    '',
    'On the cluster, remove the configuration, then MetalLB itself:',
    '',
    ...fence(['kubectl delete -f metallb/', ...[...urls].reverse().map((url) => `kubectl delete -f ${url}`)]),
    '',
  ];
}

export function bundleReadme(input: ReadmeInput): string {
  const { plan } = input;
  const t = plan.topology;
  return [
    '# MetalLB BGP Wizard: config bundle',
    '',
    `Exported by MetalLB BGP Wizard ${input.appVersion}.`,
    `MetalLB ${plan.metallb.version} in BGP mode on ${plural(t.cluster.nodes.length, 'node')} (AS ${t.cluster.asn}),`,
    `peering with the ${routerName(plan)} router at ${t.router.ssh.host} (AS ${t.router.asn}).`,
    `Address pools: ${t.cluster.pools.map((p) => `${p.name} (${p.addresses.join(', ')})`).join(', ')}.`,
    '',
    '| file | what |',
    '| --- | --- |',
    '| `topology.yaml` | the network this plan was made for; open it (or this .zip) in the wizard |',
    ...input.objectFiles.map((f) => `| \`${f}\` | a MetalLB object, applied in name order |`),
    '| `router/commands.txt` | the router session to type: configure, the lines, commit, save, exit |',
    '| `router/apply.sh` | the same as one script for the router, saving at its end |',
    '| `router/teardown.txt` | the router session that removes what the plan added |',
    '| `manifest.json` | versions and the sha256 of every file |',
    '',
    'No password is stored in this bundle. If a BGP password is used, files show `BGP-PASSWORD` where it',
    'goes: replace it before applying.',
    '',
    ...installSection(plan, input.objectFiles),
    ...routerSection(plan),
    ...caveatSection(plan),
    ...warningsSection(plan),
    ...undoSection(input),
  ].join('\n');
}
