// Electron ipcMain binding of the contract. Every payload is validated by `dispatch` before any
// handler sees it, and only our own windows' frames may call.

import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNELS } from '../../shared/contract.ts';
import type { Handlers } from '../services.ts';
import { dispatch } from '../services.ts';

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

export function bindIpc(ipcMain: IpcMain, handlers: Handlers, trustedOrigins: string[]): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(`mbw:${channel}`, async (event, payload: unknown) => {
      if (!isTrustedSender(event, trustedOrigins)) {
        return { ok: false, error: { message: 'request refused: it did not come from the wizard window' } };
      }
      return dispatch(handlers, channel, payload);
    });
  }
}
