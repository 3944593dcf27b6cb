// The same-segment caveat, shown prominently: a pool inside the cluster's own subnet is reachable
// from the LAN (through the router) but not from the cluster segment itself.

import { Alert, Button, Code, List, Stack, Text } from '@mantine/core';
import type { TopologyWarning } from '../../shared/topology/index.ts';

export function SameSegmentCaveat({
  warning,
  clusterSubnet,
  onAdopt,
}: {
  warning: TopologyWarning;
  clusterSubnet: string;
  onAdopt: (pool: string) => void;
}) {
  const suggestion = warning.suggestion?.pool;
  return (
    <Alert
      color="orange"
      variant="light"
      title="This pool is on the cluster segment: hosts there cannot reach its Services"
      data-testid="same-segment-warning"
      role="alert"
    >
      <Stack gap="xs">
        <Text size="sm">{warning.message}</Text>
        <Text size="sm" fw={600}>
          What it means
        </Text>
        <List size="sm" spacing={2}>
          <List.Item>
            The router learns the Service IPs over BGP and routes them to the nodes: clients on the LAN and
            beyond reach them.
          </List.Item>
          <List.Item>
            Hosts on the cluster segment ({clusterSubnet || 'the cluster subnet'}), including the nodes
            themselves and anything else plugged in there, believe a Service IP is on their own link. They
            send an ARP request for it instead of going through the router, and nobody answers: MetalLB in BGP
            mode does not answer ARP.
          </List.Item>
          <List.Item>
            A pool outside every subnet the router is connected to avoids this: every host sends its traffic
            to the router, which knows the route.
          </List.Item>
        </List>
        {suggestion ? (
          <Button
            color="orange"
            onClick={() => onAdopt(suggestion)}
            data-testid="use-suggested-pool"
            style={{ alignSelf: 'flex-start' }}
          >
            Use {suggestion}
          </Button>
        ) : (
          <Text size="sm">
            No free range was found to suggest: pick a private range outside <Code>{clusterSubnet}</Code> and
            the LAN.
          </Text>
        )}
      </Stack>
    </Alert>
  );
}
