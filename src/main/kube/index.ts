// Public entry of the Kubernetes adapter: kubeconfig loading, the cluster probe, MetalLB's
// install/upgrade/uninstall from pinned manifests, the plan's objects, and the echo service.

export { FIELD_MANAGER } from './client.ts';
export {
  MAX_KUBECONFIG_BYTES,
  loadKubeconfig,
  kubeconfigFiles,
  type ExecPlugin,
  type KubeContextSummary,
  type KubeconfigChoice,
  type LoadedKubeconfig,
} from './kubeconfig.ts';
export {
  probeCluster,
  type ClusterConflict,
  type ClusterProbe,
  type ConflictCode,
  type ExistingMetallb,
  type ExistingPeer,
  type ExistingPool,
  type ProbedNode,
} from './probe.ts';
export {
  MANIFEST_PINS,
  bundledManifest,
  manifestFromUser,
  manifestObjects,
  officialManifestUrls,
  resourcesDir,
  type Manifest,
  type ManifestFile,
} from './manifests.ts';
export { installMetallb, uninstallMetallb, type InstallOptions, type InstallResult } from './install.ts';
export { applyBgpPasswordSecret, applyMetallbObjects, removeMetallbObjects } from './objects.ts';
export {
  ECHO_IMAGE,
  ECHO_NAME,
  deployEchoService,
  listLoadBalancerServices,
  podNodesOfService,
  removeEchoService,
  type LoadBalancerService,
} from './services.ts';
