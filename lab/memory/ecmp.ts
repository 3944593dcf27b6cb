// Per-flow ECMP: hash the 5-tuple and map it onto the next hops by hash-threshold (RFC 2992),
// as Linux does with fib_multipath_hash_policy=1. The same flow always takes the same path;
// different source ports spread over all paths.

export interface Flow {
  sourceAddress: string;
  sourcePort: number;
  destinationAddress: string;
  destinationPort: number;
  /** IP protocol number; 6 = TCP. */
  protocol: number;
}

/** FNV-1a over the flow's fields: cheap, deterministic and well spread for this purpose. */
export function flowHash(flow: Flow): number {
  const text = `${flow.sourceAddress}|${flow.sourcePort}|${flow.destinationAddress}|${flow.destinationPort}|${flow.protocol}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // A final avalanche so that flows differing only in the last digit of the port still spread.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  return hash >>> 0;
}

/** The index of the next hop that carries `flow`, or -1 when there is none. */
export function nextHopIndex(flow: Flow, nextHopCount: number): number {
  if (nextHopCount <= 0) return -1;
  return Math.min(nextHopCount - 1, Math.floor((flowHash(flow) / 2 ** 32) * nextHopCount));
}
