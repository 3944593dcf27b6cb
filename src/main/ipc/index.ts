// Electron ipcMain binding of the contract. Every payload is validated by `dispatch` before any
// handler sees it, and only our own windows' frames may call. Operation events go to the windows.

import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS } from '../../shared/contract.ts';
import type { OperationEvent } from '../../shared/contract.ts';
import type { ServiceDeps, Services } from '../services/index.ts';
import { dispatch } from '../services/index.ts';

export const EVENT_CHANNEL = 'mbw:event';

/** The renderer is served from this origin in production (custom protocol) or the dev server. */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  trustedOrigins: string[],
): boolean {
  const url = event.senderFrame?.url;
  if (!url) return false;
  try {
    // WHATWG URL reports origin "null" for custom schemes such as app://, so compare scheme and host.
    const parsed = new URL(url);
    return trustedOrigins.includes(`${parsed.protocol}//${parsed.host}`);
  } catch {
    return false;
  }
}

export function bindIpc(
  ipcMain: IpcMain,
  services: Services,
  deps: Pick<ServiceDeps, 'emit' | 'log'>,
  trustedOrigins: string[],
): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(`mbw:${channel}`, async (event, payload: unknown) => {
      if (!isTrustedSender(event, trustedOrigins)) {
        return {
          ok: false,
          error: { message: 'request refused: it did not come from the wizard window', kind: 'invalid' },
        };
      }
      return dispatch(services, deps, channel, payload);
    });
  }
}

/** Sends an operation's event to every window that shows our renderer. */
export function eventSender(windows: () => WebContents[]): (event: OperationEvent) => void {
  return (event) => {
    for (const contents of windows()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
    }
  };
}
