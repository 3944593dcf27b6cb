// The topology file's schema: structure, defaults and the syntax of every single field.
// Checks that relate several fields (overlaps, uniqueness, subnet membership) live in
// validate.ts. Every problem sentence here says what is wrong and what to do; validate.ts
// turns zod's own structural issues into sentences of the same kind.
import * as z from 'zod';
import {
  broadcastAddress,
  formatIpv4,
  networkAddress,
  parseInterfaceCidr,
  parseIpv4,
  parsePoolEntry,
  quoteInput,
} from '../net/index.ts';
import {
  DNS1123_LABEL_MAX,
  DNS1123_SUBDOMAIN_MAX,
  NODE_NAME_MAX,
  ROUTER_DESCRIPTION_MAX,
  isDns1123Subdomain,
  isInterfaceName,
  isNodeName,
  isPoolName,
  isSshHost,
  isUsername,
} from './allowlist.ts';
import { NEWEST_METALLB_VERSION, SUPPORTED_METALLB_VERSIONS } from './types.ts';

export const DEFAULT_SSH_PORT = 22;
export const DEFAULT_SSH_USERNAME = 'ubnt';
export const DEFAULT_MAXIMUM_PATHS = 32;
/** The most ECMP paths EdgeOS/VyOS take (`maximum-paths` 1-255). */
export const MAXIMUM_PATHS_MAX = 255;
export const ASN_MAX = 4294967295;

type ProblemFinder<T> = (value: T) => string | undefined;

const q = (value: string): string => quoteInput(value);

