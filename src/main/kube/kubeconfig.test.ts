import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { UserError } from '../errors.ts';
import { loadKubeconfig } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'mbw-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Entry {
  cluster?: string;
  server?: string;
  user?: string;
  token?: string;
  context?: string;
  exec?: { command: string; args: string[] };
}

function kubeconfigFile(name: string, entries: Entry[], current?: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: entries
        .filter((e) => e.cluster)
        .map((e) => ({ name: e.cluster, cluster: { server: e.server ?? 'https://127.0.0.1:6443' } })),
      users: entries
        .filter((e) => e.user)
        .map((e) => ({
          name: e.user,
          user: e.exec
            ? {
                exec: {
                  apiVersion: 'client.authentication.k8s.io/v1',
                  command: e.exec.command,
                  args: e.exec.args,
                },
              }
            : { token: e.token ?? 't' },
        })),
      contexts: entries
        .filter((e) => e.context)
        .map((e) => ({ name: e.context, context: { cluster: e.cluster, user: e.user } })),
      ...(current ? { 'current-context': current } : {}),
    }),
  );
  return file;
}

const first = kubeconfigFile(
  'first.yaml',
  [
    { cluster: 'home', server: 'https://10.0.0.1:6443', user: 'admin', token: 'first', context: 'home' },
    {
      cluster: 'shared',
      server: 'https://first.example:6443',
      user: 'sso',
      exec: { command: 'kubelogin', args: ['get-token', '--oidc'] },
      context: 'shared',
    },
  ],
  'home',
);
const second = kubeconfigFile(
  'second.yaml',
  [
    {
      cluster: 'shared',
      server: 'https://second.example:6443',
      user: 'sso',
      token: 'second',
      context: 'shared',
    },
    { cluster: 'lab', server: 'https://10.0.9.1:6443', user: 'labadmin', context: 'lab' },
  ],
  'lab',
);

describe('loadKubeconfig', () => {
  it('merges a KUBECONFIG list as kubectl does: first file wins for names and current-context', () => {
    const loaded = loadKubeconfig({}, { KUBECONFIG: `${first}:${second}` }, '/nonexistent-home');
    expect(loaded.files).toEqual([first, second]);
    expect(loaded.context).toBe('home');
    expect(loaded.contexts).toEqual([
      { name: 'home', cluster: 'home', user: 'admin', server: 'https://10.0.0.1:6443' },
      { name: 'shared', cluster: 'shared', user: 'sso', server: 'https://first.example:6443' },
      { name: 'lab', cluster: 'lab', user: 'labadmin', server: 'https://10.0.9.1:6443' },
    ]);
    expect(loaded.kubeConfig.getCurrentContext()).toBe('home');
    expect(loaded.kubeConfig.getCurrentCluster()?.server).toBe('https://10.0.0.1:6443');
    expect(loaded.execPlugin).toBeNull();
  });

  it('takes current-context from the second file when the first sets none', () => {
    const noCurrent = kubeconfigFile('nocurrent.yaml', [{ cluster: 'a', user: 'a', context: 'a' }]);
    const loaded = loadKubeconfig({}, { KUBECONFIG: `${noCurrent}:${second}` }, '/nonexistent-home');
    expect(loaded.context).toBe('lab');
  });

  it('names the exec plugin of the chosen context before any request', () => {
    const loaded = loadKubeconfig({ context: 'shared' }, { KUBECONFIG: `${first}:${second}` }, '/x');
    expect(loaded.context).toBe('shared');
    expect(loaded.execPlugin).toEqual({ command: 'kubelogin', args: ['get-token', '--oidc'] });
    expect(loaded.kubeConfig.getCurrentCluster()?.server).toBe('https://first.example:6443');
  });

  it('refuses an unknown context, naming it and listing the others', () => {
    let error: unknown;
    try {
      loadKubeconfig({ path: second, context: 'prod' }, {}, '/x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).kind).toBe('invalid');
    expect((error as UserError).message).toBe(
      `context "prod" is not in ${second}; the kubeconfig has: shared, lab`,
    );
  });

  it('uses the explicit path over KUBECONFIG, and ~/.kube/config when neither is given', () => {
    expect(loadKubeconfig({ path: second }, { KUBECONFIG: first }, '/x').context).toBe('lab');
    const home = join(dir, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(join(home, '.kube', 'config'), stringify({ apiVersion: 'v1', kind: 'Config' }));
    kubeconfigFile('home/.kube/config', [{ cluster: 'h', user: 'h', context: 'h' }], 'h');
    const loaded = loadKubeconfig({}, {}, home);
    expect(loaded.files).toEqual([join(home, '.kube', 'config')]);
    expect(loaded.context).toBe('h');
  });

  it('names a missing file, and the KUBECONFIG list when none of it exists', () => {
    const missing = join(dir, 'missing.yaml');
    expect(() => loadKubeconfig({ path: missing }, {}, '/x')).toThrow(
      `kubeconfig file ${missing} does not exist; check the path or choose another file`,
    );
    // kubectl skips missing entries of a list as long as one exists.
    expect(loadKubeconfig({}, { KUBECONFIG: `${missing}:${second}` }, '/x').files).toEqual([second]);
    expect(() => loadKubeconfig({}, { KUBECONFIG: missing }, '/x')).toThrow(
      /none of the kubeconfig files in KUBECONFIG exist/,
    );
    expect(() => loadKubeconfig({}, {}, join(dir, 'nohome'))).toThrow(
      /no kubeconfig found: .*nohome\/\.kube\/config does not exist/,
    );
  });

  it('names a malformed file without echoing its content', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'clusters: [\n  name: secret-token-abc\n');
    let error: unknown;
    try {
      loadKubeconfig({ path: bad }, {}, '/x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).kind).toBe('invalid');
    expect((error as UserError).message).toMatch(
      new RegExp(`^kubeconfig file ${bad} is not a valid kubeconfig \\(`),
    );
    expect((error as UserError).message).not.toContain('secret-token-abc');
  });
});
