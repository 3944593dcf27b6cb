// Server-side printing: `kubectl get` asks for meta.k8s.io Table responses and prints the
// columns it receives (priority-1 columns only with -o wide).

import type { ResourceType } from './resources.ts';
import type { KubeObject } from './store.ts';

type Obj = Record<string, unknown>;
type Cell = string | number;

interface Column {
  name: string;
  type: string;
  priority?: number;
  cell: (o: KubeObject) => Cell;
}

function at(o: unknown, path: string): unknown {
  let cur = o;
  for (const seg of path.replace(/^\./, '').split('.')) {
    if (seg === '') continue;
    cur = cur && typeof cur === 'object' ? (cur as Obj)[seg] : undefined;
  }
  return cur;
}

function age(o: KubeObject): string {
  const created = Date.parse(o.metadata.creationTimestamp ?? '');
  if (Number.isNaN(created)) return '<unknown>';
  const s = Math.max(0, Math.floor((Date.now() - created) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

const nameCol: Column = { name: 'Name', type: 'string', cell: (o) => o.metadata.name };
const ageCol: Column = { name: 'Age', type: 'string', cell: age };

function servicePorts(o: KubeObject): string {
  const ports = (at(o, 'spec.ports') as Obj[] | undefined) ?? [];
  if (ports.length === 0) return '<none>';
  return ports
    .map(
      (p) => `${String(p.port)}${p.nodePort ? `:${String(p.nodePort)}` : ''}/${String(p.protocol ?? 'TCP')}`,
    )
    .join(',');
}

function externalIp(o: KubeObject): string {
  const ingress = ((at(o, 'status.loadBalancer.ingress') as Obj[] | undefined) ?? []).map((i) =>
    String(i.ip ?? i.hostname ?? ''),
  );
  const external = (at(o, 'spec.externalIPs') as string[] | undefined) ?? [];
  const all = [...ingress, ...external].filter(Boolean);
  if (all.length) return all.join(',');
  return at(o, 'spec.type') === 'LoadBalancer' ? '<pending>' : '<none>';
}

function nodeAddress(o: KubeObject, type: string): string {
  const found = ((at(o, 'status.addresses') as Obj[] | undefined) ?? []).find((a) => a.type === type);
  return found ? String(found.address) : '<none>';
}

function nodeReady(o: KubeObject): string {
  const c = ((at(o, 'status.conditions') as Obj[] | undefined) ?? []).find((x) => x.type === 'Ready');
  return c?.status === 'True' ? 'Ready' : 'NotReady';
}

function podReady(o: KubeObject): string {
  const statuses = (at(o, 'status.containerStatuses') as Obj[] | undefined) ?? [];
  const total = ((at(o, 'spec.containers') as unknown[] | undefined) ?? []).length;
  return `${statuses.filter((s) => s.ready === true).length}/${total}`;
}

const COLUMNS: Record<string, Column[]> = {
  '/nodes': [
    nameCol,
    { name: 'Status', type: 'string', cell: nodeReady },
    { name: 'Roles', type: 'string', cell: () => '<none>' },
    ageCol,
    { name: 'Version', type: 'string', cell: (o) => String(at(o, 'status.nodeInfo.kubeletVersion') ?? '') },
    { name: 'Internal-IP', type: 'string', priority: 1, cell: (o) => nodeAddress(o, 'InternalIP') },
    { name: 'External-IP', type: 'string', priority: 1, cell: (o) => nodeAddress(o, 'ExternalIP') },
    {
      name: 'OS-Image',
      type: 'string',
      priority: 1,
      cell: (o) => String(at(o, 'status.nodeInfo.osImage') ?? ''),
    },
    {
      name: 'Kernel-Version',
      type: 'string',
      priority: 1,
      cell: (o) => String(at(o, 'status.nodeInfo.kernelVersion') ?? ''),
    },
    {
      name: 'Container-Runtime',
      type: 'string',
      priority: 1,
      cell: (o) => String(at(o, 'status.nodeInfo.containerRuntimeVersion') ?? ''),
    },
  ],
  '/services': [
    nameCol,
    { name: 'Type', type: 'string', cell: (o) => String(at(o, 'spec.type') ?? 'ClusterIP') },
    { name: 'Cluster-IP', type: 'string', cell: (o) => String(at(o, 'spec.clusterIP') ?? '<none>') },
    { name: 'External-IP', type: 'string', cell: externalIp },
    { name: 'Port(s)', type: 'string', cell: servicePorts },
    ageCol,
    {
      name: 'Selector',
      type: 'string',
      priority: 1,
      cell: (o) =>
        Object.entries((at(o, 'spec.selector') as Record<string, string> | undefined) ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>',
    },
  ],
  '/pods': [
    nameCol,
    { name: 'Ready', type: 'string', cell: podReady },
    { name: 'Status', type: 'string', cell: (o) => String(at(o, 'status.phase') ?? 'Pending') },
    { name: 'Restarts', type: 'integer', cell: () => 0 },
    ageCol,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => String(at(o, 'status.podIP') ?? '<none>') },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => String(at(o, 'spec.nodeName') ?? '<none>') },
  ],
  'apps/deployments': [
    nameCol,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => `${Number(at(o, 'status.readyReplicas') ?? 0)}/${Number(at(o, 'spec.replicas') ?? 1)}`,
    },
    { name: 'Up-to-date', type: 'integer', cell: (o) => Number(at(o, 'status.updatedReplicas') ?? 0) },
    { name: 'Available', type: 'integer', cell: (o) => Number(at(o, 'status.availableReplicas') ?? 0) },
    ageCol,
  ],
  'apps/daemonsets': [
    nameCol,
    { name: 'Desired', type: 'integer', cell: (o) => Number(at(o, 'status.desiredNumberScheduled') ?? 0) },
    { name: 'Current', type: 'integer', cell: (o) => Number(at(o, 'status.currentNumberScheduled') ?? 0) },
    { name: 'Ready', type: 'integer', cell: (o) => Number(at(o, 'status.numberReady') ?? 0) },
    ageCol,
  ],
};

function columnsFor(type: ResourceType): Column[] {
  const builtin = COLUMNS[`${type.group}/${type.plural}`];
  if (builtin) return builtin;
  const custom = (type.printerColumns ?? []).map((c): Column => ({
    name: c.name,
    type: c.type,
    priority: c.priority ?? 0,
    cell: (o) => {
      const v = at(o, c.jsonPath);
      return v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    },
  }));
  return [nameCol, ...custom, ageCol];
}

export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => part.includes('as=Table'));
}

export function toTable(type: ResourceType, objects: KubeObject[], resourceVersion: string): Obj {
  const cols = columnsFor(type);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: cols.map((c) => ({
      name: c.name,
      type: c.type,
      format: c === nameCol ? 'name' : '',
      description: c.name,
      priority: c.priority ?? 0,
    })),
    rows: objects.map((o) => ({
      cells: cols.map((c) => c.cell(o)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
