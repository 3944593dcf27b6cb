// Pasted router output as tables. Rows of cluster nodes get a diagnosis from the topology; what the
// cluster would add (speaker running, endpoints) is unknown here, so causes stay "possible".

import { useMemo } from 'react';
import { Alert, Badge, Group, Stack, Text } from '@mantine/core';
import { diagnoseNeighbor } from '../../shared/diagnose/index.ts';
import type { Diagnosis, NeighborFacts, NeighborInput } from '../../shared/diagnose/index.ts';
import type { BgpRoute } from '../../shared/parse/index.ts';
import type { ParsedOutput } from '../../shared/report.ts';
import type { Topology } from '../../shared/topology/index.ts';
import { sessionToneOf } from '../components/diagram/index.ts';
import { DiagnosisView } from './Diagnosis.tsx';
import { StateBadge } from './NeighborTable.tsx';
import { VirtualTable } from './VirtualTable.tsx';
import type { Column } from './VirtualTable.tsx';

interface NeighborRow {
  key: string;
  address: string;
  node: string | null;
  remoteAs: number;
  state: string;
  upDown: string;
  prefixes: number | null;
  diagnosis: Diagnosis | null;
  /** Why there is no diagnosis, when there is none for a session that is not healthy. */
  undiagnosed: string | null;
}

function nodeNameOf(topology: Topology | null, address: string): string | null {
  return topology?.cluster.nodes.find((n) => n.address === address)?.name ?? null;
}

/** A neighbor in the router's output is configured there; the cluster's side is unknown from a paste. */
function pastedFacts(node: string): NeighborFacts {
  return {
    node,
    speakerRunning: null,
    nodeExcluded: null,
    servicesWithReadyEndpoints: null,
    advertisementMatchesPool: null,
    routerConfigured: true,
  };
}

function neighborRow(
  input: NeighborInput,
  extra: { key: string; remoteAs: number; upDown: string },
  topology: Topology | null,
): NeighborRow {
  const node = nodeNameOf(topology, input.address);
  const diagnosis = topology && node ? diagnoseNeighbor(input, topology, pastedFacts(node)) : null;
  const healthy = sessionToneOf(input.state) === 'up' && (input.prefixesReceived ?? 0) > 0;
  let undiagnosed: string | null = null;
  if (!healthy && diagnosis === null) {
    undiagnosed = topology
      ? 'Not a node of the topology: not diagnosed.'
      : 'No topology known: finish the wizard to get a diagnosis.';
  }
  return {
    ...extra,
    address: input.address,
    node,
    state: input.state,
    prefixes: input.prefixesReceived,
    diagnosis,
    undiagnosed,
  };
}

function neighborRowsOf(parsed: ParsedOutput, topology: Topology | null): NeighborRow[] {
  if (parsed.kind === 'summary') {
    const localAs = parsed.result.localAs;
    return parsed.result.neighbors.map((n, i) =>
      neighborRow(
        { ...n, localAs },
        { key: `${i}-${n.address}`, remoteAs: n.remoteAs, upDown: n.upDown },
        topology,
      ),
    );
  }
  if (parsed.kind === 'neighbors') {
    return parsed.result.map((n, i) =>
      neighborRow(
        {
          address: n.address,
          state: n.state,
          prefixesReceived: n.prefixesAccepted,
          remoteAs: n.remoteAs,
          localAs: n.localAs,
          upSeconds: n.upSeconds,
          ...(n.adminShutdown === undefined ? {} : { adminShutdown: n.adminShutdown }),
        },
        { key: `${i}-${n.address}`, remoteAs: n.remoteAs, upDown: n.upFor ?? '—' },
        topology,
      ),
    );
  }
  return [];
}

const NEIGHBOR_COLUMNS: Column<NeighborRow>[] = [
  { header: 'Address', width: '9rem', cell: (r) => r.address },
  {
    header: 'Node',
    width: '8rem',
    cell: (r) =>
      r.node ?? (
        <Text size="sm" c="dimmed">
          —
        </Text>
      ),
  },
  { header: 'Remote AS', width: '7rem', cell: (r) => r.remoteAs },
  { header: 'State', width: '9rem', cell: (r) => <StateBadge state={r.state} /> },
  { header: 'Up/Down', width: '6.5rem', cell: (r) => r.upDown },
  { header: 'Prefixes', width: '5.5rem', cell: (r) => r.prefixes ?? '—' },
  {
    header: 'Diagnosis',
    cell: (r) =>
      r.diagnosis ? (
        <DiagnosisView diagnosis={r.diagnosis} />
      ) : (
        <Text size="sm" c="dimmed">
          {r.undiagnosed ?? 'OK'}
        </Text>
      ),
  },
];

function routeColumns(topology: Topology | null): Column<BgpRoute>[] {
  return [
    { header: 'Prefix', width: '10rem', cell: (r) => r.prefix },
    {
      header: 'Next hops',
      cell: (r) => (
        <Group gap={4}>
          {r.nextHops.map((hop, i) => {
            const node = nodeNameOf(topology, hop.address);
            const via = hop.interface ? ` via ${hop.interface}` : '';
            return (
              <Badge key={`${i}-${hop.address}`} variant="outline" color="gray" tt="none">
                {node ? `${node} ${hop.address}${via}` : `${hop.address}${via}`}
              </Badge>
            );
          })}
        </Group>
      ),
    },
  ];
}

const parsedRouteKey = (r: BgpRoute, i: number): string => `${i}-${r.prefix}`;
const parsedRouteData = (r: BgpRoute) => ({ 'data-testid': 'parsed-row', 'data-prefix': r.prefix });
const parsedNeighborKey = (r: NeighborRow): string => r.key;
const parsedNeighborData = (r: NeighborRow) => ({
  'data-testid': 'parsed-row',
  'data-address': r.address,
  'data-state': r.state,
});

function EmptyParse({ what }: { what: string }) {
  return (
    <Alert color="yellow" title={`No ${what} found in this text`}>
      Check that you pasted the whole output and picked the command that printed it under “Output of”.
    </Alert>
  );
}

export function ParsedView({ parsed, topology }: { parsed: ParsedOutput; topology: Topology | null }) {
  const neighborRows = useMemo(() => neighborRowsOf(parsed, topology), [parsed, topology]);
  const columns = useMemo(() => routeColumns(topology), [topology]);
  if (parsed.kind === 'routes') {
    if (parsed.result.length === 0) return <EmptyParse what="routes" />;
    return (
      <Stack gap="xs" data-testid="parsed-output" data-kind="routes">
        <Text size="sm">{parsed.result.length} routes</Text>
        <VirtualTable
          label="Parsed routes"
          testId="parsed-table"
          rows={parsed.result}
          columns={columns}
          rowKey={parsedRouteKey}
          rowData={parsedRouteData}
        />
      </Stack>
    );
  }
  if (neighborRows.length === 0) return <EmptyParse what="neighbors" />;
  const header =
    parsed.kind === 'summary'
      ? `Router id ${parsed.result.routerId ?? 'unknown'}, local AS ${parsed.result.localAs ?? 'unknown'}: ${neighborRows.length} neighbors`
      : `${neighborRows.length} neighbors`;
  return (
    <Stack gap="xs" data-testid="parsed-output" data-kind={parsed.kind}>
      <Text size="sm">{header}</Text>
      <VirtualTable
        label="Parsed neighbors"
        testId="parsed-table"
        rows={neighborRows}
        columns={NEIGHBOR_COLUMNS}
        rowKey={parsedNeighborKey}
        rowData={parsedNeighborData}
        estimateRowHeight={48}
      />
    </Stack>
  );
}
