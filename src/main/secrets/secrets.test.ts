import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SECRET_KEYS,
  SECRETS_FILE_NAME,
  createLayeredStore,
  createMemoryStore,
  createSafeStorageStore,
  type SafeStorageLike,
} from './index.ts';

const MASK = 0x5a;

/** A stand-in for Electron's safeStorage that really changes the bytes (XOR, with a marker to detect foreign data). */
function xorSafeStorage(
  backend = 'gnome_libsecret',
  available = true,
): SafeStorageLike & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain) => {
      calls.push('encrypt');
      const bytes = Buffer.from(`v1:${plain}`, 'utf8');
      return Buffer.from(bytes.map((b) => b ^ MASK));
    },
    decryptString: (encrypted) => {
      calls.push('decrypt');
      const text = Buffer.from(encrypted.map((b) => b ^ MASK)).toString('utf8');
      if (!text.startsWith('v1:'))
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return text.slice(3);
    },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mbw-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const PASSWORD = 'hunter2-Sup3r/Secret';
const KEY = SECRET_KEYS.routerPassword('192.168.1.1', 22, 'ubnt');

describe('createSafeStorageStore', () => {
  it('stores ciphertext only, in a 0600 file, and reads the secret back', async () => {
    const store = createSafeStorageStore(xorSafeStorage(), dir, 'linux');
    expect(store.persistent).toBe(true);
    expect(store.unavailableReason).toBeNull();
    await store.set(KEY, PASSWORD);
    expect(await store.get(KEY)).toBe(PASSWORD);

    const file = join(dir, SECRETS_FILE_NAME);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    const stored = JSON.parse(text) as { secrets: Record<string, string> };
    expect(Object.keys(stored.secrets)).toEqual(['router-password:ubnt@192.168.1.1:22']);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    // A second store over the same folder (the next app start) reads it.
    const again = createSafeStorageStore(xorSafeStorage(), dir, 'linux');
    expect(await again.get(KEY)).toBe(PASSWORD);
  });

  it('keeps several secrets apart and deletes one', async () => {
    const store = createSafeStorageStore(xorSafeStorage(), dir, 'darwin');
    const passphrase = SECRET_KEYS.keyPassphrase('/home/u/.ssh/id_ed25519');
    await store.set(KEY, PASSWORD);
    await Promise.all([
      store.set(passphrase, 'pp'),
      store.set(SECRET_KEYS.bgpPassword('192.168.1.1'), 'bgp'),
    ]);
    await store.delete(KEY);
    expect(await store.get(KEY)).toBeNull();
    expect(await store.get(passphrase)).toBe('pp');
    expect(await store.get(SECRET_KEYS.bgpPassword('192.168.1.1'))).toBe('bgp');
    await store.delete('never-set');
  });

  it("stores nothing on Linux with the 'basic_text' backend, and says why", async () => {
    const safeStorage = xorSafeStorage('basic_text');
    const store = createSafeStorageStore(safeStorage, dir, 'linux');
    expect(store.persistent).toBe(false);
    expect(store.unavailableReason).toContain("'basic_text'");
    expect(store.unavailableReason).toContain('you will be asked each time');
    await store.set(KEY, PASSWORD);
    expect(await store.get(KEY)).toBeNull();
    expect(safeStorage.calls).toEqual([]);
    await expect(stat(join(dir, SECRETS_FILE_NAME))).rejects.toThrow(/ENOENT/);
  });

  it('stores nothing when encryption is unavailable', async () => {
    const store = createSafeStorageStore(xorSafeStorage('unknown', false), dir, 'win32');
    expect(store.persistent).toBe(false);
    expect(store.unavailableReason).toMatch(/keyring is not available/);
    await store.set(KEY, PASSWORD);
    expect(await store.get(KEY)).toBeNull();
  });

  it('treats a secret that does not decrypt as absent, with a message naming it', async () => {
    const problems: string[] = [];
    const store = createSafeStorageStore(xorSafeStorage(), dir, 'linux', {
      onProblem: (m) => problems.push(m),
    });
    await store.set(KEY, PASSWORD);
    const file = join(dir, SECRETS_FILE_NAME);
    await writeFile(
      file,
      JSON.stringify({ version: 1, secrets: { [KEY]: Buffer.from('garbage').toString('base64') } }),
    );
    expect(await store.get(KEY)).toBeNull();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(KEY);
    expect(problems[0]).toContain('could not be decrypted');
    expect(problems[0]).toContain('asked for it again');
  });

  it('treats a corrupt file as no secrets, and a new set replaces it', async () => {
    const problems: string[] = [];
    const file = join(dir, SECRETS_FILE_NAME);
    await writeFile(file, '{"version": 1, "secrets": [tru');
    const store = createSafeStorageStore(xorSafeStorage(), dir, 'linux', {
      onProblem: (m) => problems.push(m),
    });
    expect(await store.get(KEY)).toBeNull();
    expect(problems[0]).toContain(file);
    expect(problems[0]).toContain('corrupt');
    await store.set(KEY, PASSWORD);
    expect(await store.get(KEY)).toBe(PASSWORD);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('creates the data folder when missing', async () => {
    const nested = join(dir, 'a', 'b');
    const store = createSafeStorageStore(xorSafeStorage(), nested, 'linux');
    await store.set(KEY, PASSWORD);
    expect((await stat(nested)).mode & 0o777).toBe(0o700);
    expect(await store.get(KEY)).toBe(PASSWORD);
  });
});

describe('createMemoryStore', () => {
  it('keeps secrets for this process only', async () => {
    const store = createMemoryStore();
    expect(store.persistent).toBe(false);
    expect(store.unavailableReason).toMatch(/memory/);
    await store.set(KEY, PASSWORD);
    expect(await store.get(KEY)).toBe(PASSWORD);
    await store.delete(KEY);
    expect(await store.get(KEY)).toBeNull();
    expect(await createMemoryStore().get(KEY)).toBeNull();
  });
});

describe('SECRET_KEYS', () => {
  it('names where a secret is used', () => {
    expect(KEY).toBe('router-password:ubnt@192.168.1.1:22');
    expect(SECRET_KEYS.routerPassword('192.168.1.1', 2222, 'ubnt')).not.toBe(KEY);
    expect(SECRET_KEYS.keyPassphrase('/k')).toBe('key-passphrase:/k');
    expect(SECRET_KEYS.bgpPassword('r1')).toBe('bgp-password:r1');
  });
});

describe('createLayeredStore', () => {
  it('reads this run’s secrets first and keeps only what is set afterwards', async () => {
    const session = createMemoryStore();
    const kept = createMemoryStore();
    await session.set('router', 'from-the-launcher');
    const store = createLayeredStore(session, kept);
    expect(await store.get('router')).toBe('from-the-launcher');
    expect(await kept.get('router')).toBeNull();
    await store.set('other', 'remembered');
    expect(await kept.get('other')).toBe('remembered');
    expect(await session.get('other')).toBeNull();
    await store.delete('router');
    expect(await store.get('router')).toBeNull();
  });
});
