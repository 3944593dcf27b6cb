// Apply and teardown: the cluster first (MetalLB, then the planned objects), then the router
// (snapshot, one script, verify, save, or restore). Every step reports progress; a failure or a
// cancel ends in a stated state.

import type {
  ApplyPreview,
  ApplyResult,
  TeardownPreview,
  TeardownResult,
  ValidRequestOf,
} from '../../shared/contract.ts';
import { buildPlan, diffRouterConfig, redactBgpPassword } from '../../shared/plan/index.ts';
import type { MetallbVersion } from '../../shared/topology/index.ts';
import type { Plan, PreviewLine } from '../../shared/plan/index.ts';
import { planReportOf } from '../../shared/report.ts';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterProbe } from '../kube/index.ts';
import {
  applyRouterPlan,
  checkDialect,
  probeRouter,
  previewRouterTeardown,
  teardownRouter,
} from '../router/index.ts';
import { UserError, throwIfCancelled } from '../errors.ts';
import type { CallContext, ServiceDeps } from './context.ts';
import { kubeConfigOf } from './cluster.ts';
import { kubeAdapter } from './kube.ts';
import type { RouterConnections } from './routers.ts';
import { targetOfPlan } from './routers.ts';
import { planOfInput } from './topology.ts';
import type { TopologyInput } from './topology.ts';

function clusterNotes(
  plan: Plan,
  probe: ClusterProbe,
): { installedVersion: string | null; willInstall: boolean; notes: string[] } {
  const installedVersion = probe.metallb?.version ?? null;
  const notes: string[] = probe.conflicts.map((c) => `${c.message} ${c.whatToDo}`);
  if (probe.metallb && !probe.metallb.managedByUs) {
    notes.push(
      `MetalLB ${installedVersion ?? '(version unknown)'} is already installed (${probe.metallb.method}); ` +
        `its pools (${probe.metallb.pools.map((p) => p.name).join(', ') || 'none'}) and peers are left alone.`,
    );
  }
  return { installedVersion, willInstall: installedVersion !== plan.metallb.version, notes };
}

/**
 * A manifest the user chose: accepted when it is the pinned release of the planned version, or
 * when the user confirmed exactly its hash after seeing it.
 */
async function userManifestOf(
  choice: { source: string; sha256?: string | undefined },
  version: MetallbVersion,
): Promise<{ text: string; source: string }> {
  const { MANIFEST_PINS, manifestFromUser } = await kubeAdapter();
  const { text, sha256 } = await manifestFromUser(choice.source, null);
  const pinned = (MANIFEST_PINS[version] ?? []).some((pin) => pin.sha256 === sha256);
  if (pinned || choice.sha256 === sha256) return { text, source: choice.source };
  throw new UserError(
    `${choice.source} has sha256 ${sha256}, which is not MetalLB ${version}'s official manifest; ` +
      `check where it comes from, then confirm exactly this hash (CLI: --manifest-sha256 ${sha256})`,
    { path: 'manifest', kind: 'invalid' },
  );
}

/** The plan main applies: with the BGP password when the topology asks for one. */
async function applyPlanOf(routers: RouterConnections, topology: TopologyInput): Promise<Plan> {
  const plan = planOfInput(topology);
  const secrets = await routers.planSecretsFor(plan);
  // Only the router lines change with a secret: re-plan the parsed topology, do not parse it again.
  return secrets ? buildPlan(plan.topology, plan.warnings, secrets) : plan;
}

/** Preview lines as the user may see them: the BGP password never leaves main. */
function shownLines(plan: Plan, lines: PreviewLine[]): PreviewLine[] {
  const password = plan.secrets?.bgpPassword;
  return password ? lines.map((l) => ({ ...l, line: redactBgpPassword(l.line, password) })) : lines;
}

export async function applyPreviewOf(
  deps: ServiceDeps,
  routers: RouterConnections,
  request: ValidRequestOf<'apply.preview'>,
): Promise<ApplyPreview> {
  return previewOfPlan(routers, await applyPlanOf(routers, request.topology), () =>
    kubeConfigOf(deps, request.kube),
  );
}

/** What applying `plan` would change, read fresh from the router and the cluster. */
async function previewOfPlan(
  routers: RouterConnections,
  plan: Plan,
  // A getter: the router is reached first, so an unconnected router is what the user hears of first.
  kubeConfig: () => Promise<KubeConfig>,
): Promise<ApplyPreview> {
  const target = targetOfPlan(plan);
  // Fresh, not the probe from connect: the running config may have changed since.
  const probe = await probeRouter(await routers.sessionFor(target));
  checkDialect(probe, plan);
  const diff = diffRouterConfig(probe.configCommands, plan);
  const { probeCluster } = await kubeAdapter();
  const cluster = await probeCluster(await kubeConfig(), {
    routerAddress: plan.topology.router.cluster.address.split('/')[0] ?? '',
  });
  return {
    // The plan's topology is valid already: report it without validating it again.
    plan: planReportOf({ ok: true, topology: plan.topology, errors: [], warnings: plan.warnings }),
    router: diff.ok
      ? {
          unchanged: diff.unchanged,
          preview: shownLines(plan, diff.preview),
          script: diff.unchanged ? null : redactBgpPassword(diff.script, plan.secrets?.bgpPassword),
          error: null,
        }
      : { unchanged: false, preview: [], script: null, error: diff.error },
    cluster: clusterNotes(plan, cluster),
  };
}

