// The lab's address plan and identity, shared by the in-memory demo and the real (netns + FRR) lab.
// Addresses exist only inside the lab: in the in-memory backend, or inside namespaces the lab creates.

import { randomBytes } from 'node:crypto';

export interface LabNodeSpec {
  name: string;
  address: string;
}

export interface LabSpec {
  /** Short id carried by namespace and interface names so two labs can run side by side. */
  id: string;
  routerAsn: number;
  clusterAsn: number;
  wan: { interface: 'eth0'; address: string };
  cluster: { interface: 'eth1'; address: string; subnet: string };
  lan: { interface: 'eth2'; address: string; subnet: string };
  nodes: LabNodeSpec[];
  lanClientAddress: string;
  clusterClientAddress: string;
  /** Outside every connected subnet, so clients on the cluster segment reach it through the router. */
  pool: { name: string; addresses: string[] };
  router: { username: string; password: string };
}

export function labSpec(id: string, nodeCount = 3): LabSpec {
  if (!/^[a-z0-9]{1,6}$/.test(id)) {
    throw new Error(
      `lab id "${id}" is invalid: use 1-6 lowercase letters or digits (it goes into interface names)`,
    );
  }
  return {
    id,
    routerAsn: 64512,
    clusterAsn: 64512,
    wan: { interface: 'eth0', address: '10.77.0.2/24' },
    cluster: { interface: 'eth1', address: '10.77.1.1/24', subnet: '10.77.1.0/24' },
    lan: { interface: 'eth2', address: '10.77.2.1/24', subnet: '10.77.2.0/24' },
    nodes: Array.from({ length: nodeCount }, (_, i) => ({
      name: `worker${i + 1}`,
      address: `10.77.1.${11 + i}`,
    })),
    lanClientAddress: '10.77.2.10',
    clusterClientAddress: '10.77.1.50',
    pool: { name: 'lab', addresses: ['10.77.100.32/27'] },
    router: { username: 'ubnt', password: randomBytes(9).toString('base64url') },
  };
}

/** The lab described in the topology file format, so the CLI can apply it as it is. */
export function labTopologyDocument(
  spec: LabSpec,
  ssh: { host: string; port: number },
  dialect: 'edgeos' | 'vyos' = 'edgeos',
): Record<string, unknown> {
  return {
    router: {
      dialect,
      ssh: { host: ssh.host, port: ssh.port, username: spec.router.username },
      asn: spec.routerAsn,
      maximumPaths: 32,
      wan: { interface: spec.wan.interface },
      cluster: { interface: spec.cluster.interface, address: spec.cluster.address },
      lan: { interface: spec.lan.interface, address: spec.lan.address },
    },
    cluster: {
      asn: spec.clusterAsn,
      nodes: spec.nodes.map((n) => ({ name: n.name, address: n.address })),
      pools: [{ name: spec.pool.name, addresses: [...spec.pool.addresses] }],
    },
    metallb: { version: 'v0.14.9' },
  };
}
