import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseTopologyText } from '../topology/index.ts';
import {
  buildPlan,
  renderExecScript,
  renderRouterLine,
  renderYamlDocuments,
  type KubeObject,
} from './index.ts';
import { articleTopology, ebgpTopology, vyosTopology } from './test-support.ts';

const ARTICLE_SET_LINES = [
  'set protocols bgp 64512 parameters router-id 192.168.1.1',
  'set protocols bgp 64512 neighbor 192.168.1.201 remote-as 64512',
  'set protocols bgp 64512 neighbor 192.168.1.201 description mbw-worker1',
  'set protocols bgp 64512 neighbor 192.168.1.202 remote-as 64512',
  'set protocols bgp 64512 neighbor 192.168.1.202 description mbw-worker2',
  'set protocols bgp 64512 neighbor 192.168.1.203 remote-as 64512',
  'set protocols bgp 64512 neighbor 192.168.1.203 description mbw-worker3',
  'set protocols bgp 64512 neighbor 192.168.1.204 remote-as 64512',
  'set protocols bgp 64512 neighbor 192.168.1.204 description mbw-worker4',
  'set protocols bgp 64512 maximum-paths ibgp 32',
];

describe('article topology', () => {
  it('matches examples/article-topology.yaml', () => {
    const text = readFileSync(path.resolve(process.cwd(), 'examples/article-topology.yaml'), 'utf8');
    expect(parse(text)).toEqual(articleTopology());
  });

  it('validates, and plans the exact lines with both same-segment warnings carried along', () => {
    const text = readFileSync(path.resolve(process.cwd(), 'examples/article-topology.yaml'), 'utf8');
    const result = parseTopologyText(text, 'article-topology.yaml');
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const plan = buildPlan(result.topology, result.warnings);
    expect(plan.router.lines.map(renderRouterLine)).toEqual(ARTICLE_SET_LINES);
    expect(plan.warnings.map((w) => w.code).sort()).toEqual([
      'pool-in-cluster-segment',
      'pool-includes-network-or-broadcast',
    ]);
    expect(plan.metallb.objects[0]?.spec).toEqual({ addresses: ['192.168.1.224/27'], avoidBuggyIPs: true });
  });

  it('plans exactly the article set lines, in order', () => {
    const plan = buildPlan(articleTopology());
    expect(plan.router.dialect).toBe('edgeos');
    expect(plan.router.lines.map(renderRouterLine)).toEqual(ARTICLE_SET_LINES);
  });

  it('gives the interactive session: configure, lines, commit, save, exit', () => {
    expect(buildPlan(articleTopology()).router.commands).toEqual([
      'configure',
      ...ARTICLE_SET_LINES,
      'commit',
      'save',
      'exit',
    ]);
  });

  it('gives the exec-channel script in the exact contract form, without save', () => {
    const fail = ' || { $W discard; $W end; exit 2; }';
    const expected = [
      '#!/bin/vbash',
      "# MetalLB BGP Wizard: apply the BGP plan for AS 64512. Runs as one exec'd script: the config session is keyed on this shell.",
      'W=/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper',
      '$W begin || exit 1',
      ...ARTICLE_SET_LINES.map((line) => `$W ${line}${fail}`),
      '$W commit_with_error || { $W discard; $W end; exit 3; }',
      '$W end',
      '',
    ].join('\n');
    const router = buildPlan(articleTopology()).router;
    expect(router.script).toBe(expected);
    expect(router.script).not.toContain('save');
  });

  it('hand script saves after commit; save script only saves', () => {
    const router = buildPlan(articleTopology()).router;
    const hand = router.handScript.split('\n');
    expect(hand.slice(-4)).toEqual([
      '$W commit_with_error || { $W discard; $W end; exit 3; }',
      '$W save || { $W end; exit 4; }',
      '$W end',
      '',
    ]);
    expect(router.handScript.replace('$W save || { $W end; exit 4; }\n', '')).toBe(router.script);
    expect(router.saveScript.split('\n').slice(2)).toEqual([
      'W=/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper',
      '$W begin || exit 1',
      '$W save || { $W end; exit 4; }',
      '$W end',
      '',
    ]);
  });

  it('uses the routerId default (cluster address without prefix) when routerId is absent', () => {
    const t = articleTopology();
    delete t.router.routerId;
    t.router.cluster.address = '192.168.1.254/24';
    expect(buildPlan(t).router.commands[1]).toBe(
      'set protocols bgp 64512 parameters router-id 192.168.1.254',
    );
  });

  it('carries the warnings it is given', () => {
    const warning = { code: 'single-node' as const, path: 'cluster.nodes', message: 'one node' };
    expect(buildPlan(articleTopology(), [warning]).warnings).toEqual([warning]);
  });
});

describe('eBGP variant', () => {
  it('nests under the router ASN, names the cluster ASN as remote-as, and uses maximum-paths ebgp', () => {
    const lines = buildPlan(ebgpTopology()).router.lines.map(renderRouterLine);
    expect(lines[0]).toBe('set protocols bgp 65000 parameters router-id 192.168.1.1');
    expect(lines[1]).toBe('set protocols bgp 65000 neighbor 192.168.1.201 remote-as 64512');
    expect(lines.at(-1)).toBe('set protocols bgp 65000 maximum-paths ebgp 32');
    expect(lines.filter((l) => l.includes('ibgp'))).toEqual([]);
  });

  it('VyOS eBGP uses the number as remote-as', () => {
    const t = ebgpTopology();
    t.router.dialect = 'vyos';
    const lines = buildPlan(t).router.lines.map(renderRouterLine);
    expect(lines).toContain('set protocols bgp system-as 65000');
    expect(lines).toContain('set protocols bgp neighbor 192.168.1.201 remote-as 64512');
    expect(lines.at(-1)).toBe('set protocols bgp address-family ipv4-unicast maximum-paths ebgp 32');
  });
});

