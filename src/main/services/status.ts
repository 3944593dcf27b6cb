// Live state: the router's BGP tables joined with the cluster (which node, which Service), the
// status stream, and the one-click curl test.

import type { KubeConfig } from '@kubernetes/client-node';
import type { EchoService, ValidRequestOf } from '../../shared/contract.ts';
import { statusReportOf, testReportOf } from '../../shared/diagnose/index.ts';
import type { NeighborFacts, StatusReport, TestReport } from '../../shared/diagnose/index.ts';
import type { Plan } from '../../shared/plan/index.ts';
import type { ClusterProbe, LoadBalancerService } from '../kube/index.ts';
import { curlFromRouter, readRouterStatus, watchRouterStatus } from '../router/index.ts';
import type { RouterSession, RouterStatus } from '../router/index.ts';
import { PollTimeout, pollUntil } from '../backoff.ts';
import { UserError, messageOf } from '../errors.ts';
import type { CallContext, ServiceDeps } from './context.ts';
import { kubeConfigOf } from './cluster.ts';
import { kubeAdapter } from './kube.ts';
import type { RouterConnections } from './routers.ts';
import { targetOfPlan } from './routers.ts';
import { planOfInput } from './topology.ts';

interface ClusterFacts {
  probe: ClusterProbe | null;
  services: LoadBalancerService[];
}

/** The cluster's side of the status; a cluster that cannot be reached leaves the facts unknown. */
async function clusterFactsOf(kc: KubeConfig, deps: ServiceDeps): Promise<ClusterFacts> {
  try {
    const { probeCluster, listLoadBalancerServices } = await kubeAdapter();
    const [probe, services] = await Promise.all([probeCluster(kc), listLoadBalancerServices(kc)]);
    return { probe, services };
  } catch (error) {
    deps.log.write(`status: the cluster could not be read: ${messageOf(error)}`);
    return { probe: null, services: [] };
  }
}

function neighborFactsOf(
  plan: Plan,
  facts: ClusterFacts,
  status: RouterStatus,
): (address: string) => NeighborFacts {
  const nodeByAddress = new Map(plan.topology.cluster.nodes.map((n) => [n.address, n.name]));
  const configured = new Set(status.summary.neighbors.map((n) => n.address));
  return (address) => {
    const node = nodeByAddress.get(address) ?? null;
    const probedNode = facts.probe?.nodes.find((n) => n.name === node);
    return {
      node,
      speakerRunning: facts.probe ? (facts.probe.metallb?.speakerReady ?? false) : null,
      nodeExcluded: probedNode ? probedNode.excludedFromExternalLoadBalancers : null,
      servicesWithReadyEndpoints: facts.probe
        ? facts.services.filter((s) => s.readyEndpoints > 0).length
        : null,
      advertisementMatchesPool: null,
      routerConfigured: configured.has(address),
    };
  };
}

export function statusReportFrom(plan: Plan, status: RouterStatus, facts: ClusterFacts): StatusReport {
  return statusReportOf({
    summary: status.summary,
    routes: status.routes,
    topology: plan.topology,
    services: facts.services,
    facts: neighborFactsOf(plan, facts, status),
  });
}

export async function statusRead(
  deps: ServiceDeps,
  routers: RouterConnections,
  request: ValidRequestOf<'status.read'>,
): Promise<StatusReport> {
  const plan = planOfInput(request.topology);
  const kc = await kubeConfigOf(deps, request.kube);
  const [status, facts] = await Promise.all([
    readRouterStatus(await routers.sessionFor(targetOfPlan(plan))),
    clusterFactsOf(kc, deps),
  ]);
  return statusReportFrom(plan, status, facts);
}

/** Streams snapshots until cancelled; outages and recoveries come as events of their own. */
export async function statusWatch(
  deps: ServiceDeps,
  routers: RouterConnections,
  request: ValidRequestOf<'status.watch'>,
  call: CallContext,
): Promise<{ stopped: true }> {
  const plan = planOfInput(request.topology);
  const kc = await kubeConfigOf(deps, request.kube);
  const target = targetOfPlan(plan);
  await routers.sessionFor(target);
  let facts: ClusterFacts = await clusterFactsOf(kc, deps);
  let polls = 0;
  const reconnect = routers.reconnectorFor(target);
  let first = true;
  await watchRouterStatus(
    async () => {
      // The first round reuses the open session; later rounds come after a drop and reconnect.
      if (first) {
        first = false;
        return routers.sessionFor(target);
      }
      return reconnect();
    },
    {
      intervalMs: request.intervalMs,
      signal: call.signal,
      onEvent: (event) => {
        const { operationId } = call;
        if (event.kind === 'snapshot') {
          // The cluster changes more slowly than the router's tables: refresh its facts every few polls.
          if (++polls % 5 === 0) void clusterFactsOf(kc, deps).then((f) => (facts = f));
          deps.emit({ operationId, kind: 'status', status: statusReportFrom(plan, event.status, facts) });
        } else if (event.kind === 'outage') {
          deps.log.write(`status: router ${target.host}:${target.port} unreachable: ${event.message}`);
          deps.emit({ operationId, kind: 'outage', message: event.message, since: event.since });
        } else {
          deps.log.write(`status: router ${target.host}:${target.port} back after ${event.downMs} ms`);
          deps.emit({ operationId, kind: 'recovered', downMs: event.downMs });
        }
      },
    },
  );
  return { stopped: true };
}

