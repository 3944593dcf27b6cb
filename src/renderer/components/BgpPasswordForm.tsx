// The BGP session (MD5) password the topology asks for (router.bgpPassword): typed here, sent once
// to main with bgp.setPassword, and cleared from the page at once. Main puts it on the router and in
// MetalLB's Secret; it never comes back.

import { useState } from 'react';
import { Alert, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { bgpPasswordProblem } from '../../shared/plan/index.ts';
import { setBgpPassword } from '../store/actions.ts';
import { useSecrets } from '../store/secrets.ts';

export function BgpPasswordForm({ onHeld }: { onHeld: () => void }) {
  const password = useSecrets((s) => s.bgpPassword);
  const [saving, setSaving] = useState(false);
  // The planner's own rule, shown as the user types; main checks it again.
  const problem = password ? bgpPasswordProblem(password) : undefined;
  const submit = async (): Promise<void> => {
    setSaving(true);
    try {
      if (await setBgpPassword()) onHeld();
    } finally {
      setSaving(false);
    }
  };
  return (
    <Alert color="blue" title="The topology asks for a BGP session password" data-testid="bgp-password-form">
      <Stack gap="xs">
        <Text size="sm">
          The router and every MetalLB speaker will require it (TCP MD5). The app keeps it for this router and
          shows it nowhere; it is never part of an export.
        </Text>
        <Group align="flex-end">
          <PasswordInput
            label="BGP password"
            autoComplete="new-password"
            description="8 to 80 letters, digits and . _ : / -"
            error={problem}
            value={password}
            onChange={(e) => useSecrets.getState().set({ bgpPassword: e.currentTarget.value })}
            data-testid="bgp-password"
            style={{ flex: 1 }}
          />
          <Button
            onClick={() => void submit()}
            loading={saving}
            disabled={password.length === 0 || problem !== undefined}
            data-testid="bgp-password-save"
          >
            Use this password
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
