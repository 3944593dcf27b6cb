import { Alert, List, SimpleGrid, Stack, Text, Title, Paper } from '@mantine/core';
import { useWizard } from '../store/wizard.ts';

function Changes({ title, items }: { title: string; items: string[] }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Title order={4} mb="xs">
        {title}
      </Title>
      <List size="sm" spacing={4}>
        {items.map((item) => (
          <List.Item key={item}>{item}</List.Item>
        ))}
      </List>
    </Paper>
  );
}

export function WelcomeStep() {
  const presetSource = useWizard((s) => s.presetSource);
  return (
    <Stack>
      <Text>
        This wizard installs MetalLB in BGP mode on your Kubernetes cluster and adds matching BGP neighbors to
        your EdgeRouter (EdgeOS or VyOS), so that LoadBalancer Services get addresses the router load-balances
        across your nodes. Nothing is written before the Apply step, and Review shows every line first.
      </Text>
      {presetSource && (
        <Alert color="blue" title="Pre-filled" data-testid="preset-note">
          The fields are pre-filled from {presetSource}. Click Next through the steps to use them.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Changes
          title="On the router: changes"
          items={[
            'BGP neighbors, one per node, marked with the description mbw-<node>',
            'the BGP router id and maximum-paths (ECMP across the nodes)',
            'a backup of the BGP lines before the change; restored if verification fails',
            'the configuration is saved only after the new sessions verify',
          ]}
        />
        <Changes
          title="On the router: not touched"
          items={[
            'anything outside "protocols bgp": interfaces, firewall, NAT, DHCP',
            'BGP neighbors the wizard did not add (no mbw- description)',
            'a router already running BGP under another AS: the wizard refuses instead',
          ]}
        />
        <Changes
          title="On the cluster: changes"
          items={[
            'MetalLB (the pinned official manifest) in the namespace metallb-system',
            'one IPAddressPool, one BGPPeer (the router) and one BGPAdvertisement',
          ]}
        />
        <Changes
          title="On the cluster: not touched"
          items={[
            'your workloads and Services (they only gain external IPs)',
            'an existing MetalLB installed by someone else: its pools and peers stay',
            'kube-proxy settings (the wizard tells you if something needs changing)',
          ]}
        />
      </SimpleGrid>
    </Stack>
  );
}
