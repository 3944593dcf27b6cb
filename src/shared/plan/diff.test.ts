import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan, diffRouterConfig, renderRouterLine, type Plan, type RouterDiff } from './index.ts';
import { articleTopology, ebgpTopology, showConfigurationCommands, vyosTopology } from './test-support.ts';
import type { Topology } from '../topology/index.ts';

function fixture(name: string): string {
  return readFileSync(path.resolve(process.cwd(), '../shared/fixtures/router-output', name), 'utf8');
}

const ANSIBLE_CONFIG = fixture('edgeos1-show-configuration-commands-ansible-fixture.txt');

/** The router's config after the plan was applied, as `show configuration commands` prints it. */
function appliedConfig(plan: Plan, extra: string[] = []): string {
  const planLines = plan.router.lines.map(renderRouterLine);
  return ANSIBLE_CONFIG + showConfigurationCommands([...planLines, ...extra]);
}

function okDiff(diff: RouterDiff): Extract<RouterDiff, { ok: true }> {
  if (!diff.ok) throw new Error(`expected ok diff, got: ${diff.error}`);
  return diff;
}

function diffLines(diff: RouterDiff): string[] {
  return okDiff(diff).lines.map(renderRouterLine);
}

describe('diffRouterConfig (EdgeOS)', () => {
  const plan = buildPlan(articleTopology());

  it('a router without BGP gets every plan line', () => {
    const diff = okDiff(diffRouterConfig(ANSIBLE_CONFIG, plan));
    expect(diff.lines).toEqual(plan.router.lines);
    expect(diff.unchanged).toBe(false);
    expect(diff.commands).toEqual(plan.router.commands);
    expect(diff.script).toBe(plan.router.script.replace('apply the BGP plan', 'update BGP'));
    expect(diff.preview.every((p) => p.kind === 'add')).toBe(true);
    expect(diff.preview).toHaveLength(plan.router.lines.length);
  });

  it('a router that already holds the plan is unchanged: no lines, nothing to run', () => {
    const diff = okDiff(diffRouterConfig(appliedConfig(plan), plan));
    expect(diff).toMatchObject({ lines: [], unchanged: true, conflicts: [], script: '', commands: [] });
    expect(diff.preview.map((p) => p.kind)).toEqual(plan.router.lines.map(() => 'keep'));
  });

  it('tolerates typographic quotes, prompts and CRLF in the captured output', () => {
    const captured = ('ubnt@ubnt:~$ show configuration commands\n' + appliedConfig(plan))
      .replace(/'(mbw-[^']+)'/g, '\u2018$1\u2019')
      .replace(/\n/g, '\r\n');
    expect(okDiff(diffRouterConfig(captured, plan)).unchanged).toBe(true);
  });

  it('sets only what differs: a changed value and a missing neighbor', () => {
    const before = buildPlan({
      ...articleTopology(),
      cluster: { ...articleTopology().cluster, nodes: articleTopology().cluster.nodes.slice(0, 3) },
    });
    const current = appliedConfig(before).replace('maximum-paths ibgp 32', 'maximum-paths ibgp 4');
    expect(diffLines(diffRouterConfig(current, plan))).toEqual([
      'set protocols bgp 64512 neighbor 192.168.1.204 remote-as 64512',
      'set protocols bgp 64512 neighbor 192.168.1.204 description mbw-worker4',
      'set protocols bgp 64512 maximum-paths ibgp 32',
    ]);
  });

  it('deletes a stale marked neighbor and leaves unmarked ones and everything outside protocols bgp alone', () => {
    const current = appliedConfig(plan, [
      'set protocols bgp 64512 neighbor 192.168.1.209 remote-as 64512',
      'set protocols bgp 64512 neighbor 192.168.1.209 description mbw-worker9',
      'set protocols bgp 64512 neighbor 10.0.0.1 remote-as 65001',
      'set protocols bgp 64512 neighbor 10.0.0.1 description upstream',
      'set protocols bgp 64512 network 10.99.0.0/16',
    ]);
    const diff = okDiff(diffRouterConfig(current, plan));
    expect(diff.lines.map(renderRouterLine)).toEqual(['delete protocols bgp 64512 neighbor 192.168.1.209']);
    expect(diff.preview.filter((p) => p.kind !== 'keep')).toEqual([
      { line: 'delete protocols bgp 64512 neighbor 192.168.1.209', kind: 'remove' },
    ]);
    expect(diff.script).toContain(
      '$W delete protocols bgp 64512 neighbor 192.168.1.209 || { $W discard; $W end; exit 2; }',
    );
  });

  it('an unmarked neighbor without description is untouched too', () => {
    const current = appliedConfig(plan, ['set protocols bgp 64512 neighbor 10.0.0.1 remote-as 65001']);
    expect(okDiff(diffRouterConfig(current, plan)).unchanged).toBe(true);
  });

  it('renames the description of an adopted (marked) neighbor and strips options the plan does not set', () => {
    const current = appliedConfig(plan, [
      'set protocols bgp 64512 neighbor 192.168.1.201 timers keepalive 30',
      'set protocols bgp 64512 neighbor 192.168.1.201 timers holdtime 90',
      'set protocols bgp 64512 neighbor 192.168.1.201 shutdown',
    ]).replace("description 'mbw-worker2'", "description 'mbw-old-name'");
    expect(diffLines(diffRouterConfig(current, plan))).toEqual([
      'delete protocols bgp 64512 neighbor 192.168.1.201 timers keepalive',
      'delete protocols bgp 64512 neighbor 192.168.1.201 timers holdtime',
      'delete protocols bgp 64512 neighbor 192.168.1.201 shutdown',
      'set protocols bgp 64512 neighbor 192.168.1.202 description mbw-worker2',
    ]);
  });

  it('refuses when BGP runs under another ASN, naming both ASNs and what to do', () => {
    const current = ANSIBLE_CONFIG + 'set protocols bgp 65010 neighbor 10.0.0.1 remote-as 65001\n';
    const diff = diffRouterConfig(current, plan);
    expect(diff.ok).toBe(false);
    if (diff.ok) return;
    expect(diff.error).toContain('AS 65010');
    expect(diff.error).toContain('64512');
    expect(diff.error).toMatch(/set router\.asn to 65010/);
    expect(diff.error).toMatch(/one BGP instance/);
  });

  it('refuses an unmarked neighbor at a node address, naming it and both ways out', () => {
    const current =
      ANSIBLE_CONFIG +
      showConfigurationCommands([
        'set protocols bgp 64512 neighbor 192.168.1.202 remote-as 64512',
        'set protocols bgp 64512 neighbor 192.168.1.202 description k8s-node-b',
        'set protocols bgp 64512 neighbor 192.168.1.203 remote-as 64512',
      ]);
    const diff = diffRouterConfig(current, plan);
    expect(diff.ok).toBe(false);
    if (diff.ok) return;
    expect(diff.conflicts).toHaveLength(2);
    expect(diff.conflicts[0]).toContain('neighbor 192.168.1.202 (description "k8s-node-b")');
    expect(diff.conflicts[0]).toContain('"delete protocols bgp 64512 neighbor 192.168.1.202"');
    expect(diff.conflicts[0]).toContain(
      '"set protocols bgp 64512 neighbor 192.168.1.202 description mbw-worker2"',
    );
    expect(diff.conflicts[1]).toContain('neighbor 192.168.1.203 (no description)');
    expect(diff.error).toContain(diff.conflicts[1]);
  });

  it('refuses a VyOS-style tree when the topology says edgeos', () => {
    const current =
      'set protocols bgp system-as 64512\nset protocols bgp neighbor 10.0.0.1 remote-as internal\n';
    const diff = diffRouterConfig(current, plan);
    expect(diff.ok).toBe(false);
    if (!diff.ok) expect(diff.error).toMatch(/vyos dialect.*router\.dialect: edgeos/);
  });

  it('re-sets remote-as on our neighbors when the cluster ASN changed', () => {
    const ebgp = buildPlan(ebgpTopology());
    const current = appliedConfig(buildPlan(ebgpTopology())).replace(/remote-as 64512/g, 'remote-as 65000');
    const lines = diffLines(diffRouterConfig(current, ebgp));
    expect(lines).toEqual(
      [1, 2, 3, 4].map((n) => `set protocols bgp 65000 neighbor 192.168.1.20${n} remote-as 64512`),
    );
  });

  it('refuses safely (no throw) when the router reports a neighbor address with odd characters', () => {
    const current = "set protocols bgp 64512 neighbor 'bad addr' description 'mbw-x'\n";
    const diff = diffRouterConfig(current, plan);
    expect(diff.ok).toBe(false);
    if (!diff.ok) expect(diff.error).toMatch(/Cannot build a safe change/);
  });
});

