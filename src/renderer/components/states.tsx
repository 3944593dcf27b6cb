// Empty, loading and error states, the same in every panel.

import type { ReactNode } from 'react';
import { Alert, Button, Center, EmptyState, Group, Loader, Stack, Text } from '@mantine/core';
import type { Remote } from '../store/session.ts';

export function LoadingState({ label }: { label: string }) {
  return (
    <Center py="md" role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" aria-hidden />
        <Text size="sm">{label}</Text>
      </Group>
    </Center>
  );
}

export function ErrorNote({
  title,
  message,
  onRetry,
  retryLabel = 'Retry',
  testId,
  children,
}: {
  title: string;
  message: string;
  onRetry?: () => void;
  retryLabel?: string;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <Alert color="red" title={title} role="alert" data-testid={testId}>
      <Stack gap="xs">
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {message}
        </Text>
        {children}
        {onRetry && (
          <Group>
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              {retryLabel}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

export function Empty({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children?: ReactNode;
}) {
  return (
    <EmptyState title={title} description={description} size="sm" py="md">
      {children}
    </EmptyState>
  );
}

/** Draws a Remote: its loading and error states, or the value through `children`. */
export function RemoteView<T>({
  remote,
  loading,
  errorTitle,
  onRetry,
  idle = null,
  children,
}: {
  remote: Remote<T>;
  loading: string;
  errorTitle: string;
  onRetry?: () => void;
  idle?: ReactNode;
  children: (value: T) => ReactNode;
}) {
  switch (remote.status) {
    case 'idle':
      return <>{idle}</>;
    case 'loading':
      return <LoadingState label={loading} />;
    case 'error':
      return <ErrorNote title={errorTitle} message={remote.message} {...(onRetry ? { onRetry } : {})} />;
    case 'ok':
      return <>{children(remote.value)}</>;
  }
}
