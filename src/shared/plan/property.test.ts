// No input can put a character outside the allow-list, or a newline, into a router command; and
// every valid topology plans, diffs and tears down without throwing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ROUTER_TOKEN,
  SUPPORTED_METALLB_VERSIONS,
  validateTopology,
  type Topology,
} from '../topology/index.ts';
import {
  buildPlan,
  diffRouterConfig,
  renderRouterLine,
  renderYamlDocuments,
  teardownPlan,
  type Plan,
} from './index.ts';
import { articleTopology, showConfigurationCommands } from './test-support.ts';

const COMMAND_LINE = /^(set|delete) [A-Za-z0-9._:/ -]+$/;
const SCRIPT_CHANGE_LINE = /^\$W (set|delete) [A-Za-z0-9._:/ -]+ \|\| \{ \$W discard; \$W end; exit 2; \}$/;
const SCRIPT_FIXED_LINES = new Set([
  '#!/bin/vbash',
  'W=/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper',
  '$W begin || exit 1',
  '$W commit_with_error || { $W discard; $W end; exit 3; }',
  '$W save || { $W end; exit 4; }',
  '$W end',
  '',
]);
const SCRIPT_COMMENT =
  /^# MetalLB BGP Wizard: [A-Za-z0-9 .,:/()_-]+\. Runs as one exec'd script: the config session is keyed on this shell\.$/;

function expectSafeRouterText(plan: Plan): void {
  for (const line of plan.router.lines) {
    for (const token of line.path) expect(token).toMatch(ROUTER_TOKEN);
    expect(renderRouterLine(line)).toMatch(COMMAND_LINE);
  }
  const [first, ...rest] = plan.router.commands;
  expect(first).toBe('configure');
  expect(rest.slice(-3)).toEqual(['commit', 'save', 'exit']);
  for (const command of rest.slice(0, -3)) expect(command).toMatch(COMMAND_LINE);
  for (const script of [plan.router.script, plan.router.handScript, plan.router.saveScript]) {
    for (const line of script.split('\n')) {
      const ok = SCRIPT_FIXED_LINES.has(line) || SCRIPT_CHANGE_LINE.test(line) || SCRIPT_COMMENT.test(line);
      expect(ok, `script line ${JSON.stringify(line)}`).toBe(true);
    }
  }
}

/** Applying a plan and asking again must change nothing; tearing it down must remove all of it. */
function expectRoundTrip(plan: Plan): void {
  const applied = showConfigurationCommands(plan.router.lines.map(renderRouterLine));
  const diff = diffRouterConfig(applied, plan);
  expect(diff.ok && diff.unchanged).toBe(true);
  const root =
    plan.router.dialect === 'edgeos' ? `protocols bgp ${plan.topology.router.asn}` : 'protocols bgp';
  expect(teardownPlan(plan.topology, applied).lines.map(renderRouterLine)).toEqual([`delete ${root}`]);
}

const NASTY = fc.constantFrom(
  'worker1\nset system login user evil',
  'worker1;reboot',
  '$(reboot)',
  '`id`',
  "it's",
  '"quoted"',
  'wörker',
  'worker 1',
  'a|b',
  '192.168.1.201\n',
  ' 192.168.1.201',
  '192.168.1.201;',
  'eth1 ',
  'eth1\u0000',
  '10.0.0.0/8\r',
  '\u2028',
  'x'.repeat(300),
);
const anyString = fc.oneof(NASTY, fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));

interface Field {
  set: (t: Topology, value: unknown) => void;
  /** Values this field accepts, so a fair share of mutated topologies reach the planner. */
  plausible: unknown[];
}
const node = (t: Topology, i: number): { name: string; address: string } =>
  t.cluster.nodes[i] as { name: string; address: string };
const FIELDS: Field[] = [
  { set: (t, v) => (node(t, 0).name = v as string), plausible: ['worker-9', 'node.example.com', 'a'] },
  { set: (t, v) => (node(t, 1).address = v as string), plausible: ['192.168.1.210', '192.168.1.2'] },
  {
    set: (t, v) => ((t.cluster.pools[0] as { name: string }).name = v as string),
    plausible: ['pool-b', 'x1'],
  },
  {
    set: (t, v) => ((t.cluster.pools[0] as { addresses: string[] }).addresses = [v as string]),
    plausible: ['10.9.9.0/28', '10.9.9.10-10.9.9.20', '192.168.1.100/30'],
  },
  { set: (t, v) => (t.router.routerId = v as string), plausible: ['10.255.255.1', '192.168.1.1'] },
  {
    set: (t, v) => (t.router.cluster.address = v as string),
    plausible: ['192.168.1.254/24', '192.168.0.1/23'],
  },
  {
    set: (t, v) => (t.router.cluster.interface = v as string),
    plausible: ['eth3', 'switch0', 'eth1.100', 'br0'],
  },
  { set: (t, v) => (t.router.dialect = v as Topology['router']['dialect']), plausible: ['vyos', 'edgeos'] },
  {
    set: (t, v) => (t.metallb.version = v as Topology['metallb']['version']),
    plausible: [...SUPPORTED_METALLB_VERSIONS],
  },
  { set: (t, v) => (t.router.ssh.host = v as string), plausible: ['router.lan', '10.0.0.1'] },
  { set: (t, v) => (t.router.ssh.username = v as string), plausible: ['admin', 'vyos'] },
  { set: (t, v) => ((t.router.asn as unknown) = v), plausible: [65001, 4200000000, 64512] },
  { set: (t, v) => ((t.cluster.asn as unknown) = v), plausible: [65002, 64512] },
  { set: (t, v) => ((t.router.maximumPaths as unknown) = v), plausible: [1, 4, 255] },
];
const mutation = fc
  .integer({ min: 0, max: FIELDS.length - 1 })
  .chain((index) =>
    fc.tuple(
      fc.constant(index),
      fc.oneof(
        { arbitrary: fc.constantFrom(...(FIELDS[index]?.plausible ?? [''])), weight: 3 },
        { arbitrary: anyString, weight: 2 },
      ),
    ),
  );

