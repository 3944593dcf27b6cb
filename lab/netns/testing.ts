// Shared by the real-lab tests: why they must skip on this machine, and bounded polling.

import { missingFrrParts } from './frr.ts';

/** Null when the real lab can run here; otherwise the reason the tests skip. */
export async function realLabSkipReason(): Promise<string | null> {
  if (process.platform !== 'linux') return 'the real lab needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'the real lab needs root (network namespaces)';
  const missing = await missingFrrParts();
  if (missing.length > 0)
    return `FRR is missing (${missing.join(', ')}); install it with "apt-get install -y frr"`;
  return null;
}

/** Polls `probe` with backoff until it returns a value, or throws `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined | null | false>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 200;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 1.5, 2_000);
  }
}
