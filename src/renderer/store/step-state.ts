// The state the step engine decides on, read from both stores as one hook.

import { useShallow } from 'zustand/react/shallow';
import type { StepState } from '../steps/steps.ts';
import { useSession } from './session.ts';
import { useWizard } from './wizard.ts';
import type { WizardData } from './wizard.ts';

export function useStepState(): StepState {
  const wizard: WizardData = useWizard(
    useShallow((s) => ({
      current: s.current,
      flow: s.flow,
      screen: s.screen,
      presetApplied: s.presetApplied,
      presetSource: s.presetSource,
      kube: s.kube,
      router: s.router,
      topologyText: s.topologyText,
      topologyFileName: s.topologyFileName,
      clusterProbe: s.clusterProbe,
      routerProbe: s.routerProbe,
      hostKey: s.hostKey,
      applied: s.applied,
      test: s.test,
      echo: s.echo,
      testTarget: s.testTarget,
      testCount: s.testCount,
    })),
  );
  const session = useSession(
    useShallow((s) => ({
      routerConnected: s.routerConnected,
      plan: s.plan,
      planFor: s.planFor,
      preview: s.preview,
      previewFor: s.previewFor,
      apply: s.apply,
      connect: s.connect,
      probing: s.probing,
    })),
  );
  return { wizard, session };
}
