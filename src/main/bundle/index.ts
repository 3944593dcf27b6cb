// The config bundle: one .zip with everything needed to apply (and undo) the plan by hand, and the
// topology to load it back into the wizard. It never holds a secret.

import { createHash } from 'node:crypto';
import { unzipSync, zipSync, type UnzipFileInfo, type Zippable } from 'fflate';
import { stringify } from 'yaml';
import {
  BGP_PASSWORD_PLACEHOLDER,
  bgpRoot,
  renderRouterLine,
  renderYamlDocuments,
  teardownPlan,
  type KubeObject,
  type Plan,
  type RouterPlan,
} from '../../shared/plan/index.ts';
import { UserError } from '../errors.ts';
import { bundleReadme } from './readme.ts';

export const BUNDLE_APP = 'metallb-bgp-wizard';
/** What stands in for a BGP password in every file; the user types the real one in. */
// One placeholder everywhere: the planner's, so a shown plan and an exported one read the same.
export { BGP_PASSWORD_PLACEHOLDER };
export const MAX_BUNDLE_BYTES = 20 * 1024 * 1024;
export const MAX_BUNDLE_ENTRIES = 100;

export const BUNDLE_FILES = {
  topology: 'topology.yaml',
  readme: 'README.md',
  manifest: 'manifest.json',
  routerCommands: 'router/commands.txt',
  routerApply: 'router/apply.sh',
  routerTeardown: 'router/teardown.txt',
} as const;

export interface BundleInput {
  topologyText: string;
  plan: Plan;
  /** The router's `show configuration commands` output, when known: the teardown is then exact. */
  routerConfigCommands?: string | null;
  appVersion: string;
  createdAt?: Date;
  /** Secrets the caller knows of (e.g. the BGP password): replaced by the placeholder wherever they appear. */
  secrets?: string[];
}

