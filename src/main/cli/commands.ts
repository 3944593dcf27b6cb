// The CLI's commands: each parses its options, calls the handlers, and prints the result (JSON on
// stdout with --json, a readable form otherwise).

import { readFile, stat, writeFile } from 'node:fs/promises';
import { OUTPUT_KINDS } from '../../shared/report.ts';
import type { OutputKind } from '../../shared/report.ts';
import { renderYamlDocuments } from '../../shared/plan/index.ts';
import type { OperationEvent } from '../../shared/contract.ts';
import { ipv4Problem } from '../../shared/topology/index.ts';
import type { CliContext, Options, OptionSpec } from './run.ts';
import { CallFailed, EXIT, InputError, fileTextOf, oneLine } from './run.ts';
import {
  CONNECTION_OPTIONS,
  confirmed,
  connectRouter,
  kubeArgOf,
  routerTargetOf,
  topologyArgOf,
} from './connect.ts';
import {
  formatApplyPreview,
  formatApplyResult,
  formatParsedOutput,
  formatPlanReport,
  formatProbe,
  formatStatus,
  formatTeardownPreview,
  formatTestReport,
} from './format.ts';

export interface CommandSpec {
  options: OptionSpec;
  /** Reads files only: no data directory, no log. */
  local?: boolean;
  run(options: Options, ctx: CliContext): Promise<number>;
}

export const USAGE = `Usage: metallb-bgp-wizard <command> [options]

Commands:
  plan  --topology FILE [--json]              validate a topology and show the MetalLB objects and router commands
  parse --kind summary|neighbors|routes --file FILE|- [--json]
                                              parse router output (EdgeOS, FRR/VyOS text or FRR JSON)
  probe    CONNECTION [--json]                what the cluster and the router run today
  apply    CONNECTION [--dry-run] [--yes] [--json]
                                              install MetalLB, apply its objects, configure the router's BGP
  status   CONNECTION [--json] [--watch] [--interval MS]
                                              BGP neighbors and routes, joined with nodes and Services
  test     CONNECTION (--service NS/NAME | --ip IP | --deploy-echo) [--count N] [--json]
                                              curl a Service from the router; which nodes answered
  teardown CONNECTION [--dry-run] [--yes] [--uninstall] [--json]
                                              remove the router's wizard config and our MetalLB objects
  export   --topology FILE --out FILE.zip     the configuration bundle (no secrets)
  import   --bundle FILE.zip --out FILE       the topology from a bundle
  forget-host-key --topology FILE             forget the router's pinned host key
  help                                        show this text

CONNECTION: --topology FILE [--kubeconfig FILE] [--context NAME] [--router-key FILE]
            [--router-host-key SHA256:...]
Secrets: METALLB_WIZARD_ROUTER_PASSWORD, METALLB_WIZARD_KEY_PASSPHRASE, or a prompt on a terminal.
Exit codes: 0 ok, 1 the operation failed, 2 invalid input, 3 host key unknown or changed.
`;

const JSON_OPTION: OptionSpec = { json: { type: 'boolean' } };

