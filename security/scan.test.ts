// The scan CI runs (security/scan.ts), fed the real build, patched copies of it and the fixtures.
// The build comes from `npm run build` (npm test builds before it runs the tests).

import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NEVER_ALLOWED,
  PROJECT_ROOT,
  installedElectronVersion,
  loadAllowList,
  parseAllowList,
  scanTarget,
} from './scan.ts';
import type { AllowEntry } from './scan.ts';

const OUT = join(PROJECT_ROOT, 'out');
const fixtures = join(import.meta.dirname, 'fixtures');
let work: string;
let allow: AllowEntry[];
let electron: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mbw-scan-test-'));
  allow = loadAllowList();
  electron = installedElectronVersion();
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A private copy of the build (other builds may rewrite out/ meanwhile); `parts` limits what is copied. */
function copyOfBuild(name: string, parts: string[] = ['.']): string {
  expect(existsSync(join(OUT, 'main', 'index.js')), 'out/ holds the build: run `npm run build` first').toBe(
    true,
  );
  const copy = join(work, name);
  for (const part of parts) {
    mkdirSync(join(copy, part, '..'), { recursive: true });
    cpSync(join(OUT, part), join(copy, part), { recursive: true });
  }
  return copy;
}

/** The main process's page and code without the renderer's library bundles: what the patches touch. */
const MAIN_AND_PAGE = ['main', 'preload', 'renderer/index.html'];

function patch(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  const patched = text.replace(from, to);
  expect(patched, `${file} contains ${String(from)} to patch`).not.toBe(text);
  writeFileSync(file, patched);
}

describe('the allow-list', () => {
  const entry = (fields: Record<string, unknown>) => JSON.stringify([fields]);
  const reason = 'a reason long enough to explain itself';

  it('refuses every rule about the settings that are only ever fixed', () => {
    for (const rule of [
      'NODE_INTEGRATION_JS_CHECK',
      'CONTEXT_ISOLATION_JS_CHECK',
      'SANDBOX_JS_CHECK',
      'WEB_SECURITY_HTML_CHECK',
      'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      'CUSTOM_ARGUMENTS_JSON_CHECK',
      'PROTOCOL_HANDLERS_JS_CHECK',
    ])
      expect(() => parseAllowList(entry({ rule, reason }), 'allow.json')).toThrow(
        new RegExp(`allow\\.json: entry 1 \\(${rule}\\): rules about [A-Z_]+ are never allow-listed`),
      );
    expect(NEVER_ALLOWED).toHaveLength(16);
  });

  it('refuses short reasons, unknown fields, bad levels and duplicates', () => {
    expect(() => parseAllowList(entry({ rule: 'PRELOAD_JS_CHECK', reason: 'reviewed' }), 'a.json')).toThrow(
      'a.json: entry 1 (PRELOAD_JS_CHECK): "reason" must say why in at least 20 characters',
    );
    expect(() =>
      parseAllowList(entry({ rule: 'PRELOAD_JS_CHECK', reason, until: 'never' }), 'a.json'),
    ).toThrow('a.json: entry 1: unknown field until');
    expect(() =>
      parseAllowList(entry({ rule: 'PRELOAD_JS_CHECK', reason, level: 'error' }), 'a.json'),
    ).toThrow('"level" must be "note"');
    const twice = JSON.stringify([
      { rule: 'PRELOAD_JS_CHECK', reason },
      { rule: 'PRELOAD_JS_CHECK', reason },
    ]);
    expect(() => parseAllowList(twice, 'a.json')).toThrow('a.json: entry 2 (PRELOAD_JS_CHECK): listed twice');
    expect(() => parseAllowList('{}', 'a.json')).toThrow('a.json: expected an array');
    expect(() => parseAllowList('[', 'a.json')).toThrow('a.json: not valid JSON');
  });

  it('is short and gives a reason for each entry; entries accept review notes unless they say otherwise', () => {
    expect(allow.map((entry) => entry.rule).sort()).toEqual(['CSP_GLOBAL_CHECK', 'PRELOAD_JS_CHECK']);
    expect(allow.every((entry) => entry.level === 'note')).toBe(true);
    expect(parseAllowList(entry({ rule: 'PRELOAD_JS_CHECK', reason }), 'a.json')).toEqual([
      { rule: 'PRELOAD_JS_CHECK', reason, level: 'note' },
    ]);
  });
});

