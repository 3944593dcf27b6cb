import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { runCli, EXIT } from './run.ts';

const root = resolve(import.meta.dirname, '../../..');
const article = join(root, 'examples/article-topology.yaml');
const fixtures = resolve(root, '../shared/fixtures/router-output');

async function run(argv: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => stdin,
  });
  return { code, stdout, stderr };
}

function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mbw-cli-')), name);
  writeFileSync(file, content);
  return file;
}

describe('plan', () => {
  it('prints the JSON report of the article topology and exits 0 despite warnings', async () => {
    const { code, stdout } = await run(['plan', '--topology', article, '--json']);
    expect(code).toBe(EXIT.ok);
    const report = JSON.parse(stdout);
    expect(Object.keys(report).sort()).toEqual(['errors', 'metallb', 'ok', 'router', 'warnings']);
    expect(report.ok).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.warnings.map((w: { code: string }) => w.code).sort()).toEqual([
      'pool-in-cluster-segment',
      'pool-includes-network-or-broadcast',
    ]);
    expect(report.metallb).toMatchObject({ version: 'v0.14.9', format: 'crd' });
    expect(report.metallb.objects.map((o: { kind: string }) => o.kind).sort()).toEqual([
      'BGPAdvertisement',
      'BGPPeer',
      'IPAddressPool',
    ]);
    expect(report.router.dialect).toBe('edgeos');
    expect(report.router.commands[0]).toBe('configure');
    expect(report.router.commands).toContain(
      'set protocols bgp 64512 neighbor 192.168.1.204 description mbw-worker4',
    );
    expect(report.router.script).toContain('/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper');
  });

  it('prints YAML and commands for people without --json', async () => {
    const { code, stdout } = await run(['plan', '--topology', article]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('kind: IPAddressPool');
    expect(stdout).toContain('set protocols bgp 64512 parameters router-id 192.168.1.1');
    expect(stdout).toContain('warning [pool-in-cluster-segment]');
  });

  it('exits 2 with one line naming the file when it is missing', async () => {
    const { code, stderr } = await run(['plan', '--topology', '/nonexistent/topology.yaml']);
    expect(code).toBe(EXIT.invalid);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('"/nonexistent/topology.yaml" does not exist');
  });

  it('exits 2 naming the file and line for malformed YAML', async () => {
    const file = tempFile('bad.yaml', 'router:\n  asn: [64512\n');
    const { code, stderr } = await run(['plan', '--topology', file]);
    expect(code).toBe(EXIT.invalid);
    expect(stderr).toContain(file);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 naming the file and field for an unknown field and a wrong type', async () => {
    const text = readFileSync(article, 'utf8')
      .replace('asn: 64512\n  routerId', 'asn: "lots"\n  routerId')
      .replace('metallb:\n', 'colour: blue\nmetallb:\n');
    const file = tempFile('typo.yaml', text);
    const { code, stderr } = await run(['plan', '--topology', file]);
    expect(code).toBe(EXIT.invalid);
    const lines = stderr.trim().split('\n');
    expect(lines.some((l) => l.startsWith(`${file}: router.asn:`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${file}: colour:`))).toBe(true);
  });

  it('--json reports errors with ok false and exit 2', async () => {
    const file = tempFile('t.json', JSON.stringify({ router: {} }));
    const { code, stdout } = await run(['plan', '--topology', file, '--json']);
    expect(code).toBe(EXIT.invalid);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(false);
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.errors[0]).toHaveProperty('path');
  });

  it('rejects unknown options and commands with exit 2', async () => {
    expect((await run(['plan', '--topolgy', article])).code).toBe(EXIT.invalid);
    expect((await run(['frobnicate'])).code).toBe(EXIT.invalid);
  });
});

describe('parse', () => {
  it('parses an EdgeOS summary from a file as JSON', async () => {
    const file = join(fixtures, 'edgeos-show-ip-bgp-summary-erlite-ibgp-metallb-readme.txt');
    const { code, stdout } = await run(['parse', '--kind', 'summary', '--file', file, '--json']);
    expect(code).toBe(EXIT.ok);
    const summary = JSON.parse(stdout);
    expect(summary.routerId).toBe('10.0.0.1');
    expect(summary.localAs).toBe(64512);
    expect(summary.neighbors).toHaveLength(3);
    expect(summary.neighbors[0]).toMatchObject({
      address: '10.0.0.20',
      remoteAs: 64512,
      state: 'Established',
      upDown: '1d02h54m',
      prefixesReceived: 1,
    });
  });

  it('reads standard input with --file -', async () => {
    const text = readFileSync(join(fixtures, 'edgeos-show-ip-route-bgp-article.txt'), 'utf8');
    const { code, stdout } = await run(['parse', '--kind', 'routes', '--file', '-', '--json'], text);
    expect(code).toBe(EXIT.ok);
    const routes = JSON.parse(stdout);
    expect(routes.map((r: { prefix: string }) => r.prefix)).toEqual([
      '192.168.1.224/32',
      '192.168.1.225/32',
      '192.168.1.226/32',
      '192.168.1.227/32',
    ]);
    expect(routes[2].nextHops.map((h: { address: string }) => h.address)).toEqual([
      '192.168.1.205',
      '192.168.1.202',
      '192.168.1.201',
    ]);
  });

  it('prints a table without --json, and garbage gives an empty result', async () => {
    const table = await run([
      'parse',
      '--kind',
      'routes',
      '--file',
      join(fixtures, 'edgeos-show-ip-route-bgp-article.txt'),
    ]);
    expect(table.stdout.split('\n')[0]).toMatch(/^PREFIX\s+NEXT HOP\s+INTERFACE\s+AGE$/);
    const garbage = await run(
      ['parse', '--kind', 'neighbors', '--file', '-', '--json'],
      '\u0000{{{ not router output',
    );
    expect(garbage.code).toBe(EXIT.ok);
    expect(JSON.parse(garbage.stdout)).toEqual([]);
  });

  it('refuses a bad --kind with exit 2', async () => {
    const { code, stderr } = await run(['parse', '--kind', 'bananas', '--file', '-']);
    expect(code).toBe(EXIT.invalid);
    expect(stderr).toContain('--kind summary|neighbors|routes');
  });
});

describe('the real process', () => {
  it('runs through the bin on Node 24 and sets the exit code', async () => {
    const exec = promisify(execFile);
    const ok = await exec(process.execPath, [
      join(root, 'bin/metallb-bgp-wizard.js'),
      'plan',
      '--topology',
      article,
      '--json',
    ]);
    expect(JSON.parse(ok.stdout).ok).toBe(true);
    const failed = await exec(process.execPath, [
      join(root, 'bin/metallb-bgp-wizard.js'),
      'plan',
      '--topology',
      '/missing.yaml',
    ]).catch((e) => e);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('"/missing.yaml" does not exist');
  });
});

describe('error lines', () => {
  it('never carry a newline or control character from a file name onto the terminal', async () => {
    const { code, stderr } = await run(['plan', '--topology', '/tmp/no\nsuch\u001b[31m.yaml']);
    expect(code).toBe(EXIT.invalid);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).not.toContain('\u001b');
    expect(stderr).toContain('no\\u000asuch\\u001b[31m.yaml');
  });

  it('--json still prints a JSON report when the file cannot be read', async () => {
    const { code, stdout } = await run(['plan', '--topology', '/nonexistent.yaml', '--json']);
    expect(code).toBe(EXIT.invalid);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(false);
    expect(report.errors[0].message).toContain('"/nonexistent.yaml" does not exist');
  });

  it('prints usage on stderr with exit 2 when no command is given', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(EXIT.invalid);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: metallb-bgp-wizard');
  });
});

describe('input limits', () => {
  it('refuses a 200,000-node topology by its size, before reading it, and names the limit', async () => {
    const nodes = Array.from(
      { length: 200_000 },
      (_, i) => `    - { name: n${i}, address: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} }`,
    );
    const file = tempFile('huge.yaml', `cluster:\n  nodes:\n${nodes.join('\n')}\n`);
    const { code, stderr } = await run(['plan', '--topology', file]);
    expect(code).toBe(EXIT.invalid);
    expect(stderr).toMatch(/topology file ".*huge\.yaml" is larger than 256 KiB/);
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('refuses oversized standard input the same way', async () => {
    const { code, stderr } = await run(['parse', '--kind', 'routes', '--file', '-'], 'x'.repeat(5_000_001));
    expect(code).toBe(EXIT.invalid);
    expect(stderr).toContain('standard input is larger than');
  });
});

describe('option wording', () => {
  it('says in one line of our own which option is wrong and what to do', async () => {
    expect((await run(['plan', '--topology'])).stderr).toBe('metallb-bgp-wizard: --topology needs a value\n');
    expect((await run(['plan', '--bogus'])).stderr).toBe(
      'metallb-bgp-wizard: plan has no option --bogus; run "metallb-bgp-wizard help" for its options\n',
    );
    expect((await run(['plan', '--json=yes', '--topology', 'x'])).stderr).toBe(
      'metallb-bgp-wizard: --json takes no value\n',
    );
    const positional = await run(['status', 'extra']);
    expect(positional.code).toBe(EXIT.invalid);
    expect(positional.stderr).toContain('status takes options only, not "extra"');
  });
});
