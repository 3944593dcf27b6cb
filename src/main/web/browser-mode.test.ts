// `npm run app` as a process: one `Wizard:` line, the preset file consumed and the password kept
// out of arguments, output and the log; the bridge answers with the preset; SIGTERM stops it.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { BROWSER_USAGE, parseBrowserArgs } from './browser-mode.ts';

const ENTRY = join(import.meta.dirname, '../../../bin/metallb-bgp-wizard-app.js');
/** The first run may build the renderer. */
const START_BUDGET_MS = 120_000;

describe('parseBrowserArgs', () => {
  it('defaults to a free port, opening the browser, no preset', () => {
    expect(parseBrowserArgs([])).toEqual({ port: 0, open: true, preset: null, help: false });
    expect(parseBrowserArgs(['--port', '8080', '--no-open', '--preset', '/tmp/p.json'])).toEqual({
      port: 8080,
      open: false,
      preset: '/tmp/p.json',
      help: false,
    });
  });

  it.each([
    [['--port', '70000'], '--port "70000" is not a port number from 0 to 65535'],
    [['--port', 'x'], '--port "x" is not a port number from 0 to 65535'],
    [['--host', '0.0.0.0'], "Unknown option '--host'"],
    [['extra'], "Unexpected argument 'extra'"],
  ])('refuses %j', (argv, message) => {
    expect(() => parseBrowserArgs(argv)).toThrow(message);
  });
});

describe('npm run app (browser mode) as a process', () => {
  const home = mkdtempSync(join(tmpdir(), 'mbw-browser-test-'));
  const password = 'app-test-pa55word';
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('exits 2 with the usage on a bad option', async () => {
    const child = spawn(process.execPath, [ENTRY, '--port', 'nope'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await new Promise((r) => child.once('exit', r))).toBe(2);
    expect(stderr).toBe(`app: --port "nope" is not a port number from 0 to 65535\n${BROWSER_USAGE}\n`);
  });

  it(
    'prints one Wizard line, consumes the preset, serves it over the bridge, and stops on SIGTERM',
    async () => {
      writeFileSync(join(home, 'topology.yaml'), 'router: {}\n');
      const presetFile = join(home, 'preset.json');
      writeFileSync(
        presetFile,
        JSON.stringify({
          topology: join(home, 'topology.yaml'),
          kubeconfig: join(home, 'kubeconfig'),
          router: { host: '127.0.0.1', port: 2201, username: 'ubnt', password, hostKeySha256: null },
        }),
        { mode: 0o600 },
      );
      const env = { PATH: process.env['PATH'], HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
      const child = spawn(process.execPath, [ENTRY, '--no-open', '--preset', presetFile], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      try {
        const line = await new Promise<string>((resolve, reject) => {
          createInterface({ input: child.stdout }).once('line', resolve);
          child.once('exit', (code) => reject(new Error(`app exited with ${code}: ${stderr}`)));
        });
        const url = /^Wizard: (http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]{43}))$/.exec(line);
        expect(url, line).not.toBeNull();
        expect(existsSync(presetFile)).toBe(false);
        if (process.platform === 'linux') {
          expect(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8')).not.toContain(password);
        }
        const origin = `http://127.0.0.1:${url?.[2]}`;
        const envelope = await new Promise<unknown>((resolve, reject) => {
          const socket = new WebSocket(`ws://127.0.0.1:${url?.[2]}/bridge?token=${url?.[3]}`, { origin });
          socket.once('open', () =>
            socket.send(JSON.stringify({ id: 1, channel: 'app.preset', payload: {} })),
          );
          socket.once('message', (data) => {
            resolve(JSON.parse(String(data)));
            socket.close();
          });
          socket.once('error', reject);
        });
        expect(envelope).toEqual({
          id: 1,
          envelope: {
            ok: true,
            value: {
              topology: { text: 'router: {}\n', fileName: 'topology.yaml' },
              kubeconfig: join(home, 'kubeconfig'),
              router: { host: '127.0.0.1', port: 2201, username: 'ubnt', passwordHeld: true, hostKey: null },
              source: 'the built-in demo lab',
            },
          },
        });
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(stdout).toBe(`${line}\n`);
        expect(stderr).not.toContain(password);
        const log = readFileSync(join(home, '.config/metallb-bgp-wizard/wizard.log'), 'utf8');
        expect(log).toContain(`browser mode listening on ${origin}`);
        expect(log).not.toContain(password);
      } finally {
        child.kill('SIGKILL');
      }
    },
    START_BUDGET_MS,
  );
});
