// The router connections main holds: credentials arrive once (router.connect) and stay here, or in
// the secret store when the user asked to remember them; sessions are reused for status polling.

import { readFile, stat } from 'node:fs/promises';

const MAX_KEY_BYTES = 64 * 1024;
import type { RouterConnectResult, ValidRequestOf } from '../../shared/contract.ts';
import { bgpPasswordProblem } from '../../shared/plan/index.ts';
import type { Plan, PlanSecrets } from '../../shared/plan/index.ts';
import { HostKeyStore, openRouterSession, probeRouter } from '../router/index.ts';
import type { RouterAuth, RouterProbe, RouterSession, RouterTarget } from '../router/index.ts';
import { SECRET_KEYS } from '../secrets/index.ts';
import { UserError, messageOf } from '../errors.ts';
import type { ServiceDeps } from './context.ts';

type ConnectRequest = ValidRequestOf<'router.connect'>;

interface Connection {
  target: RouterTarget;
  auth: RouterAuth;
  session: RouterSession | null;
  probe: RouterProbe | null;
}

export function targetKey(target: RouterTarget): string {
  return `${target.username}@${target.host}:${target.port}`;
}

export function targetOfPlan(plan: Plan): RouterTarget {
  const ssh = plan.topology.router.ssh;
  return { host: ssh.host, port: ssh.port, username: ssh.username };
}

export class RouterConnections {
  readonly #deps: ServiceDeps;
  readonly #connections = new Map<string, Connection>();
  readonly #bgpPasswords = new Map<string, string>();
  readonly hostKeys: HostKeyStore;

  constructor(deps: ServiceDeps) {
    this.#deps = deps;
    this.hostKeys = new HostKeyStore({
      dataDir: deps.dataDir,
      knownHostsFile: `${deps.home}/.ssh/known_hosts`,
    });
  }

  async connect(request: ConnectRequest): Promise<RouterConnectResult> {
    const target = request.target;
    const auth = await this.#authOf(target, request.auth);
    let offered: string | null = null;
    let session: RouterSession;
    try {
      session = await openRouterSession(target, auth, {
        store: this.hostKeys,
        ...(request.expectHostKey ? { expected: request.expectHostKey } : {}),
        confirm: async (fingerprint) => {
          offered = fingerprint;
          return request.acceptHostKey === fingerprint;
        },
      });
    } catch (error) {
      // First contact with an unknown key: the user decides, with the fingerprint in front of them.
      if (offered && request.acceptHostKey !== offered && !request.expectHostKey) {
        return { status: 'confirm-host-key', fingerprint: offered, host: target.host, port: target.port };
      }
      throw error;
    }
    const previous = this.#connections.get(targetKey(target));
    await previous?.session?.close().catch(() => undefined);
    const probe = await probeRouter(session);
    this.#connections.set(targetKey(target), { target, auth, session, probe });
    const remembered = await this.#remember(target, request);
    this.#deps.log.write(`router ${targetKey(target)}: connected, ${probe.dialect} ${probe.version}`);
    return {
      status: 'connected',
      hostKey: session.hostKey,
      probe: { dialect: probe.dialect, version: probe.version, model: probe.model, hasCurl: probe.hasCurl },
      remembered,
    };
  }

  /** An open session to the plan's router, reopened with the credentials given earlier. */
  async sessionFor(target: RouterTarget): Promise<RouterSession> {
    const connection = await this.#connectionFor(target);
    if (connection.session?.isOpen()) return connection.session;
    connection.session = await this.#open(connection);
    return connection.session;
  }

  /** A fresh connection with the same credentials and the pinned key (after a drop). */
  reconnectorFor(target: RouterTarget): () => Promise<RouterSession> {
    return async () => {
      const connection = await this.#connectionFor(target);
      await connection.session?.close().catch(() => undefined);
      connection.session = await this.#open(connection);
      return connection.session;
    };
  }

  async probeFor(target: RouterTarget): Promise<RouterProbe> {
    const session = await this.sessionFor(target);
    const connection = await this.#connectionFor(target);
    connection.probe ??= await probeRouter(session);
    return connection.probe;
  }

