// Persistent SSH host keys (ed25519 and ssh-rsa) in stateDir, generated once, and their
// fingerprints as OpenSSH prints them.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ssh2 from 'ssh2';

export interface HostKey {
  type: 'ssh-ed25519' | 'ssh-rsa';
  privateKey: string;
  /** OpenSSH public key line (`ssh-ed25519 AAAA…`). */
  publicKey: string;
  /** `SHA256:` + unpadded base64 of the sha256 of the key blob. */
  sha256: string;
}

/**
 * ssh2's generateKeyPairSync('ed25519') strips leading zero bytes off the public key, so about
 * 1 key in 128-256 cannot be parsed back (mscdex/ssh2 issues #1390, #1513). Generate until both
 * halves parse.
 */
export function generateSshKeyPair(
  type: 'ed25519' | 'rsa',
  passphrase?: string,
): { private: string; public: string } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const encryption: { passphrase: string; cipher: string; rounds: number } | Record<string, never> =
      passphrase === undefined ? {} : { passphrase, cipher: 'aes256-ctr', rounds: 16 };
    const pair =
      type === 'rsa'
        ? ssh2.utils.generateKeyPairSync('rsa', { bits: 2048, ...encryption })
        : ssh2.utils.generateKeyPairSync('ed25519', encryption);
    const parsedPrivate = ssh2.utils.parseKey(pair.private, passphrase);
    const parsedPublic = ssh2.utils.parseKey(pair.public);
    if (!(parsedPrivate instanceof Error) && !(parsedPublic instanceof Error)) return pair;
  }
  throw new Error(`could not generate a parseable ${type} key pair in 20 attempts`);
}

const FILES = [
  { type: 'ssh-ed25519', file: 'ssh_host_ed25519_key', generate: () => generateSshKeyPair('ed25519') },
  { type: 'ssh-rsa', file: 'ssh_host_rsa_key', generate: () => generateSshKeyPair('rsa') },
] as const;

export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Fingerprint of an OpenSSH public key line. */
export function fingerprintOfPublicKey(line: string): string {
  const blob = line.trim().split(/\s+/)[1];
  if (blob === undefined) throw new Error(`not an OpenSSH public key line: "${line.slice(0, 40)}"`);
  return fingerprintOfBlob(Buffer.from(blob, 'base64'));
}

function publicLineOf(privateKey: string, file: string): string {
  const parsed = ssh2.utils.parseKey(privateKey);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined || key instanceof Error) {
    throw new Error(
      `${file} is not a valid SSH private key (${key instanceof Error ? key.message : 'empty'}); delete it to generate a new one`,
    );
  }
  return `${key.type} ${key.getPublicSSH().toString('base64')}`;
}

/** Loads the host keys from stateDir, generating missing ones (or all, when `regenerate`). */
export function loadHostKeys(stateDir: string, regenerate = false): HostKey[] {
  mkdirSync(stateDir, { recursive: true });
  return FILES.map(({ type, file, generate }) => {
    const privatePath = path.join(stateDir, file);
    if (regenerate || !existsSync(privatePath)) {
      const pair = generate();
      writeFileSync(privatePath, pair.private, { mode: 0o600 });
      writeFileSync(`${privatePath}.pub`, `${pair.public}\n`);
    }
    const privateKey = readFileSync(privatePath, 'utf8');
    const publicKey = publicLineOf(privateKey, privatePath);
    return { type, privateKey, publicKey, sha256: fingerprintOfPublicKey(publicKey) };
  });
}
