// The user's network drawn read-only: router, its interfaces, the cluster nodes (coloured by their
// BGP session when known), the pools and the LAN. The picture is an image to assistive technology;
// the same facts follow as a list for screen readers.

import { useId, useMemo } from 'react';
import { Background, ReactFlow } from '@xyflow/react';
import type { Edge, Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Badge, Box, Group, Text, VisuallyHidden, useComputedColorScheme } from '@mantine/core';
import type { Topology } from '../../../shared/topology/index.ts';
import { diagramOf } from './layout.ts';
import type { DiagramBox, DiagramLink } from './layout.ts';
import { sessionColorOf, sessionCssColorOf, sessionToneOf } from './session-tone.ts';

export interface TopologyDiagramProps {
  topology: Topology;
  /** Node address → BGP state word as the router prints it (Established, Active, Idle, …). */
  sessions?: Record<string, string>;
  /** Height of the drawing in pixels. */
  height?: number;
}

const BOX_WIDTH = 170;

function borderOf(box: DiagramBox): string {
  if (box.kind === 'node') return `2px solid ${sessionCssColorOf(box.state)}`;
  if (box.kind === 'router') return '2px solid var(--mantine-color-blue-filled, #228be6)';
  if (box.kind === 'pool') return '1px dashed var(--mantine-color-violet-filled, #7950f2)';
  return '1px solid var(--mantine-color-default-border, #ced4da)';
}

function typeOf(box: DiagramBox): 'input' | 'output' | 'default' {
  if (box.kind === 'internet') return 'input';
  if (box.kind === 'node' || box.kind === 'pool' || box.kind === 'clients') return 'output';
  return 'default';
}

function BoxLabel({ box }: { box: DiagramBox }) {
  return (
    <div data-testid={`diagram-${box.kind}-${box.title}`} data-state={box.state}>
      <Text fw={700} size="sm" lh={1.3}>
        {box.title}
      </Text>
      {box.lines.map((line, i) => (
        <Text key={i} size="xs" lh={1.3}>
          {line}
        </Text>
      ))}
    </div>
  );
}

function flowNodeOf(box: DiagramBox): Node {
  return {
    id: box.id,
    type: typeOf(box),
    position: { x: box.x, y: box.y },
    data: { label: <BoxLabel box={box} /> },
    draggable: false,
    selectable: false,
    connectable: false,
    focusable: false,
    style: { width: BOX_WIDTH, border: borderOf(box), padding: 6 },
  };
}

function flowEdgeOf(link: DiagramLink): Edge {
  const up = link.state === undefined || sessionToneOf(link.state) === 'up';
  return {
    id: link.id,
    source: link.source,
    target: link.target,
    label: link.label,
    type: 'smoothstep',
    focusable: false,
    selectable: false,
    style: {
      stroke: link.state === undefined ? undefined : sessionCssColorOf(link.state),
      strokeWidth: 2,
      strokeDasharray: up ? undefined : '6 4',
    },
  };
}

const LEGEND = [
  { state: 'Established', text: 'Established' },
  { state: 'Active', text: 'Active / Connect' },
  { state: 'OpenSent', text: 'OpenSent / OpenConfirm' },
  { state: 'Idle', text: 'Idle / not configured' },
];

export function TopologyDiagram({ topology, sessions, height = 420 }: TopologyDiagramProps) {
  const scheme = useComputedColorScheme('light');
  const captionId = useId();
  const picture = useMemo(() => diagramOf(topology, sessions), [topology, sessions]);
  const nodes = useMemo(() => picture.boxes.map(flowNodeOf), [picture]);
  const edges = useMemo(() => picture.links.map(flowEdgeOf), [picture]);
  return (
    <Box component="figure" m={0} aria-labelledby={captionId} data-testid="topology-diagram">
      <div role="img" aria-label={picture.summary} style={{ height, width: '100%' }}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          colorMode={scheme}
          fitView
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          disableKeyboardA11y
          zoomOnScroll={false}
          preventScrolling={false}
          proOptions={{ hideAttribution: true }}
        >
          <Background />
        </ReactFlow>
      </div>
      {sessions && (
        <Group gap="xs" mt="xs" aria-hidden="true">
          {LEGEND.map((item) => (
            <Badge key={item.state} color={sessionColorOf(item.state)} variant="light" size="sm">
              {item.text}
            </Badge>
          ))}
        </Group>
      )}
      <VisuallyHidden>
        <figcaption id={captionId}>Network diagram of the topology</figcaption>
        <ul>
          {picture.boxes.map((box) => (
            <li key={box.id}>{box.description}</li>
          ))}
        </ul>
      </VisuallyHidden>
    </Box>
  );
}