  /** Keeps the BGP session password for the router's topology; it is checked like any router token. */
  async setBgpPassword(target: RouterTarget, password: string, remember: boolean): Promise<boolean> {
    const problem = bgpPasswordProblem(password);
    if (problem) throw new UserError(`${problem}; choose another`, { path: 'password', kind: 'invalid' });
    this.#deps.log.redact(password);
    this.#bgpPasswords.set(targetKey(target), password);
    if (!remember || !this.#deps.secrets.persistent) return false;
    await this.#deps.secrets.set(SECRET_KEYS.bgpPassword(target.host), password);
    return true;
  }

  /** The plan secrets for this router: the BGP password when the topology asks for one. */
  async planSecretsFor(plan: Plan): Promise<PlanSecrets | undefined> {
    if (!plan.topology.router.bgpPassword) return undefined;
    const target = targetOfPlan(plan);
    const password =
      this.#bgpPasswords.get(targetKey(target)) ??
      (await this.#deps.secrets.get(SECRET_KEYS.bgpPassword(target.host)));
    if (!password) {
      throw new UserError(
        'the topology asks for a BGP password (router.bgpPassword) but none was given; enter it ' +
          '(the CLI reads METALLB_WIZARD_BGP_PASSWORD or asks on a terminal)',
        { path: 'router.bgpPassword', kind: 'invalid' },
      );
    }
    this.#deps.log.redact(password);
    return { bgpPassword: password };
  }

  async forget(target: RouterTarget): Promise<boolean> {
    const connection = this.#connections.get(targetKey(target));
    await connection?.session?.close().catch(() => undefined);
    if (connection) connection.session = null;
    return this.hostKeys.forget(target.host, target.port);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#connections.values()].map((c) => c.session?.close().catch(() => undefined)));
    this.#connections.clear();
  }

  #open(connection: Connection): Promise<RouterSession> {
    // No confirm callback: a reconnect accepts only the key that is pinned already.
    return openRouterSession(connection.target, connection.auth, { store: this.hostKeys });
  }

  async #connectionFor(target: RouterTarget): Promise<Connection> {
    const known = this.#connections.get(targetKey(target));
    if (known) return known;
    const stored = await this.#storedPassword(target);
    if (stored === null) {
      throw new UserError(
        `not connected to the router ${targetKey(target)}: connect to it first (the Router step in the app; ` +
          'the CLI reads METALLB_WIZARD_ROUTER_PASSWORD or asks for the password)',
        { path: 'router.ssh' },
      );
    }
    const connection: Connection = {
      target,
      auth: { kind: 'password', password: stored },
      session: null,
      probe: null,
    };
    this.#connections.set(targetKey(target), connection);
    return connection;
  }

  async #storedPassword(target: RouterTarget): Promise<string | null> {
    const password = await this.#deps.secrets.get(
      SECRET_KEYS.routerPassword(target.host, target.port, target.username),
    );
    if (password) this.#deps.log.redact(password);
    return password;
  }

  async #authOf(target: RouterTarget, auth: ConnectRequest['auth']): Promise<RouterAuth> {
    switch (auth.kind) {
      case 'password':
        this.#deps.log.redact(auth.password);
        return { kind: 'password', password: auth.password };
      case 'stored': {
        const password = await this.#storedPassword(target);
        if (password === null) {
          throw new UserError(`no password is stored for ${targetKey(target)}; enter it`, { path: 'auth' });
        }
        return { kind: 'password', password };
      }
      case 'agent': {
        const socket = this.#deps.env['SSH_AUTH_SOCK'];
        if (!socket) {
          throw new UserError(
            'no ssh-agent is running (SSH_AUTH_SOCK is not set); start one or use a password or key',
            {
              path: 'auth.kind',
            },
          );
        }
        return { kind: 'agent', socket };
      }
      case 'key': {
        if (auth.passphrase) this.#deps.log.redact(auth.passphrase);
        let privateKey: string;
        try {
          // An OpenSSH private key is a few KB; a large file is the wrong one, refused unread.
          if ((await stat(auth.keyFile)).size > MAX_KEY_BYTES) {
            throw new UserError(
              `the private key file "${auth.keyFile}" is larger than 64 KB; choose the key file itself`,
              {
                path: 'auth.keyFile',
                kind: 'invalid',
              },
            );
          }
          privateKey = await readFile(auth.keyFile, 'utf8');
        } catch (error) {
          if (error instanceof UserError) throw error;
          throw new UserError(
            `the private key file "${auth.keyFile}" cannot be read (${messageOf(error)}); check the path`,
            {
              path: 'auth.keyFile',
              kind: 'invalid',
            },
          );
        }
        return { kind: 'key', privateKey, ...(auth.passphrase ? { passphrase: auth.passphrase } : {}) };
      }
    }
  }

  async #remember(target: RouterTarget, request: ConnectRequest): Promise<boolean> {
    if (!request.remember || !this.#deps.secrets.persistent) return false;
    if (request.auth.kind === 'password') {
      await this.#deps.secrets.set(
        SECRET_KEYS.routerPassword(target.host, target.port, target.username),
        request.auth.password,
      );
      return true;
    }
    return false;
  }
}
