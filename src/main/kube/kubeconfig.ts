// Loading a kubeconfig the way kubectl does: an explicit path, else the KUBECONFIG list, else
// ~/.kube/config. With a list, the first file that names a cluster, user or context wins, and the
// first current-context wins; client-node's own merge throws on duplicates, so merge here.

import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { UserError, messageOf } from '../errors.ts';

/**
 * The largest kubeconfig read. Real ones are a few KB (tens with many embedded certificates); the
 * bound keeps a wrong pick (a disk image, /dev/zero) from being read into memory.
 */
export const MAX_KUBECONFIG_BYTES = 10 * 1024 * 1024;
const READ_CHUNK_BYTES = 64 * 1024;

export interface KubeconfigChoice {
  path?: string;
  context?: string;
}

export interface KubeContextSummary {
  name: string;
  cluster: string;
  user: string;
  server: string;
}

export interface ExecPlugin {
  command: string;
  args: string[];
}

export interface LoadedKubeconfig {
  /** With the chosen context set current. */
  kubeConfig: KubeConfig;
  files: string[];
  contexts: KubeContextSummary[];
  context: string;
  /** The exec credential plugin the chosen user runs: the UI names it before any request. */
  execPlugin: ExecPlugin | null;
}

/** The files kubectl would read, in precedence order. */
export function kubeconfigFiles(choice: KubeconfigChoice, env: NodeJS.ProcessEnv, home: string): string[] {
  if (choice.path) {
    const file = resolve(choice.path);
    if (!existsSync(file)) {
      throw new UserError(`kubeconfig file ${file} does not exist; check the path or choose another file`, {
        kind: 'invalid',
        path: file,
      });
    }
    return [file];
  }
  const list = (env.KUBECONFIG ?? '')
    .split(delimiter)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => resolve(p));
  if (list.length > 0) {
    // kubectl skips list entries that do not exist, as long as one does.
    const present = [...new Set(list)].filter((f) => existsSync(f));
    if (present.length === 0) {
      throw new UserError(
        `none of the kubeconfig files in KUBECONFIG exist (${list.join(', ')}); fix KUBECONFIG or choose a file`,
        { kind: 'invalid', path: 'KUBECONFIG' },
      );
    }
    return present;
  }
  const file = join(home, '.kube', 'config');
  if (!existsSync(file)) {
    throw new UserError(
      `no kubeconfig found: ${file} does not exist and KUBECONFIG is not set; choose your cluster's kubeconfig file`,
      { kind: 'invalid', path: file },
    );
  }
  return [file];
}

interface ParsedFile {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext: string;
}

function tooLarge(file: string): UserError {
  return new UserError(
    `kubeconfig file ${file} is larger than ${MAX_KUBECONFIG_BYTES / 1024 / 1024} MB, more than a kubeconfig holds; check that this is the right file`,
    { kind: 'invalid', path: file },
  );
}

/** The file's bytes, read only up to the bound: a device or a pipe has no size to check first. */
function boundedBytes(fd: number, file: string): Buffer {
  const stat = fstatSync(fd);
  if (stat.isFile() && stat.size > MAX_KUBECONFIG_BYTES) throw tooLarge(file);
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) return Buffer.concat(chunks, total);
    total += read;
    if (total > MAX_KUBECONFIG_BYTES) throw tooLarge(file);
    chunks.push(chunk.subarray(0, read));
  }
}

function kubeconfigText(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    return boundedBytes(fd, file).toString('utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      `kubeconfig file ${file} cannot be read (${messageOf(error)}); check its permissions`,
      { kind: 'invalid', path: file },
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function parseFile(file: string): ParsedFile {
  const text = kubeconfigText(file);
  // kubectl treats an empty file as an empty config.
  if (text.trim() === '') return { clusters: [], users: [], contexts: [], currentContext: '' };
  const kc = new KubeConfig();
  try {
    // What loadFromFile does, from the text already read (and bounded) rather than a second read.
    kc.loadFromString(text);
    kc.makePathsAbsolute(dirname(file));
  } catch (error) {
    const reason = messageOf(error).split('\n')[0] ?? '';
    throw new UserError(
      `kubeconfig file ${file} is not a valid kubeconfig (${reason}); fix the file or choose another one`,
      { kind: 'invalid', path: file },
    );
  }
  return {
    clusters: kc.getClusters(),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext() ?? '',
  };
}

function firstByName<T extends { name: string }>(lists: T[][]): T[] {
  const seen = new Map<string, T>();
  for (const list of lists) for (const item of list) if (!seen.has(item.name)) seen.set(item.name, item);
  return [...seen.values()];
}

function chosenContext(
  choice: KubeconfigChoice,
  current: string,
  contexts: Context[],
  files: string[],
): string {
  const names = contexts.map((c) => c.name);
  const others = names.length > 0 ? `; the kubeconfig has: ${names.join(', ')}` : '; the kubeconfig has none';
  const wanted = choice.context ?? current;
  if (!wanted) {
    if (names.length === 1) return names[0] ?? '';
    throw new UserError(`${files.join(', ')} sets no current-context: choose a context${others}`, {
      kind: 'invalid',
      path: 'context',
    });
  }
  if (!names.includes(wanted)) {
    throw new UserError(`context "${wanted}" is not in ${files.join(', ')}${others}`, {
      kind: 'invalid',
      path: 'context',
    });
  }
  return wanted;
}

function execPluginOf(user: User | undefined): ExecPlugin | null {
  const exec = (user as { exec?: { command?: unknown; args?: unknown } } | undefined)?.exec;
  if (!exec || typeof exec.command !== 'string') return null;
  return { command: exec.command, args: Array.isArray(exec.args) ? exec.args.map(String) : [] };
}

export function loadKubeconfig(
  choice: KubeconfigChoice,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): LoadedKubeconfig {
  const files = kubeconfigFiles(choice, env, home);
  const parsed = files.map(parseFile);
  const clusters = firstByName(parsed.map((p) => p.clusters));
  const users = firstByName(parsed.map((p) => p.users));
  const contexts = firstByName(parsed.map((p) => p.contexts));
  const current = parsed.find((p) => p.currentContext)?.currentContext ?? '';
  const context = chosenContext(choice, current, contexts, files);

  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({ clusters, users, contexts, currentContext: context });
  const ctx = contexts.find((c) => c.name === context);
  const server = (name: string): string => clusters.find((c) => c.name === name)?.server ?? '';
  return {
    kubeConfig,
    files,
    contexts: contexts.map((c) => ({
      name: c.name,
      cluster: c.cluster,
      user: c.user,
      server: server(c.cluster),
    })),
    context,
    execPlugin: execPluginOf(users.find((u) => u.name === ctx?.user)),
  };
}
