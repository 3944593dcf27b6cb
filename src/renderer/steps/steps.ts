// The wizard's steps as data, run by engine.ts. Each says when it applies, what it needs, what it
// runs, and how it completes; the panels that draw them are in panels.ts.

import type { SessionState } from '../store/session.ts';
import type { WizardData } from '../store/wizard.ts';
import { useWizard } from '../store/wizard.ts';
import {
  buildPlan,
  connectRouter,
  loadContexts,
  loadPreview,
  loadServices,
  openStatusWindow,
  probeCluster,
  runApply,
  runTest,
} from '../store/actions.ts';
import type { StepDefinition } from './engine.ts';

export const STEP_IDS = [
  'welcome',
  'cluster',
  'router',
  'topology',
  'review',
  'apply',
  'test',
  'done',
] as const;
export type StepId = (typeof STEP_IDS)[number];

/** What the steps decide on: the lasting choices and this run's answers from main. */
export interface StepState {
  wizard: WizardData;
  session: Pick<
    SessionState,
    'routerConnected' | 'plan' | 'planFor' | 'preview' | 'previewFor' | 'apply' | 'connect' | 'probing'
  >;
}

export type WizardStep = StepDefinition<StepState, StepId>;

const inSetup = (s: StepState) => s.wizard.flow === 'setup';
const always = () => true;

function planIsCurrent(s: StepState): boolean {
  const { plan, planFor } = s.session;
  return plan.status === 'ok' && planFor === s.wizard.topologyText;
}

function previewIsCurrent(s: StepState): boolean {
  const { preview, previewFor } = s.session;
  return preview.status === 'ok' && previewFor === s.wizard.topologyText;
}

function applyDone(s: StepState): boolean {
  return s.session.apply.phase === 'done' || (s.wizard.flow === 'setup' && s.wizard.applied !== null);
}