function printJson(ctx: CliContext, value: unknown): void {
  ctx.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

const plan: CommandSpec = {
  options: { topology: { type: 'string' }, ...JSON_OPTION },
  local: true,
  async run(options, ctx) {
    const file = options['topology'];
    if (typeof file !== 'string')
      throw new InputError('plan needs --topology FILE (a topology.yaml or .json)');
    const text = await fileTextOf(file, 'topology', ctx.io);
    const report = await ctx.call('plan.build', { topology: { text, fileName: file } });
    if (options['json']) printJson(ctx, report);
    else if (report.ok) ctx.io.stdout(formatPlanReport(report, file, renderYamlDocuments));
    else {
      for (const error of report.errors) {
        ctx.io.stderr(`${oneLine(`${file}: ${error.path || '(top level)'}: ${error.message}`)}\n`);
      }
    }
    return report.ok ? EXIT.ok : EXIT.invalid;
  },
};

const parse: CommandSpec = {
  options: { kind: { type: 'string' }, file: { type: 'string' }, ...JSON_OPTION },
  local: true,
  async run(options, ctx) {
    const kind = options['kind'];
    if (typeof kind !== 'string' || !(OUTPUT_KINDS as readonly string[]).includes(kind)) {
      throw new InputError(`parse needs --kind ${OUTPUT_KINDS.join('|')}`);
    }
    if (typeof options['file'] !== 'string') {
      throw new InputError('parse needs --file FILE, or --file - to read standard input');
    }
    const text = await fileTextOf(options['file'], 'router output', ctx.io);
    const parsed = await ctx.call('parse.output', { kind: kind as OutputKind, text });
    ctx.io.stdout(
      options['json'] ? `${JSON.stringify(parsed.result, null, 2)}\n` : formatParsedOutput(parsed),
    );
    return EXIT.ok;
  },
};

const probe: CommandSpec = {
  options: { ...CONNECTION_OPTIONS, ...JSON_OPTION },
  async run(options, ctx) {
    const topology = await topologyArgOf(options, ctx, 'probe');
    const kube = kubeArgOf(options);
    await noteExecPlugin(ctx, kube);
    const cluster = await ctx.call('cluster.probe', { kube });
    const router = await connectRouter(options, ctx, topology);
    if (options['json']) printJson(ctx, { cluster, router });
    else ctx.io.stdout(formatProbe(cluster, router));
    return EXIT.ok;
  },
};

function manifestArgOf(options: Options): { source: string; sha256?: string } | null {
  const source = options['manifest'];
  const sha256 = options['manifest-sha256'];
  if (typeof sha256 === 'string' && typeof source !== 'string')
    throw new InputError('--manifest-sha256 goes with --manifest FILE|URL');
  if (typeof source !== 'string') return null;
  if (typeof sha256 === 'string' && !/^[0-9a-f]{64}$/.test(sha256)) {
    throw new InputError('--manifest-sha256 needs the 64 lowercase hex digits that the refusal printed');
  }
  return { source, ...(typeof sha256 === 'string' ? { sha256 } : {}) };
}

/** An exec auth plugin runs a program on this machine: say so, and name it, before the cluster is used. */
async function noteExecPlugin(
  ctx: CliContext,
  kube: { kubeconfig?: string; context?: string },
): Promise<void> {
  const contexts = await ctx.call('cluster.contexts', kube);
  const plugin = contexts.execPlugin;
  if (plugin) {
    ctx.io.stderr(
      `${oneLine(`note: the kubeconfig context ${contexts.context} logs in by running the program "${plugin.command}"${plugin.args.length ? ` ${plugin.args.join(' ')}` : ''}`)}\n`,
    );
  }
}

const apply: CommandSpec = {
  options: {
    ...CONNECTION_OPTIONS,
    ...JSON_OPTION,
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean' },
    manifest: { type: 'string' },
    'manifest-sha256': { type: 'string' },
  },
  async run(options, ctx) {
    const topology = await topologyArgOf(options, ctx, 'apply');
    const manifest = manifestArgOf(options);
    const kube = kubeArgOf(options);
    await noteExecPlugin(ctx, kube);
    await connectRouter(options, ctx, topology);
    const preview = await ctx.call('apply.preview', { topology, kube });
    if (preview.router.error) throw new CallFailed(preview.router.error, EXIT.failed);
    if (!options['json']) ctx.io.stderr(formatApplyPreview(preview));
    const dryRun = options['dry-run'] === true;
    if (!dryRun) await confirmed(ctx, options, 'Apply this to the cluster and the router?');
    const result = await ctx.call('apply.run', { topology, kube, dryRun, ...(manifest ? { manifest } : {}) });
    if (options['json']) printJson(ctx, result);
    else ctx.io.stdout(formatApplyResult(result));
    return EXIT.ok;
  },
};

function statusWatchPrinter(ctx: CliContext, json: boolean): (event: OperationEvent) => void {
  return (event) => {
    if (event.kind !== 'status') return;
    if (json) ctx.io.stdout(`${JSON.stringify(event.status)}\n`);
    else ctx.io.stdout(`${ctx.io.interactive ? '\u001b[2J\u001b[H' : '\n'}${formatStatus(event.status)}`);
  };
}

const status: CommandSpec = {
  options: {
    ...CONNECTION_OPTIONS,
    ...JSON_OPTION,
    watch: { type: 'boolean' },
    interval: { type: 'string' },
  },
  async run(options, ctx) {
    const topology = await topologyArgOf(options, ctx, 'status');
    const kube = kubeArgOf(options);
    await noteExecPlugin(ctx, kube);
    await connectRouter(options, ctx, topology);
    if (options['watch']) {
      const interval = options['interval'] === undefined ? 2000 : Number(options['interval']);
      if (!Number.isInteger(interval) || interval < 50)
        throw new InputError('--interval needs a whole number of milliseconds, at least 50');
      ctx.onEvent(statusWatchPrinter(ctx, options['json'] === true));
      await ctx.call('status.watch', { topology, kube, intervalMs: interval });
      return EXIT.ok;
    }
    const report = await ctx.call('status.read', { topology, kube });
    if (options['json']) printJson(ctx, report);
    else ctx.io.stdout(formatStatus(report));
    return EXIT.ok;
  },
};

function testTargetOf(options: Options): { service: { namespace: string; name: string } } | { ip: string } {
  const service = options['service'];
  const ip = options['ip'];
  if (typeof service === 'string' && typeof ip === 'string')
    throw new InputError('test takes --service NS/NAME or --ip IP, not both');
  if (typeof ip === 'string') {
    const problem = ipv4Problem(ip);
    if (problem) throw new InputError(`--ip ${ip}: ${problem}`);
    return { ip };
  }
  if (typeof service === 'string') {
    const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(service);
    if (!match)
      throw new InputError(`--service "${service}" is not NAMESPACE/NAME (lowercase letters, digits and -)`);
    return { service: { namespace: match[1] ?? '', name: match[3] ?? '' } };
  }
  throw new InputError('test needs --service NAMESPACE/NAME or --ip IP');
}

const test: CommandSpec = {
  options: {
    ...CONNECTION_OPTIONS,
    ...JSON_OPTION,
    service: { type: 'string' },
    ip: { type: 'string' },
    count: { type: 'string' },
    'deploy-echo': { type: 'boolean' },
  },
  async run(options, ctx) {
    const topology = await topologyArgOf(options, ctx, 'test');
    const target = options['deploy-echo'] === true ? null : testTargetOf(options);
    const count = options['count'] === undefined ? 10 : Number(options['count']);
    if (!Number.isInteger(count) || count < 1 || count > 50)
      throw new InputError('--count needs a whole number from 1 to 50');
    const kube = kubeArgOf(options);
    await noteExecPlugin(ctx, kube);
    await connectRouter(options, ctx, topology);
    const report = await withEchoService(ctx, options['deploy-echo'] === true, kube, (echo) =>
      ctx.call('test.run', {
        topology,
        kube,
        target: echo ? { service: echo } : (target ?? testTargetOf(options)),
        count,
      }),
    );
    if (options['json']) printJson(ctx, report);
    else ctx.io.stdout(formatTestReport(report));
    return report.succeeded > 0 ? EXIT.ok : EXIT.failed;
  },
};

/** Runs `work` against the echo service when asked: deployed first, always removed after. */
async function withEchoService<T>(
  ctx: CliContext,
  deploy: boolean,
  kube: { kubeconfig?: string; context?: string },
  work: (echo: { namespace: string; name: string } | null) => Promise<T>,
): Promise<T> {
  if (!deploy) return work(null);
  const echo = await ctx.call('echo.deploy', { kube });
  try {
    return await work({ namespace: echo.namespace, name: echo.name });
  } finally {
    await ctx.call('echo.remove', { kube });
  }
}

const teardown: CommandSpec = {
  options: {
    ...CONNECTION_OPTIONS,
    ...JSON_OPTION,
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean' },
    uninstall: { type: 'boolean' },
  },
  async run(options, ctx) {
    const topology = await topologyArgOf(options, ctx, 'teardown');
    const kube = kubeArgOf(options);
    await noteExecPlugin(ctx, kube);
    await connectRouter(options, ctx, topology);
    const uninstall = options['uninstall'] === true;
    const preview = await ctx.call('teardown.preview', { topology, kube });
    if (!options['json']) ctx.io.stderr(formatTeardownPreview(preview, uninstall));
    const dryRun = options['dry-run'] === true;
    if (!dryRun) await confirmed(ctx, options, 'Remove this from the router and the cluster?');
    const result = await ctx.call('teardown.run', { topology, kube, uninstall, dryRun });
    if (options['json']) printJson(ctx, result);
    else
      ctx.io.stdout(
        `${result.router.message}\nremoved from the cluster: ${result.cluster.removed.join(', ') || 'nothing'}\n`,
      );
    return EXIT.ok;
  },
};

const exportCommand: CommandSpec = {
  options: { ...CONNECTION_OPTIONS, out: { type: 'string' } },
  async run(options, ctx) {
    const topology = await topologyArgOf(options, ctx, 'export');
    const out = options['out'];
    if (typeof out !== 'string' || !out.endsWith('.zip')) throw new InputError('export needs --out FILE.zip');
    routerTargetOf(topology);
    const bundle = await ctx.call('bundle.export', { topology });
    await writeFile(out, Buffer.from(bundle.base64, 'base64'), { mode: 0o600 });
    ctx.io.stdout(`wrote ${out}: ${bundle.files.join(', ')}\n`);
    return EXIT.ok;
  },
};

const importCommand: CommandSpec = {
  options: { bundle: { type: 'string' }, out: { type: 'string' } },
  async run(options, ctx) {
    const file = options['bundle'];
    const out = options['out'];
    if (typeof file !== 'string' || typeof out !== 'string')
      throw new InputError('import needs --bundle FILE.zip --out FILE');
    let bytes: Buffer;
    try {
      // Bundles are small; the import refuses more than 20 MB anyway, so do not read more.
      if ((await stat(file)).size > 20 * 1024 * 1024)
        throw new InputError(
          `bundle file "${file}" is larger than 20 MB; choose the bundle the wizard exported`,
        );
      bytes = await readFile(file);
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`bundle file "${file}" cannot be read; check the path`);
    }
    const imported = await ctx.call('bundle.import', { base64: bytes.toString('base64'), fileName: file });
    await writeFile(out, imported.topologyText, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST')
        throw new InputError(`"${out}" exists already; choose another --out so nothing is overwritten`);
      throw error;
    });
    ctx.io.stdout(`wrote ${out}\n`);
    return EXIT.ok;
  },
};

const forgetHostKey: CommandSpec = {
  options: { topology: { type: 'string' } },
  async run(options, ctx) {
    const topology = await topologyArgOf(options, ctx, 'forget-host-key');
    const target = routerTargetOf(topology);
    const { forgotten } = await ctx.call('router.forgetHostKey', { target });
    ctx.io.stdout(
      forgotten
        ? `forgot the pinned host key of ${target.host}:${target.port}; the next connection asks to confirm the new one\n`
        : `no host key was pinned for ${target.host}:${target.port}\n`,
    );
    return EXIT.ok;
  },
};

export const COMMANDS: Record<string, CommandSpec> = {
  plan,
  parse,
  probe,
  apply,
  status,
  test,
  teardown,
  export: exportCommand,
  import: importCommand,
  'forget-host-key': forgetHostKey,
};
