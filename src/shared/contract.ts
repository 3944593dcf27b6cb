// The typed IPC contract: every capability main offers the renderer (and, through the same
// handlers, the CLI and the browser bridge). Requests are validated at runtime in main with these
// schemas before use; the renderer only ever sees the response types. Secrets travel one way: in,
// with `router.connect`; no response ever carries one back.

import { z } from 'zod';
import type { PlanReport, ParsedOutput } from './report.ts';
import { OUTPUT_KINDS } from './report.ts';
import type { ProgressEvent } from './progress.ts';
import type { PreviewLine } from './plan/index.ts';
import type { StatusReport, TestReport } from './diagnose/index.ts';

/** Router output pasted by a user can be long, but not unbounded. */
const MAX_PASTED_OUTPUT = 5_000_000;
const MAX_TOPOLOGY = 1_000_000;
const MAX_PATH = 4096;
/** A bundle is a small zip; the import refuses anything larger than this (base64 of 20 MB). */
const MAX_BUNDLE_BASE64 = 28_000_000;

const topologyInput = z
  .object({ text: z.string().max(MAX_TOPOLOGY), fileName: z.string().min(1).max(MAX_PATH) })
  .strict();

const kubeSelection = z
  .object({
    kubeconfig: z.string().min(1).max(MAX_PATH).optional(),
    context: z.string().min(1).max(253).optional(),
  })
  .strict();

export const routerTargetSchema = z
  .object({
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65535),
    username: z.string().min(1).max(64),
  })
  .strict();

const routerAuthInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('password'), password: z.string().min(1).max(1024) }).strict(),
  z
    .object({
      kind: z.literal('key'),
      keyFile: z.string().min(1).max(MAX_PATH),
      passphrase: z.string().min(1).max(1024).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('agent') }).strict(),
  /** Use what the secret store holds for this target (a remembered password). */
  z.object({ kind: z.literal('stored') }).strict(),
]);

const operationId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'an operation id is 1-64 letters, digits, _ or -');

/** Long operations name themselves so that their progress can be followed and cancelled. */
const longOperation = { operationId: operationId.optional() };

const testTarget = z.union([
  z
    .object({
      service: z.object({ namespace: z.string().min(1).max(63), name: z.string().min(1).max(253) }).strict(),
    })
    .strict(),
  z.object({ ip: z.string().min(7).max(15) }).strict(),
]);

export const requestSchemas = {
  'app.info': z.object({}).strict(),
  /** What the shell was started with (the demo's lab): pre-fills the wizard; secrets only as "held". */
  'app.preset': z.object({}).strict(),
  /** Opens the live status window (Electron); elsewhere the renderer opens the #/status route itself. */
  'window.openStatus': z.object({}).strict(),
  /** A redacted diagnostics file for a bug report: versions, probe, parsed status, log; no secrets. */
  'app.diagnostics': z
    .object({ topology: topologyInput.optional(), kube: kubeSelection.optional() })
    .strict(),
  'plan.build': z.object({ topology: topologyInput }).strict(),
  'parse.output': z.object({ kind: z.enum(OUTPUT_KINDS), text: z.string().max(MAX_PASTED_OUTPUT) }).strict(),
  'cluster.contexts': kubeSelection,
  'cluster.probe': z.object({ kube: kubeSelection }).strict(),
  'router.connect': z
    .object({
      target: routerTargetSchema,
      auth: routerAuthInput,
      /** Keep the password/passphrase in the OS keychain (only where safeStorage is available). */
      remember: z.boolean().default(false),
      /** The fingerprint the user confirmed on screen (first contact). */
      acceptHostKey: z.string().max(100).optional(),
      /** The only key accepted (`--router-host-key`); pinned once it matches. */
      expectHostKey: z.string().max(100).optional(),
    })
    .strict(),
  'router.forgetHostKey': z.object({ target: routerTargetSchema }).strict(),
  /** The BGP (MD5) session password for a topology with router.bgpPassword; checked against the allow-list in main. */
  'bgp.setPassword': z
    .object({
      target: routerTargetSchema,
      password: z.string().min(1).max(200),
      remember: z.boolean().default(false),
    })
    .strict(),
  'apply.preview': z.object({ topology: topologyInput, kube: kubeSelection }).strict(),
  'apply.run': z
    .object({
      topology: topologyInput,
      kube: kubeSelection,
      dryRun: z.boolean().default(false),
      /** Install from this local file or URL instead of the bundled manifest. */
      manifest: z
        .object({
          source: z.string().min(1).max(MAX_PATH),
          /** The hash the user confirmed, for a manifest that is not a pinned release. */
          sha256: z
            .string()
            .regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hex digits')
            .optional(),
        })
        .strict()
        .optional(),
      ...longOperation,
    })
    .strict(),
  'teardown.preview': z.object({ topology: topologyInput, kube: kubeSelection }).strict(),
  'teardown.run': z
    .object({
      topology: topologyInput,
      kube: kubeSelection,
      uninstall: z.boolean().default(false),
      dryRun: z.boolean().default(false),
      ...longOperation,
    })
    .strict(),
  'status.read': z.object({ topology: topologyInput, kube: kubeSelection }).strict(),
  'status.watch': z
    .object({
      topology: topologyInput,
      kube: kubeSelection,
      intervalMs: z.number().int().min(50).max(600_000).default(2000),
      ...longOperation,
    })
    .strict(),
  'test.run': z
    .object({
      topology: topologyInput,
      kube: kubeSelection,
      target: testTarget,
      count: z.number().int().min(1).max(50).default(10),
      ...longOperation,
    })
    .strict(),
  'echo.deploy': z.object({ kube: kubeSelection, ...longOperation }).strict(),
  'echo.remove': z.object({ kube: kubeSelection, ...longOperation }).strict(),
  'bundle.export': z.object({ topology: topologyInput }).strict(),
  'bundle.import': z
    .object({ base64: z.string().max(MAX_BUNDLE_BASE64), fileName: z.string().min(1).max(MAX_PATH) })
    .strict(),
  'operation.cancel': z.object({ operationId }).strict(),
} as const;

