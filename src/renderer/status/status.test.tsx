// @vitest-environment jsdom
// The live status window against a stand-in backend at the wizardApi() boundary: snapshots fill
// the tables, outages and recoveries show, pause cancels the watch in main.

import { describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { WizardApi } from '../../shared/contract.ts';
import { parseBgpRoutes, parseBgpSummary } from '../../shared/parse/index.ts';
import { parseTopologyText } from '../../shared/topology/index.ts';
import { statusReportOf } from '../../shared/diagnose/index.ts';
import type { StatusReport } from '../../shared/diagnose/index.ts';
import {
  ARTICLE_TOPOLOGY,
  type FakeBackend,
  ROUTES_TWO_PATHS,
  SUMMARY_ONE_ACTIVE,
  renderWithMantine,
  setUpStatusTests,
} from './testing.tsx';
import StatusWindow from './index.ts';

const holder = vi.hoisted(() => ({ api: null as WizardApi | null }));
vi.mock('../api.ts', () => ({ wizardApi: () => holder.api }));

function topology() {
  const parsed = parseTopologyText(ARTICLE_TOPOLOGY, 'topology.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  return parsed.topology;
}

/** A report built by the real status code from real router output. */
function reportFrom(summaryText: string): StatusReport {
  return statusReportOf({
    summary: parseBgpSummary(summaryText),
    routes: parseBgpRoutes(ROUTES_TWO_PATHS),
    topology: topology(),
    services: [{ namespace: 'default', name: 'echo', ips: ['10.10.0.1'], readyEndpoints: 2 }],
    facts: (address) => ({
      node: null,
      speakerRunning: address !== '192.168.1.202',
      nodeExcluded: false,
      servicesWithReadyEndpoints: 1,
      advertisementMatchesPool: true,
      routerConfigured: true,
    }),
  });
}

const ALL_UP = SUMMARY_ONE_ACTIVE.replace(
  /192\.168\.1\.202 .*Active/,
  '192.168.1.202            4 64512     118       118      12      0      0  00:00:09               1',
);

let backend: FakeBackend;

// jsdom lays nothing out: a 600 px viewport of 40 px rows lets the tables show their rows.
setUpStatusTests({ viewport: 600, row: 40 }, (fresh) => {
  backend = fresh;
  holder.api = fresh;
  window.localStorage.clear();
});

async function startedWindow(): Promise<string> {
  renderWithMantine(
    <StatusWindow
      topologyText={ARTICLE_TOPOLOGY}
      fileName="topology.yaml"
      kube={{ kubeconfig: '/home/me/kc', context: '' }}
    />,
  );
  await waitFor(() => expect(backend.runningWatches()).toBe(1));
  return backend.runningWatch();
}

function neighborRow(address: string): HTMLElement {
  const row = screen.getAllByTestId('neighbor-row').find((r) => r.dataset.address === address);
  if (!row) throw new Error(`no row for ${address}`);
  return row;
}

describe('StatusWindow', () => {
  it('starts status.watch with the topology and kube selection, then fills the tables from snapshots', async () => {
    const operationId = await startedWindow();
    expect(backend.callsOf('status.watch')).toEqual([
      {
        topology: { text: ARTICLE_TOPOLOGY, fileName: 'topology.yaml' },
        kube: { kubeconfig: '/home/me/kc' },
        intervalMs: 2000,
        operationId,
      },
    ]);
    expect(operationId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(screen.getAllByText('Waiting for the first status from the router…')).toHaveLength(2);

    act(() => backend.emit({ operationId, kind: 'status', status: reportFrom(SUMMARY_ONE_ACTIVE) }));

    const rows = screen.getAllByTestId('neighbor-row');
    expect(rows.map((r) => [r.dataset.address, r.dataset.state])).toEqual([
      ['192.168.1.201', 'Established'],
      ['192.168.1.202', 'Active'],
      ['192.168.1.203', 'Established'],
      ['192.168.1.204', 'Established'],
    ]);
    const worker1 = neighborRow('192.168.1.201');
    expect(within(worker1).getByText('worker1')).toBeTruthy();
    expect(within(worker1).getByText('00:55:28')).toBeTruthy();
    expect(within(worker1).getByText('OK')).toBeTruthy();
    const worker2 = neighborRow('192.168.1.202');
    expect(within(worker2).getByTestId('bgp-state').textContent).toBe('Active');
    const diagnosis = within(worker2).getByTestId('diagnosis');
    // The speaker on worker2 is down in the facts: the diagnosis says so and what to do.
    expect(diagnosis.textContent).toContain('worker2');
    expect(diagnosis.textContent).toContain('What to do:');
    expect(within(diagnosis).getAllByText('confirmed').length).toBeGreaterThan(0);

    const summary = screen.getByTestId('neighbors-summary');
    expect(summary.dataset.allEstablished).toBe('false');
    expect(summary.textContent).toBe('3 of 4 neighbors Established; see the diagnosis of the others.');

    const route = screen.getAllByTestId('route-row');
    expect(route).toHaveLength(1);
    expect(route[0]!.dataset.prefix).toBe('10.10.0.1/32');
    expect(within(route[0]!).getByText('default/echo')).toBeTruthy();
    expect(within(route[0]!).getByText('worker1 192.168.1.201')).toBeTruthy();
    expect(within(route[0]!).getByText('worker3 192.168.1.203')).toBeTruthy();

    act(() => backend.emit({ operationId, kind: 'status', status: reportFrom(ALL_UP) }));
    expect(screen.getByTestId('neighbors-summary').dataset.allEstablished).toBe('true');
    expect(screen.getByTestId('neighbors-summary').textContent).toBe(
      'All 4 neighbors Established with prefixes.',
    );
    expect(screen.getByTestId('refresh-indicator').dataset.phase).toBe('watching');
    expect(screen.getByTestId('refresh-indicator').textContent).toMatch(/^Live · updated at /);
  });

  it("colours the diagram's nodes with their sessions, and again when a session changes", async () => {
    const operationId = await startedWindow();
    // Before a snapshot the diagram knows no session.
    expect(screen.getByTestId('diagram-node-worker2').dataset.state).toBeUndefined();

    act(() => backend.emit({ operationId, kind: 'status', status: reportFrom(SUMMARY_ONE_ACTIVE) }));
    await waitFor(() => expect(screen.getByTestId('diagram-node-worker2').dataset.state).toBe('Active'));
    expect(screen.getByTestId('diagram-node-worker1').dataset.state).toBe('Established');

    act(() => backend.emit({ operationId, kind: 'status', status: reportFrom(ALL_UP) }));
    await waitFor(() => expect(screen.getByTestId('diagram-node-worker2').dataset.state).toBe('Established'));
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain('worker2 192.168.1.202 Established');
    // The neighbor's row follows too (rows are kept only while they show the same).
    const worker2 = neighborRow('192.168.1.202');
    expect(worker2.dataset.state).toBe('Established');
    expect(within(worker2).getByTestId('bgp-state').textContent).toBe('Established');
    expect(within(worker2).queryByTestId('diagnosis')).toBeNull();
  });

  it('ignores events of other operations', async () => {
    const operationId = await startedWindow();
    act(() => backend.emit({ operationId: 'someone-else', kind: 'status', status: reportFrom(ALL_UP) }));
    expect(screen.queryAllByTestId('neighbor-row')).toHaveLength(0);
    act(() => backend.emit({ operationId, kind: 'status', status: reportFrom(ALL_UP) }));
    expect(screen.getAllByTestId('neighbor-row')).toHaveLength(4);
  });

  it('shows the outage while the router is down, then the recovery with how long it was down', async () => {
    const operationId = await startedWindow();
    act(() => backend.emit({ operationId, kind: 'status', status: reportFrom(ALL_UP) }));
    expect(screen.queryByTestId('outage-banner')).toBeNull();

    const since = '2025-01-02T03:04:05.000Z';
    act(() =>
      backend.emit({ operationId, kind: 'outage', message: 'connection to 192.168.1.1:22 reset', since }),
    );
    const banner = screen.getByRole('alert');
    expect(banner.dataset.testid).toBe('outage-banner');
    expect(banner.textContent).toContain('Router unreachable');
    expect(banner.textContent).toContain('connection to 192.168.1.1:22 reset');
    expect(banner.textContent).toContain(new Date(since).toLocaleTimeString());
    // The last snapshot stays on screen during the outage.
    expect(screen.getAllByTestId('neighbor-row')).toHaveLength(4);
    expect(screen.getByTestId('refresh-indicator').textContent).toContain('Router unreachable');

    act(() => backend.emit({ operationId, kind: 'recovered', downMs: 12_400 }));
    expect(screen.queryByTestId('outage-banner')).toBeNull();
    const recovery = screen.getByTestId('recovery-banner');
    expect(recovery.dataset.downMs).toBe('12400');
    expect(recovery.textContent).toContain('unreachable for 12 s');

    fireEvent.click(within(recovery).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('recovery-banner')).toBeNull();
  });

  it('pause cancels the watch by its operation id; resume starts a new one', async () => {
    const operationId = await startedWindow();
    act(() => backend.emit({ operationId, kind: 'status', status: reportFrom(ALL_UP) }));

    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(backend.callsOf('operation.cancel')).toEqual([{ operationId }]));
    expect(backend.runningWatches()).toBe(0);
    expect(screen.getByTestId('refresh-indicator').dataset.phase).toBe('paused');
    expect(screen.getByTestId('refresh-indicator').textContent).toMatch(/^Paused · updated at /);
    // Paused, the last snapshot stays.
    expect(screen.getAllByTestId('neighbor-row')).toHaveLength(4);

    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(backend.runningWatches()).toBe(1));
    const second = backend.runningWatch();
    expect(second).not.toBe(operationId);
    expect(backend.callsOf('status.watch')).toHaveLength(2);
    expect(screen.getByTestId('refresh-indicator').dataset.phase).toBe('watching');
  });

  it('cancels the watch when the window closes', async () => {
    const operationId = await startedWindow();
    cleanup();
    await waitFor(() => expect(backend.callsOf('operation.cancel')).toEqual([{ operationId }]));
  });

  it('shows the error of a watch that cannot start, with a retry, and no stack trace', async () => {
    backend.watchFailure = {
      ok: false,
      error: { message: 'router 192.168.1.1:22: host key changed; check the router', kind: 'host-key' },
    };
    renderWithMantine(<StatusWindow topologyText={ARTICLE_TOPOLOGY} fileName="topology.yaml" />);
    const error = await screen.findByTestId('watch-error');
    expect(error.textContent).toContain('router 192.168.1.1:22: host key changed; check the router');
    expect(screen.getByTestId('neighbors-panel').textContent).toContain(
      'No status yet: the watch is not running',
    );

    backend.watchFailure = null;
    fireEvent.click(within(error).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(backend.runningWatches()).toBe(1));
    expect(screen.queryByTestId('watch-error')).toBeNull();
  });

  it('shows what a thrown call said in one line, never its stack', async () => {
    holder.api = {
      call: () => Promise.reject(new Error('socket closed\n    at Bridge.send (bridge.ts:10:3)')),
      onEvent: () => () => undefined,
    };
    renderWithMantine(<StatusWindow topologyText={ARTICLE_TOPOLOGY} />);
    const error = await screen.findByTestId('watch-error');
    expect(error.textContent).toContain('Watching the status failed: socket closed.');
    expect(error.textContent).not.toContain('bridge.ts');
  });

  it('explains how to get here when there is no topology, and watches nothing', () => {
    renderWithMantine(<StatusWindow />);
    expect(screen.getByText('Nothing to watch yet')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open the wizard' }).getAttribute('href')).toBe('#/');
    expect(backend.calls).toHaveLength(0);
  });

  it("reads the wizard's saved topology and cluster when opened on its own", async () => {
    window.localStorage.setItem(
      'metallb-bgp-wizard',
      JSON.stringify({
        state: {
          topologyText: ARTICLE_TOPOLOGY,
          topologyFileName: 'home.yaml',
          kube: { kubeconfig: '', context: 'lab' },
        },
        version: 1,
      }),
    );
    renderWithMantine(<StatusWindow />);
    await waitFor(() => expect(backend.runningWatches()).toBe(1));
    expect(backend.callsOf('status.watch')[0]).toMatchObject({
      topology: { text: ARTICLE_TOPOLOGY, fileName: 'home.yaml' },
      kube: { context: 'lab' },
    });
  });

  it('says the backend is not connected when there is none', () => {
    holder.api = null;
    renderWithMantine(<StatusWindow topologyText={ARTICLE_TOPOLOGY} />);
    expect(screen.getByTestId('status-not-connected').textContent).toContain('not connected');
  });

  it('shows an empty routes panel and an empty neighbors panel for an empty report', async () => {
    const operationId = await startedWindow();
    act(() => backend.emit({ operationId, kind: 'status', status: { neighbors: [], routes: [] } }));
    expect(screen.getByText('The router reports no BGP neighbors')).toBeTruthy();
    expect(screen.getByText('No BGP routes yet')).toBeTruthy();
  });
});
