// Why a BGP neighbor is not Established, or Established without prefixes: the likely causes from
// its state, the topology and what the cluster says, each with what to do.

import { ADVERTISEMENT_NAME, METALLB_NAMESPACE, PEER_NAME, bgpRoot } from '../plan/index.ts';
import { formatCidr, networkCidr, parseInterfaceCidr } from '../net/index.ts';
import type { Topology } from '../topology/index.ts';
import type { Cause, CauseCode, Diagnosis, NeighborFacts, NeighborInput } from './types.ts';

/** Active or Connect for at least this long is no longer "still starting". */
export const STUCK_CONNECTING_SECONDS = 60;

export const EXCLUDE_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

type Phase =
  'admin-down' | 'prefix-limit' | 'connecting' | 'opening' | 'idle' | 'established' | 'not-configured';

function isAdminDown(n: NeighborInput): boolean {
  return n.adminShutdown === true || /^idle\s*\(admin\)$/i.test(n.state.trim());
}

function phaseOf(n: NeighborInput, facts: NeighborFacts): Phase {
  const state = n.state.trim();
  if (isAdminDown(n)) return 'admin-down';
  if (/^idle\s*\(pfxct\)$/i.test(state)) return 'prefix-limit';
  if (state === 'Established' || state === '(Policy)' || state === 'NoNeg' || n.established === true) {
    return 'established';
  }
  if (!facts.routerConfigured) return 'not-configured';
  if (state === 'Active' || state === 'Connect') return 'connecting';
  if (state === 'OpenSent' || state === 'OpenConfirm') return 'opening';
  return 'idle';
}

/** Words and commands that differ between EdgeOS and VyOS, and the names the causes quote. */
interface Context {
  n: NeighborInput;
  t: Topology;
  facts: NeighborFacts;
  who: string;
  node: string;
  root: string;
  clear: string;
}

function contextOf(n: NeighborInput, t: Topology, facts: NeighborFacts, node: string | null): Context {
  const edgeos = t.router.dialect === 'edgeos';
  return {
    n,
    t,
    facts,
    who: node === null ? n.address : `${n.address} (${node})`,
    node: node ?? `the node with address ${n.address}`,
    root: bgpRoot(t.router.dialect, t.router.asn).join(' '),
    clear: `${edgeos ? 'clear' : 'reset'} ip bgp ${n.address}`,
  };
}

function cause(code: CauseCode, confirmed: boolean, text: string, whatToDo: string): Cause {
  return { code, confirmed, text, whatToDo };
}

function durationText(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} days`;
}

function clusterSubnet(t: Topology): string {
  const parsed = parseInterfaceCidr(t.router.cluster.address);
  return parsed.ok ? formatCidr(networkCidr(parsed.value)) : t.router.cluster.address;
}

// ---------------------------------------------------------------------------------------------
// One function per cause; each returns null when the facts rule it out.

function configuredAsnMismatch(c: Context): Cause | null {
  const { n, t } = c;
  if (n.remoteAs !== undefined && n.remoteAs !== null && n.remoteAs !== t.cluster.asn) {
    return cause(
      'asn-mismatch',
      true,
      `The router expects AS ${n.remoteAs} from ${c.who}, but the topology's cluster ASN (MetalLB's myASN) is ${t.cluster.asn}; the router refuses the session.`,
      `Apply the plan's router step again so the neighbor's remote-as becomes ${t.cluster.asn}, or correct cluster.asn in the topology if ${n.remoteAs} is right and re-apply both sides.`,
    );
  }
  if (n.localAs !== undefined && n.localAs !== null && n.localAs !== t.router.asn) {
    return cause(
      'asn-mismatch',
      true,
      `The router runs AS ${n.localAs}, but the topology says router.asn is ${t.router.asn}, so MetalLB's BGPPeer (peerASN ${t.router.asn}) expects the wrong AS.`,
      `Set router.asn to ${n.localAs} in the topology and apply the MetalLB configuration again.`,
    );
  }
  return null;
}

function possibleClusterAsnMismatch(c: Context): Cause {
  const { t } = c;
  return cause(
    'asn-mismatch',
    false,
    `The router's neighbor matches the topology, but MetalLB on ${c.node} may send another AS (for example a second BGPPeer or an old one).`,
    `Run \`kubectl -n ${METALLB_NAMESPACE} get bgppeers -o yaml\`: the peer for ${t.router.ssh.host} must have myASN ${t.cluster.asn} and peerASN ${t.router.asn} (the wizard's is ${PEER_NAME}); delete any other peer for the same address.`,
  );
}

