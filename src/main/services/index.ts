// The operations the contract names, composed from the pure core and the adapters. The Electron
// IPC binding, the browser bridge and the CLI all call these same handlers through `dispatch`.

import type { Channel, Envelope, ResponseOf, ValidRequestOf } from '../../shared/contract.ts';
import { parseRequest } from '../../shared/contract.ts';
import { parsedOutputOf } from '../../shared/report.ts';
import { UserError, messageOf } from '../errors.ts';
import { APP_VERSION } from '../version.ts';
import type { CallContext, ServiceDeps } from './context.ts';
import { progressSink } from './context.ts';
import { Operations } from './operations.ts';
import { RouterConnections } from './routers.ts';
import { clusterProbeOf, kubeContextsOf, loadedKubeconfigOf } from './cluster.ts';
import { planReportOfInput } from './topology.ts';
import { applyPreviewOf, applyRun, teardownPreviewOf, teardownRun } from './apply.ts';
import { echoDeploy, echoRemove, statusRead, statusWatch, testRun } from './status.ts';
import { bundleExport, bundleImport } from './bundle.ts';
import { diagnosticsOf } from './diagnostics.ts';

export type { ServiceDeps, CallContext } from './context.ts';
export { APP_VERSION } from '../version.ts';
export { UserError } from '../errors.ts';

export type Handlers = {
  [C in Channel]: (request: ValidRequestOf<C>, call: CallContext) => Promise<ResponseOf<C>>;
};

export interface Services {
  handlers: Handlers;
  operations: Operations;
  routers: RouterConnections;
  /** Cancels what runs and closes every router connection (app quit, CLI exit, test teardown). */
  close(): Promise<void>;
}

export function createServices(deps: ServiceDeps): Services {
  const routers = new RouterConnections(deps);
  const operations = new Operations();
  const handlers: Handlers = {
    'app.info': async () => ({
      version: APP_VERSION,
      shell: deps.shell,
      dataDir: deps.dataDir,
      secretsPersistent: deps.secrets.persistent,
      secretsNote: deps.secrets.unavailableReason,
    }),
    'app.preset': async () => deps.preset ?? null,
    'window.openStatus': async () => ({ opened: deps.openStatusWindow?.() ?? false }),
    'app.diagnostics': async (request) => diagnosticsOf(deps, routers, request),
    'plan.build': async ({ topology }) => planReportOfInput(topology),
    'parse.output': async ({ kind, text }) => parsedOutputOf(kind, text),
    'cluster.contexts': async (kube) => kubeContextsOf(await loadedKubeconfigOf(deps, kube)),
    'cluster.probe': async ({ kube }) => clusterProbeOf(deps, kube),
    'router.connect': async (request) => routers.connect(request),
    'router.forgetHostKey': async ({ target }) => ({ forgotten: await routers.forget(target) }),
    'bgp.setPassword': async ({ target, password, remember }) => ({
      remembered: await routers.setBgpPassword(target, password, remember),
    }),
    'apply.preview': async (request) => applyPreviewOf(deps, routers, request),
    'apply.run': async (request, call) => applyRun(deps, routers, request, call),
    'teardown.preview': async (request) => teardownPreviewOf(deps, routers, request),
    'teardown.run': async (request, call) => teardownRun(deps, routers, request, call),
    'status.read': async (request) => statusRead(deps, routers, request),
    'status.watch': async (request, call) => statusWatch(deps, routers, request, call),
    'test.run': async (request, call) => testRun(deps, routers, request, call),
    'echo.deploy': async (request, call) => echoDeploy(deps, request, call),
    'echo.remove': async (request, call) => echoRemove(deps, request, call),
    'bundle.export': async (request) => bundleExport(deps, routers, request),
    'bundle.import': async (request) => bundleImport(request),
    'operation.cancel': async ({ operationId }) => ({ cancelled: operations.cancel(operationId) }),
  };
  return {
    handlers,
    operations,
    routers,
    close: async () => {
      operations.cancelAll();
      await routers.closeAll();
    },
  };
}

/** The longest message an envelope carries for a refused request or an unexpected failure. */
export const MAX_SHOWN_MESSAGE = 500;

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * One line of bounded length. A refusal quotes the request's own text (an unknown channel or key),
 * which may hold newlines that would pass for stack frames, or megabytes; an unexpected error's
 * message may span lines. Control characters are shown escaped, and the tail is cut.
 */
function shownMessage(message: string): string {
  const line = message.replace(
    /[\p{Cc}\u2028\u2029]/gu,
    (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  if (line.length <= MAX_SHOWN_MESSAGE) return line;
  // Never cut a surrogate pair in half.
  return `${line.slice(0, MAX_SHOWN_MESSAGE - 3).replace(/[\uD800-\uDBFF]$/, '')}...`;
}

/** A failure as the user sees it: the adapter's message, or a plain line for the unexpected. */
function errorEnvelope(channel: string, error: unknown): Envelope<never> {
  if (error instanceof UserError) {
    return {
      ok: false,
      error: { message: error.message, kind: error.kind, ...(error.path ? { path: error.path } : {}) },
    };
  }
  return {
    ok: false,
    error: { message: shownMessage(`${channel} failed unexpectedly: ${messageOf(error)}`), kind: 'failed' },
  };
}

/**
 * Validates an untrusted payload, runs the handler, and folds any failure into an envelope.
 * Unexpected errors are reported without their stack: no shell ever shows one.
 */
export async function dispatch(
  services: Services,
  deps: Pick<ServiceDeps, 'emit' | 'log'>,
  channel: string,
  payload: unknown,
): Promise<Envelope<unknown>> {
  const parsed = parseRequest(channel, payload);
  if (!parsed.ok)
    return { ok: false, error: { ...parsed.error, message: shownMessage(parsed.error.message) } };
  // A cancel names the operation it stops; it is not that operation itself.
  const requested =
    parsed.channel === 'operation.cancel'
      ? undefined
      : (parsed.request as { operationId?: string }).operationId;
  const operation = services.operations.start(requested);
  if ('error' in operation)
    return { ok: false, error: { message: operation.error, path: 'operationId', kind: 'invalid' } };
  const call: CallContext = {
    operationId: operation.id,
    signal: operation.signal,
    onProgress: progressSink({ ...deps } as ServiceDeps, operation.id),
  };
  const handler = services.handlers[parsed.channel] as (
    request: unknown,
    call: CallContext,
  ) => Promise<unknown>;
  try {
    return { ok: true, value: await handler(parsed.request, call) };
  } catch (error) {
    const envelope = errorEnvelope(channel, error);
    if (!envelope.ok) deps.log.write(`${channel}: ${envelope.error.message}`);
    return envelope;
  } finally {
    services.operations.finish(operation.id);
  }
}
