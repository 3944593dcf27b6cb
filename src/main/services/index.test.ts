import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createHandlers, dispatch } from './services.ts';

const article = parse(readFileSync(new URL('../../examples/article-topology.yaml', import.meta.url), 'utf8'));

describe('dispatch', () => {
  const handlers = createHandlers('cli');

  it('plans a valid topology through the contract', async () => {
    const reply = await dispatch(handlers, 'plan.build', { topology: article });
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const report = reply.value as { ok: boolean; router: { commands: string[] } };
    expect(report.ok).toBe(true);
    expect(report.router.commands).toContain('set protocols bgp 64512 maximum-paths ibgp 32');
  });

  it('refuses an unknown channel', async () => {
    const reply = await dispatch(handlers, 'shell.exec', { cmd: 'rm -rf /' });
    expect(reply).toEqual({ ok: false, error: { message: 'unknown channel "shell.exec"' } });
  });

  it('refuses a malformed payload and names the field', async () => {
    const reply = await dispatch(handlers, 'parse.output', { kind: 'bogus', text: 1 });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.message).toMatch(/^invalid request for parse.output at kind/);
    expect(reply.error.path).toBe('kind');
  });

  it('refuses extra fields in a payload', async () => {
    const reply = await dispatch(handlers, 'app.info', { extra: true });
    expect(reply.ok).toBe(false);
  });
});
