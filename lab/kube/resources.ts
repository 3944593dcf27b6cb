// The kinds the emulated API server serves: built-in kinds (some depending on the Kubernetes
// version, as on a real cluster) plus kinds that applied CustomResourceDefinitions register.

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Kinds with a status subresource ignore `status` on writes to the main resource. */
  hasStatus: boolean;
  /** openAPIV3Schema of a CRD version; built-ins are served with an open schema. */
  schema?: Record<string, unknown>;
  /** The CRD name (`plural.group`) for custom kinds. */
  crd?: string;
  /** Columns of a CRD's additionalPrinterColumns, for `kubectl get`. */
  printerColumns?: { name: string; type: string; jsonPath: string; priority?: number }[];
}

export function apiVersionOf(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** Storage key of a resource: version-independent, as etcd keys are. */
export function resourceKey(t: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${t.group}/${t.plural}`;
}

interface BuiltinSpec {
  gv: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  hasStatus?: boolean;
  /** Served only while the minor version is below this (e.g. PodSecurityPolicy: removed in 1.25). */
  removedIn?: number;
}

const BUILTINS: BuiltinSpec[] = [
  {
    gv: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    hasStatus: true,
  },
  { gv: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'], hasStatus: true },
  { gv: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'] },
  { gv: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { gv: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true, shortNames: ['sa'] },
  { gv: 'v1', kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc'], hasStatus: true },
  { gv: 'v1', kind: 'Endpoints', plural: 'endpoints', namespaced: true, shortNames: ['ep'] },
  { gv: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'], hasStatus: true },
  { gv: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'] },
  { gv: 'discovery.k8s.io/v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true },
  {
    gv: 'apps/v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
    shortNames: ['deploy'],
    hasStatus: true,
  },
  {
    gv: 'apps/v1',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    namespaced: true,
    shortNames: ['ds'],
    hasStatus: true,
  },
  {
    gv: 'apps/v1',
    kind: 'ReplicaSet',
    plural: 'replicasets',
    namespaced: true,
    shortNames: ['rs'],
    hasStatus: true,
  },
  { gv: 'rbac.authorization.k8s.io/v1', kind: 'Role', plural: 'roles', namespaced: true },
  { gv: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false },
  { gv: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true },
  {
    gv: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    namespaced: false,
  },
  {
    gv: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    hasStatus: true,
  },
  {
    gv: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    plural: 'validatingwebhookconfigurations',
    namespaced: false,
  },
  {
    gv: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    plural: 'mutatingwebhookconfigurations',
    namespaced: false,
  },
  {
    gv: 'policy/v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    namespaced: true,
    shortNames: ['pdb'],
    hasStatus: true,
  },
  {
    gv: 'policy/v1beta1',
    kind: 'PodSecurityPolicy',
    plural: 'podsecuritypolicies',
    namespaced: false,
    shortNames: ['psp'],
    removedIn: 25,
  },
];

/** Minor version of a `1.30`-style version string; an unparsable one is a caller error. */
export function minorVersion(kubernetesVersion: string): number {
  const m = /^v?1\.(\d+)/.exec(kubernetesVersion);
  if (!m?.[1]) {
    throw new Error(`kubernetesVersion "${kubernetesVersion}" is invalid: use a form like "1.30"`);
  }
  return Number(m[1]);
}

export function builtinTypes(kubernetesVersion: string): ResourceType[] {
  const minor = minorVersion(kubernetesVersion);
  return BUILTINS.filter((b) => b.removedIn === undefined || minor < b.removedIn).map((b) => {
    const slash = b.gv.indexOf('/');
    return {
      group: slash < 0 ? '' : b.gv.slice(0, slash),
      version: slash < 0 ? b.gv : b.gv.slice(slash + 1),
      kind: b.kind,
      plural: b.plural,
      singular: b.kind.toLowerCase(),
      namespaced: b.namespaced,
      shortNames: b.shortNames ?? [],
      categories: [],
      hasStatus: b.hasStatus ?? false,
    };
  });
}

type Obj = Record<string, unknown>;

function asObj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

/** Resource types a CustomResourceDefinition object registers (one per served version). */
export function typesFromCrd(crd: Obj): ResourceType[] {
  const spec = asObj(crd.spec);
  const names = asObj(spec.names);
  const group = String(spec.group ?? '');
  const plural = String(names.plural ?? '');
  const kind = String(names.kind ?? '');
  const versions = Array.isArray(spec.versions) ? (spec.versions as Obj[]) : [];
  return versions
    .filter((v) => v.served !== false)
    .map((v) => {
      const t: ResourceType = {
        group,
        version: String(v.name ?? ''),
        kind,
        plural,
        singular: String(names.singular ?? kind.toLowerCase()),
        namespaced: spec.scope !== 'Cluster',
        shortNames: Array.isArray(names.shortNames) ? names.shortNames.map(String) : [],
        categories: Array.isArray(names.categories) ? names.categories.map(String) : [],
        hasStatus: Boolean(asObj(v.subresources).status),
        crd: `${plural}.${group}`,
      };
      const schema = asObj(v.schema).openAPIV3Schema;
      if (schema && typeof schema === 'object') t.schema = schema as Obj;
      if (Array.isArray(v.additionalPrinterColumns)) {
        t.printerColumns = (v.additionalPrinterColumns as Obj[]).map((c) => ({
          name: String(c.name),
          type: String(c.type ?? 'string'),
          jsonPath: String(c.jsonPath ?? ''),
          priority: typeof c.priority === 'number' ? c.priority : 0,
        }));
      }
      return t;
    });
}

/** All served kinds; CRD kinds come and go as CRDs are established and deleted. */
export class ResourceRegistry {
  private readonly builtins: ResourceType[];
  private custom: ResourceType[] = [];

  constructor(kubernetesVersion: string) {
    this.builtins = builtinTypes(kubernetesVersion);
  }

  all(): ResourceType[] {
    return [...this.builtins, ...this.custom];
  }

  setCustom(types: ResourceType[]): void {
    this.custom = types;
  }

  byPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.all().find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
  }

  /** Any version of a group/plural, for controllers that do not care which version was written. */
  anyVersion(group: string, plural: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.plural === plural);
  }

  groupVersions(): { group: string; versions: string[] }[] {
    const groups = new Map<string, string[]>();
    for (const t of this.all()) {
      const versions = groups.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      groups.set(t.group, versions);
    }
    return [...groups].map(([group, versions]) => ({ group, versions: sortVersions(versions) }));
  }
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function sortVersions(versions: string[]): string[] {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [-1, 0, 0];
    const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  return [...versions].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return rb[0] - ra[0] || rb[1] - ra[1] || rb[2] - ra[2];
  });
}