describe('VyOS 1.4+ dialect', () => {
  it('plans system-as, router-id, neighbors with the ipv4-unicast family, and maximum-paths', () => {
    const plan = buildPlan(vyosTopology());
    expect(plan.router.dialect).toBe('vyos');
    const neighbor = (n: number): string[] => [
      `set protocols bgp neighbor 192.168.1.20${n} remote-as internal`,
      `set protocols bgp neighbor 192.168.1.20${n} description mbw-worker${n}`,
      `set protocols bgp neighbor 192.168.1.20${n} address-family ipv4-unicast`,
    ];
    expect(plan.router.lines.map(renderRouterLine)).toEqual([
      'set protocols bgp system-as 64512',
      'set protocols bgp parameters router-id 192.168.1.1',
      ...neighbor(1),
      ...neighbor(2),
      ...neighbor(3),
      ...neighbor(4),
      'set protocols bgp address-family ipv4-unicast maximum-paths ibgp 32',
    ]);
    expect(plan.router.script).toContain(
      '$W set protocols bgp system-as 64512 || { $W discard; $W end; exit 2; }',
    );
  });
});

describe('renderRouterLine', () => {
  it('refuses tokens outside the allow-list (defence in depth)', () => {
    for (const bad of ['a b', 'x;reboot', '$(id)', 'a\nb', "it's", '', 'é']) {
      expect(() => renderRouterLine({ op: 'set', path: ['protocols', 'bgp', bad] })).toThrow(/token 3/);
    }
  });

  it('refuses an empty path and an unknown operation', () => {
    expect(() => renderRouterLine({ op: 'set', path: [] })).toThrow(/no path/);
    expect(() => renderRouterLine({ op: 'run' as 'set', path: ['x'] })).toThrow(/unknown operation/);
  });

  it('renders delete lines in the script with the same failure handling', () => {
    const script = renderExecScript(
      [{ op: 'delete', path: ['protocols', 'bgp', '64512', 'neighbor', '192.168.1.209'] }],
      {
        save: false,
        purpose: 'remove\nstale `neighbors`; $(reboot)',
      },
    );
    expect(script).toContain(
      '$W delete protocols bgp 64512 neighbor 192.168.1.209 || { $W discard; $W end; exit 2; }',
    );
    // The purpose is free text in a comment: it must stay on one line with no shell metacharacters.
    expect(script.split('\n')[1]).toBe(
      "# MetalLB BGP Wizard: remove stale neighbors (reboot). Runs as one exec'd script: the config session is keyed on this shell.",
    );
  });
});

describe('MetalLB objects', () => {
  it('0.13+ gives pools, the peer and the advertisement, labelled, in metallb-system', () => {
    const t = articleTopology();
    t.cluster.pools.push({ name: 'outside', addresses: ['10.10.10.10-10.10.10.20'] });
    const metallb = buildPlan(t).metallb;
    expect(metallb.format).toBe('crd');
    expect(metallb.objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'metallb.io/v1beta1 IPAddressPool default',
      'metallb.io/v1beta1 IPAddressPool outside',
      'metallb.io/v1beta2 BGPPeer mbw-router',
      'metallb.io/v1beta1 BGPAdvertisement mbw-pools',
    ]);
    for (const object of metallb.objects) {
      expect(object.metadata.namespace).toBe('metallb-system');
      expect(object.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'metallb-bgp-wizard' });
    }
    const [first, second, peer, advertisement] = metallb.objects as [
      KubeObject,
      KubeObject,
      KubeObject,
      KubeObject,
    ];
    // 192.168.1.224/27 holds 192.168.1.255; 10.10.10.10-20 holds neither .0 nor .255.
    expect(first.spec).toEqual({ addresses: ['192.168.1.224/27'], avoidBuggyIPs: true });
    expect(second.spec).toEqual({ addresses: ['10.10.10.10-10.10.10.20'] });
    expect(peer.spec).toEqual({ myASN: 64512, peerASN: 64512, peerAddress: '192.168.1.1' });
    expect(advertisement.spec).toEqual({ ipAddressPools: ['default', 'outside'] });
  });

  it('eBGP peer: myASN is the cluster ASN, peerASN the router ASN', () => {
    const [, peer] = buildPlan(ebgpTopology()).metallb.objects;
    expect(peer?.spec).toEqual({ myASN: 64512, peerASN: 65000, peerAddress: '192.168.1.1' });
  });

  it('v0.12.1 gives the legacy ConfigMap whose config parses back to peers and address-pools', () => {
    const t = articleTopology();
    t.metallb.version = 'v0.12.1';
    t.router.asn = 65000;
    const metallb = buildPlan(t).metallb;
    expect(metallb.format).toBe('configmap');
    expect(metallb.objects).toHaveLength(1);
    const [configMap] = metallb.objects as [KubeObject];
    expect(configMap).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'config', namespace: 'metallb-system' },
    });
    const data = configMap.data as { config: string };
    expect(parse(data.config)).toEqual({
      peers: [{ 'peer-address': '192.168.1.1', 'peer-asn': 65000, 'my-asn': 64512 }],
      'address-pools': [
        { name: 'default', protocol: 'bgp', addresses: ['192.168.1.224/27'], 'avoid-buggy-ips': true },
      ],
    });
  });

  it('renders one YAML document per object that parses back to the objects', () => {
    const objects = buildPlan(articleTopology()).metallb.objects;
    const text = renderYamlDocuments(objects);
    const docs = text.split(/^---$/m).map((doc) => parse(doc));
    expect(docs).toEqual(objects);
  });
});
