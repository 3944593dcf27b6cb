// The router's BGP routes: each LoadBalancer IP, its Service, and the nodes it is load-balanced
// across (ECMP next hops).

import { Badge, Group, Text } from '@mantine/core';
import type { StatusRoute } from '../../shared/diagnose/index.ts';
import { VirtualTable } from './VirtualTable.tsx';
import type { Column } from './VirtualTable.tsx';

function NextHops({ route }: { route: StatusRoute }) {
  if (route.nextHops.length === 0)
    return (
      <Text size="sm" c="dimmed">
        none
      </Text>
    );
  return (
    <Group gap={4} aria-label={`${route.nextHops.length} next hops`}>
      {route.nextHops.map((hop) => (
        <Badge key={hop.address} variant="outline" color="gray" tt="none">
          {hop.node ? `${hop.node} ${hop.address}` : hop.address}
        </Badge>
      ))}
    </Group>
  );
}

const COLUMNS: Column<StatusRoute>[] = [
  { header: 'Service IP', width: '10rem', cell: (r) => r.prefix },
  {
    header: 'Service',
    width: '14rem',
    cell: (r) =>
      r.service ?? (
        <Text size="sm" c="dimmed">
          no Service
        </Text>
      ),
  },
  { header: 'ECMP next hops', cell: (r) => <NextHops route={r} /> },
];

export function RouteTable({ routes }: { routes: readonly StatusRoute[] }) {
  return (
    <VirtualTable
      label="BGP routes"
      testId="route-table"
      rows={routes}
      columns={COLUMNS}
      rowKey={(r) => r.prefix}
      rowData={(r) => ({ 'data-testid': 'route-row', 'data-prefix': r.prefix })}
      estimateRowHeight={40}
    />
  );
}
