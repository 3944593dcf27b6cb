// The topology as boxes and links: where each box sits, what it says, and one sentence per box for
// the screen-reader list. Pure, so the picture and its text description cannot disagree.

import { formatCidr, networkCidr, parseInterfaceCidr } from '../../../shared/net/index.ts';
import type { Topology } from '../../../shared/topology/index.ts';
import { sessionWordOf } from './session-tone.ts';

export type BoxKind = 'internet' | 'router' | 'segment' | 'node' | 'pool' | 'clients';

export interface DiagramBox {
  id: string;
  kind: BoxKind;
  x: number;
  y: number;
  /** First line in bold, then detail lines. */
  title: string;
  lines: string[];
  /** The BGP state word for a cluster node, when a session state is known. */
  state?: string;
  /** One sentence for the text fallback. */
  description: string;
}

export interface DiagramLink {
  id: string;
  source: string;
  target: string;
  label: string;
  state?: string;
}

export interface DiagramPicture {
  boxes: DiagramBox[];
  links: DiagramLink[];
  /** One paragraph naming every part, for the diagram's accessible name. */
  summary: string;
}

/**
 * The wizard draws the topology while the user types, before validation passes: every field is
 * read defensively so a half-written topology draws what it has instead of throwing.
 */
function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function drawable(t: Topology): Topology {
  const router = record(t.router);
  const cluster = record(t.cluster);
  const wan = router.wan === undefined ? undefined : record(router.wan);
  const lan = router.lan === undefined ? undefined : record(router.lan);
  const lanAddress = lan ? text(lan.address) : '';
  return {
    router: {
      dialect: router.dialect === 'vyos' ? 'vyos' : 'edgeos',
      ssh: { host: text(record(router.ssh).host, '?'), port: 22, username: '' },
      asn: Number(router.asn) || 0,
      maximumPaths: Number(router.maximumPaths) || 0,
      ...(wan ? { wan: { interface: text(wan.interface, 'WAN') } } : {}),
      cluster: {
        interface: text(record(router.cluster).interface, '?'),
        address: text(record(router.cluster).address, '?'),
      },
      ...(lan
        ? { lan: { interface: text(lan.interface, 'LAN'), ...(lanAddress ? { address: lanAddress } : {}) } }
        : {}),
    },
    cluster: {
      asn: Number(cluster.asn) || 0,
      nodes: list(cluster.nodes).map((n) => ({
        name: text(record(n).name, '?'),
        address: text(record(n).address, '?'),
      })),
      pools: list(cluster.pools).map((p) => {
        const addresses = record(p).addresses;
        return {
          name: text(record(p).name, '?'),
          addresses: (Array.isArray(addresses) ? addresses : [addresses])
            .map((a) => text(a))
            .filter((a) => a !== ''),
        };
      }),
    },
    metallb: t.metallb,
  };
}

const COLUMN = 190;
const ROW = 130;

function subnetOf(address: string | undefined): string | null {
  if (address === undefined) return null;
  const parsed = parseInterfaceCidr(address);
  return parsed.ok ? formatCidr(networkCidr(parsed.value)) : null;
}

/** The x of the i-th of `count` boxes in a row centred over `width`. */
function columnX(i: number, count: number, width: number): number {
  return (width - count * COLUMN) / 2 + i * COLUMN;
}

function nodeBoxes(t: Topology, sessions: Record<string, string> | undefined, width: number): DiagramBox[] {
  return t.cluster.nodes.map((node, i) => {
    const state = sessions?.[node.address];
    const stateText = state === undefined ? '' : `, BGP session ${state} (${sessionWordOf(state)})`;
    return {
      // The index keeps ids unique while the user types duplicate or empty addresses.
      id: `node-${i}`,
      kind: 'node',
      x: columnX(i, t.cluster.nodes.length, width),
      y: 3 * ROW,
      title: node.name,
      lines: state === undefined ? [node.address] : [node.address, state],
      ...(state === undefined ? {} : { state }),
      description: `Node ${node.name}, ${node.address}, on the cluster segment${stateText}.`,
    };
  });
}

function poolBoxes(t: Topology, width: number): DiagramBox[] {
  return t.cluster.pools.map((pool, i) => ({
    id: `pool-${i}`,
    kind: 'pool',
    x: columnX(i, t.cluster.pools.length, width),
    y: 4 * ROW,
    title: `Pool ${pool.name}`,
    lines: [...pool.addresses, 'LoadBalancer IPs'],
    description: `Address pool ${pool.name}: ${pool.addresses.join(', ')}, announced over BGP by the nodes.`,
  }));
}

