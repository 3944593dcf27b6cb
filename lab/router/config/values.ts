// Value types of the emulated configuration tree. Each validator returns null when the value is
// acceptable, else the EdgeOS-style reason line printed before `Value validation failed`.

import ipaddr from 'ipaddr.js';

export interface ValueType {
  name: string;
  /** Whether `show configuration commands` wraps the value in single quotes (EdgeOS quotes text). */
  quoted: boolean;
  check(value: string): string | null;
}

function notValid(value: string, type: string): string {
  return `"${value}" is not a valid value of type "${type}"`;
}

export function isIpv4(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value);
}

export function isIpv6(value: string): boolean {
  return value.includes(':') && ipaddr.IPv6.isValid(value);
}

function isPrefix(value: string, family: 'ipv4' | 'ipv6'): boolean {
  const [addr, len, extra] = value.split('/');
  if (addr === undefined || len === undefined || extra !== undefined || !/^\d{1,3}$/.test(len)) return false;
  const bits = Number(len);
  return family === 'ipv4' ? isIpv4(addr) && bits <= 32 : isIpv6(addr) && bits <= 128;
}

export function integerIn(min: number, max: number, extraAllowed: number[] = []): ValueType {
  const range = `${min}-${max}`;
  return {
    name: 'u32',
    quoted: false,
    check(value) {
      if (!/^\d{1,10}$/.test(value)) return notValid(value, 'u32');
      const n = Number(value);
      if (extraAllowed.includes(n) || (n >= min && n <= max)) return null;
      const extra = extraAllowed.length > 0 ? `${extraAllowed.join(', ')} or ` : '';
      return `Must be ${extra}between ${range}`;
    },
  };
}

export const asn: ValueType = {
  name: 'u32',
  quoted: false,
  check(value) {
    if (!/^\d{1,10}$/.test(value)) return notValid(value, 'u32');
    const n = Number(value);
    return n >= 1 && n <= 4294967295 ? null : `AS number must be between 1 and 4294967295`;
  },
};

export const ipv4: ValueType = {
  name: 'ipv4',
  quoted: false,
  check: (value) => (isIpv4(value) ? null : notValid(value, 'ipv4')),
};

export const ipAddress: ValueType = {
  name: 'ipv4,ipv6',
  quoted: false,
  check: (value) => (isIpv4(value) || isIpv6(value) ? null : notValid(value, 'ipv4,ipv6')),
};

export const ipv4Prefix: ValueType = {
  name: 'ipv4net',
  quoted: false,
  check: (value) => (isPrefix(value, 'ipv4') ? null : notValid(value, 'ipv4net')),
};

export const interfaceAddress: ValueType = {
  name: 'ipv4net,ipv6net',
  quoted: false,
  check(value) {
    if (value === 'dhcp' || value === 'dhcpv6') return null;
    return isPrefix(value, 'ipv4') || isPrefix(value, 'ipv6') ? null : notValid(value, 'ipv4net,ipv6net');
  },
};

/** Free text; EdgeOS refuses double quotes anywhere in a value. */
export const text: ValueType = {
  name: 'txt',
  quoted: true,
  check(value) {
    if (value.includes('"')) return `Value "${value}" contains a double quote ("), which is not allowed`;
    if (/[\r\n]/.test(value)) return `Value contains a line break, which is not allowed`;
    return null;
  },
};

export const hostName: ValueType = {
  name: 'txt',
  quoted: true,
  check: (value) =>
    /^[A-Za-z0-9][-A-Za-z0-9.]{0,62}$/.test(value)
      ? null
      : `invalid host name "${value}": letters, digits, '-' and '.' only`,
};

export const ipOrInterface: ValueType = {
  name: 'ipv4,ipv6,txt',
  quoted: false,
  check: (value) =>
    isIpv4(value) || isIpv6(value) || /^[a-z][a-z0-9.]{1,14}$/.test(value)
      ? null
      : notValid(value, 'ipv4,ipv6'),
};

export function interfaceName(prefix: string): ValueType {
  const pattern = new RegExp(`^${prefix}\\d+(\\.\\d+)?$`);
  return {
    name: 'txt',
    quoted: false,
    check: (value) => (pattern.test(value) ? null : `invalid interface name "${value}": expected ${prefix}N`),
  };
}

export const loopbackName: ValueType = {
  name: 'txt',
  quoted: false,
  check: (value) => (value === 'lo' ? null : `invalid loopback interface "${value}": only lo exists`),
};

/** VyOS `remote-as`: a number, `internal` or `external`. */
export const vyosRemoteAs: ValueType = {
  name: 'u32',
  quoted: false,
  check: (value) => (value === 'internal' || value === 'external' ? null : asn.check(value)),
};

export const anyWord: ValueType = { name: 'txt', quoted: true, check: () => null };
