// @vitest-environment jsdom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { ApplyPreview } from '../../shared/contract.ts';
import { fakeBackend, installDomStubs, renderWithMantine } from '../components/testing.tsx';

const PASSWORD = 'md5-secret-typed-in-review';
const NEEDS_PASSWORD =
  'the topology asks for a BGP password (router.bgpPassword) but none was given; enter it ' +
  '(the CLI reads METALLB_WIZARD_BGP_PASSWORD or asks on a terminal)';

const PREVIEW: ApplyPreview = {
  plan: { ok: true, errors: [], warnings: [], metallb: null, router: null },
  router: { unchanged: false, preview: [], script: null, error: null },
  cluster: { installedVersion: null, willInstall: true, notes: [] },
};

// A stand-in for main: the preview is refused until bgp.setPassword has been given a password.
let held = false;
let unreachable = false;
const UNREACHABLE = 'router 192.168.1.1:22 is not connected; connect on the Router step first';
const backend = fakeBackend({
  'apply.preview': () => {
    if (unreachable) return { ok: false, error: { message: UNREACHABLE, path: 'router', kind: 'failed' } };
    return held
      ? { ok: true, value: PREVIEW }
      : { ok: false, error: { message: NEEDS_PASSWORD, path: 'router.bgpPassword', kind: 'invalid' } };
  },
  'bgp.setPassword': ({ password }) => {
    held = password.length > 0;
    return { ok: true, value: { remembered: false } };
  },
});
vi.mock('../api.ts', () => ({ wizardApi: () => backend }));

const { ReviewStep } = await import('./ReviewStep.tsx');
const { loadPreview } = await import('../store/actions.ts');
const { useSecrets } = await import('../store/secrets.ts');

beforeAll(installDomStubs);
beforeEach(() => {
  held = false;
  unreachable = false;
  backend.calls.length = 0;
});
afterEach(cleanup);

describe('review step with a BGP password in the topology', () => {
  it('asks for the password, hands it to main once, forgets it, and reloads the preview', async () => {
    await loadPreview();
    renderWithMantine(<ReviewStep />);
    expect(screen.getByText(NEEDS_PASSWORD)).toBeTruthy();
    const save = screen.getByTestId('bgp-password-save');
    expect((save as HTMLButtonElement).disabled).toBe(true);
    const field = screen.getByLabelText('BGP password');
    fireEvent.change(field, { target: { value: 'short' } });
    expect(screen.getByText('the BGP password must be 8 to 80 characters long')).toBeTruthy();
    expect((save as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(field, { target: { value: PASSWORD } });
    fireEvent.click(save);
    await screen.findByTestId('review-preview');
    expect(screen.queryByTestId('bgp-password-form')).toBeNull();
    const sent = backend.calls.filter((c) => c.channel === 'bgp.setPassword');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.request).toMatchObject({ password: PASSWORD });
    // The page keeps no copy: the store is empty and no later call carries it.
    expect(useSecrets.getState().bgpPassword).toBe('');
    const later = backend.calls.slice(backend.calls.indexOf(sent[0]!) + 1);
    expect(later.map((c) => c.channel)).toEqual(['apply.preview']);
    expect(JSON.stringify(later)).not.toContain(PASSWORD);
  });

  it('shows no password field for other preview errors', async () => {
    unreachable = true;
    await loadPreview();
    renderWithMantine(<ReviewStep />);
    await waitFor(() => expect(screen.getByText(UNREACHABLE)).toBeTruthy());
    expect(screen.queryByTestId('bgp-password-form')).toBeNull();
  });
});
