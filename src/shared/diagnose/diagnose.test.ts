import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBgpRoutes, parseBgpSummary } from '../parse/index.ts';
import { articleTopology } from '../topology/testing.ts';
import type { Topology } from '../topology/index.ts';
import {
  diagnoseNeighbor,
  statusReportOf,
  testReportOf,
  type CurlAttempt,
  type Diagnosis,
  type NeighborFacts,
  type TestInput,
} from './index.ts';

const FIXTURES = new URL('../../../../shared/fixtures/router-output/', import.meta.url);

/** Everything known and fine: the router has the neighbor, the speaker runs, Services are ready. */
const HEALTHY: NeighborFacts = {
  node: null,
  speakerRunning: true,
  nodeExcluded: false,
  servicesWithReadyEndpoints: 2,
  advertisementMatchesPool: true,
  routerConfigured: true,
};

const UNKNOWN: NeighborFacts = {
  node: null,
  speakerRunning: null,
  nodeExcluded: null,
  servicesWithReadyEndpoints: null,
  advertisementMatchesPool: null,
  routerConfigured: true,
};

const W1 = '192.168.1.201';

function diagnose(
  n: Partial<Parameters<typeof diagnoseNeighbor>[0]>,
  facts: Partial<NeighborFacts> = {},
  t: Topology = articleTopology(),
): Diagnosis {
  const d = diagnoseNeighbor(
    { address: W1, state: 'Active', prefixesReceived: null, remoteAs: 64512, ...n },
    t,
    { ...HEALTHY, ...facts },
  );
  if (d === null) throw new Error('expected a diagnosis');
  return d;
}

const codes = (d: Diagnosis): string[] => d.causes.map((c) => c.code);

