// Test helpers for browser mode: the real services behind a real bridge, on loopback, with a log
// the test can read and no secrets kept.

import { createMemoryStore } from '../secrets/index.ts';
import { createServices } from '../services/index.ts';
import type { ServiceDeps, Services } from '../services/index.ts';
import { createEventHub, startWebServer } from './index.ts';
import type { WebServer } from './index.ts';

export interface TestWebServer {
  deps: ServiceDeps;
  services: Services;
  server: WebServer;
}

/** Starts the services and the web server on `rendererDir`; `logLines` receives every log line. */
export async function startTestWebServer(opts: {
  dir: string;
  rendererDir: string;
  token: string;
  logLines: string[];
  /** Browser mode starts serving before its services have loaded: they are created once this resolves. */
  servicesLoaded?: Promise<void>;
}): Promise<TestWebServer & { servicesReady: Promise<Services> }> {
  const hub = createEventHub();
  const deps: ServiceDeps = {
    shell: 'browser',
    dataDir: opts.dir,
    secrets: createMemoryStore(),
    log: {
      file: '',
      write: (l) => opts.logLines.push(l),
      redact: () => undefined,
      close: async () => undefined,
    },
    env: {},
    home: opts.dir,
    emit: hub.emit,
  };
  const services = createServices(deps);
  const servicesReady = opts.servicesLoaded ? opts.servicesLoaded.then(() => services) : services;
  const server = await startWebServer({
    services: servicesReady,
    deps,
    events: hub,
    rendererDir: opts.rendererDir,
    token: opts.token,
  });
  return { deps, services, server, servicesReady: Promise.resolve(servicesReady) };
}
