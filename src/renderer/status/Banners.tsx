// The router dropping, coming back, and the watch failing: shown above the tables.

import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import type { WatchState } from './watch-state.ts';
import { clockText, durationText } from './format.ts';

export function OutageBanner({ outage }: { outage: NonNullable<WatchState['outage']> }) {
  return (
    <Alert color="red" variant="filled" title="Router unreachable" role="alert" data-testid="outage-banner">
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Loader size="xs" color="white" aria-hidden="true" />
        <Text size="sm">
          The router stopped answering at {clockText(outage.since)}: {outage.message.replace(/\.\s*$/, '')}.
          Reconnecting; the tables show the last status until it answers again.
        </Text>
      </Group>
    </Alert>
  );
}

export function RecoveryBanner({
  recovery,
  onClose,
}: {
  recovery: NonNullable<WatchState['recovery']>;
  onClose: () => void;
}) {
  return (
    <Alert
      color="green"
      title="Router reachable again"
      role="status"
      data-testid="recovery-banner"
      data-down-ms={recovery.downMs}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onClose}
    >
      The router answered again at {clockText(recovery.at)} after being unreachable for{' '}
      {durationText(recovery.downMs)}.
    </Alert>
  );
}

export function WatchFailedBanner({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <Alert color="red" title="Live status is not running" role="alert" data-testid="watch-error">
      <Text size="sm" mb="xs">
        {message}
      </Text>
      <Button size="xs" variant="white" color="red" onClick={onRetry}>
        Retry
      </Button>
    </Alert>
  );
}
