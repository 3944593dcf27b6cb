// The part of the EdgeOS and VyOS configuration templates the emulator knows. A path of words is
// valid when it walks this schema; anything else is refused the way the routers refuse it.

import * as v from './values.ts';
import type { ValueType } from './values.ts';

export type Dialect = 'edgeos' | 'vyos';

export type SchemaNode =
  | { kind: 'container'; children: Record<string, SchemaNode> }
  /** `neighbor <addr> { … }`: a name followed by a value that opens a child container. */
  | { kind: 'tag'; value: ValueType; children: Record<string, SchemaNode> }
  /** One value; `set` replaces it. */
  | { kind: 'leaf'; value: ValueType }
  /** Several values (name-server, address). */
  | { kind: 'multi'; value: ValueType }
  /** No value (shutdown, disable). */
  | { kind: 'flag' }
  /** A subtree the emulator does not model but must accept (system login, …). */
  | { kind: 'any' };

const container = (children: Record<string, SchemaNode>): SchemaNode => ({ kind: 'container', children });
const tag = (value: ValueType, children: Record<string, SchemaNode>): SchemaNode => ({
  kind: 'tag',
  value,
  children,
});
const leaf = (value: ValueType): SchemaNode => ({ kind: 'leaf', value });
const multi = (value: ValueType): SchemaNode => ({ kind: 'multi', value });
const flag: SchemaNode = { kind: 'flag' };
const any: SchemaNode = { kind: 'any' };

const timers = container({
  keepalive: leaf(v.integerIn(0, 65535)),
  holdtime: leaf(v.integerIn(4, 65535, [0])),
  connect: leaf(v.integerIn(1, 65535)),
});

function interfaceChildren(): Record<string, SchemaNode> {
  return {
    address: multi(v.interfaceAddress),
    description: leaf(v.text),
    disable: flag,
    mtu: leaf(v.integerIn(68, 9000)),
  };
}

function interfaces(): SchemaNode {
  return container({
    ethernet: tag(v.interfaceName('eth'), {
      ...interfaceChildren(),
      vif: tag(v.integerIn(1, 4094), interfaceChildren()),
    }),
    loopback: tag(v.loopbackName, interfaceChildren()),
    bridge: tag(v.interfaceName('br'), interfaceChildren()),
    switch: tag(v.interfaceName('switch'), { ...interfaceChildren(), 'switch-port': any }),
    dummy: tag(v.interfaceName('dum'), interfaceChildren()),
  });
}

function system(): SchemaNode {
  return container({
    'host-name': leaf(v.hostName),
    'domain-name': leaf(v.text),
    'domain-search': container({ domain: multi(v.text) }),
    'name-server': multi(v.ipAddress),
    'time-zone': leaf(v.text),
    login: any,
    ntp: any,
    syslog: any,
    'config-management': any,
  });
}

function service(): SchemaNode {
  return container({
    ssh: container({
      port: leaf(v.integerIn(1, 65535)),
      'protocol-version': leaf(v.text),
      'listen-address': multi(v.ipAddress),
    }),
    gui: any,
  });
}

const edgeosNeighbor = tag(v.ipAddress, {
  'remote-as': leaf(v.asn),
  description: leaf(v.text),
  password: leaf(v.text),
  'update-source': leaf(v.ipOrInterface),
  'ebgp-multihop': leaf(v.integerIn(1, 255)),
  timers,
  'soft-reconfiguration': container({ inbound: flag }),
  shutdown: flag,
  'next-hop-self': flag,
  'route-map': container({ import: leaf(v.text), export: leaf(v.text) }),
});

const edgeos: SchemaNode = container({
  interfaces: interfaces(),
  protocols: container({
    bgp: tag(v.asn, {
      neighbor: edgeosNeighbor,
      parameters: container({ 'router-id': leaf(v.ipv4) }),
      'maximum-paths': container({ ibgp: leaf(v.integerIn(1, 255)), ebgp: leaf(v.integerIn(1, 255)) }),
      network: tag(v.ipv4Prefix, {}),
      redistribute: container({ connected: container({}), static: container({}) }),
    }),
    static: any,
  }),
  system: system(),
  service: service(),
});

const vyosAddressFamily = container({
  'soft-reconfiguration': container({ inbound: flag }),
  'route-map': any,
  'nexthop-self': flag,
});

const vyos: SchemaNode = container({
  interfaces: interfaces(),
  protocols: container({
    bgp: container({
      'system-as': leaf(v.asn),
      neighbor: tag(v.ipAddress, {
        'remote-as': leaf(v.vyosRemoteAs),
        description: leaf(v.text),
        password: leaf(v.text),
        'update-source': leaf(v.ipOrInterface),
        'ebgp-multihop': leaf(v.integerIn(1, 255)),
        timers,
        shutdown: flag,
        'address-family': container({ 'ipv4-unicast': vyosAddressFamily, 'ipv6-unicast': vyosAddressFamily }),
      }),
      parameters: container({ 'router-id': leaf(v.ipv4) }),
      'address-family': container({
        'ipv4-unicast': container({
          'maximum-paths': container({ ibgp: leaf(v.integerIn(1, 255)), ebgp: leaf(v.integerIn(1, 255)) }),
          network: tag(v.ipv4Prefix, {}),
        }),
      }),
    }),
    static: any,
  }),
  system: system(),
  service: service(),
});

export function schemaFor(dialect: Dialect): SchemaNode {
  return dialect === 'edgeos' ? edgeos : vyos;
}
