// MetalLB's official manifests: bundled byte-exact copies under resources/metallb/<version>/,
// pinned by sha256, and manifests the user points at (a file or a URL), checked against the pin.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { MetallbVersion } from '../../shared/topology/index.ts';
import { UserError, messageOf } from '../errors.ts';

export interface ManifestFile {
  file: string;
  sha256: string;
}

/** The files of each release's install, in apply order, with their sha256 as published. */
export const MANIFEST_PINS: Readonly<Record<MetallbVersion, readonly ManifestFile[]>> = {
  'v0.12.1': [
    { file: 'namespace.yaml', sha256: '51a1c68cd8f92e4653075ea978642689a7786099000f9017a616567bab76114f' },
    { file: 'metallb.yaml', sha256: '53b1eec9ce0084df78531b35b212dbb6639cb8182dde351198c0fa50ac39fbd8' },
  ],
  'v0.13.12': [
    {
      file: 'metallb-native.yaml',
      sha256: 'a5e3b65e073ba8236cc36c283fb33260e764977c7e460d6a462347ccaa91683d',
    },
  ],
  'v0.14.9': [
    {
      file: 'metallb-native.yaml',
      sha256: '951065e85692aa106f1bb5d5a487d9306154923a794ab1d82122881cbaf588e4',
    },
  ],
  'v0.15.3': [
    {
      file: 'metallb-native.yaml',
      sha256: '84b4e102f2b65f5d69085f5816c29362b74641873d8ac3de996e5f86a8219176',
    },
  ],
  'v0.16.1': [
    {
      file: 'metallb-native.yaml',
      sha256: 'bf25feebb7582ca7df845efd52ffbc2960d6cbf4cfc972f47fded9f788b67f0b',
    },
  ],
};

/** Where the release publishes each file (0.12 and older: manifests/, newer: config/manifests/). */
export function officialManifestUrls(version: MetallbVersion): string[] {
  const base = `https://raw.githubusercontent.com/metallb/metallb/${version}`;
  return MANIFEST_PINS[version].map((f) =>
    version === 'v0.12.1' ? `${base}/manifests/${f.file}` : `${base}/config/manifests/${f.file}`,
  );
}

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The folder holding metallb/<version>/: METALLB_WIZARD_RESOURCES or the caller's override, else
 * the repository's resources/ (from src/main/kube or from the bundled out/main).
 */
export function resourcesDir(override?: string, env: NodeJS.ProcessEnv = process.env): string {
  const explicit = override ?? env.METALLB_WIZARD_RESOURCES;
  if (explicit) return resolve(explicit);
  const here = import.meta.dirname;
  const candidates = [join(here, '..', '..', '..', 'resources'), join(here, '..', '..', 'resources')];
  return candidates.find((dir) => existsSync(join(dir, 'metallb'))) ?? candidates[0]!;
}

export interface Manifest {
  text: string;
  sha256: string;
  source: string;
}

/** The bundled manifest of a supported release, verified against its pin. */
export async function bundledManifest(
  version: MetallbVersion,
  opts: { resourcesDir?: string } = {},
): Promise<Manifest> {
  const pins = MANIFEST_PINS[version];
  if (!pins) {
    throw new UserError(
      `MetalLB ${String(version)} is not bundled; use one of ${Object.keys(MANIFEST_PINS).join(', ')}`,
      {
        kind: 'invalid',
      },
    );
  }
  const dir = join(resourcesDir(opts.resourcesDir), 'metallb', version);
  const texts: string[] = [];
  for (const pin of pins) {
    const file = join(dir, pin.file);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new UserError(
        `the bundled MetalLB manifest ${file} cannot be read (${messageOf(error)}); reinstall the app or set METALLB_WIZARD_RESOURCES to its resources folder`,
      );
    }
    const actual = sha256Hex(bytes);
    if (actual !== pin.sha256) {
      throw new UserError(
        `the bundled MetalLB manifest ${file} has sha256 ${actual}, not the pinned ${pin.sha256}: it was modified; reinstall the app`,
      );
    }
    texts.push(bytes.toString('utf8'));
  }
  const text = joinDocuments(texts);
  return { text, sha256: sha256Hex(text), source: pins.map((p) => join(dir, p.file)).join(' + ') };
}

