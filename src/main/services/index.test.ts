import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { OperationEvent } from '../../shared/contract.ts';
import { createMemoryStore } from '../secrets/index.ts';
import { createServices, dispatch } from './index.ts';
import type { ServiceDeps } from './index.ts';

const articleText = readFileSync(new URL('../../../examples/article-topology.yaml', import.meta.url), 'utf8');

function testDeps(): ServiceDeps & { lines: string[]; events: OperationEvent[] } {
  const lines: string[] = [];
  const events: OperationEvent[] = [];
  return {
    shell: 'cli',
    dataDir: tmpdir(),
    secrets: createMemoryStore(),
    log: {
      file: '',
      write: (line) => lines.push(line),
      redact: () => undefined,
      close: async () => undefined,
    },
    env: {},
    home: tmpdir(),
    emit: (event) => events.push(event),
    lines,
    events,
  };
}

describe('dispatch', () => {
  const deps = testDeps();
  const services = createServices(deps);
  const call = (channel: string, payload: unknown) => dispatch(services, deps, channel, payload);

  it('plans the topology text through the contract with the one topology parser', async () => {
    const reply = await call('plan.build', { topology: { text: articleText, fileName: 'article.yaml' } });
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const report = reply.value as { ok: boolean; router: { commands: string[] } };
    expect(report.ok).toBe(true);
    expect(report.router.commands).toContain('set protocols bgp 64512 maximum-paths ibgp 32');
  });

  it('reports a multi-document topology as the parser does, naming the file', async () => {
    const reply = await call('plan.build', {
      topology: { text: `${articleText}\n---\nrouter: {}\n`, fileName: 'two.yaml' },
    });
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const report = reply.value as { ok: boolean; errors: { message: string }[] };
    expect(report.ok).toBe(false);
    expect(report.errors[0]?.message).toMatch(/two\.yaml/);
  });

  it('refuses an unknown channel', async () => {
    const reply = await call('shell.exec', { cmd: 'rm -rf /' });
    expect(reply).toEqual({ ok: false, error: { message: 'unknown channel "shell.exec"', kind: 'invalid' } });
  });

  it('refuses a malformed payload and names the field', async () => {
    const reply = await call('parse.output', { kind: 'bogus', text: 1 });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.message).toMatch(/^invalid request for parse.output at kind/);
    expect(reply.error.path).toBe('kind');
  });

  it('refuses extra fields and oversized or odd values in a payload', async () => {
    expect((await call('app.info', { extra: true })).ok).toBe(false);
    const badPort = await call('router.connect', {
      target: { host: 'r', port: 70000, username: 'ubnt' },
      auth: { kind: 'password', password: 'x' },
    });
    expect(badPort.ok).toBe(false);
    if (!badPort.ok) expect(badPort.error.path).toBe('target.port');
    const badId = await call('apply.run', {
      topology: { text: articleText, fileName: 'a.yaml' },
      kube: {},
      operationId: 'no spaces; allowed',
    });
    expect(badId.ok).toBe(false);
    if (!badId.ok) expect(badId.error.path).toBe('operationId');
  });

  it('an operation the router was never connected for says what to do, and names the router', async () => {
    const reply = await call('apply.preview', {
      topology: { text: articleText, fileName: 'article.yaml' },
      kube: {},
    });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.message).toContain('ubnt@192.168.1.1:22');
    expect(reply.error.message).toMatch(/connect to it first/);
  });

  it('an invalid topology is refused as invalid input with the field path', async () => {
    const reply = await call('apply.run', {
      topology: { text: 'router: {}\n', fileName: 'bad.yaml' },
      kube: {},
    });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.kind).toBe('invalid');
    expect(reply.error.message).toMatch(/^bad\.yaml: /);
  });

  it('cancel reaches only a running operation', async () => {
    const reply = await call('operation.cancel', { operationId: 'nothing-runs' });
    expect(reply).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('app.info says whether secrets are kept', async () => {
    const reply = await call('app.info', {});
    expect(reply).toMatchObject({ ok: true, value: { shell: 'cli', secretsPersistent: false } });
  });
});
