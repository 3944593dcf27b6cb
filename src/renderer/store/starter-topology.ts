// Kept apart from topology-yaml.ts so that the first screen loads without the YAML library.

/** A starting topology when neither a preset nor a file gave one. */
export const STARTER_TOPOLOGY = `router:
  dialect: edgeos
  ssh: { host: 192.168.1.1, port: 22, username: ubnt }
  asn: 64512
  wan: { interface: eth0 }
  cluster: { interface: eth1, address: 192.168.1.1/24 }
  lan: { interface: eth2, address: 192.168.2.1/24 }
cluster:
  asn: 64512
  nodes:
    - { name: worker1, address: 192.168.1.201 }
  pools:
    - { name: default, addresses: [10.100.0.0/27] }
metallb:
  version: v0.14.9
`;
