// The Electron security scan CI runs: electronegativity over the built app (out/) and the source
// (src/), told the Electron version, its SARIF report gated by security/electronegativity-allow.json;
// plus our own window check (every BrowserWindow states its hardening literally), which catches what
// electronegativity forgives (it accepts nodeIntegration: true when sandbox is on).
//
//   node security/scan.ts [DIR ...]      default: out src; exits 1 on any problem
//
// A file the tool cannot parse is a failure, never a silent skip: the files its loader lists are
// compared with the files on disk, and its parse errors are read from its programmatic result.

import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import mbw from './eslint-plugin.js';

const run = promisify(execFile);
const here = import.meta.dirname;
export const PROJECT_ROOT = resolve(here, '..');
export const DEFAULT_ALLOW_FILE = join(here, 'electronegativity-allow.json');
const RUNNER = join(here, 'electronegativity-run.ts');

/** Findings about these are fixed, never accepted: the allow-list refuses an entry naming one. */
export const NEVER_ALLOWED = [
  'NODE_INTEGRATION',
  'CONTEXT_ISOLATION',
  'SANDBOX',
  'WEB_SECURITY',
  'INSECURE_CONTENT',
  'ALLOWPOPUPS',
  'OPEN_EXTERNAL',
  'PERMISSION_REQUEST',
  'EXPERIMENTAL_FEATURES',
  'BLINK_FEATURES',
  'DANGEROUS_FUNCTIONS',
  'HTTP_RESOURCES',
  'PROTOCOL_HANDLER',
  'CERTIFICATE_ERROR',
  'CERTIFICATE_VERIFY',
  'CUSTOM_ARGUMENTS',
];

const MIN_REASON_LENGTH = 20;

// Extensions the tool reads, and what it calls the ones it silently skips (.cjs/.mjs/.cts/.mts).
const SCANNED_EXTENSIONS = ['.js', '.jsx', '.ts', '.tsx', '.html', '.htm'];
const STAGED_AS: Record<string, string> = { '.cjs': '.js', '.mjs': '.js', '.cts': '.ts', '.mts': '.ts' };
const CODE_EXTENSIONS = [...SCANNED_EXTENSIONS, ...Object.keys(STAGED_AS)];

/**
 * One accepted kind of finding. `level` says how far it reaches: "note" (the default) accepts only
 * the findings the tool itself marks for manual review; "warning" accepts its definite findings too.
 */
export interface AllowEntry {
  rule: string;
  reason: string;
  level: 'note' | 'warning';
}

/** One electronegativity result, its file relative to the scanned folder ("(whole app)" for global ones). */
export interface Finding {
  rule: string;
  level: string;
  file: string;
  line: number;
  message: string;
}

export interface ScanReport {
  /** Every reason the scan fails: unaccepted findings, unparsed files, window check errors. */
  problems: string[];
  /** What the scan did that a reader should know, e.g. a file read with the TypeScript parser. */
  notes: string[];
  findings: Finding[];
  /** Files scanned per target folder. */
  scanned: Record<string, number>;
}

export interface ScanOptions {
  targets: string[];
  allow: AllowEntry[];
  electronVersion: string;
}

