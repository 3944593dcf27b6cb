// The case options both lab CLIs share (lab/options.ts): --readiness-delay is parsed once, refused
// with a message naming it, and handed to a child process unchanged.

import { describe, expect, it } from 'vitest';
import {
  CASE_OPTION_SPECS,
  UsageError,
  caseOptionArgs,
  caseOptionsFrom,
  caseSummary,
  strictArgs,
} from './options.ts';
import { parseDemoArgs } from './demo.ts';

const fromArgs = (argv: string[]) => caseOptionsFrom(strictArgs(argv, CASE_OPTION_SPECS, false).values);

describe('--readiness-delay', () => {
  it('is absent unless given, so each lab keeps its own default', () => {
    expect(fromArgs([])).not.toHaveProperty('readinessDelayMs');
    expect(caseSummary(fromArgs([]))).not.toContain('readiness');
  });

  it('takes whole milliseconds from 0 to 60000', () => {
    expect(fromArgs(['--readiness-delay', '0']).readinessDelayMs).toBe(0);
    expect(fromArgs(['--readiness-delay=250']).readinessDelayMs).toBe(250);
    expect(fromArgs(['--readiness-delay', '60000']).readinessDelayMs).toBe(60_000);
  });

  it.each(['', '-5', '0.5', '1e3', '60001', 'fast', '  7'])('refuses "%s", naming the option', (value) => {
    expect(() => fromArgs([`--readiness-delay=${value}`])).toThrow(UsageError);
    expect(() => fromArgs([`--readiness-delay=${value}`])).toThrow(
      `--readiness-delay "${value}" is not a whole number of milliseconds from 0 to 60000`,
    );
  });

  it('goes to the daemon as arguments that parse back to the same case', () => {
    const options = fromArgs(['--nodes', '2', '--readiness-delay', '0']);
    expect(caseOptionArgs(options)).toEqual([
      '--dialect',
      'edgeos',
      '--nodes',
      '2',
      '--hash',
      'addresses-ports',
      '--readiness-delay',
      '0',
    ]);
    expect(fromArgs(caseOptionArgs(options))).toEqual(options);
    expect(caseOptionArgs(fromArgs([]))).not.toContain('--readiness-delay');
  });

  it('is named in the case summary when given', () => {
    expect(caseSummary(fromArgs(['--readiness-delay', '0']))).toBe(
      'edgeos, 3 nodes, scenarios: none, ECMP hash: addresses-ports, readiness delay: 0 ms',
    );
  });

  it('is the demo option too, where --fast with another delay is a contradiction', () => {
    expect(parseDemoArgs(['--readiness-delay', '300']).readinessDelayMs).toBe(300);
    expect(parseDemoArgs(['--fast', '--readiness-delay', '0'])).toMatchObject({
      fast: true,
      readinessDelayMs: 0,
    });
    expect(() => parseDemoArgs(['--readiness-delay', 'soon'])).toThrow(
      '--readiness-delay "soon" is not a whole number of milliseconds from 0 to 60000',
    );
    expect(() => parseDemoArgs(['--fast', '--readiness-delay', '300'])).toThrow(
      '--fast makes pods Ready at once, but --readiness-delay asks for 300 ms; give one of them',
    );
  });
});