describe('diagnoseNeighbor', () => {
  it('returns null for an Established neighbor with prefixes', () => {
    expect(
      diagnoseNeighbor(
        { address: W1, state: 'Established', prefixesReceived: 3 },
        articleTopology(),
        HEALTHY,
      ),
    ).toBeNull();
  });

  it('asn-mismatch: the router expects another AS than the cluster ASN', () => {
    const d = diagnose({ state: 'Idle', remoteAs: 65001 });
    expect(d.node).toBe('worker1');
    expect(d.causes[0]).toMatchObject({ code: 'asn-mismatch', confirmed: true });
    expect(d.causes[0]?.text).toBe(
      "The router expects AS 65001 from 192.168.1.201 (worker1), but the topology's cluster ASN (MetalLB's myASN) is 64512; the router refuses the session.",
    );
    expect(d.causes[0]?.whatToDo).toContain('remote-as becomes 64512');
  });

  it("asn-mismatch: the router's own AS differs from router.asn", () => {
    const d = diagnose({ state: 'OpenSent', localAs: 65000 });
    expect(d.causes[0]).toMatchObject({ code: 'asn-mismatch', confirmed: true });
    expect(d.causes[0]?.whatToDo).toBe(
      'Set router.asn to 65000 in the topology and apply the MetalLB configuration again.',
    );
  });

  it('asn-mismatch is only possible when the router config matches and OPEN fails', () => {
    const d = diagnose({ state: 'OpenConfirm' });
    expect(d.summary).toContain('BGP OPEN exchange does not complete');
    expect(codes(d)).toEqual(['asn-mismatch']);
    expect(d.causes[0]?.confirmed).toBe(false);
    expect(d.causes[0]?.whatToDo).toContain('myASN 64512 and peerASN 64512');
  });

  it('router-not-configured: the router has no neighbor for the node', () => {
    const d = diagnose({ state: 'Not configured' }, { routerConfigured: false });
    expect(codes(d)).toEqual(['router-not-configured']);
    expect(d.causes[0]?.whatToDo).toContain('neighbor 192.168.1.201 with remote-as 64512');
  });

  it('firewall-tcp-179: Active for long, naming the cluster interface and subnet', () => {
    const d = diagnose({ state: 'Active', upSeconds: 600 });
    expect(codes(d)).toEqual(['firewall-tcp-179', 'md5-mismatch']);
    expect(d.causes[0]?.text).toContain('has been Active for 10 min');
    expect(d.causes[0]?.whatToDo).toContain('applied to eth1 in the "local" direction');
    expect(d.causes[0]?.whatToDo).toContain('TCP port 179 from 192.168.1.0/24');
    // Just went down: too early to blame a firewall.
    expect(codes(diagnose({ state: 'Connect', upSeconds: 10 }))).toEqual(['md5-mismatch']);
    // `never` (no uptime) counts as long.
    expect(codes(diagnose({ state: 'Connect', upSeconds: null }))).toContain('firewall-tcp-179');
  });

  it('md5-mismatch: possible for a session that never gets through TCP', () => {
    const d = diagnose({ state: 'Idle' });
    expect(codes(d)).toEqual(['asn-mismatch', 'md5-mismatch']);
    const md5 = d.causes[1];
    expect(md5?.confirmed).toBe(false);
    expect(md5?.whatToDo).toContain('show configuration commands | match password');
    expect(md5?.whatToDo).toContain('clear ip bgp 192.168.1.201');
    const vyos = articleTopology();
    vyos.router.dialect = 'vyos';
    expect(diagnose({ state: 'Idle' }, {}, vyos).causes[1]?.whatToDo).toContain('reset ip bgp 192.168.1.201');
  });

  it('speaker-not-running: confirmed when the cluster says so, ahead of possible causes', () => {
    const d = diagnose({ state: 'Active', upSeconds: 3600 }, { speakerRunning: false, node: 'worker1' });
    expect(codes(d)).toEqual(['speaker-not-running', 'firewall-tcp-179', 'md5-mismatch']);
    expect(d.causes[0]).toMatchObject({ confirmed: true });
    expect(d.causes[0]?.text).toBe(
      "MetalLB's speaker is not running on worker1, so nothing on it speaks BGP to the router.",
    );
    // Unknown: still listed, as possible.
    const unknown = diagnose({ state: 'Active', upSeconds: 3600 }, { speakerRunning: null });
    expect(unknown.causes.find((c) => c.code === 'speaker-not-running')?.confirmed).toBe(false);
  });

  it('node-excluded: Established with 0 prefixes on a node labelled out', () => {
    const d = diagnose({ state: 'Established', prefixesReceived: 0 }, { nodeExcluded: true });
    expect(d.summary).toBe(
      '192.168.1.201 (worker1) is Established, but the router has received no prefixes from it.',
    );
    expect(codes(d)).toEqual(['node-excluded']);
    expect(d.causes[0]?.whatToDo).toContain(
      'kubectl label node worker1 node.kubernetes.io/exclude-from-external-load-balancers-',
    );
  });

  it('no-ready-endpoints: Established with 0 prefixes and no ready Service', () => {
    const d = diagnose({ state: 'Established', prefixesReceived: 0 }, { servicesWithReadyEndpoints: 0 });
    expect(codes(d)).toEqual(['no-ready-endpoints']);
    expect(d.causes[0]?.confirmed).toBe(true);
  });

  it('advertisement-mismatch: Established with 0 prefixes and no advertisement for the pool', () => {
    const d = diagnose({ state: 'Established', prefixesReceived: 0 }, { advertisementMatchesPool: false });
    expect(codes(d)).toEqual(['advertisement-mismatch']);
    expect(d.causes[0]?.whatToDo).toContain('mbw-pools lists the pools default');
  });

  it('lists every unknown 0-prefix cause as possible, confirmed ones first', () => {
    const d = diagnoseNeighbor(
      { address: W1, state: 'Established', prefixesReceived: 0 },
      articleTopology(),
      { ...UNKNOWN, advertisementMatchesPool: false },
    );
    expect(d?.causes.map((c) => [c.code, c.confirmed])).toEqual([
      ['advertisement-mismatch', true],
      ['node-excluded', false],
      ['no-ready-endpoints', false],
    ]);
  });

  it('admin-down: Idle (Admin), with the dialect’s command', () => {
    const d = diagnose({ state: 'Idle (Admin)' });
    expect(codes(d)).toEqual(['admin-down']);
    expect(d.causes[0]?.whatToDo).toContain('delete protocols bgp 64512 neighbor 192.168.1.201 shutdown');
    const vyos = articleTopology();
    vyos.router.dialect = 'vyos';
    expect(diagnose({ state: 'Idle', adminShutdown: true }, {}, vyos).causes[0]?.whatToDo).toContain(
      'delete protocols bgp neighbor 192.168.1.201 shutdown',
    );
  });

  it('prefix-limit: Idle (PfxCt)', () => {
    const d = diagnose({ state: 'Idle (PfxCt)' });
    expect(codes(d)).toEqual(['prefix-limit']);
    expect(d.causes[0]?.whatToDo).toContain(
      'delete protocols bgp 64512 neighbor 192.168.1.201 maximum-prefix',
    );
  });

  it("ebgp-requires-policy: FRR's (Policy) state", () => {
    const d = diagnose({ state: '(Policy)', established: true }, {});
    expect(codes(d)).toEqual(['ebgp-requires-policy']);
  });

  it('names a neighbor outside the topology by the node the facts give', () => {
    const d = diagnose({ address: '192.168.1.50', state: 'Active', upSeconds: 100 }, { node: 'extra' });
    expect(d.node).toBe('extra');
    expect(d.summary).toMatch(/^192\.168\.1\.50 \(extra\) is Active/);
  });
});

