// Browser mode's server against real sockets: the static files it will and will not serve, its
// headers, who may open the bridge, what a bad frame gets, and real calls and events through it
// (the echo deploy against the lab's Kubernetes API emulator).

import { request as httpRequest } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { OperationEvent } from '../../shared/contract.ts';
import { APP_VERSION } from '../services/index.ts';
import type { Services } from '../services/index.ts';
import { startTestCluster } from '../kube/testing.ts';
import type { TestCluster } from '../kube/testing.ts';
import { MAX_FRAME_BYTES, newBridgeToken } from './index.ts';
import { startTestWebServer } from './testing.ts';
import type { BridgeMessage, WebServer } from './index.ts';

const INDEX_HTML =
  '<!doctype html><title>wizard</title><script type="module" src="/assets/app-1.js"></script>';
const SECRET = 'sibling-secret-do-not-serve';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET with the path sent exactly as written (no client-side normalisation of `..` or `%2f`). */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a bridge socket; resolves once open, or with the HTTP status the upgrade was refused with. */
function openSocket(
  url: string,
  origin: string | undefined,
): Promise<{ socket: WebSocket } | { refused: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

/** A bridge client for tests: `next` waits for the first message matching a predicate. */
class TestClient {
  readonly messages: BridgeMessage[] = [];
  readonly socket: WebSocket;
  #waiters: { match: (m: BridgeMessage) => boolean; resolve: (m: BridgeMessage) => void }[] = [];
  constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as BridgeMessage;
      this.messages.push(message);
      for (const waiter of this.#waiters.filter((w) => w.match(message))) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    });
  }
  next(match: (m: BridgeMessage) => boolean, timeoutMs = 10_000): Promise<BridgeMessage> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching bridge message within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }
  reply(id: string | number): Promise<BridgeMessage & { id: string | number | null }> {
    return this.next((m) => 'id' in m && m.id === id) as Promise<
      BridgeMessage & { id: string | number | null }
    >;
  }
  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }
  closed(): Promise<number> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
    return new Promise((resolve) => this.socket.once('close', (code) => resolve(code)));
  }
}

