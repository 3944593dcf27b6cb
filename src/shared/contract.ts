// The typed IPC contract: every capability main offers the renderer (and, through the same
// services, the CLI). Requests are validated at runtime in main with these schemas before use;
// the renderer only ever sees the response types.

import { z } from 'zod';
import type { PlanReport, ParsedOutput } from './report.ts';
import { OUTPUT_KINDS } from './report.ts';

/** Router output pasted by a user can be long, but not unbounded. */
const MAX_PASTED_OUTPUT = 5_000_000;

export const requestSchemas = {
  'plan.build': z.object({ topology: z.unknown() }).strict(),
  'parse.output': z.object({ kind: z.enum(OUTPUT_KINDS), text: z.string().max(MAX_PASTED_OUTPUT) }).strict(),
  'app.info': z.object({}).strict(),
} as const;

export interface AppInfo {
  version: string;
  shell: 'electron' | 'browser' | 'cli';
}

export interface ResponseTypes {
  'plan.build': PlanReport;
  'parse.output': ParsedOutput;
  'app.info': AppInfo;
}

export type Channel = keyof typeof requestSchemas;
export type RequestOf<C extends Channel> = z.infer<(typeof requestSchemas)[C]>;
export type ResponseOf<C extends Channel> = ResponseTypes[C];
export const CHANNELS = Object.keys(requestSchemas) as Channel[];

/** Every call answers with a result or a user-facing error; never a stack trace. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { message: string; path?: string } };

export interface WizardApi {
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Envelope<ResponseOf<C>>>;
}

/** Validates an untrusted request for `channel`; the error names the offending field. */
export function parseRequest<C extends Channel>(
  channel: string,
  payload: unknown,
):
  { ok: true; channel: C; request: RequestOf<C> } | { ok: false; error: { message: string; path?: string } } {
  if (!Object.hasOwn(requestSchemas, channel)) {
    return { ok: false, error: { message: `unknown channel "${channel}"` } };
  }
  const schema = requestSchemas[channel as Channel];
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue ? issue.path.join('.') : '';
    return {
      ok: false,
      error: {
        message: `invalid request for ${channel}${path ? ` at ${path}` : ''}: ${issue?.message ?? 'bad payload'}`,
        path,
      },
    };
  }
  return { ok: true, channel: channel as C, request: parsed.data as RequestOf<C> };
}