export async function applyRun(
  deps: ServiceDeps,
  routers: RouterConnections,
  request: ValidRequestOf<'apply.run'>,
  call: CallContext,
): Promise<ApplyResult> {
  const plan = await applyPlanOf(routers, request.topology);
  const target = targetOfPlan(plan);
  const kc = await kubeConfigOf(deps, request.kube);
  const preview = await previewOfPlan(routers, plan, () => Promise.resolve(kc));
  // Refused before anything is written (for example another ASN already runs BGP on the router).
  if (preview.router.error) throw new UserError(preview.router.error, { path: 'router' });
  if (request.dryRun) {
    return {
      changed: false,
      dryRun: true,
      cluster: { changed: false, installed: preview.cluster.willInstall, objects: [], skipped: [] },
      router: {
        changed: false,
        state: 'unchanged',
        message: 'dry run: nothing was written',
        preview: preview.router.preview,
      },
    };
  }
  throwIfCancelled(call.signal, 'apply');
  const manifest = request.manifest
    ? await userManifestOf(request.manifest, plan.metallb.version)
    : undefined;
  const { installMetallb, applyBgpPasswordSecret, applyMetallbObjects } = await kubeAdapter();
  const install = await installMetallb(kc, plan.metallb.version, call, manifest ? { manifest } : {});
  const password = plan.secrets?.bgpPassword;
  const secretChanged = password ? (await applyBgpPasswordSecret(kc, password, call)).changed : false;
  const objects = await applyMetallbObjects(kc, plan.metallb, call);
  const session = await routers.sessionFor(target);
  const router = await applyRouterPlan(session, plan, call, {
    dataDir: deps.dataDir,
    reconnect: routers.reconnectorFor(target),
  });
  const clusterChanged = install.changed || secretChanged || objects.changed;
  return {
    changed: clusterChanged || router.changed,
    dryRun: false,
    cluster: {
      changed: clusterChanged,
      installed: install.changed,
      objects: objects.objects,
      skipped: install.skipped,
    },
    router: {
      changed: router.changed,
      state: router.state,
      message: router.message,
      preview: shownLines(plan, router.preview),
    },
  };
}

export async function teardownPreviewOf(
  deps: ServiceDeps,
  routers: RouterConnections,
  request: ValidRequestOf<'teardown.preview'>,
  uninstall = false,
): Promise<TeardownPreview> {
  const plan = planOfInput(request.topology);
  const target = targetOfPlan(plan);
  checkDialect(await routers.probeFor(target), plan);
  const router = await previewRouterTeardown(await routers.sessionFor(target), plan);
  const objects = plan.metallb.objects.map((o) => `${o.kind}/${o.metadata.name}`);
  await kubeConfigOf(deps, request.kube);
  return {
    router,
    cluster: {
      objects,
      uninstall: uninstall
        ? [`MetalLB ${plan.metallb.version} (namespace metallb-system, its CRDs and RBAC)`]
        : [],
    },
  };
}

export async function teardownRun(
  deps: ServiceDeps,
  routers: RouterConnections,
  request: ValidRequestOf<'teardown.run'>,
  call: CallContext,
): Promise<TeardownResult> {
  const plan = planOfInput(request.topology);
  const target = targetOfPlan(plan);
  checkDialect(await routers.probeFor(target), plan);
  if (request.dryRun) {
    const preview = await teardownPreviewOf(deps, routers, request, request.uninstall);
    return {
      changed: false,
      dryRun: true,
      router: {
        changed: false,
        state: 'unchanged',
        message: `dry run: would run ${preview.router.lines.length} lines`,
      },
      cluster: { removed: [] },
    };
  }
  const kc = await kubeConfigOf(deps, request.kube);
  const { removeMetallbObjects, uninstallMetallb } = await kubeAdapter();
  // The router first: its neighbors would only go Active once the speakers are gone.
  const router = await teardownRouter(await routers.sessionFor(target), plan, call, {
    dataDir: deps.dataDir,
    reconnect: routers.reconnectorFor(target),
  });
  throwIfCancelled(call.signal, 'teardown');
  const removed = (await removeMetallbObjects(kc, plan.metallb, call)).removed;
  if (request.uninstall) removed.push(...(await uninstallMetallb(kc, plan.metallb.version, call)).removed);
  return {
    changed: router.changed || removed.length > 0,
    dryRun: false,
    router: { changed: router.changed, state: router.state, message: router.message },
    cluster: { removed },
  };
}
