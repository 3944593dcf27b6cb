// The topology diagram, loaded on demand. Another part of the app provides it in ./diagram/; until
// that folder exists the slot says so instead of breaking the build (import.meta.glob matches
// nothing rather than failing to resolve).

import { Suspense, lazy, useMemo } from 'react';
import type { ComponentType } from 'react';
import { Paper, Text } from '@mantine/core';
import { parse } from 'yaml';
import type { Topology } from '../../shared/topology/index.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { LoadingState } from './states.tsx';

export interface DiagramProps {
  topology: Topology;
  sessions?: Record<string, string>;
}

type DiagramModule = { TopologyDiagram?: ComponentType<DiagramProps>; default?: ComponentType<DiagramProps> };

const modules = import.meta.glob<DiagramModule>('./diagram/index.ts');
const loadDiagram = modules['./diagram/index.ts'];

const LazyDiagram = loadDiagram
  ? lazy(async () => {
      const module = await loadDiagram();
      const component = module.TopologyDiagram ?? module.default;
      if (!component) throw new Error('the diagram module exports no TopologyDiagram');
      return { default: component };
    })
  : null;

/** The topology as the diagram draws it, with the defaults the validator would fill. */
export function topologyOfText(text: string): Topology | null {
  try {
    const raw = parse(text) as Partial<Topology> | null;
    if (!raw || typeof raw !== 'object' || !raw.router || !raw.cluster) return null;
    const router = raw.router as Partial<Topology['router']>;
    return {
      router: {
        ...router,
        dialect: router.dialect ?? 'edgeos',
        ssh: { ...{ host: '', port: 22, username: 'ubnt' }, ...router.ssh },
        maximumPaths: router.maximumPaths ?? 32,
        cluster: { ...{ interface: '', address: '' }, ...router.cluster },
      },
      cluster: { asn: raw.cluster.asn ?? 0, nodes: raw.cluster.nodes ?? [], pools: raw.cluster.pools ?? [] },
      metallb: raw.metallb ?? { version: 'v0.14.9' },
    } as Topology;
  } catch {
    return null;
  }
}

export function DiagramSlot({ text, sessions }: { text: string; sessions?: Record<string, string> }) {
  const topology = useMemo(() => topologyOfText(text), [text]);
  if (!LazyDiagram) {
    return (
      <Paper withBorder p="md" data-testid="diagram-unavailable">
        <Text size="sm" c="dimmed">
          The diagram is not part of this build.
        </Text>
      </Paper>
    );
  }
  if (!topology) {
    return (
      <Paper withBorder p="md">
        <Text size="sm" c="dimmed">
          The diagram appears once the topology reads as router, cluster and nodes.
        </Text>
      </Paper>
    );
  }
  return (
    <ErrorBoundary what="the topology diagram">
      <Suspense fallback={<LoadingState label="Loading the diagram…" />}>
        <LazyDiagram topology={topology} {...(sessions ? { sessions } : {})} />
      </Suspense>
    </ErrorBoundary>
  );
}
