// One client per operation: every request carries the caller's AbortSignal and a per-request
// timeout, transient failures (500s, timeouts, dropped connections) are retried with bounded
// backoff, and every other failure becomes a UserError naming the object, the server and what to do.

import {
  ApiException,
  KubernetesObjectApi,
  ServerConfiguration,
  createConfiguration,
  type KubeConfig,
  type KubernetesObject,
  type V1APIResource,
  PatchStrategy,
  VersionApi,
} from '@kubernetes/client-node';
import { backoffDelayMs, sleepUnlessCancelled } from '../backoff.ts';
import { CancelledError, UserError } from '../errors.ts';

export const FIELD_MANAGER = 'metallb-bgp-wizard';

/** Default time one request may take before it counts as timed out (and is retried). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** How long transient failures are retried before the operation gives up. */
export const DEFAULT_RETRY_BUDGET_MS = 60_000;

export type Obj = Record<string, unknown>;

export function asObj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

export function asList<T = Obj>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/** What a request acts on, for messages: `patch` `Deployment metallb-system/controller`. */
export interface Target {
  verb: 'get' | 'list' | 'patch' | 'delete' | 'create' | 'watch';
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
}

export function describeTarget(t: Target): string {
  const where = t.namespace ? `${t.namespace}/` : '';
  return t.name
    ? `${t.kind} ${where}${t.name}`
    : `${t.kind} objects${t.namespace ? ` in ${t.namespace}` : ''}`;
}

export interface ClientOptions {
  signal: AbortSignal;
  requestTimeoutMs?: number;
  retryBudgetMs?: number;
  /** What the caller is doing, for CancelledError: `MetalLB install`. */
  what: string;
}

/** KubernetesObjectApi with discovery exposed (the base class keeps it protected). */
class DiscoveringObjectApi extends KubernetesObjectApi {
  resourceOf(apiVersion: string, kind: string): Promise<V1APIResource | undefined> {
    return this.resource(apiVersion, kind);
  }
}

export class KubeClient {
  readonly server: string;
  readonly kc: KubeConfig;
  private readonly api: DiscoveringObjectApi;
  private readonly versionApi: VersionApi;
  private readonly opts: Required<ClientOptions>;

