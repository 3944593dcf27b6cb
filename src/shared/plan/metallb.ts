// MetalLB configuration for a topology: CRD objects for 0.13+, the legacy ConfigMap for 0.12.x.

import { stringify } from 'yaml';
import type { Topology } from '../topology/index.ts';
import { poolNeedsAvoidBuggyIps } from '../topology/index.ts';
import type { KubeObject, MetallbFormat, MetallbPlan } from './types.ts';
import { BGP_PASSWORD_SECRET } from './password.ts';

export const METALLB_NAMESPACE = 'metallb-system';
export const MANAGED_BY_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/managed-by': 'metallb-bgp-wizard',
};
export const PEER_NAME = 'mbw-router';
export const ADVERTISEMENT_NAME = 'mbw-pools';
/** MetalLB 0.12 reads exactly this ConfigMap name. */
export const LEGACY_CONFIGMAP_NAME = 'config';

export function metallbFormat(version: string): MetallbFormat {
  return version.startsWith('v0.12.') ? 'configmap' : 'crd';
}

/** The router's address on the cluster segment, which is where the speakers peer. */
export function peerAddress(t: Topology): string {
  return t.router.cluster.address.split('/')[0] ?? t.router.cluster.address;
}

function metadata(name: string): KubeObject['metadata'] {
  return { name, namespace: METALLB_NAMESPACE, labels: { ...MANAGED_BY_LABELS } };
}

function ipAddressPools(t: Topology): KubeObject[] {
  return t.cluster.pools.map((pool, index) => ({
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: metadata(pool.name),
    spec: {
      addresses: [...pool.addresses],
      ...(poolNeedsAvoidBuggyIps(t, index) ? { avoidBuggyIPs: true } : {}),
    },
  }));
}

function bgpPeer(t: Topology): KubeObject {
  return {
    apiVersion: 'metallb.io/v1beta2',
    kind: 'BGPPeer',
    metadata: metadata(PEER_NAME),
    spec: {
      myASN: t.cluster.asn,
      peerASN: t.router.asn,
      peerAddress: peerAddress(t),
      ...(t.router.bgpPassword
        ? { passwordSecret: { name: BGP_PASSWORD_SECRET, namespace: METALLB_NAMESPACE } }
        : {}),
    },
  };
}

function bgpAdvertisement(t: Topology): KubeObject {
  return {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'BGPAdvertisement',
    metadata: metadata(ADVERTISEMENT_NAME),
    // Listing the pools (rather than an empty spec, which means "all pools") keeps the wizard from
    // advertising pools someone else created.
    spec: { ipAddressPools: t.cluster.pools.map((pool) => pool.name) },
  };
}

/** The YAML MetalLB 0.12 reads from the `config` key of its ConfigMap. */
export function legacyConfigText(t: Topology): string {
  const config = {
    peers: [{ 'peer-address': peerAddress(t), 'peer-asn': t.router.asn, 'my-asn': t.cluster.asn }],
    'address-pools': t.cluster.pools.map((pool, index) => ({
      name: pool.name,
      protocol: 'bgp',
      addresses: [...pool.addresses],
      ...(poolNeedsAvoidBuggyIps(t, index) ? { 'avoid-buggy-ips': true } : {}),
    })),
  };
  return stringify(config);
}

function legacyConfigMap(t: Topology): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(LEGACY_CONFIGMAP_NAME),
    data: { config: legacyConfigText(t) },
  };
}

/** Objects in apply order: pools before the peer and the advertisement that name them. */
export function buildMetallbPlan(t: Topology): MetallbPlan {
  const version = t.metallb.version;
  const format = metallbFormat(version);
  const objects =
    format === 'configmap' ? [legacyConfigMap(t)] : [...ipAddressPools(t), bgpPeer(t), bgpAdvertisement(t)];
  return { version, format, objects };
}

/** Multi-document YAML, one document per object, in the given order. */
export function renderYamlDocuments(objects: KubeObject[]): string {
  return objects.map((object) => stringify(object)).join('---\n');
}
