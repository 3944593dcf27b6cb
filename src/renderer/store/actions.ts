// What the panels do: each action calls main through the contract and records the answer in the
// stores. Errors arrive as messages (never a stack trace) and are kept beside the panel that asked.

import type {
  AppPreset,
  Channel,
  Envelope,
  OperationEvent,
  RequestOf,
  ResponseOf,
} from '../../shared/contract.ts';
import type { ProgressEvent } from '../../shared/progress.ts';
import { wizardApi } from '../api.ts';
import { useSecrets } from './secrets.ts';
import type { OperationRun, Remote } from './session.ts';
import { IDLE, LOADING, idleRun, useSession } from './session.ts';
import { useWizard } from './wizard.ts';
import type { TestTarget } from './wizard.ts';

export const BACKEND_MISSING =
  'The app backend is not connected: start the wizard with `npm run demo` or `npm run app` ' +
  '(or the desktop app) and open the address it prints.';

type Failure = Extract<Envelope<unknown>, { ok: false }>;

function failureOf(error: unknown, channel: Channel): Failure {
  const detail = error instanceof Error && error.message ? `: ${error.message}` : '';
  return {
    ok: false,
    error: { message: `The app backend did not answer ${channel}${detail}`, kind: 'failed' },
  };
}

/** One call to main; never throws. */
export async function callBackend<C extends Channel>(
  channel: C,
  request: RequestOf<C>,
): Promise<Envelope<ResponseOf<C>>> {
  const api = wizardApi();
  if (!api) return { ok: false, error: { message: BACKEND_MISSING, kind: 'failed' } };
  try {
    return await api.call(channel, request);
  } catch (error) {
    return failureOf(error, channel);
  }
}

export function remoteOf<T>(reply: Envelope<T>): Remote<T> {
  if (reply.ok) return { status: 'ok', value: reply.value };
  return {
    status: 'error',
    message: reply.error.message,
    ...(reply.error.path ? { path: reply.error.path } : {}),
    ...(reply.error.kind ? { kind: reply.error.kind } : {}),
  };
}

function done(reply: Envelope<unknown>): Remote<true> {
  return reply.ok ? { status: 'ok', value: true } : (remoteOf(reply) as Remote<true>);
}

export function kubeSelection(): { kubeconfig?: string; context?: string } {
  const { kubeconfig, context } = useWizard.getState().kube;
  return {
    ...(kubeconfig.trim() ? { kubeconfig: kubeconfig.trim() } : {}),
    ...(context ? { context } : {}),
  };
}

export function topologyInput(): { text: string; fileName: string } {
  const { topologyText, topologyFileName } = useWizard.getState();
  return { text: topologyText, fileName: topologyFileName || 'topology.yaml' };
}

export function newOperationId(prefix: string): string {
  const random =
    typeof crypto !== 'undefined' && 'randomUUID' in crypto
      ? crypto.randomUUID()
      : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `${prefix}-${random}`.slice(0, 64);
}

// ---- events: one subscription, routed by operation id ----

const listeners = new Map<string, (event: OperationEvent) => void>();
let unsubscribe: (() => void) | null = null;

export function listenToOperations(): () => void {
  const api = wizardApi();
  if (!api || unsubscribe) return () => undefined;
  unsubscribe = api.onEvent((event) => listeners.get(event.operationId)?.(event));
  return () => {
    unsubscribe?.();
    unsubscribe = null;
  };
}

/** The run after one more progress event: its step, percent and log line. */
export function withProgress<R>(
  run: OperationRun<R>,
  event: ProgressEvent,
  operations: readonly string[],
): OperationRun<R> {
  const steps = run.steps.filter((s) => !(s.operation === event.operation && s.step === event.step));
  const at = run.steps.findIndex((s) => s.operation === event.operation && s.step === event.step);
  const entry = { operation: event.operation, step: event.step, status: event.status };
  if (at >= 0) steps.splice(at, 0, entry);
  else steps.push(entry);
  const index = Math.max(0, operations.indexOf(event.operation));
  const share = 100 / Math.max(1, operations.length);
  const percent =
    event.percent === undefined ? run.percent : Math.round(index * share + (event.percent / 100) * share);
  return {
    ...run,
    steps,
    percent: Math.max(run.percent, Math.min(100, percent)),
    log: event.log ? [...run.log, `${event.operation}: ${event.log}`] : run.log,
  };
}

