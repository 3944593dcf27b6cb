// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { APPLY_OPERATIONS, routerStateOf, withProgress } from './actions.ts';
import { idleRun } from './session.ts';
import { readTopologyForm, withField, withNodes, withPoolAddresses } from './topology-yaml.ts';

describe('apply progress', () => {
  it('keeps one row per step, a rising percent over all operations, and the log', () => {
    let run = idleRun<never>();
    run = withProgress(
      run,
      { operation: 'cluster.install', step: 'crds', status: 'running', percent: 50, log: 'applying CRDs' },
      APPLY_OPERATIONS,
    );
    run = withProgress(
      run,
      { operation: 'cluster.install', step: 'crds', status: 'done', percent: 100 },
      APPLY_OPERATIONS,
    );
    run = withProgress(
      run,
      { operation: 'router.apply', step: 'apply', status: 'running', percent: 50, log: 'running the script' },
      APPLY_OPERATIONS,
    );
    expect(run.steps).toEqual([
      { operation: 'cluster.install', step: 'crds', status: 'done' },
      { operation: 'router.apply', step: 'apply', status: 'running' },
    ]);
    expect(run.percent).toBe(83);
    expect(run.log).toEqual(['cluster.install: applying CRDs', 'router.apply: running the script']);
  });

  it('finds the router state sentence in a failure message', () => {
    const message =
      'Verifying on router ubnt@10.0.0.1:22 failed: neighbor 10.0.0.11 is missing. The router runs its previous BGP configuration again (restored and verified); its saved configuration was not touched.';
    expect(routerStateOf(message)).toBe(
      'The router runs its previous BGP configuration again (restored and verified); its saved configuration was not touched.',
    );
    expect(routerStateOf('the kubeconfig cannot be read')).toBeNull();
  });
});

describe('topology text edits', () => {
  const text =
    'router:\n  asn: 64512 # ours\n  routerId: 10.0.0.1\ncluster:\n  asn: 64512\n  nodes: []\n  pools:\n    - { name: a, addresses: [10.1.0.0/27] }\n';

  it('writes numbers as numbers, drops an emptied optional field, keeps comments', () => {
    const edited = withField(withField(text, ['router', 'asn'], '65001'), ['router', 'routerId'], '');
    expect(edited).toContain('asn: 65001 # ours');
    expect(edited).not.toContain('routerId');
  });

  it('fills nodes and splits pool addresses', () => {
    const filled = withPoolAddresses(
      withNodes(text, [
        { name: 'w1', address: '10.0.0.11' },
        { name: 'w2', address: '10.0.0.12' },
      ]),
      0,
      '10.1.0.0/27, 10.2.0.1-10.2.0.9',
    );
    const read = readTopologyForm(filled);
    expect(read.ok && read.values.nodes).toEqual([
      { name: 'w1', address: '10.0.0.11' },
      { name: 'w2', address: '10.0.0.12' },
    ]);
    expect(read.ok && read.values.pools[0]?.addresses).toEqual(['10.1.0.0/27', '10.2.0.1-10.2.0.9']);
  });

  it('reports broken YAML instead of throwing', () => {
    const read = readTopologyForm('router: [unclosed');
    expect(read.ok).toBe(false);
  });
});
