// The topology as a form. Every field reads from and writes to the YAML text (topology-yaml.ts);
// each plan.build error is shown beside the field its path names.

import { useState } from 'react';
import type { ReactNode } from 'react';
import {
  ActionIcon,
  Button,
  Fieldset,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import type { TopologyError } from '../../shared/topology/index.ts';
import type { TopologyFormValues } from '../store/topology-yaml.ts';
import {
  SCALAR_FIELDS,
  pathOf,
  withField,
  withPoolAddresses,
  withRowAdded,
  withRowRemoved,
} from '../store/topology-yaml.ts';

/** Errors whose path is this field's or lies below it (`cluster.pools.0.addresses.1`). */
export function errorsAt(errors: readonly TopologyError[], path: string): TopologyError[] {
  return errors.filter((e) => e.path === path || e.path.startsWith(`${path}.`));
}

/** The paths the form has a field for, so that other errors are listed above it. */
export function fieldPaths(values: TopologyFormValues): string[] {
  return [
    ...SCALAR_FIELDS,
    ...values.nodes.flatMap((_, i) => [`cluster.nodes.${i}.name`, `cluster.nodes.${i}.address`]),
    ...values.pools.flatMap((_, i) => [`cluster.pools.${i}.name`, `cluster.pools.${i}.addresses`]),
  ];
}

export function unplacedErrors(
  errors: readonly TopologyError[],
  values: TopologyFormValues,
): TopologyError[] {
  const paths = fieldPaths(values);
  return errors.filter((e) => !paths.some((p) => e.path === p || e.path.startsWith(`${p}.`)));
}

interface FieldProps {
  label: string;
  path: string;
  value: string;
  errors: readonly TopologyError[];
  onText: (typed: string) => void;
  placeholder?: string;
  description?: string;
}

/** The messages of the errors at this field, as one line; undefined when there are none. */
function errorTextAt(errors: readonly TopologyError[], path: string): string | undefined {
  const messages = errorsAt(errors, path);
  return messages.length > 0 ? messages.map((m) => m.message).join(' ') : undefined;
}

/** A text field over the YAML; keeps what is typed while focused, so a half-typed value survives. */
function YamlField({ label, path, value, errors, onText, placeholder, description }: FieldProps) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <TextInput
      label={label}
      value={draft ?? value}
      placeholder={placeholder}
      description={description}
      data-testid={`field-${path}`}
      error={errorTextAt(errors, path)}
      onFocus={() => setDraft(value)}
      onBlur={() => setDraft(null)}
      onChange={(e) => {
        setDraft(e.currentTarget.value);
        onText(e.currentTarget.value);
      }}
    />
  );
}

/** One row of a list (a node, a pool): its fields, then the button that removes it. */
function ListRow({
  removeLabel,
  onRemove,
  children,
}: {
  removeLabel: string;
  onRemove: () => void;
  children: ReactNode;
}) {
  return (
    <Group align="flex-start" grow={false} wrap="nowrap">
      {children}
      <ActionIcon mt={26} variant="subtle" color="red" aria-label={removeLabel} onClick={onRemove}>
        ✕
      </ActionIcon>
    </Group>
  );
}

/** The button under a list that appends a row to it. */
function AddRowButton({
  testId,
  onAdd,
  children,
}: {
  testId: string;
  onAdd: () => void;
  children: ReactNode;
}) {
  return (
    <Group>
      <Button variant="light" size="xs" data-testid={testId} onClick={onAdd}>
        {children}
      </Button>
    </Group>
  );
}

const DIALECTS = [
  { value: 'edgeos', label: 'EdgeOS (EdgeRouter)' },
  { value: 'vyos', label: 'VyOS 1.4+' },
];
const METALLB_VERSIONS = ['v0.12.1', 'v0.13.12', 'v0.14.9', 'v0.15.3', 'v0.16.1'];