function routerBox(t: Topology, x: number): DiagramBox {
  const r = t.router;
  const dialect = r.dialect === 'edgeos' ? 'EdgeOS' : 'VyOS';
  const interfaces = [
    r.wan ? `${r.wan.interface} WAN` : null,
    `${r.cluster.interface} cluster ${r.cluster.address}`,
    r.lan ? `${r.lan.interface} LAN${r.lan.address ? ` ${r.lan.address}` : ''}` : null,
  ].filter((line): line is string => line !== null);
  return {
    id: 'router',
    kind: 'router',
    x,
    y: ROW,
    title: `Router ${r.ssh.host}`,
    lines: [`${dialect}, AS ${r.asn}`, ...interfaces],
    description: `Router ${r.ssh.host} (${dialect}, AS ${r.asn}) with interfaces: ${interfaces.join('; ')}.`,
  };
}

function lanBoxes(t: Topology, x: number): DiagramBox[] {
  const lan = t.router.lan;
  if (!lan) return [];
  const subnet = subnetOf(lan.address);
  const where = subnet ?? `behind ${lan.interface}`;
  return [
    {
      id: 'lan',
      kind: 'segment',
      x,
      y: 2 * ROW,
      title: 'LAN',
      lines: [subnet ?? lan.interface],
      description: `LAN segment ${where} on ${lan.interface}.`,
    },
    {
      id: 'clients',
      kind: 'clients',
      x,
      y: 3 * ROW,
      title: 'LAN clients',
      lines: ['reach Services via the router'],
      description: `Clients on the LAN ${where}, which reach the LoadBalancer IPs through the router.`,
    },
  ];
}

function summaryOf(t: Topology, sessions: Record<string, string> | undefined): string {
  const nodes = t.cluster.nodes
    .map((n) => {
      const state = sessions?.[n.address];
      return state === undefined ? `${n.name} ${n.address}` : `${n.name} ${n.address} ${state}`;
    })
    .join(', ');
  const pools = t.cluster.pools.map((p) => `${p.name} ${p.addresses.join(' ')}`).join(', ');
  const lan = t.router.lan ? `; LAN on ${t.router.lan.interface}` : '';
  const wan = t.router.wan ? `; WAN on ${t.router.wan.interface}` : '';
  return (
    `Network diagram: router ${t.router.ssh.host}${wan}; cluster segment ${t.router.cluster.address} on ` +
    `${t.router.cluster.interface} with ${t.cluster.nodes.length} nodes (${nodes}); pools ${pools}${lan}.`
  );
}

export function diagramOf(given: Topology, sessions?: Record<string, string>): DiagramPicture {
  const t = drawable(given);
  const clusterWidth = Math.max(t.cluster.nodes.length, t.cluster.pools.length, 1) * COLUMN;
  const nodes = nodeBoxes(t, sessions, clusterWidth);
  const pools = poolBoxes(t, clusterWidth);
  const clusterX = (clusterWidth - COLUMN) / 2;
  const lanX = clusterWidth + COLUMN / 2;
  const routerX = t.router.lan ? (clusterX + lanX) / 2 : clusterX;
  const subnet = subnetOf(t.router.cluster.address) ?? t.router.cluster.address;
  const segment: DiagramBox = {
    id: 'cluster',
    kind: 'segment',
    x: clusterX,
    y: 2 * ROW,
    title: 'Cluster segment',
    lines: [subnet],
    description: `Cluster segment ${subnet} on ${t.router.cluster.interface}, where the nodes peer with the router over BGP.`,
  };
  const boxes: DiagramBox[] = [routerBox(t, routerX), segment, ...nodes, ...pools, ...lanBoxes(t, lanX)];
  const links: DiagramLink[] = [
    {
      id: 'router-cluster',
      source: 'router',
      target: 'cluster',
      label: `${t.router.cluster.interface} ${t.router.cluster.address}`,
    },
    ...nodes.map((n) => ({
      id: `cluster-${n.id}`,
      source: 'cluster',
      target: n.id,
      label: n.state === undefined ? 'BGP' : `BGP ${n.state}`,
      ...(n.state === undefined ? {} : { state: n.state }),
    })),
  ];
  if (t.router.wan) {
    boxes.unshift({
      id: 'internet',
      kind: 'internet',
      x: routerX,
      y: 0,
      title: 'Internet',
      lines: [`via ${t.router.wan.interface}`],
      description: `The internet, reached through the router's WAN interface ${t.router.wan.interface}.`,
    });
    links.unshift({
      id: 'internet-router',
      source: 'internet',
      target: 'router',
      label: `${t.router.wan.interface} WAN`,
    });
  }
  const lan = t.router.lan;
  if (lan) {
    links.push(
      {
        id: 'router-lan',
        source: 'router',
        target: 'lan',
        label: `${lan.interface}${lan.address ? ` ${lan.address}` : ''}`,
      },
      { id: 'lan-clients', source: 'lan', target: 'clients', label: '' },
    );
  }
  return { boxes, links, summary: summaryOf(t, sessions) };
}