type RunKey = 'apply' | 'teardown';

async function runOperation<C extends 'apply.run' | 'teardown.run'>(
  key: RunKey,
  channel: C,
  request: RequestOf<C>,
  operations: readonly string[],
): Promise<void> {
  const operationId = newOperationId(key);
  const update = (change: (run: OperationRun<ResponseOf<C>>) => OperationRun<ResponseOf<C>>) =>
    useSession.setState((s) => ({ [key]: change(s[key] as OperationRun<ResponseOf<C>>) }));
  useSession.setState({ [key]: { ...idleRun(), operationId, phase: 'running' } });
  listeners.set(operationId, (event) => {
    if (event.kind === 'progress') update((run) => withProgress(run, event.progress, operations));
  });
  const reply = await callBackend(channel, { ...request, operationId } as RequestOf<C>);
  listeners.delete(operationId);
  update((run) =>
    reply.ok
      ? { ...run, phase: 'done', percent: 100, result: reply.value }
      : {
          ...run,
          phase: reply.error.kind === 'cancelled' ? 'cancelled' : 'failed',
          error: { message: reply.error.message, ...(reply.error.kind ? { kind: reply.error.kind } : {}) },
        },
  );
}

export async function cancelOperation(operationId: string | null): Promise<void> {
  if (!operationId) return;
  const reply = await callBackend('operation.cancel', { operationId });
  if (!reply.ok) useSession.getState().patch({ notice: { tone: 'error', text: reply.error.message } });
}

// ---- start-up ----

/**
 * The YAML editing helpers, loaded on first use: the library is a fifth of the first screen's
 * script, and the welcome step needs none of it.
 */
function topologyYaml(): Promise<typeof import('./topology-yaml.ts')> {
  return import('./topology-yaml.ts');
}

export async function applyPreset(preset: AppPreset): Promise<void> {
  const { withField } = await topologyYaml();
  const wizard = useWizard.getState();
  let text = preset.topology?.text ?? wizard.topologyText;
  if (preset.router) {
    text = withField(text, ['router', 'ssh', 'host'], preset.router.host);
    text = withField(text, ['router', 'ssh', 'port'], String(preset.router.port));
    text = withField(text, ['router', 'ssh', 'username'], preset.router.username);
  }
  wizard.patch({
    presetApplied: true,
    presetSource: preset.source,
    topologyText: text,
    topologyFileName: preset.topology?.fileName ?? wizard.topologyFileName,
    kube: { kubeconfig: preset.kubeconfig ?? wizard.kube.kubeconfig, context: wizard.kube.context },
    router: preset.router
      ? {
          ...wizard.router,
          host: preset.router.host,
          port: preset.router.port,
          username: preset.router.username,
          auth: preset.router.passwordHeld ? 'stored' : wizard.router.auth,
          passwordHeld: preset.router.passwordHeld,
          expectedHostKey: preset.router.hostKey,
        }
      : wizard.router,
  });
}

/** app.info, then the preset (the demo lab's defaults) on a first launch. */
export async function loadStartup(): Promise<void> {
  const session = useSession.getState();
  session.patch({ info: LOADING });
  const info = await callBackend('app.info', {});
  session.patch({ info: remoteOf(info) });
  if (!info.ok) return;
  const wizard = useWizard.getState();
  if (!wizard.presetApplied) {
    const preset = await callBackend('app.preset', {});
    if (preset.ok && preset.value) await applyPreset(preset.value);
    else if (preset.ok) wizard.patch({ presetApplied: true });
  }
  const applied = useWizard.getState().applied;
  const current = useWizard.getState();
  if (applied && current.flow === 'setup' && current.current === 'done') current.patch({ screen: 'home' });
}

// ---- cluster ----

export async function loadContexts(): Promise<void> {
  useSession.getState().patch({ contexts: LOADING });
  const { kubeconfig } = useWizard.getState().kube;
  const reply = await callBackend(
    'cluster.contexts',
    kubeconfig.trim() ? { kubeconfig: kubeconfig.trim() } : {},
  );
  useSession.getState().patch({ contexts: remoteOf(reply) });
  if (reply.ok && !useWizard.getState().kube.context)
    useWizard.getState().setKube({ context: reply.value.context });
}

