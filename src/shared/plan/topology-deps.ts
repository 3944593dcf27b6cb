// TEMPORARY local stand-ins for helpers that src/shared/topology will export (written in parallel).
// Switch the imports to ../topology/index.ts once it lands; keep behaviour identical to the brief.

import type { Topology } from '../topology/types.ts';

/** The only characters allowed in any router command token. */
export const ROUTER_TOKEN = /^[A-Za-z0-9._:/-]+$/;

export function effectiveRouterId(t: Topology): string {
  return t.router.routerId ?? stripPrefix(t.router.cluster.address);
}

function stripPrefix(cidr: string): string {
  const slash = cidr.indexOf('/');
  return slash === -1 ? cidr : cidr.slice(0, slash);
}

function ipv4ToNumber(text: string): number | null {
  const parts = text.trim().split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

function poolEntryInterval(entry: string): [number, number] | null {
  if (entry.includes('-')) {
    const [a, b] = entry.split('-');
    const start = ipv4ToNumber(a ?? '');
    const end = ipv4ToNumber(b ?? '');
    return start === null || end === null ? null : [start, end];
  }
  const [addr, len] = entry.split('/');
  const base = ipv4ToNumber(addr ?? '');
  const bits = len === undefined ? 32 : Number(len);
  if (base === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return null;
  const size = 2 ** (32 - bits);
  const start = Math.floor(base / size) * size;
  return [start, start + size - 1];
}

/** MetalLB's avoidBuggyIPs skips every x.y.z.0 and x.y.z.255: needed when the pool holds one. */
export function poolNeedsAvoidBuggyIps(t: Topology, poolIndex: number): boolean {
  const pool = t.cluster.pools[poolIndex];
  if (!pool) return false;
  return pool.addresses.some((entry) => {
    const interval = poolEntryInterval(entry);
    if (!interval) return false;
    const [start, end] = interval;
    if (end - start >= 255) return true;
    const lastOctets = [start % 256, end % 256];
    return lastOctets[0] === 0 || lastOctets[1] === 255 || (lastOctets[1] ?? 0) < (lastOctets[0] ?? 0);
  });
}
