import { Stack, Text } from '@mantine/core';
import { RouterConnectForm } from '../components/RouterConnectForm.tsx';

export function RouterStep() {
  return (
    <Stack>
      <Text size="sm">
        The wizard signs in over SSH to read the running configuration and, at Apply, to run one script. The
        password goes to the app&apos;s backend only; it is never stored in this window.
      </Text>
      <RouterConnectForm />
    </Stack>
  );
}