export function TopologyForm({
  text,
  values,
  errors,
  onText,
  caveat,
}: {
  text: string;
  values: TopologyFormValues;
  errors: readonly TopologyError[];
  onText: (text: string) => void;
  /** Shown at the top of the pools: the same-segment caveat. */
  caveat?: ReactNode;
}) {
  const scalar = (path: string, label: string, extra: Partial<FieldProps> = {}) => (
    <YamlField
      key={path}
      label={label}
      path={path}
      value={values.scalars[path] ?? ''}
      errors={errors}
      onText={(typed) => onText(withField(text, pathOf(path), typed))}
      {...extra}
    />
  );
  const select = (path: string, label: string, data: (string | { value: string; label: string })[]) => (
    <Select
      label={label}
      data={data}
      value={values.scalars[path] || null}
      data-testid={`field-${path}`}
      allowDeselect={false}
      error={errorTextAt(errors, path)}
      onChange={(value) => onText(withField(text, pathOf(path), value ?? ''))}
    />
  );
  return (
    <Stack>
      <Fieldset legend="Router">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {select('router.dialect', 'Dialect', DIALECTS)}
          {scalar('router.asn', 'Router ASN')}
          {scalar('router.routerId', 'Router id (optional)', {
            placeholder: 'the cluster interface address',
          })}
          {scalar('router.ssh.host', 'SSH address')}
          {scalar('router.ssh.port', 'SSH port')}
          {scalar('router.ssh.username', 'SSH user')}
          {scalar('router.wan.interface', 'WAN interface (optional)', { placeholder: 'eth0' })}
          {scalar('router.cluster.interface', 'Cluster interface', { placeholder: 'eth1' })}
          {scalar('router.cluster.address', 'Cluster interface address', { placeholder: '192.168.1.1/24' })}
          {scalar('router.lan.interface', 'LAN interface (optional)', { placeholder: 'eth2' })}
          {scalar('router.lan.address', 'LAN interface address (optional)', {
            placeholder: '192.168.2.1/24',
          })}
          {scalar('router.maximumPaths', 'ECMP maximum paths (optional)', { placeholder: '32' })}
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend="Cluster">
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {scalar('cluster.asn', 'Cluster ASN')}
            {select('metallb.version', 'MetalLB version', METALLB_VERSIONS)}
          </SimpleGrid>
          <Text fw={600} size="sm">
            Nodes
          </Text>
          {values.nodes.length === 0 && (
            <Text size="sm" c="dimmed">
              No nodes yet: add them, or use “Fill topology from cluster” on the Cluster step.
            </Text>
          )}
          {values.nodes.map((node, i) => (
            <ListRow
              key={`node-${i}`}
              removeLabel={`Remove node ${i + 1}`}
              onRemove={() => onText(withRowRemoved(text, 'nodes', i))}
            >
              <YamlField
                label={`Node ${i + 1} name`}
                path={`cluster.nodes.${i}.name`}
                value={node.name}
                errors={errors}
                onText={(typed) => onText(withField(text, ['cluster', 'nodes', i, 'name'], typed))}
              />
              <YamlField
                label={`Node ${i + 1} address`}
                path={`cluster.nodes.${i}.address`}
                value={node.address}
                errors={errors}
                onText={(typed) => onText(withField(text, ['cluster', 'nodes', i, 'address'], typed))}
              />
            </ListRow>
          ))}
          <AddRowButton
            testId="add-node"
            onAdd={() =>
              onText(withRowAdded(text, 'nodes', { name: `worker${values.nodes.length + 1}`, address: '' }))
            }
          >
            Add node
          </AddRowButton>
          <Text fw={600} size="sm">
            Address pools
          </Text>
          {caveat}
          {values.pools.map((pool, i) => (
            <ListRow
              key={`pool-${i}`}
              removeLabel={`Remove pool ${i + 1}`}
              onRemove={() => onText(withRowRemoved(text, 'pools', i))}
            >
              <YamlField
                label={`Pool ${i + 1} name`}
                path={`cluster.pools.${i}.name`}
                value={pool.name}
                errors={errors}
                onText={(typed) => onText(withField(text, ['cluster', 'pools', i, 'name'], typed))}
              />
              <YamlField
                label={`Pool ${i + 1} addresses`}
                description="CIDRs or ranges a.b.c.d-a.b.c.e, comma-separated"
                path={`cluster.pools.${i}.addresses`}
                value={pool.addresses.join(', ')}
                errors={errors}
                onText={(typed) => onText(withPoolAddresses(text, i, typed))}
              />
            </ListRow>
          ))}
          <AddRowButton
            testId="add-pool"
            onAdd={() =>
              onText(withRowAdded(text, 'pools', { name: `pool${values.pools.length + 1}`, addresses: [] }))
            }
          >
            Add pool
          </AddRowButton>
        </Stack>
      </Fieldset>
    </Stack>
  );
}
