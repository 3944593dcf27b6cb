// When the tables were last refreshed, whether polling is running, and the pause control.

import { memo } from 'react';
import { Button, Group, Loader, Text } from '@mantine/core';
import type { WatchPhase, WatchState } from './watch-state.ts';
import { clockText } from './format.ts';

interface Controls {
  onPause: () => void;
  onResume: () => void;
  onRestart: () => void;
}

type Props = Controls & { state: WatchState };

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

// Each snapshot changes the "updated at" text; the button and the loader only change with the phase.
const Control = memo(function Control({
  phase,
  onPause,
  onResume,
  onRestart,
}: Controls & { phase: WatchPhase }) {
  if (phase === 'paused') {
    return (
      <Button size="xs" variant="light" onClick={onResume}>
        Resume
      </Button>
    );
  }
  if (phase === 'stopped' || phase === 'failed') {
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
});

const Connecting = memo(function Connecting() {
  return <Loader size="xs" type="dots" aria-hidden="true" />;
});

const LIVE_DOT = {
  display: 'inline-block',
  width: 8,
  height: 8,
  borderRadius: '50%',
  background: 'var(--mantine-color-green-filled)',
} as const;
const UNREACHABLE_DOT = { ...LIVE_DOT, background: 'var(--mantine-color-orange-filled)' } as const;

// While snapshots arrive the dot stays still: an endless animation would have the window draw a
// frame every vsync for as long as it is open, and each snapshot would then wait for that beat
// instead of being drawn at once. The "updated at" time shows that it is live.
function LiveDot({ reachable }: { reachable: boolean }) {
  return <span aria-hidden="true" style={reachable ? LIVE_DOT : UNREACHABLE_DOT} />;
}

export function RefreshIndicator({ state, ...controls }: Props) {
  return (
    <Group gap="sm" data-testid="refresh-indicator" data-phase={state.phase}>
      {state.phase === 'starting' && <Connecting />}
      {state.phase === 'watching' && <LiveDot reachable={state.outage === null} />}
      <Text size="sm" c="dimmed">
        {phaseText(state)}
      </Text>
      <Control phase={state.phase} {...controls} />
    </Group>
  );
}
