// When the tables were last refreshed, whether polling is running, and the pause control.

import { Button, Group, Loader, Text } from '@mantine/core';
import type { WatchState } from './watch-state.ts';
import { clockText } from './format.ts';

interface Props {
  state: WatchState;
  onPause: () => void;
  onResume: () => void;
  onRestart: () => void;
}

function phaseText(state: WatchState): string {
  const updated = state.updatedAt === null ? 'no update yet' : `updated at ${clockText(state.updatedAt)}`;
  if (state.outage) return `Router unreachable · last ${updated}`;
  switch (state.phase) {
    case 'starting':
      return 'Connecting to the router and cluster…';
    case 'watching':
      return `Live · ${updated}`;
    case 'paused':
      return `Paused · ${updated}`;
    case 'stopped':
      return `Stopped · ${updated}`;
    case 'failed':
      return `Not running · ${updated}`;
  }
}

function Control({ state, onPause, onResume, onRestart }: Props) {
  if (state.phase === 'paused') {
    return (
      <Button size="xs" variant="light" onClick={onResume}>
        Resume
      </Button>
    );
  }
  if (state.phase === 'stopped' || state.phase === 'failed') {
    return (
      <Button size="xs" variant="light" onClick={onRestart}>
        Restart
      </Button>
    );
  }
  return (
    <Button size="xs" variant="default" onClick={onPause}>
      Pause
    </Button>
  );
}

export function RefreshIndicator(props: Props) {
  const { state } = props;
  const polling = state.phase === 'starting' || state.phase === 'watching';
  return (
    <Group gap="sm" data-testid="refresh-indicator" data-phase={state.phase}>
      {polling && <Loader size="xs" type="dots" aria-hidden="true" />}
      <Text size="sm" c="dimmed">
        {phaseText(state)}
      </Text>
      <Control {...props} />
    </Group>
  );
}
