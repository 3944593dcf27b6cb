// The router's `curl`: the subset the app's one-click test uses, executed by the routing backend
// (a real HTTP request from the router's place in the network) and printed the way curl prints.

import { STATUS_CODES } from 'node:http';
import type { CurlResult, RoutingBackend } from './backend.ts';

export interface CurlInvocation {
  url: string;
  silent: boolean;
  showError: boolean;
  includeHeaders: boolean;
  /** -f/--fail: an HTTP status of 400 or more is an error (exit 22), and the body is not output. */
  failOnHttpError: boolean;
  timeoutMs: number;
  output?: string;
  writeOut?: string;
  method?: string;
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
  code: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const VALUE_FLAGS: Record<string, string> = {
  m: 'max-time',
  o: 'output',
  w: 'write-out',
  X: 'request',
  H: 'header',
};
const SWITCH_FLAGS: Record<string, string> = {
  s: 'silent',
  S: 'show-error',
  i: 'include',
  L: 'location',
  k: 'insecure',
  f: 'fail',
};

const usage = (message: string): CommandOutput => ({
  stdout: '',
  stderr: `curl: ${message}\ncurl: try 'curl --help' or 'curl --manual' for more information\n`,
  code: 2,
});

/** Parses curl's arguments; returns the usage error output instead when they are wrong. */
export function parseCurlArgs(args: string[]): CurlInvocation | CommandOutput {
  const opts: Partial<CurlInvocation> &
    Pick<CurlInvocation, 'silent' | 'showError' | 'includeHeaders' | 'failOnHttpError'> = {
    silent: false,
    showError: false,
    includeHeaders: false,
    failOnHttpError: false,
  };
  const apply = (name: string, value: string | undefined): CommandOutput | null => {
    switch (name) {
      case 'silent':
        opts.silent = true;
        return null;
      case 'show-error':
        opts.showError = true;
        return null;
      case 'include':
        opts.includeHeaders = true;
        return null;
      case 'fail':
        opts.failOnHttpError = true;
        return null;
      case 'location':
      case 'insecure':
      case 'header':
        return null;
      case 'max-time':
      case 'connect-timeout': {
        const seconds = Number(value);
        if (!Number.isFinite(seconds) || seconds < 0)
          return usage(`option --${name}: expected a proper numerical parameter`);
        opts.timeoutMs = Math.round(seconds * 1000);
        return null;
      }
      case 'output':
        opts.output = value;
        return null;
      case 'write-out':
        opts.writeOut = value;
        return null;
      case 'request':
        opts.method = value;
        return null;
      default:
        return usage(`option --${name}: is unknown`);
    }
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg.startsWith('--')) {
      const name = arg.slice(2);
      const needsValue = Object.values(VALUE_FLAGS).includes(name) || name === 'connect-timeout';
      if (needsValue && i + 1 >= args.length) return usage(`option ${arg}: requires parameter`);
      const err = apply(name, needsValue ? args[++i] : undefined);
      if (err) return err;
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const flag = arg[j] ?? '';
        const valueName = VALUE_FLAGS[flag];
        if (valueName !== undefined) {
          const inline = arg.slice(j + 1);
          const value = inline !== '' ? inline : args[++i];
          if (value === undefined) return usage(`option -${flag}: requires parameter`);
          const err = apply(valueName, value);
          if (err) return err;
          break;
        }
        const switchName = SWITCH_FLAGS[flag];
        if (switchName === undefined) return usage(`option -${flag}: is unknown`);
        apply(switchName, undefined);
      }
    } else if (opts.url === undefined) opts.url = arg;
    else return usage(`only one URL is supported by this router's curl (got "${opts.url}" and "${arg}")`);
  }
  if (opts.url === undefined) return usage('no URL specified');
  return { timeoutMs: DEFAULT_TIMEOUT_MS, ...opts, url: opts.url };
}

function hostAndPort(url: string): { host: string; port: string } | null {
  try {
    const u = new URL(/^[a-z]+:\/\//i.test(url) ? url : `http://${url}`);
    return {
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port || (u.protocol === 'https:' ? '443' : '80'),
    };
  } catch {
    return null;
  }
}

function errorLine(inv: CurlInvocation, result: CurlResult): string {
  const target = hostAndPort(inv.url);
  const host = target?.host ?? inv.url;
  switch (result.exitCode) {
    case 6:
      return `curl: (6) Could not resolve host: ${host}`;
    case 7:
      return `curl: (7) Failed to connect to ${host} port ${target?.port ?? '80'} after ${Math.round(result.timeMs)} ms: ${result.error ?? "Couldn't connect to server"}`;
    case 28:
      return `curl: (28) Connection timed out after ${Math.round(result.timeMs)} milliseconds`;
    default:
      return `curl: (${result.exitCode}) ${result.error ?? 'Failure'}`;
  }
}

function writeOut(format: string, result: CurlResult): string {
  return format
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/%\{http_code\}/g, String(result.status ?? 0).padStart(3, '0'))
    .replace(/%\{time_total\}/g, (result.timeMs / 1000).toFixed(6))
    .replace(/%\{remote_ip\}/g, result.remoteIp ?? '');
}

function headerBlock(result: CurlResult): string {
  const status = result.status ?? 0;
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd()];
  for (const [k, v] of Object.entries(result.headers ?? {})) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Runs curl through the backend; `files` receives `-o FILE` bodies (other than /dev/null). */
export async function runCurl(
  args: string[],
  backend: RoutingBackend,
  files: Map<string, string>,
): Promise<CommandOutput> {
  const inv = parseCurlArgs(args);
  if (!('url' in inv)) return inv;
  if (hostAndPort(inv.url) === null) {
    return {
      stdout: '',
      stderr: inv.silent && !inv.showError ? '' : 'curl: (3) URL using bad/illegal format or missing URL\n',
      code: 3,
    };
  }
  const result = await backend.curl({
    url: inv.url,
    timeoutMs: inv.timeoutMs,
    ...(inv.method ? { method: inv.method } : {}),
  });
  let stdout = '';
  let stderr = '';
  const httpFailure = inv.failOnHttpError && result.exitCode === 0 && (result.status ?? 0) >= 400;
  if (httpFailure) {
    if (!inv.silent || inv.showError)
      stderr += `curl: (22) The requested URL returned error: ${result.status ?? 0}\n`;
  } else if (result.exitCode === 0) {
    const payload = (inv.includeHeaders ? headerBlock(result) : '') + result.body;
    if (inv.output === undefined) stdout += payload;
    else if (inv.output !== '/dev/null') files.set(inv.output, payload);
  } else if (!inv.silent || inv.showError) stderr += `${errorLine(inv, result)}\n`;
  if (inv.writeOut !== undefined) stdout += writeOut(inv.writeOut, result);
  return { stdout, stderr, code: httpFailure ? 22 : result.exitCode };
}
