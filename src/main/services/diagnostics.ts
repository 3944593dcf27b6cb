// The diagnostics a user attaches to a bug report: what runs where, what the probes saw, the parsed
// status and the end of the log. Everything in it is already redacted: the log never holds a
// secret, and responses never carry one.

import { readFile } from 'node:fs/promises';
import type { ValidRequestOf } from '../../shared/contract.ts';
import { APP_VERSION } from '../version.ts';
import { messageOf } from '../errors.ts';
import type { ServiceDeps } from './context.ts';
import { clusterProbeOf } from './cluster.ts';
import type { RouterConnections } from './routers.ts';
import { targetOfPlan } from './routers.ts';
import { statusRead } from './status.ts';
import { planOfInput } from './topology.ts';

const LOG_LINES = 300;

/** The result of `work`, or what went wrong: a diagnostics file is most useful when something fails. */
async function outcomeOf<T>(
  work: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
}

async function logTail(file: string): Promise<string[]> {
  if (!file) return [];
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).slice(-LOG_LINES);
}

export async function diagnosticsOf(
  deps: ServiceDeps,
  routers: RouterConnections,
  request: ValidRequestOf<'app.diagnostics'>,
): Promise<{ fileName: string; text: string }> {
  const report: Record<string, unknown> = {
    app: { version: APP_VERSION, shell: deps.shell, node: process.versions.node, platform: process.platform },
    createdAt: new Date().toISOString(),
  };
  if (request.topology) {
    const topology = request.topology;
    const plan = await outcomeOf(async () => planOfInput(topology));
    if (plan.ok) {
      report['router'] = await outcomeOf(async () => {
        const probe = await routers.probeFor(targetOfPlan(plan.value));
        return { dialect: probe.dialect, version: probe.version, model: probe.model, hasCurl: probe.hasCurl };
      });
      report['status'] = await outcomeOf(() =>
        statusRead(deps, routers, { topology, kube: request.kube ?? {} }),
      );
    }
    report['cluster'] = await outcomeOf(() => clusterProbeOf(deps, request.kube ?? {}));
  }
  report['log'] = await logTail(deps.log.file);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    fileName: `metallb-bgp-wizard-diagnostics-${stamp}.json`,
    text: `${JSON.stringify(report, null, 2)}\n`,
  };
}
