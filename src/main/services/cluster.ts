// The cluster as the handlers reach it: the kubeconfig found as kubectl finds it, with the chosen
// context. An exec auth plugin runs a program: the caller names it before the first request.

import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterProbeView, KubeContexts } from '../../shared/contract.ts';
import type { LoadedKubeconfig } from '../kube/index.ts';
import type { ServiceDeps } from './context.ts';
import { kubeAdapter } from './kube.ts';

export interface KubeSelection {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

export async function loadedKubeconfigOf(
  deps: ServiceDeps,
  selection: KubeSelection,
): Promise<LoadedKubeconfig> {
  const { loadKubeconfig } = await kubeAdapter();
  return loadKubeconfig(
    {
      ...(selection.kubeconfig ? { path: selection.kubeconfig } : {}),
      ...(selection.context ? { context: selection.context } : {}),
    },
    deps.env,
    deps.home,
  );
}

export function kubeContextsOf(loaded: LoadedKubeconfig): KubeContexts {
  return {
    files: loaded.files,
    contexts: loaded.contexts,
    context: loaded.context,
    execPlugin: loaded.execPlugin,
  };
}

export async function kubeConfigOf(deps: ServiceDeps, selection: KubeSelection): Promise<KubeConfig> {
  const loaded = await loadedKubeconfigOf(deps, selection);
  if (loaded.execPlugin) {
    deps.log.write(
      `kubeconfig context ${loaded.context} runs the exec auth plugin "${loaded.execPlugin.command}"`,
    );
  }
  return loaded.kubeConfig;
}

export async function clusterProbeOf(
  deps: ServiceDeps,
  selection: KubeSelection,
  routerAddress?: string,
): Promise<ClusterProbeView> {
  const kc = await kubeConfigOf(deps, selection);
  const { probeCluster } = await kubeAdapter();
  return probeCluster(kc, routerAddress ? { routerAddress } : {});
}
