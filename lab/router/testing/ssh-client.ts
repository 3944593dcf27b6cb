// ssh2-client helpers for the emulator's tests: run a command, or drive a PTY shell.

import { Client } from 'ssh2';
import type { ClientChannel, ConnectConfig } from 'ssh2';

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** null when the connection died before an exit status came back. */
  code: number | null;
}

export type Target = Pick<
  ConnectConfig,
  'host' | 'port' | 'username' | 'password' | 'privateKey' | 'passphrase' | 'hostVerifier' | 'agent'
>;

export function connect(target: Target, timeoutMs = 15_000): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect({ readyTimeout: timeoutMs, ...target });
  });
}

/** Runs `command` on an exec channel (stdin, when given, is sent and closed). */
export async function sshExec(target: Target, command: string, stdin?: string): Promise<ExecResult> {
  const client = await connect(target);
  return execOn(client, command, stdin).finally(() => client.end());
}

export function execOn(client: Client, command: string, stdin?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      const result = collectedOutput(stream, resolve);
      client.once('close', () => resolve(result));
      if (stdin !== undefined) stream.end(stdin);
    });
  });
}

/** Sends a script on a shell channel without a PTY, as `ssh host < script` does. */
export async function sshShellNoPty(target: Target, script: string): Promise<ExecResult> {
  const client = await connect(target);
  return new Promise<ExecResult>((resolve, reject) => {
    client.shell(false, (err, stream) => {
      if (err) return reject(err);
      collectedOutput(stream, resolve);
      stream.end(script);
    });
  }).finally(() => client.end());
}

/** An interactive PTY shell with expect-style waiting on its output. */
export class PtySession {
  output = '';
  closed = false;
  exitCode: number | null = null;
  private readonly write: (s: string) => void;
  private readonly client: Client;
  private waiters: (() => void)[] = [];

  private constructor(client: Client, write: (s: string) => void) {
    this.client = client;
    this.write = write;
  }

  static async open(target: Target): Promise<PtySession> {
    const client = await connect(target);
    return new Promise((resolve, reject) => {
      client.shell({ term: 'xterm', rows: 40, cols: 160 }, (err, stream) => {
        if (err) return reject(err);
        const session = new PtySession(client, (s) => stream.write(s));
        const wake = () => {
          for (const w of session.waiters.splice(0)) w();
        };
        stream.on('data', (d: Buffer) => {
          session.output += d.toString();
          wake();
        });
        stream.on('exit', (code: number | null) => (session.exitCode = code));
        stream.on('close', () => {
          session.closed = true;
          wake();
        });
        client.on('close', () => {
          session.closed = true;
          wake();
        });
        resolve(session);
      });
    });
  }

  /** Waits until the output after `from` matches; returns the text up to and including the match. */
  async expect(pattern: RegExp, from = 0, timeoutMs = 10_000): Promise<{ text: string; end: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.output.slice(from);
      const m = pattern.exec(rest);
      if (m) return { text: rest.slice(0, m.index + m[0].length), end: from + m.index + m[0].length };
      if (this.closed) throw new Error(`session closed before ${pattern} appeared; output:\n${rest}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${pattern}; output:\n${rest}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Types a line and waits for the next prompt; returns what the command printed (between echo and prompt). */
  async run(line: string, prompt = /\S+@\S+(:~\$|#) $/): Promise<string> {
    const start = this.output.length;
    this.write(`${line}\r`);
    const { text } = await this.expect(prompt, start);
    return text.replace(/\r\n/g, '\n');
  }

  send(text: string): void {
    this.write(text);
  }

  close(): void {
    this.client.end();
  }
}

/** Gathers a channel's stdout, stderr and exit code, resolving when the channel closes. */
function collectedOutput(stream: ClientChannel, resolve: (result: ExecResult) => void): ExecResult {
  const result: ExecResult = { stdout: '', stderr: '', code: null };
  stream.on('data', (d: Buffer) => (result.stdout += d.toString()));
  stream.stderr.on('data', (d: Buffer) => (result.stderr += d.toString()));
  stream.on('exit', (code: number | null) => (result.code = code));
  stream.on('close', () => resolve(result));
  return result;
}
