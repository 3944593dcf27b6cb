// The renderer's bridge client (src/renderer/api.ts) against the real server, in Node (no browser
// needed; it lives here because main's tests may not import the renderer): a stand-in
// `window` (location, sessionStorage) and `ws` as the browser's WebSocket, sending the page's Origin
// as a browser would. Calls, events, a lost bridge failing the pending call, and the reconnect.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsSocket } from 'ws';
import type { OperationEvent, WizardApi } from '../src/shared/contract.ts';
import { bridgeToken, createBridgeClient } from '../src/renderer/api.ts';
import { createMemoryStore } from '../src/main/secrets/index.ts';
import { createServices } from '../src/main/services/index.ts';
import type { ServiceDeps, Services } from '../src/main/services/index.ts';
import { startTestCluster } from '../src/main/kube/testing.ts';
import type { TestCluster } from '../src/main/kube/testing.ts';
import { createEventHub, newBridgeToken, startWebServer } from '../src/main/web/index.ts';
import type { WebServer } from '../src/main/web/index.ts';

const globals = globalThis as unknown as { window?: unknown; WebSocket: unknown };

function storage(): Storage {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  } as Storage;
}

describe('renderer bridge client', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mbw-client-test-'));
  const token = newBridgeToken();
  const hub = createEventHub();
  const savedWebSocket = globals.WebSocket;
  let deps: ServiceDeps;
  let services: Services;
  let server: WebServer;
  let cluster: TestCluster;
  let api: WizardApi;

  const start = async (port = 0): Promise<WebServer> =>
    startWebServer({ services, deps, events: hub, rendererDir: join(dir, 'renderer'), token, port });

  beforeAll(async () => {
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer/index.html'), '<!doctype html>');
    deps = {
      shell: 'browser',
      dataDir: dir,
      secrets: createMemoryStore(),
      log: { file: '', write: () => undefined, redact: () => undefined, close: async () => undefined },
      env: {},
      home: dir,
      emit: hub.emit,
    };
    services = createServices(deps);
    server = await start();
    const origin = server.origin;
    globals.WebSocket = class extends WsSocket {
      constructor(url: string) {
        super(url, { origin });
      }
    };
    globals.window = {
      location: { host: `127.0.0.1:${server.port}`, hash: `#/status&token=${token}` },
      sessionStorage: storage(),
    };
    cluster = await startTestCluster();
    api = createBridgeClient(bridgeToken());
  });

  afterAll(async () => {
    globals.WebSocket = savedWebSocket;
    delete globals.window;
    await server.stop();
    await services.close();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the token from beside a hash route and keeps it for the tab', () => {
    const window = globals.window as { location: { hash: string }; sessionStorage: Storage };
    expect(window.sessionStorage.getItem('mbw.bridgeToken')).toBe(token);
    window.location.hash = '#/status';
    expect(bridgeToken()).toBe(token);
  });

  it('answers with a clear error when the page has no token', async () => {
    const reply = await createBridgeClient(null).call('app.info', {});
    expect(reply).toMatchObject({ ok: false, error: { kind: 'failed' } });
    if (!reply.ok) expect(reply.error.message).toMatch(/^this page was opened without its access token/);
  });

  it('calls through the bridge and hears operation events', async () => {
    const events: OperationEvent[] = [];
    const unsubscribe = api.onEvent((event) => events.push(event));
    const info = await api.call('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { shell: 'browser' } });
    hub.emit({ operationId: 'x', kind: 'recovered', downMs: 12 });
    await expect.poll(() => events).toEqual([{ operationId: 'x', kind: 'recovered', downMs: 12 }]);
    unsubscribe();
  });

  it('fails a pending call when the bridge goes away, and reconnects when it is back', async () => {
    const events: OperationEvent[] = [];
    const unsubscribe = api.onEvent((event) => events.push(event));
    const pending = api.call('echo.deploy', {
      kube: { kubeconfig: cluster.emu.kubeconfigPath },
      operationId: 'client-echo',
    });
    // The deploy waits for an IP that never comes (no MetalLB): it is pending when the server stops.
    await expect
      .poll(() => events.some((e) => e.kind === 'progress' && e.progress.step === 'wait/ip'))
      .toBe(true);
    const port = server.port;
    await server.stop();
    const reply = await pending;
    expect(reply.ok).toBe(false);
    if (!reply.ok)
      expect(reply.error.message).toMatch(/^the connection to the wizard's background process was lost/);
    server = await start(port);
    await expect.poll(async () => (await api.call('app.info', {})).ok, { timeout: 15_000 }).toBe(true);
    // Nobody listening and nothing pending: the client stops reconnecting when the server goes.
    unsubscribe();
  });
});
