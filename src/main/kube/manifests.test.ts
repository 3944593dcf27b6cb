import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_METALLB_VERSIONS } from '../../shared/topology/index.ts';
import {
  MANIFEST_PINS,
  bundledManifest,
  manifestFromUser,
  manifestObjects,
  officialManifestUrls,
} from './index.ts';

const FIXTURES = fileURLToPath(new URL('../../../../shared/fixtures/metallb/', import.meta.url));
const RESOURCES = fileURLToPath(new URL('../../../resources/metallb/', import.meta.url));

function sums(): Map<string, string> {
  const text = readFileSync(join(FIXTURES, 'SHA256SUMS'), 'utf8');
  return new Map(
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [sha, file] = line.split(/\s+/);
        return [file ?? '', sha ?? ''];
      }),
  );
}

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe('bundled MetalLB manifests', () => {
  it('pins every supported version, with the sha256 SHA256SUMS gives, and the bundled bytes match', () => {
    const published = sums();
    expect(Object.keys(MANIFEST_PINS).sort()).toEqual([...SUPPORTED_METALLB_VERSIONS].sort());
    for (const version of SUPPORTED_METALLB_VERSIONS) {
      for (const pin of MANIFEST_PINS[version]) {
        expect(published.get(`${version}/${pin.file}`), `${version}/${pin.file}`).toBe(pin.sha256);
        expect(sha(readFileSync(join(RESOURCES, version, pin.file)))).toBe(pin.sha256);
        expect(sha(readFileSync(join(FIXTURES, version, pin.file)))).toBe(pin.sha256);
      }
    }
    expect(MANIFEST_PINS['v0.12.1'].map((p) => p.file)).toEqual(['namespace.yaml', 'metallb.yaml']);
    expect(MANIFEST_PINS['v0.16.1'].map((p) => p.file)).toEqual(['metallb-native.yaml']);
  });

  it('reads a bundled manifest and parses its objects (0.12.1: namespace first)', async () => {
    const m = await bundledManifest('v0.12.1');
    expect(m.sha256).toBe(sha(m.text));
    const objects = manifestObjects(m.text, m.source);
    expect(objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'metallb-system' } });
    expect(objects.filter((o) => o.kind === 'PodSecurityPolicy').map((o) => o.metadata?.name)).toEqual([
      'controller',
      'speaker',
    ]);
    const m14 = await bundledManifest('v0.14.9');
    expect(m14.sha256).toBe(MANIFEST_PINS['v0.14.9'][0]?.sha256);
    const service = manifestObjects(m14.text, m14.source).find((o) => o.kind === 'Service');
    expect(service?.metadata?.name).toBe('metallb-webhook-service');
  });

  it('refuses a bundled file that was modified, via the resources override', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mbw-res-'));
    try {
      const target = join(dir, 'metallb', 'v0.14.9');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(target, { recursive: true });
      writeFileSync(join(target, 'metallb-native.yaml'), 'kind: Namespace\n');
      await expect(bundledManifest('v0.14.9', { resourcesDir: dir })).rejects.toThrow(
        /metallb-native\.yaml has sha256 [0-9a-f]{64}, not the pinned 951065e8.*: it was modified; reinstall the app/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the official URLs', () => {
    expect(officialManifestUrls('v0.12.1')).toEqual([
      'https://raw.githubusercontent.com/metallb/metallb/v0.12.1/manifests/namespace.yaml',
      'https://raw.githubusercontent.com/metallb/metallb/v0.12.1/manifests/metallb.yaml',
    ]);
    expect(officialManifestUrls('v0.15.3')).toEqual([
      'https://raw.githubusercontent.com/metallb/metallb/v0.15.3/config/manifests/metallb-native.yaml',
    ]);
  });
});

describe('manifestFromUser', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const file = join(FIXTURES, (req.url ?? '/').slice(1));
      try {
        const body = readFileSync(file);
        res.writeHead(200, { 'Content-Type': 'text/yaml' }).end(body);
      } catch {
        res.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('verifies a downloaded manifest against the pin of its version', async () => {
    const m = await manifestFromUser(`${base}/v0.15.3/metallb-native.yaml`, 'v0.15.3');
    expect(m).toMatchObject({ verified: true, sha256: MANIFEST_PINS['v0.15.3'][0]?.sha256 });
    expect(m.text).toContain('kind: CustomResourceDefinition');
  });

  it("refuses a file that is not the version's official manifest", async () => {
    const file = join(FIXTURES, 'v0.14.9', 'metallb-frr.yaml');
    await expect(manifestFromUser(file, 'v0.14.9')).rejects.toThrow(
      /metallb-frr\.yaml has sha256 79ee3c6a[0-9a-f]+, which is not MetalLB v0\.14\.9's official manifest/,
    );
  });

  it('returns an unknown version unverified with its sha256, and names a missing file or a 404', async () => {
    const file = join(FIXTURES, 'v0.14.9', 'metallb-frr.yaml');
    const m = await manifestFromUser(file, null);
    expect(m.verified).toBe(false);
    expect(m.sha256).toBe('79ee3c6a65c7040d636ce6a55722cd9df81675213aeef363bd985480ba1d10fd');
    await expect(manifestFromUser('/no/such/file.yaml', null)).rejects.toThrow(
      /^cannot read the manifest file \/no\/such\/file\.yaml: .*; check the path$/,
    );
    await expect(manifestFromUser(`${base}/v9/none.yaml`, null)).rejects.toThrow(
      `downloading ${base}/v9/none.yaml failed with HTTP 404; check the URL`,
    );
  });
});
