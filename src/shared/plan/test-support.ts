// Topologies shared by the planner's tests. Pure data; plan.test.ts checks the article one against
// examples/article-topology.yaml so the two cannot drift apart.

import type { Topology } from '../topology/types.ts';

export function articleTopology(): Topology {
  return {
    router: {
      dialect: 'edgeos',
      ssh: { host: '192.168.1.1', port: 22, username: 'ubnt' },
      asn: 64512,
      routerId: '192.168.1.1',
      maximumPaths: 32,
      wan: { interface: 'eth0' },
      cluster: { interface: 'eth1', address: '192.168.1.1/24' },
      lan: { interface: 'eth2', address: '192.168.2.1/24' },
    },
    cluster: {
      asn: 64512,
      nodes: [1, 2, 3, 4].map((n) => ({ name: `worker${n}`, address: `192.168.1.20${n}` })),
      pools: [{ name: 'default', addresses: ['192.168.1.224/27'] }],
    },
    metallb: { version: 'v0.14.9' },
  };
}

/** The article's setup with the router in its own AS 65000 (eBGP). */
export function ebgpTopology(): Topology {
  const t = articleTopology();
  t.router.asn = 65000;
  return t;
}

export function vyosTopology(): Topology {
  const t = articleTopology();
  t.router.dialect = 'vyos';
  return t;
}

/** Set lines as `show configuration commands` prints them: text values (descriptions) single-quoted. */
export function showConfigurationCommands(lines: string[]): string {
  return lines.map((line) => line.replace(/ description (\S+)$/, " description '$1'")).join('\n') + '\n';
}