export interface BundleManifest {
  app: string;
  appVersion: string;
  /** ISO 8601. */
  createdAt: string;
  metallbVersion: string;
  dialect: 'edgeos' | 'vyos';
  /** Every other file of the bundle (not manifest.json itself): path → sha256 in hex. */
  files: Record<string, string>;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The user's text as given; JSON (which the topology may be written in) becomes YAML, the bundle's format. */
function topologyYaml(text: string): string {
  if (!text.trimStart().startsWith('{')) return text;
  try {
    return stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** `01-ipaddresspool-default.yaml`: numbered so `kubectl apply -f metallb/` keeps the plan's order. */
function objectFileName(object: KubeObject, index: number): string {
  const number = String(index + 1).padStart(2, '0');
  return `metallb/${number}-${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
}

// Router text: a value after `password` is a secret wherever it appears (quoted or not).
const PASSWORD_VALUE = /(\bpassword\s+)('[^']*'|"[^"]*"|\S+)/g;

function withoutRouterPasswords(text: string): string {
  return text.replace(PASSWORD_VALUE, `$1${BGP_PASSWORD_PLACEHOLDER}`);
}

/** A Secret (a BGPPeer's passwordSecret) keeps its shape, with the placeholder for every value. */
function withoutSecretValues(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret') return object;
  const placeholders = (values: unknown): Record<string, string> =>
    Object.fromEntries(Object.keys(values ?? {}).map((key) => [key, BGP_PASSWORD_PLACEHOLDER]));
  const { data, ...rest } = object;
  return {
    ...rest,
    ...(data === undefined ? {} : { stringData: placeholders(data) }),
    ...(object.stringData === undefined ? {} : { stringData: placeholders(object.stringData) }),
  };
}

/** The `show configuration commands` the router would print holding exactly this plan. */
function configOfPlan(plan: Plan): string {
  return plan.router.lines
    .filter((line) => line.op === 'set')
    .map((line) => renderRouterLine(line))
    .join('\n');
}

function teardownText(teardown: RouterPlan): string {
  if (teardown.lines.length === 0)
    return '# Nothing to remove: the router holds no BGP neighbor marked mbw-.\n';
  return `${teardown.commands.join('\n')}\n`;
}

/** Per-neighbor deletes, for a router that also runs BGP sessions the wizard did not add. */
function neighborDeletes(plan: Plan): string[] {
  const root = bgpRoot(plan.topology.router.dialect, plan.topology.router.asn);
  return plan.topology.cluster.nodes.map((node) =>
    renderRouterLine({ op: 'delete', path: [...root, 'neighbor', node.address] }),
  );
}

function scrubbed(text: string, secrets: string[]): string {
  return secrets.filter((s) => s !== '').reduce((t, s) => t.split(s).join(BGP_PASSWORD_PLACEHOLDER), text);
}

/** Every file of the bundle except manifest.json, as text, in the order they are zipped. */
function bundleTexts(input: BundleInput): [string, string][] {
  const { plan } = input;
  const objects = plan.metallb.objects.map(withoutSecretValues);
  const teardownKnown = typeof input.routerConfigCommands === 'string';
  const teardown = teardownPlan(
    plan.topology,
    teardownKnown ? (input.routerConfigCommands as string) : configOfPlan(plan),
  );
  const objectFiles = objects.map((object, index): [string, string] => [
    objectFileName(object, index),
    renderYamlDocuments([object]),
  ]);
  const readme = bundleReadme({
    plan,
    appVersion: input.appVersion,
    objectFiles: objectFiles.map(([path]) => path),
    teardownKnown,
    neighborDeletes: neighborDeletes(plan),
  });
  return [
    [BUNDLE_FILES.topology, topologyYaml(input.topologyText)],
    [BUNDLE_FILES.readme, readme],
    ...objectFiles,
    [BUNDLE_FILES.routerCommands, withoutRouterPasswords(`${plan.router.commands.join('\n')}\n`)],
    [BUNDLE_FILES.routerApply, withoutRouterPasswords(plan.router.handScript)],
    [BUNDLE_FILES.routerTeardown, withoutRouterPasswords(teardownText(teardown))],
  ];
}

/** The bundle as .zip bytes. Same input and createdAt give the same bytes. */
export function bundleOf(input: BundleInput): Uint8Array {
  const createdAt = input.createdAt ?? new Date();
  const encoder = new TextEncoder();
  const secrets = input.secrets ?? [];
  const files = bundleTexts(input).map(([path, text]): [string, Uint8Array] => [
    path,
    encoder.encode(scrubbed(text, secrets)),
  ]);
  const manifest: BundleManifest = {
    app: BUNDLE_APP,
    appVersion: input.appVersion,
    createdAt: createdAt.toISOString(),
    metallbVersion: input.plan.metallb.version,
    dialect: input.plan.router.dialect,
    files: Object.fromEntries(files.map(([path, bytes]) => [path, sha256Hex(bytes)])),
  };
  const entries: Zippable = {};
  for (const [path, bytes] of files) {
    // Unix mode bits, so unzip leaves apply.sh executable.
    const mode = path === BUNDLE_FILES.routerApply ? 0o100755 : 0o100644;
    entries[path] = [bytes, { os: 3, attrs: mode * 0x10000 }];
  }
  entries[BUNDLE_FILES.manifest] = encoder.encode(`${JSON.stringify(manifest, null, 2)}\n`);
  return zipSync(entries, { level: 6, mtime: createdAt });
}

// ---------------------------------------------------------------------------------------------
// Import

const CHOOSE_EXPORT = 'choose a .zip exported by MetalLB BGP Wizard, or open a topology.yaml file directly';

function invalid(fileName: string, problem: string): UserError {
  return new UserError(`${fileName}: ${problem}`, { kind: 'invalid', path: fileName });
}

/** Zip-slip and friends: only relative, forward-slash paths with no `..`, drive letter or control character. */
function unsafeEntryName(name: string): boolean {
  return (
    name === '' ||
    name.startsWith('/') ||
    name.includes('\\') ||
    /^[A-Za-z]:/.test(name) ||
    /\p{Cc}/u.test(name) ||
    name.split('/').some((segment) => segment === '..')
  );
}

function shownName(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 77)}...` : name);
}

function unzippedEntries(bytes: Uint8Array, fileName: string): Record<string, Uint8Array> {
  const seen = new Set<string>();
  let total = 0;
  const admit = (file: UnzipFileInfo): boolean => {
    if (seen.size >= MAX_BUNDLE_ENTRIES) {
      throw invalid(fileName, `holds more than ${MAX_BUNDLE_ENTRIES} entries; ${CHOOSE_EXPORT}`);
    }
    if (unsafeEntryName(file.name)) {
      throw invalid(
        fileName,
        `entry ${shownName(file.name)} points outside the bundle (absolute path or ..); the file is refused: ${CHOOSE_EXPORT}`,
      );
    }
    if (seen.has(file.name)) throw invalid(fileName, `holds ${shownName(file.name)} twice; ${CHOOSE_EXPORT}`);
    seen.add(file.name);
    total += file.originalSize;
    if (total > MAX_BUNDLE_BYTES) {
      throw invalid(fileName, `unpacks to more than ${MAX_BUNDLE_BYTES / 1024 / 1024} MB; ${CHOOSE_EXPORT}`);
    }
    return !file.name.endsWith('/');
  };
  try {
    return unzipSync(bytes, { filter: admit });
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw invalid(fileName, `is not a readable .zip file (${(error as Error).message}); ${CHOOSE_EXPORT}`);
  }
}

function manifestOf(entries: Record<string, Uint8Array>, fileName: string): BundleManifest {
  const bytes = entries[BUNDLE_FILES.manifest];
  if (bytes === undefined) {
    throw invalid(
      fileName,
      `has no ${BUNDLE_FILES.manifest}, so it is not a bundle this app exported; ${CHOOSE_EXPORT}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw invalid(fileName, `${BUNDLE_FILES.manifest} is not valid JSON; ${CHOOSE_EXPORT}`);
  }
  const m = parsed as Partial<BundleManifest> | null;
  const filesOk =
    typeof m?.files === 'object' &&
    m.files !== null &&
    Object.values(m.files).every((v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v));
  if (m === null || typeof m !== 'object' || m.app !== BUNDLE_APP || !filesOk) {
    throw invalid(
      fileName,
      `${BUNDLE_FILES.manifest} is not a MetalLB BGP Wizard manifest (app "${BUNDLE_APP}" and a files map of sha256 sums); ${CHOOSE_EXPORT}`,
    );
  }
  return m as BundleManifest;
}

function checkSums(entries: Record<string, Uint8Array>, manifest: BundleManifest, fileName: string): void {
  for (const [path, expected] of Object.entries(manifest.files)) {
    const bytes = entries[path];
    if (bytes === undefined) {
      throw invalid(
        fileName,
        `${path} is listed in ${BUNDLE_FILES.manifest} but missing from the zip; export the bundle again`,
      );
    }
    if (sha256Hex(bytes) !== expected) {
      throw invalid(
        fileName,
        `${path} does not match its sha256 in ${BUNDLE_FILES.manifest} (it was changed after export); ` +
          'export the bundle again, or open an edited topology.yaml directly instead of the .zip',
      );
    }
  }
}

/** Reads a bundle back: validated (size, entries, paths, checksums), then its topology text. */
export function topologyFromBundle(
  bytes: Uint8Array,
  fileName: string,
): { topologyText: string; manifest: BundleManifest } {
  if (bytes.length > MAX_BUNDLE_BYTES) {
    const mb = (bytes.length / 1024 / 1024).toFixed(1);
    throw invalid(
      fileName,
      `is ${mb} MB, more than a bundle can be (limit ${MAX_BUNDLE_BYTES / 1024 / 1024} MB); ${CHOOSE_EXPORT}`,
    );
  }
  if (bytes.length < 22)
    throw invalid(fileName, `is not a .zip file (${bytes.length} bytes); ${CHOOSE_EXPORT}`);
  const entries = unzippedEntries(bytes, fileName);
  const manifest = manifestOf(entries, fileName);
  const topology = entries[BUNDLE_FILES.topology];
  if (topology === undefined) {
    throw invalid(fileName, `has no ${BUNDLE_FILES.topology}; ${CHOOSE_EXPORT}`);
  }
  if (!(BUNDLE_FILES.topology in manifest.files)) {
    throw invalid(
      fileName,
      `${BUNDLE_FILES.topology} is not listed in ${BUNDLE_FILES.manifest}; export the bundle again`,
    );
  }
  checkSums(entries, manifest, fileName);
  let topologyText: string;
  try {
    topologyText = new TextDecoder('utf-8', { fatal: true }).decode(topology);
  } catch {
    throw invalid(fileName, `${BUNDLE_FILES.topology} is not UTF-8 text; export the bundle again`);
  }
  return { topologyText, manifest };
}
