// The router's BGP routes: best path plus multipath, as a BGP router builds its FIB entries.
// maximum-paths defaults to 1, which is why the wizard must set it for ECMP across the nodes.

import type { BgpConfig, BgpNeighborConfig, BgpRouteStatus } from '../router/index.ts';
import type { ConnectedSubnet } from './addresses.ts';
import { compareAddresses, subnetHolding } from './addresses.ts';

/** One Established neighbor and what it announces. */
export interface LearnedPaths {
  neighbor: BgpNeighborConfig;
  /** The speaker's own ASN as its OPEN said (the config may say only `external`). */
  peerAs: number;
  prefixes: ReadonlySet<string>;
}

interface Candidate {
  neighbor: BgpNeighborConfig;
  peerAs: number;
  ibgp: boolean;
  interface: string;
}

/** When each (neighbor, prefix) path was first installed, so route ages survive recomputation. */
export type PathAges = Map<string, number>;

export function pathKey(neighborAddress: string, prefix: string): string {
  return `${neighborAddress}|${prefix}`;
}

/** eBGP beats iBGP; then the lowest peer address (MetalLB's router id is the node address). */
function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.ibgp !== b.ibgp) return a.ibgp ? 1 : -1;
  return compareAddresses(a.neighbor.address, b.neighbor.address);
}

function multipathLimit(config: BgpConfig, ibgp: boolean): number {
  const configured = ibgp ? config.maximumPathsIbgp : config.maximumPathsEbgp;
  return configured !== undefined && configured >= 1 ? configured : 1;
}

/** Paths that may share the FIB entry with `best`: same session type, and for eBGP the same neighbor AS. */
function multipathSiblings(best: Candidate, candidates: readonly Candidate[]): Candidate[] {
  return candidates.filter((c) => c.ibgp === best.ibgp && (best.ibgp || c.peerAs === best.peerAs));
}

export function bgpRoutes(
  config: BgpConfig,
  learned: readonly LearnedPaths[],
  subnets: readonly ConnectedSubnet[],
  ages: PathAges,
  now: number,
): BgpRouteStatus[] {
  const byPrefix = new Map<string, Candidate[]>();
  for (const { neighbor, peerAs, prefixes } of learned) {
    // A next hop outside every connected subnet cannot be resolved, so the path is not installed.
    const subnet = subnetHolding(subnets, neighbor.address);
    if (!subnet) continue;
    for (const prefix of prefixes) {
      const list = byPrefix.get(prefix) ?? [];
      list.push({ neighbor, peerAs, ibgp: peerAs === config.localAs, interface: subnet.interface });
      byPrefix.set(prefix, list);
    }
  }
  const installed = new Set<string>();
  const routes: BgpRouteStatus[] = [];
  for (const [prefix, candidates] of byPrefix) {
    const sorted = [...candidates].sort(compareCandidates);
    const best = sorted[0];
    if (!best) continue;
    const chosen = multipathSiblings(best, sorted).slice(0, multipathLimit(config, best.ibgp));
    routes.push({
      prefix,
      nextHops: chosen.map((c) => {
        const key = pathKey(c.neighbor.address, prefix);
        installed.add(key);
        const first = ages.get(key) ?? now;
        ages.set(key, first);
        return {
          address: c.neighbor.address,
          interface: c.interface,
          ageSeconds: Math.floor((now - first) / 1000),
        };
      }),
    });
  }
  for (const key of [...ages.keys()]) if (!installed.has(key)) ages.delete(key);
  return routes.sort((a, b) => compareAddresses(a.prefix.split('/')[0] ?? '', b.prefix.split('/')[0] ?? ''));
}
