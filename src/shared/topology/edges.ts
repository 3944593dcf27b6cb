// The network and broadcast addresses of the connected subnets (cluster and LAN ports) that a
// pool entry holds. MetalLB must never hand these out. Its avoidBuggyIPs only skips addresses
// ending in .0 or .255, so an edge like 192.168.1.127 (broadcast of 192.168.1.64/26) is an error
// while 192.168.1.255 is a warning the planner covers with avoidBuggyIPs.
import {
  formatCidr,
  formatInterval,
  formatIpv4,
  intervalHasAddress,
  intervalWithout,
  networkCidr,
} from '../net/index.ts';
import type { AddressInterval, Ipv4Number } from '../net/index.ts';
import type { ConnectedSubnet, ResolvedAddresses } from './resolved.ts';

export interface SubnetEdge {
  address: Ipv4Number;
  which: 'network' | 'broadcast';
  port: ConnectedSubnet;
}

/** The connected subnets' network and broadcast addresses inside the interval, ascending. */
export function connectedEdgesIn(interval: AddressInterval, resolved: ResolvedAddresses): SubnetEdge[] {
  return resolved.connected
    .flatMap((port): SubnetEdge[] => [
      { address: port.subnet.start, which: 'network', port },
      { address: port.subnet.end, which: 'broadcast', port },
    ])
    .filter((edge) => intervalHasAddress(interval, edge.address))
    .sort((a, b) => a.address - b.address);
}

/** "the broadcast address of the cluster subnet 192.168.1.0/24 (router.cluster.address)" */
export function describeEdge(edge: SubnetEdge): string {
  const subnet = formatCidr(networkCidr(edge.port.cidr));
  return `the ${edge.which} address of the ${edge.port.role} subnet ${subnet} (${edge.port.path})`;
}

/** "A is the network address of ...; B is the broadcast address of ..." */
export function edgeSentences(edges: readonly SubnetEdge[]): string {
  return edges.map((edge) => `${formatIpv4(edge.address)} is ${describeEdge(edge)}`).join('; ');
}

/** How to write the entry without the given addresses: "use A instead", "use A and B instead". */
export function leaveOutAdvice(interval: AddressInterval, addresses: readonly Ipv4Number[]): string {
  const pieces = intervalWithout(interval, addresses).map(formatInterval);
  if (pieces.length === 0) return 'remove this entry';
  if (pieces.length === 1) return `use ${pieces[0] ?? ''} instead`;
  return `use the separate entries ${pieces.join(' and ')} instead`;
}
