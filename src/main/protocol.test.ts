import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  RENDERER_CSP,
  isAllowedRequest,
  isGrantedPermission,
  isInPageNavigation,
  rendererFileFor,
} from './protocol.ts';

const bundle = '/opt/mbw/resources/app.asar/out/renderer';

describe('rendererFileFor', () => {
  it('serves index.html for the root and files inside the bundle by their path', () => {
    expect(rendererFileFor(bundle, 'app://wizard/')).toBe(`${bundle}/index.html`);
    expect(rendererFileFor(bundle, 'app://wizard/index.html#/status')).toBe(`${bundle}/index.html`);
    expect(rendererFileFor(bundle, 'app://wizard/assets/index-abc.js?v=1')).toBe(
      `${bundle}/assets/index-abc.js`,
    );
    expect(rendererFileFor(bundle, 'app://wizard/assets/a%20b.css')).toBe(`${bundle}/assets/a b.css`);
    // A name that merely starts with two dots is an ordinary file inside the bundle.
    expect(rendererFileFor(bundle, 'app://wizard/..hidden')).toBe(`${bundle}/..hidden`);
  });

  it('refuses an encoded climb into a sibling folder whose name starts with the bundle’s', () => {
    expect(rendererFileFor(bundle, 'app://wizard/..%2Frenderer-x/secret.js')).toBeNull();
    expect(rendererFileFor(bundle, 'app://wizard/assets/..%2F..%2Frenderer-x/secret.js')).toBeNull();
    expect(rendererFileFor(bundle, 'app://wizard/..%2F..%2F..%2Fetc%2Fpasswd')).toBeNull();
  });

  it('keeps a leading-slash, absolute or URL-level dot path inside the bundle', () => {
    // The URL parser resolves unencoded and %2E-encoded dot segments against the URL's own root.
    expect(rendererFileFor(bundle, 'app://wizard/%2E%2E/renderer-x/secret.js')).toBe(
      `${bundle}/renderer-x/secret.js`,
    );
    expect(rendererFileFor(bundle, 'app://wizard/assets/..')).toBe(`${bundle}/index.html`);
    expect(rendererFileFor(bundle, 'app://wizard//etc/passwd')).toBe(`${bundle}/etc/passwd`);
    expect(rendererFileFor(bundle, 'app://wizard/%2Fetc%2Fpasswd')).toBe(`${bundle}/etc/passwd`);
  });

  it('refuses the bundle folder itself, NUL bytes, malformed escapes and other origins', () => {
    expect(rendererFileFor(bundle, 'app://wizard/assets/..%2F')).toBeNull();
    expect(rendererFileFor(bundle, 'app://wizard/index.html%00.js')).toBeNull();
    expect(rendererFileFor(bundle, 'app://wizard/%E0%A4%A')).toBeNull();
    expect(rendererFileFor(bundle, 'app://other/index.html')).toBeNull();
    expect(rendererFileFor(bundle, 'file:///opt/mbw/resources/app.asar/out/renderer/index.html')).toBeNull();
    expect(rendererFileFor(bundle, 'not a url')).toBeNull();
  });

  it('compares Windows paths by segment too: backslashes and drive letters', () => {
    const winBundle = 'C:\\Program Files\\MBW\\resources\\app.asar\\out\\renderer';
    expect(rendererFileFor(winBundle, 'app://wizard/assets/x.js', path.win32)).toBe(
      `${winBundle}\\assets\\x.js`,
    );
    expect(rendererFileFor(winBundle, 'app://wizard/..%5Crenderer-x%5Csecret.js', path.win32)).toBeNull();
    expect(rendererFileFor(winBundle, 'app://wizard/D:%5Csecret.txt', path.win32)).toBeNull();
    expect(rendererFileFor(winBundle, 'app://wizard/%5C%5Cserver%5Cshare%5Cx', path.win32)).toBe(
      `${winBundle}\\server\\share\\x`,
    );
  });
});

describe('isInPageNavigation', () => {
  const origins = [APP_ORIGIN, 'http://localhost:5173'];

  it('allows a route change within the same page of our origin', () => {
    expect(isInPageNavigation('app://wizard/index.html#/', 'app://wizard/index.html#/status', origins)).toBe(
      true,
    );
    expect(isInPageNavigation('http://localhost:5173/', 'http://localhost:5173/#/plan', origins)).toBe(true);
  });

  it('refuses leaving the page or the origin', () => {
    expect(isInPageNavigation('app://wizard/index.html', 'https://evil.example/#/x', origins)).toBe(false);
    expect(isInPageNavigation('app://wizard/index.html', 'app://wizard/other.html', origins)).toBe(false);
    expect(isInPageNavigation('app://wizard/index.html', 'app://wizard/index.html?x=1', origins)).toBe(false);
    expect(isInPageNavigation('app://wizard/index.html', 'file:///etc/passwd', origins)).toBe(false);
    expect(isInPageNavigation('app://wizard/index.html', 'app://evil/index.html', origins)).toBe(false);
    expect(isInPageNavigation('https://evil.example/', 'https://evil.example/#x', origins)).toBe(false);
    expect(isInPageNavigation('', 'app://wizard/index.html', origins)).toBe(false);
  });
});

describe('isAllowedRequest', () => {
  it('lets the page reach our origins and the dev server’s websocket only', () => {
    const origins = [APP_ORIGIN, 'http://localhost:5173'];
    expect(isAllowedRequest('app://wizard/assets/x.js', origins)).toBe(true);
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', origins)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/', origins)).toBe(true);
    expect(isAllowedRequest('http://localhost:5174/', origins)).toBe(false);
    expect(isAllowedRequest('https://cdn.example.com/x.js', origins)).toBe(false);
    expect(isAllowedRequest('wss://evil.example/', origins)).toBe(false);
    expect(isAllowedRequest('https://cdn.example.com/x.js', [APP_ORIGIN])).toBe(false);
    expect(isAllowedRequest('::', origins)).toBe(false);
  });
});

describe('isGrantedPermission', () => {
  it('grants the clipboard write to our page and nothing else to anyone', () => {
    expect(isGrantedPermission('clipboard-sanitized-write', 'app://wizard/index.html', [APP_ORIGIN])).toBe(
      true,
    );
    expect(isGrantedPermission('clipboard-sanitized-write', 'https://evil.example/', [APP_ORIGIN])).toBe(
      false,
    );
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'hid',
    ])
      expect(isGrantedPermission(permission, 'app://wizard/index.html', [APP_ORIGIN])).toBe(false);
    expect(isGrantedPermission('clipboard-sanitized-write', '', [APP_ORIGIN])).toBe(false);
  });
});

describe('RENDERER_CSP', () => {
  const directives = (policy: string) =>
    new Map(
      policy
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .filter((words) => words[0])
        .map(([name, ...sources]) => [name!, sources]),
    );

  it('allows scripts from the bundle only: no inline script, no eval', () => {
    const policy = directives(RENDERER_CSP);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|unsafe-hashes|wasm-unsafe-eval|\*|https?:/);
  });

  it('is no looser than the renderer page’s own meta policy', () => {
    const html = readFileSync(new URL('../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta, 'src/renderer/index.html has a CSP meta tag').toBeDefined();
    const page = directives(meta!);
    for (const [name, sources] of directives(RENDERER_CSP)) {
      // The page's connect-src also admits browser mode's websocket; the app needs none.
      if (name === 'connect-src') continue;
      // Browsers ignore frame-ancestors in a meta tag: only the header can say it.
      if (name === 'frame-ancestors') continue;
      expect(sources, name).toEqual(page.get(name));
    }
  });
});
