// The wizard's lasting state: where the user is and what they chose. Persisted to localStorage so a
// closed app resumes at its step. It holds NO secret: passwords and passphrases live only in the
// memory store in secrets.ts, and the persisted keys are an explicit allow-list (PERSISTED_KEYS).

import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { ApplyResult, ClusterProbeView, EchoService, RouterProbeView } from '../../shared/contract.ts';
import type { TestReport } from '../../shared/diagnose/index.ts';
import type { StepId } from '../steps/steps.ts';
import { STARTER_TOPOLOGY } from './starter-topology.ts';

export type AuthKind = 'password' | 'key' | 'agent' | 'stored';

/** `setup`: the first-time guided setup; `change`: edit the topology of an applied setup. */
export type Flow = 'setup' | 'change';

export interface RouterChoice {
  host: string;
  port: number;
  username: string;
  auth: AuthKind;
  keyFile: string;
  remember: boolean;
  /** Main holds this router's password (the demo lab): connect with auth `stored`. */
  passwordHeld: boolean;
  /** A fingerprint printed by whoever set the router up (the demo lab), to compare against. */
  expectedHostKey: string | null;
}

export interface KubeChoice {
  kubeconfig: string;
  context: string;
}

export interface WizardData {
  current: StepId;
  flow: Flow;
  screen: 'wizard' | 'home';
  presetApplied: boolean;
  presetSource: string | null;
  kube: KubeChoice;
  router: RouterChoice;
  topologyText: string;
  topologyFileName: string;
  clusterProbe: ClusterProbeView | null;
  routerProbe: RouterProbeView | null;
  hostKey: string | null;
  applied: { at: string; result: ApplyResult } | null;
  test: TestReport | null;
  echo: EchoService | null;
  /** What the Test step curls: a LoadBalancer Service or an IP. */
  testTarget: TestTarget | null;
  testCount: number;
}

export type TestTarget = { service: { namespace: string; name: string } } | { ip: string };

export interface WizardActions {
  goTo: (step: StepId) => void;
  setKube: (kube: Partial<KubeChoice>) => void;
  setRouter: (router: Partial<RouterChoice>) => void;
  setTopologyText: (text: string, fileName?: string) => void;
  patch: (data: Partial<WizardData>) => void;
  /** Starts over: the first-time setup from the welcome step, choices kept. */
  reset: () => void;
}

export type WizardState = WizardData & WizardActions;

export const INITIAL_WIZARD: WizardData = {
  current: 'welcome',
  flow: 'setup',
  screen: 'wizard',
  presetApplied: false,
  presetSource: null,
  kube: { kubeconfig: '', context: '' },
  router: {
    host: '',
    port: 22,
    username: 'ubnt',
    auth: 'password',
    keyFile: '',
    remember: false,
    passwordHeld: false,
    expectedHostKey: null,
  },
  topologyText: STARTER_TOPOLOGY,
  topologyFileName: 'topology.yaml',
  clusterProbe: null,
  routerProbe: null,
  hostKey: null,
  applied: null,
  test: null,
  echo: null,
  testTarget: null,
  testCount: 10,
};

/** Everything that is written to localStorage; a new key must be added here on purpose. */
export const PERSISTED_KEYS = [
  'current',
  'flow',
  'screen',
  'presetApplied',
  'presetSource',
  'kube',
  'router',
  'topologyText',
  'topologyFileName',
  'clusterProbe',
  'routerProbe',
  'hostKey',
  'applied',
  'test',
  'echo',
  'testTarget',
  'testCount',
] as const satisfies readonly (keyof WizardData)[];

export const STORAGE_KEY = 'metallb-bgp-wizard';

function persistedPart(state: WizardState): Partial<WizardData> {
  const out: Record<string, unknown> = {};
  for (const key of PERSISTED_KEYS) out[key] = state[key];
  return out as Partial<WizardData>;
}

export const useWizard = create<WizardState>()(
  persist(
    (set) => ({
      ...INITIAL_WIZARD,
      goTo: (step) => set({ current: step }),
      setKube: (kube) => set((s) => ({ kube: { ...s.kube, ...kube } })),
      setRouter: (router) => set((s) => ({ router: { ...s.router, ...router } })),
      setTopologyText: (text, fileName) =>
        set((s) => ({ topologyText: text, topologyFileName: fileName ?? s.topologyFileName })),
      patch: (data) => set(data),
      reset: () => set({ current: 'welcome', flow: 'setup', screen: 'wizard' }),
    }),
    {
      name: STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: persistedPart,
    },
  ),
);
