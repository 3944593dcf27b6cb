// The parsers read the common row shapes in one match (routes.ts PLAIN_HEAD/PLAIN_CONTINUATION,
// summary.ts PLAIN_ROW) and anything else the general way. These properties hold the two readings
// to the same result: the same table is parsed once as printed and once written so that every
// row needs the general reading (a doubled space after the commas; V 5 instead of 4).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBgpRoutes, parseBgpSummary } from './index.ts';

const octet = fc.integer({ min: 0, max: 255 });
const address = fc.tuple(octet, octet, octet, octet).map((parts) => parts.join('.'));
const prefix = fc.tuple(address, fc.integer({ min: 8, max: 32 })).map(([a, bits]) => `${a}/${bits}`);
const interfaceName = fc.constantFrom(
  'eth1',
  'eth1.10',
  'switch0',
  'never',
  'src',
  'srcx',
  'label1',
  'onlink',
  'br0',
);
const age = fc.constantFrom('00:00:14', '1d02h03m', '03w0d00h', '99:99:99', '00:60:00', '12345:00:00');
const weight = fc.option(fc.constantFrom('1', '007', '10'), { nil: undefined });

interface Hop {
  address: string;
  name: string;
  weight: string | undefined;
  age: string;
}

const hop: fc.Arbitrary<Hop> = fc.record({ address, name: interfaceName, weight, age });

function clause(h: Hop, separator: string): string {
  return [h.address, h.name, ...(h.weight === undefined ? [] : [`weight ${h.weight}`]), h.age].join(
    separator,
  );
}

interface Route {
  prefix: string;
  hops: Hop[];
  style: 'edgeos' | 'frr';
  indent: number;
}

interface Row {
  address: string;
  as: string;
  rcvd: string;
  upDown: string;
  state: string;
  after: string[];
}

const route: fc.Arbitrary<Route> = fc.record({
  prefix,
  hops: fc.array(hop, { minLength: 1, maxLength: 4 }),
  style: fc.constantFrom('edgeos' as const, 'frr' as const),
  indent: fc.integer({ min: 0, max: 30 }),
});

function routeTable(routes: Route[], separator: string): string {
  return routes
    .flatMap(({ prefix: p, hops, style, indent }) =>
      hops.map((h, i) => {
        const via = `via ${clause(h, separator)}`;
        if (style === 'edgeos')
          return i === 0 ? `B    *> ${p} [200/0] ${via}` : `     *>${' '.repeat(indent)}[200/0] ${via}`;
        return i === 0 ? `B>* ${p} [20/0] ${via}` : `  *${' '.repeat(indent)}${via}`;
      }),
    )
    .join('\n');
}

describe('route lines read in one match', () => {
  it('give what the general reading gives (2,000 tables)', () => {
    fc.assert(
      fc.property(fc.array(route, { minLength: 1, maxLength: 6 }), (routes) => {
        const fast = parseBgpRoutes(routeTable(routes, ', '));
        const general = parseBgpRoutes(routeTable(routes, ',  '));
        expect(fast).toEqual(general);
        expect(fast).toHaveLength(routes.length);
      }),
      { numRuns: 2_000 },
    );
  });
});

const row: fc.Arbitrary<Row> = fc.record({
  address,
  as: fc.constantFrom('64512', '4200000001', '4294967296', '1'),
  rcvd: fc.constantFrom('12', '0', '1234567890123456'),
  upDown: fc.constantFrom('00:01:02', '1d02h03m', 'never', '99:99:99', '00:60:00', 'x'),
  state: fc.constantFrom('0', '7', 'Active', 'Idle', '(Policy)', 'NoNeg', 'Connect'),
  after: fc.constantFrom(
    [],
    ['(Admin)'],
    ['1'],
    ['1', 'N/A'],
    ['0', 'mbw-worker1'],
    ['(Admin)', '0'],
    ['N/A'],
    ['mbw', 'worker'],
  ),
});

const header = fc.constantFrom(
  'Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc',
  'Neighbor                 V   AS   MsgRcv    MsgSen TblVer   InQ   OutQ    Up/Down   State/PfxRcd',
  'Neighbor V AS MsgRcvd MsgSent TblVer InQ OutQ Up/Down State/PfxRcd PfxSnt',
  'Neighbor V AS MsgRcvd MsgSent TblVer InQ OutQ Up/Down State/PfxRcd Desc',
);

function summaryText(head: string, rows: Row[], version: string): string {
  const lines = rows.map((r) =>
    [r.address, version, r.as, r.rcvd, '11', '3', '0', '0', r.upDown, r.state, ...r.after].join('    '),
  );
  return [
    'BGP router identifier 10.0.0.1, local AS number 64512',
    '',
    head,
    ...lines,
    '',
    'Total number of neighbors 1',
  ].join('\n');
}

describe('summary rows read in one match', () => {
  it('give what the general reading gives, duplicates included (2,000 tables)', () => {
    fc.assert(
      fc.property(header, fc.array(row, { minLength: 1, maxLength: 8 }), (head, rows) => {
        const fast = parseBgpSummary(summaryText(head, rows, '4'));
        const general = parseBgpSummary(summaryText(head, rows, '5'));
        expect(fast).toEqual(general);
      }),
      { numRuns: 2_000 },
    );
  });
});
