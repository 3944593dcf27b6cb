// Wizard state. Persisted (without secrets) in a later issue; the shape starts here.

import { create } from 'zustand';
import type { StepId } from '../steps/steps.ts';
import { STEPS } from '../steps/steps.ts';

export interface WizardState {
  current: StepId;
  topologyText: string;
  goTo: (step: StepId) => void;
  setTopologyText: (text: string) => void;
}

export const useWizard = create<WizardState>((set) => ({
  current: STEPS[0]!.id,
  topologyText: '',
  goTo: (step) => set({ current: step }),
  setTopologyText: (text) => set({ topologyText: text }),
}));