export async function probeCluster(): Promise<void> {
  useSession.getState().patch({ probing: LOADING });
  const reply = await callBackend('cluster.probe', { kube: kubeSelection() });
  useSession.getState().patch({ probing: done(reply) });
  useWizard.getState().patch({ clusterProbe: reply.ok ? reply.value : null });
}

/** The topology's nodes from the probe: each node's name and InternalIP. */
export async function fillTopologyFromCluster(): Promise<number> {
  const probe = useWizard.getState().clusterProbe;
  if (!probe) return 0;
  const nodes = probe.nodes
    .filter((n) => n.internalIP !== null && !n.excludedFromExternalLoadBalancers)
    .map((n) => ({ name: n.name, address: n.internalIP ?? '' }));
  if (nodes.length === 0) return 0;
  const { withNodes } = await topologyYaml();
  const wizard = useWizard.getState();
  wizard.setTopologyText(withNodes(wizard.topologyText, nodes));
  return nodes.length;
}

// ---- router ----

function routerAuth():
  | { kind: 'password'; password: string }
  | { kind: 'key'; keyFile: string; passphrase?: string }
  | { kind: 'agent' }
  | { kind: 'stored' } {
  const { router } = useWizard.getState();
  const secrets = useSecrets.getState();
  switch (router.auth) {
    case 'password':
      return { kind: 'password', password: secrets.routerPassword };
    case 'key':
      return {
        kind: 'key',
        keyFile: router.keyFile.trim(),
        ...(secrets.keyPassphrase ? { passphrase: secrets.keyPassphrase } : {}),
      };
    case 'agent':
      return { kind: 'agent' };
    case 'stored':
      return { kind: 'stored' };
  }
}

export function routerTarget(): { host: string; port: number; username: string } {
  const { host, port, username } = useWizard.getState().router;
  return { host: host.trim(), port, username: username.trim() };
}

/** The router's address and dialect go into the topology too: apply connects to what it names. */
async function syncTopologyWithRouter(dialect: string | null): Promise<void> {
  const { withField } = await topologyYaml();
  const wizard = useWizard.getState();
  const target = routerTarget();
  let text = wizard.topologyText;
  text = withField(text, ['router', 'ssh', 'host'], target.host);
  text = withField(text, ['router', 'ssh', 'port'], String(target.port));
  text = withField(text, ['router', 'ssh', 'username'], target.username);
  if (dialect) text = withField(text, ['router', 'dialect'], dialect);
  if (text !== wizard.topologyText) wizard.setTopologyText(text);
}

export async function connectRouter(acceptHostKey?: string): Promise<void> {
  const session = useSession.getState();
  session.patch({ connect: LOADING, routerConnected: false });
  const { router } = useWizard.getState();
  const reply = await callBackend('router.connect', {
    target: routerTarget(),
    auth: routerAuth(),
    remember: router.remember,
    ...(acceptHostKey ? { acceptHostKey } : {}),
  });
  if (!reply.ok) {
    session.patch({ connect: remoteOf(reply) as Remote<true>, hostKeyToConfirm: null });
    return;
  }
  if (reply.value.status === 'confirm-host-key') {
    session.patch({ connect: IDLE, hostKeyToConfirm: reply.value.fingerprint });
    return;
  }
  useSecrets.getState().clear();
  useWizard.getState().patch({ routerProbe: reply.value.probe, hostKey: reply.value.hostKey });
  await syncTopologyWithRouter(reply.value.probe.dialect);
  session.patch({ connect: { status: 'ok', value: true }, hostKeyToConfirm: null, routerConnected: true });
}

export function rejectHostKey(): void {
  useSession.getState().patch({
    hostKeyToConfirm: null,
    connect: {
      status: 'error',
      message:
        'The host key was not trusted, so nothing was sent to the router. Check the fingerprint on the ' +
        'router itself (show ssh host key / ssh-keygen -lf) before trusting it.',
    },
  });
}