describe('planner safety (property)', () => {
  it('arbitrary strings anywhere in a topology never reach a router command unless allowed', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const t = articleTopology();
        for (const [field, value] of mutations) FIELDS[field]?.set(t, value);
        const result = validateTopology(t);
        if (!result.ok) return;
        accepted += 1;
        const plan = buildPlan(result.topology, result.warnings);
        expectSafeRouterText(plan);
        expectRoundTrip(plan);
        expect(() => renderYamlDocuments(plan.metallb.objects)).not.toThrow();
      }),
      { numRuns: 400 },
    );
    // Guard against a generator that rarely produces an accepted topology (the checks would be vacuous).
    expect(accepted).toBeGreaterThan(80);
  });
});

const octet = fc.integer({ min: 0, max: 255 });
const dnsLabel = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
// 23456 (AS_TRANS) and 65535 are reserved; stay in ranges the validator accepts.
const asn = fc.oneof(
  fc.integer({ min: 1, max: 23455 }),
  fc.integer({ min: 23457, max: 65534 }),
  fc.integer({ min: 65536, max: 4294967294 }),
);

/** Valid by construction: cluster 10.a.b.0/24, router .1, nodes .2–.200, pools in 172.16.c.16/28 blocks. */
const validTopology: fc.Arbitrary<Topology> = fc
  .record({
    a: octet,
    b: octet,
    dialect: fc.constantFrom('edgeos' as const, 'vyos' as const),
    version: fc.constantFrom(...SUPPORTED_METALLB_VERSIONS),
    routerAsn: asn,
    clusterAsn: fc.option(asn, { nil: undefined }),
    maximumPaths: fc.integer({ min: 1, max: 255 }),
    hosts: fc.uniqueArray(fc.integer({ min: 2, max: 200 }), { minLength: 1, maxLength: 8 }),
    names: fc.uniqueArray(dnsLabel, { minLength: 8, maxLength: 8 }),
    pools: fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 3 }),
    poolNames: fc.uniqueArray(dnsLabel, { minLength: 3, maxLength: 3 }),
    withRouterId: fc.boolean(),
  })
  .map((r) => ({
    router: {
      dialect: r.dialect,
      ssh: { host: `10.${r.a}.${r.b}.1`, port: 22, username: 'ubnt' },
      asn: r.routerAsn,
      ...(r.withRouterId ? { routerId: `10.${r.a}.${r.b}.1` } : {}),
      maximumPaths: r.maximumPaths,
      cluster: { interface: 'eth1', address: `10.${r.a}.${r.b}.1/24` },
    },
    cluster: {
      asn: r.clusterAsn ?? r.routerAsn,
      nodes: r.hosts.map((host, i) => ({ name: r.names[i] ?? `n${i}`, address: `10.${r.a}.${r.b}.${host}` })),
      pools: r.pools.map((c, i) => ({ name: r.poolNames[i] ?? `p${i}`, addresses: [`172.16.${c}.16/28`] })),
    },
    metallb: { version: r.version },
  }));

describe('valid topologies always plan (property)', () => {
  it('plans, renders, diffs to unchanged and tears down without throwing', () => {
    fc.assert(
      fc.property(validTopology, (input) => {
        const result = validateTopology(input);
        expect(result.errors).toEqual([]);
        if (!result.ok) return;
        const plan = buildPlan(result.topology, result.warnings);
        const perNode = plan.router.dialect === 'edgeos' ? 2 : 3;
        const fixed = plan.router.dialect === 'edgeos' ? 2 : 3;
        expect(plan.router.lines).toHaveLength(fixed + perNode * input.cluster.nodes.length);
        expectSafeRouterText(plan);
        expectRoundTrip(plan);
        const objects = plan.metallb.objects;
        expect(objects).toHaveLength(plan.metallb.format === 'crd' ? input.cluster.pools.length + 2 : 1);
        expect(renderYamlDocuments(objects).split(/^---$/m)).toHaveLength(objects.length);
      }),
      { numRuns: 300 },
    );
  });
});
