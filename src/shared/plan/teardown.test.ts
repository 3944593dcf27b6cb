import { describe, expect, it } from 'vitest';
import { buildPlan, renderRouterLine, teardownPlan } from './index.ts';
import { articleTopology, ebgpTopology, showConfigurationCommands, vyosTopology } from './test-support.ts';
import type { Topology } from '../topology/index.ts';

function applied(t: Topology, extra: string[] = []): string {
  const lines = buildPlan(t).router.lines.map(renderRouterLine);
  return "set system host-name 'ubnt'\n" + showConfigurationCommands([...lines, ...extra]);
}

function teardownLines(t: Topology, current: string): string[] {
  return teardownPlan(t, current).lines.map(renderRouterLine);
}

describe('teardownPlan (EdgeOS)', () => {
  it('deletes the whole BGP node when only the wizard configured it', () => {
    const plan = teardownPlan(articleTopology(), applied(articleTopology()));
    expect(plan.lines.map(renderRouterLine)).toEqual(['delete protocols bgp 64512']);
    expect(plan.commands).toEqual(['configure', 'delete protocols bgp 64512', 'commit', 'save', 'exit']);
    expect(plan.script).toContain('$W delete protocols bgp 64512 || { $W discard; $W end; exit 2; }');
    expect(plan.script).not.toContain('save');
    expect(plan.handScript).toContain('$W save || { $W end; exit 4; }');
  });

  it('keeps router-id and maximum-paths while an unmarked neighbor remains', () => {
    const current = applied(articleTopology(), ['set protocols bgp 64512 neighbor 10.0.0.1 remote-as 65001']);
    expect(teardownLines(articleTopology(), current)).toEqual(
      [1, 2, 3, 4].map((n) => `delete protocols bgp 64512 neighbor 192.168.1.20${n}`),
    );
  });

  it('deletes router-id and maximum-paths but keeps other BGP config when no other neighbor remains', () => {
    const current = applied(articleTopology(), ['set protocols bgp 64512 network 10.99.0.0/16']);
    expect(teardownLines(articleTopology(), current)).toEqual([
      ...[1, 2, 3, 4].map((n) => `delete protocols bgp 64512 neighbor 192.168.1.20${n}`),
      'delete protocols bgp 64512 parameters router-id',
      'delete protocols bgp 64512 maximum-paths ibgp',
    ]);
  });

  it('removes stale marked neighbors not in the topology, and never unmarked ones', () => {
    const current = applied(articleTopology(), [
      'set protocols bgp 64512 neighbor 192.168.1.209 remote-as 64512',
      'set protocols bgp 64512 neighbor 192.168.1.209 description mbw-worker9',
      'set protocols bgp 64512 neighbor 192.168.1.210 remote-as 64512',
    ]);
    const lines = teardownLines(articleTopology(), current);
    expect(lines).toContain('delete protocols bgp 64512 neighbor 192.168.1.209');
    expect(lines.some((l) => l.includes('192.168.1.210'))).toBe(false);
    expect(lines).toHaveLength(5);
  });

  it('uses maximum-paths ebgp for an eBGP topology', () => {
    const current = applied(ebgpTopology(), ['set protocols bgp 65000 network 10.99.0.0/16']);
    expect(teardownLines(ebgpTopology(), current).at(-1)).toBe(
      'delete protocols bgp 65000 maximum-paths ebgp',
    );
  });

  it('does nothing when the router holds nothing of ours', () => {
    const current =
      "set protocols bgp 64512 neighbor 10.0.0.1 remote-as 65001\nset system host-name 'ubnt'\n";
    const plan = teardownPlan(articleTopology(), current);
    expect(plan).toMatchObject({ lines: [], commands: [], script: '', handScript: '' });
    expect(teardownPlan(articleTopology(), '').lines).toEqual([]);
  });

  it("refuses to guess without the router's current config", () => {
    // @ts-expect-error -- the current config is required; tsc flags this line if it becomes optional again.
    expect(() => teardownPlan(articleTopology())).toThrow(/show configuration commands.*192\.168\.1\.1/);
  });

  it('leaves an unmarked neighbor at a node address, and skips nodes the router has no neighbor for', () => {
    const current = showConfigurationCommands([
      'set protocols bgp 64512 parameters router-id 192.168.1.1',
      'set protocols bgp 64512 neighbor 192.168.1.201 remote-as 64512',
      'set protocols bgp 64512 neighbor 192.168.1.201 description upstream-rr',
      'set protocols bgp 64512 neighbor 192.168.1.202 remote-as 64512',
      'set protocols bgp 64512 neighbor 192.168.1.202 description mbw-worker2',
      'set protocols bgp 64512 maximum-paths ibgp 32',
    ]);
    expect(teardownLines(articleTopology(), current)).toEqual([
      'delete protocols bgp 64512 neighbor 192.168.1.202',
    ]);
  });

  it("removes our neighbors from the ASN the router runs, even if the topology's ASN changed since", () => {
    const changed = articleTopology();
    changed.router.asn = 65000;
    expect(teardownLines(changed, applied(articleTopology()))).toEqual(['delete protocols bgp 64512']);
  });
});

describe('teardownPlan (VyOS)', () => {
  it('deletes protocols bgp when only the wizard configured it', () => {
    expect(teardownLines(vyosTopology(), applied(vyosTopology()))).toEqual(['delete protocols bgp']);
  });

  it('with another neighbor, deletes only our neighbors', () => {
    const current = applied(vyosTopology(), ['set protocols bgp neighbor 10.0.0.1 remote-as 65001']);
    expect(teardownLines(vyosTopology(), current)).toEqual(
      [1, 2, 3, 4].map((n) => `delete protocols bgp neighbor 192.168.1.20${n}`),
    );
  });

  it('with other BGP config but no other neighbor, also deletes router-id and maximum-paths', () => {
    const current = applied(vyosTopology(), [
      'set protocols bgp address-family ipv4-unicast network 10.99.0.0/16',
    ]);
    expect(teardownLines(vyosTopology(), current).slice(-2)).toEqual([
      'delete protocols bgp parameters router-id',
      'delete protocols bgp address-family ipv4-unicast maximum-paths ibgp',
    ]);
  });
});