const ECHO_PATH = '/hostname';
// A Service that just got its IP is announced within a second or two; past this the test runs
// anyway and its report says what is missing.
const ROUTE_WAIT_MS = 10_000;

async function testTargetOf(
  kc: KubeConfig,
  target: ValidRequestOf<'test.run'>['target'],
): Promise<{
  ip: string;
  port: number;
  path: string;
  podToNode: Record<string, string>;
  label: string;
  isService: boolean;
}> {
  if ('ip' in target)
    return { ip: target.ip, port: 80, path: '/', podToNode: {}, label: target.ip, isService: false };
  const { namespace, name } = target.service;
  const { listLoadBalancerServices, podNodesOfService } = await kubeAdapter();
  const service = (await listLoadBalancerServices(kc)).find(
    (s) => s.namespace === namespace && s.name === name,
  );
  if (!service) {
    throw new UserError(
      `there is no LoadBalancer Service ${namespace}/${name}; pick one that exists, or deploy the echo service for the test`,
      { path: 'target.service', kind: 'invalid' },
    );
  }
  const ip = service.ips[0];
  if (!ip) {
    throw new UserError(
      `the Service ${namespace}/${name} has no LoadBalancer IP yet; check that its address pool has room and MetalLB runs`,
      { path: 'target.service' },
    );
  }
  const podToNode = await podNodesOfService(kc, namespace, name);
  const path = name === 'mbw-echo' ? ECHO_PATH : '/';
  return {
    ip,
    port: service.ports[0] ?? 80,
    path,
    podToNode,
    label: `${namespace}/${name} (${ip})`,
    isService: true,
  };
}

/**
 * Returns once the router has a route to `ip`, or after ROUTE_WAIT_MS: a test right after apply
 * (or right after the echo Service got its IP) would otherwise race BGP and see a refused first
 * attempt that says nothing about the setup.
 */
async function routeLearned(session: RouterSession, ip: string, call: CallContext): Promise<void> {
  const prefix = `${ip}/32`;
  const hasRoute = async (tryNumber: number): Promise<true | undefined> => {
    const status = await readRouterStatus(session, call.signal);
    if (status.routes.some((r) => r.prefix === prefix)) return true;
    if (tryNumber === 0) {
      call.onProgress({
        operation: 'test.curl',
        step: 'route',
        status: 'running',
        percent: 2,
        log: `waiting up to ${ROUTE_WAIT_MS / 1000} s for the router to learn a BGP route to ${ip}`,
      });
    }
    return undefined;
  };
  try {
    await pollUntil(hasRoute, {
      timeoutMs: ROUTE_WAIT_MS,
      signal: call.signal,
      what: `the router's route to ${ip}`,
      initialMs: 100,
      maxMs: 1_000,
    });
  } catch (error) {
    if (!(error instanceof PollTimeout)) throw error;
  }
}

export async function testRun(
  deps: ServiceDeps,
  routers: RouterConnections,
  request: ValidRequestOf<'test.run'>,
  call: CallContext,
): Promise<TestReport> {
  const plan = planOfInput(request.topology);
  const kc = await kubeConfigOf(deps, request.kube);
  const target = await testTargetOf(kc, request.target);
  const session = await routers.sessionFor(targetOfPlan(plan));
  if (target.isService) await routeLearned(session, target.ip, call);
  const attempts = await curlFromRouter(session, target, request.count, call);
  const status = await readRouterStatus(session);
  const route = status.routes.find((r) => r.prefix === `${target.ip}/32`);
  return testReportOf({
    target: target.label,
    attempts,
    nodeNames: plan.topology.cluster.nodes.map((n) => n.name),
    podToNode: target.podToNode,
    routeNextHops: route ? route.nextHops.length : null,
  });
}

export async function echoDeploy(
  deps: ServiceDeps,
  request: ValidRequestOf<'echo.deploy'>,
  call: CallContext,
): Promise<EchoService> {
  const kc = await kubeConfigOf(deps, request.kube);
  const { deployEchoService } = await kubeAdapter();
  return deployEchoService(kc, call);
}

export async function echoRemove(
  deps: ServiceDeps,
  request: ValidRequestOf<'echo.remove'>,
  call: CallContext,
): Promise<{ removed: true }> {
  const kc = await kubeConfigOf(deps, request.kube);
  const { removeEchoService } = await kubeAdapter();
  await removeEchoService(kc, call);
  return { removed: true };
}
