// Network-namespace plumbing for the real lab. Every address lives inside namespaces created here;
// nothing touches the host's own namespace except `ip netns add/del`.
//
// Layout for lab id X:
//   mbwX-wan  eth0 ── eth0 mbwX-rtr (WAN, optional upstream)
//   mbwX-rtr  eth1 ── rtr-cl  [br-cl in mbwX-sw] ── n1..nN (mbwX-nK eth0), ccl (mbwX-ccl eth0)
//   mbwX-rtr  eth2 ── rtr-lan [br-lan in mbwX-sw] ── lan (mbwX-lan eth0)

import { mustRun, runCommand } from './run.ts';
import { processAlive } from './run.ts';
import type { LabSpec } from '../spec.ts';
import { linuxHashPolicy } from '../memory/ecmp.ts';
import type { HashPolicy } from '../memory/ecmp.ts';

export interface LabNamespaces {
  prefix: string;
  router: string;
  switch: string;
  wan: string;
  lanClient: string;
  clusterClient: string;
  nodes: { name: string; namespace: string; address: string }[];
}

/** The upstream's address on the WAN link; the router's default route points at it. */
export const WAN_UPSTREAM_ADDRESS = '10.77.0.1/24';

export function namespacePrefix(id: string): string {
  return `mbw${id}-`;
}

export function labNamespaces(spec: LabSpec): LabNamespaces {
  const prefix = namespacePrefix(spec.id);
  return {
    prefix,
    router: `${prefix}rtr`,
    switch: `${prefix}sw`,
    wan: `${prefix}wan`,
    lanClient: `${prefix}lan`,
    clusterClient: `${prefix}ccl`,
    nodes: spec.nodes.map((node, i) => ({
      name: node.name,
      namespace: `${prefix}n${i + 1}`,
      address: node.address,
    })),
  };
}

export function allNamespaceNames(ns: LabNamespaces): string[] {
  return [ns.switch, ns.router, ns.wan, ns.lanClient, ns.clusterClient, ...ns.nodes.map((n) => n.namespace)];
}

/** Names of every namespace currently on the machine. */
export async function listNamespaces(): Promise<string[]> {
  const out = await mustRun('ip', ['netns', 'list']);
  // Lines look like "name" or "name (id: 3)".
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name.length > 0);
}