function routerNotConfigured(c: Context): Cause | null {
  if (c.facts.routerConfigured) return null;
  return cause(
    'router-not-configured',
    true,
    `The router has no BGP neighbor for ${c.who}.`,
    `Apply the plan's router step (or run router/apply.sh from the exported bundle) so the router adds neighbor ${c.n.address} with remote-as ${c.t.cluster.asn}.`,
  );
}

function speakerNotRunning(c: Context): Cause | null {
  const running = c.facts.speakerRunning;
  if (running === true) return null;
  return cause(
    'speaker-not-running',
    running === false,
    running === false
      ? `MetalLB's speaker is not running on ${c.node}, so nothing on it speaks BGP to the router.`
      : `MetalLB's speaker on ${c.node} may not be running (the cluster was not checked).`,
    `Run \`kubectl -n ${METALLB_NAMESPACE} get pods -o wide -l component=speaker\` (Helm installs: -l app.kubernetes.io/component=speaker); the speaker on ${c.node} must be Running. If not, \`kubectl -n ${METALLB_NAMESPACE} describe pod <speaker pod>\` and its logs say why.`,
  );
}

function firewall(c: Context): Cause | null {
  const seconds = c.n.upSeconds ?? null;
  if (seconds !== null && seconds < STUCK_CONNECTING_SECONDS) return null;
  const since = seconds === null ? '' : ` for ${durationText(seconds)}`;
  const iface = c.t.router.cluster.interface;
  return cause(
    'firewall-tcp-179',
    false,
    `${c.who} has been ${c.n.state}${since}: no TCP connection on port 179 comes up, which is what a firewall filtering BGP on ${iface} looks like.`,
    `On the router, the firewall rule set applied to ${iface} in the "local" direction must accept TCP port 179 from ${clusterSubnet(c.t)} (check with \`show configuration commands | match firewall\`); on the node, no host firewall may drop TCP 179 to or from ${c.t.router.ssh.host}.`,
  );
}

function md5Mismatch(c: Context): Cause {
  return cause(
    'md5-mismatch',
    false,
    `A BGP (TCP MD5) password set on only one side, or different on the two, makes the other side drop every packet of the session with ${c.who}.`,
    `The wizard sets no BGP password. Look for one with \`show configuration commands | match password\` on the router and for a passwordSecret in \`kubectl -n ${METALLB_NAMESPACE} get bgppeers -o yaml\`; remove both or make them equal, then \`${c.clear}\`.`,
  );
}

function adminDown(c: Context): Cause {
  return cause(
    'admin-down',
    true,
    `The neighbor ${c.who} is shut down on the router (Idle (Admin)).`,
    `On the router: configure, \`delete ${c.root} neighbor ${c.n.address} shutdown\`, commit, save.`,
  );
}

function prefixLimit(c: Context): Cause {
  const path =
    c.t.router.dialect === 'edgeos'
      ? `${c.root} neighbor ${c.n.address} maximum-prefix`
      : `${c.root} neighbor ${c.n.address} address-family ipv4-unicast maximum-prefix`;
  return cause(
    'prefix-limit',
    true,
    `The router stopped the session with ${c.who} because it sent more prefixes than the neighbor's maximum-prefix allows (Idle (PfxCt)); every LoadBalancer IP is one prefix.`,
    `Raise or remove the limit (configure, \`delete ${path}\`, commit, save), then \`${c.clear}\` to restart the session.`,
  );
}

function nodeExcluded(c: Context): Cause | null {
  const excluded = c.facts.nodeExcluded;
  if (excluded === false) return null;
  return cause(
    'node-excluded',
    excluded === true,
    excluded === true
      ? `${c.node} carries the label ${EXCLUDE_LABEL}, so MetalLB announces no Service from it.`
      : `${c.node} may carry the label ${EXCLUDE_LABEL}, which stops MetalLB from announcing Services from it.`,
    `Check with \`kubectl get node ${c.facts.node ?? '<node>'} --show-labels\`; remove the label with \`kubectl label node ${c.facts.node ?? '<node>'} ${EXCLUDE_LABEL}-\` if the node should serve traffic.`,
  );
}

function noReadyEndpoints(c: Context): Cause | null {
  const count = c.facts.servicesWithReadyEndpoints;
  if (count !== null && count > 0) return null;
  return cause(
    'no-ready-endpoints',
    count === 0,
    count === 0
      ? `No LoadBalancer Service that ${c.node} should announce has a ready endpoint; MetalLB announces an IP only while its Service has one (with externalTrafficPolicy: Local, only from nodes running a ready pod).`
      : `There may be no LoadBalancer Service with a ready endpoint for ${c.node} to announce (with externalTrafficPolicy: Local, only nodes running a ready pod announce).`,
    'Check `kubectl get svc -A` for a LoadBalancer Service with an EXTERNAL-IP and `kubectl get endpointslices -n <namespace>` for ready endpoints; make its pods Ready, or use externalTrafficPolicy: Cluster to announce from every node.',
  );
}