export interface AppInfo {
  version: string;
  shell: 'electron' | 'browser' | 'cli';
  dataDir: string;
  /** False where the OS keychain is unavailable: passwords are then asked for every time. */
  secretsPersistent: boolean;
  secretsNote: string | null;
}

/** A starting point handed to the app (the demo lab); never carries a secret, only that one is held. */
export interface AppPreset {
  topology: { text: string; fileName: string } | null;
  kubeconfig: string | null;
  router: {
    host: string;
    port: number;
    username: string;
    /** Main holds the router password: connect with auth {kind: 'stored'}. */
    passwordHeld: boolean;
    /** The fingerprint the lab printed, to compare with what the router offers. */
    hostKey: string | null;
  } | null;
  /** Where this preset came from, shown to the user ("the built-in demo lab"). */
  source: string;
}

export interface KubeContexts {
  files: string[];
  contexts: { name: string; cluster: string; user: string; server: string }[];
  context: string;
  /** An exec auth plugin runs a program on this machine: the UI names it before any request. */
  execPlugin: { command: string; args: string[] } | null;
}

export interface ClusterProbeView {
  server: string;
  version: { gitVersion: string; minor: number };
  nodes: {
    name: string;
    internalIP: string | null;
    ready: boolean;
    excludedFromExternalLoadBalancers: boolean;
  }[];
  metallb: {
    version: string | null;
    method: 'manifest' | 'helm';
    format: 'crd' | 'configmap';
    pools: { name: string; addresses: string[] }[];
    peers: { name: string; peerAddress: string; peerASN: number; myASN: number }[];
    controllerReady: boolean;
    speakerReady: boolean;
    managedByUs: boolean;
  } | null;
  kubeProxy: { mode: 'iptables' | 'ipvs' | 'unknown'; strictARP: boolean | null };
  conflicts: { code: string; message: string; whatToDo: string }[];
}

export interface RouterProbeView {
  dialect: 'edgeos' | 'vyos';
  version: string;
  model: string | null;
  hasCurl: boolean;
}

export type RouterConnectResult =
  | { status: 'connected'; hostKey: string; probe: RouterProbeView; remembered: boolean }
  | { status: 'confirm-host-key'; fingerprint: string; host: string; port: number };

export type RouterState =
  'unchanged' | 'applied' | 'applied-and-saved' | 'restored' | 'old-config' | 'unknown';

