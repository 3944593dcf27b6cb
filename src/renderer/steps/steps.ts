// The wizard's steps as data; a small engine (App) runs them. Later steps (cluster, router, apply,
// test) arrive with the services they need.

export type StepId = 'welcome' | 'topology';

export interface StepSpec {
  id: StepId;
  title: string;
  summary: string;
}

export const STEPS: readonly StepSpec[] = [
  { id: 'welcome', title: 'Welcome', summary: 'What will change on the router and on the cluster.' },
  { id: 'topology', title: 'Topology', summary: 'Paste a topology and review the plan.' },
];
