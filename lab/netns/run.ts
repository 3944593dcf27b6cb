// execFile wrappers for the real lab. Every external command (ip, vtysh, curl, sysctl) goes through
// here with an argument vector, never a shell string, so addresses and names cannot be mis-parsed.

import { execFile } from 'node:child_process';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command and resolves with its exit code and output; never rejects for a non-zero exit. */
export function runCommand(file: string, args: string[], timeoutMs = 20_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ exitCode: 0, stdout, stderr });
          return;
        }
        const code = (error as NodeJS.ErrnoException & { code?: unknown }).code;
        const exitCode = typeof code === 'number' ? code : error.killed ? 124 : 127;
        resolve({ exitCode, stdout: stdout ?? '', stderr: stderr || error.message });
      },
    );
  });
}

/** Runs a command and returns stdout; throws a message naming the command when it fails. */
export async function mustRun(file: string, args: string[], timeoutMs = 20_000): Promise<string> {
  const result = await runCommand(file, args, timeoutMs);
  if (result.exitCode !== 0) {
    throw new Error(`${file} ${args.join(' ')} failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** `ip netns exec NS cmd …` */
export function runInNamespace(
  namespace: string,
  file: string,
  args: string[],
  timeoutMs?: number,
): Promise<CommandResult> {
  return runCommand('ip', ['netns', 'exec', namespace, file, ...args], timeoutMs);
}

/** Whether a process with this PID exists (signal 0 checks without delivering anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
