// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { fakeBackend, installDomStubs, renderWithMantine } from '../components/testing.tsx';

const backend = fakeBackend({
  'router.connect': () => ({
    ok: true,
    value: {
      status: 'connected',
      hostKey: 'SHA256:abc',
      probe: { dialect: 'edgeos', version: 'v2.0.9', model: 'ER-X', hasCurl: true },
      remembered: false,
    },
  }),
});
vi.mock('../api.ts', () => ({ wizardApi: () => backend }));

const { RouterStep } = await import('../steps/RouterStep.tsx');
const { STORAGE_KEY, useWizard, PERSISTED_KEYS, INITIAL_WIZARD } = await import('./wizard.ts');
const { useSecrets } = await import('./secrets.ts');
const { useSession } = await import('./session.ts');

const PASSWORD = 'hunter2-Very-Secret';

beforeAll(installDomStubs);
afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('wizard persistence', () => {
  it('never writes a typed router password or key passphrase to localStorage', async () => {
    useWizard.getState().setRouter({ host: '192.0.2.1', auth: 'password' });
    renderWithMantine(<RouterStep />);
    fireEvent.change(screen.getByLabelText('Router password'), { target: { value: PASSWORD } });
    expect(useSecrets.getState().routerPassword).toBe(PASSWORD);
    // Another persisted change after the password is typed writes the whole persisted state again.
    act(() =>
      useWizard.getState().setRouter({ username: 'admin', auth: 'key', keyFile: '/home/me/.ssh/id' }),
    );
    fireEvent.change(screen.getByLabelText('Passphrase (if the key has one)'), {
      target: { value: `${PASSWORD}-pp` },
    });
    act(() => useWizard.getState().goTo('router'));

    const stored = localStorage.getItem(STORAGE_KEY) ?? '';
    expect(stored).toContain('"username":"admin"');
    expect(stored).toContain('"current":"router"');
    expect(stored).not.toContain(PASSWORD);
    expect(Object.keys(JSON.parse(stored).state).sort()).toEqual([...PERSISTED_KEYS].sort());
  });

  it('forgets the password once main has it', async () => {
    act(() => useWizard.getState().setRouter({ host: '192.0.2.1', auth: 'password' }));
    renderWithMantine(<RouterStep />);
    fireEvent.change(screen.getByLabelText('Router password'), { target: { value: PASSWORD } });
    fireEvent.click(screen.getByTestId('router-connect'));
    expect(await screen.findByTestId('router-connected')).toBeTruthy();
    const connect = backend.calls.find((c) => c.channel === 'router.connect');
    expect(connect?.request).toMatchObject({ auth: { kind: 'password', password: PASSWORD } });
    expect(useSecrets.getState().routerPassword).toBe('');
    expect(useSession.getState().routerConnected).toBe(true);
    expect(localStorage.getItem(STORAGE_KEY) ?? '').not.toContain(PASSWORD);
    // The router's detected dialect and address went into the topology that apply will use.
    expect(useWizard.getState().topologyText).toContain('host: 192.0.2.1');
  });

  it('resumes at the saved step with the saved choices', async () => {
    const saved = {
      state: { ...INITIAL_WIZARD, current: 'topology', kube: { kubeconfig: '/tmp/kc', context: 'lab' } },
      version: 1,
    };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
    await useWizard.persist.rehydrate();
    expect(useWizard.getState().current).toBe('topology');
    expect(useWizard.getState().kube).toEqual({ kubeconfig: '/tmp/kc', context: 'lab' });
  });
});
