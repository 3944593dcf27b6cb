// @vitest-environment jsdom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { PlanReport } from '../../shared/report.ts';
import { fakeBackend, installDomStubs, renderWithMantine } from '../components/testing.tsx';

const TOPOLOGY = `router:
  dialect: edgeos
  ssh: { host: 192.168.1.1, port: 22, username: ubnt }
  asn: 64512
  cluster: { interface: eth1, address: 192.168.1.1/24 }
  lan: { interface: eth2, address: 192.168.2.1/24 }
cluster:
  asn: 64512
  nodes:
    - { name: worker1, address: 192.168.1.201 }
    - { name: worker2, address: 192.168.1.202 }
  pools:
    - { name: default, addresses: [192.168.1.224/27] } # inside the cluster segment
metallb:
  version: v0.14.9
`;

const SUGGESTED = '10.200.0.0/27';
const BAD_ADDRESS_MESSAGE =
  'the node address 192.168.9.202 is outside the cluster subnet 192.168.1.0/24; use an address in it';

/** What plan.build answers for a text: a stand-in for main, keyed on what the test typed. */
function reportOf(text: string): PlanReport {
  const base = { metallb: null, router: null };
  if (text.includes('192.168.9.202')) {
    return {
      ok: false,
      errors: [{ path: 'cluster.nodes.1.address', message: BAD_ADDRESS_MESSAGE }],
      warnings: [],
      ...base,
    };
  }
  if (text.includes('192.168.1.224/27')) {
    return {
      ok: true,
      errors: [],
      warnings: [
        {
          code: 'pool-in-cluster-segment',
          path: 'cluster.pools.0.addresses.0',
          message: 'pool default (192.168.1.224/27) lies inside the cluster segment 192.168.1.0/24 on eth1.',
          suggestion: { pool: SUGGESTED },
        },
      ],
      ...base,
    };
  }
  return { ok: true, errors: [], warnings: [], ...base };
}

const backend = fakeBackend({
  'plan.build': ({ topology }) => ({ ok: true, value: reportOf(topology.text) }),
});
vi.mock('../api.ts', () => ({ wizardApi: () => backend }));

const { TopologyStep } = await import('./TopologyStep.tsx');
const { useWizard } = await import('../store/wizard.ts');
const { useSession, IDLE } = await import('../store/session.ts');

beforeAll(installDomStubs);
beforeEach(() => {
  useWizard.getState().setTopologyText(TOPOLOGY, 'topology.yaml');
  useSession.getState().patch({ plan: IDLE, planFor: null });
  backend.calls.length = 0;
});
afterEach(cleanup);

describe('topology step', () => {
  it('shows a plan.build error beside the field its path names', async () => {
    renderWithMantine(<TopologyStep />);
    const field = screen.getByLabelText('Node 2 address');
    fireEvent.focus(field);
    fireEvent.change(field, { target: { value: '192.168.9.202' } });
    // The edit reached the YAML (the source of truth) at once; the check follows a pause in typing.
    expect(useWizard.getState().topologyText).toContain('{ name: worker2, address: 192.168.9.202 }');
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    const describedBy = field.getAttribute('aria-describedby') ?? '';
    const messages = describedBy
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
    expect(messages).toContain(BAD_ADDRESS_MESSAGE);
    // Only beside its field: other fields stay clean, and no summary repeats it.
    expect(screen.getByLabelText('Node 1 address').getAttribute('aria-invalid')).not.toBe('true');
    expect(screen.queryByTestId('topology-errors')).toBeNull();
    const sent = backend.calls.filter((c) => c.channel === 'plan.build').at(-1)?.request as {
      topology: { text: string };
    };
    expect(sent.topology.text).toContain('192.168.9.202');
  });

  it('explains the same-segment caveat and rewrites the pool with one click', async () => {
    renderWithMantine(<TopologyStep />);
    const warning = await screen.findByTestId('same-segment-warning');
    expect(within(warning).getByText(/ARP/)).toBeTruthy();
    expect(within(warning).getByText(/nobody answers/)).toBeTruthy();
    fireEvent.click(within(warning).getByRole('button', { name: `Use ${SUGGESTED}` }));
    const text = useWizard.getState().topologyText;
    expect(text).toContain(`{ name: default, addresses: [ ${SUGGESTED} ] }`);
    expect(text).not.toContain('192.168.1.224/27');
    // The comment and the rest of the file survive the rewrite.
    expect(text).toContain('# inside the cluster segment');
    expect(text).toContain('- { name: worker2, address: 192.168.1.202 }');
    await waitFor(() => expect(screen.queryByTestId('same-segment-warning')).toBeNull());
    expect((screen.getByLabelText('Pool 1 addresses') as HTMLInputElement).value).toBe(SUGGESTED);
  });
});
