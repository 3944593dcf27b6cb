// Median ms per status refresh with a fresh OpenSSH `ssh` connection each time (what a script
// does), against the app's refresh over its persistent connection (status-refresh's value).
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ratioAtLeast } from '../goals.ts';
import { commandOutput } from '../machine.ts';
import { pairedMedians } from '../measure.ts';
import { askpassScript, realLab } from '../real-lab.ts';
import type { RealLab } from '../real-lab.ts';
import { STATUS_COMMANDS } from '../status-script.ts';
import type { BenchEntry } from '../types.ts';

const BOUNDS = { runs: 21, maxMs: 60_000, warmup: 2 };
const SSH_TIMEOUT_MS = 30_000;

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: SSH_TIMEOUT_MS, env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${file} failed: ${String(stderr).trim().split('\n').at(-1) ?? error.message}`));
        else resolve(String(stdout));
      },
    );
  });
}

async function sshArgs(lab: RealLab): Promise<string[]> {
  const knownHosts = path.join(lab.work, 'known_hosts');
  const scan = await run('ssh-keyscan', ['-t', 'ed25519', '-p', String(lab.router.port), lab.router.host]);
  await writeFile(knownHosts, scan);
  return [
    '-p',
    String(lab.router.port),
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'PubkeyAuthentication=no',
    '-o',
    'PreferredAuthentications=password',
    `${lab.router.username}@${lab.router.host}`,
  ];
}

const entry: BenchEntry = {
  name: 'status-refresh-fresh-ssh',
  unit: 'ms',
  goal: ratioAtLeast(3),
  async run(ctx) {
    if ((await commandOutput('which', ['ssh'])) === null) {
      return { skipped: "needs Debian's OpenSSH client (apt-get install -y openssh-client)" };
    }
    const appRefresh = ctx.results.get('status-refresh');
    if (appRefresh?.value === null || appRefresh?.value === undefined) {
      return {
        skipped: `needs status-refresh's value as its floor (${appRefresh?.skipped ?? 'status-refresh did not run'})`,
      };
    }
    const lab = await realLab(ctx);
    if ('skipped' in lab) return lab;
    const askpass = await askpassScript(lab);
    const args = await sshArgs(lab);
    // setsid: without a terminal, OpenSSH asks SSH_ASKPASS for the password.
    const env = { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: 'none' };
    const refresh = () => run('setsid', ['-w', 'ssh', ...args, STATUS_COMMANDS], env);
    await refresh(); // fails loudly here rather than inside the timing
    const { value, runs } = await pairedMedians(refresh, null, BOUNDS);
    return { value, floor: appRefresh.value, details: { runs } };
  },
};

export default entry;
