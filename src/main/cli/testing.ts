// Test helpers for the CLI: run it in-process with its own data directory and environment, and
// start the demo lab (`lab/demo.ts --json`) as a child process, as a user would.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { runCli } from './run.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** For long-running commands: watch stdout as it comes, and get the CLI's cancel (its Ctrl-C). */
export interface CliHooks {
  onStdout?: (text: string) => void;
  onInterrupt?: (cancel: () => void) => void;
}

export interface CliHarness {
  home: string;
  env: NodeJS.ProcessEnv;
  run(argv: string[], extraEnv?: NodeJS.ProcessEnv, hooks?: CliHooks): Promise<CliRun>;
  json<T>(argv: string[]): Promise<T>;
}

/** A CLI with a home and data directory of its own, no terminal, no agent. */
export function cliHarness(env: NodeJS.ProcessEnv): CliHarness {
  const home = mkdtempSync(join(tmpdir(), 'mbw-home-'));
  const base: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    ...env,
  };
  const harness: CliHarness = {
    home,
    env: base,
    async run(argv, extraEnv = {}, hooks = {}) {
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, {
        stdout: (t) => {
          stdout += t;
          hooks.onStdout?.(t);
        },
        ...(hooks.onInterrupt ? { onInterrupt: hooks.onInterrupt } : {}),
        stderr: (t) => (stderr += t),
        readStdin: async () => '',
        env: { ...base, ...extraEnv },
        home,
        interactive: false,
      });
      return { code, stdout, stderr };
    },
    async json<T>(argv: string[]) {
      const result = await harness.run([...argv, '--json']);
      if (result.code !== 0) throw new Error(`${argv[0]} exited ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    },
  };
  return harness;
}

export interface DemoLine {
  router: { host: string; port: number; username: string; password: string; hostKeySha256: string };
  kubeconfig: string;
  topology: string;
}

export interface RunningDemo {
  line: DemoLine;
  stop(): Promise<void>;
}

const DEMO = resolve(import.meta.dirname, '../../../lab/demo.ts');

/** Starts `lab/demo.ts --json --no-app` (the lab without the wizard) with `args`; resolves with its ready line. */
export function startDemo(args: string[], budgetMs = 20_000): Promise<RunningDemo> {
  const child: ChildProcess = spawn(process.execPath, [DEMO, '--json', '--no-app', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the demo was not ready within ${budgetMs} ms; stderr: ${stderr}`));
    }, budgetMs);
    createInterface({ input: child.stdout! }).once('line', (text) => {
      clearTimeout(timer);
      resolvePromise({ line: JSON.parse(text) as DemoLine, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code} before it was ready; stderr: ${stderr}`));
    });
  });
}

/** The CLI's connection options for the demo lab: its topology (or another file), kubeconfig and host key. */
export function demoConnection(line: DemoLine, topology = line.topology): string[] {
  return [
    '--topology',
    topology,
    '--kubeconfig',
    line.kubeconfig,
    '--router-host-key',
    line.router.hostKeySha256,
  ];
}

export async function removeHome(harness: CliHarness): Promise<void> {
  await rm(harness.home, { recursive: true, force: true });
}

/**
 * A user's own web Service, as `kubectl create deployment web --replicas 3` and `kubectl expose
 * --type LoadBalancer` would make it: three pods spread over the nodes, port 80.
 */
export async function exposeWebService(kubeconfig: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const api = KubernetesObjectApi.makeApiClient(kc);
  const labels = { app: 'web' };
  const objects = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels },
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
                args: ['netexec', '--http-port=8080'],
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default', labels },
      spec: { type: 'LoadBalancer', selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
    },
  ];
  for (const obj of objects) {
    await api.patch(
      structuredClone(obj),
      undefined,
      undefined,
      'test-user',
      true,
      PatchStrategy.ServerSideApply,
    );
  }
}

export interface StatusJson {
  neighbors: { address: string; node: string | null; state: string; prefixesReceived: number | null }[];
  routes: { prefix: string; service: string | null; nextHops: { address: string; node: string | null }[] }[];
}

/** Polls `status --json` until every node's session is Established and the Service's route has a hop per node. */
export async function statusWithEcmp(
  cli: CliHarness,
  connection: string[],
  service: string,
  nodes: number,
  timeoutMs: number,
): Promise<StatusJson> {
  const deadline = Date.now() + timeoutMs;
  let last: StatusJson | null = null;
  for (let delay = 200; Date.now() < deadline; delay = Math.min(delay * 2, 2000)) {
    last = await cli.json<StatusJson>(['status', ...connection]);
    const ours = last.neighbors.filter((n) => n.node !== null);
    const route = last.routes.find((r) => r.service === service);
    if (
      ours.length === nodes &&
      ours.every((n) => n.state === 'Established') &&
      route?.nextHops.length === nodes
    ) {
      return last;
    }
    await new Promise((r) => setTimeout(r, delay));
  }
  throw new Error(
    `status never showed ${nodes} Established neighbors and ${nodes} next hops for ${service}: ${JSON.stringify(last)}`,
  );
}
