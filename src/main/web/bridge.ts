// The contract over a loopback WebSocket: the browser-mode twin of the Electron IPC binding. Only a
// page served by this server (its exact origin) holding this run's token may connect; every frame
// is checked before `dispatch` sees it, and a bad frame gets an error reply, never a crash.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import type { Envelope, OperationEvent } from '../../shared/contract.ts';
import type { ServiceDeps, Services } from '../services/index.ts';

export const BRIDGE_PATH = '/bridge';
/** A bundle import is base64 of up to 20 MB inside JSON; anything larger is refused by ws (1009). */
export const MAX_FRAME_BYTES = 30 * 1024 * 1024;
/** A client that stops reading is cut off rather than allowed to grow our memory without end. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
const MAX_ID_LENGTH = 64;

/** Client → server. */
export interface BridgeRequest {
  id: string | number;
  channel: string;
  payload: unknown;
}

/** Server → client: the answer to one request, or an operation's event. */
export type BridgeMessage =
  { id: string | number | null; envelope: Envelope<unknown> } | { event: OperationEvent };

/** Where operation events come from; `subscribe` returns the unsubscribe function. */
export interface EventSource {
  subscribe(listener: (event: OperationEvent) => void): () => void;
}

/** `deps.emit` for browser mode: every event goes to every subscriber (one per connected page). */
export function createEventHub(): EventSource & { emit: (event: OperationEvent) => void } {
  const listeners = new Set<(event: OperationEvent) => void>();
  return {
    emit: (event) => {
      for (const listener of listeners) listener(event);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Compares digests so neither the length nor the content of the token leaks through timing. */
export function tokensEqual(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export interface BridgeGate {
  origin: string;
  host: string;
  token: string;
}

/** Why an upgrade is refused (status and a short reason), or null when it may proceed. */
export function upgradeRefusal(
  request: Pick<IncomingMessage, 'url' | 'headers'>,
  gate: BridgeGate,
): { status: number; reason: string } | null {
  const url = new URL(request.url ?? '/', 'http://placeholder');
  if (url.pathname !== BRIDGE_PATH) return { status: 404, reason: 'not found' };
  // A page on another site (or a DNS-rebound name) carries another Origin or Host.
  if (request.headers.host !== gate.host) return { status: 403, reason: 'wrong host' };
  if (request.headers.origin !== gate.origin) return { status: 403, reason: 'wrong origin' };
  const token = url.searchParams.get('token');
  // 403 rather than 401: there is no HTTP authentication scheme to offer, only the run's token.
  if (token === null || token === '') return { status: 403, reason: 'missing token' };
  if (!tokensEqual(token, gate.token)) return { status: 403, reason: 'wrong token' };
  return null;
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `bridge refused: ${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function invalid(message: string): Envelope<never> {
  return { ok: false, error: { message, kind: 'invalid' } };
}

function isId(value: unknown): value is string | number {
  return (
    (typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH) ||
    (typeof value === 'number' && Number.isSafeInteger(value))
  );
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return data instanceof ArrayBuffer ? Buffer.from(data).toString('utf8') : data.toString('utf8');
}

/** A frame as a request, or the error to answer it with (and the id, when one could be read). */
export function parseFrame(
  data: RawData,
  isBinary: boolean,
): { request: BridgeRequest } | { id: string | number | null; error: Envelope<never> } {
  if (isBinary) return { id: null, error: invalid('bridge frames are JSON text; a binary frame was sent') };
  const text = textOf(data);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      id: null,
      error: invalid('a bridge frame was not valid JSON; send {"id", "channel", "payload"}'),
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { id: null, error: invalid('a bridge frame must be an object {"id", "channel", "payload"}') };
  }
  const { id, channel, payload } = value as Record<string, unknown>;
  if (!isId(id)) {
    return {
      id: null,
      error: invalid(`a bridge frame needs an "id": a whole number or 1-${MAX_ID_LENGTH} characters`),
    };
  }
  if (typeof channel !== 'string' || channel === '') {
    return { id, error: invalid('a bridge frame needs a "channel" naming the call') };
  }
  return { request: { id, channel, payload } };
}

function send(socket: WebSocket, message: BridgeMessage): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.close(1013, 'the page is not reading its messages');
    return;
  }
  socket.send(JSON.stringify(message));
}

function requestedOperationId(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const id = (payload as { operationId?: unknown }).operationId;
  return typeof id === 'string' ? id : null;
}

export interface Bridge {
  /** Handles an HTTP upgrade: refuses it (status line) or opens a bridge connection. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

/**
 * The dispatcher, loaded with the services: browser mode starts serving the page while they load
 * (they are most of its start-up), and the first request waits for them.
 */
async function dispatcher(): Promise<(typeof import('../services/index.ts'))['dispatch']> {
  return (await import('../services/index.ts')).dispatch;
}

export function createBridge(options: {
  services: Services | Promise<Services>;
  deps: Pick<ServiceDeps, 'emit' | 'log'>;
  events: EventSource;
  gate: () => BridgeGate;
}): Bridge {
  const { services, deps, events } = options;
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  const answer = async (socket: WebSocket, request: BridgeRequest, running: Set<string>): Promise<void> => {
    const operationId = requestedOperationId(request.payload);
    if (operationId !== null) running.add(operationId);
    try {
      const [ready, dispatch] = await Promise.all([services, dispatcher()]);
      const envelope = await dispatch(ready, deps, request.channel, request.payload);
      send(socket, { id: request.id, envelope });
    } finally {
      if (operationId !== null) running.delete(operationId);
    }
  };

  const connect = (socket: WebSocket): void => {
    // Operations this page named and that still run when it goes away (a status watch) are stopped.
    const running = new Set<string>();
    const unsubscribe = events.subscribe((event) => send(socket, { event }));
    socket.on('message', (data, isBinary) => {
      const frame = parseFrame(data, isBinary);
      if ('error' in frame) {
        send(socket, { id: frame.id, envelope: frame.error });
        return;
      }
      answer(socket, frame.request, running).catch((error: unknown) => {
        deps.log.write(`bridge: a reply could not be sent: ${String(error)}`);
      });
    });
    socket.on('error', (error) => deps.log.write(`bridge: connection error: ${error.message}`));
    socket.on('close', () => {
      unsubscribe();
      if (running.size === 0) return;
      const ids = [...running];
      // Running operations mean the services are loaded: this resolves at once.
      void Promise.resolve(services).then((ready) => {
        for (const id of ids) ready.operations.cancel(id);
      });
    });
  };

  return {
    handleUpgrade(request, socket, head) {
      socket.on('error', () => socket.destroy());
      const refusal = upgradeRefusal(request, options.gate());
      if (refusal) {
        deps.log.write(`bridge: refused a connection (${refusal.reason})`);
        refuseUpgrade(socket, refusal.status, refusal.reason);
        return;
      }
      server.handleUpgrade(request, socket, head, connect);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
