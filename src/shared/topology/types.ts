// The user's network as the wizard models it. Field names are fixed: the topology file, the CLI
// and the export bundle all use them. A Topology never holds a secret.

export type RouterDialect = 'edgeos' | 'vyos';

export const SUPPORTED_METALLB_VERSIONS = ['v0.12.1', 'v0.13.12', 'v0.14.9', 'v0.15.3', 'v0.16.1'] as const;
export type MetallbVersion = (typeof SUPPORTED_METALLB_VERSIONS)[number];
export const NEWEST_METALLB_VERSION: MetallbVersion = 'v0.16.1';

export interface SshEndpoint {
  host: string;
  port: number;
  username: string;
}

export interface RouterInterface {
  interface: string;
  /** Interface address with prefix length, e.g. 192.168.1.1/24. */
  address?: string;
}

export interface RouterSpec {
  dialect: RouterDialect;
  ssh: SshEndpoint;
  asn: number;
  /** Defaults to the cluster interface's address. */
  routerId?: string;
  maximumPaths: number;
  wan?: { interface: string };
  cluster: { interface: string; address: string };
  lan?: { interface: string; address?: string };
  /**
   * The BGP sessions use an MD5 password. The password itself is never in the topology: it is
   * asked for and kept in the OS keychain; files the wizard writes carry a placeholder.
   */
  bgpPassword?: boolean;
}

export interface ClusterNode {
  /** Kubernetes node name (DNS-1123 subdomain). */
  name: string;
  /** The node's InternalIP, inside the cluster subnet. */
  address: string;
}

export interface AddressPool {
  /** DNS-1123 label. */
  name: string;
  /** CIDRs (a.b.c.d/n) or ranges (a.b.c.d-a.b.c.e). */
  addresses: string[];
}

export interface ClusterSpec {
  asn: number;
  nodes: ClusterNode[];
  pools: AddressPool[];
}

export interface Topology {
  router: RouterSpec;
  cluster: ClusterSpec;
  metallb: { version: MetallbVersion };
}

export type Severity = 'error' | 'warning';

/** An error names the field path (dotted, with array indexes: `cluster.nodes.1.address`). */
export interface TopologyError {
  path: string;
  message: string;
}

export type WarningCode =
  | 'pool-in-cluster-segment'
  | 'pool-in-lan-segment'
  | 'asn-not-private'
  | 'maximum-paths-below-nodes'
  | 'single-node'
  | 'pool-includes-network-or-broadcast';

export interface TopologyWarning {
  code: WarningCode;
  path: string;
  message: string;
  /** For the same-segment caveat: a pool outside every connected subnet the user can adopt. */
  suggestion?: { pool: string };
}

export type ValidationResult =
  | { ok: true; topology: Topology; errors: []; warnings: TopologyWarning[] }
  | { ok: false; topology?: undefined; errors: TopologyError[]; warnings: TopologyWarning[] };
