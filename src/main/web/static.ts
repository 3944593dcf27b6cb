// The built renderer as static files: which file a request path names (never one outside the
// renderer folder), its content type, and the security headers every response carries.

import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Unknown extensions are served as opaque bytes; with nosniff the browser will not run them. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The page's policy. Mantine sets inline styles, so styles allow 'unsafe-inline'; scripts come from
 * our own files only. The bridge is the one place the page may connect to besides itself.
 */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** Hashed build assets never change under their name; everything else is revalidated each time. */
export function cacheControlOf(relativePath: string): string {
  return relativePath.startsWith(`assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-store';
}

/** True when `file` is `dir` itself or lies inside it, judged by whole path segments. */
export function isInside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/**
 * The renderer-relative path a request's raw path names, or null when it is malformed or tries to
 * leave the folder: percent-decoded first, so `%2e%2e%2f` is judged as `../`.
 */
export function requestedRelativePath(rawPath: string): string | null {
  if (!rawPath.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const segments = decoded.split(/[/\\]+/).filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return null;
  return segments.length === 0 ? 'index.html' : segments.join(sep);
}

export interface StaticFile {
  path: string;
  relativePath: string;
  size: number;
}

/**
 * The file to serve for `rawPath`, or null (404). Symbolic links are followed and the target must
 * still lie inside the renderer folder, so nothing outside it is reachable by any spelling.
 */
export async function staticFileFor(rendererDir: string, rawPath: string): Promise<StaticFile | null> {
  const relativePath = requestedRelativePath(rawPath);
  if (relativePath === null) return null;
  const root = resolve(rendererDir);
  const candidate = resolve(root, relativePath);
  if (!isInside(root, candidate)) return null;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(candidate)]);
    if (!isInside(realRoot, realFile)) return null;
    const info = await stat(realFile);
    if (!info.isFile()) return null;
    return { path: realFile, relativePath, size: info.size };
  } catch {
    return null;
  }
}
