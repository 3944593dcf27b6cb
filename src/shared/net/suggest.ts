// Proposes an address pool outside every connected subnet, for the same-segment caveat.
//
// Deterministic rule (documented because users see its output):
//  1. Candidate /16s, in order: the /16 of the first connected subnet when that subnet is
//     private (RFC 1918), then 10.100.0.0/16, 10.200.0.0/16, 172.31.0.0/16, 192.168.0.0/16.
//  2. Within a /16, the /24s with third octet 100..255 first, then 0..99, so that for a
//     cluster on 192.168.1.0/24 the proposal reads 192.168.100.x, clearly not on-link.
//  3. Within a /24, aligned blocks of the requested size in ascending order. For /26 and
//     longer, blocks holding a .0 or .255 address are skipped, so the proposal never needs
//     MetalLB's avoidBuggyIPs (192.168.100.0/27 is skipped, 192.168.100.32/27 is taken).
//  4. The first block that overlaps no connected subnet and no taken interval wins.
import { formatCidr, networkAddress, parseNetworkCidr, subnetInterval, buggyAddressesIn } from './ipv4.ts';
import type { AddressInterval, Ipv4Cidr, Ipv4Number } from './ipv4.ts';
import { overlapsAnySorted, sortedForOverlap } from './overlap.ts';
import type { SortedIntervals } from './overlap.ts';

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(cidrInterval);
const FALLBACK_SIXTEENS = ['10.100.0.0/16', '10.200.0.0/16', '172.31.0.0/16', '192.168.0.0/16'].map(
  (text) => cidrInterval(text).start,
);

function cidrInterval(text: string): AddressInterval {
  const parsed = parseNetworkCidr(text);
  if (!parsed.ok) throw new Error(`built-in CIDR ${text} is malformed`);
  return subnetInterval(parsed.value);
}

function isPrivate(cidr: Ipv4Cidr): boolean {
  const subnet = subnetInterval(cidr);
  return PRIVATE_RANGES.some((range) => range.start <= subnet.start && subnet.end <= range.end);
}

function candidateSixteens(connected: readonly Ipv4Cidr[]): Ipv4Number[] {
  const first = connected[0];
  const own = first && isPrivate(first) ? [networkAddress({ address: first.address, prefix: 16 })] : [];
  return [...new Set([...own, ...FALLBACK_SIXTEENS])];
}

function thirdOctetOrder(): number[] {
  const order: number[] = [];
  for (let octet = 100; octet <= 255; octet++) order.push(octet);
  for (let octet = 0; octet < 100; octet++) order.push(octet);
  return order;
}

function candidateBlocks(sixteen: Ipv4Number, prefix: number): AddressInterval[] {
  const size = 2 ** (32 - prefix);
  const blocks: AddressInterval[] = [];
  const seen = new Set<number>();
  for (const octet of thirdOctetOrder()) {
    const base = sixteen + octet * 256;
    const step = Math.min(size, 256);
    for (let offset = 0; offset < 256; offset += step) {
      // Blocks wider than a /24 align down; the set drops repeats.
      const start = base + offset - ((base + offset) % size);
      if (seen.has(start)) continue;
      seen.add(start);
      blocks.push({ start, end: start + size - 1 });
    }
  }
  return blocks;
}

function isFree(block: AddressInterval, blocked: SortedIntervals, avoidBuggy: boolean): boolean {
  if (avoidBuggy && buggyAddressesIn(block, 1).length > 0) return false;
  return !overlapsAnySorted(block, blocked);
}

/**
 * A pool block (CIDR text) outside every connected subnet and every taken interval (pools,
 * node and router addresses), or undefined when the candidate space is exhausted.
 */
export function suggestPoolOutside(
  connectedSubnets: readonly Ipv4Cidr[],
  taken: readonly AddressInterval[],
  prefix = 27,
): string | undefined {
  if (!Number.isInteger(prefix) || prefix < 16 || prefix > 32) return undefined;
  // Sorted once: a topology may take thousands of addresses, and each candidate is checked.
  const blocked = sortedForOverlap([...connectedSubnets.map(subnetInterval), ...taken]);
  const avoidBuggy = prefix >= 26;
  for (const sixteen of candidateSixteens(connectedSubnets)) {
    const block = candidateBlocks(sixteen, prefix).find((b) => isFree(b, blocked, avoidBuggy));
    if (block) return formatCidr({ address: block.start, prefix });
  }
  return undefined;
}
