// One SSH connection to the router (ssh2), opened only after its host key checks out against the
// pins, the user's known_hosts, an expected fingerprint or the user's confirmation.

import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig } from 'ssh2';
import { CancelledError, UserError, messageOf } from '../errors.ts';
import { fingerprintOfKeyBlob, isFingerprint, keyTypeOfBlob } from './host-keys.ts';
import type { HostKeyStore } from './host-keys.ts';

export interface RouterTarget {
  host: string;
  port: number;
  username: string;
}

export type RouterAuth =
  | { kind: 'password'; password: string }
  | { kind: 'key'; privateKey: string; passphrase?: string }
  | { kind: 'agent'; socket: string };

export interface HostKeyPolicy {
  store: HostKeyStore;
  /** --router-host-key: the only key accepted; pinned once it matches. */
  expected?: string;
  /** First contact with an unknown key: ask the user. Without it the key is refused. */
  confirm?: (fingerprint: string, target: RouterTarget) => Promise<boolean>;
}

export interface ExecResult {
  /** null when the channel closed without an exit status (the connection dropped). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RouterSession {
  readonly target: RouterTarget;
  readonly hostKey: string;
  exec(script: string, opts?: { signal?: AbortSignal }): Promise<ExecResult>;
  /** Resolves when the connection is gone (drop, restart, close). */
  readonly closed: Promise<void>;
  isOpen(): boolean;
  close(): Promise<void>;
}

export interface SessionOptions {
  signal?: AbortSignal;
  /** SSH keepalive interval; a router that stops answering 3 in a row counts as gone. Default 10 s. */
  keepaliveMs?: number;
  /** How long the TCP connect plus SSH handshake may take. Default 20 s. */
  readyTimeoutMs?: number;
}

/** Why a connection could not be opened; callers retry only on 'unreachable'. */
export type ConnectFailure = 'host-key' | 'auth' | 'unreachable' | 'invalid';

export class RouterConnectError extends UserError {
  readonly reason: ConnectFailure;
  constructor(message: string, reason: ConnectFailure, cause?: unknown) {
    super(message, {
      kind: reason === 'host-key' ? 'host-key' : reason === 'invalid' ? 'invalid' : 'failed',
      cause,
    });
    this.name = 'RouterConnectError';
    this.reason = reason;
  }
}

export function describeTarget(target: RouterTarget): string {
  return `${target.username}@${target.host}:${target.port}`;
}

function hostPort(target: RouterTarget): string {
  return `${target.host}:${target.port}`;
}

const FORGET_HINT =
  'Only the `forget-host-key` command (CLI) or the "Forget host key" button in the app removes a pinned key; ' +
  'do that only if you know why the key changed (router reset, firmware reinstall, replaced device), then connect again and accept the new key.';

function changedKeyError(target: RouterTarget, pinned: string, presented: string): RouterConnectError {
  return new RouterConnectError(
    `WARNING: the SSH host key of router ${hostPort(target)} has CHANGED. Pinned: ${pinned}; presented now: ${presented}. ` +
      `Someone may be intercepting the connection, or the router was reset or replaced. Nothing was sent to it. ${FORGET_HINT}`,
    'host-key',
  );
}

function unknownKeyError(target: RouterTarget, presented: string): RouterConnectError {
  return new RouterConnectError(
    `The router ${hostPort(target)} presented an SSH host key this app has not seen: ${presented}. ` +
      `Compare it with the router's own (on the router: "show system ssh-host-key" or ssh-keygen -lf on its host key), ` +
      `then accept it: pass --router-host-key ${presented} to the CLI, or confirm it in the app.`,
    'host-key',
  );
}

/** What the host key check decided; `confirm` means: ask the user, then connect again. */
type Verdict =
  { accept: true; pin: boolean } | { accept: false; error: RouterConnectError } | { confirm: true };

