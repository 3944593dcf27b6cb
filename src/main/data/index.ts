// The app's data folder (pins, backups, secrets, the log) and the log itself. Electron's userData
// is set to this same folder, so the CLI and the app share what they remember.

import { chmodSync, closeSync, fstatSync, openSync, renameSync, writeSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { escapeInvisible } from '../../shared/net/index.ts';

export const APP_DIRECTORY_NAME = 'metallb-bgp-wizard';
export const LOG_FILE_NAME = 'wizard.log';
/** The log moves to wizard.log.1 (replacing the previous one) when it would grow past this. */
export const LOG_ROTATE_BYTES = 1024 * 1024;
export const REDACTED = '[redacted]';

/** `$XDG_CONFIG_HOME/metallb-bgp-wizard`, by default `~/.config/metallb-bgp-wizard`. */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  const configHome = xdg !== undefined && xdg !== '' && isAbsolute(xdg) ? xdg : join(home, '.config');
  return join(configHome, APP_DIRECTORY_NAME);
}

/** mkdir -p, and mode 0700 on the folder itself even if it already existed with a looser one. */
export async function ensureDataDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(dir, 0o700);
}

export interface AppLog {
  /** Appends one timestamped line; never throws (a failing log must not fail an operation). */
  write(line: string): void;
  /** From now on, `secret` is written as [redacted] wherever it appears. */
  redact(secret: string): void;
  readonly file: string;
  close(): Promise<void>;
}

/** The forms a secret can take once it is inside a log line: as is, JSON-escaped, invisible characters escaped. */
function secretForms(secret: string): string[] {
  const jsonEscaped = JSON.stringify(secret).slice(1, -1);
  return [...new Set([secret, jsonEscaped, escapeInvisible(secret), escapeInvisible(jsonEscaped)])];
}

function replaceAll(text: string, forms: string[]): string {
  return forms.reduce((result, form) => result.split(form).join(REDACTED), text);
}

/**
 * Appends to `<dir>/wizard.log` (mode 0600). Each line is stamped, stripped of every registered
 * secret, and kept to one line by escaping control characters. Writes are synchronous so nothing
 * is lost if the process dies right after an error.
 */
export function openAppLog(dir: string): AppLog {
  const file = join(dir, LOG_FILE_NAME);
  // Longest first, so a secret that contains another is redacted whole.
  let forms: string[] = [];
  let fd: number | null = null;
  let size = 0;
  let closed = false;

  const open = (): number => {
    const opened = openSync(file, 'a', 0o600);
    if (process.platform !== 'win32') chmodSync(file, 0o600);
    size = fstatSync(opened).size;
    fd = opened;
    return opened;
  };

  const rotate = (): void => {
    if (fd !== null) closeSync(fd);
    fd = null;
    renameSync(file, `${file}.1`);
  };

  const cleaned = (line: string): string => replaceAll(escapeInvisible(replaceAll(line, forms)), forms);

  return {
    file,
    redact(secret) {
      if (secret === '') return;
      forms = [...new Set([...forms, ...secretForms(secret)])].sort((a, b) => b.length - a.length);
    },
    write(line) {
      if (closed) return;
      try {
        const text = `${new Date().toISOString()} ${cleaned(line)}\n`;
        const bytes = Buffer.byteLength(text);
        let handle = fd ?? open();
        if (size > 0 && size + bytes > LOG_ROTATE_BYTES) {
          rotate();
          handle = open();
        }
        writeSync(handle, text);
        size += bytes;
      } catch {
        // A full disk or a removed folder must not turn into a failed apply; the log is best effort.
      }
    },
    async close() {
      closed = true;
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
