// The plan as FRR configuration, for full-setup's floor: the router's BGP as the lab's router
// emulator runs it in FRR, and each node's speaker as the lab runs MetalLB's (lab/netns/frr-config.ts
// renders both for the wizard's path). The floor checks after every run that FRR ended up with the
// same `router bgp` blocks both ways, so a difference here shows as an error, never as a figure.
import type { Plan } from '../src/shared/plan/index.ts';
import { neighborDescription } from '../src/shared/plan/index.ts';
import { effectiveRouterId } from '../src/shared/topology/index.ts';

/** The lab's FRR retries a refused connection after 5 s instead of FRR's default 120 s, on both ends. */
const CONNECT_RETRY = 'timers connect 5';

/** `router bgp` of the router: neighbors, router id and ECMP, as a commit of the plan's lines renders it. */
export function routerFrrLines(plan: Plan): string[] {
  const t = plan.topology;
  if (t.router.bgpPassword) throw new Error('the floor renders no BGP password; the lab topology sets none');
  const ebgp = t.router.asn !== t.cluster.asn;
  // VyOS's `remote-as internal` is FRR's keyword of the same name; EdgeOS gives the number.
  const remoteAs = t.router.dialect === 'vyos' && !ebgp ? 'internal' : String(t.cluster.asn);
  return [
    `router bgp ${t.router.asn}`,
    `bgp router-id ${effectiveRouterId(t)}`,
    'no bgp ebgp-requires-policy',
    ...t.cluster.nodes.flatMap((node) => [
      `neighbor ${node.address} remote-as ${remoteAs}`,
      `neighbor ${node.address} description ${neighborDescription(node.name)}`,
      `neighbor ${node.address} ${CONNECT_RETRY}`,
    ]),
    'address-family ipv4 unicast',
    `maximum-paths ${ebgp ? '' : 'ibgp '}${t.router.maximumPaths}`,
    'exit-address-family',
    'exit',
  ];
}

interface PeerSpec {
  peerAddress?: unknown;
  peerASN?: unknown;
  myASN?: unknown;
  [field: string]: unknown;
}

function bgpPeers(plan: Plan): { name: string; spec: PeerSpec }[] {
  const peers = plan.metallb.objects
    .filter((o) => o.kind === 'BGPPeer')
    .map((o) => ({ name: o.metadata.name, spec: (o['spec'] ?? {}) as PeerSpec }));
  if (peers.length === 0) throw new Error('the plan has no BGPPeer');
  return peers;
}

/** The ASN the speakers present (the first BGPPeer's myASN, as in the lab). */
export function speakerAsn(plan: Plan): number {
  return Number(bgpPeers(plan)[0]?.spec.myASN);
}

/** `router bgp` of one node's speaker, from the plan's BGPPeers, as the lab's speakers render it. */
export function speakerFrrLines(plan: Plan, node: { address: string }): string[] {
  const peers = bgpPeers(plan);
  const asn = speakerAsn(plan);
  const lines = [
    `router bgp ${asn}`,
    `bgp router-id ${node.address}`,
    'no bgp ebgp-requires-policy',
    // The announced /32s are not routes of the node's own; announce them anyway, as the lab does.
    'no bgp network import-check',
  ];
  for (const { name, spec } of peers) {
    const extra = Object.keys(spec).filter((k) => !['peerAddress', 'peerASN', 'myASN'].includes(k));
    if (extra.length > 0 || Number(spec.myASN) !== asn)
      throw new Error(`BGPPeer ${name}: the floor renders peerAddress, peerASN and one myASN only`);
    const address = String(spec.peerAddress);
    lines.push(
      `neighbor ${address} remote-as ${Number(spec.peerASN)}`,
      `neighbor ${address} ${CONNECT_RETRY}`,
    );
  }
  lines.push('exit');
  return lines;
}

/** The lines that announce a Service IP from a speaker. */
export function announcementLines(plan: Plan, ip: string): string[] {
  return [
    `router bgp ${speakerAsn(plan)}`,
    'address-family ipv4 unicast',
    `network ${ip}/32`,
    'exit-address-family',
    'exit',
  ];
}

/** The `router bgp` block of a `show running-config`, without its announcements (they differ by Service). */
export function bgpBlock(runningConfig: string): string[] {
  const lines = runningConfig.split('\n');
  const start = lines.findIndex((l) => l.startsWith('router bgp '));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && /^(exit|!)\s*$/.test(l));
  const kept = lines
    .slice(start, end < 0 ? undefined : end)
    .map((l) => l.trimEnd())
    // FRR's " !" separators come and go with the address family.
    .filter((l) => !/^\s*network /.test(l) && !/^\s*!$/.test(l));
  // An address family left with nothing but its own brackets is one FRR would not print.
  return kept.filter(
    (l, i) =>
      !(/^\s*address-family /.test(l) && /^\s*exit-address-family$/.test(kept[i + 1] ?? '')) &&
      !(/^\s*exit-address-family$/.test(l) && /^\s*address-family /.test(kept[i - 1] ?? '')),
  );
}
