// The CRD-era objects must pass the official CRD schemas of every supported 0.13+ release.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { buildPlan, type KubeObject } from './index.ts';
import { articleTopology, ebgpTopology } from './test-support.ts';

const CRD_VERSIONS = ['v0.13.12', 'v0.14.9', 'v0.15.3', 'v0.16.1'] as const;

type JsonSchema = Record<string, unknown>;
interface Crd {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; schema?: { openAPIV3Schema: JsonSchema } }[];
  };
}

function crdsOf(release: string): Crd[] {
  const file = path.resolve(process.cwd(), '../shared/fixtures/metallb', release, 'metallb-native.yaml');
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJSON() as Crd | null)
    .filter((doc): doc is Crd => doc?.kind === 'CustomResourceDefinition');
}

/**
 * The API server prunes unknown fields instead of rejecting them, so a misspelt field would pass
 * a plain check and then vanish. Closing every object that lists its properties catches that.
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema).map(([key, value]) => [key, closeObjects(value)]);
  const closed: JsonSchema = Object.fromEntries(entries);
  if (
    closed.properties &&
    closed.additionalProperties === undefined &&
    !closed['x-kubernetes-preserve-unknown-fields']
  ) {
    closed.additionalProperties = false;
  }
  return closed;
}

function validatorFor(crds: Crd[], apiVersion: string, kind: string): ValidateFunction {
  const crd = crds.find((c) => c.spec.names.kind === kind);
  const [group, version] = apiVersion.split('/');
  expect(crd?.spec.group).toBe(group);
  const schema = crd?.spec.versions.find((v) => v.name === version)?.schema?.openAPIV3Schema;
  if (!schema) throw new Error(`no schema for ${apiVersion} ${kind}`);
  const closed = closeObjects(schema) as JsonSchema;
  // metadata is validated by the API server, not by the CRD: allow any object there.
  const wrapped = {
    ...closed,
    properties: { ...(closed.properties as JsonSchema), metadata: { type: 'object' } },
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const format of ['int32', 'int64', 'date-time']) ajv.addFormat(format, true);
  return ajv.compile(wrapped);
}

function errorsOf(crds: Crd[], object: KubeObject): string {
  const validate = validatorFor(crds, object.apiVersion, object.kind);
  return validate(object) ? '' : JSON.stringify(validate.errors);
}

describe.each(CRD_VERSIONS)('MetalLB %s CRD schemas', (release) => {
  const crds = crdsOf(release);

  it('accept every object planned for the article topology, the eBGP variant and a BGP password', () => {
    const withPassword = articleTopology();
    withPassword.router.bgpPassword = true;
    for (const topology of [articleTopology(), ebgpTopology(), withPassword]) {
      topology.metallb.version = release;
      const objects = buildPlan(topology).metallb.objects;
      expect(objects.map((o) => o.kind)).toEqual(['IPAddressPool', 'BGPPeer', 'BGPAdvertisement']);
      for (const object of objects) expect(errorsOf(crds, object), `${object.kind}`).toBe('');
    }
  });

  it('reject broken objects (the check can fail)', () => {
    const [pool, peer, advertisement] = buildPlan(articleTopology()).metallb.objects as [
      KubeObject,
      KubeObject,
      KubeObject,
    ];
    const broken: KubeObject[] = [
      { ...peer, spec: { ...(peer.spec as object), peerASN: 'sixty-four' } },
      { ...peer, spec: { peerASN: 64512, peerAddress: '192.168.1.1' } },
      { ...pool, spec: {} },
      { ...peer, spec: { ...(peer.spec as object), peerAsn: 64512 } },
      { ...pool, spec: { addresses: '192.168.1.224/27' } },
      { ...advertisement, spec: { ipAddressPools: 'default' } },
    ];
    for (const object of broken) expect(errorsOf(crds, object), JSON.stringify(object.spec)).not.toBe('');
  });
});
