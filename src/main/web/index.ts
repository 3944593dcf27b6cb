// Browser mode's server: the built renderer as static files plus the contract over a WebSocket
// bridge, on 127.0.0.1 only. The page gets the per-run token in the URL's fragment (never sent to
// the server with a page request); the bridge refuses any other origin and any missing token.

import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../errors.ts';
import type { ServiceDeps, Services } from '../services/index.ts';
import { createBridge } from './bridge.ts';
import type { BridgeGate, EventSource } from './bridge.ts';
import { cacheControlOf, contentTypeOf, securityHeaders, staticFileFor } from './static.ts';

export { BRIDGE_PATH, MAX_FRAME_BYTES, createEventHub, tokensEqual } from './bridge.ts';
export type { BridgeMessage, BridgeRequest, EventSource } from './bridge.ts';
export { contentSecurityPolicy } from './static.ts';

/**
 * The demo's preset file, read (preset.ts): loaded on use, since it brings the schema library and
 * most starts have no preset, while every start waits for this module.
 */
export async function readPresetFile(
  ...args: Parameters<(typeof import('./preset.ts'))['readPresetFile']>
): ReturnType<(typeof import('./preset.ts'))['readPresetFile']> {
  return (await import('./preset.ts')).readPresetFile(...args);
}
export type { PresetFile } from './preset.ts';

export const LOOPBACK = '127.0.0.1';

export interface WebServerOptions {
  /** A promise while they still load: the page is served meanwhile, and the bridge waits for them. */
  services: Services | Promise<Services>;
  deps: Pick<ServiceDeps, 'emit' | 'log'>;
  /** Where `deps.emit` delivers: each connected page subscribes here. */
  events: EventSource;
  /** The built renderer (`out/renderer`); nothing outside it is served. */
  rendererDir: string;
  /** Loopback only: the bridge drives the router and cluster with the user's credentials. */
  host?: typeof LOOPBACK;
  /** 0 or absent: a free port. */
  port?: number;
  token: string;
}

export interface WebServer {
  /** `http://127.0.0.1:PORT/#token=…`: what the user opens. */
  url: string;
  origin: string;
  port: number;
  stop(): Promise<void>;
}

/** A fresh bridge token: 256 random bits, URL-safe. */
export function newBridgeToken(): string {
  return randomBytes(32).toString('base64url');
}

function plain(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string>,
): void {
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  response.end(`${text}\n`);
}

async function serveStatic(
  request: IncomingMessage,
  response: ServerResponse,
  rendererDir: string,
  gate: BridgeGate,
  port: number,
): Promise<void> {
  const headers = securityHeaders(port);
  // A DNS-rebound name reaches us with another Host: answer nothing to it.
  if (request.headers.host !== gate.host) return plain(response, 403, 'wrong host', headers);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plain(response, 405, 'method not allowed', { ...headers, Allow: 'GET, HEAD' });
  }
  const rawPath = (request.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
  const file = await staticFileFor(rendererDir, rawPath);
  if (file === null && rawPath === '/favicon.ico') {
    // Browsers ask for it unprompted; "no icon" is not an error worth a console line.
    response.writeHead(204, { ...headers, 'Cache-Control': 'no-store' });
    response.end();
    return;
  }
  if (file === null) return plain(response, 404, 'not found', headers);
  response.writeHead(200, {
    ...headers,
    'Content-Type': contentTypeOf(file.path),
    'Content-Length': String(file.size),
    'Cache-Control': cacheControlOf(file.relativePath),
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  await pipeline(createReadStream(file.path), response);
}

function listen(server: ReturnType<typeof createServer>, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new UserError(
          error.code === 'EADDRINUSE'
            ? `port ${port} on ${host} is already in use; pick another with --port, or leave it out for a free one`
            : `the wizard's web server could not listen on ${host}:${port}: ${error.message}`,
          { path: 'port', kind: error.code === 'EADDRINUSE' ? 'invalid' : 'failed' },
        ),
      );
    });
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/** Serves the renderer and the bridge; resolves once listening. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? LOOPBACK;
  if (host !== LOOPBACK) throw new UserError(`browser mode listens on ${LOOPBACK} only, not ${String(host)}`);
  if (options.token.length < 16) throw new UserError('the bridge token is too short (use newBridgeToken())');
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new UserError(
      `the renderer is not built: ${join(options.rendererDir, 'index.html')} is missing; run npm run build`,
    );
  }
  let gate: BridgeGate = { origin: '', host: '', token: options.token };
  let port = 0;
  const bridge = createBridge({
    services: options.services,
    deps: options.deps,
    events: options.events,
    gate: () => gate,
  });
  const server = createServer((request, response) => {
    serveStatic(request, response, options.rendererDir, gate, port).catch((error: unknown) => {
      options.deps.log.write(`web: serving ${request.url ?? ''} failed: ${String(error)}`);
      if (!response.headersSent) plain(response, 500, 'internal error', securityHeaders(port));
      else response.destroy();
    });
  });
  server.on('upgrade', (request, socket, head) => bridge.handleUpgrade(request, socket, head));
  server.on('clientError', (_error, socket) => socket.destroy());
  port = await listen(server, host, options.port ?? 0);
  const origin = `http://${host}:${port}`;
  gate = { origin, host: `${host}:${port}`, token: options.token };
  let stopping: Promise<void> | undefined;
  return {
    url: `${origin}/#token=${options.token}`,
    origin,
    port,
    stop: () => {
      stopping ??= (async () => {
        await bridge.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return stopping;
    },
  };
}
