// Router address, user and credentials, the host key confirmation, and what was detected. Used by
// the Router step and by the home screen (a later launch must reconnect before it changes things).

import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  NumberInput,
  PasswordInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { connectRouter, forgetHostKey, rejectHostKey } from '../store/actions.ts';
import { useSecrets } from '../store/secrets.ts';
import { useSession } from '../store/session.ts';
import type { AuthKind } from '../store/wizard.ts';
import { useWizard } from '../store/wizard.ts';

function authChoices(passwordHeld: boolean): { value: AuthKind; label: string }[] {
  return [
    ...(passwordHeld ? [{ value: 'stored' as const, label: 'Held by the app' }] : []),
    { value: 'password', label: 'Password' },
    { value: 'key', label: 'Key file' },
    { value: 'agent', label: 'SSH agent' },
  ];
}

function Credentials() {
  const router = useWizard((s) => s.router);
  const setRouter = useWizard((s) => s.setRouter);
  const presetSource = useWizard((s) => s.presetSource);
  const routerPassword = useSecrets((s) => s.routerPassword);
  const keyPassphrase = useSecrets((s) => s.keyPassphrase);
  const setSecrets = useSecrets((s) => s.set);
  const secretsPersistent = useSession((s) =>
    s.info.status === 'ok' ? s.info.value.secretsPersistent : false,
  );
  switch (router.auth) {
    case 'stored':
      return (
        <Text size="sm" data-testid="router-password-held">
          The router&apos;s password is held by the app{presetSource ? ` (${presetSource})` : ''}; it is never
          shown here.
        </Text>
      );
    case 'password':
      return (
        <Stack gap="xs">
          <PasswordInput
            label="Router password"
            autoComplete="off"
            value={routerPassword}
            data-testid="router-password"
            onChange={(e) => setSecrets({ routerPassword: e.currentTarget.value })}
          />
          <Checkbox
            label="Remember the password in the system keychain"
            description={
              secretsPersistent ? undefined : 'No keychain is available here: you will be asked again.'
            }
            disabled={!secretsPersistent}
            checked={router.remember && secretsPersistent}
            onChange={(e) => setRouter({ remember: e.currentTarget.checked })}
          />
        </Stack>
      );
    case 'key':
      return (
        <Stack gap="xs">
          <TextInput
            label="Private key file"
            placeholder="~/.ssh/id_ed25519"
            value={router.keyFile}
            data-testid="router-key-file"
            onChange={(e) => setRouter({ keyFile: e.currentTarget.value })}
          />
          <PasswordInput
            label="Passphrase (if the key has one)"
            autoComplete="off"
            value={keyPassphrase}
            data-testid="router-key-passphrase"
            onChange={(e) => setSecrets({ keyPassphrase: e.currentTarget.value })}
          />
        </Stack>
      );
    case 'agent':
      return <Text size="sm">The wizard asks the running ssh-agent (SSH_AUTH_SOCK) to sign in.</Text>;
  }
}

function HostKeyConfirmation({ fingerprint }: { fingerprint: string }) {
  const expected = useWizard((s) => s.router.expectedHostKey);
  const matches = expected !== null && expected === fingerprint;
  return (
    <Alert
      color={expected !== null && !matches ? 'red' : 'yellow'}
      title="Confirm the router's host key"
      data-testid="host-key-confirm"
    >
      <Stack gap="xs">
        <Text size="sm">
          This is the first connection to this router. Compare this fingerprint with the router&apos;s own (on
          its console: <Code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</Code>, or the key type shown):
        </Text>
        <Code block data-testid="host-key-fingerprint">
          {fingerprint}
        </Code>
        {expected !== null && (
          <Text size="sm" fw={600}>
            {matches
              ? 'It matches the fingerprint the lab printed.'
              : `It does NOT match the expected fingerprint ${expected}: do not trust it unless you know why.`}
          </Text>
        )}
        <Group>
          <Button onClick={() => void connectRouter(fingerprint)} data-testid="host-key-trust">
            Trust and connect
          </Button>
          <Button variant="default" onClick={rejectHostKey} data-testid="host-key-reject">
            Do not trust
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

export function RouterConnectForm() {
  const router = useWizard((s) => s.router);
  const setRouter = useWizard((s) => s.setRouter);
  const probe = useWizard((s) => s.routerProbe);
  const hostKey = useWizard((s) => s.hostKey);
  const connect = useSession((s) => s.connect);
  const connected = useSession((s) => s.routerConnected);
  const toConfirm = useSession((s) => s.hostKeyToConfirm);
  const notice = useSession((s) => s.notice);
  return (
    <Stack>
      <Group grow align="flex-start">
        <TextInput
          label="Router address"
          placeholder="192.168.1.1"
          value={router.host}
          data-testid="router-host"
          onChange={(e) => setRouter({ host: e.currentTarget.value })}
          error={connect.status === 'error' && connect.path?.includes('host') ? connect.message : undefined}
        />
        <NumberInput
          label="SSH port"
          min={1}
          max={65535}
          allowDecimal={false}
          value={router.port}
          data-testid="router-port"
          onChange={(v) => setRouter({ port: typeof v === 'number' ? v : Number(v) || 22 })}
        />
        <TextInput
          label="User"
          value={router.username}
          data-testid="router-user"
          onChange={(e) => setRouter({ username: e.currentTarget.value })}
        />
      </Group>
      <Stack gap={4}>
        <Text size="sm" fw={500} id="router-auth-label">
          Sign in with
        </Text>
        <SegmentedControl
          aria-labelledby="router-auth-label"
          data-testid="router-auth"
          value={router.auth}
          data={authChoices(router.passwordHeld)}
          onChange={(value) => setRouter({ auth: value as AuthKind })}
        />
      </Stack>
      <Credentials />
      <Group>
        <Button
          onClick={() => void connectRouter()}
          loading={connect.status === 'loading'}
          data-testid="router-connect"
        >
          Connect
        </Button>
        {hostKey && (
          <Button variant="subtle" onClick={() => void forgetHostKey()} data-testid="router-forget-host-key">
            Forget the pinned host key
          </Button>
        )}
      </Group>
      {toConfirm && <HostKeyConfirmation fingerprint={toConfirm} />}
      {connect.status === 'error' && (
        <Alert color="red" title="Could not connect to the router" role="alert" data-testid="router-error">
          {connect.message}
        </Alert>
      )}
      {notice && (
        <Alert color={notice.tone === 'ok' ? 'green' : 'red'} role="status">
          {notice.text}
        </Alert>
      )}
      {connected && probe && (
        <Alert color="green" title="Connected" data-testid="router-connected">
          <Stack gap={4}>
            <Group gap="xs">
              <Badge>{probe.dialect === 'edgeos' ? 'EdgeOS' : 'VyOS'}</Badge>
              <Text size="sm" data-testid="router-version">
                {probe.version}
                {probe.model ? ` on ${probe.model}` : ''}
              </Text>
            </Group>
            {hostKey && (
              <Text size="sm">
                Host key <Code>{hostKey}</Code> (pinned).
              </Text>
            )}
            {!probe.hasCurl && (
              <Text size="sm">This router has no curl: the Test step cannot run from it.</Text>
            )}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
