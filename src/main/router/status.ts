// Live BGP status: summary, neighbors and BGP routes in one exec, and a watcher that keeps one
// connection, polls it, and reconnects by itself when the router goes away.

import { parseBgpNeighbors, parseBgpRoutes, parseBgpSummary } from '../../shared/parse/index.ts';
import type { BgpNeighbor, BgpRoute, BgpSummary } from '../../shared/parse/index.ts';
import { backoffDelayMs } from '../backoff.ts';
import { messageOf } from '../errors.ts';
import { OP_WRAPPER, echoMarker, splitSections } from './probe.ts';
import { RouterConnectError, describeTarget } from './session.ts';
import type { RouterSession } from './session.ts';

export interface RouterStatus {
  summary: BgpSummary;
  neighbors: BgpNeighbor[];
  routes: BgpRoute[];
  /** When the router answered (ISO time). */
  at: string;
}

const STATUS_SCRIPT = [
  echoMarker('summary'),
  `${OP_WRAPPER} show ip bgp summary`,
  echoMarker('neighbors'),
  `${OP_WRAPPER} show ip bgp neighbors`,
  echoMarker('routes'),
  `${OP_WRAPPER} show ip route bgp`,
].join('\n');

export async function readRouterStatus(session: RouterSession, signal?: AbortSignal): Promise<RouterStatus> {
  const result = await session.exec(STATUS_SCRIPT, signal === undefined ? {} : { signal });
  const sections = splitSections(result.stdout);
  if (result.code === null || !sections.has('routes')) {
    throw new RouterConnectError(
      `Reading the BGP status of router ${describeTarget(session.target)} failed: ` +
        (result.code === null
          ? 'the connection dropped.'
          : `the status commands did not run (exit ${result.code}).`),
      'unreachable',
    );
  }
  // A router without BGP answers the show commands with an error text and a non-zero exit; the
  // parsers turn that into an empty status, which is what it is.
  return {
    summary: parseBgpSummary(sections.get('summary') ?? ''),
    neighbors: parseBgpNeighbors(sections.get('neighbors') ?? ''),
    routes: parseBgpRoutes(sections.get('routes') ?? ''),
    at: new Date().toISOString(),
  };
}

export type StatusEvent =
  | { kind: 'snapshot'; status: RouterStatus }
  | { kind: 'outage'; message: string; since: string }
  | { kind: 'recovered'; downMs: number };

export interface WatchOptions {
  intervalMs: number;
  signal: AbortSignal;
  onEvent: (e: StatusEvent) => void;
}

/** Resolves after `ms`, early when `signal` fires or `early` settles; never rejects. */
function pause(ms: number, signal: AbortSignal, early?: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    void early?.then(done);
  });
}

/** Only a router that cannot be reached is waited for; a host key or login problem ends the watch. */
function isFatal(error: unknown): boolean {
  return error instanceof RouterConnectError && error.reason !== 'unreachable';
}

/** Polls one session until it fails; returns why, or null when the watch was stopped. */
async function pollSession(session: RouterSession, opts: WatchOptions): Promise<string | null> {
  while (!opts.signal.aborted) {
    try {
      const status = await readRouterStatus(session, opts.signal);
      if (opts.signal.aborted) return null;
      opts.onEvent({ kind: 'snapshot', status });
    } catch (error) {
      if (opts.signal.aborted) return null;
      return messageOf(error);
    }
    await pause(opts.intervalMs, opts.signal, session.closed);
    if (!session.isOpen() && !opts.signal.aborted) {
      return `The connection to router ${describeTarget(session.target)} was lost.`;
    }
  }
  return null;
}

/** Keeps trying `connect` with backoff until it works or the watch stops. */
async function reconnect(
  connect: () => Promise<RouterSession>,
  opts: WatchOptions,
): Promise<RouterSession | null> {
  for (let attempt = 0; !opts.signal.aborted; attempt++) {
    try {
      const session = await connect();
      if (!opts.signal.aborted) return session;
      await session.close();
      return null;
    } catch (error) {
      if (isFatal(error)) throw error;
    }
    // Capped low so a returning router is noticed within a couple of seconds.
    await pause(backoffDelayMs(attempt, { initialMs: 200, maxMs: 1500 }), opts.signal);
  }
  return null;
}

/**
 * Polls the status every `intervalMs` over one connection. On a drop it emits `outage`, reconnects
 * with backoff through `connect` (which checks the pinned host key again), emits `recovered` and
 * goes on. Resolves when `signal` fires; rejects when the first connection fails or a reconnect
 * meets a host key or login problem.
 */
export async function watchRouterStatus(
  connect: () => Promise<RouterSession>,
  opts: WatchOptions,
): Promise<void> {
  if (opts.signal.aborted) return;
  let session: RouterSession | null = await connect();
  try {
    while (session !== null && !opts.signal.aborted) {
      const failure = await pollSession(session, opts);
      await session.close().catch(() => undefined);
      session = null;
      if (failure === null) return;
      const since = Date.now();
      opts.onEvent({ kind: 'outage', message: failure, since: new Date(since).toISOString() });
      session = await reconnect(connect, opts);
      if (session !== null) opts.onEvent({ kind: 'recovered', downMs: Date.now() - since });
    }
  } finally {
    await session?.close().catch(() => undefined);
  }
}
