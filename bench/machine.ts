// The machine the figures come from, as results.json records it.
import { execFile } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  /** `chromium --version`, or null when Chromium is not installed. */
  chromium: string | null;
}

/** The first line a command prints, or null when it is missing or fails (bounded to 10 s). */
export function commandOutput(command: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 10_000 }, (error, stdout) => {
      const line = String(stdout).trim().split('\n')[0] ?? '';
      resolve(error || line === '' ? null : line);
    });
  });
}

export async function machineInfo(): Promise<MachineInfo> {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    chromium: await commandOutput('chromium', ['--version']),
  };
}
