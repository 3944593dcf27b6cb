// The EdgeOS/VyOS router emulator: an SSH server (ssh2) in front of a configuration tree whose
// committed BGP config drives a RoutingBackend. Public entry of lab/router.

import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { AuthContext, Connection, ParsedKey, ServerChannel } from 'ssh2';
import type { RoutingBackend } from './backend.ts';
import { runChannelScript } from './commands.ts';
import type { ChannelContext } from './commands.ts';
import { setLines } from './config/format.ts';
import type { Dialect } from './config/schema.ts';
import { ConnectionDropped, sleep } from './faults.ts';
import type { CommitDrop, Faults } from './faults.ts';
import { loadHostKeys } from './hostkeys.ts';
import type { HostKey } from './hostkeys.ts';
import { InteractiveShell } from './shell.ts';
import { ConfigStore } from './store.ts';

export type { Faults } from './faults.ts';
// The seam to routing backends, and the host key helpers other lab parts and tests use.
export type * from './backend.ts';
export { fingerprintOfBlob, generateSshKeyPair } from './hostkeys.ts';
export type { Dialect } from './config/schema.ts';

export interface RouterUser {
  username: string;
  password?: string;
  /** OpenSSH public key lines (`ssh-ed25519 AAAA… comment`). */
  authorizedKeys?: string[];
}

export interface RouterInterface {
  name: string;
  address?: string;
  description?: string;
}

export interface RouterEmulatorOptions {
  stateDir: string;
  dialect: Dialect;
  backend: RoutingBackend;
  host?: '127.0.0.1';
  /** 0 (default) picks any free port. */
  port?: number;
  users: RouterUser[];
  interfaces?: RouterInterface[];
  hostname?: string;
  banner?: string;
  /** Milliseconds in a commit-confirm minute; tests shrink it. Default 60000. */
  commitConfirmMinuteMs?: number;
}

export interface RouterEmulator {
  readonly host: string;
  readonly port: number;
  /** The ed25519 host key's fingerprint, OpenSSH style (`SHA256:…`). */
  readonly hostKeySha256: string;
  readonly hostKeys: { type: string; sha256: string; publicKey: string }[];
  readonly faults: Faults;
  runningConfig(): string[];
  savedConfig(): string[];
  stop(): Promise<void>;
  /** Stops and starts again on the same port with the same state (running config = saved config). */
  restart(): Promise<void>;
}

const SERVER_IDENT = 'OpenSSH_7.4p1 Debian-10+deb9u7';

function defaultBanner(dialect: Dialect): string {
  return dialect === 'edgeos'
    ? 'Welcome to EdgeOS\n\nBy logging in, accessing, or using the Ubiquiti product, you acknowledge\nthat you have read and understood the Ubiquiti License Agreement.\n'
    : 'Welcome to VyOS\n';
}

function interfacePath(name: string): string[] {
  if (name === 'lo') return ['interfaces', 'loopback', 'lo'];
  const kind = name.startsWith('switch')
    ? 'switch'
    : name.startsWith('br')
      ? 'bridge'
      : name.startsWith('dum')
        ? 'dummy'
        : 'ethernet';
  return ['interfaces', kind, name];
}

function defaultPaths(opts: RouterEmulatorOptions): string[][] {
  const paths: string[][] = [
    ['system', 'host-name', opts.hostname ?? (opts.dialect === 'edgeos' ? 'ubnt' : 'vyos')],
  ];
  for (const iface of opts.interfaces ?? []) {
    const base = interfacePath(iface.name);
    paths.push(base);
    if (iface.address !== undefined) paths.push([...base, 'address', iface.address]);
    if (iface.description !== undefined) paths.push([...base, 'description', iface.description]);
  }
  paths.push(['service', 'ssh', 'port', '22']);
  return paths;
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function parsePublicKeys(user: RouterUser): ParsedKey[] {
  return (user.authorizedKeys ?? []).map((line) => {
    const parsed = ssh2.utils.parseKey(line);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key === undefined || key instanceof Error) {
      throw new Error(
        `authorizedKeys of user "${user.username}": "${line.slice(0, 30)}…" is not an OpenSSH public key line`,
      );
    }
    return key;
  });
}

interface EmulatorState {
  opts: RouterEmulatorOptions;
  store: ConfigStore;
  hostKeys: HostKey[];
  faults: Faults;
  keysByUser: Map<string, ParsedKey[]>;
  connections: Set<Connection>;
  timers: Set<NodeJS.Timeout>;
  files: Map<string, string>;
  bootedAt: Date;
}

