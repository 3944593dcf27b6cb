// A panel that fails to render shows a plain message and a retry, never a stack trace.

import { Component } from 'react';
import type { ReactNode } from 'react';
import { Alert, Button, Stack, Text } from '@mantine/core';

interface Props {
  /** What the panel is, for the message ("the topology diagram"). */
  what: string;
  children: ReactNode;
}

interface State {
  message: string | null;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { message: null };

  static getDerivedStateFromError(error: unknown): State {
    return { message: error instanceof Error && error.message ? error.message : 'unknown error' };
  }

  override render(): ReactNode {
    if (this.state.message === null) return this.props.children;
    return (
      <Alert color="red" title={`Could not show ${this.props.what}`} role="alert">
        <Stack gap="xs">
          <Text size="sm">{this.state.message.split('\n')[0]}</Text>
          <Button size="xs" variant="light" onClick={() => this.setState({ message: null })}>
            Try again
          </Button>
        </Stack>
      </Alert>
    );
  }
}
