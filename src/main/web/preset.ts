// The demo's hand-over file: what the lab started (topology, kubeconfig, router and its password),
// written 0600 by `lab/demo.ts` and deleted here as soon as it is read. The password goes into the
// secret store and the log's redaction list; the preset the renderer sees only says it is held.

import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { AppPreset } from '../../shared/contract.ts';
import { UserError } from '../errors.ts';
import type { AppLog } from '../data/index.ts';
import type { SecretStore } from '../secrets/index.ts';
import { SECRET_KEYS } from '../secrets/index.ts';

const presetFileSchema = z
  .object({
    /** Path of the topology file the lab wrote. */
    topology: z.string().min(1).max(4096).nullable().default(null),
    kubeconfig: z.string().min(1).max(4096).nullable().default(null),
    router: z
      .object({
        host: z.string().min(1).max(253),
        port: z.number().int().min(1).max(65535),
        username: z.string().min(1).max(64),
        password: z.string().min(1).max(1024),
        hostKeySha256: z.string().max(100).nullable().default(null),
      })
      .nullable()
      .default(null),
    source: z.string().max(200).default('the built-in demo lab'),
  })
  .strict();

export type PresetFile = z.input<typeof presetFileSchema>;

async function contentOf(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read the preset file ${file}: ${(error as Error).message}`, {
      path: 'preset',
      kind: 'invalid',
    });
  }
}

function parsedPreset(file: string, text: string): z.output<typeof presetFileSchema> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UserError(`the preset file ${file} is not JSON`, { path: 'preset', kind: 'invalid' });
  }
  const parsed = presetFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.join('.') ?? '';
    throw new UserError(
      `the preset file ${file} is invalid${at ? ` at ${at}` : ''}: ${issue?.message ?? ''}`,
      {
        path: `preset${at ? `.${at}` : ''}`,
        kind: 'invalid',
      },
    );
  }
  return parsed.data;
}

async function topologyOf(file: string, path: string | null): Promise<AppPreset['topology']> {
  if (path === null) return null;
  const absolute = resolve(dirname(file), path);
  try {
    return { text: await readFile(absolute, 'utf8'), fileName: basename(absolute) };
  } catch (error) {
    throw new UserError(`cannot read the preset's topology ${absolute}: ${(error as Error).message}`, {
      path: 'preset.topology',
      kind: 'invalid',
    });
  }
}

/**
 * Reads and deletes `file` (deleted even when invalid: it may hold a password), seeds the router
 * password into `secrets` under the key `router.connect` with auth {kind: 'stored'} looks up, and
 * returns the preset without it.
 */
export async function readPresetFile(
  file: string,
  secrets: SecretStore,
  log: Pick<AppLog, 'redact'>,
): Promise<AppPreset> {
  let text: string;
  try {
    text = await contentOf(file);
  } finally {
    await rm(file, { force: true });
  }
  const preset = parsedPreset(file, text);
  const router = preset.router;
  if (router !== null) {
    log.redact(router.password);
    await secrets.set(SECRET_KEYS.routerPassword(router.host, router.port, router.username), router.password);
  }
  return {
    topology: await topologyOf(file, preset.topology),
    kubeconfig: preset.kubeconfig === null ? null : resolve(dirname(file), preset.kubeconfig),
    router:
      router === null
        ? null
        : {
            host: router.host,
            port: router.port,
            username: router.username,
            passwordHeld: true,
            hostKey: router.hostKeySha256,
          },
    source: preset.source,
  };
}