describe('diffRouterConfig (VyOS)', () => {
  const plan = buildPlan(vyosTopology());

  it('a router without BGP gets every plan line; the applied plan is unchanged', () => {
    expect(okDiff(diffRouterConfig(ANSIBLE_CONFIG, plan)).lines).toEqual(plan.router.lines);
    expect(okDiff(diffRouterConfig(appliedConfig(plan), plan)).unchanged).toBe(true);
  });

  it('removes stale marked neighbors, keeps unmarked ones, and re-enables a family it had to strip', () => {
    const current = appliedConfig(plan, [
      'set protocols bgp neighbor 192.168.1.209 remote-as internal',
      'set protocols bgp neighbor 192.168.1.209 description mbw-worker9',
      'set protocols bgp neighbor 10.0.0.1 remote-as 65001',
      'set protocols bgp neighbor 192.168.1.201 address-family ipv4-unicast route-map import ONLY-LB',
    ]).replace('set protocols bgp neighbor 192.168.1.201 address-family ipv4-unicast\n', '');
    expect(diffLines(diffRouterConfig(current, plan))).toEqual([
      'delete protocols bgp neighbor 192.168.1.209',
      'delete protocols bgp neighbor 192.168.1.201 address-family ipv4-unicast route-map import',
      'set protocols bgp neighbor 192.168.1.201 address-family ipv4-unicast',
    ]);
  });

  it('does not delete a whole address-family to remove a sibling family', () => {
    const current = appliedConfig(plan, [
      'set protocols bgp neighbor 192.168.1.201 address-family ipv6-unicast',
    ]);
    expect(diffLines(diffRouterConfig(current, plan))).toEqual([
      'delete protocols bgp neighbor 192.168.1.201 address-family ipv6-unicast',
    ]);
  });

  it('reads VyOS output that quotes every value (system-as, remote-as, maximum-paths)', () => {
    const quoted = plan.router.lines
      .map(renderRouterLine)
      .map((line) => line.replace(/ (internal|\d+|[\d.]+|mbw-\S+)$/, " '$1'"))
      .join('\n');
    expect(quoted).toContain("system-as '64512'");
    expect(okDiff(diffRouterConfig(quoted, plan)).unchanged).toBe(true);
  });

  it('refuses another system-as', () => {
    const diff = diffRouterConfig('set protocols bgp system-as 65010\n', plan);
    expect(diff.ok).toBe(false);
    if (!diff.ok)
      expect(diff.error).toMatch(/AS 65010 \(protocols bgp system-as 65010\).*router\.asn is 64512/);
  });

  it('refuses an EdgeOS-style tree when the topology says vyos', () => {
    const diff = diffRouterConfig('set protocols bgp 64512 parameters router-id 1.1.1.1\n', plan);
    expect(diff.ok).toBe(false);
  });
});

