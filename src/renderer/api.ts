// The contract's client. In Electron it is the preload's object (`window.mbw`); in browser mode it
// is a client of the loopback WebSocket bridge, which needs the per-run token the page was opened
// with (`#token=…`, or beside a route: `#/status&token=…`). The token is also kept in this tab's
// sessionStorage, so an in-app route change that drops it from the fragment does not lose it.

import type {
  Channel,
  Envelope,
  OperationEvent,
  RequestOf,
  ResponseOf,
  WizardApi,
} from '../shared/contract.ts';

declare global {
  interface Window {
    mbw?: WizardApi;
  }
}

const TOKEN_KEY = 'mbw.bridgeToken';
const TOKEN_IN_HASH = /[#&?]token=([A-Za-z0-9_-]+)/;
const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 10_000;

type Reply = { id: number; envelope: Envelope<unknown> } | { event: OperationEvent };

function failure(message: string): Envelope<never> {
  return { ok: false, error: { message, kind: 'failed' } };
}

/** The token in the fragment (then kept for this tab), else what this tab kept before; null if none. */
export function bridgeToken(): string | null {
  const token = TOKEN_IN_HASH.exec(window.location.hash)?.[1];
  if (token) {
    window.sessionStorage.setItem(TOKEN_KEY, token);
    return token;
  }
  return window.sessionStorage.getItem(TOKEN_KEY);
}

const NO_TOKEN =
  'this page was opened without its access token: open the "Wizard: http://127.0.0.1:…/#token=…" address ' +
  'that `npm run app` or `npm run demo` printed';
const LOST =
  "the connection to the wizard's background process was lost (was `npm run app` or `npm run demo` stopped?); " +
  'it reconnects by itself when the process is back, then try again';

/** The WizardApi over `ws://<this page's host>/bridge`, reconnecting with backoff. */
export function createBridgeClient(token: string | null): WizardApi {
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  const queued: string[] = [];
  const listeners = new Set<(event: OperationEvent) => void>();
  let socket: WebSocket | null = null;
  let nextId = 1;
  let failures = 0;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const failPending = (): void => {
    for (const resolve of pending.values()) resolve(failure(LOST));
    pending.clear();
    queued.length = 0;
  };

  const receive = (data: unknown): void => {
    if (typeof data !== 'string') return;
    let reply: Reply;
    try {
      reply = JSON.parse(data) as Reply;
    } catch {
      return;
    }
    if ('event' in reply) {
      for (const listener of listeners) listener(reply.event);
      return;
    }
    const resolve = pending.get(reply.id);
    if (!resolve) return;
    pending.delete(reply.id);
    resolve(reply.envelope);
  };

  const scheduleReconnect = (): void => {
    // Only while someone needs the bridge: a pending call or an event listener.
    if (retry !== null || (pending.size === 0 && listeners.size === 0)) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** failures);
    failures += 1;
    retry = setTimeout(() => {
      retry = null;
      connect();
    }, delay);
  };

  function connect(): WebSocket | null {
    if (token === null) return null;
    if (socket !== null && socket.readyState <= WebSocket.OPEN) return socket;
    const opened = new WebSocket(`ws://${window.location.host}/bridge?token=${encodeURIComponent(token)}`);
    opened.addEventListener('open', () => {
      failures = 0;
      for (const frame of queued.splice(0)) opened.send(frame);
    });
    opened.addEventListener('message', (message: MessageEvent) => receive(message.data));
    opened.addEventListener('close', () => {
      if (socket === opened) socket = null;
      failPending();
      scheduleReconnect();
    });
    socket = opened;
    return opened;
  }

  return {
    call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Envelope<ResponseOf<C>>> {
      const current = connect();
      if (current === null) return Promise.resolve(failure(NO_TOKEN));
      const id = nextId++;
      const frame = JSON.stringify({ id, channel, payload: request });
      return new Promise((resolve) => {
        pending.set(id, resolve as (envelope: Envelope<unknown>) => void);
        if (current.readyState === WebSocket.OPEN) current.send(frame);
        else queued.push(frame);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      connect();
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

let bridge: WizardApi | null = null;

/** The preload's object in Electron; elsewhere the bridge client (one per page). */
export function wizardApi(): WizardApi {
  if (window.mbw) return window.mbw;
  bridge ??= createBridgeClient(bridgeToken());
  return bridge;
}
