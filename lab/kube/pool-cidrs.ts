// IPAddressPool address entries as MetalLB's webhook reads them: each entry is a CIDR or a
// `start-end` range, a range is split into the CIDRs that cover it exactly, and the CIDRs of all
// pools must not overlap. Error texts are MetalLB's, since users search for them.

import ipaddr from 'ipaddr.js';

interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface PoolCidr {
  family: 4 | 6;
  /** First address of the block. */
  base: bigint;
  prefix: number;
}

export interface NamedPool {
  name: string;
  addresses: string[];
}

const widthOf = (family: 4 | 6): number => (family === 4 ? 32 : 128);

/** Go's net.ParseIP: dotted-quad IPv4 without leading zeros, or IPv6 without a zone. */
function parseIp(text: string): IpAddress | undefined {
  if (/^((0|[1-9]\d{0,2})\.){3}(0|[1-9]\d{0,2})$/.test(text)) {
    const octets = text.split('.').map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    return { family: 4, value: octets.reduce((n, o) => (n << 8n) + BigInt(o), 0n) };
  }
  if (text.includes(':') && !text.includes('%') && ipaddr.IPv6.isValid(text)) {
    const bytes = ipaddr.IPv6.parse(text).toByteArray();
    return { family: 6, value: bytes.reduce((n, b) => (n << 8n) + BigInt(b), 0n) };
  }
  return undefined;
}

function formatIp(family: 4 | 6, value: bigint): string {
  const count = family === 4 ? 4 : 16;
  const bytes = Array.from({ length: count }, (_, i) =>
    Number((value >> BigInt(8 * (count - 1 - i))) & 255n),
  );
  return family === 4 ? bytes.join('.') : ipaddr.fromByteArray(bytes).toString();
}

export function formatCidr(c: PoolCidr): string {
  return `${formatIp(c.family, c.base)}/${c.prefix}`;
}

function lastAddress(c: PoolCidr): bigint {
  return c.base + (1n << BigInt(widthOf(c.family) - c.prefix)) - 1n;
}

/** Go's net.ParseCIDR: the address is masked down to its network. */
function parseCidr(text: string): PoolCidr | undefined {
  const [addr = '', prefixText, ...rest] = text.split('/');
  const ip = parseIp(addr);
  if (!ip || prefixText === undefined || rest.length > 0 || !/^\d+$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const width = widthOf(ip.family);
  if (prefix > width) return undefined;
  const hostBits = BigInt(width - prefix);
  return { family: ip.family, base: (ip.value >> hostBits) << hostBits, prefix };
}

/** The fewest CIDRs covering start..end exactly. */
function summarize(family: 4 | 6, start: bigint, end: bigint): PoolCidr[] {
  const width = widthOf(family);
  const out: PoolCidr[] = [];
  let cur = start;
  while (cur <= end) {
    let hostBits = 0;
    while (
      hostBits < width &&
      cur % (1n << BigInt(hostBits + 1)) === 0n &&
      cur + (1n << BigInt(hostBits + 1)) - 1n <= end
    ) {
      hostBits++;
    }
    out.push({ family, base: cur, prefix: width - hostBits });
    cur += 1n << BigInt(hostBits);
  }
  return out;
}

/** One address entry's CIDRs, or MetalLB's message for why it is not an address entry. */
export function entryCidrs(entry: string): PoolCidr[] | string {
  if (!entry.includes('-')) {
    const cidr = parseCidr(entry);
    return cidr ? [cidr] : `invalid CIDR "${entry}"`;
  }
  const dash = entry.indexOf('-');
  const startText = entry.slice(0, dash);
  const endText = entry.slice(dash + 1);
  const start = parseIp(startText.trim());
  if (!start) return `invalid IP range "${entry}": invalid start IP "${startText}"`;
  const end = parseIp(endText.trim());
  if (!end) return `invalid IP range "${entry}": invalid end IP "${endText}"`;
  // MetalLB summarizes only same-family ranges; a mixed one contributes no CIDR.
  if (start.family !== end.family) return [];
  if (start.value > end.value) {
    return `invalid IP range "${entry}": start IP "${formatIp(start.family, start.value)}" is after the end IP "${formatIp(end.family, end.value)}"`;
  }
  return summarize(start.family, start.value, end.value);
}

function overlap(a: PoolCidr, b: PoolCidr): boolean {
  return a.family === b.family && a.base <= lastAddress(b) && b.base <= lastAddress(a);
}

/**
 * Why MetalLB's webhook refuses `pool` next to the `existing` pools (other pools, in list order),
 * or undefined when it admits it.
 */
export function poolProblem(pool: NamedPool, existing: NamedPool[]): string | undefined {
  const defined: PoolCidr[] = [];
  for (const other of existing) {
    for (const entry of other.addresses) {
      const cidrs = entryCidrs(entry);
      if (typeof cidrs !== 'string') defined.push(...cidrs);
    }
  }
  const own: PoolCidr[] = [];
  for (const entry of pool.addresses) {
    const cidrs = entryCidrs(entry);
    if (typeof cidrs === 'string') return `invalid CIDR "${entry}" in pool "${pool.name}": ${cidrs}`;
    own.push(...cidrs);
  }
  // Each CIDR is checked against everything defined before it, the pool's own earlier ones too.
  for (const cidr of own) {
    const clash = defined.find((d) => overlap(cidr, d));
    if (clash) {
      return `CIDR "${formatCidr(cidr)}" in pool "${pool.name}" overlaps with already defined CIDR "${formatCidr(clash)}"`;
    }
    defined.push(cidr);
  }
  return undefined;
}
