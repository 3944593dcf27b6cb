// The live status window: the router's BGP neighbors and routes as they change, the topology with
// each node's session, outages and recoveries, and a place to paste router output for a diagnosis.

import { memo, useDeferredValue, useId, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Container,
  EmptyState,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { parseTopologyText } from '../../shared/topology/index.ts';
import type { Topology } from '../../shared/topology/index.ts';
import type { StatusNeighbor, StatusRoute } from '../../shared/diagnose/index.ts';
import { TopologyDiagram } from '../components/diagram/index.ts';
import { wizardApi } from '../api.ts';
import { watchInputsOf } from './inputs.ts';
import type { StatusWindowProps, WatchInputs } from './inputs.ts';
import { useStatusWatch } from './useStatusWatch.ts';
import type { WatchPhase } from './watch-state.ts';
import { sameSessions, sessionsOf } from './derive.ts';
import type { Sessions } from './derive.ts';
import { NeighborTable, allHealthy } from './NeighborTable.tsx';
import { RouteTable } from './RouteTable.tsx';
import { OutageBanner, RecoveryBanner, WatchFailedBanner } from './Banners.tsx';
import { RefreshIndicator } from './RefreshIndicator.tsx';
import { PastePanel } from './PastePanel.tsx';

// The title stays as it is when a snapshot renders the panel's content again.
const PanelTitle = memo(function PanelTitle({ id, title }: { id: string; title: string }) {
  return (
    <Title order={2} size="h3" id={id} mb="sm">
      {title}
    </Title>
  );
});

function Panel({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  const id = useId();
  return (
    <Paper component="section" withBorder p="md" aria-labelledby={id} data-testid={testId}>
      <PanelTitle id={id} title={title} />
      {children}
    </Paper>
  );
}

/** What a table panel shows before it has a snapshot: loading, paused or failed. */
function NoSnapshot({ phase }: { phase: WatchPhase }) {
  if (phase === 'starting') {
    return (
      <Group gap="xs" role="status">
        <Loader size="sm" aria-hidden="true" />
        <Text size="sm">Waiting for the first status from the router…</Text>
      </Group>
    );
  }
  const why =
    phase === 'paused'
      ? 'Paused before the first status arrived; resume to load it.'
      : 'No status yet: the watch is not running (see above).';
  return (
    <Text size="sm" c="dimmed">
      {why}
    </Text>
  );
}

function NeighborsSummary({ neighbors }: { neighbors: readonly StatusNeighbor[] }) {
  const healthy = allHealthy(neighbors);
  const established = neighbors.filter((n) => n.state === 'Established').length;
  const text = healthy
    ? `All ${neighbors.length} neighbors Established with prefixes.`
    : `${established} of ${neighbors.length} neighbors Established; see the diagnosis of the others.`;
  return (
    <Text
      size="sm"
      mb="xs"
      c={healthy ? 'green' : 'orange'}
      data-testid="neighbors-summary"
      data-all-established={healthy ? 'true' : 'false'}
    >
      {text}
    </Text>
  );
}

// The panels take only the part of the state they show, and are memoized: a snapshot renders the
// tables (whose unchanged rows stay as they are), not the diagram or the paste form.

const NeighborsPanel = memo(function NeighborsPanel({
  neighbors,
  phase,
}: {
  neighbors: readonly StatusNeighbor[] | null;
  phase: WatchPhase;
}) {
  return (
    <Panel title="BGP neighbors" testId="neighbors-panel">
      {neighbors === null ? (
        <NoSnapshot phase={phase} />
      ) : neighbors.length === 0 ? (
        <EmptyState
          size="sm"
          title="The router reports no BGP neighbors"
          description="Apply the wizard's router step so the router peers with the cluster nodes."
        />
      ) : (
        <>
          <NeighborsSummary neighbors={neighbors} />
          <NeighborTable neighbors={neighbors} />
        </>
      )}
    </Panel>
  );
});

const RoutesPanel = memo(function RoutesPanel({
  routes,
  phase,
}: {
  routes: readonly StatusRoute[] | null;
  phase: WatchPhase;
}) {
  return (
    <Panel title="Routes to LoadBalancer IPs" testId="routes-panel">
      {routes === null ? (
        <NoSnapshot phase={phase} />
      ) : routes.length === 0 ? (
        <EmptyState
          size="sm"
          title="No BGP routes yet"
          description="The router has learned no LoadBalancer IP. Create a LoadBalancer Service (the wizard's Test step can deploy an echo service) and check that the neighbors above are Established with prefixes."
        />
      ) : (
        <>
          <Text size="sm" mb="xs" data-testid="routes-count">
            {routes.length} routes
          </Text>
          <RouteTable routes={routes} />
        </>
      )}
    </Panel>
  );
});

type TopologyResult = { ok: true; topology: Topology } | { ok: false; message: string };

function topologyOf(inputs: WatchInputs): TopologyResult {
  const result = parseTopologyText(inputs.topologyText, inputs.fileName);
  if (result.ok) return { ok: true, topology: result.topology };
  const first = result.errors[0];
  const where = first?.path ? `${first.path}: ` : '';
  return { ok: false, message: `${where}${first?.message ?? 'the topology is not valid'}` };
}

/**
 * The neighbors' session states, the same object for as long as they do not change: the diagram
 * draws again only when a session does, and that drawing is deferred, after the tables' paint.
 */
function useSessions(neighbors: readonly StatusNeighbor[] | null): Sessions | undefined {
  const [sessions, setSessions] = useState<Sessions | undefined>(undefined);
  const now = neighbors === null ? undefined : sessionsOf(neighbors);
  // React's pattern for state that follows a prop: set during render, re-run before the children.
  if (!sameSessions(sessions, now)) setSessions(now);
  return useDeferredValue(sessions);
}

const DiagramPanel = memo(function DiagramPanel({
  topology,
  sessions,
}: {
  topology: TopologyResult;
  sessions: Sessions | undefined;
}) {
  return (
    <Panel title="Topology" testId="diagram-panel">
      {topology.ok ? (
        <TopologyDiagram topology={topology.topology} {...(sessions ? { sessions } : {})} />
      ) : (
        <Alert color="red" title="The saved topology cannot be drawn">
          {topology.message}. Fix it in the wizard's Topology step.
        </Alert>
      )}
    </Panel>
  );
});

const PastePanelSection = memo(function PastePanelSection({ topology }: { topology: Topology | null }) {
  return (
    <Panel title="Paste router output" testId="paste-panel">
      <PastePanel topology={topology} />
    </Panel>
  );
});

function NothingToWatch() {
  return (
    <EmptyState
      title="Nothing to watch yet"
      description="The status window watches the router and cluster of the setup made in the wizard. Complete the wizard's Cluster, Router and Topology steps (or import a topology or bundle), then open the live status from its last step."
      data-testid="status-empty"
    >
      <EmptyState.Actions>
        <Anchor href="#/">Open the wizard</Anchor>
      </EmptyState.Actions>
    </EmptyState>
  );
}

function NotConnected() {
  return (
    <Alert
      color="red"
      title="The app backend is not connected"
      role="alert"
      data-testid="status-not-connected"
    >
      Open the live status from the app: in the desktop app from the wizard's last step, or in browser mode
      with the URL that <code>npm run demo</code> printed (it carries the access token).
    </Alert>
  );
}

const StatusTitle = memo(function StatusTitle() {
  return (
    <Title order={1} size="h2">
      Live BGP status
    </Title>
  );
});

function LiveStatus({ inputs }: { inputs: WatchInputs }) {
  const { state, pause, resume, retry, dismissRecovery } = useStatusWatch(inputs);
  const topology = useMemo(() => topologyOf(inputs), [inputs]);
  const report = state.report;
  const sessions = useSessions(report?.neighbors ?? null);
  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <StatusTitle />
        <RefreshIndicator state={state} onPause={pause} onResume={resume} onRestart={retry} />
      </Group>
      {state.outage && <OutageBanner outage={state.outage} />}
      {state.recovery && <RecoveryBanner recovery={state.recovery} onClose={dismissRecovery} />}
      {state.phase === 'failed' && state.error && <WatchFailedBanner message={state.error} onRetry={retry} />}
      {state.phase === 'stopped' && (
        <Alert color="yellow" title="Live status stopped" data-testid="watch-stopped">
          The app stopped watching the router. Restart to watch again.
        </Alert>
      )}
      <NeighborsPanel neighbors={report?.neighbors ?? null} phase={state.phase} />
      <RoutesPanel routes={report?.routes ?? null} phase={state.phase} />
      <DiagramPanel topology={topology} sessions={sessions} />
      <PastePanelSection topology={topology.ok ? topology.topology : null} />
    </Stack>
  );
}

export function StatusWindow({ topologyText, fileName, kube }: StatusWindowProps) {
  const kubeconfig = kube?.kubeconfig;
  const context = kube?.context;
  const inputs = useMemo(
    () =>
      watchInputsOf({ topologyText, fileName, kube: kubeconfig || context ? { kubeconfig, context } : null }),
    [topologyText, fileName, kubeconfig, context],
  );
  const connected = wizardApi() !== null;
  return (
    <Container size="xl" py="md" component="main">
      {!connected ? <NotConnected /> : inputs === null ? <NothingToWatch /> : <LiveStatus inputs={inputs} />}
    </Container>
  );
}
