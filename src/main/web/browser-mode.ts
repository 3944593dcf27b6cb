// Browser mode (`npm run app`, started by bin/metallb-bgp-wizard-app.js): the wizard in the system browser. Builds the renderer when needed, serves it on
// 127.0.0.1 with the contract behind the WebSocket bridge, prints one line
// `Wizard: http://127.0.0.1:PORT/#token=…`, and opens it when there is a display.
//
//   npm run app -- [--port N] [--no-open] [--preset FILE]
//
// --preset names a JSON file (mode 0600, written by the demo) with the lab's topology, kubeconfig
// and router; it is deleted once read, and the router password stays in this process's memory.

import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AppPreset } from '../../shared/contract.ts';
import { dataDirectory, ensureDataDirectory, openAppLog } from '../data/index.ts';
import { UserError, messageOf } from '../errors.ts';
import { createMemoryStore } from '../secrets/index.ts';
import type { ServiceDeps } from '../services/index.ts';
import { REPO_ROOT, ensureBuilt } from './build.ts';
import { createEventHub, newBridgeToken, readPresetFile, startWebServer } from './index.ts';

export const BROWSER_USAGE = 'usage: npm run app -- [--port N] [--no-open] [--preset FILE]';

export interface BrowserOptions {
  port: number;
  open: boolean;
  preset: string | null;
  help: boolean;
}

/** The command line; throws a UserError ('invalid') naming a bad option. */
export function parseBrowserArgs(argv: string[]): BrowserOptions {
  let values: { port?: string; 'no-open'?: boolean; preset?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        'no-open': { type: 'boolean' },
        preset: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UserError(messageOf(error), { kind: 'invalid' });
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError(`--port "${values.port}" is not a port number from 0 to 65535`, {
      path: 'port',
      kind: 'invalid',
    });
  }
  return { port, open: !values['no-open'], preset: values.preset ?? null, help: values.help ?? false };
}

/** The system browser, when there is a screen to show it on; failures are ignored (the URL is printed). */
function openInBrowser(url: string, env: NodeJS.ProcessEnv): void {
  const command =
    process.platform === 'darwin'
      ? 'open'
      : process.platform === 'linux' && (env['DISPLAY'] || env['WAYLAND_DISPLAY'])
        ? 'xdg-open'
        : null;
  if (command === null) return;
  try {
    const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // The printed line is enough to open it by hand.
  }
}

/** When whoever started us (npm's shell, the demo) is gone, we are re-parented: stop then too. */
function watchParent(onOrphaned: () => void): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onOrphaned();
    }
  }, 500);
  timer.unref();
}

async function runBrowserMode(argv: string[]): Promise<number> {
  const options = parseBrowserArgs(argv);
  if (options.help) {
    process.stdout.write(`${BROWSER_USAGE}\n`);
    return 0;
  }
  const env = process.env;
  const home = homedir();
  const dataDir = dataDirectory(env, home);
  await ensureDataDirectory(dataDir);
  const log = openAppLog(dataDir);
  const secrets = createMemoryStore();
  // Read (and delete) the preset before anything slow, so the password file lives for milliseconds.
  const preset: AppPreset | null =
    options.preset === null ? null : await readPresetFile(options.preset, secrets, log);
  await ensureBuilt({ root: REPO_ROOT, electron: false }, (reason) =>
    process.stderr.write(`Building the wizard (${reason})…\n`),
  );
  const hub = createEventHub();
  const deps: ServiceDeps = { shell: 'browser', dataDir, secrets, log, env, home, emit: hub.emit, preset };
  // Loaded while the server starts and the page loads (they are most of a cold start); the bridge's
  // first request waits for them.
  const services = import('../services/index.ts').then(({ createServices }) => createServices(deps));
  services.catch((error: unknown) => {
    process.stderr.write(`app: the wizard's services could not start: ${messageOf(error)}\n`);
    process.exit(1);
  });
  const server = await startWebServer({
    services,
    deps,
    events: hub,
    rendererDir: join(REPO_ROOT, 'out/renderer'),
    host: '127.0.0.1',
    port: options.port,
    token: newBridgeToken(),
  });
  log.write(`browser mode listening on ${server.origin}`);
  process.stdout.write(`Wizard: ${server.url}\n`);
  if (options.open) openInBrowser(server.url, env);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      void (async () => {
        await server.stop();
        await (await services).close();
        await log.close();
        resolve(0);
      })();
    };
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, stop);
    watchParent(stop);
  });
}

/** The process's whole life in browser mode: the exit code, with any failure printed first. */
export async function browserModeExitCode(argv: string[]): Promise<number> {
  try {
    return await runBrowserMode(argv);
  } catch (error) {
    const invalid = error instanceof UserError && error.kind === 'invalid';
    process.stderr.write(`app: ${messageOf(error)}\n${invalid ? `${BROWSER_USAGE}\n` : ''}`);
    return invalid ? 2 : 1;
  }
}
