import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { curlyLinesAt, setLines } from './config/format.ts';
import { ConfigStore } from './store.ts';
import { StaticBackend } from './testing/static-backend.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function openStore(
  dialect: 'edgeos' | 'vyos' = 'edgeos',
  dir = mkdtempSync(path.join(os.tmpdir(), 'router-store-')),
) {
  dirs.push(dir);
  const backend = new StaticBackend();
  const store = await ConfigStore.open({
    dialect,
    stateDir: dir,
    backend,
    defaultPaths: [['system', 'host-name', 'ubnt']],
  });
  return { store, backend, dir };
}

const words = (line: string) => line.split(' ');
const lines = (store: ConfigStore) => setLines(store.running, store.schema, store.dialect);

describe('ConfigStore', () => {
  it('writes config.boot on first start and applies "no BGP" to the backend', async () => {
    const { store, backend } = await openStore();
    expect(readFileSync(store.bootFile, 'utf8')).toMatch(/^system \{\n {4}host-name ubnt\n\}\n/);
    expect(backend.applied).toEqual([null]);
  });

  it('replays a session onto commits made by another session meanwhile', async () => {
    const { store } = await openStore();
    const a = store.openSession();
    const b = store.openSession();
    expect(a.set(words('protocols bgp 64512 neighbor 10.0.0.1 remote-as 64512'))).toBeNull();
    expect(b.set(words('protocols bgp 64512 neighbor 10.0.0.2 remote-as 64512'))).toBeNull();
    expect(b.delete(words('system host-name'))).toBeNull();
    expect(await a.commit()).toEqual({ ok: true, changed: true });
    expect(await b.commit()).toEqual({ ok: true, changed: true });
    expect(lines(store)).toEqual([
      'set protocols bgp 64512 neighbor 10.0.0.1 remote-as 64512',
      'set protocols bgp 64512 neighbor 10.0.0.2 remote-as 64512',
    ]);
  });

  it('keeps running and the backend unchanged when the backend refuses', async () => {
    const { store, backend } = await openStore();
    const s = store.openSession();
    s.set(words('protocols bgp 64512 neighbor 10.0.0.1 remote-as 64512'));
    backend.failApplyWith = 'no bgpd';
    const outcome = await s.commit();
    expect(outcome.ok).toBe(false);
    expect(lines(store)).toEqual(["set system host-name 'ubnt'"]);
    expect(s.changed).toBe(true);
  });

  it('does not apply when a fault stops the commit before apply', async () => {
    const { store, backend } = await openStore();
    const s = store.openSession();
    s.set(words('protocols bgp 64512 neighbor 10.0.0.1 remote-as 64512'));
    const stop = new Error('dropped');
    await expect(
      s.commit((stage) => {
        if (stage === 'before-apply') throw stop;
      }),
    ).rejects.toBe(stop);
    expect(backend.applied).toEqual([null]);
    expect(lines(store)).toEqual(["set system host-name 'ubnt'"]);
    // The next commit still runs (the commit queue survives a thrown stage hook).
    expect(await s.commit()).toEqual({ ok: true, changed: true });
  });

  it('refuses a config.boot that does not fit the dialect, naming the file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'router-store-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'config.boot'), 'protocols {\n    bgp 64512 {\n        bogus 1\n    }\n}\n');
    await expect(openStore('edgeos', dir)).rejects.toThrow(
      `${path.join(dir, 'config.boot')}: "protocols bgp 64512 bogus 1" is not valid`,
    );
  });

  it('shows a subtree in curly form', async () => {
    const { store } = await openStore();
    const s = store.openSession();
    s.set(words('protocols bgp 64512 neighbor 10.0.0.1 remote-as 64512'));
    expect(curlyLinesAt(s.candidate, store.schema, words('protocols bgp'))).toEqual([
      '64512 {',
      '    neighbor 10.0.0.1 {',
      '        remote-as 64512',
      '    }',
      '}',
    ]);
    expect(curlyLinesAt(s.candidate, store.schema, words('protocols bgp 64512 neighbor 10.0.0.1'))).toEqual([
      'remote-as 64512',
    ]);
    expect(curlyLinesAt(s.candidate, store.schema, words('interfaces'))).toEqual([]);
  });
});

describe('op mode when the routing daemon fails', () => {
  it('prints an error instead of crashing', async () => {
    const { runOpCommand } = await import('./opmode.ts');
    const { store, backend } = await openStore();
    backend.bgpStatus = async () => {
      throw new Error('vtysh: connection refused');
    };
    for (const cmd of ['show ip bgp summary', 'show ip route bgp', 'show ip bgp neighbors']) {
      const out = await runOpCommand(words(cmd), { store, bootedAt: new Date(), files: new Map() });
      expect(out).toEqual({
        stdout: '% Routing daemon is not responding: vtysh: connection refused\n',
        stderr: '',
        code: 1,
      });
    }
  });
});
