// The window's routes live in the URL fragment (`#/status`), next to browser mode's `token=`.

export function isStatusRoute(hash: string): boolean {
  return /^#\/status(?:$|[/?&])/.test(hash);
}
