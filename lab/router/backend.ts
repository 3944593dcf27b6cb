// The seam between the router emulator (SSH, CLI, config tree) and whatever actually routes:
// the in-memory backend (lab/memory) or real FRR in network namespaces (lab/netns).
// The emulator renders every status command from `bgpStatus()`, in EdgeOS or FRR format.

import type { ClusterBgpView } from '../speakers/types.ts';

/** The committed `protocols bgp` subtree, dialect-neutral. */
export interface BgpNeighborConfig {
  address: string;
  /** A number; VyOS `internal`/`external` are resolved by the emulator before this point. */
  remoteAs: number;
  /**
   * Set when VyOS said `remote-as internal|external` instead of a number: remoteAs is then the
   * local AS (internal), or 0 (external: any AS other than the local one is accepted).
   */
  remoteAsMode?: 'internal' | 'external';
  description?: string;
  password?: string;
  updateSource?: string;
  ebgpMultihop?: number;
  keepalive?: number;
  holdtime?: number;
  shutdown?: boolean;
}

export interface BgpConfig {
  localAs: number;
  routerId?: string;
  neighbors: BgpNeighborConfig[];
  maximumPathsIbgp?: number;
  maximumPathsEbgp?: number;
}

/** BGP state words as routers print them: Established, Idle, Connect, Active, OpenSent, OpenConfirm, `Idle (Admin)`, … */
export type BgpStateWord = string;

export interface NeighborStatus {
  address: string;
  remoteAs: number;
  localAs: number;
  state: BgpStateWord;
  /** Seconds in the current state; null when the session never came up. */
  upSeconds: number | null;
  msgRcvd: number;
  msgSent: number;
  /** Prefixes received; null unless Established. */
  prefixesReceived: number | null;
  remoteRouterId?: string;
  description?: string;
}

export interface BgpNextHop {
  address: string;
  interface: string;
  ageSeconds: number;
}

/** A BGP route installed in the router's FIB, with all of its ECMP next hops. */
export interface BgpRouteStatus {
  prefix: string;
  nextHops: BgpNextHop[];
}

export interface BgpStatus {
  routerId: string;
  localAs: number;
  neighbors: NeighborStatus[];
  routes: BgpRouteStatus[];
}

export interface CurlRequest {
  url: string;
  timeoutMs: number;
  method?: string;
}

export interface CurlResult {
  /** curl's exit code: 0 ok, 6 resolve, 7 connect refused/unreachable, 28 timeout. */
  exitCode: number;
  status?: number;
  headers?: Record<string, string>;
  body: string;
  remoteIp?: string;
  timeMs: number;
  error?: string;
}

export interface RoutingBackend {
  readonly kind: 'memory' | 'frr';
  /** Apply the router's committed BGP config (null: no `protocols bgp`). */
  applyBgpConfig(config: BgpConfig | null): Promise<void>;
  /** What MetalLB's speakers do now, derived from the emulated cluster. */
  setClusterView(view: ClusterBgpView): Promise<void>;
  /** Live status; never cached. Null when BGP is not configured. */
  bgpStatus(): Promise<BgpStatus | null>;
  /** An HTTP request from the router's place in the network (the one-click test). */
  curl(request: CurlRequest): Promise<CurlResult>;
  close(): Promise<void>;
}