async function judgeHostKey(
  presented: string,
  keyType: string | null,
  target: RouterTarget,
  policy: HostKeyPolicy,
  confirmed: string | null,
): Promise<Verdict> {
  const { host, port } = target;
  const pinned = await policy.store.lookup(host, port);
  if (policy.expected !== undefined) {
    if (pinned !== null && pinned !== policy.expected) {
      return {
        accept: false,
        error: new RouterConnectError(
          `The host key given for router ${hostPort(target)} (${policy.expected}) differs from the one pinned for it (${pinned}). ${FORGET_HINT}`,
          'host-key',
        ),
      };
    }
    if (presented !== policy.expected) {
      return {
        accept: false,
        error: new RouterConnectError(
          `Router ${hostPort(target)} presented the SSH host key ${presented}, but ${policy.expected} was expected ` +
            `(--router-host-key). Nothing was sent to it. Check that the address is right and the expected key is the router's.`,
          'host-key',
        ),
      };
    }
    return { accept: true, pin: pinned === null };
  }
  if (pinned !== null) {
    return pinned === presented
      ? { accept: true, pin: false }
      : { accept: false, error: changedKeyError(target, pinned, presented) };
  }
  const known = await policy.store.knownHostKeys(host, port);
  const match = known.find((k) => k.fingerprint === presented);
  if (match?.revoked === true) {
    return {
      accept: false,
      error: new RouterConnectError(
        `The SSH host key ${presented} of router ${hostPort(target)} is marked @revoked in ${policy.store.knownHostsFile}. Nothing was sent to it.`,
        'host-key',
      ),
    };
  }
  if (match !== undefined) return { accept: true, pin: false };
  const sameType = known.find((k) => !k.revoked && k.type === keyType);
  if (sameType !== undefined) {
    return {
      accept: false,
      error: new RouterConnectError(
        `WARNING: ${policy.store.knownHostsFile} lists the ${keyType} host key ${sameType.fingerprint} for router ${hostPort(target)}, ` +
          `but it presented ${presented}. Someone may be intercepting the connection, or the router was reset. Nothing was sent to it. ` +
          `If you know why the key changed, remove the old entry (ssh-keygen -R '[${host}]:${port}') and connect again.`,
        'host-key',
      ),
    };
  }
  if (confirmed === presented) return { accept: true, pin: true };
  if (policy.confirm !== undefined) return { confirm: true };
  return { accept: false, error: unknownKeyError(target, presented) };
}

function checkTarget(target: RouterTarget): void {
  if (typeof target.host !== 'string' || target.host.trim() === '') {
    throw new RouterConnectError(
      'The router address (router.ssh.host) is empty; give its IP address or name.',
      'invalid',
    );
  }
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    throw new RouterConnectError(
      `The router's SSH port (router.ssh.port) is ${String(target.port)}; give a whole number 1-65535 (usually 22).`,
      'invalid',
    );
  }
  if (typeof target.username !== 'string' || target.username === '') {
    throw new RouterConnectError(
      'The router user name (router.ssh.username) is empty; EdgeOS uses "ubnt" by default.',
      'invalid',
    );
  }
}

function authConfig(auth: RouterAuth, target: RouterTarget): Partial<ConnectConfig> {
  switch (auth.kind) {
    case 'password':
      return { password: auth.password, tryKeyboard: true };
    case 'key': {
      const parsed = ssh2.utils.parseKey(auth.privateKey, auth.passphrase);
      if (parsed instanceof Error) {
        throw new RouterConnectError(
          `The private key for ${describeTarget(target)} cannot be used: ${parsed.message}. ` +
            (auth.passphrase === undefined
              ? 'If it is encrypted, give its passphrase.'
              : 'Check its passphrase.'),
          'invalid',
        );
      }
      return auth.passphrase === undefined
        ? { privateKey: auth.privateKey }
        : { privateKey: auth.privateKey, passphrase: auth.passphrase };
    }
    case 'agent':
      return { agent: auth.socket };
  }
}

function authHint(auth: RouterAuth): string {
  switch (auth.kind) {
    case 'password':
      return 'Check the user name and password.';
    case 'key':
      return "Check that the key's public half is in the user's authorized keys on the router (set system login user … authentication public-keys).";
    case 'agent':
      return 'Check that the ssh-agent (SSH_AUTH_SOCK) holds a key the router accepts for this user.';
  }
}

