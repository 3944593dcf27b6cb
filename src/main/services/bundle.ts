// Export and import of the configuration bundle. The bundle never holds a secret; with the
// router's running config at hand its teardown is exact, otherwise it assumes the plan's config.

import type { ValidRequestOf } from '../../shared/contract.ts';
import { bundleOf, topologyFromBundle } from '../bundle/index.ts';
import { APP_VERSION } from '../version.ts';
import { probeRouter } from '../router/index.ts';
import { messageOf } from '../errors.ts';
import type { ServiceDeps } from './context.ts';
import type { RouterConnections } from './routers.ts';
import { targetOfPlan } from './routers.ts';
import { planOfInput } from './topology.ts';

export async function bundleExport(
  deps: ServiceDeps,
  routers: RouterConnections,
  request: ValidRequestOf<'bundle.export'>,
): Promise<{ fileName: string; base64: string; files: string[] }> {
  const plan = planOfInput(request.topology);
  let routerConfigCommands: string | null = null;
  try {
    routerConfigCommands = (await probeRouter(await routers.sessionFor(targetOfPlan(plan)))).configCommands;
  } catch (error) {
    deps.log.write(`bundle: exported without the router's running config (${messageOf(error)})`);
  }
  const bytes = bundleOf({
    topologyText: request.topology.text,
    plan,
    routerConfigCommands,
    appVersion: APP_VERSION,
  });
  const { manifest } = topologyFromBundle(bytes, 'export');
  const stamp = new Date().toISOString().slice(0, 10);
  return {
    fileName: `metallb-bgp-wizard-${stamp}.zip`,
    base64: Buffer.from(bytes).toString('base64'),
    files: Object.keys(manifest.files),
  };
}

export function bundleImport(request: ValidRequestOf<'bundle.import'>): {
  topologyText: string;
  fileName: string;
} {
  const { topologyText } = topologyFromBundle(Buffer.from(request.base64, 'base64'), request.fileName);
  return { topologyText, fileName: 'topology.yaml' };
}