export async function forgetHostKey(): Promise<void> {
  const reply = await callBackend('router.forgetHostKey', { target: routerTarget() });
  useSession.getState().patch({
    routerConnected: false,
    notice: reply.ok
      ? {
          tone: 'ok',
          text: 'The pinned host key was forgotten; the next connect asks you to confirm it again.',
        }
      : { tone: 'error', text: reply.error.message },
  });
  if (reply.ok) useWizard.getState().patch({ hostKey: null });
}

/** Hands the typed BGP password to main; true when main holds it. */
export async function setBgpPassword(): Promise<boolean> {
  const password = useSecrets.getState().bgpPassword;
  const reply = await callBackend('bgp.setPassword', {
    target: routerTarget(),
    password,
    remember: useWizard.getState().router.remember,
  });
  useSecrets.getState().set({ bgpPassword: '' });
  useSession.getState().patch({
    notice: reply.ok
      ? { tone: 'ok', text: 'The BGP session password is held by the app.' }
      : { tone: 'error', text: reply.error.message },
  });
  return reply.ok;
}

// ---- topology, review, apply ----

export async function buildPlan(): Promise<void> {
  const input = topologyInput();
  useSession.getState().patch({ plan: LOADING });
  const reply = await callBackend('plan.build', { topology: input });
  // A newer edit may have started its own plan meanwhile: only the latest text's plan counts.
  if (useWizard.getState().topologyText !== input.text) return;
  useSession.getState().patch({ plan: remoteOf(reply), planFor: input.text });
}

export async function loadPreview(): Promise<void> {
  const input = topologyInput();
  useSession.getState().patch({ preview: LOADING, previewFor: null });
  const reply = await callBackend('apply.preview', { topology: input, kube: kubeSelection() });
  useSession.getState().patch({ preview: remoteOf(reply), previewFor: reply.ok ? input.text : null });
}

export const APPLY_OPERATIONS = ['cluster.install', 'cluster.apply', 'router.apply'] as const;

export async function runApply(): Promise<void> {
  await runOperation(
    'apply',
    'apply.run',
    { topology: topologyInput(), kube: kubeSelection(), dryRun: false },
    APPLY_OPERATIONS,
  );
  const run = useSession.getState().apply;
  if (run.phase === 'done' && run.result) {
    useWizard.getState().patch({ applied: { at: new Date().toISOString(), result: run.result } });
  }
}

/** The sentence of a failure that says what the router runs now, when the message has one. */
export function routerStateOf(message: string): string | null {
  const at = message.search(
    /(The router (runs|still runs|already runs)|Which BGP configuration the router runs)/,
  );
  return at >= 0 ? message.slice(at) : null;
}

// ---- test ----

export async function loadServices(): Promise<void> {
  useSession.getState().patch({ services: LOADING });
  const reply = await callBackend('status.read', { topology: topologyInput(), kube: kubeSelection() });
  useSession.getState().patch({ services: remoteOf(reply) });
}

export async function runTest(target: TestTarget, count: number): Promise<void> {
  useSession.getState().patch({ testing: LOADING });
  const reply = await callBackend('test.run', {
    topology: topologyInput(),
    kube: kubeSelection(),
    target,
    count,
    operationId: newOperationId('test'),
  });
  useSession.getState().patch({ testing: done(reply) });
  if (reply.ok) useWizard.getState().patch({ test: reply.value });
}

/** How long the Test step waits for the router to learn the route to a Service it just deployed. */
export const ROUTE_WAIT_MS = 60_000;
const ROUTE_POLL_MS = 1_000;

/**
 * Reads the router's status until it routes `ip`, or the wait ends; the services list gets the last
 * reading. MetalLB announces a new Service only once its pods are Ready, which takes a moment after
 * the Service has its IP: one read right after the deploy would find no route and offer the deploy
 * again.
 */
async function waitForRouteTo(ip: string): Promise<boolean> {
  const deadline = Date.now() + ROUTE_WAIT_MS;
  for (;;) {
    const reply = await callBackend('status.read', { topology: topologyInput(), kube: kubeSelection() });
    const routed = reply.ok && reply.value.routes.some((r) => r.prefix.split('/')[0] === ip);
    if (routed || !reply.ok || Date.now() >= deadline) {
      useSession.getState().patch({ services: remoteOf(reply) });
      return routed;
    }
    await new Promise((resolve) => setTimeout(resolve, ROUTE_POLL_MS));
  }
}

