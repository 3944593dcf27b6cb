// The demo's hand-over file: read once, deleted at once (even when it is bad), the password moved
// into the secret store under the key `router.connect` with auth 'stored' reads, and never returned.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SECRET_KEYS, createMemoryStore } from '../secrets/index.ts';
import { readPresetFile } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'mbw-preset-test-'));
const TOPOLOGY = 'router:\n  dialect: edgeos\n';

function written(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

function recordingLog(): { redacted: string[]; redact(secret: string): void } {
  const redacted: string[] = [];
  return { redacted, redact: (secret) => redacted.push(secret) };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readPresetFile', () => {
  it('returns the preset with the password only "held", seeds the secret store, and deletes the file', async () => {
    writeFileSync(join(dir, 'topology.yaml'), TOPOLOGY);
    const file = written(
      'preset.json',
      JSON.stringify({
        topology: join(dir, 'topology.yaml'),
        kubeconfig: '/tmp/lab/kube/kubeconfig',
        router: {
          host: '127.0.0.1',
          port: 2222,
          username: 'ubnt',
          password: 'pa55-word',
          hostKeySha256: 'SHA256:abc',
        },
      }),
    );
    const secrets = createMemoryStore();
    const log = recordingLog();
    const preset = await readPresetFile(file, secrets, log);
    expect(preset).toEqual({
      topology: { text: TOPOLOGY, fileName: 'topology.yaml' },
      kubeconfig: '/tmp/lab/kube/kubeconfig',
      router: { host: '127.0.0.1', port: 2222, username: 'ubnt', passwordHeld: true, hostKey: 'SHA256:abc' },
      source: 'the built-in demo lab',
    });
    expect(JSON.stringify(preset)).not.toContain('pa55-word');
    expect(await secrets.get(SECRET_KEYS.routerPassword('127.0.0.1', 2222, 'ubnt'))).toBe('pa55-word');
    expect(log.redacted).toEqual(['pa55-word']);
    expect(existsSync(file)).toBe(false);
  });

  it('accepts a preset without a router or topology', async () => {
    const file = written('bare.json', JSON.stringify({ kubeconfig: '/k', source: 'a test' }));
    expect(await readPresetFile(file, createMemoryStore(), recordingLog())).toEqual({
      topology: null,
      kubeconfig: '/k',
      router: null,
      source: 'a test',
    });
  });

  it.each([
    ['not-json.json', '{router', /^the preset file \S+not-json\.json is not JSON$/],
    [
      'bad-port.json',
      JSON.stringify({ router: { host: 'r', port: 0, username: 'u', password: 'p' } }),
      /^the preset file \S+bad-port\.json is invalid at router\.port: /,
    ],
    ['extra.json', JSON.stringify({ shell: 'rm -rf /' }), /^the preset file \S+extra\.json is invalid: /],
    [
      'no-topology.json',
      JSON.stringify({ topology: 'missing-topology.yaml' }),
      /^cannot read the preset's topology \S+missing-topology\.yaml: /,
    ],
  ])(
    'refuses %s with a message naming the file and field, and still deletes it',
    async (name, content, message) => {
      const file = written(name, content);
      const secrets = createMemoryStore();
      await expect(readPresetFile(file, secrets, recordingLog())).rejects.toThrow(message);
      expect(existsSync(file)).toBe(false);
    },
  );

  it('names a missing file', async () => {
    await expect(readPresetFile(join(dir, 'gone.json'), createMemoryStore(), recordingLog())).rejects.toThrow(
      /^cannot read the preset file \S+gone\.json: ENOENT/,
    );
  });
});
