import { describe, expect, it } from 'vitest';
import { backoffDelayMs, pollUntil, PollTimeout, sleepUnlessCancelled } from './backoff.ts';
import { CancelledError } from './errors.ts';

describe('backoff', () => {
  it('grows by the factor and stops at the cap', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelayMs(n, { initialMs: 100, maxMs: 700 }))).toEqual([
      100, 200, 400, 700, 700,
    ]);
  });

  it('polls until a value comes', async () => {
    const signal = new AbortController().signal;
    let calls = 0;
    const value = await pollUntil(async () => (++calls === 3 ? 'ready' : undefined), {
      timeoutMs: 5_000,
      initialMs: 1,
      signal,
      what: 'x',
    });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('gives up at the deadline with a message naming what never happened', async () => {
    const signal = new AbortController().signal;
    const run = pollUntil(async () => undefined, {
      timeoutMs: 30,
      initialMs: 5,
      signal,
      what: 'the webhook',
    });
    await expect(run).rejects.toBeInstanceOf(PollTimeout);
    await expect(run).rejects.toThrow(/^the webhook: not done after/);
  });

  it('stops waiting at once when cancelled', async () => {
    const controller = new AbortController();
    const wait = sleepUnlessCancelled(60_000, controller.signal, 'install');
    controller.abort();
    await expect(wait).rejects.toBeInstanceOf(CancelledError);
    await expect(wait).rejects.toThrow('install was cancelled');
  });
});
