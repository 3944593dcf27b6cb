// Helpers over the router's current BGP lines (relative to the BGP root), shared by diff and teardown.

import type { BgpInstance } from '../parse/index.ts';
import { isMarkedDescription } from './router.ts';

export interface CurrentNeighbor {
  address: string;
  /** Lines below `neighbor <address>`, e.g. [remote-as, 64512]. */
  lines: string[][];
  description: string | undefined;
  marked: boolean;
}

/** Neighbors in first-seen order, so the lines we emit are stable. */
export function neighborsOf(body: string[][]): CurrentNeighbor[] {
  const byAddress = new Map<string, string[][]>();
  for (const line of body) {
    if (line[0] !== 'neighbor' || line[1] === undefined) continue;
    const lines = byAddress.get(line[1]) ?? [];
    if (line.length > 2) lines.push(line.slice(2));
    byAddress.set(line[1], lines);
  }
  return [...byAddress].map(([address, lines]) => {
    const description = lines.find((l) => l[0] === 'description' && l.length === 2)?.[1];
    return { address, lines, description, marked: isMarkedDescription(description) };
  });
}

export function startsWith(line: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= line.length && prefix.every((token, index) => line[index] === token);
}

export function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && startsWith(a, b);
}

/** Instances of `protocols bgp` other than ours (VyOS: a different system-as). */
export function foreignInstances(instances: BgpInstance[], asn: string): BgpInstance[] {
  return instances.filter((instance) => instance.asn !== '' && instance.asn !== asn);
}