function advertisementMismatch(c: Context): Cause | null {
  const matches = c.facts.advertisementMatchesPool;
  if (matches === true) return null;
  const pools = c.t.cluster.pools.map((p) => p.name).join(', ');
  return cause(
    'advertisement-mismatch',
    matches === false,
    matches === false
      ? `No BGPAdvertisement covers the pool the Services' IPs come from (or its nodeSelectors leave out ${c.node}), so MetalLB assigns IPs but does not announce them.`
      : `A BGPAdvertisement may not cover the pool the Services' IPs come from, or may leave out ${c.node}.`,
    `The wizard's BGPAdvertisement ${ADVERTISEMENT_NAME} lists the pools ${pools}: apply the plan's MetalLB configuration again, and check \`kubectl -n ${METALLB_NAMESPACE} get bgpadvertisements -o yaml\` for nodeSelectors.`,
  );
}

function ebgpRequiresPolicy(c: Context): Cause | null {
  if (c.n.state.trim() !== '(Policy)') return null;
  return cause(
    'ebgp-requires-policy',
    true,
    `FRR on the router accepts no eBGP routes from ${c.who} without a policy (state (Policy)).`,
    `On VyOS, remove \`parameters ebgp-requires-policy\` from the BGP configuration if it is set, or give neighbor ${c.n.address} an import route-map that accepts the pool's /32 routes.`,
  );
}

// ---------------------------------------------------------------------------------------------

const SUMMARIES: Record<Phase, (c: Context) => string> = {
  'admin-down': (c) => `${c.who} is shut down on the router.`,
  'prefix-limit': (c) => `${c.who} was stopped by the router's prefix limit.`,
  connecting: (c) =>
    `${c.who} is ${c.n.state}: the router is trying to open the TCP session on port 179, and it does not come up.`,
  opening: (c) => `${c.who} is ${c.n.state}: TCP works, but the BGP OPEN exchange does not complete.`,
  idle: (c) =>
    `${c.who} is ${c.n.state}: the router is not trying to connect right now, often after an error.`,
  established: (c) => `${c.who} is Established, but the router has received no prefixes from it.`,
  'not-configured': (c) => `${c.who} is not configured on the router.`,
};

function present(causes: (Cause | null)[]): Cause[] {
  return causes.filter((c): c is Cause => c !== null);
}

function causesOf(phase: Phase, c: Context): Cause[] {
  const asn = configuredAsnMismatch(c);
  switch (phase) {
    case 'admin-down':
      return [adminDown(c)];
    case 'prefix-limit':
      return [prefixLimit(c)];
    case 'not-configured':
      return present([
        routerNotConfigured(c),
        c.facts.speakerRunning === false ? speakerNotRunning(c) : null,
      ]);
    case 'established':
      return present([ebgpRequiresPolicy(c), nodeExcluded(c), noReadyEndpoints(c), advertisementMismatch(c)]);
    case 'connecting':
      return present([asn, speakerNotRunning(c), firewall(c), md5Mismatch(c)]);
    case 'opening':
      return present([asn ?? possibleClusterAsnMismatch(c), speakerNotRunning(c)]);
    case 'idle':
      return present([asn ?? possibleClusterAsnMismatch(c), speakerNotRunning(c), md5Mismatch(c)]);
  }
}

/** Confirmed causes first; otherwise the order each phase lists them in (most likely first). */
function ordered(causes: Cause[]): Cause[] {
  return [...causes.filter((c) => c.confirmed), ...causes.filter((c) => !c.confirmed)];
}

function nodeByAddress(t: Topology, address: string): string | null {
  return t.cluster.nodes.find((node) => node.address === address)?.name ?? null;
}

/** Null when the neighbor is Established with prefixes; else what its state means and why it may be so. */
export function diagnoseNeighbor(
  n: NeighborInput,
  topology: Topology,
  facts: NeighborFacts,
): Diagnosis | null {
  const phase = phaseOf(n, facts);
  if (phase === 'established' && n.prefixesReceived !== null && n.prefixesReceived > 0) return null;
  const node = facts.node ?? nodeByAddress(topology, n.address);
  const c = contextOf(n, topology, { ...facts, node }, node);
  return {
    address: n.address,
    node,
    state: n.state,
    summary: SUMMARIES[phase](c),
    causes: ordered(causesOf(phase, c)),
  };
}