const SUMMARY_TEXT = `ubnt@ubnt:~$ show ip bgp summary
BGP router identifier 192.168.1.1, local AS number 64512
BGP table version is 50
1 BGP AS-PATH entries
0 BGP community entries
1  Configured ebgp ECMP multipath: Currently set at 1
32  Configured ibgp ECMP multipath: Currently set at 32

Neighbor                 V   AS   MsgRcv    MsgSen TblVer   InQ   OutQ    Up/Down   State/PfxRcd
192.168.1.201            4 64512 3294       3277      50      0      0  1d02h54m               2
192.168.1.202            4 64512 3279       3266      50      0      0  00:12:00               0
192.168.1.203            4 64512    0          0       0      0      0  00:20:00          Active
10.9.9.9                 4 65009    0          0       0      0      0  never             Idle

Total number of neighbors 4

Total number of Established sessions 2
`;

const ROUTES_TEXT = `IP Route Table for VRF "default"
B    *> 192.168.1.225/32 [200/0] via 192.168.1.201, eth1, 00:08:04
     *>                  [200/0] via 192.168.1.202, eth1, 00:08:04
B    *> 192.168.1.226/32 [200/0] via 192.168.1.205, eth1, 00:08:04
B    *> 10.50.0.0/16 [200/0] via 10.9.9.9, eth1, 00:08:04
`;