async function ensureNamespace(name: string): Promise<void> {
  if (name.length > 15)
    throw new Error(`namespace name "${name}" is too long for interface naming; use a shorter lab id`);
  const existing = await listNamespaces();
  if (!existing.includes(name)) await mustRun('ip', ['netns', 'add', name]);
  await mustRun('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
}

async function linkExists(namespace: string, ifname: string): Promise<boolean> {
  return (await runCommand('ip', ['-n', namespace, 'link', 'show', 'dev', ifname])).exitCode === 0;
}

/** A veth pair created directly inside its two namespaces, so no temporary name can clash in the host. */
async function ensureVeth(nsA: string, ifA: string, nsB: string, ifB: string): Promise<void> {
  const haveA = await linkExists(nsA, ifA);
  const haveB = await linkExists(nsB, ifB);
  if (haveA && haveB) return;
  // A half-built pair (one end only) is impossible for veth, but a same-named stray link is not: remove it.
  if (haveA) await mustRun('ip', ['-n', nsA, 'link', 'del', ifA]);
  if (haveB) await mustRun('ip', ['-n', nsB, 'link', 'del', ifB]);
  await mustRun('ip', ['-n', nsA, 'link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB, 'netns', nsB]);
}

async function ensureBridge(namespace: string, bridge: string): Promise<void> {
  if (!(await linkExists(namespace, bridge))) {
    await mustRun('ip', ['-n', namespace, 'link', 'add', bridge, 'type', 'bridge', 'stp_state', '0']);
  }
  await mustRun('ip', ['-n', namespace, 'link', 'set', bridge, 'up']);
}

async function attachToBridge(namespace: string, port: string, bridge: string): Promise<void> {
  await mustRun('ip', ['-n', namespace, 'link', 'set', port, 'master', bridge]);
  await mustRun('ip', ['-n', namespace, 'link', 'set', port, 'up']);
}

async function configureInterface(namespace: string, ifname: string, addressCidr: string): Promise<void> {
  await mustRun('ip', ['-n', namespace, 'addr', 'replace', addressCidr, 'dev', ifname]);
  await mustRun('ip', ['-n', namespace, 'link', 'set', ifname, 'up']);
}

async function setDefaultRoute(namespace: string, via: string): Promise<void> {
  await mustRun('ip', ['-n', namespace, 'route', 'replace', 'default', 'via', via]);
}

export async function setSysctls(namespace: string, settings: Record<string, string>): Promise<void> {
  const args = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
  await mustRun('ip', ['netns', 'exec', namespace, 'sysctl', '-q', '-w', ...args]);
}

function withPrefixLength(address: string, cidrOfSubnet: string): string {
  const length = cidrOfSubnet.split('/')[1] ?? '24';
  return `${address}/${length}`;
}

function addressOnly(cidr: string): string {
  return cidr.split('/')[0] ?? cidr;
}

/**
 * Builds (or completes) the lab's namespaces. Safe to call again on a lab that is already up.
 * `hashPolicy` is the router's ECMP hashing: 'addresses-ports' (default) or 'addresses'.
 */
export async function labUp(spec: LabSpec, opts: { hashPolicy?: HashPolicy } = {}): Promise<LabNamespaces> {
  const ns = labNamespaces(spec);
  for (const name of allNamespaceNames(ns)) await ensureNamespace(name);

  await ensureBridge(ns.switch, 'br-cl');
  await ensureBridge(ns.switch, 'br-lan');

  // Router: eth0 WAN to the upstream, eth1 cluster bridge, eth2 LAN bridge.
  await ensureVeth(ns.router, 'eth0', ns.wan, 'eth0');
  await ensureVeth(ns.router, 'eth1', ns.switch, 'rtr-cl');
  await ensureVeth(ns.router, 'eth2', ns.switch, 'rtr-lan');
  await attachToBridge(ns.switch, 'rtr-cl', 'br-cl');
  await attachToBridge(ns.switch, 'rtr-lan', 'br-lan');
  await configureInterface(ns.router, 'eth0', spec.wan.address);
  await configureInterface(ns.router, 'eth1', spec.cluster.address);
  await configureInterface(ns.router, 'eth2', spec.lan.address);
  await configureInterface(ns.wan, 'eth0', WAN_UPSTREAM_ADDRESS);
  await setDefaultRoute(ns.router, addressOnly(WAN_UPSTREAM_ADDRESS));
  await setSysctls(ns.router, {
    'net.ipv4.ip_forward': '1',
    // 1 hashes on ports too, so separate connections from one client spread over the ECMP next
    // hops; 0 (addresses only) keeps every connection from one client to one Service IP on one node.
    'net.ipv4.fib_multipath_hash_policy': linuxHashPolicy(opts.hashPolicy ?? 'addresses-ports'),
    // Keep cluster-segment clients going through the router (as an EdgeRouter's hardware path does)
    // instead of being redirected straight to a node.
    'net.ipv4.conf.all.send_redirects': '0',
    'net.ipv4.conf.eth1.send_redirects': '0',
  });

  const routerClusterAddress = addressOnly(spec.cluster.address);
  const routerLanAddress = addressOnly(spec.lan.address);

  for (const node of ns.nodes) {
    const port = node.namespace.slice(ns.prefix.length); // n1, n2, …
    await ensureVeth(node.namespace, 'eth0', ns.switch, port);
    await attachToBridge(ns.switch, port, 'br-cl');
    // arp_ignore=1: answer ARP only for addresses on the asking interface. Service IPs sit on lo, so
    // nobody answers ARP for them on the segment: the same-segment caveat is real here.
    await setSysctls(node.namespace, {
      'net.ipv4.conf.all.arp_ignore': '1',
      'net.ipv4.conf.all.arp_announce': '2',
      'net.ipv4.conf.eth0.arp_ignore': '1',
      'net.ipv4.conf.eth0.arp_announce': '2',
    });
    await configureInterface(node.namespace, 'eth0', withPrefixLength(node.address, spec.cluster.subnet));
    await setDefaultRoute(node.namespace, routerClusterAddress);
  }

  await ensureVeth(ns.clusterClient, 'eth0', ns.switch, 'ccl');
  await attachToBridge(ns.switch, 'ccl', 'br-cl');
  await configureInterface(
    ns.clusterClient,
    'eth0',
    withPrefixLength(spec.clusterClientAddress, spec.cluster.subnet),
  );
  await setDefaultRoute(ns.clusterClient, routerClusterAddress);

  await ensureVeth(ns.lanClient, 'eth0', ns.switch, 'lan');
  await attachToBridge(ns.switch, 'lan', 'br-lan');
  await configureInterface(ns.lanClient, 'eth0', withPrefixLength(spec.lanClientAddress, spec.lan.subnet));
  await setDefaultRoute(ns.lanClient, routerLanAddress);

  return ns;
}

/** PIDs of every process whose network namespace is `namespace`. */
export async function namespacePids(namespace: string): Promise<number[]> {
  const result = await runCommand('ip', ['netns', 'pids', namespace]);
  if (result.exitCode !== 0) return [];
  return result.stdout
    .split('\n')
    .map((line) => Number.parseInt(line.trim(), 10))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/** SIGTERM, then SIGKILL after a grace period for whatever is still alive. */
export async function killProcesses(pids: number[], graceMs = 2_000): Promise<void> {
  const targets = [...new Set(pids)].filter((pid) => pid !== process.pid && pid > 1);
  for (const pid of targets) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && targets.some(processAlive)) await new Promise((r) => setTimeout(r, 50));
  for (const pid of targets.filter(processAlive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Raced with its exit.
    }
  }
}

/**
 * Deletes every namespace whose name starts with the lab's prefix and kills every process inside them,
 * plus any PIDs the caller tracked (processes that may have left the namespace or never entered it).
 * Works on a half-built lab and on one that no longer exists.
 */
export async function removeLab(id: string, trackedPids: number[] = []): Promise<void> {
  const prefix = namespacePrefix(id);
  const namespaces = (await listNamespaces()).filter((name) => name.startsWith(prefix));
  const pids = [...trackedPids];
  for (const name of namespaces) pids.push(...(await namespacePids(name)));
  await killProcesses(pids);
  for (const name of namespaces) {
    // Deleting a namespace destroys its veth ends, which takes their peers with them.
    const result = await runCommand('ip', ['netns', 'del', name]);
    if (result.exitCode !== 0 && (await listNamespaces()).includes(name)) {
      throw new Error(
        `could not delete network namespace ${name}: ${result.stderr.trim()}; run "ip netns del ${name}" as root`,
      );
    }
  }
}

/** Same as removeLab: named for symmetry with labUp. */
export async function labDown(spec: LabSpec, trackedPids: number[] = []): Promise<void> {
  await removeLab(spec.id, trackedPids);
}
