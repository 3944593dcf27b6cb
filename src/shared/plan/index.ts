// Public entry of the planner: pure functions from a validated Topology to MetalLB objects and
// router commands, plus the diff against a router's current config and the teardown.

import type { Topology, TopologyWarning } from '../topology/index.ts';
import { buildMetallbPlan } from './metallb.ts';
import { buildRouterPlan } from './router.ts';
import type { Plan, PlanSecrets } from './types.ts';

export type {
  KubeObject,
  MetallbFormat,
  MetallbPlan,
  Plan,
  PlanSecrets,
  PreviewKind,
  PreviewLine,
  RouterDiff,
  RouterLine,
  RouterPlan,
} from './types.ts';
export {
  ADVERTISEMENT_NAME,
  LEGACY_CONFIGMAP_NAME,
  MANAGED_BY_LABELS,
  METALLB_NAMESPACE,
  PEER_NAME,
  buildMetallbPlan,
  legacyConfigText,
  metallbFormat,
  renderYamlDocuments,
} from './metallb.ts';
export {
  CFG_WRAPPER,
  SCRIPT_EXIT,
  renderExecScript,
  renderInteractiveCommands,
  renderRouterLine,
  renderSaveScript,
} from './render.ts';
export {
  NEIGHBOR_MARK,
  bgpRoot,
  buildRouterLines,
  buildRouterPlan,
  isMarkedDescription,
  neighborDescription,
} from './router.ts';
export { diffRouterConfig } from './diff.ts';
export {
  BGP_PASSWORD_PLACEHOLDER,
  BGP_PASSWORD_SECRET,
  bgpPasswordProblem,
  redactBgpPassword,
} from './password.ts';
export { teardownPlan } from './teardown.ts';

/**
 * Everything the wizard will do for a VALIDATED topology (run validateTopology first). Throws only
 * if a router token slipped past validation, which is a bug, not a user error.
 */
export function buildPlan(topology: Topology, warnings: TopologyWarning[] = [], secrets?: PlanSecrets): Plan {
  return {
    topology,
    metallb: buildMetallbPlan(topology),
    router: buildRouterPlan(topology, secrets),
    warnings,
    ...(secrets ? { secrets } : {}),
  };
}
