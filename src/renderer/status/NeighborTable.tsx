// The router's BGP neighbors: state in colour (and in words), uptime, prefixes, and for anything
// not Established with prefixes, what it means and what to do.

import { Badge, Text } from '@mantine/core';
import type { StatusNeighbor } from '../../shared/diagnose/index.ts';
import { sessionColorOf, sessionToneOf } from '../components/diagram/index.ts';
import { DiagnosisView } from './Diagnosis.tsx';
import { sameNeighbor } from './derive.ts';
import { VirtualTable } from './VirtualTable.tsx';
import type { Column } from './VirtualTable.tsx';

export function StateBadge({ state }: { state: string }) {
  return (
    <Badge color={sessionColorOf(state)} variant="light" data-testid="bgp-state">
      {state}
    </Badge>
  );
}

/** What the cell says when main gave no diagnosis (healthy, or a peer outside the topology). */
function undiagnosedText(n: StatusNeighbor): string {
  const up = sessionToneOf(n.state) === 'up';
  if (up && (n.prefixesReceived ?? 0) > 0) return 'OK';
  if (n.node === null) return 'Not a node of this topology: not diagnosed.';
  return up ? 'Established, but no prefixes received yet.' : 'No diagnosis available.';
}

function DiagnosisCell({ neighbor }: { neighbor: StatusNeighbor }) {
  if (neighbor.diagnosis) return <DiagnosisView diagnosis={neighbor.diagnosis} />;
  return (
    <Text size="sm" c="dimmed">
      {undiagnosedText(neighbor)}
    </Text>
  );
}

const COLUMNS: Column<StatusNeighbor>[] = [
  { header: 'Address', width: '9rem', cell: (n) => n.address },
  {
    header: 'Node',
    width: '9rem',
    cell: (n) =>
      n.node ?? (
        <Text size="sm" c="dimmed">
          not in the topology
        </Text>
      ),
  },
  { header: 'State', width: '9rem', cell: (n) => <StateBadge state={n.state} /> },
  { header: 'Up/Down', width: '6.5rem', cell: (n) => n.upDown },
  {
    header: 'Prefixes',
    width: '5.5rem',
    cell: (n) => (n.prefixesReceived === null ? '—' : n.prefixesReceived),
  },
  { header: 'Diagnosis', cell: (n) => <DiagnosisCell neighbor={n} /> },
];

const neighborKey = (n: StatusNeighbor): string => n.address;
const neighborData = (n: StatusNeighbor) => ({
  'data-testid': 'neighbor-row',
  'data-address': n.address,
  'data-state': n.state,
});

export function NeighborTable({ neighbors }: { neighbors: readonly StatusNeighbor[] }) {
  // Rows with a diagnosis are taller: measured once shown (a router has few neighbors).
  return (
    <VirtualTable
      label="BGP neighbors"
      testId="neighbor-table"
      rows={neighbors}
      columns={COLUMNS}
      rowKey={neighborKey}
      rowData={neighborData}
      estimateRowHeight={48}
      sameRow={sameNeighbor}
    />
  );
}

/** True when every neighbor is up and has received at least one prefix. */
export function allHealthy(neighbors: readonly StatusNeighbor[]): boolean {
  return (
    neighbors.length > 0 && neighbors.every((n) => sessionToneOf(n.state) === 'up' && n.diagnosis === null)
  );
}