/** The allow-list as typed entries, or an error naming the file, the entry and what to change. */
export function parseAllowList(text: string, source: string): AllowEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (!Array.isArray(data)) throw new Error(`${source}: expected an array of {"rule", "reason"} entries`);
  const seen = new Set<string>();
  return data.map((entry: unknown, index) => {
    const where = `${source}: entry ${index + 1}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new Error(`${where}: expected an object {"rule": "RULE_ID", "reason": "…"}`);
    const { rule, reason, level = 'note', ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length)
      throw new Error(`${where}: unknown field ${unknown.join(', ')} (allowed: rule, reason, level)`);
    if (typeof rule !== 'string' || !/^[A-Z0-9_]+$/.test(rule))
      throw new Error(`${where}: "rule" must be an electronegativity rule id such as PRELOAD_JS_CHECK`);
    const banned = NEVER_ALLOWED.find((word) => rule.includes(word));
    if (banned)
      throw new Error(
        `${where} (${rule}): rules about ${banned} are never allow-listed; fix the finding instead`,
      );
    if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH)
      throw new Error(
        `${where} (${rule}): "reason" must say why in at least ${MIN_REASON_LENGTH} characters`,
      );
    if (level !== 'note' && level !== 'warning')
      throw new Error(
        `${where} (${rule}): "level" must be "note" (manual-review findings only) or "warning"`,
      );
    if (seen.has(rule)) throw new Error(`${where} (${rule}): listed twice`);
    seen.add(rule);
    return { rule, reason: reason.trim(), level };
  });
}

export function loadAllowList(file = DEFAULT_ALLOW_FILE): AllowEntry[] {
  return parseAllowList(readFileSync(file, 'utf8'), relative(PROJECT_ROOT, file) || file);
}

/** The Electron the app ships with; the tool cannot tell from out/, which has no package.json. */
export function installedElectronVersion(): string {
  const require = createRequire(join(PROJECT_ROOT, 'package.json'));
  return (require('electron/package.json') as { version: string }).version;
}

function isAccepted(finding: Finding, allow: AllowEntry[]): boolean {
  return allow.some(
    (entry) => entry.rule === finding.rule && (entry.level === 'warning' || finding.level === 'note'),
  );
}

/** Code files under `dir`, relative, with forward slashes. */
function codeFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && CODE_EXTENSIONS.includes(extname(entry.name).toLowerCase()))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** The name a file gets in the staging copy so that the tool reads it. */
function stagedName(file: string): string {
  const ext = extname(file);
  const target = STAGED_AS[ext];
  return target ? file.slice(0, -ext.length) + target : file;
}

interface ToolRun {
  /** Staged name → original name. */
  names: Map<string, string>;
  listed: string[];
  errors: { file: string; message: string }[];
  /** Files the runner gave to the tool's TypeScript parser, with the JavaScript parser's complaint. */
  fallbacks: { file: string; message: string }[];
  sarif: { runs: { results: SarifResult[] }[] };
}

interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine?: number } } }[];
}

interface RunnerResult {
  files: string[];
  errors: { file: string; message: string }[];
  fallbacks: { from: string; to: string; message: string }[];
}

/** Copies the files to a fresh folder under their staged names and runs the tool on it. */
async function runTool(dir: string, files: string[], electronVersion: string): Promise<ToolRun> {
  const work = mkdtempSync(join(tmpdir(), 'mbw-scan-'));
  try {
    const stage = join(work, 'app');
    const names = new Map<string, string>();
    for (const file of files) {
      const staged = stagedName(file);
      names.set(staged, file);
      mkdirSync(dirname(join(stage, staged)), { recursive: true });
      cpSync(join(dir, file), join(stage, staged));
    }
    const sarifFile = join(work, 'report.sarif');
    const resultFile = join(work, 'result.json');
    try {
      await run(process.execPath, [RUNNER, stage, sarifFile, electronVersion, resultFile], {
        cwd: PROJECT_ROOT,
        maxBuffer: 16 * 1024 * 1024,
        timeout: 5 * 60_000,
      });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`electronegativity failed on ${dir}: ${(stderr || stdout || String(error)).trim()}`, {
        cause: error,
      });
    }
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as RunnerResult;
    const toRelative = (file: string) => relative(stage, file).split(sep).join('/');
    const original = (file: string) => names.get(file) ?? file;
    for (const fallback of result.fallbacks) {
      names.set(toRelative(fallback.to), original(toRelative(fallback.from)));
      names.delete(toRelative(fallback.from));
    }
    return {
      names,
      listed: result.files.map(toRelative),
      errors: result.errors.map((error) => ({
        message: error.message,
        file: original(toRelative(error.file)),
      })),
      fallbacks: result.fallbacks.map((fallback) => ({
        message: fallback.message,
        file: original(toRelative(fallback.to)),
      })),
      sarif: JSON.parse(readFileSync(sarifFile, 'utf8')),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function findingsOf(tool: ToolRun): Finding[] {
  return tool.sarif.runs.flatMap((sarifRun) =>
    sarifRun.results.map((result) => {
      const location = result.locations?.[0]?.physicalLocation;
      const uri = location?.artifactLocation.uri ?? 'file:///';
      return {
        rule: result.ruleId,
        level: result.level,
        file: uri === 'file:///' ? '(whole app)' : (tool.names.get(uri) ?? uri),
        line: location?.region?.startLine ?? 1,
        message: result.message.text.trim(),
      };
    }),
  );
}

/** Our window rule over every code file of `dir`: the check ESLint applies to src/, applied to any tree. */
async function windowCheckProblems(dir: string, label: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.{js,mjs,jsx}'], languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
      { files: ['**/*.cjs'], languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' } },
      { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tseslint.parser } },
      {
        files: ['**/*.{js,mjs,cjs,jsx,ts,tsx,mts,cts}'],
        plugins: { mbw },
        rules: { 'mbw/hardened-web-preferences': 'error' },
      },
    ],
    errorOnUnmatchedPattern: false,
    // A disable comment in the scanned code must not switch the check off.
    allowInlineConfig: false,
  });
  const results = await eslint.lintFiles(['**/*.{js,mjs,cjs,jsx,ts,tsx,mts,cts}']);
  return results.flatMap((result) =>
    result.messages
      .filter((message) => message.fatal || message.ruleId === 'mbw/hardened-web-preferences')
      .map((message) => {
        const file = `${label}/${relative(dir, result.filePath).split(sep).join('/')}`;
        return message.fatal
          ? `window check could not parse ${file}:${message.line}: ${message.message}`
          : `${file}:${message.line}: ${message.message} (${message.ruleId})`;
      }),
  );
}

/** Scans one folder: electronegativity (with the parser fallback) and the window check. */
export async function scanTarget(
  target: string,
  allow: AllowEntry[],
  electronVersion: string,
): Promise<ScanReport> {
  const dir = resolve(target);
  const inProject = relative(PROJECT_ROOT, dir);
  const label = inProject && !inProject.startsWith('..') ? inProject.split(sep).join('/') : dir;
  const report: ScanReport = { problems: [], notes: [], findings: [], scanned: {} };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    report.problems.push(`${label}: no such folder${label === 'out' ? ' (run `npm run build` first)' : ''}`);
    return report;
  }
  const files = codeFiles(dir);
  if (files.length === 0) {
    report.problems.push(`${label}: no JavaScript, TypeScript or HTML files to scan`);
    return report;
  }

  // The tool drops findings silenced by an `eng-disable` comment in the scanned code; only the
  // allow-list, with its reasons, may accept a finding.
  for (const file of files)
    if (readFileSync(join(dir, file), 'utf8').includes('eng-disable'))
      report.problems.push(
        `${label}/${file}: an eng-disable comment silences electronegativity; remove it (an unfixable finding goes into security/electronegativity-allow.json with its reason)`,
      );

  const tool = await runTool(dir, files, electronVersion);
  // The tool's JavaScript path runs an old scope analyser that rejects newer syntax (private class
  // fields) and would skip the file; the runner hands such files to its TypeScript parser instead.
  for (const fallback of tool.fallbacks)
    report.notes.push(
      `${label}/${fallback.file}: read with the TypeScript parser (the JavaScript parser said: ${fallback.message})`,
    );
  for (const error of tool.errors)
    report.problems.push(
      `${label}/${error.file}: electronegativity could not parse it, so it was not scanned: ${error.message}`,
    );
  const listed = new Set(tool.listed);
  for (const [staged, original] of tool.names)
    if (!listed.has(staged))
      report.problems.push(`${label}/${original}: electronegativity skipped it (not listed by its loader)`);
  report.scanned[label] = listed.size;

  for (const finding of findingsOf(tool)) {
    const located = {
      ...finding,
      file: finding.file === '(whole app)' ? `${label} (whole app)` : `${label}/${finding.file}`,
    };
    report.findings.push(located);
    if (!isAccepted(located, allow))
      report.problems.push(
        `${located.rule} at ${located.file}:${located.line} [${located.level}]: ${located.message}`,
      );
  }
  report.problems.push(...(await windowCheckProblems(dir, label)));
  return report;
}

export async function scan(options: ScanOptions): Promise<ScanReport> {
  const total: ScanReport = { problems: [], notes: [], findings: [], scanned: {} };
  for (const target of options.targets) {
    const report = await scanTarget(target, options.allow, options.electronVersion);
    total.problems.push(...report.problems);
    total.notes.push(...report.notes);
    total.findings.push(...report.findings);
    Object.assign(total.scanned, report.scanned);
  }
  return total;
}

async function main(args: string[]): Promise<number> {
  const targets = args.length > 0 ? args : ['out', 'src'].map((name) => join(PROJECT_ROOT, name));
  let allow: AllowEntry[];
  try {
    allow = loadAllowList();
  } catch (error) {
    console.error(`security scan: ${(error as Error).message}`);
    return 1;
  }
  const electronVersion = installedElectronVersion();
  const report = await scan({ targets, allow, electronVersion });
  for (const note of report.notes) console.log(`security scan: note: ${note}`);
  const accepted = report.findings.filter((finding) => isAccepted(finding, allow));
  for (const finding of accepted)
    console.log(`security scan: allow-listed ${finding.rule} at ${finding.file}:${finding.line}`);
  const unused = allow.filter((entry) => !report.findings.some((finding) => finding.rule === entry.rule));
  for (const entry of unused)
    console.log(`security scan: note: allow-list entry ${entry.rule} matched nothing; remove it`);
  const scanned = Object.entries(report.scanned).map(([label, count]) => `${label} (${count} files)`);
  if (report.problems.length > 0) {
    for (const problem of report.problems) console.error(`security scan: FAIL: ${problem}`);
    console.error(
      `security scan: ${report.problems.length} problem(s) with Electron ${electronVersion}. Fix them; only a finding that cannot be fixed goes into security/electronegativity-allow.json, with its reason.`,
    );
    return 1;
  }
  console.log(`security scan: ok for Electron ${electronVersion}: ${scanned.join(', ')}`);
  return 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
