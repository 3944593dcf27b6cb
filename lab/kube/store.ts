// In-memory object storage, the emulator's etcd: objects keyed by resource (group/plural),
// namespace and name, a global resourceVersion counter, and an event history so watches can
// resume from a resourceVersion as they do against a real server.

import { randomUUID } from 'node:crypto';

export type KubeObject = Record<string, unknown> & { metadata: ObjectMeta };

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  managedFields?: unknown[];
  [field: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  resource: string;
  object: KubeObject;
  resourceVersion: number;
}

const HISTORY_LIMIT = 5000;

function clone<T>(v: T): T {
  return structuredClone(v);
}

function itemKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export class ObjectStore {
  private readonly data = new Map<string, Map<string, KubeObject>>();
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private readonly history: StoreEvent[] = [];
  private revision = 1;

  currentRevision(): number {
    return this.revision;
  }

  oldestRevisionInHistory(): number {
    return this.history[0]?.resourceVersion ?? this.revision;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.data.get(resource)?.get(itemKey(namespace, name));
    return found ? clone(found) : undefined;
  }

  list(resource: string, namespace?: string): KubeObject[] {
    const items = [...(this.data.get(resource)?.values() ?? [])];
    return items
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .sort((a, b) =>
        itemKey(a.metadata.namespace, a.metadata.name).localeCompare(
          itemKey(b.metadata.namespace, b.metadata.name),
        ),
      )
      .map(clone);
  }

  resources(): string[] {
    return [...this.data.keys()];
  }

  /** Stores a new object; the caller has checked it does not exist. Returns the stored copy. */
  create(resource: string, obj: KubeObject): KubeObject {
    const stored = clone(obj);
    stored.metadata.uid ??= randomUUID();
    stored.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    stored.metadata.resourceVersion = String(++this.revision);
    let bucket = this.data.get(resource);
    if (!bucket) {
      bucket = new Map();
      this.data.set(resource, bucket);
    }
    bucket.set(itemKey(stored.metadata.namespace, stored.metadata.name), stored);
    this.emit('ADDED', resource, stored);
    return clone(stored);
  }

  /** Replaces an existing object; identity fields stay as stored. */
  update(resource: string, obj: KubeObject): KubeObject {
    const bucket = this.data.get(resource);
    const key = itemKey(obj.metadata.namespace, obj.metadata.name);
    const previous = bucket?.get(key);
    if (!bucket || !previous) throw new Error(`store: update of missing ${resource} ${key}`);
    const stored = clone(obj);
    stored.metadata.uid = previous.metadata.uid;
    stored.metadata.creationTimestamp = previous.metadata.creationTimestamp;
    stored.metadata.resourceVersion = String(++this.revision);
    bucket.set(key, stored);
    this.emit('MODIFIED', resource, stored);
    return clone(stored);
  }

  delete(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const bucket = this.data.get(resource);
    const key = itemKey(namespace, name);
    const previous = bucket?.get(key);
    if (!bucket || !previous) return undefined;
    bucket.delete(key);
    // A deleted object's final resourceVersion is the revision of its deletion, as etcd reports.
    const gone = clone(previous);
    gone.metadata.resourceVersion = String(++this.revision);
    this.emit('DELETED', resource, gone);
    return clone(gone);
  }

  onEvent(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after `revision` for a resource, or undefined when history no longer reaches back. */
  eventsSince(resource: string, revision: number): StoreEvent[] | undefined {
    if (revision < this.oldestRevisionInHistory() - 1 && this.history.length >= HISTORY_LIMIT)
      return undefined;
    return this.history.filter((e) => e.resource === resource && e.resourceVersion > revision).map(clone);
  }

  private emit(type: WatchEventType, resource: string, object: KubeObject): void {
    const event: StoreEvent = { type, resource, object: clone(object), resourceVersion: this.revision };
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    for (const l of [...this.listeners]) l(clone(event));
  }
}
