// IPv4 parsing and interval arithmetic for the topology model. Addresses are unsigned 32-bit
// numbers so that overlap and containment are plain integer comparisons.
import ipaddr from 'ipaddr.js';

/** An IPv4 address as an unsigned 32-bit number. */
export type Ipv4Number = number;

/** An address with a prefix length; `address` keeps host bits as written (interface addresses). */
export interface Ipv4Cidr {
  address: Ipv4Number;
  prefix: number;
}

/** Inclusive range of addresses. */
export interface AddressInterval {
  start: Ipv4Number;
  end: Ipv4Number;
}

/** Parse outcome: a value, or a problem sentence that says what is wrong and what to do. */
export type NetResult<T> = { ok: true; value: T } | { ok: false; problem: string };

const EXAMPLE_ADDRESS = '192.168.1.201';

function fail<T>(problem: string): NetResult<T> {
  return { ok: false, problem };
}

// Characters that break or hide part of a one-line message: C0/C1 controls (incl. U+0085),
// line/paragraph separators, and format characters such as bidi overrides and zero-widths.
// JSON.stringify escapes only C0 controls, so the rest are escaped here.
const INVISIBLE_OR_LINE_BREAKING = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

// One \uXXXX per UTF-16 unit, so characters beyond U+FFFF also read as valid JSON escapes.
function unicodeEscape(character: string): string {
  return Array.from(
    { length: character.length },
    (_, i) => `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`,
  ).join('');
}

/** The text with every control, separator and format character written as a \\uXXXX escape. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE_OR_LINE_BREAKING, unicodeEscape);
}

/**
 * The user's text, JSON-quoted (so newlines and quotes show) with every control, separator
 * and format character escaped, and cut short if huge: always one visible line.
 */
export function quoteInput(text: string, maxLength = 60): string {
  const shown = text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text;
  return escapeInvisible(JSON.stringify(shown));
}

const quote = (text: string): string => quoteInput(text);

