// @vitest-environment jsdom
// Pasted router output: parsed through parse.output (the real parsers behind a stand-in backend)
// and shown as a table, with a diagnosis for the cluster's sessions.

import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { WizardApi } from '../../shared/contract.ts';
import {
  ARTICLE_TOPOLOGY,
  type FakeBackend,
  ROUTES_TWO_PATHS,
  SUMMARY_ONE_ACTIVE,
  renderWithMantine,
  setUpStatusTests,
} from './testing.tsx';
import { StatusWindow } from './index.ts';

const holder = vi.hoisted(() => ({ api: null as WizardApi | null }));
vi.mock('../api.ts', () => ({ wizardApi: () => holder.api }));

let backend: FakeBackend;

setUpStatusTests({ viewport: 600, row: 40 }, (fresh) => {
  backend = fresh;
  holder.api = fresh;
});

function paste(kind: 'summary' | 'neighbors' | 'routes', text: string): void {
  fireEvent.change(screen.getByLabelText('Output of'), { target: { value: kind } });
  fireEvent.change(screen.getByLabelText('Router output'), { target: { value: text } });
  fireEvent.click(screen.getByRole('button', { name: 'Parse' }));
}

function parsedRow(key: string, value: string): HTMLElement {
  const row = screen.getAllByTestId('parsed-row').find((r) => r.getAttribute(`data-${key}`) === value);
  if (!row) throw new Error(`no parsed row with ${key} ${value}`);
  return row;
}

describe('paste router output', () => {
  it('parses a pasted summary and diagnoses the node that is not Established', async () => {
    renderWithMantine(<StatusWindow topologyText={ARTICLE_TOPOLOGY} />);
    const panel = screen.getByTestId('paste-panel');
    expect((within(panel).getByRole('button', { name: 'Parse' }) as HTMLButtonElement).disabled).toBe(true);

    paste('summary', SUMMARY_ONE_ACTIVE);
    const parsed = await screen.findByTestId('parsed-output');
    expect(backend.callsOf('parse.output')).toEqual([{ kind: 'summary', text: SUMMARY_ONE_ACTIVE }]);
    expect(parsed.dataset.kind).toBe('summary');
    expect(parsed.textContent).toContain('Router id 192.168.1.1, local AS 64512: 4 neighbors');
    expect(screen.getAllByTestId('parsed-row').map((r) => r.dataset.state)).toEqual([
      'Established',
      'Active',
      'Established',
      'Established',
    ]);
    const up = parsedRow('address', '192.168.1.201');
    expect(within(up).getByText('worker1')).toBeTruthy();
    expect(within(up).getByText('OK')).toBeTruthy();
    const active = parsedRow('address', '192.168.1.202');
    expect(within(active).getByText('worker2')).toBeTruthy();
    const diagnosis = within(active).getByTestId('diagnosis');
    expect(diagnosis.textContent).toContain('What to do:');
    // From a paste the cluster side is unknown: every cause is only possible.
    expect(within(diagnosis).queryAllByText('confirmed')).toHaveLength(0);
    expect(within(diagnosis).getAllByText('possible').length).toBeGreaterThan(0);
  });

  it('parses pasted routes with the next hops named after their nodes', async () => {
    renderWithMantine(<StatusWindow topologyText={ARTICLE_TOPOLOGY} />);
    paste('routes', ROUTES_TWO_PATHS);
    const parsed = await screen.findByTestId('parsed-output');
    expect(parsed.dataset.kind).toBe('routes');
    const row = parsedRow('prefix', '10.10.0.1/32');
    expect(within(row).getByText('worker1 192.168.1.201 via eth1')).toBeTruthy();
    expect(within(row).getByText('worker3 192.168.1.203 via eth1')).toBeTruthy();
  });

  it('says when the text holds nothing of the chosen kind', async () => {
    renderWithMantine(<StatusWindow topologyText={ARTICLE_TOPOLOGY} />);
    paste('summary', 'ubnt@router:~$ show version\nVersion: v2.0.9');
    expect(await screen.findByText('No neighbors found in this text')).toBeTruthy();
  });

  it('shows the error the backend gives', async () => {
    holder.api = {
      call: () =>
        Promise.resolve({
          ok: false,
          error: { message: 'text: too long (5000001 characters)', kind: 'invalid' },
        }),
      onEvent: () => () => undefined,
    } as unknown as WizardApi;
    renderWithMantine(<StatusWindow topologyText={ARTICLE_TOPOLOGY} />);
    paste('summary', SUMMARY_ONE_ACTIVE);
    const alert = await screen.findByText('Could not parse the output');
    expect(alert.closest('[role="alert"]')?.textContent).toContain('text: too long (5000001 characters)');
  });

  it('parses without a diagnosis when the topology cannot be read', async () => {
    renderWithMantine(<StatusWindow topologyText={'router: [unclosed'} />);
    expect(screen.getByTestId('diagram-panel').textContent).toContain('The saved topology cannot be drawn');
    paste('summary', SUMMARY_ONE_ACTIVE);
    await screen.findByTestId('parsed-output');
    const active = parsedRow('address', '192.168.1.202');
    expect(active.textContent).toContain('No topology known');
    await waitFor(() => expect(backend.callsOf('parse.output')).toHaveLength(1));
  });
});
