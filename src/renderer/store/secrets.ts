// Secrets typed into the wizard: memory only, never persisted, never logged. They travel once, to
// main, with router.connect / bgp.setPassword, and are dropped from here after a connect.

import { create } from 'zustand';

export interface SecretsState {
  routerPassword: string;
  keyPassphrase: string;
  bgpPassword: string;
  set: (secrets: Partial<Pick<SecretsState, 'routerPassword' | 'keyPassphrase' | 'bgpPassword'>>) => void;
  clear: () => void;
}

export const useSecrets = create<SecretsState>()((set) => ({
  routerPassword: '',
  keyPassphrase: '',
  bgpPassword: '',
  set: (secrets) => set(secrets),
  clear: () => set({ routerPassword: '', keyPassphrase: '', bgpPassword: '' }),
}));
