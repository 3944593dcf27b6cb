// The CLI binding of the same operations the app uses. `runCli` is I/O-injected so tests can run
// it in-process; index.ts wires it to the real process.

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseTopologyText } from '../../shared/topology/index.ts';
import { escapeInvisible } from '../../shared/net/index.ts';
import { planReportOf, parsedOutputOf, OUTPUT_KINDS } from '../../shared/report.ts';
import type { OutputKind } from '../../shared/report.ts';
import { renderYamlDocuments } from '../../shared/plan/index.ts';
import { formatPlanReport, formatParsedOutput } from './format.ts';

export const EXIT = { ok: 0, failed: 1, invalid: 2, hostKey: 3 } as const;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
}

const USAGE = `Usage: metallb-bgp-wizard <command> [options]

Commands:
  plan  --topology FILE [--json]              validate a topology and show the MetalLB objects and router commands
  parse --kind summary|neighbors|routes --file FILE|- [--json]
                                              parse router output (EdgeOS, FRR/VyOS text or FRR JSON)
  help                                        show this text

Exit codes: 0 ok, 1 the operation failed, 2 invalid input, 3 host key unknown or changed.
`;

class InputError extends Error {}

/**
 * One problem, one terminal line: a file name or a quoted value could otherwise carry newlines or
 * terminal control sequences onto the user's screen.
 */
const oneLine = escapeInvisible;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'plan':
        return await planCommand(rest, io);
      case 'parse':
        return await parseCommand(rest, io);
      case undefined:
        io.stderr(USAGE);
        return EXIT.invalid;
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return EXIT.ok;
      default:
        throw new InputError(`unknown command "${command}"; run "metallb-bgp-wizard help" for the list`);
    }
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`${oneLine(`metallb-bgp-wizard: ${error.message}`)}\n`);
      if (argv.includes('--json') && command === 'plan') {
        // Scripts asking for JSON get it even when the input never reached the validator.
        const report = {
          ok: false,
          errors: [{ path: '', message: error.message }],
          warnings: [],
          metallb: null,
          router: null,
        };
        io.stdout(`${JSON.stringify(report)}\n`);
      }
      return EXIT.invalid;
    }
    const detail = error instanceof Error ? error.message : String(error);
    io.stderr(`${oneLine(`metallb-bgp-wizard: ${command} failed: ${detail}`)}\n`);
    return EXIT.failed;
  }
}

function optionsOf(
  args: string[],
  spec: Record<string, { type: 'string' | 'boolean' }>,
): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
}

async function fileTextOf(file: string, what: string, io: CliIo): Promise<string> {
  if (file === '-') return io.readStdin();
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${what} file "${file}" does not exist; check the path`);
    if (code === 'EISDIR') throw new InputError(`${what} file "${file}" is a directory; give a file`);
    if (code === 'EACCES')
      throw new InputError(`${what} file "${file}" is not readable; check its permissions`);
    throw new InputError(`${what} file "${file}" cannot be read (${code ?? 'error'})`);
  }
}

async function planCommand(args: string[], io: CliIo): Promise<number> {
  const options = optionsOf(args, { topology: { type: 'string' }, json: { type: 'boolean' } });
  const file = options.topology;
  if (typeof file !== 'string') throw new InputError('plan needs --topology FILE (a topology.yaml or .json)');
  const report = planReportOf(parseTopologyText(await fileTextOf(file, 'topology', io), file));
  if (options.json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else if (report.ok) {
    io.stdout(formatPlanReport(report, file, renderYamlDocuments));
  } else {
    for (const error of report.errors) {
      io.stderr(`${oneLine(`${file}: ${error.path || '(top level)'}: ${error.message}`)}\n`);
    }
  }
  return report.ok ? EXIT.ok : EXIT.invalid;
}

async function parseCommand(args: string[], io: CliIo): Promise<number> {
  const options = optionsOf(args, {
    kind: { type: 'string' },
    file: { type: 'string' },
    json: { type: 'boolean' },
  });
  const kind = options.kind;
  if (typeof kind !== 'string' || !(OUTPUT_KINDS as readonly string[]).includes(kind)) {
    throw new InputError(`parse needs --kind ${OUTPUT_KINDS.join('|')}`);
  }
  if (typeof options.file !== 'string')
    throw new InputError('parse needs --file FILE, or --file - to read standard input');
  const parsed = parsedOutputOf(kind as OutputKind, await fileTextOf(options.file, 'router output', io));
  io.stdout(options.json ? `${JSON.stringify(parsed.result, null, 2)}\n` : formatParsedOutput(parsed));
  return EXIT.ok;
}