function authenticate(state: EmulatorState, ctx: AuthContext): void {
  const methods: ('password' | 'publickey')[] = ['publickey', 'password'];
  const user = state.opts.users.find((u) => u.username === ctx.username);
  if (state.faults.refuseAuth || user === undefined) return ctx.reject(methods);
  if (ctx.method === 'password') {
    const ok =
      user.password !== undefined && sameBytes(Buffer.from(ctx.password), Buffer.from(user.password));
    return ok ? ctx.accept() : ctx.reject(methods);
  }
  if (ctx.method === 'publickey') {
    const key = state.keysByUser.get(user.username)?.find((k) => sameBytes(k.getPublicSSH(), ctx.key.data));
    if (key === undefined) return ctx.reject(methods);
    // Without a signature the client only asks whether this key would do.
    if (ctx.signature === undefined || ctx.blob === undefined) return ctx.accept();
    return key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject(methods);
  }
  return ctx.reject(methods);
}

/** Kills a client's TCP socket without an SSH disconnect message, like a router going away. */
function destroyConnection(client: Connection): void {
  const sock = (client as unknown as { _sock?: { destroy(): void } })._sock;
  if (sock) sock.destroy();
  else client.end();
}

function channelContext(state: EmulatorState, client: Connection, stream: ServerChannel): ChannelContext {
  const chunks: Buffer[] = [];
  const ended = new Promise<void>((resolve) => {
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
  });
  stream.on('data', (d: Buffer) => chunks.push(d));
  return {
    store: state.store,
    bootedAt: state.bootedAt,
    files: state.files,
    faults: state.faults,
    session: null,
    // Abrupt, like a router losing power: no SSH disconnect message, the TCP socket just dies.
    dropConnection: () => destroyConnection(client),
    readStdin: async () => {
      await ended;
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

function finishChannel(stream: ServerChannel, code: number): void {
  if (stream.destroyed) return;
  stream.exit(code);
  stream.end();
}

async function runNonInteractive(
  state: EmulatorState,
  ctx: ChannelContext,
  stream: ServerChannel,
  source: () => Promise<string>,
): Promise<void> {
  // The client may vanish mid-script; output to a dead channel is dropped, never thrown.
  stream.on('error', () => {});
  const io = {
    out: (t: string) => void (stream.writable ? stream.write(t) : undefined),
    err: (t: string) => void (stream.stderr.writable ? stream.stderr.write(t) : undefined),
  };
  try {
    const script = await source();
    // A slow router answers late: the whole request waits before any output.
    await sleep(state.faults.delayMs);
    const code = await runChannelScript(script, io, ctx);
    finishChannel(stream, code);
  } catch (err) {
    if (err instanceof ConnectionDropped) return;
    io.err(`vbash: internal error: ${(err as Error).message}\n`);
    finishChannel(stream, 1);
  }
}

function onSession(
  state: EmulatorState,
  client: Connection,
  username: string,
  accept: () => ssh2.Session,
): void {
  const session = accept();
  let pty = false;
  session.on('pty', (acceptPty) => {
    pty = true;
    acceptPty?.();
  });
  session.on('window-change', (acceptChange) => acceptChange?.());
  session.on('env', (acceptEnv) => acceptEnv?.());
  session.on('exec', (acceptExec, _reject, info) => {
    const stream = acceptExec();
    const ctx = channelContext(state, client, stream);
    void runNonInteractive(state, ctx, stream, async () => info.command);
  });
  session.on('shell', (acceptShell) => {
    const stream = acceptShell();
    stream.on('error', () => {});
    const ctx = channelContext(state, client, stream);
    if (!pty) {
      // `ssh host < script`: the shell reads its commands from stdin, no prompts.
      void runNonInteractive(state, ctx, stream, ctx.readStdin);
      return;
    }
    const shell = new InteractiveShell({
      ctx,
      username,
      minuteMs: state.opts.commitConfirmMinuteMs ?? 60_000,
      write: (text) => void (stream.writable ? stream.write(text) : undefined),
      close: (code) => finishChannel(stream, code),
      scheduleRevert: (ms, revert) => {
        const timer = setTimeout(() => {
          state.timers.delete(timer);
          void revert();
        }, ms);
        state.timers.add(timer);
        return {
          cancel: () => {
            clearTimeout(timer);
            state.timers.delete(timer);
          },
        };
      },
    });
    stream.on('data', (d: Buffer) => shell.onData(d.toString('utf8')));
    // Without this a client gone at `Proceed? [confirm]` would leave the shell waiting forever.
    // Only close counts: EOF on a PTY is not a hang-up (`ssh -tt < script` sends EOF right away
    // and the shell still runs the typed-ahead lines until they exit).
    stream.on('close', () => shell.hangUp());
    shell.start();
  });
}

function createSshServer(state: EmulatorState): ssh2.Server {
  const banner = state.opts.banner ?? defaultBanner(state.opts.dialect);
  return new ssh2.Server(
    { hostKeys: state.hostKeys.map((k) => k.privateKey), banner, ident: SERVER_IDENT },
    (client) => {
      // As sshd does: without TCP_NODELAY every small exec round trip waits on a delayed ACK.
      // ssh2's Connection has setNoDelay at run time; its typings leave it out.
      (client as Connection & { setNoDelay(noDelay: boolean): void }).setNoDelay(true);
      state.connections.add(client);
      let username = '';
      client.on('close', () => state.connections.delete(client));
      client.on('error', () => state.connections.delete(client));
      client.on('authentication', (ctx) => {
        username = ctx.username;
        authenticate(state, ctx);
      });
      client.on('ready', () => client.on('session', (accept) => onSession(state, client, username, accept)));
    },
  );
}

function listen(server: ssh2.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) =>
      reject(new Error(`router emulator cannot listen on ${host}:${port}: ${err.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      // A broken client handshake must not take the emulator (and the test or demo) down.
      server.on('error', (err: Error) => console.warn(`router emulator ${host}:${port}: ${err.message}`));
      resolve((server.address() as AddressInfo).port);
    });
  });
}

const CLOSE_GRACE_MS = 200;

/** Closes the listener; `forceClients` runs if connections still hold it open after a grace period. */
function closeServer(server: ssh2.Server, forceClients: () => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(forceClients, CLOSE_GRACE_MS);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function startRouterEmulator(opts: RouterEmulatorOptions): Promise<RouterEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const keysByUser = new Map(opts.users.map((u) => [u.username, parsePublicKeys(u)]));
  let server: ssh2.Server | null = null;
  let port = opts.port ?? 0;
  let rebind: () => Promise<void> = async () => {};
  const faults: Faults = {
    dropMidCommit: null as CommitDrop,
    delayMs: 0,
    refuseAuth: false,
    rotateHostKey: () => {
      state.hostKeys = loadHostKeys(opts.stateDir, true);
      return rebind();
    },
  };
  const state: EmulatorState = {
    opts,
    store: await ConfigStore.open({
      dialect: opts.dialect,
      stateDir: opts.stateDir,
      backend: opts.backend,
      defaultPaths: defaultPaths(opts),
    }),
    hostKeys: loadHostKeys(opts.stateDir),
    faults,
    keysByUser,
    connections: new Set(),
    timers: new Set(),
    files: new Map(),
    bootedAt: new Date(),
  };

  const startServing = async () => {
    server = createSshServer(state);
    port = await listen(server, host, port);
  };
  const stopServing = async () => {
    const current = server;
    server = null;
    // server.close() waits for every open connection, so the clients must go first: a polite end(),
    // then the socket is destroyed if the client has not gone after a grace period, so a client that
    // never answers cannot keep the port closed.
    const clients = [...state.connections];
    for (const c of clients) c.end();
    if (current) await closeServer(current, () => clients.forEach(destroyConnection));
  };
  // Host key rotation: new keys are read at construction, so serve a fresh ssh2 Server on the same port.
  // A real router changes its host key with a restart of sshd, which drops the sessions it had.
  rebind = async () => {
    await stopServing();
    await startServing();
  };
  await startServing();

  const stop = async () => {
    for (const t of state.timers) clearTimeout(t);
    state.timers.clear();
    await stopServing();
  };

  return {
    host,
    get port() {
      return port;
    },
    get hostKeySha256() {
      return state.hostKeys.find((k) => k.type === 'ssh-ed25519')?.sha256 ?? '';
    },
    get hostKeys() {
      return state.hostKeys.map((k) => ({ type: k.type, sha256: k.sha256, publicKey: k.publicKey }));
    },
    faults,
    runningConfig: () => setLines(state.store.running, state.store.schema, state.store.dialect),
    savedConfig: () => setLines(state.store.saved, state.store.schema, state.store.dialect),
    stop,
    restart: async () => {
      await stop();
      state.store = await ConfigStore.open({
        dialect: opts.dialect,
        stateDir: opts.stateDir,
        backend: opts.backend,
        defaultPaths: defaultPaths(opts),
      });
      state.files.clear();
      state.bootedAt = new Date();
      await startServing();
    },
  };
}
