import { describe, expect, it } from 'vitest';
import {
  BGP_PASSWORD_PLACEHOLDER,
  bgpPasswordProblem,
  buildPlan,
  diffRouterConfig,
  redactBgpPassword,
  renderRouterLine,
} from './index.ts';
import { articleTopology, showConfigurationCommands, vyosTopology } from './test-support.ts';
import { validateTopology } from '../topology/index.ts';
import type { Topology } from '../topology/index.ts';

const SECRET = 'Md5-session.key';

function withPassword(t: Topology): Topology {
  return { ...t, router: { ...t.router, bgpPassword: true } };
}

function routerText(t: Topology, secrets?: { bgpPassword: string }): string[] {
  return buildPlan(t, [], secrets).router.lines.map(renderRouterLine);
}

describe('BGP password', () => {
  it('shows the placeholder on every neighbor of a shown plan, on both dialects', () => {
    expect(routerText(withPassword(articleTopology()))).toContain(
      `set protocols bgp 64512 neighbor 192.168.1.201 password ${BGP_PASSWORD_PLACEHOLDER}`,
    );
    const vyos = routerText(withPassword(vyosTopology())).filter((l) => l.includes(' password '));
    expect(vyos).toHaveLength(vyosTopology().cluster.nodes.length);
    expect(
      vyos.every((l) => l.startsWith('set protocols bgp neighbor ') && l.endsWith(BGP_PASSWORD_PLACEHOLDER)),
    ).toBe(true);
  });

  it('puts the real value only in the plan built with it, and a router holding it needs no change', () => {
    const t = withPassword(articleTopology());
    const lines = routerText(t, { bgpPassword: SECRET });
    expect(lines.filter((l) => l.endsWith(` password ${SECRET}`))).toHaveLength(4);
    expect(lines.join('\n')).not.toContain(BGP_PASSWORD_PLACEHOLDER);
    const applied = showConfigurationCommands(lines);
    expect(diffRouterConfig(applied, buildPlan(t, [], { bgpPassword: SECRET }))).toMatchObject({
      ok: true,
      unchanged: true,
    });
    // A changed password is a change, line by line.
    const changed = diffRouterConfig(applied, buildPlan(t, [], { bgpPassword: 'another-key-1' }));
    expect(changed.ok && changed.lines.map(renderRouterLine)).toContain(
      'set protocols bgp 64512 neighbor 192.168.1.201 password another-key-1',
    );
  });

  it('the BGPPeer reads the password from the basic-auth Secret', () => {
    const peer = buildPlan(withPassword(articleTopology())).metallb.objects.find((o) => o.kind === 'BGPPeer');
    expect(peer?.['spec']).toMatchObject({
      passwordSecret: { name: 'mbw-bgp-password', namespace: 'metallb-system' },
    });
    const without = buildPlan(articleTopology()).metallb.objects.find((o) => o.kind === 'BGPPeer');
    expect(without?.['spec']).not.toHaveProperty('passwordSecret');
  });

  it('is refused on MetalLB v0.12, which would keep it in plain text, and says why', () => {
    const t = withPassword(articleTopology());
    const result = validateTopology({ ...t, metallb: { version: 'v0.12.1' } });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: 'router.bgpPassword',
        message: expect.stringMatching(/plain text.*v0\.13\.12/),
      }),
    ]);
  });

  it('passes only an allow-listed password', () => {
    expect(bgpPasswordProblem(SECRET)).toBeUndefined();
    expect(bgpPasswordProblem('short')).toMatch(/8 to 80 characters/);
    expect(bgpPasswordProblem('x'.repeat(81))).toMatch(/8 to 80 characters/);
    for (const bad of [
      'with space1',
      'quote"d-pass',
      'dollar$sign1',
      'semi;colon12',
      "tick'tick123",
      'new\nline123',
    ]) {
      expect(bgpPasswordProblem(bad), bad).toMatch(/only letters, digits/);
    }
    expect(bgpPasswordProblem(BGP_PASSWORD_PLACEHOLDER)).toMatch(/placeholder/);
  });

  it('redacts the password wherever it appears', () => {
    expect(redactBgpPassword(`neighbor x password ${SECRET}; again ${SECRET}`, SECRET)).toBe(
      `neighbor x password ${BGP_PASSWORD_PLACEHOLDER}; again ${BGP_PASSWORD_PLACEHOLDER}`,
    );
    expect(redactBgpPassword('nothing here', undefined)).toBe('nothing here');
  });
});
