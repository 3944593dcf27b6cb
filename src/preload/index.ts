// Exposes exactly the contract's client to the renderer, and nothing else.

import { contextBridge, ipcRenderer } from 'electron';
import type { WizardApi } from '../shared/contract.ts';

const api: WizardApi = {
  call: (channel, request) => ipcRenderer.invoke(`mbw:${channel}`, request),
};

contextBridge.exposeInMainWorld('mbw', api);
