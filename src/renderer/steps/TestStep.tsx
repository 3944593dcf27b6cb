import { Suspense, lazy, useState } from 'react';
import {
  Alert,
  Button,
  Group,
  List,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { StatusReport, TestReport } from '../../shared/diagnose/index.ts';
import { Empty, ErrorNote, LoadingState, RemoteView } from '../components/states.tsx';
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';
import { deployEcho, loadServices, removeEcho, runTest } from '../store/actions.ts';
import { useSession } from '../store/session.ts';
import { useWizard } from '../store/wizard.ts';

const ByNodeChart = lazy(() => import('../components/ByNodeChart.tsx'));

export interface ServiceChoice {
  namespace: string;
  name: string;
  ip: string;
}

/** The LoadBalancer Services the router has a route for, from the status report. */
export function servicesOf(report: StatusReport): ServiceChoice[] {
  const out: ServiceChoice[] = [];
  for (const route of report.routes) {
    if (!route.service) continue;
    const ip = route.prefix.split('/')[0] ?? route.prefix;
    for (const ref of route.service.split(',')) {
      const [namespace, name] = ref.trim().split('/');
      if (namespace && name) out.push({ namespace, name, ip });
    }
  }
  return out;
}

function keyOf(s: { namespace: string; name: string }): string {
  return `${s.namespace}/${s.name}`;
}

function Result({ report }: { report: TestReport }) {
  const ok = report.succeeded === report.attempts;
  return (
    <Stack data-testid="test-result">
      <Alert
        color={ok ? 'green' : report.succeeded > 0 ? 'yellow' : 'red'}
        title={`${report.succeeded} of ${report.attempts} requests to ${report.target} answered`}
        data-testid="test-summary"
      >
        <Text size="sm" data-testid="test-latency">
          Latency p50 {report.latencyMs.p50 ?? '—'} ms, max {report.latencyMs.max ?? '—'} ms.
        </Text>
      </Alert>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Stack gap={4}>
          <Title order={5}>Answered by node</Title>
          {Object.keys(report.byNode).length === 0 ? (
            <Empty title="No node answered" />
          ) : (
            <ErrorBoundary what="the chart">
              <Suspense fallback={<LoadingState label="Loading the chart…" />}>
                <ByNodeChart byNode={report.byNode} />
              </Suspense>
            </ErrorBoundary>
          )}
        </Stack>
        <Stack gap={4}>
          <Title order={5}>Per node</Title>
          <Table withTableBorder aria-label="Answers by node" data-testid="test-by-node">
            <Table.Tbody>
              {Object.entries(report.byNode)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([node, count]) => (
                  <Table.Tr key={node}>
                    <Table.Td>{node}</Table.Td>
                    <Table.Td>{count}</Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        </Stack>
      </SimpleGrid>
      {report.failures.length > 0 && (
        <Alert color="red" title="Failures">
          <List size="sm">
            {report.failures.map((f, i) => (
              <List.Item key={`${i}-${f}`}>{f}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {report.notes.length > 0 && (
        <List size="sm" data-testid="test-notes">
          {report.notes.map((n) => (
            <List.Item key={n}>{n}</List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

function EchoOffer() {
  const echo = useSession((s) => s.echo);
  return (
    <Stack>
      <Empty
        title="No LoadBalancer Service has an address yet"
        description="Deploy a small echo service for the test (namespace mbw-echo); remove it after."
      />
      <Group justify="center">
        <Button
          onClick={() => void deployEcho()}
          loading={echo.status === 'loading'}
          data-testid="echo-deploy"
        >
          Deploy the echo service
        </Button>
      </Group>
      {echo.status === 'error' && <ErrorNote title="Echo service" message={echo.message} />}
    </Stack>
  );
}

export function TestStep() {
  const services = useSession((s) => s.services);
  const testing = useSession((s) => s.testing);
  const echoState = useSession((s) => s.echo);
  const report = useWizard((s) => s.test);
  const echo = useWizard((s) => s.echo);
  const target = useWizard((s) => s.testTarget);
  const count = useWizard((s) => s.testCount);
  const patch = useWizard((s) => s.patch);
  const [mode, setMode] = useState<'service' | 'ip'>(target && 'ip' in target ? 'ip' : 'service');
  return (
    <Stack>
      <Text size="sm">
        The router runs curl against the Service&apos;s external IP, as a LAN client would. Each answer says
        which node served it.
      </Text>
      <RemoteView
        remote={services}
        loading="Looking for LoadBalancer Services…"
        errorTitle="Could not list the Services"
        onRetry={() => void loadServices()}
      >
        {(report) => {
          const choices = servicesOf(report);
          const selected = target && 'service' in target ? keyOf(target.service) : null;
          if (choices.length === 0 && mode === 'service') return <EchoOffer />;
          return (
            <Stack>
              <SegmentedControl
                aria-label="Test target"
                value={mode}
                onChange={(v) => setMode(v as 'service' | 'ip')}
                data={[
                  { value: 'service', label: 'LoadBalancer Service' },
                  { value: 'ip', label: 'IP address' },
                ]}
              />
              {mode === 'service' ? (
                <Select
                  label="Service"
                  data-testid="test-service"
                  data={choices.map((c) => ({ value: keyOf(c), label: `${keyOf(c)} (${c.ip})` }))}
                  value={selected && choices.some((c) => keyOf(c) === selected) ? selected : null}
                  placeholder="Pick a Service"
                  onChange={(value) => {
                    const choice = choices.find((c) => keyOf(c) === value);
                    if (choice)
                      patch({ testTarget: { service: { namespace: choice.namespace, name: choice.name } } });
                  }}
                />
              ) : (
                <TextInput
                  label="IP address"
                  data-testid="test-ip"
                  value={target && 'ip' in target ? target.ip : ''}
                  onChange={(e) => patch({ testTarget: { ip: e.currentTarget.value.trim() } })}
                />
              )}
            </Stack>
          );
        }}
      </RemoteView>
      <Group align="flex-end">
        <NumberInput
          label="Requests"
          min={1}
          max={50}
          w={120}
          value={count}
          data-testid="test-count"
          onChange={(v) => patch({ testCount: Math.min(50, Math.max(1, Number(v) || 10)) })}
        />
        <Button
          onClick={() => target && void runTest(target, count)}
          disabled={!target}
          loading={testing.status === 'loading'}
          data-testid="test-run"
        >
          Run test
        </Button>
        {echo && (
          <Button
            variant="default"
            onClick={() => void removeEcho()}
            loading={echoState.status === 'loading'}
            data-testid="echo-remove"
          >
            Remove the echo service
          </Button>
        )}
      </Group>
      {testing.status === 'loading' && <LoadingState label="curl from the router…" />}
      {testing.status === 'error' && (
        <ErrorNote
          title="The test did not run"
          message={testing.message}
          onRetry={() => target && void runTest(target, count)}
        />
      )}
      {report && testing.status !== 'loading' && <Result report={report} />}
    </Stack>
  );
}
