// The panel each step draws, by step id. Welcome is part of the first bundle; the rest load when
// first shown.

import { lazy } from 'react';
import type { ComponentType } from 'react';
import type { StepId } from './steps.ts';
import { WelcomeStep } from './WelcomeStep.tsx';

export const PANELS: Record<StepId, ComponentType> = {
  welcome: WelcomeStep,
  cluster: lazy(() => import('./ClusterStep.tsx').then((m) => ({ default: m.ClusterStep }))),
  router: lazy(() => import('./RouterStep.tsx').then((m) => ({ default: m.RouterStep }))),
  topology: lazy(() => import('./TopologyStep.tsx').then((m) => ({ default: m.TopologyStep }))),
  review: lazy(() => import('./ReviewStep.tsx').then((m) => ({ default: m.ReviewStep }))),
  apply: lazy(() => import('./ApplyStep.tsx').then((m) => ({ default: m.ApplyStep }))),
  test: lazy(() => import('./TestStep.tsx').then((m) => ({ default: m.TestStep }))),
  done: lazy(() => import('./DoneStep.tsx').then((m) => ({ default: m.DoneStep }))),
};
