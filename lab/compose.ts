// What the in-memory demo and the real lab have in common: the Kubernetes API emulator and the
// EdgeRouter emulator started around a routing backend, wired together, described in a topology
// file, and checked to answer before anyone is told the lab is ready. Only the backend differs.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { stringify } from 'yaml';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import { startKubeEmulator } from './kube/index.ts';
import type { Scenario } from './kube/index.ts';
import { startRouterEmulator } from './router/index.ts';
import type { Dialect } from './router/index.ts';
import { fingerprintOfBlob } from './router/index.ts';
import type { RoutingBackend } from './router/index.ts';
import { labTopologyDocument } from './spec.ts';
import type { LabSpec } from './spec.ts';

/** The part of the ready line both labs print (`lab up` adds the namespaces). */
export interface EmulatorsLine {
  router: {
    host: string;
    port: number;
    username: string;
    password: string;
    hostKeySha256: string;
    /** The router emulator's dialect, as in the topology file's `router.dialect`. */
    dialect: Dialect;
  };
  kubeconfig: string;
  topology: string;
}

export type Cleanup = () => Promise<void>;

const HOST = '127.0.0.1';

export function routerInterfaces(spec: LabSpec): { name: string; address: string }[] {
  return [
    { name: spec.wan.interface, address: spec.wan.address },
    { name: spec.cluster.interface, address: spec.cluster.address },
    { name: spec.lan.interface, address: spec.lan.address },
  ];
}

/**
 * Starts both emulators around `backend` and registers a cleanup for each as soon as it exists,
 * so that a failure part-way lets the caller undo what did start.
 */
export async function startLabEmulators(opts: {
  spec: LabSpec;
  dir: string;
  backend: RoutingBackend;
  cleanups: Cleanup[];
  readinessDelayMs?: number;
  readyTimeoutMs: number;
  onViewError: (error: unknown) => void;
  /** The router's dialect, also written as the topology file's `router.dialect` (default 'edgeos'). */
  dialect?: Dialect;
  /** Cluster scenarios seeded into the Kubernetes API emulator. */
  scenario?: Scenario[];
  /** The router emulator's response delay (its `faults.delayMs`; default 0). */
  routerDelayMs?: number;
  /** OpenSSH public key lines the router's user may sign in with, besides the password. */
  authorizedKeys?: string[];
}): Promise<EmulatorsLine> {
  const { spec, dir, backend, cleanups } = opts;
  const dialect = opts.dialect ?? 'edgeos';
  const kube = await startKubeEmulator({
    stateDir: join(dir, 'kube'),
    nodes: spec.nodes,
    ...(opts.readinessDelayMs === undefined ? {} : { readinessDelayMs: opts.readinessDelayMs }),
    ...(opts.scenario === undefined ? {} : { scenario: opts.scenario }),
  });
  cleanups.push(() => kube.stop());
  await backend.setClusterView(kube.clusterBgpView());
  kube.onBgpViewChange((view) => {
    backend.setClusterView(view).catch(opts.onViewError);
  });

  const router = await startRouterEmulator({
    stateDir: join(dir, 'router'),
    dialect,
    backend,
    host: HOST,
    port: 0,
    users: [
      {
        username: spec.router.username,
        password: spec.router.password,
        ...(opts.authorizedKeys?.length ? { authorizedKeys: opts.authorizedKeys } : {}),
      },
    ],
    interfaces: routerInterfaces(spec),
  });
  cleanups.push(() => router.stop());
  router.faults.delayMs = opts.routerDelayMs ?? 0;

  const topology = join(dir, 'topology.yaml');
  await writeFile(
    topology,
    stringify(labTopologyDocument(spec, { host: router.host, port: router.port }, dialect)),
  );

  const line: EmulatorsLine = {
    router: {
      host: router.host,
      port: router.port,
      username: spec.router.username,
      password: spec.router.password,
      hostKeySha256: router.hostKeySha256,
      dialect,
    },
    kubeconfig: kube.kubeconfigPath,
    topology,
  };
  await Promise.all([checkSshLogin(line.router, opts.readyTimeoutMs), checkApiVersion(line.kubeconfig)]);
  return line;
}

/** Runs cleanups in reverse order of start; one failing step must not keep the others around. */
export async function runCleanups(cleanups: Cleanup[], onError: (error: unknown) => void): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch(onError);
  }
}

/** Ready means a real password login succeeds and the host key is the one the line advertises. */
function checkSshLogin(router: EmulatorsLine['router'], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let offered = '';
    client
      .on('ready', () => {
        client.end();
        resolve();
      })
      .on('error', (error) =>
        reject(
          new Error(
            `SSH login to the router emulator at ${router.host}:${router.port} failed: ${error.message}` +
              (offered ? ` (host key ${offered})` : ''),
          ),
        ),
      )
      .connect({
        host: router.host,
        port: router.port,
        username: router.username,
        password: router.password,
        readyTimeout: timeoutMs,
        hostVerifier: (key: Buffer) => {
          offered = fingerprintOfBlob(key);
          return offered === router.hostKeySha256;
        },
      });
  });
}

async function checkApiVersion(kubeconfigPath: string): Promise<void> {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  try {
    await config.makeApiClient(VersionApi).getCode();
  } catch (error) {
    throw new Error(`the Kubernetes API emulator does not serve /version: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
