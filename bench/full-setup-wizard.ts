// The wizard's side of full-setup: its CLI, in-process (src/main/cli/testing.ts), as a user runs
// it on the lab: `apply --yes`, then `status --json` until every session of the plan is
// Established, then `test --deploy-echo` until it passes. Where the time went comes from the app's
// own log, whose every progress line carries its time to the millisecond.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cliHarness, demoConnection, removeHome } from '../src/main/cli/testing.ts';
import type { CliHarness, StatusJson } from '../src/main/cli/testing.ts';
import { LOG_FILE_NAME, dataDirectory } from '../src/main/data/index.ts';
import { buildPlan } from '../src/shared/plan/index.ts';
import type { Plan } from '../src/shared/plan/index.ts';
import { parseTopologyText } from '../src/shared/topology/index.ts';
import type { LabLine } from './full-setup-lab.ts';

/** Polling the status is the harness's part, not the app's: as often as the floor polls FRR. */
const POLL_MS = 50;
const SESSIONS_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 60_000;

export interface Mark {
  /** Seconds from the start of the apply. */
  at: number;
  what: string;
}

export interface WizardRun {
  seconds: number;
  /** Seconds from the start until `apply` returned, and until status showed every session Established. */
  appliedAt: number;
  sessionsAt: number;
  statusReads: number;
  /** `test --deploy-echo` runs until one passed (1 when the first did). */
  testRuns: number;
  /** The harness's own marks and every line of the app's log, in time order. */
  marks: Mark[];
}

/** The plan the wizard applies to this lab: its own topology file, planned as the CLI plans it. */
export async function labPlan(line: LabLine): Promise<Plan> {
  const parsed = parseTopologyText(await readFile(line.topology, 'utf8'), line.topology);
  if (!parsed.ok)
    throw new Error(`the lab's topology ${line.topology} is invalid: ${parsed.errors[0]?.message ?? ''}`);
  return buildPlan(parsed.topology, parsed.warnings);
}

/** The app log's lines as marks: `2026-01-02T03:04:05.678Z text`. */
async function logMarks(cli: CliHarness, startedAt: number): Promise<Mark[]> {
  const file = path.join(dataDirectory(cli.env, cli.home), LOG_FILE_NAME);
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .map((line) => /^(\S+Z) (.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ at: (Date.parse(m[1] ?? '') - startedAt) / 1000, what: m[2] ?? '' }));
}

function established(status: StatusJson, nodes: number): boolean {
  const ours = status.neighbors.filter((n) => n.node !== null);
  return ours.length === nodes && ours.every((n) => n.state === 'Established');
}

const lastLine = (text: string): string => text.trim().split('\n').at(-1) ?? '';

export async function wizardRun(line: LabLine, nodes: number): Promise<WizardRun> {
  const cli = cliHarness({ METALLB_WIZARD_ROUTER_PASSWORD: line.router.password });
  const connection = demoConnection(line);
  const marks: Mark[] = [];
  const startedAt = Date.now();
  const start = performance.now();
  const mark = (what: string): number => {
    const at = (performance.now() - start) / 1000;
    marks.push({ at, what });
    return at;
  };
  try {
    const apply = await cli.run(['apply', ...connection, '--yes', '--json']);
    if (apply.code !== 0) throw new Error(`apply exited ${apply.code}: ${lastLine(apply.stderr)}`);
    const appliedAt = mark('harness: apply returned');

    let statusReads = 0;
    for (;;) {
      const status = await cli.json<StatusJson>(['status', ...connection]);
      statusReads++;
      if (established(status, nodes)) break;
      if (performance.now() - start > SESSIONS_TIMEOUT_MS)
        throw new Error(
          `status never showed ${nodes} sessions Established: ${JSON.stringify(status.neighbors)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const sessionsAt = mark(`harness: status read ${statusReads} showed every session Established`);

    let testRuns = 0;
    for (;;) {
      const test = await cli.run(['test', ...connection, '--deploy-echo', '--json']);
      testRuns++;
      if (test.code === 0) break;
      if ((performance.now() - start) / 1000 - sessionsAt > TEST_TIMEOUT_MS / 1000)
        throw new Error(`test --deploy-echo never passed: ${lastLine(test.stderr)}`);
      mark(`harness: test --deploy-echo run ${testRuns} failed (exit ${test.code}); again`);
    }
    const seconds = mark('harness: test --deploy-echo passed');
    const all = [...marks, ...(await logMarks(cli, startedAt))].sort((a, b) => a.at - b.at);
    return { seconds, appliedAt, sessionsAt, statusReads, testRuns, marks: all };
  } finally {
    await removeHome(cli);
  }
}
