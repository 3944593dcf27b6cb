// The operations the contract names, composed from the pure core and the adapters. The Electron
// IPC binding, the browser bridge and the CLI all call these same handlers.

import type { Channel, Envelope, RequestOf, ResponseOf, AppInfo } from '../shared/contract.ts';
import { parseRequest } from '../shared/contract.ts';
import { validateTopology } from '../shared/topology/index.ts';
import { planReportOf, parsedOutputOf } from '../shared/report.ts';

export type Handlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

/** An error whose message is written for the user (names the field, file or host; says what to do). */
export class UserError extends Error {
  readonly path: string | undefined;
  constructor(message: string, path?: string) {
    super(message);
    this.name = 'UserError';
    this.path = path;
  }
}

export const APP_VERSION = '0.1.0';

export function createHandlers(shell: AppInfo['shell']): Handlers {
  return {
    'plan.build': async ({ topology }) => planReportOf(validateTopology(topology)),
    'parse.output': async ({ kind, text }) => parsedOutputOf(kind, text),
    'app.info': async () => ({ version: APP_VERSION, shell }),
  };
}

/**
 * Validates an untrusted payload, runs the handler, and folds any failure into an envelope.
 * Unexpected errors are reported without their stack: the renderer never shows one.
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  payload: unknown,
): Promise<Envelope<unknown>> {
  const parsed = parseRequest(channel, payload);
  if (!parsed.ok) return parsed;
  const handler = handlers[parsed.channel] as (request: unknown) => Promise<unknown>;
  try {
    return { ok: true, value: await handler(parsed.request) };
  } catch (error) {
    if (error instanceof UserError) {
      return {
        ok: false,
        error: error.path ? { message: error.message, path: error.path } : { message: error.message },
      };
    }
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { message: `${channel} failed unexpectedly: ${detail}` } };
  }
}
