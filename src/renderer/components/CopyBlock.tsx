// A block of exact text (YAML, router commands) with a copy button.

import { Box, Button, Code, CopyButton, Group, ScrollArea, Text } from '@mantine/core';

export function CopyBlock({ label, text, testId }: { label: string; text: string; testId?: string }) {
  return (
    <Box>
      <Group justify="space-between" mb={4}>
        <Text fw={600} size="sm">
          {label}
        </Text>
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button
              size="compact-xs"
              variant="light"
              color={copied ? 'green' : undefined}
              onClick={copy}
              aria-label={`Copy ${label}`}
              data-testid={testId ? `${testId}-copy` : undefined}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <ScrollArea.Autosize mah={360} type="auto">
        <Code block data-testid={testId} aria-label={label}>
          {text}
        </Code>
      </ScrollArea.Autosize>
    </Box>
  );
}
