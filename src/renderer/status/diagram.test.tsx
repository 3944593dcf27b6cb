// @vitest-environment jsdom
// The topology diagram: node names, addresses and session states drawn, and the same facts in
// the accessible name and the screen-reader list.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import { parseTopologyText } from '../../shared/topology/index.ts';
import { TopologyDiagram } from '../components/diagram/index.ts';
import { ARTICLE_TOPOLOGY, installDomStubs, renderWithMantine } from './testing.tsx';

function topology() {
  const parsed = parseTopologyText(ARTICLE_TOPOLOGY, 'topology.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  return parsed.topology;
}

beforeAll(installDomStubs);
afterEach(cleanup);

describe('TopologyDiagram', () => {
  it('draws the router, its interfaces, the nodes with their session states, the pool and the LAN', () => {
    renderWithMantine(
      <TopologyDiagram
        topology={topology()}
        sessions={{ '192.168.1.201': 'Established', '192.168.1.202': 'Active', '192.168.1.203': 'Idle' }}
      />,
    );
    const worker1 = screen.getByTestId('diagram-node-worker1');
    expect(worker1.dataset.state).toBe('Established');
    expect(worker1.textContent).toBe('worker1192.168.1.201Established');
    expect(screen.getByTestId('diagram-node-worker2').dataset.state).toBe('Active');
    expect(screen.getByTestId('diagram-node-worker3').dataset.state).toBe('Idle');
    // No session known for worker4: drawn without a state.
    expect(screen.getByTestId('diagram-node-worker4').dataset.state).toBeUndefined();

    const router = screen.getByTestId('diagram-router-Router 192.168.1.1');
    expect(router.textContent).toContain('EdgeOS, AS 64512');
    expect(router.textContent).toContain('eth0 WAN');
    expect(router.textContent).toContain('eth1 cluster 192.168.1.1/24');
    expect(router.textContent).toContain('eth2 LAN 192.168.2.1/24');
    expect(screen.getByTestId('diagram-pool-Pool default').textContent).toContain('10.10.0.0/28');
    expect(screen.getByTestId('diagram-segment-Cluster segment').textContent).toContain('192.168.1.0/24');
    expect(screen.getByTestId('diagram-segment-LAN').textContent).toContain('192.168.2.0/24');
    expect(screen.getByTestId('diagram-clients-LAN clients')).toBeTruthy();
    expect(screen.getByTestId('diagram-internet-Internet').textContent).toContain('via eth0');

    const picture = screen.getByRole('img');
    expect(picture.getAttribute('aria-label')).toContain('worker1 192.168.1.201 Established');
    expect(picture.getAttribute('aria-label')).toContain('worker2 192.168.1.202 Active');
    const figure = screen.getByRole('figure', { name: 'Network diagram of the topology' });
    const items = within(figure)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toContain(
      'Node worker2, 192.168.1.202, on the cluster segment, BGP session Active (trying to connect).',
    );
    expect(items).toContain('Address pool default: 10.10.0.0/28, announced over BGP by the nodes.');
  });

  it('draws a topology without WAN and LAN, and without session data', () => {
    const t = topology();
    const bare = { ...t, router: { ...t.router, wan: undefined, lan: undefined } };
    renderWithMantine(<TopologyDiagram topology={bare} />);
    expect(screen.getByTestId('diagram-node-worker1').dataset.state).toBeUndefined();
    expect(screen.queryByTestId('diagram-segment-LAN')).toBeNull();
    expect(screen.queryByTestId('diagram-internet-Internet')).toBeNull();
    expect(screen.getByRole('img').getAttribute('aria-label')).not.toContain('LAN');
  });
});
