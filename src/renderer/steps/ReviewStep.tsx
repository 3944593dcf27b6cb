import { Alert, Badge, Box, Code, List, ScrollArea, Stack, Tabs, Text } from '@mantine/core';
import { stringify } from 'yaml';
import type { ApplyPreview } from '../../shared/contract.ts';
import type { PreviewLine } from '../../shared/plan/index.ts';
import { BgpPasswordForm } from '../components/BgpPasswordForm.tsx';
import { CopyBlock } from '../components/CopyBlock.tsx';
import { RemoteView } from '../components/states.tsx';
import { loadPreview } from '../store/actions.ts';
import { useSession } from '../store/session.ts';
import { useWizard } from '../store/wizard.ts';

const KIND_MARK: Record<PreviewLine['kind'], string> = { add: '+', remove: '-', keep: ' ' };
const KIND_COLOR: Record<PreviewLine['kind'], string | undefined> = {
  add: 'var(--mantine-color-green-text)',
  remove: 'var(--mantine-color-red-text)',
  keep: undefined,
};

function Diff({ lines }: { lines: PreviewLine[] }) {
  if (lines.length === 0) return <Text size="sm">No BGP lines.</Text>;
  return (
    <ScrollArea.Autosize mah={360} type="auto">
      <Code block data-testid="review-diff" aria-label="Diff against the router's running configuration">
        {lines.map((l, i) => (
          <Box
            component="span"
            key={`${i}-${l.line}`}
            style={{ color: KIND_COLOR[l.kind], display: 'block' }}
          >
            {`${KIND_MARK[l.kind]} ${l.line}`}
          </Box>
        ))}
      </Code>
    </ScrollArea.Autosize>
  );
}

function metallbYaml(preview: ApplyPreview): string {
  const objects = preview.plan.metallb?.objects ?? [];
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

function PreviewView({ preview }: { preview: ApplyPreview }) {
  const commands = preview.plan.router?.commands ?? [];
  const added = preview.router.preview.filter((l) => l.kind === 'add').length;
  const removed = preview.router.preview.filter((l) => l.kind === 'remove').length;
  return (
    <Stack data-testid="review-preview">
      {preview.router.error && (
        <Alert color="red" title="The router refuses this plan" role="alert" data-testid="review-refused">
          {preview.router.error}
        </Alert>
      )}
      <Alert color={preview.router.unchanged ? 'gray' : 'blue'} title="What Apply will do">
        <List size="sm" spacing={2}>
          <List.Item>
            Cluster:{' '}
            {preview.cluster.willInstall
              ? `install MetalLB ${preview.plan.metallb?.version ?? ''}${preview.cluster.installedVersion ? ` (replacing ${preview.cluster.installedVersion})` : ''}`
              : `MetalLB ${preview.cluster.installedVersion ?? ''} is already installed`}
            , then apply {preview.plan.metallb?.objects.length ?? 0} objects.
          </List.Item>
          <List.Item>
            Router:{' '}
            {preview.router.unchanged
              ? 'already runs this BGP configuration; nothing to change.'
              : `${added} lines added, ${removed} removed, in one script; verified, then saved.`}
          </List.Item>
          {preview.cluster.notes.map((n) => (
            <List.Item key={n}>{n}</List.Item>
          ))}
        </List>
      </Alert>
      <Tabs defaultValue="diff">
        <Tabs.List>
          <Tabs.Tab value="diff" data-testid="review-tab-diff">
            Router diff{' '}
            <Badge size="xs" ml={4} variant="light">
              +{added} −{removed}
            </Badge>
          </Tabs.Tab>
          <Tabs.Tab value="commands" data-testid="review-tab-commands">
            Router commands
          </Tabs.Tab>
          <Tabs.Tab value="metallb" data-testid="review-tab-metallb">
            MetalLB YAML
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="diff" pt="md">
          <Text size="sm" mb="xs">
            Against the router&apos;s running configuration: + is added, − removed, the rest stays.
          </Text>
          <Diff lines={preview.router.preview} />
          {preview.router.script && (
            <Box mt="md">
              <CopyBlock label="The script Apply runs" text={preview.router.script} testId="review-script" />
            </Box>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="commands" pt="md">
          <CopyBlock label="Router commands" text={commands.join('\n')} testId="review-commands" />
        </Tabs.Panel>
        <Tabs.Panel value="metallb" pt="md">
          <CopyBlock label="MetalLB objects" text={metallbYaml(preview)} testId="review-metallb" />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

export function ReviewStep() {
  const preview = useSession((s) => s.preview);
  const previewFor = useSession((s) => s.previewFor);
  const text = useWizard((s) => s.topologyText);
  return (
    <Stack>
      {preview.status === 'ok' && previewFor !== text && (
        <Alert color="yellow" title="The topology changed since this preview">
          Refresh the preview before applying.
        </Alert>
      )}
      {preview.status === 'error' && preview.path === 'router.bgpPassword' && (
        <BgpPasswordForm onHeld={() => void loadPreview()} />
      )}
      <RemoteView
        remote={preview}
        loading="Reading the router's configuration and the cluster…"
        errorTitle="Could not build the preview"
        onRetry={() => void loadPreview()}
        idle={<Text size="sm">Loading the preview…</Text>}
      >
        {(value) => <PreviewView preview={value} />}
      </RemoteView>
    </Stack>
  );
}
