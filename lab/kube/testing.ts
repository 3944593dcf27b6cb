// Helpers for the emulator's own tests and for other lab tests that talk to it directly.

import { request as httpsRequest } from 'node:https';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeEmulator } from './index.ts';

export interface KubeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown>;
}

export interface KubeRequestOptions {
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Overrides the kubeconfig token; `null` sends no Authorization header. */
  token?: string | null;
  timeoutMs?: number;
}

/** One HTTPS request to the emulator, trusting its CA. */
export function kubeRequest(
  emu: KubeEmulator,
  method: string,
  path: string,
  opts: KubeRequestOptions = {},
): Promise<KubeResponse> {
  const url = new URL(path, emu.url);
  const body =
    opts.body === undefined
      ? undefined
      : typeof opts.body === 'string'
        ? opts.body
        : JSON.stringify(opts.body);
  const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json' };
  const token = opts.token === undefined ? emu.token : opts.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { method, headers, ca: emu.caPem, timeout: opts.timeoutMs ?? 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // Non-JSON bodies (watch streams) are read from `text`.
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`request ${method} ${path} timed out after ${opts.timeoutMs ?? 10_000} ms`)),
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Retries `fn` with exponential backoff until it returns a value other than undefined. */
export async function pollUntil<T>(
  fn: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the installed kubectl against the emulator with a private discovery cache. */
export function kubectlRunner(emu: KubeEmulator): (args: string[]) => Promise<KubectlResult> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  return (args) =>
    new Promise((resolve) => {
      execFile(
        'kubectl',
        [`--kubeconfig=${emu.kubeconfigPath}`, `--cache-dir=${cacheDir}`, ...args],
        { env: { ...process.env, KUBECONFIG: emu.kubeconfigPath, HOME: cacheDir }, timeout: 60_000 },
        (err, stdout, stderr) => {
          const code = err
            ? typeof (err as { code?: unknown }).code === 'number'
              ? (err as { code: number }).code
              : 1
            : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
}
