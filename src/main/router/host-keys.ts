// Which SSH host keys we trust: our own pins (<dataDir>/known-hosts.json, host:port → SHA256
// fingerprint) and, read-only, the user's OpenSSH known_hosts (plain and hashed entries).

import { createHash, createHmac } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError, messageOf } from '../errors.ts';

/** OpenSSH's fingerprint of a key blob: `SHA256:` + unpadded base64 of its sha256. */
export function fingerprintOfKeyBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export function isFingerprint(text: string): boolean {
  return FINGERPRINT.test(text);
}

/** The key type inside an SSH key blob (`ssh-ed25519`, `ssh-rsa`, …). */
export function keyTypeOfBlob(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return null;
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** A key the user's known_hosts lists for a host. */
export interface KnownHostKey {
  type: string;
  fingerprint: string;
  revoked: boolean;
}

/** How known_hosts names a host: `host` on port 22, `[host]:port` otherwise. */
function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** `|1|salt|hash` entries hold HMAC-SHA1(salt, name). */
function hashedNameMatches(entry: string, name: string): boolean {
  const [, magic, salt, hash] = entry.split('|');
  if (magic !== '1' || salt === undefined || hash === undefined) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

function patternListMatches(list: string, name: string): boolean {
  if (list.startsWith('|')) return hashedNameMatches(list, name);
  let matched = false;
  for (const pattern of list.split(',')) {
    const negated = pattern.startsWith('!');
    if (!globToRegExp(negated ? pattern.slice(1) : pattern).test(name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** Keys listed for host:port in known_hosts text; @cert-authority lines are not host keys and are skipped. */
export function knownHostKeysIn(text: string, host: string, port: number): KnownHostKey[] {
  const name = knownHostsName(host, port);
  const keys: KnownHostKey[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
    if (marker !== undefined && marker !== '@revoked') continue;
    const [hosts, type, blob] = fields;
    if (hosts === undefined || type === undefined || blob === undefined) continue;
    if (!patternListMatches(hosts, name)) continue;
    keys.push({
      type,
      fingerprint: fingerprintOfKeyBlob(Buffer.from(blob, 'base64')),
      revoked: marker === '@revoked',
    });
  }
  return keys;
}

type PinFile = Record<string, string>;

function pinKey(host: string, port: number): string {
  return `${host}:${port}`;
}

/**
 * Pinned router host keys. Writes go through a temporary file and a rename, so a crash never
 * leaves a half-written pin file (which would make every router look new).
 */
export class HostKeyStore {
  readonly file: string;
  readonly knownHostsFile: string | null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: { dataDir: string; knownHostsFile?: string | null }) {
    this.file = path.join(opts.dataDir, 'known-hosts.json');
    this.knownHostsFile =
      opts.knownHostsFile === undefined
        ? path.join(os.homedir(), '.ssh', 'known_hosts')
        : opts.knownHostsFile;
  }

  async lookup(host: string, port: number): Promise<string | null> {
    return (await this.readPins())[pinKey(host, port)] ?? null;
  }

  pin(host: string, port: number, fingerprint: string): Promise<void> {
    if (!isFingerprint(fingerprint)) {
      return Promise.reject(
        new UserError(
          `"${fingerprint}" is not an SSH host key fingerprint; give it as OpenSSH prints it (SHA256: followed by 43 characters).`,
          { kind: 'invalid' },
        ),
      );
    }
    return this.update((pins) => {
      pins[pinKey(host, port)] = fingerprint;
      return true;
    }).then(() => undefined);
  }

  /** Removes the pin; true when there was one. */
  forget(host: string, port: number): Promise<boolean> {
    return this.update((pins) => {
      const key = pinKey(host, port);
      if (!(key in pins)) return false;
      delete pins[key];
      return true;
    });
  }

  /** Keys the user's own known_hosts lists for host:port (none when the file is absent). */
  async knownHostKeys(host: string, port: number): Promise<KnownHostKey[]> {
    if (this.knownHostsFile === null) return [];
    let text: string;
    try {
      text = await readFile(this.knownHostsFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new UserError(`Cannot read ${this.knownHostsFile}: ${messageOf(error)}.`, { cause: error });
    }
    return knownHostKeysIn(text, host, port);
  }

  private async readPins(): Promise<PinFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new UserError(`Cannot read the pinned host keys in ${this.file}: ${messageOf(error)}.`, {
        cause: error,
      });
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('not an object');
      const pins: PinFile = {};
      for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') pins[key] = value;
      return pins;
    } catch (error) {
      throw new UserError(
        `${this.file} is not a valid pin file (${messageOf(error)}). Fix it or delete it; every router's host key will then be asked for again.`,
        { cause: error },
      );
    }
  }

  /** Serialises read-modify-write so two pins at once cannot lose one. */
  private update(change: (pins: PinFile) => boolean): Promise<boolean> {
    const run = this.queue.then(async () => {
      const pins = await this.readPins();
      if (!change(pins)) return false;
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(pins, null, 2)}\n`, { mode: 0o600 });
      await chmod(temporary, 0o600);
      await rename(temporary, this.file);
      return true;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
