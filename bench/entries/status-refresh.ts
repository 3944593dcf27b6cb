// Median ms per status refresh (summary + neighbors + routes, parsed) through the app's persistent
// connection on the real lab, against an already-open ssh2 connection running one exec with the
// same three commands and parsing nothing.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'ssh2';
import { HostKeyStore, openRouterSession, readRouterStatus } from '../../src/main/router/index.ts';
import { ratioAtMost } from '../goals.ts';
import { pairedMedians } from '../measure.ts';
import { realLab } from '../real-lab.ts';
import type { RealLab } from '../real-lab.ts';
import { STATUS_COMMANDS } from '../status-script.ts';
import type { BenchEntry } from '../types.ts';

const BOUNDS = { runs: 41, maxMs: 60_000, warmup: 3 };
const EXEC_TIMEOUT_MS = 20_000;

function connectedClient(lab: RealLab): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => {
      // As the app and OpenSSH do: without it each small request waits on delayed ACKs (~40 ms).
      client.setNoDelay(true);
      resolve(client);
    });
    client.once('error', reject);
    client.connect({
      host: lab.router.host,
      port: lab.router.port,
      username: lab.router.username,
      password: lab.router.password,
      readyTimeout: EXEC_TIMEOUT_MS,
    });
  });
}

/** One exec on the open client, its output read to the end (bounded in time). */
function execAll(client: Client, script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the floor exec timed out')), EXEC_TIMEOUT_MS);
    client.exec(script, (error, channel) => {
      if (error) {
        clearTimeout(timer);
        reject(error);
        return;
      }
      const chunks: Buffer[] = [];
      channel.on('data', (chunk: Buffer) => chunks.push(chunk));
      channel.stderr.resume();
      channel.on('close', () => {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
  });
}

const entry: BenchEntry = {
  name: 'status-refresh',
  unit: 'ms',
  goal: ratioAtMost(1.2),
  async run(ctx) {
    const lab = await realLab(ctx);
    if ('skipped' in lab) return lab;
    const dataDir = path.join(lab.work, 'data');
    await mkdir(dataDir, { recursive: true });
    const store = new HostKeyStore({ dataDir, knownHostsFile: null });
    const session = await openRouterSession(
      { host: lab.router.host, port: lab.router.port, username: lab.router.username },
      { kind: 'password', password: lab.router.password },
      { store, expected: lab.router.hostKeySha256 },
    );
    const client = await connectedClient(lab);
    try {
      const status = await readRouterStatus(session);
      const { value, floor, runs } = await pairedMedians(
        () => readRouterStatus(session, AbortSignal.timeout(EXEC_TIMEOUT_MS)),
        () => execAll(client, STATUS_COMMANDS),
        BOUNDS,
      );
      return {
        value,
        floor,
        details: { runs, neighbors: status.summary.neighbors.length, routes: status.routes.length },
      };
    } finally {
      client.end();
      await session.close();
    }
  },
};

export default entry;
