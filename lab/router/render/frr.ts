// FRR 8 status text, as VyOS 1.4 prints it (VyOS runs FRR).

import type { BgpStatus, NeighborStatus } from '../backend.ts';
import {
  formatUptime,
  isEstablished,
  linkKind,
  routeDistance,
  stateOrPrefixes,
  tableVersion,
} from './common.ts';

export const FRR_NO_BGP = '% No BGP instances found';

const ROUTE_CODES = [
  'Codes: K - kernel route, C - connected, S - static, R - RIP,',
  '       O - OSPF, I - IS-IS, B - BGP, E - EIGRP, N - NHRP,',
  '       T - Table, v - VNC, V - VNC-Direct, A - Babel, F - PBR,',
  '       f - OpenFabric,',
  '       > - selected route, * - FIB route, q - queued, r - rejected, b - backup',
  '       t - trapped, o - offload failure',
  '',
];

export function frrBgpSummary(status: BgpStatus): string[] {
  const version = tableVersion(status);
  const rows = status.neighbors.map((n) =>
    [
      n.address.padEnd(16),
      '4',
      String(n.remoteAs).padStart(11),
      String(n.msgRcvd).padStart(10),
      String(n.msgSent).padStart(10),
      String(version).padStart(9),
      '0'.padStart(5),
      '0'.padStart(5),
      ' ',
      formatUptime(n.upSeconds).padStart(8),
      stateOrPrefixes(n).padStart(13),
      '0'.padStart(9),
      ' ',
      (n.description ?? 'N/A').slice(0, 20),
    ].join(''),
  );
  return [
    '',
    'IPv4 Unicast Summary (VRF default):',
    `BGP router identifier ${status.routerId}, local AS number ${status.localAs} vrf-id 0`,
    `BGP table version ${version}`,
    `RIB entries ${status.routes.length * 2}, using ${status.routes.length * 2 * 96} bytes of memory`,
    `Peers ${status.neighbors.length}, using ${status.neighbors.length * 20} KiB of memory`,
    '',
    'Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc',
    ...rows,
    '',
    `Total number of neighbors ${status.neighbors.length}`,
  ];
}

function frrNeighbor(
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
    `  BGP version 4, remote router ID ${up ? (n.remoteRouterId ?? n.address) : '0.0.0.0'}, local router ID ${status.routerId}`,
    up ? `  BGP state = Established, up for ${formatUptime(n.upSeconds)}` : `  BGP state = ${n.state}`,
  );
  if (up) {
    lines.push(
      '  Last read 00:00:01, Last write 00:00:01',
      `  Hold time is ${timers.hold}, keepalive interval is ${timers.keepalive} seconds`,
    );
  }
  lines.push(`  Configured hold time is ${timers.hold}, keepalive interval is ${timers.keepalive} seconds`);
  if (up) {
    lines.push(
      '  Neighbor capabilities:',
      '    4 Byte AS: advertised and received',
      '    Route refresh: advertised and received(new)',
      '    Address Family IPv4 Unicast: advertised and received',
    );
  }
  lines.push(
    '  Message statistics:',
    '    Inq depth is 0',
    '    Outq depth is 0',
    '                         Sent       Rcvd',
    `    Total:         ${String(n.msgSent).padStart(10)} ${String(n.msgRcvd).padStart(10)}`,
    '  Minimum time between advertisement runs is 0 seconds',
    '',
    ' For address family: IPv4 Unicast',
    '  Community attribute sent to this neighbor(all)',
    `  ${up ? (n.prefixesReceived ?? 0) : 0} accepted prefixes`,
    '',
    `  Connections established ${up ? 1 : 0}; dropped 0`,
  );
  if (up) {
    lines.push(
      `Local host: ${status.routerId}, Local port: 179`,
      `Foreign host: ${n.address}, Foreign port: 40179`,
      `Nexthop: ${status.routerId}`,
      'BGP connection: shared network',
    );
  } else {
    lines.push('  Last reset never');
  }
  lines.push('BGP Connect Retry Timer in Seconds: 120');
  return [...lines, ''];
}

export function frrBgpNeighbors(
  status: BgpStatus,
  timersOf: (address: string) => { hold: number; keepalive: number },
): string[] {
  return status.neighbors.flatMap((n) => frrNeighbor(status, n, timersOf(n.address)));
}

export function frrRouteBgp(status: BgpStatus | null): string[] {
  const lines = [...ROUTE_CODES];
  for (const route of status?.routes ?? []) {
    route.nextHops.forEach((hop, i) => {
      const distance = status === null ? 200 : routeDistance(status, hop.address);
      const head = `B>* ${route.prefix} [${distance}/0] `;
      const tail = `via ${hop.address}, ${hop.interface}, weight 1, ${formatUptime(hop.ageSeconds)}`;
      lines.push(i === 0 ? head + tail : `  *${' '.repeat(head.length - 3)}${tail}`);
    });
  }
  return lines;
}
