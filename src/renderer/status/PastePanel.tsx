// Paste what the router printed and read it as a table, with a diagnosis for each cluster node's
// session when the topology is known. Parsing runs in main through the same parsers the live view
// uses.

import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Group, NativeSelect, Stack, Text, Textarea } from '@mantine/core';
import { wizardApi } from '../api.ts';
import type { ParsedOutput } from '../../shared/report.ts';
import type { Topology } from '../../shared/topology/index.ts';
import { failureText } from './format.ts';
import { ParsedView } from './ParsedView.tsx';

type Kind = ParsedOutput['kind'];

const KINDS: { value: Kind; label: string }[] = [
  { value: 'summary', label: 'show ip bgp summary' },
  { value: 'neighbors', label: 'show ip bgp neighbors' },
  { value: 'routes', label: 'show ip route bgp' },
];

type Outcome =
  | { status: 'idle' }
  | { status: 'parsing' }
  | { status: 'parsed'; parsed: ParsedOutput }
  | { status: 'failed'; message: string };

function isKind(value: string): value is Kind {
  return KINDS.some((k) => k.value === value);
}

export function PastePanel({ topology }: { topology: Topology | null }) {
  const [kind, setKind] = useState<Kind>('summary');
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ status: 'idle' });

  async function parse(event: FormEvent) {
    event.preventDefault();
    const api = wizardApi();
    if (api === null) {
      setOutcome({
        status: 'failed',
        message: 'The app backend is not connected; open this window from the app.',
      });
      return;
    }
    setOutcome({ status: 'parsing' });
    try {
      const reply = await api.call('parse.output', { kind, text });
      setOutcome(
        reply.ok
          ? { status: 'parsed', parsed: reply.value }
          : { status: 'failed', message: reply.error.message },
      );
    } catch (error) {
      setOutcome({ status: 'failed', message: failureText(error, 'Parsing the output') });
    }
  }

  return (
    <Stack gap="sm">
      <form onSubmit={(e) => void parse(e)} aria-label="Paste router output">
        <Stack gap="sm">
          <NativeSelect
            label="Output of"
            description="The command whose output you paste, as run on the router."
            data={KINDS}
            value={kind}
            onChange={(e) => {
              if (isKind(e.currentTarget.value)) setKind(e.currentTarget.value);
            }}
          />
          <Textarea
            label="Router output"
            description="Paste the text exactly as the router printed it (EdgeOS, VyOS/FRR text or FRR JSON)."
            autosize
            minRows={4}
            maxRows={14}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <Group>
            <Button type="submit" disabled={text.trim() === ''} loading={outcome.status === 'parsing'}>
              Parse
            </Button>
            {!topology && (
              <Text size="sm" c="dimmed">
                Without a topology the output is parsed but not diagnosed.
              </Text>
            )}
          </Group>
        </Stack>
      </form>
      {outcome.status === 'failed' && (
        <Alert color="red" title="Could not parse the output" role="alert">
          {outcome.message}
        </Alert>
      )}
      {outcome.status === 'parsed' && <ParsedView parsed={outcome.parsed} topology={topology} />}
    </Stack>
  );
}
