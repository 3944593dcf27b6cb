// The one-click test's report: which node answered each curl from the router, how fast, what
// failed, and what the spread does (and does not) say about ECMP.

import type { CurlAttempt, TestInput, TestReport } from './types.ts';

export const UNKNOWN_NODE = 'unknown';

/** A name an echo service reported, as a Kubernetes node name: a node's own, or its pod's node. */
function resolvedNode(name: string | undefined, input: TestInput): string | null {
  const trimmed = name?.trim() ?? '';
  if (trimmed === '') return null;
  if (input.nodeNames.includes(trimmed)) return trimmed;
  return Object.hasOwn(input.podToNode, trimmed) ? (input.podToNode[trimmed] ?? null) : null;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function jsonNodeField(body: string): string | undefined {
  const text = body.trim();
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    const node = (value as { node?: unknown } | null)?.node;
    return typeof node === 'string' ? node : undefined;
  } catch {
    return undefined;
  }
}

/** X-Node header, then a JSON body's `node`, then a plain body naming a node or a pod; else unknown. */
export function answeringNode(attempt: CurlAttempt, input: TestInput): string {
  return (
    resolvedNode(headerValue(attempt.headers, 'x-node'), input) ??
    resolvedNode(jsonNodeField(attempt.body), input) ??
    resolvedNode(attempt.body, input) ??
    UNKNOWN_NODE
  );
}

/** Nearest-rank percentile of non-empty sorted values. */
function percentile(sorted: number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? null;
}

function failureText(attempt: CurlAttempt): string {
  if (attempt.error !== null && attempt.error !== '') return attempt.error;
  if (attempt.status !== null) return `HTTP ${attempt.status}`;
  return 'no answer';
}

/** One line per distinct failure, naming the attempts (1-based) it hit. */
function failuresOf(attempts: CurlAttempt[]): string[] {
  const byText = new Map<string, number[]>();
  attempts.forEach((attempt, index) => {
    if (attempt.ok) return;
    const text = failureText(attempt);
    byText.set(text, [...(byText.get(text) ?? []), index + 1]);
  });
  return [...byText].map(
    ([text, numbers]) => `${text} (attempt${numbers.length === 1 ? '' : 's'} ${numbers.join(', ')})`,
  );
}

function notesOf(input: TestInput, byNode: Record<string, number>, succeeded: number): string[] {
  const notes: string[] = [];
  const named = Object.keys(byNode).filter((node) => node !== UNKNOWN_NODE);
  const hops = input.routeNextHops;
  if (hops !== null && hops > 1 && named.length === 1 && succeeded > 1) {
    notes.push(
      `The route to ${input.target} has ${hops} next hops (ECMP works), yet every answer came from ${named[0]}. ` +
        'This is not a failure: the router hashes each flow on its addresses, and every curl from the router itself ' +
        'has the same source and destination, so all take one path. Clients elsewhere are spread over the nodes.',
    );
  }
  if (hops === 1 && input.nodeNames.length > 1) {
    notes.push(
      `The route to ${input.target} has one next hop: only one node announces it (externalTrafficPolicy: Local ` +
        'with pods on one node, or the other sessions are not Established), so the router does not balance it.',
    );
  }
  if (hops === 0) {
    notes.push(`The router has no BGP route to ${input.target}: no node announces it.`);
  }
  const unknown = byNode[UNKNOWN_NODE] ?? 0;
  if (unknown > 0) {
    notes.push(
      `${unknown} answer${unknown === 1 ? '' : 's'} named no node (no X-Node header, no "node" field, and the body ` +
        'is not a node or pod name), so they are counted as unknown.',
    );
  }
  return notes;
}

export function testReportOf(input: TestInput): TestReport {
  const successes = input.attempts.filter((a) => a.ok);
  const byNode: Record<string, number> = {};
  for (const attempt of successes) {
    const node = answeringNode(attempt, input);
    byNode[node] = (byNode[node] ?? 0) + 1;
  }
  const latencies = successes
    .map((a) => a.latencyMs)
    .filter((ms): ms is number => ms !== null)
    .sort((a, b) => a - b);
  return {
    target: input.target,
    attempts: input.attempts.length,
    succeeded: successes.length,
    byNode,
    latencyMs: { p50: percentile(latencies, 0.5), max: latencies.at(-1) ?? null },
    failures: failuresOf(input.attempts),
    notes: notesOf(input, byNode, successes.length),
  };
}
