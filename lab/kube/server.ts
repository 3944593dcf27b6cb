// The HTTPS front of the emulator: bearer-token auth, injected faults, discovery/OpenAPI routes,
// resource verbs and watch streams, with every error answered as a Kubernetes Status.

import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, pageNotFound, reasonForCode } from './status.ts';
import type { KubeApi } from './api.ts';
import { resourceKey, type ResourceType } from './resources.ts';
import {
  coreVersions,
  group,
  groupList,
  openApiV2,
  openApiV3GroupVersion,
  openApiV3Index,
  resourceList,
} from './discovery.ts';
import { toTable, wantsTable } from './tables.ts';
import { matchesFields, matchesLabels } from './selectors.ts';
import type { StoreEvent } from './store.ts';

export type FaultRule = {
  match: { method?: string; pathPrefix?: string };
  /** How many matching requests the fault applies to; unlimited when absent. */
  times?: number;
} & ({ kind: 'status'; code: 403 | 500; message?: string } | { kind: 'timeout' });

export interface Faults {
  set(rule: FaultRule): void;
  clear(): void;
}

export interface ServerOptions {
  api: KubeApi;
  token: string;
  kubernetesVersion: string;
  tls: { certPem: string; keyPem: string };
}

type Target =
  | { kind: 'json'; body: unknown }
  | { kind: 'resource'; type: ResourceType; namespace?: string; name?: string; subresource?: string };

function send(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof ApiError) return send(res, err.code, err.toStatus());
  const message = err instanceof Error ? err.message : String(err);
  send(res, 500, new ApiError(500, 'InternalError', `Internal error occurred: ${message}`).toStatus());
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`the request body is not valid JSON: ${(e as Error).message}`);
  }
}

export class KubeHttpServer {
  readonly server: Server;
  private readonly api: KubeApi;
  private readonly token: string;
  private readonly version: string;
  private rules: FaultRule[] = [];
  private held: (() => void)[] = [];
  private readonly watches = new Set<ServerResponse>();
  private address = '127.0.0.1:0';

  readonly faults: Faults = {
    set: (rule) => {
      this.rules.push({ ...rule });
    },
    clear: () => {
      this.rules = [];
      // Held requests proceed normally once the timeout fault is lifted.
      const held = this.held;
      this.held = [];
      for (const resume of held) resume();
    },
  };

