// Secrets (router passwords, key passphrases, BGP passwords) kept by the OS keychain through
// Electron's safeStorage, or in memory for the CLI and tests. Electron is injected rather than
// imported so this module runs (and is tested) in plain Node.

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SecretStore {
  /** False: nothing outlives this process (or nothing is kept at all); the UI must ask each time. */
  readonly persistent: boolean;
  /** Why secrets are not stored, in words for the user; null when they are. */
  readonly unavailableReason: string | null;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The part of Electron's `safeStorage` this store uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron: 'basic_text' means a hard-coded key, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

export interface SafeStorageStoreOptions {
  /** Told when a stored secret cannot be read (corrupt file, changed keyring); it is then treated as absent. */
  onProblem?: (message: string) => void;
}

export const SECRETS_FILE_NAME = 'secrets.json';

/** Key names, one function per kind of secret; keys name where a secret is used, never the secret. */
export const SECRET_KEYS = {
  routerPassword: (host: string, port: number, user: string): string =>
    `router-password:${user}@${host}:${port}`,
  keyPassphrase: (keyPath: string): string => `key-passphrase:${keyPath}`,
  bgpPassword: (routerHost: string): string => `bgp-password:${routerHost}`,
} as const;

interface SecretsFile {
  version: 1;
  /** key → base64 of safeStorage's ciphertext. */
  secrets: Record<string, string>;
}

const ASK_EACH_TIME = 'so secrets are not stored: you will be asked each time';

/** Null when safeStorage protects secrets for real, else the reason in the user's words. */
function unavailableReasonOf(safeStorage: SafeStorageLike, platform: NodeJS.Platform): string | null {
  if (!safeStorage.isEncryptionAvailable()) {
    return `the system keyring is not available (Electron safeStorage cannot encrypt on this desktop), ${ASK_EACH_TIME}`;
  }
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    return (
      "the system keyring is not available (Electron safeStorage uses the 'basic_text' backend on this Linux " +
      `desktop), ${ASK_EACH_TIME}`
    );
  }
  return null;
}

function emptyFile(): SecretsFile {
  return { version: 1, secrets: {} };
}

function isSecretsFile(value: unknown): value is SecretsFile {
  if (typeof value !== 'object' || value === null) return false;
  const secrets = (value as { secrets?: unknown }).secrets;
  return (
    typeof secrets === 'object' &&
    secrets !== null &&
    !Array.isArray(secrets) &&
    Object.values(secrets).every((v) => typeof v === 'string')
  );
}

/**
 * Secrets encrypted by safeStorage, stored as base64 in `<dataDir>/secrets.json` (mode 0600).
 * When safeStorage gives no real protection the store keeps nothing and says why.
 */
export function createSafeStorageStore(
  safeStorage: SafeStorageLike,
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
  options: SafeStorageStoreOptions = {},
): SecretStore {
  const unavailableReason = unavailableReasonOf(safeStorage, platform);
  const file = join(dataDir, SECRETS_FILE_NAME);
  const report = (message: string): void => options.onProblem?.(message);
  // One operation at a time, so two sets never race on the file.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(operation: () => Promise<T>): Promise<T> => {
    const next = queue.then(operation, operation);
    queue = next.catch(() => undefined);
    return next;
  };

  async function readSecrets(): Promise<SecretsFile> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyFile();
      report(
        `${file} could not be read (${(error as Error).message}); stored secrets are ignored, you will be asked for them.`,
      );
      return emptyFile();
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (isSecretsFile(parsed)) return { version: 1, secrets: { ...parsed.secrets } };
    } catch {
      // Reported below, like any other unreadable content.
    }
    report(
      `${file} is not a secrets file this app wrote (corrupt or edited); stored secrets are ignored and ` +
        'you will be asked for them. Delete the file to silence this message.',
    );
    return emptyFile();
  }

  async function writeSecrets(content: SecretsFile): Promise<void> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    // Write then rename: a crash mid-write never leaves half a file.
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
      await chmod(temporary, 0o600);
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  function decrypted(key: string, base64: string): string | null {
    try {
      return safeStorage.decryptString(Buffer.from(base64, 'base64'));
    } catch {
      report(
        `The stored secret "${key}" in ${file} could not be decrypted (the keyring or its key may have ` +
          'changed); it is ignored and you will be asked for it again.',
      );
      return null;
    }
  }

  if (unavailableReason !== null) return notStored(unavailableReason);
  return {
    persistent: true,
    unavailableReason: null,
    get: (key) =>
      serial(async () => {
        const stored = (await readSecrets()).secrets[key];
        return stored === undefined ? null : decrypted(key, stored);
      }),
    set: (key, value) =>
      serial(async () => {
        const content = await readSecrets();
        content.secrets[key] = safeStorage.encryptString(value).toString('base64');
        await writeSecrets(content);
      }),
    delete: (key) =>
      serial(async () => {
        const content = await readSecrets();
        if (!(key in content.secrets)) return;
        delete content.secrets[key];
        await writeSecrets(content);
      }),
  };
}

function notStored(reason: string): SecretStore {
  return {
    persistent: false,
    unavailableReason: reason,
    get: async () => null,
    set: async () => undefined,
    delete: async () => undefined,
  };
}

/** Keeps secrets for this process only (the CLI, tests): asked once per run, never written to disk. */
export function createMemoryStore(): SecretStore {
  const secrets = new Map<string, string>();
  return {
    persistent: false,
    unavailableReason: 'secrets are kept in memory only while this program runs; you will be asked each time',
    get: async (key) => secrets.get(key) ?? null,
    set: async (key, value) => {
      secrets.set(key, value);
    },
    delete: async (key) => {
      secrets.delete(key);
    },
  };
}

/**
 * Secrets held for this run only (the demo lab's router password) in front of the store that
 * keeps what the user chose to remember: reads try `session` first, writes go to `kept`, so a
 * secret handed to the app by a launcher never lands on disk.
 */
export function createLayeredStore(session: SecretStore, kept: SecretStore): SecretStore {
  return {
    persistent: kept.persistent,
    unavailableReason: kept.unavailableReason,
    get: async (key) => (await session.get(key)) ?? kept.get(key),
    set: (key, value) => kept.set(key, value),
    delete: async (key) => {
      await session.delete(key);
      await kept.delete(key);
    },
  };
}
