// A long operation as it runs: overall progress, each step of the cluster and the router, the
// live log, and cancel.

import {
  Badge,
  Button,
  Code,
  Group,
  Progress,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import type { StepStatus } from '../../shared/progress.ts';
import type { OperationRun } from '../store/session.ts';

const STATUS_COLOR: Record<StepStatus, string> = {
  pending: 'gray',
  running: 'blue',
  done: 'green',
  failed: 'red',
  skipped: 'gray',
  cancelled: 'orange',
};

function StepTable({ title, steps }: { title: string; steps: OperationRun<unknown>['steps'] }) {
  return (
    <Stack gap={4}>
      <Title order={5}>{title}</Title>
      {steps.length === 0 ? (
        <Text size="sm" c="dimmed">
          Waiting…
        </Text>
      ) : (
        <ScrollArea.Autosize mah={260} type="auto">
          <Table withTableBorder aria-label={`${title} steps`}>
            <Table.Tbody>
              {steps.map((s) => (
                <Table.Tr key={`${s.operation}/${s.step}`}>
                  <Table.Td>
                    <Text size="xs">{s.step}</Text>
                  </Table.Td>
                  <Table.Td w={110}>
                    <Badge size="sm" color={STATUS_COLOR[s.status]}>
                      {s.status}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}

export function OperationProgress({
  run,
  label,
  onCancel,
  testId,
}: {
  run: OperationRun<unknown>;
  label: string;
  onCancel: () => void;
  testId: string;
}) {
  const cluster = run.steps.filter((s) => s.operation.startsWith('cluster.'));
  const router = run.steps.filter((s) => s.operation.startsWith('router.'));
  return (
    <Stack data-testid={testId}>
      <Group justify="space-between">
        <Text size="sm" fw={600} aria-live="polite">
          {run.phase === 'running' ? `${label}… ${run.percent}%` : `${label}: ${run.phase}`}
        </Text>
        {run.phase === 'running' && (
          <Button color="red" variant="light" onClick={onCancel} data-testid={`${testId}-cancel`}>
            Cancel
          </Button>
        )}
      </Group>
      <Progress
        value={run.percent}
        animated={run.phase === 'running'}
        color={run.phase === 'failed' ? 'red' : run.phase === 'cancelled' ? 'orange' : undefined}
        aria-label={`${label} progress`}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <StepTable title="Cluster" steps={cluster} />
        <StepTable title="Router" steps={router} />
      </SimpleGrid>
      <Title order={5}>Log</Title>
      <ScrollArea.Autosize mah={220} type="auto">
        <Code block data-testid={`${testId}-log`} aria-label={`${label} log`} aria-live="polite">
          {run.log.length > 0 ? run.log.join('\n') : 'Nothing yet.'}
        </Code>
      </ScrollArea.Autosize>
    </Stack>
  );
}