describe('browser-mode server while its services still load', () => {
  it('serves the page at once and answers a call made meanwhile once they are ready', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mbw-web-lazy-'));
    const renderer = join(dir, 'renderer');
    mkdirSync(renderer);
    writeFileSync(join(renderer, 'index.html'), INDEX_HTML);
    const token = newBridgeToken();
    let load: () => void = () => undefined;
    const loaded = new Promise<void>((resolve) => (load = resolve));
    const started = await startTestWebServer({
      dir,
      rendererDir: renderer,
      token,
      logLines: [],
      servicesLoaded: loaded,
    });
    try {
      expect((await get(started.server.port, '/')).status).toBe(200);
      const url = `ws://127.0.0.1:${started.server.port}/bridge?token=${token}`;
      const opened = await openSocket(url, started.server.origin);
      if (!('socket' in opened)) throw new Error(`the bridge refused a good upgrade with ${opened.refused}`);
      const c = new TestClient(opened.socket);
      const replies: unknown[] = [];
      c.socket.on('message', (data: Buffer) => replies.push(JSON.parse(data.toString())));
      c.send({ id: 7, channel: 'app.preset', payload: {} });
      // Another round trip on the same server: by then a reply would have arrived, were it not waiting.
      expect((await get(started.server.port, '/')).status).toBe(200);
      expect(replies).toEqual([]);
      load();
      expect(await c.reply(7)).toEqual({ id: 7, envelope: { ok: true, value: null } });
      c.socket.terminate();
    } finally {
      await started.server.stop();
      await started.services.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('browser-mode server', () => {
  let dir: string;
  let server: WebServer;
  let services: Services;
  let cluster: TestCluster | undefined;
  const token = newBridgeToken();
  const logLines: string[] = [];
  const clients: TestClient[] = [];

  const bridgeUrl = (t: string | null = token): string =>
    `ws://127.0.0.1:${server.port}/bridge${t === null ? '' : `?token=${encodeURIComponent(t)}`}`;

  async function client(): Promise<TestClient> {
    const opened = await openSocket(bridgeUrl(), server.origin);
    if (!('socket' in opened)) throw new Error(`the bridge refused a good upgrade with ${opened.refused}`);
    const c = new TestClient(opened.socket);
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mbw-web-test-'));
    const renderer = join(dir, 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), INDEX_HTML);
    writeFileSync(join(renderer, 'assets/app-1.js'), 'console.log("wizard");\n');
    writeFileSync(join(renderer, 'assets/style.css'), 'body{}\n');
    // A sibling whose name starts with the renderer folder's: a prefix check would let it through.
    mkdirSync(join(dir, 'renderer-x'));
    writeFileSync(join(dir, 'renderer-x/secret'), SECRET);
    symlinkSync(join(dir, 'renderer-x/secret'), join(renderer, 'assets/link-out'));
    ({ services, server } = await startTestWebServer({ dir, rendererDir: renderer, token, logLines }));
  });

  afterAll(async () => {
    for (const c of clients) c.socket.terminate();
    await server?.stop();
    await services?.close();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and hands out the token in the fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves index.html for / with a strict CSP, nosniff and no caching', async () => {
    const reply = await get(server.port, '/');
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(INDEX_HTML);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
        `connect-src 'self' ws://127.0.0.1:${server.port}; img-src 'self' data:; object-src 'none'; ` +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(reply.headers['x-frame-options']).toBe('DENY');
  });

  it('serves built assets with their content type, cached as immutable', async () => {
    const js = await get(server.port, '/assets/app-1.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await get(server.port, '/assets/style.css')).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    const head = await get(server.port, '/assets/app-1.js', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('console.log("wizard");\n'.length));
    expect(head.body).toBe('');
  });

  it.each([
    '/..%2f..%2fetc/passwd',
    '/../../etc/passwd',
    '/..%2Frenderer-x/secret',
    '/%2e%2e/renderer-x/secret',
    '/%2E%2E%2Frenderer-x%2Fsecret',
    '/assets/..%2f..%2frenderer-x%2fsecret',
    '/..%5crenderer-x%5csecret',
    '/assets/link-out',
    '/%00index.html',
    '/%E0%A4%A',
    '/assets',
    '/missing.js',
  ])('answers 404 for %s and never leaks a file outside the renderer', async (path) => {
    const reply = await get(server.port, path);
    expect(reply.status).toBe(404);
    expect(reply.body).toBe('not found\n');
    expect(reply.body).not.toContain(SECRET);
    expect(reply.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('answers /favicon.ico with 204 when the build has none, so browsers log no error', async () => {
    const reply = await get(server.port, '/favicon.ico');
    expect(reply.status).toBe(204);
    expect(reply.body).toBe('');
  });

  it('answers a request for another Host (DNS rebinding) with 403 and nothing else', async () => {
    const reply = await get(server.port, '/', { Host: `evil.example:${server.port}` });
    expect(reply.status).toBe(403);
    expect(reply.body).not.toContain('wizard');
  });

  it('refuses methods other than GET and HEAD', async () => {
    const reply = await get(server.port, '/', {}, 'POST');
    expect(reply.status).toBe(405);
    expect(reply.headers['allow']).toBe('GET, HEAD');
  });

  it('refuses a bridge upgrade without the token, with a wrong one, or from another origin', async () => {
    expect(await openSocket(bridgeUrl(null), server.origin)).toEqual({ refused: 403 });
    expect(await openSocket(bridgeUrl(''), server.origin)).toEqual({ refused: 403 });
    expect(await openSocket(bridgeUrl(`${token.slice(0, -1)}x`), server.origin)).toEqual({ refused: 403 });
    expect(await openSocket(bridgeUrl('short'), server.origin)).toEqual({ refused: 403 });
    expect(await openSocket(bridgeUrl(), 'http://evil.example')).toEqual({ refused: 403 });
    expect(await openSocket(bridgeUrl(), `http://localhost:${server.port}`)).toEqual({ refused: 403 });
    expect(await openSocket(bridgeUrl(), 'null')).toEqual({ refused: 403 });
    expect(await openSocket(bridgeUrl(), undefined)).toEqual({ refused: 403 });
    expect(await openSocket(`ws://127.0.0.1:${server.port}/other?token=${token}`, server.origin)).toEqual({
      refused: 404,
    });
    expect(logLines.some((l) => l.includes(token))).toBe(false);
    expect(logLines).toContain('bridge: refused a connection (wrong origin)');
    expect(logLines).toContain('bridge: refused a connection (wrong token)');
    expect(logLines).toContain('bridge: refused a connection (missing token)');
  });

  it('answers a real call: app.info and app.preset through dispatch', async () => {
    const c = await client();
    c.send({ id: 1, channel: 'app.info', payload: {} });
    expect(await c.reply(1)).toEqual({
      id: 1,
      envelope: {
        ok: true,
        value: {
          version: APP_VERSION,
          shell: 'browser',
          dataDir: dir,
          secretsPersistent: false,
          secretsNote: 'secrets are kept in memory only while this program runs; you will be asked each time',
        },
      },
    });
    c.send({ id: 'p', channel: 'app.preset', payload: {} });
    expect(await c.reply('p')).toEqual({ id: 'p', envelope: { ok: true, value: null } });
  });

  it('answers malformed frames with an error, and keeps serving the same connection', async () => {
    const c = await client();
    c.send('this is not json');
    expect(await c.next((m) => 'id' in m && m.id === null)).toEqual({
      id: null,
      envelope: {
        ok: false,
        error: {
          message: 'a bridge frame was not valid JSON; send {"id", "channel", "payload"}',
          kind: 'invalid',
        },
      },
    });
    c.send([1, 2]);
    c.send({ id: { nested: true }, channel: 'app.info', payload: {} });
    c.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    c.send({ id: 7 });
    expect(await c.reply(7)).toMatchObject({
      envelope: {
        ok: false,
        error: { message: 'a bridge frame needs a "channel" naming the call', kind: 'invalid' },
      },
    });
    c.send({ id: 8, channel: 'shell.exec', payload: { cmd: 'id' } });
    expect(await c.reply(8)).toEqual({
      id: 8,
      envelope: { ok: false, error: { message: 'unknown channel "shell.exec"', kind: 'invalid' } },
    });
    c.send({ id: 9, channel: 'app.info', payload: { extra: 1 } });
    expect(await c.reply(9)).toMatchObject({ envelope: { ok: false, error: { kind: 'invalid' } } });
    c.send({ id: 10, channel: 'app.info', payload: {} });
    expect(await c.reply(10)).toMatchObject({ envelope: { ok: true, value: { shell: 'browser' } } });
    const nullIdErrors = c.messages.filter((m) => 'id' in m && m.id === null);
    expect(
      nullIdErrors.map((m) => ('envelope' in m && !m.envelope.ok ? m.envelope.error.message : '')),
    ).toEqual([
      'a bridge frame was not valid JSON; send {"id", "channel", "payload"}',
      'a bridge frame must be an object {"id", "channel", "payload"}',
      'a bridge frame needs an "id": a whole number or 1-64 characters',
      'bridge frames are JSON text; a binary frame was sent',
    ]);
  });

  it('closes a connection that sends an oversize frame (1009) and goes on serving others', async () => {
    const c = await client();
    const closed = c.closed();
    c.send({
      id: 1,
      channel: 'bundle.import',
      payload: { base64: 'A'.repeat(MAX_FRAME_BYTES), fileName: 'x.zip' },
    });
    expect(await closed).toBe(1009);
    const other = await client();
    other.send({ id: 2, channel: 'app.info', payload: {} });
    expect(await other.reply(2)).toMatchObject({ envelope: { ok: true } });
  });

  it('pushes a running operation’s events to the page, and a cancel through the bridge stops it', async () => {
    cluster = await startTestCluster();
    const kube = { kubeconfig: cluster.emu.kubeconfigPath };
    const watcher = await client();
    const caller = await client();
    caller.send({ id: 'deploy', channel: 'echo.deploy', payload: { kube, operationId: 'echo-1' } });
    // No MetalLB in this cluster: the deploy applies its objects, then waits for an IP.
    const waiting = (m: BridgeMessage): boolean =>
      'event' in m &&
      m.event.operationId === 'echo-1' &&
      m.event.kind === 'progress' &&
      m.event.progress.step === 'wait/ip';
    for (const c of [caller, watcher]) {
      expect(await c.next(waiting)).toMatchObject({
        event: {
          operationId: 'echo-1',
          kind: 'progress',
          progress: { operation: 'test.echo', step: 'wait/ip', status: 'running' },
        },
      });
    }
    const applied = watcher.messages
      .filter((m): m is { event: OperationEvent } => 'event' in m)
      .map((m) => (m.event.kind === 'progress' ? `${m.event.progress.step} ${m.event.progress.status}` : ''));
    expect(applied).toContain('object/Service/mbw-echo done');
    watcher.send({ id: 'cancel', channel: 'operation.cancel', payload: { operationId: 'echo-1' } });
    expect(await watcher.reply('cancel')).toEqual({
      id: 'cancel',
      envelope: { ok: true, value: { cancelled: true } },
    });
    expect(await caller.reply('deploy')).toMatchObject({
      envelope: { ok: false, error: { kind: 'cancelled' } },
    });
  });

  it('cancels the operations a page started when its connection closes', async () => {
    const kube = { kubeconfig: cluster!.emu.kubeconfigPath };
    const c = await client();
    c.send({ id: 1, channel: 'echo.deploy', payload: { kube, operationId: 'echo-2' } });
    await c.next((m) => 'event' in m && m.event.operationId === 'echo-2' && m.event.kind === 'progress');
    const closed = c.closed();
    c.socket.close();
    await closed;
    // The id is free again once the cancelled call has finished.
    await expect
      .poll(() => {
        const started = services.operations.start('echo-2');
        if ('error' in started) return false;
        services.operations.finish('echo-2');
        return true;
      })
      .toBe(true);
  });
});