describe('statusReportOf', () => {
  const services = [
    { namespace: 'web', name: 'nginx', ips: ['192.168.1.225'], readyEndpoints: 2 },
    { namespace: 'web', name: 'nginx-shared', ips: ['192.168.1.225'], readyEndpoints: 1 },
    { namespace: 'db', name: 'pg', ips: ['192.168.1.226'], readyEndpoints: 1 },
    { namespace: 'x', name: 'pending', ips: [], readyEndpoints: 0 },
  ];
  const facts = (address: string): NeighborFacts =>
    address === '192.168.1.202' ? { ...HEALTHY, nodeExcluded: true } : HEALTHY;
  const report = statusReportOf({
    summary: parseBgpSummary(SUMMARY_TEXT),
    routes: parseBgpRoutes(ROUTES_TEXT),
    topology: articleTopology(),
    services,
    facts,
  });

  it('maps neighbors to node names by address and diagnoses the ones that need it', () => {
    expect(report.neighbors.map((n) => [n.address, n.node, n.state, n.upDown, n.prefixesReceived])).toEqual([
      ['192.168.1.201', 'worker1', 'Established', '1d02h54m', 2],
      ['192.168.1.202', 'worker2', 'Established', '00:12:00', 0],
      ['192.168.1.203', 'worker3', 'Active', '00:20:00', null],
      ['10.9.9.9', null, 'Idle', 'never', null],
      ['192.168.1.204', 'worker4', 'Not configured', 'never', null],
    ]);
    const [w1, w2, w3, other, w4] = report.neighbors;
    expect(w1?.diagnosis).toBeNull();
    expect(w2?.diagnosis?.causes.map((c) => c.code)).toEqual(['node-excluded']);
    expect(w3?.diagnosis?.causes.map((c) => c.code)).toEqual(['firewall-tcp-179', 'md5-mismatch']);
    expect(w3?.diagnosis?.causes[0]?.text).toContain('for 20 min');
    // Not the cluster's session: shown, not judged against the topology.
    expect(other?.diagnosis).toBeNull();
    expect(w4?.diagnosis?.causes.map((c) => c.code)).toEqual(['router-not-configured']);
  });

  it('maps routes to services by IP and next hops to node names by address', () => {
    expect(report.routes).toEqual([
      {
        prefix: '192.168.1.225/32',
        service: 'web/nginx, web/nginx-shared',
        nextHops: [
          { address: '192.168.1.201', node: 'worker1' },
          { address: '192.168.1.202', node: 'worker2' },
        ],
      },
      { prefix: '192.168.1.226/32', service: 'db/pg', nextHops: [{ address: '192.168.1.205', node: null }] },
      { prefix: '10.50.0.0/16', service: null, nextHops: [{ address: '10.9.9.9', node: null }] },
    ]);
  });

  it('reads the article capture (typographic quotes, lost indentation) the same way', () => {
    const routes = parseBgpRoutes(
      readFileSync(new URL('edgeos-show-ip-route-bgp-article.txt', FIXTURES), 'utf8'),
    );
    const fromArticle = statusReportOf({
      summary: { routerId: null, localAs: null, neighbors: [] },
      routes,
      topology: articleTopology(),
      services,
      facts: () => UNKNOWN,
    });
    const route = fromArticle.routes.find((r) => r.prefix === '192.168.1.226/32');
    expect(route?.service).toBe('db/pg');
    expect(route?.nextHops.map((h) => h.node)).toEqual([null, 'worker2', 'worker1']);
    // Every topology node shows, not configured, since this summary is empty.
    expect(fromArticle.neighbors.map((n) => n.state)).toEqual(Array(4).fill('Not configured'));
  });

  it('counts a recursive FRR hop once, not its resolving line', () => {
    const r = statusReportOf({
      summary: { routerId: null, localAs: 64512, neighbors: [] },
      routes: [
        {
          prefix: '192.168.1.230/32',
          nextHops: [
            { address: '192.168.1.203', interface: null, age: null, recursive: true },
            { address: '192.168.1.203', interface: 'eth1', age: null, resolves: '192.168.1.203' },
          ],
        },
      ],
      topology: articleTopology(),
      services: [],
      facts: () => UNKNOWN,
    });
    expect(r.routes[0]?.nextHops).toEqual([{ address: '192.168.1.203', node: 'worker3' }]);
  });
});

function attempt(over: Partial<CurlAttempt>): CurlAttempt {
  return { ok: true, status: 200, latencyMs: 5, headers: {}, body: '', error: null, ...over };
}

function testInput(attempts: CurlAttempt[], over: Partial<TestInput> = {}): TestInput {
  return {
    target: 'http://192.168.1.225/',
    attempts,
    nodeNames: ['worker1', 'worker2', 'worker3'],
    podToNode: { 'echo-7d9f-abcde': 'worker2', 'echo-7d9f-fghij': 'worker3' },
    routeNextHops: 3,
    ...over,
  };
}

