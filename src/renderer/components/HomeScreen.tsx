// A later launch with an applied setup: status, change the topology, remove everything, import.

import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { cancelOperation, loadTeardownPreview, openStatusWindow, runTeardown } from '../store/actions.ts';
import { useSession } from '../store/session.ts';
import { useWizard } from '../store/wizard.ts';
import { AppMenu } from './AppMenu.tsx';
import { OperationProgress } from './OperationProgress.tsx';
import { RouterConnectForm } from './RouterConnectForm.tsx';
import { ErrorNote, RemoteView } from './states.tsx';
import { Shell } from './WizardFrame.tsx';
import { routerStateOf } from '../store/actions.ts';

function Teardown() {
  const preview = useSession((s) => s.teardownPreview);
  const run = useSession((s) => s.teardown);
  const connected = useSession((s) => s.routerConnected);
  const [uninstall, setUninstall] = useState(false);
  if (!connected) {
    return (
      <Stack>
        <Text size="sm">Connect to the router first: removing changes its configuration.</Text>
        <RouterConnectForm />
      </Stack>
    );
  }
  return (
    <Stack>
      <Group>
        <Button
          variant="light"
          color="red"
          onClick={() => void loadTeardownPreview()}
          data-testid="teardown-preview"
        >
          Preview the removal
        </Button>
      </Group>
      <RemoteView
        remote={preview}
        loading="Reading what would be removed…"
        errorTitle="Could not preview the removal"
        onRetry={() => void loadTeardownPreview()}
      >
        {(value) => (
          <Stack data-testid="teardown-plan">
            <Text size="sm" fw={600}>
              Router
            </Text>
            {value.router.unchanged ? (
              <Text size="sm">Nothing of the wizard&apos;s is left on the router.</Text>
            ) : (
              <List size="sm">
                {value.router.lines.map((l) => (
                  <List.Item key={l}>
                    <code>{l}</code>
                  </List.Item>
                ))}
              </List>
            )}
            {value.router.notes.map((n) => (
              <Text size="sm" key={n}>
                {n}
              </Text>
            ))}
            <Text size="sm" fw={600}>
              Cluster
            </Text>
            <List size="sm">
              {value.cluster.objects.map((o) => (
                <List.Item key={o}>{o}</List.Item>
              ))}
            </List>
            <Checkbox
              label="Also uninstall MetalLB (namespace metallb-system, its CRDs and RBAC)"
              checked={uninstall}
              onChange={(e) => setUninstall(e.currentTarget.checked)}
              data-testid="teardown-uninstall"
            />
            <Group>
              <Button
                color="red"
                onClick={() => void runTeardown(uninstall)}
                loading={run.phase === 'running'}
                data-testid="teardown-run"
              >
                Remove everything
              </Button>
            </Group>
          </Stack>
        )}
      </RemoteView>
      {run.phase !== 'idle' && (
        <OperationProgress
          run={run}
          label="Removing"
          testId="teardown-progress"
          onCancel={() => void cancelOperation(run.operationId)}
        />
      )}
      {run.error && (
        <ErrorNote
          title="Removal stopped"
          message={run.error.message}
          onRetry={() => void runTeardown(uninstall)}
          testId="teardown-error"
        >
          {routerStateOf(run.error.message) && (
            <Text size="sm" fw={600}>
              Router: {routerStateOf(run.error.message)}
            </Text>
          )}
        </ErrorNote>
      )}
    </Stack>
  );
}

export function HomeScreen() {
  const applied = useWizard((s) => s.applied);
  const patch = useWizard((s) => s.patch);
  const probe = useWizard((s) => s.routerProbe);
  const [removing, setRemoving] = useState(false);
  const changeTopology = () => patch({ screen: 'wizard', flow: 'change', current: 'router' });
  return (
    <Shell
      header={<AppMenu onImported={() => patch({ screen: 'wizard', flow: 'change', current: 'topology' })} />}
    >
      <Stack maw={1000} mx="auto" data-testid="home">
        <Title order={2}>Your setup</Title>
        {applied ? (
          <Text size="sm">
            Applied {new Date(applied.at).toLocaleString()}
            {probe ? ` to ${probe.dialect === 'edgeos' ? 'EdgeOS' : 'VyOS'} ${probe.version}` : ''}.{' '}
            {applied.result.router.message}
          </Text>
        ) : (
          <Alert color="gray">Nothing is applied yet.</Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Card withBorder>
            <Title order={4}>Status</Title>
            <Text size="sm" my="xs">
              Live BGP sessions, routes and Services.
            </Text>
            <Button onClick={() => void openStatusWindow()} data-testid="home-open-status">
              Open status window
            </Button>
          </Card>
          <Card withBorder>
            <Title order={4}>Change the topology</Title>
            <Text size="sm" my="xs">
              Edit nodes, pools or ASNs; review the diff, then apply it.
            </Text>
            <Button variant="light" onClick={changeTopology} data-testid="home-change-topology">
              Change topology
            </Button>
          </Card>
          <Card withBorder>
            <Title order={4}>Remove everything</Title>
            <Text size="sm" my="xs">
              The wizard&apos;s BGP neighbors and MetalLB objects, each with a preview first.
            </Text>
            <Button variant="light" color="red" onClick={() => setRemoving(true)} data-testid="home-remove">
              Remove…
            </Button>
          </Card>
        </SimpleGrid>
        {removing && (
          <Card withBorder>
            <Title order={4} mb="sm">
              Remove everything
            </Title>
            <Teardown />
          </Card>
        )}
        <Group>
          <Button
            variant="subtle"
            onClick={() => patch({ screen: 'wizard', flow: 'setup', current: 'welcome' })}
          >
            Run the guided setup again
          </Button>
        </Group>
      </Stack>
    </Shell>
  );
}
