// Topologies shared by the tests of the topology model and the planner. Pure data; plan.test.ts
// checks the article one against examples/article-topology.yaml so the two cannot drift apart.

import type { Topology } from './types.ts';

/** The article's reference setup: four workers, iBGP 64512, pool inside the cluster segment. */
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

/**
 * The article's router with two workers. With the default pool (outside every connected subnet,
 * no .0/.255 address) it raises no warning at all.
 */
export function twoNodeTopology(pool = '10.10.10.10-10.10.10.20'): Topology {
  const t = articleTopology();
  t.cluster.nodes = t.cluster.nodes.slice(0, 2);
  t.cluster.pools = [{ name: 'default', addresses: [pool] }];
  return t;
}
