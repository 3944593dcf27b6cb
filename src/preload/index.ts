// Exposes exactly the contract's client to the renderer, and nothing else.

import { contextBridge, ipcRenderer } from 'electron';
import type { OperationEvent, WizardApi } from '../shared/contract.ts';

const api: WizardApi = {
  call: (channel, request) => ipcRenderer.invoke(`mbw:${channel}`, request),
  onEvent: (listener) => {
    const forward = (_event: unknown, payload: OperationEvent) => listener(payload);
    ipcRenderer.on('mbw:event', forward);
    return () => ipcRenderer.removeListener('mbw:event', forward);
  },
};

contextBridge.exposeInMainWorld('mbw', api);
