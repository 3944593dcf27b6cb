// Pieces shared by the EdgeOS (ZebOS) and FRR renderings of backend status.

import type { BgpStatus, NeighborStatus } from '../backend.ts';

/** Up/Down as both stacks print it: HH:MM:SS under a day, 1d02h54m under a week, 03w0d00h after. */
export function formatUptime(seconds: number | null): string {
  if (seconds === null) return 'never';
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days === 0) return `${two(hours)}:${two(minutes)}:${two(s % 60)}`;
  if (days < 7) return `${days}d${two(hours)}h${two(minutes)}m`;
  return `${two(Math.floor(days / 7))}w${days % 7}d${two(hours)}h`;
}

export function isEstablished(n: NeighborStatus): boolean {
  return n.state === 'Established';
}

/** Number in State/PfxRcd when Established, else the state word. */
export function stateOrPrefixes(n: NeighborStatus): string {
  return isEstablished(n) ? String(n.prefixesReceived ?? 0) : n.state;
}

export function tableVersion(status: BgpStatus): number {
  return 1 + status.routes.reduce((sum, r) => sum + r.nextHops.length, 0);
}

/** Distance of a BGP route: 200 for iBGP (a next hop whose neighbor is in our AS), 20 for eBGP. */
export function routeDistance(status: BgpStatus, nextHop: string): number {
  const neighbor = status.neighbors.find((n) => n.address === nextHop);
  return neighbor !== undefined && neighbor.remoteAs !== status.localAs ? 20 : 200;
}

export function linkKind(n: NeighborStatus): string {
  return n.remoteAs === n.localAs ? 'internal link' : 'external link';
}