/** Attach a problem finder to a schema as a zod custom issue carrying our own sentence. */
function checked<S extends z.ZodType>(schema: S, findProblem: ProblemFinder<z.output<S>>): S {
  return schema.superRefine((value, ctx) => {
    const problem = findProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}

// ---- single-field problem finders (exported for the renderer's live field validation) ----

const RESERVED_ASNS: Record<number, string> = {
  23456: 'AS_TRANS, reserved for 2-byte/4-byte ASN translation (RFC 6793)',
  65535: 'reserved (RFC 7300)',
  4294967295: 'reserved (RFC 7300)',
};

export const asnProblem: ProblemFinder<number> = (asn) => {
  const advice = 'use an AS number such as 64512 (private range 64512-65534)';
  if (!Number.isInteger(asn)) return `${asn} is not a whole number; ${advice}`;
  if (asn < 1 || asn > ASN_MAX) return `${asn} is outside 1-${ASN_MAX}; ${advice}`;
  const reserved = RESERVED_ASNS[asn];
  if (reserved !== undefined) return `${asn} is ${reserved} and cannot be used; ${advice}`;
  return undefined;
};

export const portProblem: ProblemFinder<number> = (port) =>
  Number.isInteger(port) && port >= 1 && port <= 65535
    ? undefined
    : `${port} is not a TCP port; use a whole number 1-65535 such as 22`;

export const maximumPathsProblem: ProblemFinder<number> = (paths) =>
  Number.isInteger(paths) && paths >= 1 && paths <= MAXIMUM_PATHS_MAX
    ? undefined
    : `${paths} is not a valid path count; use a whole number 1-${MAXIMUM_PATHS_MAX} such as 32 (at least the number of nodes)`;

export const ipv4Problem: ProblemFinder<string> = (text) => {
  const parsed = parseIpv4(text);
  return parsed.ok ? undefined : parsed.problem;
};

export const routerIdProblem: ProblemFinder<string> = (text) => {
  const parsed = parseIpv4(text);
  if (!parsed.ok) return parsed.problem;
  if (parsed.value === 0)
    return `0.0.0.0 is not a usable BGP router id; use the router's address such as 192.168.1.1`;
  return undefined;
};

/** An interface address: a CIDR whose address is a host of its subnet (not network/broadcast). */
export const interfaceAddressProblem: ProblemFinder<string> = (text) => {
  const parsed = parseInterfaceCidr(text);
  if (!parsed.ok) return parsed.problem;
  const cidr = parsed.value;
  const example = 'such as 192.168.1.1/24';
  if (cidr.prefix < 8 || cidr.prefix > 30) {
    return `${q(text)} has prefix /${cidr.prefix}; use a prefix length 8-30 ${example}`;
  }
  if (cidr.address === networkAddress(cidr) || cidr.address === broadcastAddress(cidr)) {
    const which = cidr.address === networkAddress(cidr) ? 'network' : 'broadcast';
    const firstHost = formatIpv4(networkAddress(cidr) + 1);
    return `${q(text)} is the subnet's ${which} address, not a host; use the router's own address ${example} (e.g. ${firstHost}/${cidr.prefix})`;
  }
  return undefined;
};

export const interfaceNameProblem: ProblemFinder<string> = (name) =>
  isInterfaceName(name)
    ? undefined
    : `${q(name)} is not an EdgeOS interface name; use a name such as eth1, eth1.10, switch0, bond0, br0, pppoe0, wg0 or vtun0`;

export const nodeNameProblem: ProblemFinder<string> = (name) => {
  if (isNodeName(name)) return undefined;
  if (name.length > NODE_NAME_MAX && name.length <= DNS1123_SUBDOMAIN_MAX && isDns1123Subdomain(name)) {
    return `${q(name)} is ${name.length} characters long; node names may have at most ${NODE_NAME_MAX} characters here, because the router neighbor description mbw-<name> must fit in ${ROUTER_DESCRIPTION_MAX} characters; use a shorter node name (rename the node in Kubernetes)`;
  }
  return `${q(name)} is not a Kubernetes node name (DNS-1123 subdomain); use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most ${NODE_NAME_MAX} characters, such as worker1 — as \`kubectl get nodes\` shows it`;
};

export const poolNameProblem: ProblemFinder<string> = (name) =>
  isPoolName(name)
    ? undefined
    : `${q(name)} is not a valid pool name (DNS-1123 label); use lowercase letters, digits and '-', starting and ending with a letter or digit, at most ${DNS1123_LABEL_MAX} characters, such as default`;

export const sshHostProblem: ProblemFinder<string> = (host) =>
  isSshHost(host)
    ? undefined
    : `${q(host)} is not an IPv4 address or DNS name; use the router's address such as 192.168.1.1 or a lowercase name such as router.lan`;

export const usernameProblem: ProblemFinder<string> = (name) =>
  isUsername(name)
    ? undefined
    : `${q(name)} is not a valid login name; use lowercase letters, digits, '_' and '-', starting with a letter or '_', at most 32 characters, such as ubnt`;

export const poolEntryProblem: ProblemFinder<string> = (text) => {
  const parsed = parsePoolEntry(text);
  return parsed.ok ? undefined : parsed.problem;
};

// ---- schema ----

const asn = checked(z.number(), asnProblem);
const interfaceName = checked(z.string(), interfaceNameProblem);

export const SshSchema = z.strictObject({
  host: checked(z.string(), sshHostProblem),
  port: checked(z.number(), portProblem).default(DEFAULT_SSH_PORT),
  username: checked(z.string(), usernameProblem).default(DEFAULT_SSH_USERNAME),
});

export const WanSchema = z.strictObject({ interface: interfaceName });

export const ClusterInterfaceSchema = z.strictObject({
  interface: interfaceName,
  address: checked(z.string(), interfaceAddressProblem),
});

export const LanSchema = z.strictObject({
  interface: interfaceName,
  address: checked(z.string(), interfaceAddressProblem).optional(),
});

export const RouterSchema = z.strictObject({
  dialect: z.enum(['edgeos', 'vyos']),
  ssh: SshSchema,
  asn,
  routerId: checked(z.string(), routerIdProblem).optional(),
  maximumPaths: checked(z.number(), maximumPathsProblem).default(DEFAULT_MAXIMUM_PATHS),
  wan: WanSchema.optional(),
  cluster: ClusterInterfaceSchema,
  lan: LanSchema.optional(),
  bgpPassword: z.boolean().optional(),
});

export const NodeSchema = z.strictObject({
  name: checked(z.string(), nodeNameProblem),
  address: checked(z.string(), ipv4Problem),
});

export const PoolSchema = z.strictObject({
  name: checked(z.string(), poolNameProblem),
  addresses: z.array(checked(z.string(), poolEntryProblem)).min(1),
});

export const ClusterSchema = z.strictObject({
  asn,
  nodes: z.array(NodeSchema).min(1),
  pools: z.array(PoolSchema).min(1),
});

export const MetallbSchema = z.strictObject({
  version: z.enum(SUPPORTED_METALLB_VERSIONS).default(NEWEST_METALLB_VERSION),
});

export const TopologySchema = z.strictObject({
  router: RouterSchema,
  cluster: ClusterSchema,
  metallb: MetallbSchema.default({ version: NEWEST_METALLB_VERSION }),
});

/** Allowed field names per object, keyed by dotted path with `*` for array indexes. */
export const KNOWN_FIELDS: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(TopologySchema.shape),
  router: Object.keys(RouterSchema.shape),
  'router.ssh': Object.keys(SshSchema.shape),
  'router.wan': Object.keys(WanSchema.shape),
  'router.cluster': Object.keys(ClusterInterfaceSchema.shape),
  'router.lan': Object.keys(LanSchema.shape),
  cluster: Object.keys(ClusterSchema.shape),
  'cluster.nodes.*': Object.keys(NodeSchema.shape),
  'cluster.pools.*': Object.keys(PoolSchema.shape),
  metallb: Object.keys(MetallbSchema.shape),
};