describe('testReportOf', () => {
  it('attributes answers by X-Node header, JSON node field, node-name body, pod-name body, else unknown', () => {
    const report = testReportOf(
      testInput([
        attempt({ headers: { 'X-Node': 'worker1' }, body: '{"node": "worker3"}' }),
        attempt({ headers: { 'x-node': 'echo-7d9f-abcde' } }),
        attempt({ body: '{"node":"worker3","serviceIp":"192.168.1.225"}' }),
        attempt({ body: 'worker1\n' }),
        attempt({ body: 'echo-7d9f-fghij' }),
        attempt({ body: '<html>hello</html>' }),
        attempt({ headers: { 'X-Node': 'someone-else' }, body: '{"node": 5}' }),
      ]),
    );
    expect(report.byNode).toEqual({ worker1: 2, worker2: 1, worker3: 2, unknown: 2 });
    expect(report.succeeded).toBe(7);
    expect(report.notes).toContain(
      '2 answers named no node (no X-Node header, no "node" field, and the body is not a node or pod name), so they are counted as unknown.',
    );
  });

  it('computes p50 and max latency over successful attempts', () => {
    const report = testReportOf(
      testInput([
        attempt({ latencyMs: 40, body: 'worker1' }),
        attempt({ latencyMs: 10, body: 'worker2' }),
        attempt({ latencyMs: 30, body: 'worker3' }),
        attempt({ latencyMs: 20, body: 'worker1' }),
        attempt({ ok: false, status: null, latencyMs: 5000, error: 'timeout after 5000 ms' }),
        attempt({ latencyMs: null, body: 'worker2' }),
      ]),
    );
    expect(report.latencyMs).toEqual({ p50: 20, max: 40 });
    expect(report.attempts).toBe(6);
    expect(report.succeeded).toBe(5);
    expect(testReportOf(testInput([])).latencyMs).toEqual({ p50: null, max: null });
    expect(testReportOf(testInput([attempt({ latencyMs: 7 })])).latencyMs).toEqual({ p50: 7, max: 7 });
  });

  it('groups failures by what went wrong, naming the attempts', () => {
    const report = testReportOf(
      testInput([
        attempt({ ok: false, status: null, error: 'connection refused' }),
        attempt({ body: 'worker1' }),
        attempt({ ok: false, status: 503, error: null }),
        attempt({ ok: false, status: null, error: 'connection refused' }),
        attempt({ ok: false, status: null, error: null }),
      ]),
    );
    expect(report.failures).toEqual([
      'connection refused (attempts 1, 4)',
      'HTTP 503 (attempt 3)',
      'no answer (attempt 5)',
    ]);
    expect(report.byNode).toEqual({ worker1: 1 });
  });

  it('explains one answering node on a route with several next hops', () => {
    const tenFromOne = Array.from({ length: 10 }, () => attempt({ headers: { 'X-Node': 'worker2' } }));
    const report = testReportOf(testInput(tenFromOne, { routeNextHops: 3 }));
    expect(report.byNode).toEqual({ worker2: 10 });
    expect(report.failures).toEqual([]);
    expect(report.notes).toHaveLength(1);
    expect(report.notes[0]).toMatch(
      /^The route to http:\/\/192\.168\.1\.225\/ has 3 next hops \(ECMP works\), yet every answer came from worker2\./,
    );
    expect(report.notes[0]).toContain('hashes each flow on its addresses');
    expect(report.notes[0]).toContain('This is not a failure');
    // Spread over nodes, or a single-hop route: no such note.
    const spread = testReportOf(testInput([attempt({ body: 'worker1' }), attempt({ body: 'worker2' })]));
    expect(spread.notes).toEqual([]);
    const oneHop = testReportOf(testInput(tenFromOne, { routeNextHops: 1 }));
    expect(oneHop.notes).toHaveLength(1);
    expect(oneHop.notes[0]).toContain('has one next hop: only one node announces it');
  });

  it('says when the router has no route at all', () => {
    const report = testReportOf(
      testInput([attempt({ ok: false, status: null, error: 'no route to host' })], { routeNextHops: 0 }),
    );
    expect(report.notes).toEqual([
      'The router has no BGP route to http://192.168.1.225/: no node announces it.',
    ]);
    expect(report.byNode).toEqual({});
  });
});