// ipaddr.js on its own also accepts hex, octal and short forms (`0x7f.1`); those are confusing
// in a config file and EdgeOS would not read them, so only strict dotted decimal passes.
function isDottedDecimal(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

export function parseIpv4(text: string): NetResult<Ipv4Number> {
  if (!isDottedDecimal(text)) {
    return fail(`${quote(text)} is not an IPv4 address; use four numbers 0-255 such as ${EXAMPLE_ADDRESS}`);
  }
  const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(text).toByteArray();
  return { ok: true, value: ((a << 24) | (b << 16) | (c << 8) | d) >>> 0 };
}

export function formatIpv4(value: Ipv4Number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export function prefixMask(prefix: number): number {
  // A shift by 32 is a no-op in JS, so /0 needs its own case.
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function networkAddress(cidr: Ipv4Cidr): Ipv4Number {
  return (cidr.address & prefixMask(cidr.prefix)) >>> 0;
}

export function broadcastAddress(cidr: Ipv4Cidr): Ipv4Number {
  return (networkAddress(cidr) | ~prefixMask(cidr.prefix)) >>> 0;
}

/** The whole subnet the CIDR names, network through broadcast. */
export function subnetInterval(cidr: Ipv4Cidr): AddressInterval {
  return { start: networkAddress(cidr), end: broadcastAddress(cidr) };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.address)}/${cidr.prefix}`;
}

/** The CIDR with host bits cleared, e.g. 192.168.1.1/24 -> 192.168.1.0/24. */
export function networkCidr(cidr: Ipv4Cidr): Ipv4Cidr {
  return { address: networkAddress(cidr), prefix: cidr.prefix };
}

function parsePrefix(text: string): number | undefined {
  if (!/^(0|[1-9]\d?)$/.test(text)) return undefined;
  const prefix = Number(text);
  return prefix <= 32 ? prefix : undefined;
}

/** `a.b.c.d/n` where host bits are normal (an interface address such as 192.168.1.1/24). */
export function parseInterfaceCidr(text: string): NetResult<Ipv4Cidr> {
  const parts = text.split('/');
  if (parts.length !== 2) {
    return fail(`${quote(text)} is not an address with prefix length; write it like 192.168.1.1/24`);
  }
  const [addressText = '', prefixText = ''] = parts;
  const address = parseIpv4(addressText);
  if (!address.ok) {
    return fail(`${quote(text)} does not start with an IPv4 address; write it like 192.168.1.1/24`);
  }
  const prefix = parsePrefix(prefixText);
  if (prefix === undefined) {
    return fail(`${quote(text)} has prefix length ${quote(prefixText)}; use a number 0-32 such as /24`);
  }
  return { ok: true, value: { address: address.value, prefix } };
}

/** `a.b.c.d/n` naming a block of addresses: host bits must be zero. */
export function parseNetworkCidr(text: string): NetResult<Ipv4Cidr> {
  const parsed = parseInterfaceCidr(text);
  if (!parsed.ok) return parsed;
  const network = networkCidr(parsed.value);
  if (network.address !== parsed.value.address) {
    return fail(`${quote(text)} has host bits set; use the network form ${formatCidr(network)}`);
  }
  return { ok: true, value: network };
}

/**
 * `a.b.c.d-a.b.c.e` with start <= end. Whitespace is refused rather than trimmed (MetalLB
 * would trim it) so that every accepted pool entry is a single clean token.
 */
export function parseRange(text: string): NetResult<AddressInterval> {
  const parts = text.split('-');
  const example = '192.168.100.32-192.168.100.63';
  if (/\s/.test(text))
    return fail(`${quote(text)} contains spaces; write the range without them like ${example}`);
  if (parts.length !== 2) return fail(`${quote(text)} is not a range; write it like ${example}`);
  const [startText = '', endText = ''] = parts;
  const start = parseIpv4(startText);
  const end = parseIpv4(endText);
  if (!start.ok || !end.ok) {
    const bad = start.ok ? endText : startText;
    return fail(`${quote(text)} has ${quote(bad)}, which is not an IPv4 address; write it like ${example}`);
  }
  if (start.value > end.value) {
    return fail(`${quote(text)} ends before it starts; put the lower address first: ${endText}-${startText}`);
  }
  return { ok: true, value: { start: start.value, end: end.value } };
}

/** A pool entry: a CIDR in network form or a range. */
export function parsePoolEntry(text: string): NetResult<AddressInterval> {
  if (text.includes('/')) {
    const cidr = parseNetworkCidr(text);
    return cidr.ok ? { ok: true, value: subnetInterval(cidr.value) } : cidr;
  }
  if (text.includes('-')) return parseRange(text);
  if (isDottedDecimal(text)) {
    return fail(`${quote(text)} is a single address; write it as ${text}/32 or as a range`);
  }
  return fail(
    `${quote(text)} is neither a CIDR nor a range; write it like 192.168.100.32/27 or 192.168.100.32-192.168.100.63`,
  );
}

export function intervalSize(interval: AddressInterval): number {
  return interval.end - interval.start + 1;
}

export function intervalsOverlap(a: AddressInterval, b: AddressInterval): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function intervalContains(outer: AddressInterval, inner: AddressInterval): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

export function intervalHasAddress(interval: AddressInterval, address: Ipv4Number): boolean {
  return interval.start <= address && address <= interval.end;
}

export function singleAddressInterval(address: Ipv4Number): AddressInterval {
  return { start: address, end: address };
}

/** An interval as a CIDR when it is exactly one aligned block, else as a range. */
export function formatInterval(interval: AddressInterval): string {
  const size = intervalSize(interval);
  const isPowerOfTwo = Number.isInteger(Math.log2(size));
  if (isPowerOfTwo && interval.start % size === 0) {
    return formatCidr({ address: interval.start, prefix: 32 - Math.log2(size) });
  }
  return `${formatIpv4(interval.start)}-${formatIpv4(interval.end)}`;
}

/** True for addresses whose last octet is 0 or 255: what MetalLB's avoidBuggyIPs skips. */
export function isBuggyAddress(address: Ipv4Number): boolean {
  const last = address & 255;
  return last === 0 || last === 255;
}

/**
 * The first few addresses in the interval that end in .0 or .255, ascending. Computed by
 * stepping /24 boundaries, so a huge interval costs no more than `limit` steps.
 */
export function buggyAddressesIn(interval: AddressInterval, limit = 3): Ipv4Number[] {
  const found: Ipv4Number[] = [];
  let base = interval.start - (interval.start & 255);
  while (found.length < limit && base <= interval.end) {
    for (const candidate of [base, base + 255]) {
      if (found.length < limit && intervalHasAddress(interval, candidate)) found.push(candidate);
    }
    base += 256;
  }
  return found;
}

/**
 * What is left of the interval once the given addresses are taken out, as ascending pieces
 * (none when every address went). Addresses outside the interval are ignored.
 */
export function intervalWithout(
  interval: AddressInterval,
  addresses: readonly Ipv4Number[],
): AddressInterval[] {
  const cuts = [...new Set(addresses)].filter((a) => intervalHasAddress(interval, a)).sort((a, b) => a - b);
  const pieces: AddressInterval[] = [];
  let start = interval.start;
  for (const cut of cuts) {
    if (cut > start) pieces.push({ start, end: cut - 1 });
    start = cut + 1;
  }
  if (start <= interval.end) pieces.push({ start, end: interval.end });
  return pieces;
}
