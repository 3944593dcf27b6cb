// IPv4 helpers for the in-memory lab. The lab's address plan is IPv4 only (lab/spec.ts).

import ipaddr from 'ipaddr.js';

export interface RouterInterface {
  name: string;
  /** The router's address on this interface with its prefix length, e.g. `10.77.1.1/24`. */
  address: string;
}

export interface ConnectedSubnet {
  interface: string;
  /** The router's own address on the interface, without the prefix length. */
  routerAddress: string;
  network: [ipaddr.IPv4, number];
}

export function isIpv4Address(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/** Parses `a.b.c.d/n`; throws a message naming the interface when it is not one. */
export function connectedSubnetOf(iface: RouterInterface): ConnectedSubnet {
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(iface.address)) {
    throw new Error(
      `router interface ${iface.name}: address "${iface.address}" is not an IPv4 CIDR (write it as 10.77.1.1/24)`,
    );
  }
  const [address, bits] = ipaddr.IPv4.parseCIDR(iface.address);
  return { interface: iface.name, routerAddress: address.toString(), network: [address, bits] };
}

/** The connected subnet that holds `address`, as the kernel's connected routes would pick it. */
export function subnetHolding(
  subnets: readonly ConnectedSubnet[],
  address: string,
): ConnectedSubnet | undefined {
  if (!isIpv4Address(address)) return undefined;
  const parsed = ipaddr.IPv4.parse(address);
  let best: ConnectedSubnet | undefined;
  for (const subnet of subnets) {
    if (parsed.match(subnet.network) && (!best || subnet.network[1] > best.network[1])) best = subnet;
  }
  return best;
}

/** Whether `address` lies inside `cidr` (both IPv4); false for anything malformed. */
export function cidrContains(cidr: string, address: string): boolean {
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr) || !isIpv4Address(address)) return false;
  return ipaddr.IPv4.parse(address).match(ipaddr.IPv4.parseCIDR(cidr));
}

export function prefixLength(cidr: string): number {
  return ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr) ? ipaddr.IPv4.parseCIDR(cidr)[1] : -1;
}

/** Numeric order of dotted-quad addresses, which is how BGP breaks ties on router id / peer address. */
export function compareAddresses(a: string, b: string): number {
  return toNumber(a) - toNumber(b);
}

function toNumber(address: string): number {
  if (!isIpv4Address(address)) return Number.MAX_SAFE_INTEGER;
  return ipaddr.IPv4.parse(address).octets.reduce((n, octet) => n * 256 + octet, 0);
}

/** A /32 announcement written either as `a.b.c.d` or `a.b.c.d/32`, normalised to the CIDR form. */
export function normalisePrefix(prefix: string): string | undefined {
  if (isIpv4Address(prefix)) return `${prefix}/32`;
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(prefix)) return undefined;
  const [address, bits] = ipaddr.IPv4.parseCIDR(prefix);
  return `${ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`).toString()}/${bits}`;
}
