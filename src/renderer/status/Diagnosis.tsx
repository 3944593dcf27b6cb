// A diagnosis as the user reads it: what the state means, then the likely causes, each with what
// to do. Shared by the live neighbor table and the pasted-output view.

import { Badge, List, Stack, Text } from '@mantine/core';
import type { Diagnosis } from '../../shared/diagnose/index.ts';

export function DiagnosisView({ diagnosis }: { diagnosis: Diagnosis }) {
  return (
    <Stack gap={4} data-testid="diagnosis">
      <Text size="sm">{diagnosis.summary}</Text>
      {diagnosis.causes.length > 0 && (
        <List size="sm" spacing={4} aria-label={`Likely causes for ${diagnosis.address}`}>
          {diagnosis.causes.map((cause) => (
            <List.Item key={cause.code + cause.text}>
              <Badge size="xs" variant="light" color={cause.confirmed ? 'red' : 'gray'} mr={6}>
                {cause.confirmed ? 'confirmed' : 'possible'}
              </Badge>
              {cause.text}{' '}
              <Text span size="sm" fw={600}>
                What to do:
              </Text>{' '}
              {cause.whatToDo}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
