// @vitest-environment jsdom
// Ten thousand routes: the table keeps only a window of rows in the DOM and moves it on scroll.

import { expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { WizardApi } from '../../shared/contract.ts';
import type { StatusReport } from '../../shared/diagnose/index.ts';
import { ARTICLE_TOPOLOGY, type FakeBackend, renderWithMantine, setUpStatusTests } from './testing.tsx';
import { StatusWindow } from './index.ts';

const holder = vi.hoisted(() => ({ api: null as WizardApi | null }));
vi.mock('../api.ts', () => ({ wizardApi: () => holder.api }));

const ROUTES = 10_000;
const ROW_HEIGHT = 40;

function manyRoutes(): StatusReport {
  return {
    neighbors: [],
    routes: Array.from({ length: ROUTES }, (_, i) => ({
      prefix: `10.${Math.floor(i / 256)}.${i % 256}.1/32`,
      service: `load/svc-${i}`,
      nextHops: [
        { address: '192.168.1.201', node: 'worker1' },
        { address: '192.168.1.202', node: 'worker2' },
      ],
    })),
  };
}

let backend: FakeBackend;

setUpStatusTests({ viewport: 480, row: ROW_HEIGHT }, (fresh) => {
  backend = fresh;
  holder.api = fresh;
});

it('renders 10,000 routes as a window of rows and moves the window on scroll', async () => {
  renderWithMantine(<StatusWindow topologyText={ARTICLE_TOPOLOGY} />);
  await waitFor(() => expect(backend.runningWatches()).toBe(1));
  act(() => backend.emit({ operationId: backend.runningWatch(), kind: 'status', status: manyRoutes() }));

  expect(screen.getByTestId('routes-count').textContent).toBe('10000 routes');
  const table = screen.getByRole('table', { name: 'BGP routes' });
  expect(table.getAttribute('aria-rowcount')).toBe(String(ROUTES + 1));
  const shown = () => screen.getAllByTestId('route-row').map((row) => row.dataset.prefix);
  const first = shown();
  expect(first.length).toBeGreaterThan(0);
  expect(first.length).toBeLessThan(50);
  expect(first[0]).toBe('10.0.0.1/32');
  expect(first).not.toContain('10.39.15.1/32');

  // Scroll to row 5000: the window moves there and the first rows leave the DOM.
  const scroller = screen.getByTestId('route-table');
  Object.defineProperty(scroller, 'scrollTop', { configurable: true, value: 5000 * ROW_HEIGHT });
  fireEvent.scroll(scroller);
  await waitFor(() => expect(shown()).toContain('10.19.136.1/32'));
  const moved = shown();
  expect(moved.length).toBeLessThan(50);
  expect(moved).not.toContain('10.0.0.1/32');
  const row5000 = screen.getAllByTestId('route-row').find((row) => row.dataset.prefix === '10.19.136.1/32');
  expect(row5000?.getAttribute('aria-rowindex')).toBe('5002');
  expect(row5000?.textContent).toContain('load/svc-5000');
});

it('gives a route with more next hops than fit on a line a taller row, showing every hop', async () => {
  renderWithMantine(<StatusWindow topologyText={ARTICLE_TOPOLOGY} />);
  await waitFor(() => expect(backend.runningWatches()).toBe(1));
  const status = manyRoutes();
  status.routes[1] = {
    prefix: '10.0.1.1/32',
    service: null,
    nextHops: Array.from({ length: 9 }, (_, i) => ({ address: `192.168.1.${201 + i}`, node: null })),
  };
  act(() => backend.emit({ operationId: backend.runningWatch(), kind: 'status', status }));

  const rows = screen.getAllByTestId('route-row');
  expect(rows.slice(0, 3).map((row) => [row.dataset.prefix, row.style.height])).toEqual([
    ['10.0.0.1/32', '40px'],
    ['10.0.1.1/32', '88px'],
    ['10.0.2.1/32', '40px'],
  ]);
  const hops = within(rows[1]!).getByLabelText('9 next hops');
  expect(Array.from(hops.children, (hop) => hop.textContent)).toEqual(
    Array.from({ length: 9 }, (_, i) => `192.168.1.${201 + i}`),
  );
  expect(rows[1]!.textContent).toContain('no Service');
  expect(within(rows[0]!).getByTitle('worker1 192.168.1.201').textContent).toBe('worker1 192.168.1.201');
});

it('redraws the rows a new snapshot changes and keeps the others', async () => {
  renderWithMantine(<StatusWindow topologyText={ARTICLE_TOPOLOGY} />);
  await waitFor(() => expect(backend.runningWatches()).toBe(1));
  act(() => backend.emit({ operationId: backend.runningWatch(), kind: 'status', status: manyRoutes() }));
  const before = screen.getAllByTestId('route-row');

  // Every event is a new report; only route 1 differs: a new Service and one next hop fewer.
  const next = manyRoutes();
  next.routes[1] = {
    ...next.routes[1]!,
    service: 'load/renamed',
    nextHops: next.routes[1]!.nextHops.slice(1),
  };
  act(() => backend.emit({ operationId: backend.runningWatch(), kind: 'status', status: next }));

  const after = screen.getAllByTestId('route-row');
  expect(after[0]).toBe(before[0]);
  expect(after[0]!.textContent).toBe('10.0.0.1/32load/svc-0worker1 192.168.1.201worker2 192.168.1.202');
  expect(after[1]!.textContent).toBe('10.0.1.1/32load/renamedworker2 192.168.1.202');
  expect(within(after[1]!).getByLabelText('1 next hop')).toBeTruthy();
});
