// The header's actions: import a topology or bundle, Help → diagnostics, start over.

import { useRef, useState } from 'react';
import { Alert, Button, FileButton, Group, Menu } from '@mantine/core';
import { exportDiagnostics, importFile } from '../store/actions.ts';
import { useWizard } from '../store/wizard.ts';

export function AppMenu({ onImported }: { onImported?: () => void }) {
  const reset = useWizard((s) => s.reset);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const resetRef = useRef<() => void>(null);
  return (
    <Group gap="xs">
      <FileButton
        resetRef={resetRef}
        accept=".yaml,.yml,.json,.zip"
        onChange={(file) => {
          if (!file) return;
          void importFile(file).then((error) => {
            resetRef.current?.();
            setMessage(
              error ? { tone: 'error', text: error } : { tone: 'ok', text: `Imported ${file.name}.` },
            );
            if (!error) onImported?.();
          });
        }}
      >
        {(props) => (
          <Button variant="default" size="xs" {...props} data-testid="import-file">
            Import…
          </Button>
        )}
      </FileButton>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" size="xs" data-testid="help-menu">
            Help
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            data-testid="export-diagnostics"
            onClick={() =>
              void exportDiagnostics().then((error) =>
                setMessage(
                  error
                    ? { tone: 'error', text: error }
                    : { tone: 'ok', text: 'Diagnostics saved (no secrets).' },
                ),
              )
            }
          >
            Export diagnostics…
          </Menu.Item>
          <Menu.Item onClick={reset} data-testid="start-over">
            Start the setup over
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {message && (
        <Alert
          color={message.tone === 'ok' ? 'green' : 'red'}
          withCloseButton
          onClose={() => setMessage(null)}
          py={4}
          role={message.tone === 'error' ? 'alert' : 'status'}
        >
          {message.text}
        </Alert>
      )}
    </Group>
  );
}
