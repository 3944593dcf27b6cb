// Shapes produced by the planner. Everything here is plain data: the CLI prints it as JSON, the
// renderer shows it, and main sends `script` over an SSH exec channel.

import type { MetallbVersion, RouterDialect, Topology, TopologyWarning } from '../topology/index.ts';

/** A Kubernetes object as applied with server-side apply; `kind`-specific fields sit beside metadata. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
};

/** MetalLB 0.13+ takes CRDs; 0.12.x and earlier read one ConfigMap. */
export type MetallbFormat = 'crd' | 'configmap';

export interface MetallbPlan {
  version: MetallbVersion;
  format: MetallbFormat;
  objects: KubeObject[];
}

/** One configuration command as tokens, e.g. set + [protocols, bgp, 64512, parameters, router-id, 192.168.1.1]. */
export type RouterLine = { op: 'set' | 'delete'; path: string[] };

export interface RouterPlan {
  dialect: RouterDialect;
  lines: RouterLine[];
  /** What a person types in an interactive session: configure, the lines, commit, save, exit. */
  commands: string[];
  /** For one SSH exec channel; never saves (the app saves only after verifying the running config). */
  script: string;
  /** For the export bundle, run by hand: the same script, saving at its end. */
  handScript: string;
  /** Saves the running config once the app has verified it. */
  saveScript: string;
}

/** Values a plan may need that never appear in what is shown or exported. */
export interface PlanSecrets {
  bgpPassword?: string;
}

export interface Plan {
  topology: Topology;
  metallb: MetallbPlan;
  router: RouterPlan;
  warnings: TopologyWarning[];
  /** Only in the plan main applies; shown and exported plans hold the placeholder instead. */
  secrets?: PlanSecrets;
}

export type PreviewKind = 'add' | 'remove' | 'keep';

export interface PreviewLine {
  line: string;
  kind: PreviewKind;
}

export type RouterDiff =
  | {
      ok: true;
      /** The fewest set/delete lines that turn the router's BGP config into the plan. */
      lines: RouterLine[];
      unchanged: boolean;
      conflicts: [];
      script: string;
      commands: string[];
      preview: PreviewLine[];
    }
  | {
      ok: false;
      error: string;
      /** Every unmarked neighbor in the way, when that is the reason (empty otherwise). */
      conflicts: string[];
    };