describe('the scan', () => {
  it('passes on the real build, every file of it read', async () => {
    const copy = copyOfBuild('build');
    const report = await scanTarget(copy, allow, electron);
    expect(report.problems).toEqual([]);
    const label = Object.keys(report.scanned)[0]!;
    const codeFiles = readdirSync(copy, { recursive: true, encoding: 'utf8' }).filter((file) =>
      ['.js', '.cjs', '.mjs', '.html'].includes(extname(file)),
    );
    expect(codeFiles).toContain(join('preload', 'index.cjs'));
    expect(report.scanned[label]).toBe(codeFiles.length);
    // The built main was read: its windows' preload is the one finding the allow-list accepts there.
    const preloadFindings = report.findings.filter((finding) => finding.rule === 'PRELOAD_JS_CHECK');
    expect(preloadFindings.map((finding) => finding.file)).toEqual([
      `${label}/main/index.js`,
      `${label}/main/index.js`,
    ]);
  });

  it('passes on the source', async () => {
    const report = await scanTarget(join(PROJECT_ROOT, 'src'), allow, electron);
    expect(report.problems).toEqual([]);
    expect(report.scanned['src']).toBeGreaterThan(50);
  });

  it('catches the built main patched to turn nodeIntegration on (sandbox still on)', async () => {
    const copy = copyOfBuild('node-integration', MAIN_AND_PAGE);
    patch(join(copy, 'main', 'index.js'), /nodeIntegration: false/g, 'nodeIntegration: true');
    const report = await scanTarget(copy, allow, electron);
    // electronegativity forgives nodeIntegration under a sandbox; the window check does not.
    expect(report.problems.length).toBeGreaterThanOrEqual(2);
    for (const problem of report.problems)
      expect(problem).toMatch(
        /\/main\/index\.js:\d+: new BrowserWindow\(…\): webPreferences must say `nodeIntegration: false` literally/,
      );
  });

  it('catches the built page with its CSP removed', async () => {
    const copy = copyOfBuild('no-csp', MAIN_AND_PAGE);
    patch(join(copy, 'renderer', 'index.html'), /<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, '');
    const report = await scanTarget(copy, allow, electron);
    expect(report.problems).toEqual([
      expect.stringMatching(/^CSP_GLOBAL_CHECK at .* \(whole app\):1 \[warning\]: No CSP has been detected/),
    ]);
  });

  it('fails on a window with nodeIntegration on', async () => {
    const report = await scanTarget(join(fixtures, 'node-integration'), allow, electron);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        'NODE_INTEGRATION_JS_CHECK at security/fixtures/node-integration/main.js:8 [warning]: Disable nodeIntegration for untrusted origins',
        'security/fixtures/node-integration/main.js:8: new BrowserWindow(…): webPreferences must say `nodeIntegration: false` literally (mbw/hardened-web-preferences)',
      ]),
    );
  });

  it('fails on a CSP with unsafe script sources, although the CSP rule has an allow entry', async () => {
    const report = await scanTarget(join(fixtures, 'unsafe-csp'), allow, electron);
    expect(report.problems).toEqual([
      'CSP_GLOBAL_CHECK at security/fixtures/unsafe-csp/index.html:5 [warning]: One or more CSP directives detected are vulnerable',
    ]);
  });

  it('fails on a file it cannot parse instead of skipping it', async () => {
    const app = join(work, 'unparsable');
    cpSync(join(fixtures, 'unsafe-csp'), app, { recursive: true });
    patch(join(app, 'index.html'), /'unsafe-inline' 'unsafe-eval'/, '');
    writeFileSync(join(app, 'broken.js'), 'export const = ;\n');
    const report = await scanTarget(app, allow, electron);
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /\/unparsable\/broken\.js: electronegativity could not parse it, so it was not scanned: /,
      ),
    );
  });

  it('fails on a finding silenced by an inline eng-disable comment', async () => {
    const app = join(work, 'silenced');
    cpSync(join(fixtures, 'node-integration'), app, { recursive: true });
    patch(
      join(app, 'main.js'),
      'nodeIntegration: true,',
      'nodeIntegration: true, // eng-disable NODE_INTEGRATION_JS_CHECK',
    );
    const report = await scanTarget(app, allow, electron);
    expect(report.problems).toContainEqual(
      expect.stringMatching(
        /\/silenced\/main\.js: an eng-disable comment silences electronegativity; remove it/,
      ),
    );
  });

  it('says what to do when there is no build', async () => {
    const report = await scanTarget(join(work, 'missing'), allow, electron);
    expect(report.problems).toEqual([expect.stringMatching(/missing: no such folder/)]);
  });
});
