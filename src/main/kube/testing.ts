// Test helpers for the Kubernetes adapter: the lab's API emulator with a loaded kubeconfig, the
// lab topology's MetalLB plan, and an OperationContext that records its progress events.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { startKubeEmulator, type KubeEmulator, type KubeEmulatorOptions } from '../../../lab/kube/index.ts';
import { labSpec, labTopologyDocument } from '../../../lab/spec.ts';
import { buildPlan, type MetallbPlan } from '../../shared/plan/index.ts';
import { validateTopology, type MetallbVersion } from '../../shared/topology/index.ts';
import type { OperationContext, ProgressEvent } from '../../shared/progress.ts';
import { loadKubeconfig } from './kubeconfig.ts';

export const LAB = labSpec('kt');
export const ROUTER_ADDRESS = LAB.cluster.address.split('/')[0] ?? '';

export interface TestCluster {
  emu: KubeEmulator;
  kc: KubeConfig;
  stop(): Promise<void>;
}

export async function startTestCluster(
  opts: Partial<Omit<KubeEmulatorOptions, 'stateDir'>> = {},
): Promise<TestCluster> {
  const stateDir = mkdtempSync(join(tmpdir(), 'mbw-kube-test-'));
  const emu = await startKubeEmulator({
    stateDir,
    nodes: LAB.nodes,
    readinessDelayMs: 0,
    namespaceTerminationGraceMs: 200,
    ...opts,
  });
  const kc = loadKubeconfig({ path: emu.kubeconfigPath }).kubeConfig;
  return {
    emu,
    kc,
    stop: async () => {
      await emu.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** The lab topology's MetalLB plan for a version (pool 10.77.100.32/27, peer 10.77.1.1). */
export function labMetallbPlan(
  version: MetallbVersion,
  pool?: { name: string; addresses: string[] },
): MetallbPlan {
  const doc = labTopologyDocument(LAB, { host: '127.0.0.1', port: 22 }) as {
    metallb: { version: string };
    cluster: { pools: { name: string; addresses: string[] }[] };
  };
  doc.metallb.version = version;
  if (pool) doc.cluster.pools = [pool];
  const result = validateTopology(doc);
  if (!result.ok) throw new Error(`lab topology invalid: ${JSON.stringify(result.errors)}`);
  return buildPlan(result.topology, result.warnings).metallb;
}

export interface RecordingContext extends OperationContext {
  events: ProgressEvent[];
  controller: AbortController;
}

export function recordingContext(
  onEvent?: (e: ProgressEvent, controller: AbortController) => void,
): RecordingContext {
  const controller = new AbortController();
  const events: ProgressEvent[] = [];
  return {
    events,
    controller,
    signal: controller.signal,
    onProgress: (e) => {
      events.push(e);
      onEvent?.(e, controller);
    },
  };
}
