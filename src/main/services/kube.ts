// The Kubernetes adapter, loaded on first use: @kubernetes/client-node takes about a second to
// import, and the wizard's first screen, the router steps and the status of a router need none of it.

export type KubeAdapter = typeof import('../kube/index.ts');

let loading: Promise<KubeAdapter> | undefined;

export function kubeAdapter(): Promise<KubeAdapter> {
  loading ??= import('../kube/index.ts');
  return loading;
}
