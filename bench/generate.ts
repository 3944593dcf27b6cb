// Synthetic router output and topologies for the benchmarks: deterministic, so every run parses
// the same text, and shaped like the real captures in shared/fixtures/router-output.
import type { Topology } from '../src/shared/topology/index.ts';

/** 10.a.b.c/32 for the i-th service address: distinct for i < 2^24. */
function servicePrefix(i: number): string {
  return `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}/32`;
}

function nodeAddress(i: number): string {
  return `192.168.${1 + (i >>> 8)}.${i & 255}`;
}

function clock(i: number): string {
  const seconds = i % 86_400;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/** `show ip route bgp` as EdgeOS prints it: a head line per prefix and `*>` continuation lines. */
export function edgeosRouteTable(prefixes: number, nextHops: number): string {
  const lines = ['IP Route Table for VRF "default"'];
  for (let i = 0; i < prefixes; i++) {
    const prefix = servicePrefix(i);
    const age = clock(i);
    for (let h = 0; h < nextHops; h++) {
      const via = `via ${nodeAddress(201 + h)}, eth1, ${age}`;
      lines.push(h === 0 ? `B    *> ${prefix} [200/0] ${via}` : `     *>                  [200/0] ${via}`);
    }
  }
  lines.push('Gateway of last resort is not set', '');
  return lines.join('\n');
}

/** `show ip route bgp` as FRR (VyOS) prints it, with the codes legend and ECMP siblings. */
export function frrRouteTable(prefixes: number, nextHops: number): string {
  const lines = [
    'Codes: K - kernel route, C - connected, S - static, R - RIP,',
    '       O - OSPF, I - IS-IS, B - BGP, E - EIGRP, N - NHRP,',
    '       T - Table, v - VNC, V - VNC-Direct, A - Babel, F - PBR,',
    '       f - OpenFabric,',
    '       > - selected route, * - FIB route, q - queued, r - rejected, b - backup',
    '       t - trapped, o - offload failure',
    '',
  ];
  for (let i = 0; i < prefixes; i++) {
    const head = `B>* ${servicePrefix(i)} [200/0] `;
    const age = clock(i);
    for (let h = 0; h < nextHops; h++) {
      const via = `via ${nodeAddress(201 + h)}, eth1, weight 1, ${age}`;
      lines.push(h === 0 ? `${head}${via}` : `  *${' '.repeat(head.length - 3)}${via}`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

/** `show ip bgp summary` as FRR 8+ prints it (PfxSnt and Desc columns), one row per neighbor. */
export function frrSummary(neighbors: number): string {
  const lines = [
    '',
    'IPv4 Unicast Summary (VRF default):',
    'BGP router identifier 192.168.1.1, local AS number 64512 vrf-id 0',
    'BGP table version 3',
    `RIB entries ${neighbors * 2}, using 480 bytes of memory`,
    `Peers ${neighbors}, using 40 KiB of memory`,
    '',
    'Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc',
  ];
  for (let i = 0; i < neighbors; i++) {
    const address = nodeAddress(10 + i).padEnd(15);
    const state = i % 10 === 9 ? 'Active' : String(i % 7);
    lines.push(
      `${address} 4      64512 ${String(100 + i).padStart(9)} ${String(90 + i).padStart(9)}        3    0    0 ${clock(i)} ${state.padStart(12)} ${String(1).padStart(8)} mbw-worker${i}`,
    );
  }
  lines.push('', `Total number of neighbors ${neighbors}`, '');
  return lines.join('\n');
}

/**
 * A valid topology with `nodes` workers on a cluster subnet wide enough for them, and one pool per
 * ten nodes outside that subnet (so overlaps between pools and nodes are all checked).
 */
export function largeTopology(nodes: number): Topology {
  return {
    router: {
      dialect: 'edgeos',
      ssh: { host: '192.168.1.1', port: 22, username: 'ubnt' },
      asn: 64512,
      maximumPaths: 32,
      cluster: { interface: 'eth1', address: '192.168.0.1/16' },
      lan: { interface: 'eth2', address: '172.20.0.1/24' },
    },
    cluster: {
      asn: 64512,
      nodes: Array.from({ length: nodes }, (_, i) => ({ name: `worker${i}`, address: nodeAddress(10 + i) })),
      pools: Array.from({ length: Math.max(1, Math.floor(nodes / 10)) }, (_, i) => ({
        name: `pool${i}`,
        addresses: [`10.${100 + (i >>> 8)}.${i & 255}.32/27`],
      })),
    },
    metallb: { version: 'v0.14.9' },
  };
}
