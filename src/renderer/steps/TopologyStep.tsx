import { useEffect, useMemo } from 'react';
import { Alert, Badge, Group, List, Stack, Tabs, Text, Textarea, Title } from '@mantine/core';
import type { TopologyError, TopologyWarning } from '../../shared/topology/index.ts';
import { DiagramSlot } from '../components/DiagramSlot.tsx';
import { SameSegmentCaveat } from '../components/SameSegmentCaveat.tsx';
import { TopologyForm, unplacedErrors } from '../components/TopologyForm.tsx';
import { ErrorNote, LoadingState } from '../components/states.tsx';
import { buildPlan } from '../store/actions.ts';
import { useSession } from '../store/session.ts';
import { readTopologyForm, withSuggestedPool } from '../store/topology-yaml.ts';
import { useWizard } from '../store/wizard.ts';

/** How long typing pauses before the topology is checked again. */
export const CHECK_DELAY_MS = 300;

function OtherWarnings({ warnings }: { warnings: TopologyWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <Alert color="yellow" title="Warnings" data-testid="topology-warnings">
      <List size="sm" spacing={4}>
        {warnings.map((w) => (
          <List.Item key={`${w.code}-${w.path}`}>
            <Badge size="xs" variant="outline" mr={6}>
              {w.code}
            </Badge>
            {w.path && <code>{w.path}</code>} {w.message}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

function OtherErrors({ errors }: { errors: TopologyError[] }) {
  if (errors.length === 0) return null;
  return (
    <Alert color="red" title="To fix" role="alert" data-testid="topology-errors">
      <List size="sm" spacing={4}>
        {errors.map((e) => (
          <List.Item key={`${e.path}-${e.message}`}>
            {e.path && <code>{e.path}</code>} {e.message}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

export function TopologyStep() {
  const text = useWizard((s) => s.topologyText);
  const fileName = useWizard((s) => s.topologyFileName);
  const setText = useWizard((s) => s.setTopologyText);
  const plan = useSession((s) => s.plan);
  const planFor = useSession((s) => s.planFor);
  const read = useMemo(() => readTopologyForm(text), [text]);

  // Validation as the user types: main checks the text once typing pauses.
  useEffect(() => {
    if (planFor === text) return;
    const timer = setTimeout(() => void buildPlan(), CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, planFor]);

  const report = plan.status === 'ok' ? plan.value : null;
  const errors = report?.errors ?? [];
  const warnings = report?.warnings ?? [];
  const sameSegment = warnings.filter((w) => w.code === 'pool-in-cluster-segment');
  const others = warnings.filter((w) => w.code !== 'pool-in-cluster-segment');
  const clusterSubnet = read.ok ? (read.values.scalars['router.cluster.address'] ?? '') : '';
  const caveat = sameSegment.map((w) => (
    <SameSegmentCaveat
      key={w.path}
      warning={w}
      clusterSubnet={clusterSubnet}
      onAdopt={(pool) => setText(withSuggestedPool(text, w.path, pool))}
    />
  ));

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm">Edit the network as a form or as {fileName}; it is checked as you type.</Text>
        <Group gap="xs" aria-live="polite" data-testid="topology-check-state">
          {plan.status === 'loading' && <Badge color="gray">Checking…</Badge>}
          {report && planFor === text && report.ok && <Badge color="green">Valid</Badge>}
          {report && planFor === text && !report.ok && (
            <Badge color="red">{`${report.errors.length} to fix`}</Badge>
          )}
        </Group>
      </Group>
      {plan.status === 'error' && (
        <ErrorNote
          title="Could not check the topology"
          message={plan.message}
          onRetry={() => void buildPlan()}
        />
      )}
      {caveat}
      {read.ok && <OtherErrors errors={unplacedErrors(errors, read.values)} />}
      <Tabs defaultValue="form" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="form" data-testid="topology-tab-form">
            Form
          </Tabs.Tab>
          <Tabs.Tab value="yaml" data-testid="topology-tab-yaml">
            YAML
          </Tabs.Tab>
          <Tabs.Tab value="diagram" data-testid="topology-tab-diagram">
            Diagram
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="form" pt="md">
          {read.ok ? (
            <TopologyForm text={text} values={read.values} errors={errors} onText={setText} />
          ) : (
            <ErrorNote
              title="The form cannot read the text"
              message={`${read.message}. Fix it on the YAML tab.`}
            />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="yaml" pt="md">
          <Stack gap="xs">
            <Textarea
              label={fileName}
              autosize
              minRows={12}
              maxRows={30}
              spellCheck={false}
              value={text}
              data-testid="topology-yaml"
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              onChange={(e) => setText(e.currentTarget.value)}
            />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="diagram" pt="md">
          <DiagramSlot text={text} />
        </Tabs.Panel>
      </Tabs>
      <OtherWarnings warnings={others} />
      {plan.status === 'loading' && !report && <LoadingState label="Checking the topology…" />}
      {report?.ok && report.router && (
        <Stack gap={4}>
          <Title order={5}>The router will get</Title>
          <Text size="sm">
            {report.router.commands.length} commands ({report.router.dialect}); MetalLB{' '}
            {report.metallb?.version} with {report.metallb?.objects.length ?? 0} objects. Review shows them in
            full.
          </Text>
        </Stack>
      )}
    </Stack>
  );
}
