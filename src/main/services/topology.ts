// The topology as every operation takes it: the user's text and file name, parsed and validated
// by the one parser, then planned. Apply never recomputes a plan from anything else.

import { parseTopologyText } from '../../shared/topology/index.ts';
import { buildPlan } from '../../shared/plan/index.ts';
import type { Plan, PlanSecrets } from '../../shared/plan/index.ts';
import { planReportOf } from '../../shared/report.ts';
import type { PlanReport } from '../../shared/report.ts';
import { UserError } from '../errors.ts';

export interface TopologyInput {
  text: string;
  fileName: string;
}

export function planReportOfInput(input: TopologyInput): PlanReport {
  return planReportOf(parseTopologyText(input.text, input.fileName));
}

/** The plan of a valid topology; an invalid one is refused with its first error, naming the field. */
export function planOfInput(input: TopologyInput, secrets?: PlanSecrets): Plan {
  const result = parseTopologyText(input.text, input.fileName);
  if (!result.ok) {
    const first = result.errors[0];
    const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more problems)` : '';
    throw new UserError(
      `${input.fileName}: ${first?.path || '(top level)'}: ${first?.message ?? 'invalid'}${more}`,
      {
        kind: 'invalid',
        ...(first?.path ? { path: first.path } : {}),
      },
    );
  }
  return buildPlan(result.topology, result.warnings, secrets);
}
