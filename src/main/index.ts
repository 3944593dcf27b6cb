// Electron entry: the wizard window and the live status window, both hardened the same way. The
// renderer reaches main only through the preload's typed contract; navigation away from the bundle,
// new windows, webviews, remote requests and permission requests are refused.

import { app, BrowserWindow, ipcMain, net, protocol, safeStorage, session } from 'electron';
import type { WebContents } from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServices } from './services/index.ts';
import { bindIpc, eventSender } from './ipc/index.ts';
import { dataDirectory, ensureDataDirectory, openAppLog } from './data/index.ts';
import { createLayeredStore, createMemoryStore, createSafeStorageStore } from './secrets/index.ts';
import { readPresetFile } from './web/index.ts';
import type { ServiceDeps } from './services/index.ts';
import {
  APP_ORIGIN,
  APP_SCHEME,
  RENDERER_CSP,
  isAllowedRequest,
  isGrantedPermission,
  isInPageNavigation,
  rendererFileFor,
} from './protocol.ts';

const rendererDir = join(import.meta.dirname, '../renderer');
const preloadFile = join(import.meta.dirname, '../preload/index.cjs');
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const appOrigins = [APP_ORIGIN, ...(devServerUrl ? [new URL(devServerUrl).origin] : [])];

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

/** app:// serves the renderer bundle and nothing else, each response with the CSP header. */
function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFileFor(rendererDir, request.url);
    if (!file) return new Response('not found', { status: 404 });
    let response: Response;
    try {
      response = await net.fetch(pathToFileURL(file).href);
    } catch {
      return new Response('not found', { status: 404 });
    }
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', RENDERER_CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

/** The window never leaves the bundle: in-page route changes only, no popups, no webviews. */
function confineToApp(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isInPageNavigation(contents.getURL(), event.url, appOrigins)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** No remote content, no permissions beyond the copy buttons' clipboard write. */
function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(isGrantedPermission(permission, details.requestingUrl ?? contents.getURL(), appOrigins)),
  );
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isGrantedPermission(permission, requestingOrigin, appOrigins),
  );
  ses.setDevicePermissionHandler(() => false);
  // Requests made by a page (main's own clients do not use Electron's network stack) stay on our origins.
  ses.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (details, callback) =>
      callback({ cancel: details.webContentsId !== undefined && !isAllowedRequest(details.url, appOrigins) }),
  );
}

function rendererUrl(route: string): string {
  return `${devServerUrl ?? `${APP_ORIGIN}/index.html`}${route}`;
}

function createWizardWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 820,
    show: false,
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      // Middle-click would otherwise open links outside the window-open handler's reach.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  confineToApp(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererUrl(''));
  return window;
}

let statusWindow: BrowserWindow | null = null;

function createStatusWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1000,
    height: 700,
    show: false,
    title: 'MetalLB BGP Wizard: live status',
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  confineToApp(window.webContents);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (statusWindow === window) statusWindow = null;
  });
  void window.loadURL(rendererUrl('#/status'));
  return window;
}

/** One status window at most: a second request brings the open one to the front. */
function openStatusWindow(): boolean {
  if (statusWindow && !statusWindow.isDestroyed()) {
    if (statusWindow.isMinimized()) statusWindow.restore();
    statusWindow.focus();
    return true;
  }
  statusWindow = createStatusWindow();
  return true;
}

// Installed, the MetalLB manifests sit beside app.asar (electron-builder.yml's extraResources).
if (app.isPackaged) process.env['METALLB_WIZARD_RESOURCES'] ??= process.resourcesPath;

// The CLI and the app share one data directory: pinned host keys, backups and the log.
const dataDir = dataDirectory(process.env, homedir());
app.setPath('userData', dataDir);

/** `--preset FILE`: what a launcher (the demo) hands over; the file is deleted once read. */
function presetFileArgument(argv: string[]): string | null {
  const index = argv.indexOf('--preset');
  return index >= 0 ? (argv[index + 1] ?? null) : null;
}

app.whenReady().then(async () => {
  await ensureDataDirectory(dataDir);
  const log = openAppLog(dataDir);
  // The launcher's router password is held for this run only, never written to secrets.json.
  const launched = createMemoryStore();
  const presetFile = presetFileArgument(process.argv);
  const preset = presetFile ? await readPresetFile(presetFile, launched, log) : null;
  const deps: ServiceDeps = {
    shell: 'electron',
    dataDir,
    secrets: createLayeredStore(launched, createSafeStorageStore(safeStorage, dataDir)),
    log,
    preset,
    env: process.env,
    home: homedir(),
    emit: eventSender(() => BrowserWindow.getAllWindows().map((w) => w.webContents)),
    openStatusWindow,
  };
  const services = createServices(deps);
  app.on('before-quit', () => void services.close());
  lockDownSession();
  serveRenderer();
  bindIpc(ipcMain, services, deps, appOrigins);
  createWizardWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWizardWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
