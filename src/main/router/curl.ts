// The one-click test: curl a Service IP from the router itself, N times in one exec, and read back
// per attempt the HTTP status, latency, headers and body.

import { parseIpv4 } from '../../shared/net/index.ts';
import { parseShowVersion } from '../../shared/parse/index.ts';
import type { OperationContext } from '../../shared/progress.ts';
import type { CurlAttempt } from '../../shared/diagnose/index.ts';
import { UserError, throwIfCancelled } from '../errors.ts';
import { OP_WRAPPER, echoMarker, firmwareHasCurl, splitSections } from './probe.ts';
import { RouterConnectError, describeTarget } from './session.ts';
import type { RouterSession } from './session.ts';

// One shape for an attempt, from the router here to the test report in shared/diagnose.
export type { CurlAttempt };

export interface CurlTarget {
  ip: string;
  port: number;
  path: string;
}

const MAX_ATTEMPTS = 50;
const TIMEOUT_S = 5;
/** Path characters that need no escaping inside single quotes and mean nothing to a shell there. */
const SAFE_PATH = /^\/[A-Za-z0-9._~/%?=&+-]{0,200}$/;
const WRITE_OUT = '\\n@@mbw-curl %{http_code} %{time_total}@@\\n';

function checkTarget(target: CurlTarget, count: number): string {
  const ip = parseIpv4(target.ip);
  if (!ip.ok) throw new UserError(`Test target: ${ip.problem}.`, { kind: 'invalid', path: 'target.ip' });
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    throw new UserError(`Test target port ${String(target.port)} is not a whole number 1-65535.`, {
      kind: 'invalid',
      path: 'target.port',
    });
  }
  if (typeof target.path !== 'string' || !SAFE_PATH.test(target.path)) {
    throw new UserError(
      `Test path ${JSON.stringify(target.path)} must start with "/" and hold only letters, digits and . _ ~ / % ? = & + - (at most 200).`,
      { kind: 'invalid', path: 'target.path' },
    );
  }
  if (!Number.isInteger(count) || count < 1 || count > MAX_ATTEMPTS) {
    throw new UserError(
      `The number of test requests must be a whole number 1-${MAX_ATTEMPTS}; got ${String(count)}.`,
      {
        kind: 'invalid',
        path: 'count',
      },
    );
  }
  return `http://${target.ip}:${target.port}${target.path}`;
}

function curlScript(url: string, count: number): string {
  const lines = [echoMarker('version'), `${OP_WRAPPER} show version`];
  for (let i = 1; i <= count; i++) {
    lines.push(
      echoMarker(`attempt-${i}`),
      `curl -s -i -m ${TIMEOUT_S} -w '${WRITE_OUT}' '${url}'`,
      'echo "@@mbw-exit $?@@"',
    );
  }
  return lines.join('\n');
}

const CURL_ERRORS: Record<number, string> = {
  6: 'could not resolve the host',
  7: 'could not connect (connection refused, or no route to the address)',
  28: `no answer within ${TIMEOUT_S} s (timed out)`,
  52: 'the server closed the connection without answering',
  56: 'the connection broke while receiving the answer',
  127: 'curl is not installed on the router',
};

function headerBlock(text: string): { headers: Record<string, string>; body: string } {
  const split = /\r?\n\r?\n/.exec(text);
  if (!/^HTTP\/\S+ \d{3}/.test(text) || split === null) return { headers: {}, body: text };
  const headers: Record<string, string> = {};
  for (const line of text.slice(0, split.index).split(/\r?\n/).slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: text.slice(split.index + split[0].length) };
}

/** One attempt's section: curl's output, our -w marker, then its exit status. */
export function parseCurlAttempt(section: string): CurlAttempt {
  const exit = /@@mbw-exit (\d+)@@/.exec(section);
  const code = exit?.[1] === undefined ? null : Number(exit[1]);
  const at = section.lastIndexOf('\n@@mbw-curl ');
  const marker = at === -1 ? null : /^\n@@mbw-curl (\d{3}) ([\d.]+)@@/.exec(section.slice(at));
  const output = at === -1 ? '' : section.slice(0, at);
  const httpCode = marker?.[1] === undefined ? 0 : Number(marker[1]);
  const status = httpCode === 0 ? null : httpCode;
  const latencyMs = marker?.[2] === undefined ? null : Math.round(Number(marker[2]) * 1000 * 10) / 10;
  const { headers, body } = status === null ? { headers: {}, body: '' } : headerBlock(output);
  let error: string | null = null;
  if (code === null) error = 'no exit status came back from the router';
  else if (code !== 0) error = `curl exit ${code}: ${CURL_ERRORS[code] ?? 'the request failed'}`;
  else if (status === null) error = 'no HTTP status came back';
  else if (status >= 400) error = `HTTP ${status}`;
  return {
    ok: error === null,
    status,
    latencyMs: status === null && code !== 0 ? null : latencyMs,
    headers,
    body,
    error,
  };
}

export async function curlFromRouter(
  session: RouterSession,
  target: CurlTarget,
  count: number,
  ctx: OperationContext,
): Promise<CurlAttempt[]> {
  const url = checkTarget(target, count);
  const where = describeTarget(session.target);
  throwIfCancelled(ctx.signal, `the test from router ${where}`);
  ctx.onProgress({
    operation: 'test.curl',
    step: 'curl',
    status: 'running',
    percent: 5,
    log: `curl ${url} ×${count} from ${where}`,
  });
  const result = await session.exec(curlScript(url, count), { signal: ctx.signal });
  const sections = splitSections(result.stdout);
  const version = parseShowVersion(sections.get('version') ?? '');
  if (result.code === null && !sections.has(`attempt-${count}`)) {
    throw new RouterConnectError(
      `The connection to router ${where} dropped during the test; run it again.`,
      'unreachable',
    );
  }
  const attempts = Array.from({ length: count }, (_, i) =>
    parseCurlAttempt(sections.get(`attempt-${i + 1}`) ?? ''),
  );
  const noCurl = attempts.every((a) => a.error?.startsWith('curl exit 127') === true);
  if ((version !== null && !firmwareHasCurl(version.dialect, version.version)) || noCurl) {
    const firmware =
      version === null
        ? 'its firmware'
        : `${version.dialect === 'edgeos' ? 'EdgeOS' : 'VyOS'} ${version.version}`;
    throw new UserError(
      `Router ${where} runs ${firmware}, which has no curl (EdgeOS has it from 1.8.5). Test from a computer on the LAN instead (curl ${url}), or update the router's firmware.`,
    );
  }
  attempts.forEach((a, i) =>
    ctx.onProgress({
      operation: 'test.curl',
      step: 'curl',
      status: 'running',
      percent: 5 + Math.round((90 * (i + 1)) / count),
      log: `attempt ${i + 1}: ${a.ok ? `HTTP ${a.status} in ${a.latencyMs} ms` : (a.error ?? 'failed')}`,
    }),
  );
  const passed = attempts.filter((a) => a.ok).length;
  ctx.onProgress({
    operation: 'test.curl',
    step: 'curl',
    status: passed > 0 ? 'done' : 'failed',
    percent: 100,
    log: `${passed} of ${count} answered`,
  });
  return attempts;
}
