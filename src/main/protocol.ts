// The app:// origin's rules as pure functions: which file a request may read, what the window may
// navigate to, and which requests may leave the app. src/main/index.ts wires them into Electron.

import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'wizard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Sent as a header with every app:// response, beside the renderer's own meta tag. Scripts come from
 * the bundle only (no inline script, no eval); Mantine injects its styles inline, hence 'unsafe-inline'
 * for styles alone. The window talks to main over IPC, so nothing is fetched from anywhere else.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The file inside `rendererDir` that an app:// URL names, or null when the URL is not ours or points
 * anywhere else. Whole path segments are compared after decoding, so `..%2Frenderer-x/…` cannot reach a
 * sibling folder whose name merely starts with the bundle's. `pathApi` is the platform's path module
 * (tests pass `path.win32` to check backslashes and drive letters).
 */
export function rendererFileFor(
  rendererDir: string,
  url: string,
  pathApi: path.PlatformPath = path,
): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const wanted = decoded.replace(/^[/\\]+/, '') || 'index.html';
  const root = pathApi.resolve(rendererDir);
  const file = pathApi.resolve(root, wanted);
  const inside = pathApi.relative(root, file);
  if (inside === '' || pathApi.isAbsolute(inside) || inside.split(pathApi.sep)[0] === '..') return null;
  return file;
}

/** Origin as scheme://host: WHATWG URL reports "null" as the origin of custom schemes such as app://. */
function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/**
 * Whether a navigation from `current` to `target` stays on the same page of our own origin and only
 * changes the fragment (the renderer's #/routes). Everything else is refused: the window never leaves
 * the bundle.
 */
export function isInPageNavigation(current: string, target: string, appOrigins: string[]): boolean {
  let from: URL;
  let to: URL;
  try {
    from = new URL(current);
    to = new URL(target);
  } catch {
    return false;
  }
  return (
    appOrigins.includes(originOf(to)) &&
    originOf(from) === originOf(to) &&
    from.pathname === to.pathname &&
    from.search === to.search
  );
}

/**
 * Whether the window may make a request to `url`: only to the app's own origins (app:// or, in
 * development, the dev server with its websocket). No remote content.
 */
export function isAllowedRequest(url: string, appOrigins: string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const origin = originOf(parsed);
  // The dev server's hot reload speaks ws:// to the same host and port it serves http:// from.
  const httpForm = origin.replace(/^ws(s?):/, 'http$1:');
  return appOrigins.includes(origin) || appOrigins.includes(httpForm);
}

/** The one permission the window keeps: writing plain text to the clipboard (the copy buttons). */
const GRANTED_PERMISSIONS = ['clipboard-sanitized-write'];

/**
 * Whether a permission request or check from `requestingUrl` is granted: nothing but a clipboard write
 * from our own page. Camera, notifications, geolocation, device access and the rest are refused.
 */
export function isGrantedPermission(
  permission: string,
  requestingUrl: string,
  appOrigins: string[],
): boolean {
  if (!GRANTED_PERMISSIONS.includes(permission)) return false;
  try {
    return appOrigins.includes(originOf(new URL(requestingUrl)));
  } catch {
    return false;
  }
}
