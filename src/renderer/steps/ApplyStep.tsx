import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { OperationProgress } from '../components/OperationProgress.tsx';
import { ErrorNote } from '../components/states.tsx';
import { cancelOperation, routerStateOf, runApply } from '../store/actions.ts';
import type { OperationRun } from '../store/session.ts';
import { useSession } from '../store/session.ts';
import { useWizard } from '../store/wizard.ts';

/** After a failure: what the router runs now, in the backend's words, or from how far it got. */
export function routerStateAfter(run: OperationRun<unknown>): string {
  const stated = run.error ? routerStateOf(run.error.message) : null;
  if (stated) return stated;
  if (!run.steps.some((s) => s.operation.startsWith('router.'))) {
    return 'The router was not touched: the run stopped before the router step.';
  }
  return 'The router state is not known from this error: check it with "show configuration commands | match bgp" before retrying.';
}

export function ApplyStep() {
  const run = useSession((s) => s.apply);
  const applied = useWizard((s) => s.applied);
  const flow = useWizard((s) => s.flow);
  const result = run.result ?? (flow === 'setup' && run.phase === 'idle' ? applied?.result : null);
  return (
    <Stack>
      {run.phase === 'idle' && !result && (
        <Text size="sm">
          Apply installs MetalLB and its objects on the cluster, then runs one script on the router: it
          snapshots the BGP lines, applies, verifies and saves, or restores the snapshot if anything fails.
        </Text>
      )}
      <Group>
        <Button
          onClick={() => void runApply()}
          loading={run.phase === 'running'}
          disabled={run.phase === 'running'}
          data-testid="apply-run"
        >
          {run.phase === 'idle' && !result ? 'Apply' : 'Apply again'}
        </Button>
      </Group>
      {run.phase !== 'idle' && (
        <OperationProgress
          run={run}
          label="Applying"
          testId="apply-progress"
          onCancel={() => void cancelOperation(run.operationId)}
        />
      )}
      {(run.phase === 'failed' || run.phase === 'cancelled') && run.error && (
        <ErrorNote
          title={run.phase === 'cancelled' ? 'Apply was cancelled' : 'Apply failed'}
          message={run.error.message}
          onRetry={() => void runApply()}
          retryLabel="Retry apply"
          testId="apply-error"
        >
          <Text size="sm" fw={600} data-testid="apply-router-state">
            Router: {routerStateAfter(run)}
          </Text>
        </ErrorNote>
      )}
      {result && (
        <Alert color="green" title="Applied" data-testid="apply-done">
          <Text size="sm">
            Cluster:{' '}
            {result.cluster.changed
              ? `${result.cluster.objects.length} objects applied`
              : 'already as planned'}
            {result.cluster.installed ? ', MetalLB installed' : ''}.
          </Text>
          <Text size="sm" data-testid="apply-router-message">
            Router: {result.router.message}
          </Text>
        </Alert>
      )}
    </Stack>
  );
}
