// The shapes the CLI prints with --json and the renderer shows on its review screen. One function
// builds each, so every shell shows the same object.

import type { TopologyError, TopologyWarning, ValidationResult } from './topology/index.ts';
import { buildPlan } from './plan/index.ts';
import type { KubeObject, Plan } from './plan/index.ts';
import { parseBgpNeighbors, parseBgpRoutes, parseBgpSummary } from './parse/index.ts';
import type { BgpNeighbor, BgpRoute, BgpSummary } from './parse/index.ts';

export interface PlanReport {
  ok: boolean;
  errors: TopologyError[];
  warnings: TopologyWarning[];
  metallb: { version: string; format: 'crd' | 'configmap'; objects: KubeObject[] } | null;
  router: { dialect: 'edgeos' | 'vyos'; commands: string[]; script: string } | null;
}

export function planReportOf(validation: ValidationResult): PlanReport {
  if (!validation.ok) {
    return {
      ok: false,
      errors: validation.errors,
      warnings: validation.warnings,
      metallb: null,
      router: null,
    };
  }
  const plan: Plan = buildPlan(validation.topology, validation.warnings);
  return {
    ok: true,
    errors: [],
    warnings: plan.warnings,
    metallb: { version: plan.metallb.version, format: plan.metallb.format, objects: plan.metallb.objects },
    router: { dialect: plan.router.dialect, commands: plan.router.commands, script: plan.router.script },
  };
}

export const OUTPUT_KINDS = ['summary', 'neighbors', 'routes'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

export type ParsedOutput =
  | { kind: 'summary'; result: BgpSummary }
  | { kind: 'neighbors'; result: BgpNeighbor[] }
  | { kind: 'routes'; result: BgpRoute[] };

export function parsedOutputOf(kind: OutputKind, text: string): ParsedOutput {
  switch (kind) {
    case 'summary':
      return { kind, result: parseBgpSummary(text) };
    case 'neighbors':
      return { kind, result: parseBgpNeighbors(text) };
    case 'routes':
      return { kind, result: parseBgpRoutes(text) };
  }
}