export const STEPS: readonly WizardStep[] = [
  {
    id: 'welcome',
    title: 'Welcome',
    summary: 'What will change on the router and on the cluster, and what will not.',
    appliesWhen: inSetup,
    needs: [],
    required: false,
    action: null,
    isComplete: always,
    status: () => ({ tone: 'done', text: 'Read' }),
  },
  {
    id: 'cluster',
    title: 'Cluster',
    summary: 'Pick the kubeconfig and context, and test the connection.',
    appliesWhen: inSetup,
    needs: [],
    required: true,
    action: { label: 'Test connection', testId: 'cluster-test', run: probeCluster },
    onEnter: () => void loadContexts(),
    isComplete: (s) => s.wizard.clusterProbe !== null,
    status: (s) => {
      if (s.session.probing.status === 'loading') return { tone: 'running', text: 'Testing…' };
      if (s.session.probing.status === 'error') return { tone: 'error', text: 'Connection failed' };
      const probe = s.wizard.clusterProbe;
      if (!probe) return { tone: 'todo', text: 'Not tested' };
      const conflicts = probe.conflicts.length;
      return conflicts > 0
        ? { tone: 'warning', text: `${probe.nodes.length} nodes, ${conflicts} to check` }
        : { tone: 'done', text: `${probe.nodes.length} nodes, ${probe.version.gitVersion}` };
    },
  },
  {
    id: 'router',
    title: 'Router',
    summary: 'Address, user and credentials; confirm the host key.',
    appliesWhen: always,
    needs: [],
    required: true,
    action: { label: 'Connect', testId: 'router-connect', run: () => connectRouter() },
    isComplete: (s) => s.session.routerConnected && s.wizard.routerProbe !== null,
    status: (s) => {
      if (s.session.connect.status === 'loading') return { tone: 'running', text: 'Connecting…' };
      if (s.session.connect.status === 'error') return { tone: 'error', text: 'Not connected' };
      const probe = s.wizard.routerProbe;
      if (!s.session.routerConnected || !probe) return { tone: 'todo', text: 'Not connected' };
      return { tone: 'done', text: `${probe.dialect === 'edgeos' ? 'EdgeOS' : 'VyOS'} ${probe.version}` };
    },
  },
  {
    id: 'topology',
    title: 'Topology',
    summary: 'Interfaces, subnets, ASNs, nodes and pools; checked as you type.',
    appliesWhen: always,
    needs: [],
    required: true,
    action: { label: 'Check topology', testId: 'topology-check', run: buildPlan },
    onEnter: () => void buildPlan(),
    isComplete: (s) => planIsCurrent(s) && s.session.plan.status === 'ok' && s.session.plan.value.ok,
    status: (s) => {
      const plan = s.session.plan;
      if (plan.status === 'loading') return { tone: 'running', text: 'Checking…' };
      if (plan.status === 'error') return { tone: 'error', text: 'Cannot check' };
      if (plan.status !== 'ok' || !planIsCurrent(s)) return { tone: 'todo', text: 'Not checked' };
      if (!plan.value.ok) return { tone: 'error', text: `${plan.value.errors.length} to fix` };
      return plan.value.warnings.length > 0
        ? { tone: 'warning', text: `${plan.value.warnings.length} warnings` }
        : { tone: 'done', text: 'Valid' };
    },
  },
  {
    id: 'review',
    title: 'Review',
    summary: 'The exact MetalLB YAML, router commands and the diff.',
    appliesWhen: always,
    needs: ['router', 'topology'],
    required: true,
    action: { label: 'Refresh preview', testId: 'review-refresh', run: loadPreview },
    onEnter: () => void loadPreview(),
    isComplete: (s) =>
      previewIsCurrent(s) &&
      s.session.preview.status === 'ok' &&
      s.session.preview.value.router.error === null,
    status: (s) => {
      const preview = s.session.preview;
      if (preview.status === 'loading') return { tone: 'running', text: 'Reading the router…' };
      if (preview.status === 'error') return { tone: 'error', text: 'No preview' };
      if (preview.status !== 'ok' || !previewIsCurrent(s)) return { tone: 'todo', text: 'Not reviewed' };
      if (preview.value.router.error) return { tone: 'error', text: 'Refused' };
      return { tone: 'done', text: preview.value.router.unchanged ? 'Router unchanged' : 'Ready' };
    },
  },
  {
    id: 'apply',
    title: 'Apply',
    summary: 'Install MetalLB and configure the router, with progress.',
    appliesWhen: always,
    needs: ['review'],
    required: true,
    action: { label: 'Apply', testId: 'apply-run', run: runApply },
    isComplete: applyDone,
    status: (s) => {
      const run = s.session.apply;
      if (run.phase === 'running') return { tone: 'running', text: `${run.percent}%` };
      if (run.phase === 'failed') return { tone: 'error', text: 'Failed' };
      if (run.phase === 'cancelled') return { tone: 'warning', text: 'Cancelled' };
      return applyDone(s) ? { tone: 'done', text: 'Applied' } : { tone: 'todo', text: 'Not applied' };
    },
  },
  {
    id: 'test',
    title: 'Test',
    summary: 'curl from the router to a LoadBalancer Service.',
    appliesWhen: always,
    needs: ['apply'],
    required: false,
    action: {
      label: 'Run test',
      testId: 'test-run',
      run: async () => {
        // The target the user picked on the panel; the panel disables the button without one.
        const { testTarget, testCount } = useWizard.getState();
        if (testTarget) await runTest(testTarget, testCount);
      },
    },
    onEnter: () => void loadServices(),
    isComplete: (s) => (s.wizard.test?.succeeded ?? 0) > 0,
    status: (s) => {
      const test = s.wizard.test;
      if (!test) return { tone: 'todo', text: 'Not run' };
      return test.succeeded === test.attempts
        ? { tone: 'done', text: `${test.succeeded}/${test.attempts} answered` }
        : {
            tone: test.succeeded > 0 ? 'warning' : 'error',
            text: `${test.succeeded}/${test.attempts} answered`,
          };
    },
  },
  {
    id: 'done',
    title: 'Done',
    summary: 'Export the bundle; open the live status window.',
    appliesWhen: always,
    needs: ['apply'],
    required: false,
    action: { label: 'Open status window', testId: 'open-status', run: openStatusWindow },
    isComplete: always,
    status: (s) => (applyDone(s) ? { tone: 'done', text: 'Set up' } : { tone: 'todo', text: '' }),
  },
];

export function stepOf(id: StepId): WizardStep {
  const step = STEPS.find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id}`);
  return step;
}
