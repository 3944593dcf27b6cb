// Per-flow ECMP: hash the flow and map it onto the next hops by hash-threshold (RFC 2992), as
// Linux does. The hash policy decides which fields count, as net.ipv4.fib_multipath_hash_policy:
//   'addresses'        policy 0, source and destination address only: every connection from one
//                      host to one Service IP takes the same path, whatever its ports;
//   'addresses-ports'  policy 1, the 5-tuple: different source ports spread over all paths.
// The same flow always takes the same path under either policy.

export interface Flow {
  sourceAddress: string;
  sourcePort: number;
  destinationAddress: string;
  destinationPort: number;
  /** IP protocol number; 6 = TCP. */
  protocol: number;
}

export type HashPolicy = 'addresses' | 'addresses-ports';

export const HASH_POLICIES: readonly HashPolicy[] = ['addresses', 'addresses-ports'];

/** The value of net.ipv4.fib_multipath_hash_policy that hashes as `policy` does. */
export function linuxHashPolicy(policy: HashPolicy): '0' | '1' {
  return policy === 'addresses' ? '0' : '1';
}

function hashedFields(flow: Flow, policy: HashPolicy): string {
  return policy === 'addresses'
    ? `${flow.sourceAddress}|${flow.destinationAddress}`
    : `${flow.sourceAddress}|${flow.sourcePort}|${flow.destinationAddress}|${flow.destinationPort}|${flow.protocol}`;
}

/** FNV-1a over the fields the policy hashes: cheap, deterministic and well spread for this purpose. */
export function flowHash(flow: Flow, policy: HashPolicy = 'addresses-ports'): number {
  const text = hashedFields(flow, policy);
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
export function nextHopIndex(
  flow: Flow,
  nextHopCount: number,
  policy: HashPolicy = 'addresses-ports',
): number {
  if (nextHopCount <= 0) return -1;
  return Math.min(nextHopCount - 1, Math.floor((flowHash(flow, policy) / 2 ** 32) * nextHopCount));
}
