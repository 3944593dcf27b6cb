// Fuzzing the browser bridge over real sockets: whatever frames a connected page sends (random
// text, random JSON, odd ids, binary frames, broken UTF-8), each is answered with an error envelope
// or closes that one connection, and the server goes on serving. An upgrade with a token, Origin or
// Host that is not exactly right is refused.

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Envelope } from '../../shared/contract.ts';
import { CHANNELS } from '../../shared/contract.ts';
import type { Services } from '../services/index.ts';
import { BRIDGE_PATH, MAX_FRAME_BYTES, newBridgeToken } from './index.ts';
import { startTestWebServer } from './testing.ts';
import type { BridgeMessage, WebServer } from './index.ts';

const MAX_ID_LENGTH = 64;
/** Calls whose whole valid request is `{}` and that only read the app's own state. */
const TAKE_NOTHING = new Set(['app.info', 'app.preset', 'window.openStatus', 'app.diagnostics']);

type Reply = { id: string | number | null; envelope: Envelope<unknown> };

/** One bridge connection that keeps every reply in arrival order. */
class FuzzClient {
  readonly replies: Reply[] = [];
  readonly socket: WebSocket;
  #waiters: (() => void)[] = [];
  constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false);
      const message = JSON.parse(String(data)) as BridgeMessage;
      if ('envelope' in message) this.replies.push(message);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }
  /** Waits until a reply after position `from` has this id; resolves with it. */
  async replyAfter(from: number, id: string | number | null, timeoutMs = 10_000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.replies.slice(from).find((r) => r.id === id);
      if (found) return found;
      if (this.socket.readyState !== WebSocket.OPEN) throw new Error('the bridge closed the connection');
      if (Date.now() > deadline)
        throw new Error(`no reply with id ${JSON.stringify(id)} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
  closed(): Promise<number> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
    return new Promise((resolve) => this.socket.once('close', (code) => resolve(code)));
  }
}

/** The id a reply carries: the frame's own when it is a usable one, else null. */
function expectedReplyId(frame: unknown): string | number | null {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return null;
  const id = (frame as { id?: unknown }).id;
  if (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH) return id;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return id;
  return null;
}

function jsonOf(text: string): { value: unknown } | null {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return null;
  }
}

function expectErrorEnvelope(envelope: Envelope<unknown>): void {
  expect(envelope.ok).toBe(false);
  if (envelope.ok) return;
  expect(typeof envelope.error.message).toBe('string');
  expect(envelope.error.message).not.toMatch(/[\r\n]/);
  expect(envelope.error.kind).toBe('invalid');
}

/** Sends an HTTP upgrade with exactly these headers; resolves with 101 or the refusal's status. */
function upgradeStatus(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every character as %XX. */
function percentEncoded(text: string): string {
  return [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
}

/** A string with one character replaced, dropped, added or its case flipped. */
const nearMiss = (token: string): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc
        .tuple(fc.nat({ max: token.length - 1 }), fc.constantFrom(...'AZaz09-_.~+/=%'))
        .map(([i, c]) => `${token.slice(0, i)}${c}${token.slice(i + 1)}`),
      fc.nat({ max: token.length - 1 }).map((n) => token.slice(0, n)),
      fc.nat({ max: token.length - 1 }).map((n) => token.slice(n + 1)),
      fc.string({ minLength: 1, maxLength: 8 }).map((extra) => `${token}${extra}`),
      fc.string({ minLength: 1, maxLength: 8 }).map((extra) => `${extra}${token}`),
      fc.constant(token.toUpperCase()),
      fc.constant(token.toLowerCase()),
      fc.constant(` ${token}`),
      fc.constant(`${token} `),
      fc.constant(`${token}\u0000`),
      // Percent-encoded, then encoded again as the query value: the server decodes once and sees %XX.
      fc.constant(percentEncoded(token)),
    )
    .filter((t) => t !== token);

describe('the browser bridge under fuzzing', () => {
  let dir: string;
  let server: WebServer;
  let services: Services;
  const token = newBridgeToken();
  const logLines: string[] = [];
  const sockets: WebSocket[] = [];

  const bridgePath = (query: string): string => `${BRIDGE_PATH}?${query}`;
  const goodHeaders = (): Record<string, string> => ({
    Host: `127.0.0.1:${server.port}`,
    Origin: server.origin,
  });

  async function client(): Promise<FuzzClient> {
    const socket = new WebSocket(
      `ws://127.0.0.1:${server.port}${BRIDGE_PATH}?token=${encodeURIComponent(token)}`,
      { origin: server.origin },
    );
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new FuzzClient(socket);
  }

  /** A good call on `c` still gets its answer. */
  async function expectServing(c: FuzzClient, id: string): Promise<void> {
    const from = c.replies.length;
    c.socket.send(JSON.stringify({ id, channel: 'app.info', payload: {} }));
    expect(await c.replyAfter(from, id)).toMatchObject({
      id,
      envelope: { ok: true, value: { shell: 'browser' } },
    });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mbw-bridge-fuzz-'));
    const renderer = join(dir, 'renderer');
    mkdirSync(renderer);
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>wizard</title>');
    ({ services, server } = await startTestWebServer({ dir, rendererDir: renderer, token, logLines }));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await server?.stop();
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every text frame (random text, random JSON, odd ids) and keeps the connection', async () => {
    const c = await client();
    const id = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.string({ maxLength: 80 }),
      fc.constantFrom(
        Number.MAX_SAFE_INTEGER,
        Number.MAX_SAFE_INTEGER + 2,
        -Number.MAX_SAFE_INTEGER,
        1e308,
        0,
        -0,
        '',
        'x'.repeat(MAX_ID_LENGTH),
        'x'.repeat(MAX_ID_LENGTH + 1),
        'y'.repeat(100_000),
      ),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const channel = fc.oneof(
      fc.constantFrom(...CHANNELS),
      fc.string({ maxLength: 30 }),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const payload = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc
        .constantFrom('{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}')
        .map((j) => JSON.parse(j) as unknown),
    );
    const frameText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.record({ id, channel, payload }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.record({ id, channel, payload }).map((v) => `${JSON.stringify(v)}${' '.repeat(3)}`),
      fc.constantFrom(
        '',
        'null',
        '[]',
        '{}',
        '"id"',
        '{"id":1}',
        '{"id":1,"channel":""}',
        '{"id":1,"channel":"app.info"',
        '{"id":1e400,"channel":"app.info","payload":{}}',
        '{"id":1,"id":2,"channel":"app.info","payload":{"extra":1}}',
        '{"__proto__":{"id":3},"channel":"app.info","payload":{}}',
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
      ),
    );
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(frameText, async (text) => {
        const from = c.replies.length;
        c.socket.send(text);
        const parsed = jsonOf(text);
        const replyId = parsed ? expectedReplyId(parsed.value) : null;
        const reply = await c.replyAfter(from, replyId);
        const frame = parsed?.value as { channel?: unknown; payload?: unknown } | undefined;
        // The few calls a random frame can make validly take an empty payload and touch nothing.
        const maybeValid =
          replyId !== null &&
          typeof frame?.channel === 'string' &&
          TAKE_NOTHING.has(frame.channel) &&
          JSON.stringify(frame.payload) === '{}';
        if (!maybeValid) expectErrorEnvelope(reply.envelope);
        else expect(reply.envelope.ok).toBe(true);
        sent++;
      }),
      { numRuns: 400 },
    );
    expect(sent).toBeGreaterThanOrEqual(400);
    await expectServing(c, 'after-text-fuzz');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('answers every binary frame with the binary-frame error', async () => {
    const c = await client();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        const from = c.replies.length;
        c.socket.send(bytes, { binary: true });
        expect(await c.replyAfter(from, null)).toEqual({
          id: null,
          envelope: {
            ok: false,
            error: { message: 'bridge frames are JSON text; a binary frame was sent', kind: 'invalid' },
          },
        });
      }),
      { numRuns: 200 },
    );
    await expectServing(c, 'after-binary-fuzz');
  });

  it('answers a message sent in fragments like one frame', async () => {
    const c = await client();
    const from = c.replies.length;
    const text = JSON.stringify({ id: 'frag', channel: 'app.info', payload: { extra: 'x'.repeat(1000) } });
    c.socket.send(text.slice(0, 10), { fin: false });
    c.socket.send(text.slice(10, 500), { fin: false });
    c.socket.send(text.slice(500), { fin: true });
    const reply = await c.replyAfter(from, 'frag');
    expectErrorEnvelope(reply.envelope);
    await expectServing(c, 'after-fragments');
  });

  it('closes only the connection that sends text frames of broken UTF-8 (1007), and serves others', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 200 }).filter((bytes) => {
          try {
            new TextDecoder('utf-8', { fatal: true }).decode(bytes);
            return false;
          } catch {
            return true;
          }
        }),
        async (bytes) => {
          const c = await client();
          const closed = c.closed();
          c.socket.send(bytes, { binary: false });
          expect(await closed).toBe(1007);
        },
      ),
      { numRuns: 20 },
    );
    await expectServing(await client(), 'after-utf8');
  });

  it('refuses the contract’s oversize bundle inside a frame below the frame bound', async () => {
    const c = await client();
    const from = c.replies.length;
    // 28,000,001 base64 characters: over the contract's bound, under the bridge's 30 MB frame bound.
    const frame = JSON.stringify({
      id: 'big',
      channel: 'bundle.import',
      payload: { base64: 'A'.repeat(28_000_001), fileName: 'big.zip' },
    });
    expect(frame.length).toBeLessThan(MAX_FRAME_BYTES);
    c.socket.send(frame);
    const reply = await c.replyAfter(from, 'big');
    expectErrorEnvelope(reply.envelope);
    if (!reply.envelope.ok) expect(reply.envelope.error.path).toBe('base64');
    await expectServing(c, 'after-big');
  });

  it('upgrades with the exact token, Origin and Host (the control for the refusals below)', async () => {
    expect(await upgradeStatus(server.port, bridgePath(`token=${token}`), goodHeaders())).toBe(101);
    // Percent-encoding is how a URL carries a value: the server decodes it to the same token.
    expect(
      await upgradeStatus(server.port, bridgePath(`token=${percentEncoded(token)}`), goodHeaders()),
    ).toBe(101);
  });

  it('refuses near-miss tokens: one character changed, a prefix, a suffix, another case, encoded twice', async () => {
    await fc.assert(
      fc.asyncProperty(nearMiss(token), async (wrong) => {
        const status = await upgradeStatus(
          server.port,
          bridgePath(`token=${encodeURIComponent(wrong)}`),
          goodHeaders(),
        );
        expect(status).toBe(403);
      }),
      { numRuns: 150 },
    );
    expect(logLines.some((l) => l.includes(token))).toBe(false);
  });

  it('refuses any query that does not carry the token as its first token parameter', async () => {
    const query = fc.oneof(
      fc.string({ maxLength: 60 }).map((q) => encodeURI(q).replace(/#/g, '%23')),
      fc.constantFrom(
        '',
        'token',
        'token=',
        `Token=${token}`,
        `TOKEN=${token}`,
        `tok=${token}`,
        `token[]=${token}`,
        `token=wrong&token=${token}`,
        `%74oken=x${token}`,
        `token=${token.slice(1)}&x=${token[0]}`,
      ),
    );
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        expect(await upgradeStatus(server.port, bridgePath(q), goodHeaders())).toBe(403);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses any Origin but the server’s own, and a missing one', async () => {
    const origin = fc.oneof(
      fc.webUrl().map((u) => new URL(u).origin),
      fc.string({ maxLength: 40 }).filter((s) => /^[\x21-\x7e]*$/.test(s)),
      fc.constantFrom(
        'null',
        '',
        'http://127.0.0.1',
        'https://127.0.0.1:PORT',
        'http://localhost:PORT',
        'HTTP://127.0.0.1:PORT',
        'http://127.0.0.1:PORT/',
        'http://127.0.0.1:PORT.evil.example',
        'http://127.0.0.1:PORT@evil.example',
        'http://127.0.0.2:PORT',
        'http://[::1]:PORT',
        'file://',
        'app://renderer',
      ),
    );
    await fc.assert(
      fc.asyncProperty(origin, async (o) => {
        const value = o.replace('PORT', String(server.port));
        fc.pre(value !== server.origin);
        const headers = { ...goodHeaders(), Origin: value };
        expect(await upgradeStatus(server.port, bridgePath(`token=${token}`), headers)).toBe(403);
      }),
      { numRuns: 100 },
    );
    const { Origin: _origin, ...withoutOrigin } = goodHeaders();
    expect(await upgradeStatus(server.port, bridgePath(`token=${token}`), withoutOrigin)).toBe(403);
  });

  it('refuses any Host but 127.0.0.1:PORT (DNS rebinding)', async () => {
    const host = fc.oneof(
      fc.domain().map((d) => `${d}:PORT`),
      fc.domain(),
      fc.constantFrom(
        'localhost:PORT',
        '127.0.0.1',
        '127.0.0.1:PORT.',
        '127.0.0.1.:PORT',
        '127.0.0.2:PORT',
        '[::1]:PORT',
        '127.1:PORT',
        '2130706433:PORT',
        '127.0.0.1:0PORT',
        'LOCALHOST:PORT',
      ),
    );
    await fc.assert(
      fc.asyncProperty(host, async (h) => {
        const value = h.replace('PORT', String(server.port));
        fc.pre(value !== `127.0.0.1:${server.port}`);
        const headers = { ...goodHeaders(), Host: value };
        const status = await upgradeStatus(server.port, bridgePath(`token=${token}`), headers);
        // Node's parser answers 400 itself to a Host it cannot read; ours answers 403.
        expect([400, 403]).toContain(status);
      }),
      { numRuns: 100 },
    );
  });

  it('still serves a fresh connection after all of the above', async () => {
    await expectServing(await client(), 'final');
  });
});
