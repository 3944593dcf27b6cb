// The contract's client. In Electron it is the preload's object; browser mode (a later issue)
// provides the same interface over a loopback WebSocket.

import type { WizardApi } from '../shared/contract.ts';

declare global {
  interface Window {
    mbw?: WizardApi;
  }
}

export function wizardApi(): WizardApi | null {
  return typeof window !== 'undefined' && window.mbw ? window.mbw : null;
}