export async function deployEcho(): Promise<void> {
  useSession.getState().patch({ echo: LOADING });
  const reply = await callBackend('echo.deploy', {
    kube: kubeSelection(),
    operationId: newOperationId('echo'),
  });
  if (!reply.ok) {
    useSession.getState().patch({ echo: done(reply) });
    return;
  }
  const { namespace, name, ip } = reply.value;
  useWizard.getState().patch({ echo: reply.value });
  const routed = await waitForRouteTo(ip);
  useSession.getState().patch({
    echo: routed
      ? { status: 'ok', value: true }
      : {
          status: 'error',
          message:
            `${namespace}/${name} has the address ${ip}, but the router has no route to it after ` +
            `${ROUTE_WAIT_MS / 1000} s: open the status window to see which BGP sessions are not Established.`,
        },
  });
}

export async function removeEcho(): Promise<void> {
  useSession.getState().patch({ echo: LOADING });
  const reply = await callBackend('echo.remove', {
    kube: kubeSelection(),
    operationId: newOperationId('echo'),
  });
  useSession.getState().patch({ echo: done(reply) });
  if (reply.ok) {
    useWizard.getState().patch({ echo: null });
    await loadServices();
  }
}

// ---- files ----

export function downloadFile(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the URL after click returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function bytesOfBase64(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function base64OfBytes(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export async function exportBundle(): Promise<{ fileName: string; files: string[] } | string> {
  const reply = await callBackend('bundle.export', { topology: topologyInput() });
  if (!reply.ok) return reply.error.message;
  downloadFile(
    reply.value.fileName,
    new Blob([bytesOfBase64(reply.value.base64)], { type: 'application/zip' }),
  );
  return { fileName: reply.value.fileName, files: reply.value.files };
}

/** A topology file (YAML/JSON) or an exported bundle (.zip) becomes the topology. */
export async function importFile(file: File): Promise<string | null> {
  const isZip = /\.zip$/i.test(file.name);
  if (!isZip) {
    const text = await file.text();
    useWizard.getState().setTopologyText(text, file.name);
    return null;
  }
  const base64 = base64OfBytes(new Uint8Array(await file.arrayBuffer()));
  const reply = await callBackend('bundle.import', { base64, fileName: file.name });
  if (!reply.ok) return reply.error.message;
  useWizard.getState().setTopologyText(reply.value.topologyText, reply.value.fileName);
  return null;
}

export async function exportDiagnostics(): Promise<string | null> {
  const reply = await callBackend('app.diagnostics', { topology: topologyInput(), kube: kubeSelection() });
  if (!reply.ok) return reply.error.message;
  downloadFile(reply.value.fileName, new Blob([reply.value.text], { type: 'text/plain' }));
  return null;
}

export async function openStatusWindow(): Promise<void> {
  const reply = await callBackend('window.openStatus', {});
  if (reply.ok && reply.value.opened) return;
  // Browser mode: the status view is a route of this same page (the token stays in the fragment).
  const token = /[#&]token=([^&]+)/.exec(window.location.hash)?.[1];
  const url = `${window.location.pathname}${window.location.search}#/status${token ? `&token=${token}` : ''}`;
  window.open(url, '_blank', 'noopener');
}

// ---- home: teardown ----

export async function loadTeardownPreview(): Promise<void> {
  useSession.getState().patch({ teardownPreview: LOADING });
  const reply = await callBackend('teardown.preview', { topology: topologyInput(), kube: kubeSelection() });
  useSession.getState().patch({ teardownPreview: remoteOf(reply) });
}

export const TEARDOWN_OPERATIONS = ['router.teardown', 'cluster.apply', 'cluster.uninstall'] as const;

export async function runTeardown(uninstall: boolean): Promise<void> {
  await runOperation(
    'teardown',
    'teardown.run',
    { topology: topologyInput(), kube: kubeSelection(), uninstall, dryRun: false },
    TEARDOWN_OPERATIONS,
  );
  if (useSession.getState().teardown.phase === 'done') {
    useWizard
      .getState()
      .patch({ applied: null, test: null, echo: null, screen: 'wizard', current: 'welcome' });
  }
}
