import { describe, expect, it } from 'vitest';
import {
  broadcastAddress,
  buggyAddressesIn,
  formatCidr,
  formatInterval,
  formatIpv4,
  intervalContains,
  intervalHasAddress,
  intervalSize,
  intervalsOverlap,
  intervalWithout,
  isBuggyAddress,
  networkAddress,
  parseInterfaceCidr,
  parseIpv4,
  parseNetworkCidr,
  parsePoolEntry,
  parseRange,
  quoteInput,
  subnetInterval,
  suggestPoolOutside,
} from './index.ts';
import type { AddressInterval, Ipv4Cidr, NetResult } from './index.ts';

function value<T>(result: NetResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got: ${result.problem}`);
  return result.value;
}

function problem<T>(result: NetResult<T>): string {
  if (result.ok) throw new Error(`expected a problem, got ${JSON.stringify(result.value)}`);
  return result.problem;
}

const ip = (text: string): number => value(parseIpv4(text));
const cidr = (text: string): Ipv4Cidr => value(parseInterfaceCidr(text));
const entry = (text: string): AddressInterval => value(parsePoolEntry(text));

describe('parseIpv4 / formatIpv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['192.168.1.1', 0xc0a80101],
    ['255.255.255.255', 0xffffffff],
    ['10.0.0.1', 0x0a000001],
  ])('parses %s', (text, expected) => {
    expect(ip(text)).toBe(expected);
    expect(formatIpv4(expected)).toBe(text);
  });

  it.each([
    '192.168.1.300',
    '192.168.1',
    '010.0.0.1',
    '0x7f.0.0.1',
    '1.2.3.4.5',
    '',
    ' 1.2.3.4',
    '1.2.3.4\n',
    'a.b.c.d',
  ])('rejects %j with advice', (text) => {
    const message = problem(parseIpv4(text));
    expect(message).toContain(JSON.stringify(text));
    expect(message).toContain('use four numbers 0-255');
  });
});

describe('CIDRs', () => {
  it('keeps host bits for interface addresses and derives network/broadcast', () => {
    const c = cidr('192.168.1.1/24');
    expect(c).toEqual({ address: ip('192.168.1.1'), prefix: 24 });
    expect(formatIpv4(networkAddress(c))).toBe('192.168.1.0');
    expect(formatIpv4(broadcastAddress(c))).toBe('192.168.1.255');
    expect(formatCidr(c)).toBe('192.168.1.1/24');
  });

  it('handles /0 and /32 edges', () => {
    expect(subnetInterval(cidr('10.1.2.3/0'))).toEqual({ start: 0, end: 0xffffffff });
    expect(subnetInterval(cidr('10.1.2.3/32'))).toEqual({ start: ip('10.1.2.3'), end: ip('10.1.2.3') });
  });

  it('rejects pool CIDRs with host bits and suggests the network form', () => {
    expect(problem(parseNetworkCidr('192.168.1.230/27'))).toBe(
      '"192.168.1.230/27" has host bits set; use the network form 192.168.1.224/27',
    );
    expect(value(parseNetworkCidr('192.168.1.224/27'))).toEqual({ address: ip('192.168.1.224'), prefix: 27 });
  });

  it.each([
    ['192.168.1.1', 'like 192.168.1.1/24'],
    ['192.168.1.1/33', 'use a number 0-32'],
    ['192.168.1.1/024', 'use a number 0-32'],
    ['192.168.1.1/', 'use a number 0-32'],
    ['192.168.1.256/24', 'like 192.168.1.1/24'],
    ['1.2.3.4/8/8', 'like 192.168.1.1/24'],
  ])('rejects interface CIDR %j', (text, advice) => {
    expect(problem(parseInterfaceCidr(text))).toContain(advice);
  });
});

describe('ranges and pool entries', () => {
  it('parses ranges, including a one-address range', () => {
    expect(value(parseRange('10.0.0.1-10.0.0.9'))).toEqual({ start: ip('10.0.0.1'), end: ip('10.0.0.9') });
    expect(value(parseRange('10.0.0.1-10.0.0.1'))).toEqual({ start: ip('10.0.0.1'), end: ip('10.0.0.1') });
  });

  it('refuses whitespace instead of trimming it, so entries stay single tokens', () => {
    expect(problem(parseRange('10.0.0.1 - 10.0.0.9'))).toContain('write the range without them');
    expect(problem(parsePoolEntry('10.0.0.1-10.0.0.9\n'))).toContain('without them');
  });

  it('rejects reversed ranges and says which order to use', () => {
    expect(problem(parseRange('10.0.0.9-10.0.0.1'))).toContain(
      'put the lower address first: 10.0.0.1-10.0.0.9',
    );
    expect(problem(parseRange('10.0.0.1-10.0.0.5-10.0.0.9'))).toContain('is not a range');
  });

  it('names the bad side of a range', () => {
    expect(problem(parseRange('10.0.0.1-10.0.0.999'))).toContain(
      '"10.0.0.999", which is not an IPv4 address',
    );
  });

  it('reads pool entries as CIDR or range', () => {
    expect(entry('192.168.1.224/27')).toEqual({ start: ip('192.168.1.224'), end: ip('192.168.1.255') });
    expect(entry('192.168.1.240-192.168.1.250')).toEqual({
      start: ip('192.168.1.240'),
      end: ip('192.168.1.250'),
    });
  });

  it('tells a single address to become a /32', () => {
    expect(problem(parsePoolEntry('192.168.1.240'))).toContain('write it as 192.168.1.240/32');
  });

  it('rejects free text with an example of both forms', () => {
    expect(problem(parsePoolEntry('lots'))).toContain('192.168.100.32/27 or 192.168.100.32-192.168.100.63');
  });
});

describe('interval relations', () => {
  const a = entry('10.0.0.0/24');
  const b = entry('10.0.0.128/25');
  const c = entry('10.0.1.0-10.0.1.10');

  it('detects overlap symmetrically, including touching ends', () => {
    expect(intervalsOverlap(a, b)).toBe(true);
    expect(intervalsOverlap(b, a)).toBe(true);
    expect(intervalsOverlap(a, c)).toBe(false);
    expect(intervalsOverlap(entry('10.0.0.0-10.0.0.5'), entry('10.0.0.5-10.0.0.9'))).toBe(true);
  });

  it('detects containment and membership', () => {
    expect(intervalContains(a, b)).toBe(true);
    expect(intervalContains(b, a)).toBe(false);
    expect(intervalHasAddress(c, ip('10.0.1.10'))).toBe(true);
    expect(intervalHasAddress(c, ip('10.0.1.11'))).toBe(false);
    expect(intervalSize(a)).toBe(256);
  });

  it('formats an aligned block as CIDR and anything else as a range', () => {
    expect(formatInterval(b)).toBe('10.0.0.128/25');
    expect(formatInterval(c)).toBe('10.0.1.0-10.0.1.10');
    expect(formatInterval(entry('10.0.0.16-10.0.0.47'))).toBe('10.0.0.16-10.0.0.47');
  });
});

describe('buggy (.0/.255) addresses', () => {
  it('finds .0 and .255 addresses in order, bounded by the limit', () => {
    expect(buggyAddressesIn(entry('192.168.1.224/27')).map(formatIpv4)).toEqual(['192.168.1.255']);
    expect(buggyAddressesIn(entry('192.168.1.32/27'))).toEqual([]);
    expect(buggyAddressesIn(entry('10.0.0.0/8'), 3).map(formatIpv4)).toEqual([
      '10.0.0.0',
      '10.0.0.255',
      '10.0.1.0',
    ]);
    expect(isBuggyAddress(ip('10.0.0.255'))).toBe(true);
    expect(isBuggyAddress(ip('10.0.0.254'))).toBe(false);
  });
});

describe('suggestPoolOutside', () => {
  const cluster = cidr('192.168.1.1/24');
  const lan = cidr('192.168.2.1/24');

  it('proposes a /27 in the cluster /16 that avoids .0 and .255', () => {
    expect(suggestPoolOutside([cluster, lan], [])).toBe('192.168.100.32/27');
  });

  it('skips taken intervals and connected subnets', () => {
    const taken = [entry('192.168.100.32/27'), entry('192.168.100.64-192.168.100.70')];
    expect(suggestPoolOutside([cluster], taken)).toBe('192.168.100.96/27');
    const wideLan = cidr('192.168.100.1/22');
    expect(suggestPoolOutside([cluster, wideLan], [])).toBe('192.168.104.32/27');
  });

  it('falls back to 10.100.0.0/16 when the cluster subnet is public', () => {
    expect(suggestPoolOutside([cidr('203.0.113.1/24')], [])).toBe('10.100.100.32/27');
  });

  it('falls back when the whole private /16 is connected', () => {
    expect(suggestPoolOutside([cidr('192.168.0.1/16')], [])).toBe('10.100.100.32/27');
  });

  it('honours other sizes', () => {
    expect(suggestPoolOutside([cluster], [], 28)).toBe('192.168.100.16/28');
    expect(suggestPoolOutside([cluster], [], 24)).toBe('192.168.100.0/24');
    expect(suggestPoolOutside([cluster], [], 40)).toBeUndefined();
  });

  it('never returns a block overlapping what it was told to avoid', () => {
    const taken = [entry('192.168.100.0/24'), entry('10.100.100.32/27')];
    const suggestion = suggestPoolOutside([cluster, lan], taken);
    expect(suggestion).toBeDefined();
    const block = entry(suggestion ?? '');
    for (const blocked of [...taken, subnetInterval(cluster), subnetInterval(lan)]) {
      expect(intervalsOverlap(block, blocked)).toBe(false);
    }
  });
});

describe('quoteInput', () => {
  it('shows newlines and quotes escaped and cuts huge input', () => {
    expect(quoteInput('eth1\n"x"')).toBe('"eth1\\n\\"x\\""');
    const quoted = quoteInput('a'.repeat(1000));
    expect(quoted.length).toBeLessThan(70);
    expect(quoted.endsWith('..."')).toBe(true);
  });

  it('keeps error messages short for huge input', () => {
    expect(problem(parseIpv4('9'.repeat(100_000))).length).toBeLessThan(200);
  });
});

describe('quoteInput on invisible line breaks and controls', () => {
  it('escapes U+2028, U+2029, U+0085, DEL, NUL and bidi controls so the result is one visible line', () => {
    const quoted = quoteInput('a\u2028b\u2029c\u0085d\u007fe\u0000f\u202eg');
    expect(quoted).toBe('"a\\u2028b\\u2029c\\u0085d\\u007fe\\u0000f\\u202eg"');
    expect(quoted).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
  });

  it('escapes a format character beyond U+FFFF as two valid \\u escapes', () => {
    expect(quoteInput('\u{E0001}')).toBe('"\\udb40\\udc01"');
  });

  it('keeps ordinary text, including non-ASCII letters, as it is', () => {
    expect(quoteInput('wörker-1')).toBe('"wörker-1"');
  });
});

describe('intervalWithout', () => {
  const range = (text: string): AddressInterval => value(parsePoolEntry(text));
  const shown = (intervals: AddressInterval[]): string[] => intervals.map(formatInterval);

  it('trims an address at either end', () => {
    const pool = range('192.168.1.120/29');
    expect(shown(intervalWithout(pool, [value(parseIpv4('192.168.1.127'))]))).toEqual([
      '192.168.1.120-192.168.1.126',
    ]);
    expect(shown(intervalWithout(pool, [value(parseIpv4('192.168.1.120'))]))).toEqual([
      '192.168.1.121-192.168.1.127',
    ]);
  });

  it('splits around an address in the middle and ignores addresses outside', () => {
    const pool = range('192.168.1.120-192.168.1.135');
    const cut = [value(parseIpv4('192.168.1.127')), value(parseIpv4('10.0.0.1'))];
    expect(shown(intervalWithout(pool, cut))).toEqual(['192.168.1.120-192.168.1.126', '192.168.1.128/29']);
  });

  it('returns nothing when every address is removed', () => {
    expect(intervalWithout(range('10.0.0.5/32'), [value(parseIpv4('10.0.0.5'))])).toEqual([]);
  });
});