export interface ApplyPreview {
  plan: PlanReport;
  router: { unchanged: boolean; preview: PreviewLine[]; script: string | null; error: string | null };
  cluster: { installedVersion: string | null; willInstall: boolean; notes: string[] };
}

export interface ApplyResult {
  changed: boolean;
  dryRun: boolean;
  cluster: { changed: boolean; installed: boolean; objects: string[]; skipped: string[] };
  router: { changed: boolean; state: RouterState; message: string; preview: PreviewLine[] };
}

export interface TeardownPreview {
  router: { lines: string[]; unchanged: boolean; notes: string[] };
  cluster: { objects: string[]; uninstall: string[] };
}

export interface TeardownResult {
  changed: boolean;
  dryRun: boolean;
  router: { changed: boolean; state: RouterState; message: string };
  cluster: { removed: string[] };
}

export interface EchoService {
  namespace: string;
  name: string;
  ip: string;
}

export interface ResponseTypes {
  'app.info': AppInfo;
  'app.preset': AppPreset | null;
  'window.openStatus': { opened: boolean };
  'app.diagnostics': { fileName: string; text: string };
  'plan.build': PlanReport;
  'parse.output': ParsedOutput;
  'cluster.contexts': KubeContexts;
  'cluster.probe': ClusterProbeView;
  'router.connect': RouterConnectResult;
  'router.forgetHostKey': { forgotten: boolean };
  'bgp.setPassword': { remembered: boolean };
  'apply.preview': ApplyPreview;
  'apply.run': ApplyResult;
  'teardown.preview': TeardownPreview;
  'teardown.run': TeardownResult;
  'status.read': StatusReport;
  /** Resolves when the watch stops (cancelled); snapshots arrive as events meanwhile. */
  'status.watch': { stopped: true };
  'test.run': TestReport;
  'echo.deploy': EchoService;
  'echo.remove': { removed: true };
  'bundle.export': { fileName: string; base64: string; files: string[] };
  'bundle.import': { topologyText: string; fileName: string };
  'operation.cancel': { cancelled: boolean };
}

/** What a running operation reports while it runs: progress, or (status.watch) a live snapshot. */
export type OperationEvent =
  | { operationId: string; kind: 'progress'; progress: ProgressEvent }
  | { operationId: string; kind: 'status'; status: StatusReport }
  | { operationId: string; kind: 'outage'; message: string; since: string }
  | { operationId: string; kind: 'recovered'; downMs: number };

export type Channel = keyof typeof requestSchemas;
/** What a caller writes: defaults may be left out. */
export type RequestOf<C extends Channel> = z.input<(typeof requestSchemas)[C]>;
/** What a handler receives: validated, defaults filled in. */
export type ValidRequestOf<C extends Channel> = z.output<(typeof requestSchemas)[C]>;
export type ResponseOf<C extends Channel> = ResponseTypes[C];
export const CHANNELS = Object.keys(requestSchemas) as Channel[];

/** Every call answers with a result or a user-facing error; never a stack trace. */
export type ErrorKind = 'failed' | 'invalid' | 'host-key' | 'cancelled';
export type Envelope<T> =
  { ok: true; value: T } | { ok: false; error: { message: string; path?: string; kind?: ErrorKind } };

export interface WizardApi {
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Envelope<ResponseOf<C>>>;
  /** Subscribes to every operation's events; returns the unsubscribe function. */
  onEvent(listener: (event: OperationEvent) => void): () => void;
}

/** Validates an untrusted request for `channel`; the error names the offending field. */
export function parseRequest<C extends Channel>(
  channel: string,
  payload: unknown,
):
  | { ok: true; channel: C; request: ValidRequestOf<C> }
  | { ok: false; error: { message: string; path?: string; kind: 'invalid' } } {
  if (!Object.hasOwn(requestSchemas, channel)) {
    return { ok: false, error: { message: `unknown channel "${channel}"`, kind: 'invalid' } };
  }
  const schema = requestSchemas[channel as Channel];
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue ? issue.path.join('.') : '';
    return {
      ok: false,
      error: {
        message: `invalid request for ${channel}${path ? ` at ${path}` : ''}: ${issue?.message ?? 'bad payload'}`,
        path,
        kind: 'invalid',
      },
    };
  }
  return { ok: true, channel: channel as C, request: parsed.data as ValidRequestOf<C> };
}