function connectionError(
  error: unknown,
  target: RouterTarget,
  auth: RouterAuth,
  readyTimeoutMs: number,
): UserError {
  const err = error as Error & { level?: string; code?: string };
  const where = hostPort(target);
  if (err.level === 'client-authentication') {
    return new RouterConnectError(
      `The router refused the login of ${describeTarget(target)}. ${authHint(auth)}`,
      'auth',
      error,
    );
  }
  if (err.level === 'client-timeout') {
    return new RouterConnectError(
      `No SSH answer from router ${where} within ${Math.round(readyTimeoutMs / 1000)} s. Check router.ssh.host and router.ssh.port, and that the router is on.`,
      'unreachable',
      error,
    );
  }
  const byCode: Record<string, string> = {
    ECONNREFUSED: `Connection to router ${where} refused: nothing listens for SSH there. Check router.ssh.host and router.ssh.port, and that SSH is enabled on the router.`,
    ETIMEDOUT: `Connecting to router ${where} timed out. Check router.ssh.host and that the router is reachable from this computer.`,
    EHOSTUNREACH: `Router ${where} is unreachable (no route to host). Check router.ssh.host and this computer's network.`,
    ENETUNREACH: `Router ${where} is unreachable (network unreachable). Check router.ssh.host and this computer's network.`,
    ENOTFOUND: `The router name ${target.host} does not resolve. Check router.ssh.host, or use the router's IP address.`,
    ECONNRESET: `Router ${where} closed the connection during the SSH handshake. Check that SSH is enabled and router.ssh.port is its SSH port.`,
  };
  const known = err.code === undefined ? undefined : byCode[err.code];
  return new RouterConnectError(
    known ?? `The SSH connection to router ${where} failed: ${messageOf(error)}.`,
    'unreachable',
    error,
  );
}

class SshRouterSession implements RouterSession {
  readonly target: RouterTarget;
  readonly hostKey: string;
  readonly closed: Promise<void>;
  private readonly client: ssh2.Client;
  private open = true;

  constructor(client: ssh2.Client, target: RouterTarget, hostKey: string) {
    this.client = client;
    this.target = target;
    this.hostKey = hostKey;
    this.closed = new Promise((resolve) =>
      client.once('close', () => {
        this.open = false;
        resolve();
      }),
    );
    // After the handshake an error only means the connection is going away; 'close' follows.
    client.on('error', () => undefined);
  }

  isOpen(): boolean {
    return this.open;
  }

  exec(script: string, opts: { signal?: AbortSignal } = {}): Promise<ExecResult> {
    const where = hostPort(this.target);
    if (opts.signal?.aborted) return Promise.reject(new CancelledError(`the command on router ${where}`));
    if (!this.open) {
      return Promise.reject(
        new RouterConnectError(
          `The SSH connection to router ${where} is closed; connect again.`,
          'unreachable',
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.client.exec(script, (error, stream) => {
        if (error) {
          reject(
            new RouterConnectError(
              `Router ${where} would not run a command: ${error.message}. Connect again.`,
              'unreachable',
              error,
            ),
          );
          return;
        }
        collectChannel(stream, this.closed, opts.signal, where).then(resolve, reject);
      });
    });
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.client.end();
    // A router that never answers the disconnect must not keep us waiting.
    const timer = setTimeout(() => this.client.destroy(), 2000);
    await this.closed;
    clearTimeout(timer);
  }
}

function collectChannel(
  stream: ClientChannel,
  connectionClosed: Promise<void>,
  signal: AbortSignal | undefined,
  where: string,
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let code: number | null = null;
    let settled = false;
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      stream.close();
      reject(new CancelledError(`the command on router ${where}`));
    };
    const finish = (): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    };
    stream.on('data', (d: Buffer) => stdout.push(d));
    stream.stderr.on('data', (d: Buffer) => stderr.push(d));
    stream.on('exit', (exitCode: number | null) => {
      code = typeof exitCode === 'number' ? exitCode : null;
    });
    stream.on('error', () => undefined);
    stream.on('close', finish);
    void connectionClosed.then(finish);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface Attempt {
  session?: SshRouterSession;
  /** The key was unknown and the user has to be asked. */
  askFor?: string;
}