describe('diffRouterConfig when the session switches between iBGP and eBGP', () => {
  /** The article's setup with the cluster in its own AS, so the router's ASN (and BGP instance) stays. */
  function withClusterAsn(t: Topology, asn: number): Topology {
    return { ...t, cluster: { ...t.cluster, asn } };
  }

  const cases = [
    { dialect: 'edgeos', prefix: 'protocols bgp 64512 maximum-paths', topology: articleTopology },
    {
      dialect: 'vyos',
      prefix: 'protocols bgp address-family ipv4-unicast maximum-paths',
      topology: vyosTopology,
    },
  ] as const;

  describe.each(cases)('$dialect', ({ prefix, topology }) => {
    const ibgp = buildPlan(topology());
    const ebgp = buildPlan(withClusterAsn(topology(), 65001));

    it('eBGP to iBGP deletes maximum-paths ebgp and sets maximum-paths ibgp', () => {
      const lines = diffLines(diffRouterConfig(appliedConfig(ebgp), ibgp));
      expect(lines.filter((l) => l.includes('maximum-paths'))).toEqual([
        `delete ${prefix} ebgp`,
        `set ${prefix} ibgp 32`,
      ]);
    });

    it('iBGP to eBGP deletes maximum-paths ibgp and sets maximum-paths ebgp', () => {
      const lines = diffLines(diffRouterConfig(appliedConfig(ibgp), ebgp));
      expect(lines.filter((l) => l.includes('maximum-paths'))).toEqual([
        `delete ${prefix} ibgp`,
        `set ${prefix} ebgp 32`,
      ]);
    });

    it('a leftover kind beside the planned one is deleted, and the preview shows it as removed', () => {
      const current = appliedConfig(ibgp, [`set ${prefix} ebgp 8`]);
      const diff = okDiff(diffRouterConfig(current, ibgp));
      expect(diff.lines.map(renderRouterLine)).toEqual([`delete ${prefix} ebgp`]);
      expect(diff.preview.filter((p) => p.kind === 'remove')).toEqual([
        { line: `delete ${prefix} ebgp`, kind: 'remove' },
      ]);
    });
  });
});
