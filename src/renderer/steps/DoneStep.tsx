import { useState } from 'react';
import { Alert, Button, Group, List, Stack, Text } from '@mantine/core';
import { exportBundle, openStatusWindow } from '../store/actions.ts';
import { useWizard } from '../store/wizard.ts';

export function DoneStep() {
  const patch = useWizard((s) => s.patch);
  const [exported, setExported] = useState<{ fileName: string; files: string[] } | string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Stack>
      <Text>
        MetalLB announces your LoadBalancer Services to the router over BGP, and the router spreads their
        traffic over the nodes.
      </Text>
      <Group>
        <Button
          loading={busy}
          data-testid="export-bundle"
          onClick={() => {
            setBusy(true);
            void exportBundle()
              .then(setExported)
              .finally(() => setBusy(false));
          }}
        >
          Export bundle
        </Button>
        <Button variant="light" onClick={() => void openStatusWindow()} data-testid="open-status">
          Open status window
        </Button>
        <Button variant="default" onClick={() => patch({ screen: 'home' })} data-testid="go-home">
          Finish
        </Button>
      </Group>
      {typeof exported === 'string' && (
        <Alert color="red" title="Export failed" role="alert">
          {exported}
        </Alert>
      )}
      {exported && typeof exported !== 'string' && (
        <Alert color="green" title={`Saved ${exported.fileName}`} data-testid="export-done">
          <Text size="sm">It holds (no secrets):</Text>
          <List size="sm">
            {exported.files.map((f) => (
              <List.Item key={f}>{f}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}
