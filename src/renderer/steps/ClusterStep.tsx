import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { ClusterProbeView, KubeContexts } from '../../shared/contract.ts';
import { LoadingState, RemoteView } from '../components/states.tsx';
import { fillTopologyFromCluster, loadContexts, probeCluster } from '../store/actions.ts';
import { useSession } from '../store/session.ts';
import { useWizard } from '../store/wizard.ts';

function ContextPicker({ contexts }: { contexts: KubeContexts }) {
  const context = useWizard((s) => s.kube.context);
  const setKube = useWizard((s) => s.setKube);
  return (
    <Stack gap="xs">
      <Select
        label="Context"
        data-testid="cluster-context"
        data={contexts.contexts.map((c) => ({ value: c.name, label: `${c.name} (${c.server})` }))}
        value={context || contexts.context}
        onChange={(value) => setKube({ context: value ?? '' })}
        allowDeselect={false}
        description={contexts.files.length > 0 ? `from ${contexts.files.join(', ')}` : undefined}
      />
      {contexts.execPlugin && (
        <Alert
          color="orange"
          title="This context runs a program on this computer"
          data-testid="exec-plugin-warning"
        >
          To log in, the kubeconfig runs{' '}
          <code>{[contexts.execPlugin.command, ...contexts.execPlugin.args].join(' ')}</code> each time the
          wizard talks to the cluster. Test the connection only if you trust that program.
        </Alert>
      )}
    </Stack>
  );
}

function ProbeView({ probe }: { probe: ClusterProbeView }) {
  const [filled, setFilled] = useState<number | null>(null);
  return (
    <Stack data-testid="cluster-probe">
      <Text size="sm">
        Connected to <strong>{probe.server}</strong>, Kubernetes <strong>{probe.version.gitVersion}</strong>.
      </Text>
      <Title order={4}>Nodes</Title>
      {probe.nodes.length === 0 ? (
        <Text size="sm" c="dimmed">
          The cluster has no nodes.
        </Text>
      ) : (
        <Table striped withTableBorder aria-label="Cluster nodes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>InternalIP</Table.Th>
              <Table.Th>Ready</Table.Th>
              <Table.Th>External load balancers</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {probe.nodes.map((n) => (
              <Table.Tr key={n.name}>
                <Table.Td>{n.name}</Table.Td>
                <Table.Td>{n.internalIP ?? '—'}</Table.Td>
                <Table.Td>
                  <Badge color={n.ready ? 'green' : 'red'}>{n.ready ? 'Ready' : 'Not ready'}</Badge>
                </Table.Td>
                <Table.Td>{n.excludedFromExternalLoadBalancers ? 'excluded (label)' : 'included'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group>
        <Button
          variant="light"
          data-testid="cluster-fill-topology"
          onClick={() => void fillTopologyFromCluster().then(setFilled)}
          disabled={probe.nodes.length === 0}
        >
          Fill topology from cluster
        </Button>
        {filled !== null && (
          <Text size="sm" role="status">
            {filled > 0 ? `The topology now lists ${filled} nodes.` : 'No node has an InternalIP to use.'}
          </Text>
        )}
      </Group>
      <Title order={4}>MetalLB</Title>
      {probe.metallb ? (
        <Text size="sm">
          MetalLB {probe.metallb.version ?? '(version unknown)'} is installed ({probe.metallb.method},{' '}
          {probe.metallb.format === 'crd' ? 'CRD' : 'ConfigMap'} configuration),{' '}
          {probe.metallb.managedByUs
            ? 'by this wizard'
            : 'by someone else: its pools and peers stay as they are'}
          . Controller {probe.metallb.controllerReady ? 'ready' : 'not ready'}, speakers{' '}
          {probe.metallb.speakerReady ? 'ready' : 'not ready'}.
        </Text>
      ) : (
        <Text size="sm">MetalLB is not installed yet: Apply installs it.</Text>
      )}
      <Title order={4}>kube-proxy</Title>
      <Text size="sm">
        Mode {probe.kubeProxy.mode}
        {probe.kubeProxy.strictARP !== null && `, strictARP ${probe.kubeProxy.strictARP ? 'on' : 'off'}`}.
      </Text>
      <Title order={4}>To check</Title>
      {probe.conflicts.length === 0 ? (
        <Text size="sm">Nothing conflicts with MetalLB in BGP mode.</Text>
      ) : (
        <List spacing="xs" data-testid="cluster-conflicts">
          {probe.conflicts.map((c) => (
            <List.Item key={c.code}>
              <Text size="sm" fw={600}>
                {c.message}
              </Text>
              <Text size="sm">What to do: {c.whatToDo}</Text>
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

export function ClusterStep() {
  const kubeconfig = useWizard((s) => s.kube.kubeconfig);
  const setKube = useWizard((s) => s.setKube);
  const probe = useWizard((s) => s.clusterProbe);
  const contexts = useSession((s) => s.contexts);
  const probing = useSession((s) => s.probing);
  return (
    <Stack>
      <TextInput
        label="Kubeconfig file"
        description="Leave empty for the default (KUBECONFIG, then ~/.kube/config)."
        placeholder="~/.kube/config"
        value={kubeconfig}
        data-testid="cluster-kubeconfig"
        onChange={(e) => setKube({ kubeconfig: e.currentTarget.value, context: '' })}
        onBlur={() => void loadContexts()}
        error={contexts.status === 'error' ? contexts.message : undefined}
      />
      {contexts.status === 'loading' && <LoadingState label="Reading the kubeconfig…" />}
      {contexts.status === 'ok' && <ContextPicker contexts={contexts.value} />}
      <Group>
        <Button
          onClick={() => void probeCluster()}
          loading={probing.status === 'loading'}
          data-testid="cluster-test"
        >
          Test connection
        </Button>
      </Group>
      <RemoteView
        remote={probing}
        loading="Asking the cluster…"
        errorTitle="Could not reach the cluster"
        onRetry={() => void probeCluster()}
        idle={
          probe ? null : (
            <Text size="sm" c="dimmed">
              Test the connection to see the nodes and what is installed.
            </Text>
          )
        }
      >
        {() => null}
      </RemoteView>
      {probe && probing.status !== 'loading' && <ProbeView probe={probe} />}
    </Stack>
  );
}
