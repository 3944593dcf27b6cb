// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { applicableSteps, canEnter, navigationOf, unmetNeeds } from './engine.ts';
import type { StepDefinition } from './engine.ts';
import { STEPS } from './steps.ts';
import type { StepState } from './steps.ts';
import { INITIAL_WIZARD } from '../store/wizard.ts';
import { idleRun } from '../store/session.ts';
import type { PlanReport } from '../../shared/report.ts';

type Toy = { a: boolean; b: boolean; skipB: boolean };

function toyStep(
  id: 'a' | 'b' | 'c',
  extra: Partial<StepDefinition<Toy, 'a' | 'b' | 'c'>>,
): StepDefinition<Toy, 'a' | 'b' | 'c'> {
  return {
    id,
    title: id.toUpperCase(),
    summary: '',
    appliesWhen: () => true,
    needs: [],
    required: true,
    action: null,
    isComplete: () => true,
    status: () => ({ tone: 'todo', text: '' }),
    ...extra,
  };
}

const TOY = [
  toyStep('a', { isComplete: (s) => s.a }),
  toyStep('b', { appliesWhen: (s) => !s.skipB, isComplete: (s) => s.b }),
  toyStep('c', { needs: ['a', 'b'] }),
];

describe('step engine', () => {
  it('keeps Next disabled until a required step is complete, and says why', () => {
    const nav = navigationOf(TOY, { a: false, b: false, skipB: false }, 'a');
    expect(nav?.next).toBeNull();
    expect(nav?.nextBlockedBy).toBe('Complete “A” first.');
    expect(navigationOf(TOY, { a: true, b: false, skipB: false }, 'a')?.next).toBe('b');
  });

  it('skips a step that does not apply, and its need no longer counts', () => {
    const state = { a: true, b: false, skipB: true };
    expect(applicableSteps(TOY, state).map((s) => s.id)).toEqual(['a', 'c']);
    expect(navigationOf(TOY, state, 'a')?.next).toBe('c');
    expect(unmetNeeds(TOY[2]!, TOY, state)).toEqual([]);
    expect(navigationOf(TOY, state, 'c')?.back).toBe('a');
  });

  it('refuses to enter a step whose needs are incomplete', () => {
    const state = { a: true, b: false, skipB: false };
    expect(canEnter(TOY[2]!, TOY, state)).toBe(false);
    expect(unmetNeeds(TOY[2]!, TOY, state).map((s) => s.id)).toEqual(['b']);
  });

  it('shows the first applicable step when the current one does not apply', () => {
    const nav = navigationOf(TOY, { a: true, b: true, skipB: true }, 'b');
    expect(nav?.step.id).toBe('a');
    expect(nav?.back).toBeNull();
  });
});

const VALID_PLAN: PlanReport = { ok: true, errors: [], warnings: [], metallb: null, router: null };

function wizardState(
  over: Partial<StepState['wizard']> = {},
  session: Partial<StepState['session']> = {},
): StepState {
  return {
    wizard: { ...INITIAL_WIZARD, ...over },
    session: {
      routerConnected: false,
      plan: { status: 'idle' },
      planFor: null,
      preview: { status: 'idle' },
      previewFor: null,
      apply: idleRun(),
      connect: { status: 'idle' },
      probing: { status: 'idle' },
      ...session,
    },
  };
}

describe('the wizard steps', () => {
  it('runs the first-time setup through all eight steps', () => {
    expect(applicableSteps(STEPS, wizardState()).map((s) => s.id)).toEqual([
      'welcome',
      'cluster',
      'router',
      'topology',
      'review',
      'apply',
      'test',
      'done',
    ]);
  });

  it('changes a topology without the welcome and cluster steps', () => {
    const state = wizardState({ flow: 'change', current: 'welcome' });
    expect(applicableSteps(STEPS, state).map((s) => s.id)).toEqual([
      'router',
      'topology',
      'review',
      'apply',
      'test',
      'done',
    ]);
    expect(navigationOf(STEPS, state, 'welcome')?.step.id).toBe('router');
  });

  it('completes the cluster step with a probe and the topology step with a valid plan for the current text', () => {
    const noProbe = wizardState({ current: 'cluster' });
    expect(navigationOf(STEPS, noProbe, 'cluster')?.next).toBeNull();
    const probed = wizardState({
      clusterProbe: {
        server: 'https://127.0.0.1:6443',
        version: { gitVersion: 'v1.31.0', minor: 31 },
        nodes: [],
        metallb: null,
        kubeProxy: { mode: 'iptables', strictARP: null },
        conflicts: [],
      },
    });
    expect(navigationOf(STEPS, probed, 'cluster')?.next).toBe('router');

    const text = INITIAL_WIZARD.topologyText;
    const stale = wizardState({}, { plan: { status: 'ok', value: VALID_PLAN }, planFor: 'older text' });
    expect(STEPS.find((s) => s.id === 'topology')?.isComplete(stale)).toBe(false);
    const current = wizardState({}, { plan: { status: 'ok', value: VALID_PLAN }, planFor: text });
    expect(STEPS.find((s) => s.id === 'topology')?.isComplete(current)).toBe(true);
  });

  it('lets Review open only once the router is connected and the topology is valid', () => {
    const text = INITIAL_WIZARD.topologyText;
    const review = STEPS.find((s) => s.id === 'review')!;
    const planned = wizardState({}, { plan: { status: 'ok', value: VALID_PLAN }, planFor: text });
    expect(unmetNeeds(review, STEPS, planned).map((s) => s.id)).toEqual(['router']);
    const both = wizardState(
      {
        routerProbe: { dialect: 'edgeos', version: 'v2.0.9', model: null, hasCurl: true },
      },
      { plan: { status: 'ok', value: VALID_PLAN }, planFor: text, routerConnected: true },
    );
    expect(canEnter(review, STEPS, both)).toBe(true);
    expect(navigationOf(STEPS, both, 'topology')?.next).toBe('review');
  });

  it('passes over the optional test step, but not an unfinished apply', () => {
    expect(navigationOf(STEPS, wizardState(), 'apply')?.next).toBeNull();
    const applied = wizardState({ applied: { at: '2025-01-01T00:00:00Z', result: {} as never } });
    expect(navigationOf(STEPS, applied, 'apply')?.next).toBe('test');
    expect(navigationOf(STEPS, applied, 'test')?.next).toBe('done');
    expect(navigationOf(STEPS, applied, 'done')?.nextBlockedBy).toBe('This is the last step.');
  });
});
