// Parsed router output, in the shapes the CLI prints with `parse --kind … --json`.
// Field names are fixed by the CLI contract; the optional fields are extras.

/** Which family printed a piece of output. EdgeOS uses a ZebOS-derived stack, VyOS uses FRR. */
export type OutputFormat = 'edgeos' | 'frr' | 'frr-json' | 'unknown';

/**
 * The BGP state word as the router printed it: Established, Active, Connect, Idle, `Idle (Admin)`,
 * `Idle (PfxCt)`, OpenSent, OpenConfirm, and FRR's `(Policy)` and `NoNeg`.
 */
export type BgpStateWord = string;

/** One row of `show ip bgp summary`. */
export interface SummaryNeighbor {
  address: string;
  remoteAs: number;
  state: BgpStateWord;
  /** The Up/Down column as printed: `00:55:28`, `1d02h54m`, `03w0d00h`, `never`. */
  upDown: string;
  /** Up/Down in seconds; null for `never` or anything unreadable. */
  upSeconds: number | null;
  /** A number only when the State/PfxRcd column held one (the session is Established). */
  prefixesReceived: number | null;
  /** True when the session is up, including FRR's `(Policy)` and `NoNeg` rows. */
  established?: boolean;
  msgRcvd?: number;
  msgSent?: number;
  prefixesSent?: number;
  description?: string;
  hostname?: string;
}

export interface BgpSummary {
  routerId: string | null;
  localAs: number | null;
  neighbors: SummaryNeighbor[];
}

/** One neighbor block of `show ip bgp neighbors`. */
export interface BgpNeighbor {
  address: string;
  remoteAs: number;
  localAs: number | null;
  link: 'internal' | 'external';
  state: BgpStateWord;
  /** `up for …` as printed; null unless Established. */
  upFor: string | null;
  upSeconds: number | null;
  /** Accepted prefixes of the IPv4 Unicast family (or the first family shown). */
  prefixesAccepted: number | null;
  remoteRouterId?: string;
  localRouterId?: string;
  description?: string;
  hostname?: string;
  /** FRR prints `Administratively shut down` (state stays `Idle`, as printed). */
  adminShutdown?: boolean;
  /** The interface of an unnumbered (interface) neighbor. */
  interface?: string;
  msgRcvd?: number;
  msgSent?: number;
  connectionsEstablished?: number;
  connectionsDropped?: number;
}

export interface BgpNextHop {
  address: string;
  /** Null for a recursive next hop, whose interface is that of the hop resolving it. */
  interface: string | null;
  /** Route age as printed (`00:08:04`); null when the router printed none. */
  age: string | null;
  recursive?: boolean;
  /** For FRR's resolving hop printed below a recursive one: the recursive hop's address. */
  resolves?: string;
  weight?: number;
}

/** One BGP route of `show ip route bgp` with all of its next hops (ECMP siblings included). */
export interface BgpRoute {
  prefix: string;
  nextHops: BgpNextHop[];
  distance?: number;
  metric?: number;
  /** `>`: the route is selected. */
  selected?: boolean;
  /** `*`: the route is installed in the FIB. */
  installed?: boolean;
}

export interface RouterVersion {
  dialect: 'edgeos' | 'vyos';
  version: string;
  model?: string;
}
