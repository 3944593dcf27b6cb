// The router's BGP routes: each LoadBalancer IP, its Service, and the nodes it is load-balanced
// across (ECMP next hops). Rows have a height known from their number of next hops, so ten
// thousand of them are laid out without measuring any.

import type { CSSProperties } from 'react';
import type { StatusNextHop, StatusRoute } from '../../shared/diagnose/index.ts';
import { HOPS_PER_LINE, sameRoute, routeRowHeight } from './derive.ts';
import { VirtualTable } from './VirtualTable.tsx';
import type { Column } from './VirtualTable.tsx';
import classes from './RouteTable.module.css';

function hopText(hop: StatusNextHop): string {
  return hop.node ? `${hop.node} ${hop.address}` : hop.address;
}

function hopCountText(count: number): string {
  return count === 1 ? '1 next hop' : `${count} next hops`;
}

const HOP_GRID = { '--hops-per-line': HOPS_PER_LINE } as CSSProperties;

// Plain elements styled as Mantine's badges and dimmed text: a row is rendered on every scroll
// step, and Mantine's components resolve their styles each time. A badge too wide for a narrow
// window is cut with an ellipsis and keeps its full text as a tooltip.
function NextHops({ route }: { route: StatusRoute }) {
  if (route.nextHops.length === 0) return <span className={classes.dimmed}>none</span>;
  return (
    <div className={classes.hops} style={HOP_GRID} aria-label={hopCountText(route.nextHops.length)}>
      {route.nextHops.map((hop) => {
        const text = hopText(hop);
        return (
          <span key={hop.address} className={classes.hop} title={text}>
            {text}
          </span>
        );
      })}
    </div>
  );
}

const COLUMNS: Column<StatusRoute>[] = [
  { header: 'Service IP', width: '10rem', cell: (r) => r.prefix },
  {
    header: 'Service',
    width: '14rem',
    cell: (r) =>
      r.service === null ? (
        <span className={classes.dimmed}>no Service</span>
      ) : (
        <span title={r.service}>{r.service}</span>
      ),
  },
  { header: 'ECMP next hops', cell: (r) => <NextHops route={r} /> },
];

const routeKey = (r: StatusRoute): string => r.prefix;
const routeData = (r: StatusRoute) => ({ 'data-testid': 'route-row', 'data-prefix': r.prefix });

export function RouteTable({ routes }: { routes: readonly StatusRoute[] }) {
  return (
    <VirtualTable
      label="BGP routes"
      testId="route-table"
      rows={routes}
      columns={COLUMNS}
      rowKey={routeKey}
      rowData={routeData}
      rowHeight={routeRowHeight}
      sameRow={sameRoute}
    />
  );
}
