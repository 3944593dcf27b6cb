// The topology diagram: read-only drawing of the router, its segments, the nodes and pools.
// Default export too, so callers can React.lazy() it apart from the first screen's bundle.

export { TopologyDiagram } from './TopologyDiagram.tsx';
export { TopologyDiagram as default } from './TopologyDiagram.tsx';
export type { TopologyDiagramProps } from './TopologyDiagram.tsx';
export { diagramOf } from './layout.ts';
export type { DiagramBox, DiagramLink, DiagramPicture } from './layout.ts';
export { sessionColorOf, sessionCssColorOf, sessionToneOf, sessionWordOf } from './session-tone.ts';
export type { SessionTone } from './session-tone.ts';