  constructor(kc: KubeConfig, opts: ClientOptions) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) {
      throw new UserError(
        `the kubeconfig's context "${kc.getCurrentContext()}" names no cluster; choose a context that has one`,
        { kind: 'invalid' },
      );
    }
    this.server = cluster.server;
    this.kc = kc;
    this.opts = {
      signal: opts.signal,
      what: opts.what,
      requestTimeoutMs: opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      retryBudgetMs: opts.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
    };
    const timeoutMs = this.opts.requestTimeoutMs;
    const signal = this.opts.signal;
    const config = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: kc },
      promiseMiddleware: [
        {
          pre: async (ctx) => {
            ctx.setSignal(AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]));
            return ctx;
          },
          post: async (res) => res,
        },
      ],
    });
    this.api = new DiscoveringObjectApi(config);
    this.versionApi = new VersionApi(config);
    // The context's namespace is irrelevant: every namespaced object we touch names its namespace.
  }

  get signal(): AbortSignal {
    return this.opts.signal;
  }

  /**
   * Runs one request, retrying transient failures within the retry budget. 404 resolves to
   * undefined when `allowNotFound`; every other failure is a UserError.
   */
  async call<T>(target: Target, fn: () => Promise<T>, allowNotFound = false): Promise<T | undefined> {
    const deadline = Date.now() + this.opts.retryBudgetMs;
    for (let attempt = 0; ; attempt++) {
      if (this.signal.aborted) throw new CancelledError(this.opts.what);
      try {
        return await fn();
      } catch (error) {
        if (this.signal.aborted) throw new CancelledError(this.opts.what);
        const status = statusOf(error);
        if (status === 404 && allowNotFound) return undefined;
        const transient = isTransient(error);
        const wait = backoffDelayMs(attempt, { initialMs: 200, maxMs: 3_000 });
        if (!transient || Date.now() + wait > deadline) throw this.userError(target, error);
        await sleepUnlessCancelled(wait, this.signal, this.opts.what);
      }
    }
  }

  /** The server's /version. */
  async version(): Promise<{ gitVersion: string; minor: number }> {
    const info = await this.call({ verb: 'get', apiVersion: 'v1', kind: 'version information' }, () =>
      this.versionApi.getCode(),
    );
    return {
      gitVersion: String(info?.gitVersion ?? ''),
      minor: Number.parseInt(String(info?.minor ?? ''), 10) || 0,
    };
  }

  /** Whether the server serves `kind` in `apiVersion` (e.g. PodSecurityPolicy is gone in 1.25). */
  async served(apiVersion: string, kind: string): Promise<boolean> {
    const found = await this.call(
      { verb: 'get', apiVersion, kind },
      () => this.api.resourceOf(apiVersion, kind),
      true,
    );
    return found !== undefined;
  }

  async get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<Obj | undefined> {
    const header = { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } };
    if (!(await this.served(apiVersion, kind))) return undefined;
    const obj = await this.call(
      { verb: 'get', apiVersion, kind, name, namespace },
      () => this.api.read(structuredClone(header)),
      true,
    );
    return obj as Obj | undefined;
  }

  /** Objects of a kind (all namespaces unless one is given); empty when the kind is not served. */
  async list(
    apiVersion: string,
    kind: string,
    opts: { namespace?: string; labelSelector?: string } = {},
  ): Promise<Obj[]> {
    if (!(await this.served(apiVersion, kind))) return [];
    const result = await this.call({ verb: 'list', apiVersion, kind, namespace: opts.namespace }, () =>
      this.api.list(
        apiVersion,
        kind,
        opts.namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        opts.labelSelector,
      ),
    );
    // List items come without apiVersion/kind; put them back so callers can pass them on.
    return asList(asObj(result).items).map((item) => ({ apiVersion, kind, ...item }));
  }

  /** Server-side apply under our field manager; `force` takes over fields other managers own. */
  async apply(obj: KubernetesObject, force = true): Promise<Obj> {
    const meta = asObj(obj.metadata);
    const target: Target = {
      verb: 'patch',
      apiVersion: String(obj.apiVersion),
      kind: String(obj.kind),
      name: String(meta.name ?? ''),
      namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
    };
    const out = await this.call(target, () =>
      // patch() mutates its argument: always hand it a fresh copy.
      this.api.patch(
        structuredClone(obj),
        undefined,
        undefined,
        FIELD_MANAGER,
        force,
        PatchStrategy.ServerSideApply,
      ),
    );
    return out as Obj;
  }

  /** Deletes an object; false when it was already gone. */
  async delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<boolean> {
    const spec = { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } };
    const out = await this.call(
      { verb: 'delete', apiVersion, kind, name, namespace },
      () => this.api.delete(structuredClone(spec), undefined, undefined, undefined, undefined, 'Background'),
      true,
    );
    return out !== undefined;
  }

  /** A failed request as the user should read it. */
  userError(target: Target, error: unknown): UserError {
    if (error instanceof UserError) return error;
    const what = describeTarget(target);
    const server = this.server;
    const status = statusOf(error);
    const reason = statusMessage(error);
    if (status === 403) {
      const resource = `${target.kind}${groupOf(target.apiVersion) ? ` (${groupOf(target.apiVersion)})` : ''}`;
      const scope = target.namespace ? ` in namespace ${target.namespace}` : '';
      return new UserError(
        `${server} refused to ${target.verb} ${what}: the kubeconfig's user lacks the permission "${target.verb}" on ${resource}${scope}${reason ? ` (${reason})` : ''}. Use a kubeconfig with cluster-admin rights, or ask the cluster's administrator to grant it.`,
        { cause: error },
      );
    }
    if (status === 401) {
      return new UserError(
        `${server} rejected the kubeconfig's credentials while trying to ${target.verb} ${what}: they are wrong or expired. Refresh the credentials (log in again) or choose another context.`,
        { cause: error },
      );
    }
    if (status === 404) {
      return new UserError(
        `${server}: ${what} was not found${reason ? ` (${reason})` : ''}. Check that the namespace exists and that the object was not deleted meanwhile.`,
        { cause: error },
      );
    }
    if (status === 409) {
      return new UserError(
        `${server} refused to ${target.verb} ${what}: another tool manages the same fields${reason ? ` (${reason})` : ''}. Remove or hand over that object, then retry.`,
        { cause: error },
      );
    }
    if (status === 422 || status === 400) {
      return new UserError(
        `${server} rejected ${what} as invalid${reason ? `: ${reason}` : ''}. This version of the object does not fit the cluster; check the MetalLB version and the cluster's Kubernetes version.`,
        { cause: error },
      );
    }
    if (status !== undefined) {
      return new UserError(
        `${server} failed to ${target.verb} ${what} (HTTP ${status}${reason ? `: ${reason}` : ''}). Check the cluster's health (kubectl get --raw /readyz) and retry.`,
        { cause: error },
      );
    }
    return new UserError(
      `cannot reach ${server} to ${target.verb} ${what}: ${networkReason(error)}. Check that the cluster is running and reachable from this machine, then retry.`,
      { cause: error },
    );
  }
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
}

export function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? Number(error.code) : undefined;
}

/** The Status message the server sent (never the raw body). */
export function statusMessage(error: unknown): string {
  if (!(error instanceof ApiException)) return '';
  let body: unknown = error.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return '';
    }
  }
  const message = asObj(body).message;
  return typeof message === 'string' ? message.slice(0, 500) : '';
}

function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  // MetalLB's webhook refusal is a 500 too, but waiting for it is the caller's business.
  if (status !== undefined) return status === 429 || (status >= 500 && !isWebhookRefusal(error));
  // No HTTP answer: a timeout or a dropped/refused connection (a bug of ours is not retried).
  const e = error as { name?: string; message?: string; cause?: { code?: unknown } };
  return (
    e?.name === 'TimeoutError' ||
    e?.name === 'AbortError' ||
    typeof e?.cause?.code === 'string' ||
    /fetch failed|socket|ECONN|terminated/i.test(String(e?.message ?? ''))
  );
}

function networkReason(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return 'the request timed out';
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'the host name does not resolve';
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
    return `its TLS certificate is not trusted by the kubeconfig's certificate authority (${code})`;
  const message = e?.cause?.message ?? e?.message ?? String(error);
  return message.split('\n')[0] ?? message;
}

/** True for the admission error MetalLB gives until its controller serves the webhook. */
export function isWebhookRefusal(error: unknown): boolean {
  const cause = error instanceof UserError ? error.cause : error;
  return /failed calling webhook/.test(statusMessage(cause));
}
