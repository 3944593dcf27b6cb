// EdgeOS (ZebOS-derived) status text, matching captures from EdgeRouters.

import type { BgpStatus, NeighborStatus } from '../backend.ts';
import {
  formatUptime,
  isEstablished,
  linkKind,
  routeDistance,
  stateOrPrefixes,
  tableVersion,
} from './common.ts';

export interface EcmpSettings {
  ibgp: number;
  ebgp: number;
}

export const EDGEOS_NO_BGP = '% No BGP process is configured';

export function edgeosBgpSummary(status: BgpStatus, ecmp: EcmpSettings): string[] {
  const version = tableVersion(status);
  const rows = status.neighbors.map((n) =>
    [
      n.address.padEnd(25),
      '4 ',
      String(n.remoteAs).padStart(5),
      ' ',
      String(n.msgRcvd).padEnd(10),
      ' ',
      String(n.msgSent).padEnd(4),
      String(version).padStart(8),
      '0'.padStart(7),
      '0'.padStart(7),
      formatUptime(n.upSeconds).padStart(10),
      stateOrPrefixes(n).padStart(16),
    ].join(''),
  );
  return [
    `BGP router identifier ${status.routerId}, local AS number ${status.localAs}`,
    `BGP table version is ${version}`,
    `${status.routes.length > 0 ? 1 : 0} BGP AS-PATH entries`,
    '0 BGP community entries',
    `${ecmp.ebgp}  Configured ebgp ECMP multipath: Currently set at ${ecmp.ebgp}`,
    `${ecmp.ibgp}  Configured ibgp ECMP multipath: Currently set at ${ecmp.ibgp}`,
    '',
    'Neighbor                 V   AS   MsgRcv    MsgSen TblVer   InQ   OutQ    Up/Down   State/PfxRcd',
    ...rows,
    '',
    `Total number of neighbors ${status.neighbors.length}`,
    '',
    `Total number of Established sessions ${status.neighbors.filter(isEstablished).length}`,
  ];
}

function edgeosNeighbor(
  status: BgpStatus,
  n: NeighborStatus,
  timers: { hold: number; keepalive: number },
): string[] {
  const up = isEstablished(n);
  const lines = [
    `BGP neighbor is ${n.address}, remote AS ${n.remoteAs}, local AS ${n.localAs}, ${linkKind(n)}`,
  ];
  if (n.description !== undefined) lines.push(` Description: ${n.description}`);
  lines.push(
    `  BGP version 4, remote router ID ${up ? (n.remoteRouterId ?? n.address) : '0.0.0.0'}`,
    up ? `  BGP state = Established, up for ${formatUptime(n.upSeconds)}` : `  BGP state = ${n.state}`,
    `  Last read ${formatUptime(up ? Math.min(n.upSeconds ?? 0, timers.keepalive) : null)}, hold time is ${timers.hold}, keepalive interval is ${timers.keepalive} seconds`,
  );
  if (up) {
    lines.push(
      '  Neighbor capabilities:',
      '    Route refresh: advertised',
      '    4-Octet ASN Capability: advertised and received',
      '    Address family IPv4 Unicast: advertised and received',
    );
  }
  lines.push(
    `  Received ${n.msgRcvd} messages, 0 notifications, 0 in queue`,
    `  Sent ${n.msgSent} messages, 0 notifications, 0 in queue`,
    '  Route refresh request: received 0, sent 0',
    `  Minimum time between advertisement runs is ${n.remoteAs === n.localAs ? 5 : 30} seconds`,
    ' For address family: IPv4 Unicast',
    `  BGP table version ${tableVersion(status)}, neighbor version ${tableVersion(status)}`,
    '  Community attribute sent to this neighbor (both)',
    `  ${up ? (n.prefixesReceived ?? 0) : 0} accepted prefixes`,
    '  0 announced prefixes',
    '',
    `  Connections established ${up ? 1 : 0}; dropped 0`,
  );
  if (up) {
    lines.push(
      `Local host: ${status.routerId}, Local port: 179`,
      `Foreign host: ${n.address}, Foreign port: 40179`,
      `Nexthop: ${status.routerId}`,
      'BGP connection: non shared network',
    );
  }
  return [...lines, ''];
}

export function edgeosBgpNeighbors(
  status: BgpStatus,
  timersOf: (address: string) => { hold: number; keepalive: number },
): string[] {
  return status.neighbors.flatMap((n) => edgeosNeighbor(status, n, timersOf(n.address)));
}

export function edgeosRouteBgp(status: BgpStatus | null): string[] {
  const lines = ['IP Route Table for VRF "default"'];
  for (const route of status?.routes ?? []) {
    route.nextHops.forEach((hop, i) => {
      const distance = status === null ? 200 : routeDistance(status, hop.address);
      const tail = `[${distance}/0] via ${hop.address}, ${hop.interface}, ${formatUptime(hop.ageSeconds)}`;
      lines.push(
        i === 0 ? `B    *> ${route.prefix} ${tail}` : `     *>${' '.repeat(route.prefix.length + 2)}${tail}`,
      );
    });
  }
  lines.push('Gateway of last resort is not set');
  return lines;
}