  constructor(opts: ServerOptions) {
    this.api = opts.api;
    this.token = opts.token;
    this.version = opts.kubernetesVersion;
    this.server = createServer({ cert: opts.tls.certPem, key: opts.tls.keyPem }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => sendError(res, err));
    });
  }

  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const addr = this.server.address();
    const actualPort = typeof addr === 'object' && addr ? addr.port : port;
    this.address = `${host}:${actualPort}`;
    return `https://${this.address}`;
  }

  async close(): Promise<void> {
    for (const w of this.watches) w.end();
    this.held = [];
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private matchingFault(method: string, path: string): FaultRule | undefined {
    const rule = this.rules.find(
      (r) =>
        (!r.match.method || r.match.method.toUpperCase() === method) &&
        (!r.match.pathPrefix || path.startsWith(r.match.pathPrefix)),
    );
    if (!rule) return undefined;
    if (rule.times !== undefined) {
      rule.times -= 1;
      if (rule.times <= 0) this.rules = this.rules.filter((r) => r !== rule);
    }
    return rule;
  }

  private authorized(req: IncomingMessage, path: string): boolean {
    const header = req.headers.authorization;
    if (header === undefined) return ['/version', '/healthz', '/livez', '/readyz'].includes(path);
    return header === `Bearer ${this.token}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    if (!this.authorized(req, url.pathname)) {
      return send(res, 401, new ApiError(401, 'Unauthorized', 'Unauthorized').toStatus());
    }
    const fault = this.matchingFault(method, url.pathname);
    if (fault?.kind === 'timeout') {
      // Hold the request: no answer until the fault is cleared or the client gives up.
      await new Promise<void>((resolve) => {
        this.held.push(resolve);
        req.socket.once('close', resolve);
      });
      if (req.socket.destroyed) return;
    } else if (fault?.kind === 'status') {
      const message =
        fault.message ?? (fault.code === 403 ? 'forbidden by an injected fault' : 'an injected fault');
      const body = new ApiError(fault.code, reasonForCode(fault.code), message).toStatus();
      return send(res, fault.code, body);
    }
    if (url.pathname === '/openapi/v2' && (req.headers.accept ?? '').includes('protobuf')) {
      return sendOpenApiV2Protobuf(res, this.version);
    }
    const body = method === 'GET' || method === 'DELETE' ? '' : await readBody(req);
    const target = this.route(url.pathname);
    if (target.kind === 'json') return send(res, 200, target.body);
    await this.serveResource(req, res, method, url, target, body);
  }

  private route(path: string): Target {
    const api = this.api;
    const k8s = this.version;
    // Clients percent-encode names such as ClusterRole "metallb-system:controller" (client-node
    // sends %3a); the API server matches on the decoded name.
    const segs = path.split('/').filter(Boolean).map(decodedSegment);
    if (path === '/version' || path === '/version/') {
      return { kind: 'json', body: versionInfo(k8s) };
    }
    if (['/healthz', '/livez', '/readyz'].includes(path)) return { kind: 'json', body: 'ok' };
    if (path === '/api') return { kind: 'json', body: coreVersions(this.address) };
    if (path === '/apis') return { kind: 'json', body: groupList(api.registry) };
    if (path === '/openapi/v2') return { kind: 'json', body: openApiV2(api.registry, k8s) };
    if (path === '/openapi/v3') return { kind: 'json', body: openApiV3Index(api.registry, k8s) };
    if (segs[0] === 'openapi' && segs[1] === 'v3') {
      const [g, v] = segs[2] === 'api' ? ['', segs[3] ?? ''] : [segs[3] ?? '', segs[4] ?? ''];
      const doc = openApiV3GroupVersion(api.registry, g, v, k8s);
      if (!doc) throw pageNotFound();
      return { kind: 'json', body: doc };
    }
    let groupName: string;
    let version: string;
    let rest: string[];
    if (segs[0] === 'api' && segs[1] === 'v1') {
      [groupName, version, rest] = ['', 'v1', segs.slice(2)];
    } else if (segs[0] === 'apis' && segs[1]) {
      if (segs.length === 2) {
        const g = group(api.registry, segs[1]);
        if (!g) throw pageNotFound();
        return { kind: 'json', body: g };
      }
      [groupName, version, rest] = [segs[1], segs[2] ?? '', segs.slice(3)];
    } else {
      throw pageNotFound();
    }
    if (rest.length === 0) {
      const list = resourceList(api.registry, groupName, version);
      if (!list) throw pageNotFound();
      return { kind: 'json', body: list };
    }
    const find = (plural: string | undefined): ResourceType | undefined =>
      plural === undefined ? undefined : api.registry.byPlural(groupName, version, plural);
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const t = find(rest[2]);
      if (t?.namespaced)
        return { kind: 'resource', type: t, namespace: rest[1], name: rest[3], subresource: rest[4] };
    }
    const t = find(rest[0]);
    if (!t || rest.length > 3) throw pageNotFound();
    return { kind: 'resource', type: t, name: rest[1], subresource: rest[2] };
  }

  private async serveResource(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
    target: Extract<Target, { kind: 'resource' }>,
    body: string,
  ): Promise<void> {
    const { type, namespace, name, subresource } = target;
    const q = url.searchParams;
    if (subresource !== undefined && subresource !== 'status') throw pageNotFound();
    if (subresource === 'status' && !type.hasStatus) throw pageNotFound();
    const opts = {
      fieldManager: q.get('fieldManager') ?? undefined,
      userAgent: req.headers['user-agent'],
      force: q.get('force') === 'true',
      subresource,
      fieldValidation: q.get('fieldValidation') ?? undefined,
    };
    const table = wantsTable(req.headers.accept);
    const rv = String(this.api.store.currentRevision());
    if (method === 'GET' && !name) {
      if (q.get('watch') === 'true' || q.get('watch') === '1')
        return this.watch(req, res, type, namespace, q);
      const items = this.api.list(
        type,
        namespace,
        q.get('labelSelector') ?? undefined,
        q.get('fieldSelector') ?? undefined,
      );
      return send(res, 200, table ? toTable(type, items, rv) : this.api.listObject(type, items));
    }
    if (method === 'GET' && name) {
      const obj = this.api.get(type, namespace, name);
      return send(res, 200, table ? toTable(type, [obj], rv) : obj);
    }
    if (method === 'POST' && !name)
      return send(res, 201, this.api.create(type, namespace, parseJson(body), opts));
    if (method === 'PUT' && name)
      return send(res, 200, this.api.update(type, namespace, name, parseJson(body), opts));
    if (method === 'PATCH' && name) {
      const existed =
        this.api.store.get(resourceKey(type), type.namespaced ? namespace : undefined, name) !== undefined;
      const out = this.api.patch(type, namespace, name, body, req.headers['content-type'] ?? '', opts);
      return send(res, existed ? 200 : 201, out);
    }
    if (method === 'DELETE' && name) return send(res, 200, this.api.delete(type, namespace, name));
    throw new ApiError(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource`,
    );
  }

  private watch(
    req: IncomingMessage,
    res: ServerResponse,
    type: ResourceType,
    namespace: string | undefined,
    q: URLSearchParams,
  ): void {
    const key = resourceKey(type);
    const ns = type.namespaced ? namespace : undefined;
    const labels = q.get('labelSelector') ?? undefined;
    const fields = q.get('fieldSelector') ?? undefined;
    const wanted = (e: StoreEvent): boolean =>
      e.resource === key &&
      (ns === undefined || e.object.metadata.namespace === ns) &&
      matchesLabels(e.object.metadata.labels, labels) &&
      matchesFields(e.object, fields);
    const line = (e: { type: string; object: unknown }): string => JSON.stringify(e) + '\n';
    const present = (e: StoreEvent): string =>
      line({ type: e.type, object: this.api.present(type, e.object) });

    const sinceParam = q.get('resourceVersion');
    // The storage layer parses the version as an unsigned integer and refuses the watch otherwise.
    if (sinceParam && !/^\d+$/.test(sinceParam)) {
      throw badRequest(
        `resourceVersion: Invalid value: "${sinceParam}": strconv.ParseUint: parsing "${sinceParam}": invalid syntax`,
      );
    }
    const since = sinceParam && sinceParam !== '0' ? Number(sinceParam) : undefined;
    const backlog = since !== undefined ? this.api.store.eventsSince(key, since) : undefined;
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private',
    });
    // Headers go out at once: clients wait for them before they consider the watch started.
    res.flushHeaders();
    this.watches.add(res);
    if (since !== undefined && backlog === undefined) {
      const status = new ApiError(
        410,
        'Expired',
        `too old resource version: ${since} (${this.api.store.oldestRevisionInHistory()})`,
      ).toStatus();
      res.end(line({ type: 'ERROR', object: status }));
      this.watches.delete(res);
      return;
    }
    if (backlog) {
      for (const e of backlog.filter(wanted)) res.write(present(e));
    } else {
      for (const o of this.api.list(type, namespace, labels, fields))
        res.write(line({ type: 'ADDED', object: o }));
    }
    const unsubscribe = this.api.store.onEvent((e) => {
      if (wanted(e)) res.write(present(e));
    });
    const stop = (): void => {
      unsubscribe();
      clearTimeout(timer);
      this.watches.delete(res);
      if (!res.writableEnded) res.end();
    };
    const timeoutSeconds = Number(q.get('timeoutSeconds') ?? '1800');
    const timer = setTimeout(stop, Math.max(1, timeoutSeconds) * 1000);
    req.socket.once('close', stop);
    res.once('close', stop);
  }
}