function connectOnce(
  target: RouterTarget,
  auth: RouterAuth,
  policy: HostKeyPolicy,
  confirmed: string | null,
  opts: SessionOptions,
): Promise<Attempt> {
  const readyTimeoutMs = opts.readyTimeoutMs ?? 20_000;
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.username,
    readyTimeout: readyTimeoutMs,
    keepaliveInterval: opts.keepaliveMs ?? 10_000,
    keepaliveCountMax: 3,
    ...authConfig(auth, target),
  };
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let presented = '';
    let verdict: Verdict | null = null;
    let done = false;
    const settle = (outcome: () => void): void => {
      if (done) return;
      done = true;
      opts.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = (): void =>
      settle(() => {
        client.destroy();
        reject(new CancelledError(`connecting to router ${hostPort(target)}`));
      });
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    config.hostVerifier = (key: Buffer, verify: (valid: boolean) => void) => {
      presented = fingerprintOfKeyBlob(key);
      judgeHostKey(presented, keyTypeOfBlob(key), target, policy, confirmed).then(
        (v) => {
          verdict = v;
          verify('accept' in v && v.accept);
        },
        (error: unknown) => {
          verdict = { accept: false, error: new RouterConnectError(messageOf(error), 'host-key', error) };
          verify(false);
        },
      );
    };
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
      // Some sshd setups ask for the password through keyboard-interactive only.
      finish(auth.kind === 'password' ? prompts.map(() => auth.password) : []);
    });
    client.once('ready', () => {
      // As OpenSSH does for sessions: small request/response packets must not wait on delayed ACKs.
      client.setNoDelay(true);
      const v = verdict;
      const pin = v !== null && 'accept' in v && v.accept && v.pin;
      const finishReady = (): void =>
        settle(() => resolve({ session: new SshRouterSession(client, target, presented) }));
      if (!pin) return finishReady();
      policy.store.pin(target.host, target.port, presented).then(finishReady, (error: unknown) =>
        settle(() => {
          client.end();
          reject(error);
        }),
      );
    });
    client.on('error', (error) => {
      const v = verdict;
      client.destroy();
      if (v !== null && 'confirm' in v) return settle(() => resolve({ askFor: presented }));
      if (v !== null && 'error' in v) return settle(() => reject(v.error));
      settle(() => reject(connectionError(error, target, auth, readyTimeoutMs)));
    });
    client.connect(config);
  });
}

/**
 * Opens an SSH session to the router. An unknown host key is shown to `policy.confirm` between two
 * connection attempts, so a slow answer from the user cannot run into the handshake timeout.
 */
export async function openRouterSession(
  target: RouterTarget,
  auth: RouterAuth,
  policy: HostKeyPolicy,
  opts: SessionOptions = {},
): Promise<RouterSession> {
  checkTarget(target);
  if (policy.expected !== undefined && !isFingerprint(policy.expected)) {
    throw new RouterConnectError(
      `The expected router host key "${policy.expected}" is not a fingerprint as OpenSSH prints it (SHA256: followed by 43 characters).`,
      'invalid',
    );
  }
  const first = await connectOnce(target, auth, policy, null, opts);
  if (first.session) return first.session;
  const fingerprint = first.askFor ?? '';
  const accepted = policy.confirm !== undefined && (await policy.confirm(fingerprint, target));
  if (!accepted) {
    throw new RouterConnectError(
      `You did not accept the SSH host key ${fingerprint} of router ${hostPort(target)}, so nothing was sent to it.`,
      'host-key',
    );
  }
  const second = await connectOnce(target, auth, policy, fingerprint, opts);
  if (second.session) return second.session;
  throw new RouterConnectError(
    `Router ${hostPort(target)} presented a different host key (${second.askFor ?? 'unknown'}) right after you accepted ${fingerprint}. Nothing was sent to it.`,
    'host-key',
  );
}