/** Several YAML streams as one, each starting on its own document. */
function joinDocuments(texts: string[]): string {
  if (texts.length === 1) return texts[0] ?? '';
  return texts.map((t) => (t.endsWith('\n') ? t : `${t}\n`)).join('---\n');
}

/** MetalLB's manifests are under 100 KB (the FRR-K8s one about 1 MB): anything far larger is not one. */
export const MAX_MANIFEST_BYTES = 5_000_000;

function manifestTooLarge(source: string): UserError {
  return new UserError(
    `${source} is larger than 5 MB, far more than a MetalLB manifest; check that it is the right file`,
    {
      kind: 'invalid',
      path: source,
    },
  );
}

async function readSource(source: string): Promise<Uint8Array> {
  if (/^https?:\/\//i.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { signal: AbortSignal.timeout(60_000) });
    } catch (error) {
      throw new UserError(`cannot download ${source}: ${messageOf(error)}; check the URL and the network`, {
        kind: 'invalid',
        path: source,
      });
    }
    if (!response.ok) {
      throw new UserError(`downloading ${source} failed with HTTP ${response.status}; check the URL`, {
        kind: 'invalid',
        path: source,
      });
    }
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > MAX_MANIFEST_BYTES) throw manifestTooLarge(source);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > MAX_MANIFEST_BYTES) throw manifestTooLarge(source);
    return bytes;
  }
  const file = source.startsWith('file:') ? fileURLToPath(source) : resolve(source);
  try {
    if ((await stat(file)).size > MAX_MANIFEST_BYTES) throw manifestTooLarge(file);
    return await readFile(file);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read the manifest file ${file}: ${messageOf(error)}; check the path`, {
      kind: 'invalid',
      path: file,
    });
  }
}

/**
 * A manifest from a local file or URL. With a known version it must match one of that release's
 * pinned files (else a UserError); with none it comes back unverified, with its sha256 for the
 * user to confirm.
 */
export async function manifestFromUser(
  source: string,
  version: MetallbVersion | null,
): Promise<{ text: string; sha256: string; verified: boolean }> {
  const bytes = await readSource(source);
  const sha256 = sha256Hex(bytes);
  const text = Buffer.from(bytes).toString('utf8');
  if (version === null) return { text, sha256, verified: false };
  const pins = MANIFEST_PINS[version] ?? [];
  if (!pins.some((p) => p.sha256 === sha256)) {
    const expected = pins.map((p) => `${p.file} ${p.sha256}`).join(', ');
    throw new UserError(
      `${source} has sha256 ${sha256}, which is not MetalLB ${version}'s official manifest (${expected}); use the official file for that release, or choose "unknown version" to confirm this one by its hash`,
      { kind: 'invalid', path: source },
    );
  }
  return { text, sha256, verified: true };
}

/** The objects of a manifest, in file order (empty documents dropped). */
export function manifestObjects(text: string, source: string): KubernetesObject[] {
  const docs = parseAllDocuments(text);
  const out: KubernetesObject[] = [];
  for (const [index, doc] of docs.entries()) {
    if (doc.errors.length > 0) {
      throw new UserError(
        `${source}: document ${index + 1} is not valid YAML (${doc.errors[0]?.message.split('\n')[0]}); use the release's manifest as published`,
        { kind: 'invalid', path: source },
      );
    }
    const value = doc.toJSON() as unknown;
    if (value === null || value === undefined) continue;
    const obj = value as KubernetesObject;
    if (typeof obj !== 'object' || !obj.kind || !obj.apiVersion || !obj.metadata?.name) {
      throw new UserError(
        `${source}: document ${index + 1} is not a Kubernetes object (it needs apiVersion, kind and metadata.name)`,
        { kind: 'invalid', path: source },
      );
    }
    out.push(obj);
  }
  if (out.length === 0) {
    throw new UserError(`${source} holds no Kubernetes objects; choose MetalLB's manifest`, {
      kind: 'invalid',
      path: source,
    });
  }
  return out;
}
