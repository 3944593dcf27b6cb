// A small step engine: the wizard's steps are data (steps.ts) and this decides, for any state,
// which steps apply, which is shown, and where Back and Next go. No step is special-cased here.

export type StepTone = 'todo' | 'running' | 'done' | 'warning' | 'error';

export interface StepStatusView {
  tone: StepTone;
  text: string;
}

export interface StepAction {
  label: string;
  /** A stable test id for the button that runs it. */
  testId: string;
  run: () => Promise<unknown>;
}

export interface StepDefinition<S, Id extends string = string> {
  id: Id;
  title: string;
  summary: string;
  /** Whether the step is part of the flow in this state (e.g. only the first-time setup). */
  appliesWhen: (state: S) => boolean;
  /** Steps that must be complete (when they apply) before this one can be entered. */
  needs: readonly Id[];
  /** Next stays disabled until the step is complete; an optional step can be passed over. */
  required: boolean;
  /** What the step runs, as its main button. */
  action: StepAction | null;
  /** Run when the step is shown (load what it displays). */
  onEnter?: () => void;
  isComplete: (state: S) => boolean;
  status: (state: S) => StepStatusView;
}

export function applicableSteps<S, Id extends string>(
  steps: readonly StepDefinition<S, Id>[],
  state: S,
): StepDefinition<S, Id>[] {
  return steps.filter((s) => s.appliesWhen(state));
}

/** The needed steps that apply and are not complete yet. */
export function unmetNeeds<S, Id extends string>(
  step: StepDefinition<S, Id>,
  steps: readonly StepDefinition<S, Id>[],
  state: S,
): StepDefinition<S, Id>[] {
  return step.needs
    .map((id) => steps.find((s) => s.id === id))
    .filter(
      (s): s is StepDefinition<S, Id> => s !== undefined && s.appliesWhen(state) && !s.isComplete(state),
    );
}

export function canEnter<S, Id extends string>(
  step: StepDefinition<S, Id>,
  steps: readonly StepDefinition<S, Id>[],
  state: S,
): boolean {
  return step.appliesWhen(state) && unmetNeeds(step, steps, state).length === 0;
}

/** The step to show for `currentId`: itself when it applies, else the first applicable step. */
export function shownStep<S, Id extends string>(
  steps: readonly StepDefinition<S, Id>[],
  state: S,
  currentId: Id,
): StepDefinition<S, Id> | null {
  const applicable = applicableSteps(steps, state);
  return applicable.find((s) => s.id === currentId) ?? applicable[0] ?? null;
}

export interface Navigation<S, Id extends string> {
  step: StepDefinition<S, Id>;
  /** 0-based among the applicable steps. */
  index: number;
  steps: StepDefinition<S, Id>[];
  back: Id | null;
  next: Id | null;
  /** Why Next is disabled, in words, or null. */
  nextBlockedBy: string | null;
}

export function navigationOf<S, Id extends string>(
  steps: readonly StepDefinition<S, Id>[],
  state: S,
  currentId: Id,
): Navigation<S, Id> | null {
  const step = shownStep(steps, state, currentId);
  if (!step) return null;
  const applicable = applicableSteps(steps, state);
  const index = applicable.indexOf(step);
  const following = applicable[index + 1] ?? null;
  let nextBlockedBy: string | null = null;
  if (following === null) nextBlockedBy = 'This is the last step.';
  else if (step.required && !step.isComplete(state)) nextBlockedBy = `Complete “${step.title}” first.`;
  else {
    const missing = unmetNeeds(following, steps, state);
    if (missing.length > 0)
      nextBlockedBy = `“${following.title}” needs ${missing.map((m) => `“${m.title}”`).join(' and ')} first.`;
  }
  return {
    step,
    index,
    steps: applicable,
    back: index > 0 ? (applicable[index - 1]?.id ?? null) : null,
    next: nextBlockedBy === null && following ? following.id : null,
    nextBlockedBy,
  };
}
