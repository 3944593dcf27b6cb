// Shapes of the diagnoses and reports the status view and the CLI (`status --json`, `test --json`) show.

export type CauseCode =
  | 'asn-mismatch'
  | 'router-not-configured'
  | 'firewall-tcp-179'
  | 'md5-mismatch'
  | 'speaker-not-running'
  | 'node-excluded'
  | 'no-ready-endpoints'
  | 'advertisement-mismatch'
  | 'admin-down'
  | 'prefix-limit'
  | 'ebgp-requires-policy';

export interface Cause {
  code: CauseCode;
  /** What is (or may be) wrong, naming the neighbor, node, ASN or interface. */
  text: string;
  /** The command or change that fixes it. */
  whatToDo: string;
  /** True when the router output or the cluster facts show it; false when it is only consistent with them. */
  confirmed: boolean;
}

export interface Diagnosis {
  address: string;
  node: string | null;
  state: string;
  /** One sentence: what the state means. */
  summary: string;
  /** Most likely first: confirmed causes, then possible ones. */
  causes: Cause[];
}

/** What the cluster (and the router's config) says about one neighbor; null where unknown. */
export interface NeighborFacts {
  node: string | null;
  speakerRunning: boolean | null;
  nodeExcluded: boolean | null;
  /** LoadBalancer Services with a ready endpoint that this node should announce. */
  servicesWithReadyEndpoints: number | null;
  advertisementMatchesPool: boolean | null;
  /** The router's config holds a BGP neighbor for this address. */
  routerConfigured: boolean;
}

/** A neighbor as the parsers give it (SummaryNeighbor and BgpNeighbor both fit). */
export interface NeighborInput {
  address: string;
  state: string;
  prefixesReceived: number | null;
  /** The AS the router expects from this neighbor (its `remote-as`). */
  remoteAs?: number | null;
  /** The router's own AS for this session. */
  localAs?: number | null;
  /** Up/Down in seconds: how long the session has been in this state. */
  upSeconds?: number | null;
  established?: boolean;
  adminShutdown?: boolean;
}

export interface StatusNeighbor {
  address: string;
  node: string | null;
  /** As the router printed it; `Not configured` for a topology node the router has no neighbor for. */
  state: string;
  upDown: string;
  prefixesReceived: number | null;
  diagnosis: Diagnosis | null;
}

export interface StatusNextHop {
  address: string;
  node: string | null;
}

export interface StatusRoute {
  prefix: string;
  /** `namespace/name` of the Service(s) whose IP this route carries (comma-separated if shared). */
  service: string | null;
  nextHops: StatusNextHop[];
}

export interface StatusReport {
  neighbors: StatusNeighbor[];
  routes: StatusRoute[];
}

export interface ServiceFacts {
  namespace: string;
  name: string;
  ips: string[];
  readyEndpoints: number;
}

export interface CurlAttempt {
  ok: boolean;
  status: number | null;
  latencyMs: number | null;
  headers: Record<string, string>;
  body: string;
  error: string | null;
}

export interface TestInput {
  target: string;
  attempts: CurlAttempt[];
  nodeNames: string[];
  podToNode: Record<string, string>;
  /** Next hops of the router's route to the target; null when unknown. */
  routeNextHops: number | null;
}

export interface TestReport {
  target: string;
  attempts: number;
  succeeded: number;
  /** Kubernetes node name (or `unknown`) → successful answers from it. */
  byNode: Record<string, number>;
  latencyMs: { p50: number | null; max: number | null };
  failures: string[];
  notes: string[];
}
