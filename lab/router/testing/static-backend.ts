// A RoutingBackend with a fixed status, for the emulator's own tests. curl goes to real HTTP
// servers on loopback: a URL's host may be mapped to a loopback host:port (a "Service IP").

import http from 'node:http';
import type { BgpConfig, BgpStatus, CurlRequest, CurlResult, RoutingBackend } from '../backend.ts';
import type { ClusterBgpView } from '../../speakers/types.ts';

export interface StaticBackendOptions {
  status?: BgpStatus | null;
  /** `10.77.100.33` → `127.0.0.1:41234`: where curl to that host really goes. */
  curlTargets?: Record<string, string>;
}

export class StaticBackend implements RoutingBackend {
  readonly kind = 'memory' as const;
  status: BgpStatus | null;
  /** Every config applied, in order (the emulator applies on start and on each BGP change). */
  readonly applied: (BgpConfig | null)[] = [];
  /** When set, applyBgpConfig rejects with this message (a backend refusing a commit). */
  failApplyWith: string | null = null;
  statusCalls = 0;
  private readonly curlTargets: Record<string, string>;

  constructor(opts: StaticBackendOptions = {}) {
    this.status = opts.status ?? null;
    this.curlTargets = opts.curlTargets ?? {};
  }

  async applyBgpConfig(config: BgpConfig | null): Promise<void> {
    if (this.failApplyWith !== null) throw new Error(this.failApplyWith);
    this.applied.push(config === null ? null : structuredClone(config));
  }

  async setClusterView(_view: ClusterBgpView): Promise<void> {}

  async bgpStatus(): Promise<BgpStatus | null> {
    this.statusCalls++;
    return this.status === null ? null : structuredClone(this.status);
  }

  get lastApplied(): BgpConfig | null | undefined {
    return this.applied[this.applied.length - 1];
  }

  curl(request: CurlRequest): Promise<CurlResult> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    let url: URL;
    try {
      url = new URL(request.url.includes('://') ? request.url : `http://${request.url}`);
    } catch {
      return Promise.resolve({ exitCode: 3, body: '', timeMs: 0, error: 'URL using bad/illegal format' });
    }
    const mapped = this.curlTargets[url.hostname];
    const target =
      mapped === undefined ? url : new URL(`${url.protocol}//${mapped}${url.pathname}${url.search}`);
    if (!['127.0.0.1', 'localhost'].includes(target.hostname)) {
      return Promise.resolve({ exitCode: 7, body: '', timeMs: 1, error: 'No route to host' });
    }
    return new Promise((resolve) => {
      const req = http.request(
        target,
        { method: request.method ?? 'GET', timeout: request.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers))
              if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
            resolve({
              exitCode: 0,
              status: res.statusCode ?? 0,
              headers,
              body: Buffer.concat(chunks).toString('utf8'),
              remoteIp: url.hostname,
              timeMs: elapsed(),
            });
          });
        },
      );
      req.on('timeout', () => {
        req.destroy();
        resolve({ exitCode: 28, body: '', timeMs: elapsed(), error: 'timeout' });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (elapsed() >= request.timeoutMs) return;
        const code = err.code === 'ECONNREFUSED' ? 7 : err.code === 'ENOTFOUND' ? 6 : 7;
        resolve({
          exitCode: code,
          body: '',
          timeMs: elapsed(),
          error: code === 7 ? "Couldn't connect to server" : err.message,
        });
      });
      req.end();
    });
  }

  async close(): Promise<void> {}
}
