import { Alert, Button, Center, Code, Container, List, Stack, Text, Title } from '@mantine/core';

/** Shown when the page runs without the app's backend (opened as a plain file or without the token). */
export function BackendMissing({ detail, onRetry }: { detail?: string; onRetry?: () => void }) {
  return (
    <Container size="sm" py="xl">
      <Center>
        <Stack>
          <Title order={1} size="h2">
            MetalLB BGP Wizard
          </Title>
          <Alert color="orange" title="Backend not connected" role="alert" data-testid="backend-missing">
            <Stack gap="xs">
              <Text size="sm">
                This page is the wizard&apos;s interface, but the part that talks to your router and cluster
                is not reachable from it, so nothing can be done here yet.
              </Text>
              {detail && (
                <Text size="sm" data-testid="backend-missing-detail">
                  {detail}
                </Text>
              )}
              <List size="sm">
                <List.Item>
                  Try the demo: <Code>npm run demo</Code>, then open the{' '}
                  <Code>Wizard: http://127.0.0.1:…</Code> address it prints (with its token).
                </List.Item>
                <List.Item>
                  Your own network: <Code>npm run app</Code>, or the desktop app.
                </List.Item>
              </List>
              {onRetry && (
                <Button size="xs" variant="light" onClick={onRetry} style={{ alignSelf: 'flex-start' }}>
                  Try again
                </Button>
              )}
            </Stack>
          </Alert>
        </Stack>
      </Center>
    </Container>
  );
}