/**
 * kubectl asks for /openapi/v2 as protobuf when a kind is missing from /openapi/v3 (e.g. a
 * removed API such as PodSecurityPolicy on 1.25+). A document with no definitions makes it skip
 * client-side validation, so the apply fails on the missing kind as against a real server.
 */
function sendOpenApiV2Protobuf(res: ServerResponse, kubernetesVersion: string): void {
  const str = (field: number, text: string): Buffer => {
    const bytes = Buffer.from(text, 'utf8');
    return Buffer.concat([Buffer.from([(field << 3) | 2, bytes.length]), bytes]);
  };
  const info = Buffer.concat([str(1, 'Kubernetes'), str(2, `v${kubernetesVersion}.0`)]);
  const doc = Buffer.concat([str(1, '2.0'), Buffer.from([(2 << 3) | 2, info.length]), info]);
  res.writeHead(200, {
    'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
    'Content-Length': doc.length,
  });
  res.end(doc);
}

export function versionInfo(kubernetesVersion: string): Record<string, string> {
  const [major = '1', minor = '30'] = kubernetesVersion.replace(/^v/, '').split('.');
  return {
    major,
    minor,
    gitVersion: `v${major}.${minor}.0`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-01-01T00:00:00Z',
    goVersion: 'go1.22.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** A URL path segment decoded; a malformed escape is kept as written rather than crashing the request. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
