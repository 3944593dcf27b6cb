// The parser floors of issue 9: the same text split into lines and one regular expression per line
// building the same rows. Nothing simpler reads the table, so a parser is judged against these.

export interface FloorHop {
  address: string;
  interface: string;
  age: string;
}

export interface FloorRoute {
  prefix: string;
  nextHops: FloorHop[];
}

const ROUTE_ROW =
  /^(?:B\S*\s+(?:\S+\s+)?(\d+\.\d+\.\d+\.\d+\/\d+)\s+)?.*?via (\d+\.\d+\.\d+\.\d+), (\S+),(?: weight \d+,)? (\S+)$/;

export function floorRoutes(text: string): FloorRoute[] {
  const routes: FloorRoute[] = [];
  let current: FloorRoute | undefined;
  for (const line of text.split('\n')) {
    const m = ROUTE_ROW.exec(line);
    if (!m) continue;
    if (m[1]) {
      current = { prefix: m[1], nextHops: [] };
      routes.push(current);
    }
    current?.nextHops.push({ address: m[2] ?? '', interface: m[3] ?? '', age: m[4] ?? '' });
  }
  return routes;
}

export interface FloorNeighbor {
  address: string;
  remoteAs: number;
  msgRcvd: number;
  msgSent: number;
  upDown: string;
  state: string;
  prefixesReceived: number | null;
  prefixesSent: number | null;
  description: string | null;
}

// Neighbor V AS MsgRcvd MsgSent TblVer InQ OutQ Up/Down State/PfxRcd [PfxSnt [Desc]]
const SUMMARY_ROW =
  /^(\d+\.\d+\.\d+\.\d+)\s+4\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s+\d+\s+(\S+)\s+(\S+)(?:\s+(\d+))?(?:\s+(.*))?$/;

export function floorSummary(text: string): FloorNeighbor[] {
  const neighbors: FloorNeighbor[] = [];
  for (const line of text.split('\n')) {
    const m = SUMMARY_ROW.exec(line);
    if (!m) continue;
    const state = m[6] ?? '';
    const count = /^\d+$/.test(state) ? Number(state) : null;
    neighbors.push({
      address: m[1] ?? '',
      remoteAs: Number(m[2]),
      msgRcvd: Number(m[3]),
      msgSent: Number(m[4]),
      upDown: m[5] ?? '',
      state: count === null ? state : 'Established',
      prefixesReceived: count,
      prefixesSent: m[7] === undefined ? null : Number(m[7]),
      description: m[8] ?? null,
    });
  }
  return neighbors;
}
