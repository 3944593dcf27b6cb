// Electron entry: one hardened window for the wizard. The renderer reaches main only through the
// preload's typed contract; navigation, new windows and permission requests are refused.

import { app, BrowserWindow, ipcMain, net, protocol, safeStorage, session } from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServices } from './services/index.ts';
import { bindIpc, eventSender } from './ipc/index.ts';
import { dataDirectory, ensureDataDirectory, openAppLog } from './data/index.ts';
import { createSafeStorageStore } from './secrets/index.ts';
import type { ServiceDeps } from './services/index.ts';

const APP_ORIGIN = 'app://wizard';
const rendererDir = join(import.meta.dirname, '../renderer');
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

function serveRenderer(): void {
  protocol.handle('app', (request) => {
    const { pathname } = new URL(request.url);
    const file = join(rendererDir, pathname === '/' ? 'index.html' : decodeURIComponent(pathname));
    // Never serve outside the renderer bundle.
    if (!file.startsWith(rendererDir)) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(file).href);
  });
}

function createWizardWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 820,
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void window.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return window;
}

// The CLI and the app share one data directory: pinned host keys, backups and the log.
const dataDir = dataDirectory(process.env, homedir());
app.setPath('userData', dataDir);

app.whenReady().then(async () => {
  await ensureDataDirectory(dataDir);
  const deps: ServiceDeps = {
    shell: 'electron',
    dataDir,
    secrets: createSafeStorageStore(safeStorage, dataDir),
    log: openAppLog(dataDir),
    env: process.env,
    home: homedir(),
    emit: eventSender(() => BrowserWindow.getAllWindows().map((w) => w.webContents)),
  };
  const services = createServices(deps);
  app.on('before-quit', () => void services.close());
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  serveRenderer();
  const trusted = [APP_ORIGIN, ...(devServerUrl ? [new URL(devServerUrl).origin] : [])];
  bindIpc(ipcMain, services, deps, trusted);
  createWizardWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWizardWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
