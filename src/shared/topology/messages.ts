// Turns zod's structural issues (wrong type, missing field, unknown field, empty list, value
// not in a list) into sentences that name the field, say what is wrong and what to do. Our own
// custom issues already carry such a sentence and pass through unchanged.
import type * as z from 'zod';
import { quoteInput } from '../net/index.ts';
import { KNOWN_FIELDS } from './schema.ts';
import type { TopologyError } from './types.ts';

/** What each field should hold, phrased to follow "use ...". Keys use `*` for array indexes. */
const FIELD_HINTS: Readonly<Record<string, string>> = {
  '': 'a mapping with the sections router, cluster and (optionally) metallb',
  router: 'a mapping with dialect, ssh, asn and cluster (see the example topology)',
  'router.dialect': 'edgeos or vyos',
  'router.ssh': 'a mapping such as { host: 192.168.1.1, port: 22, username: ubnt }',
  'router.ssh.host': "the router's address such as 192.168.1.1",
  'router.ssh.port': 'a port number such as 22',
  'router.ssh.username': 'a login name such as ubnt',
  'router.asn': 'an AS number such as 64512',
  'router.routerId': 'an IPv4 address such as 192.168.1.1',
  'router.maximumPaths': 'a whole number 1-255 such as 32',
  'router.wan': 'a mapping such as { interface: eth0 }',
  'router.wan.interface': 'an interface name such as eth0',
  'router.cluster': 'a mapping such as { interface: eth1, address: 192.168.1.1/24 }',
  'router.cluster.interface': 'an interface name such as eth1',
  'router.cluster.address': 'the interface address with prefix such as 192.168.1.1/24',
  'router.lan': 'a mapping such as { interface: eth2, address: 192.168.2.1/24 }',
  'router.lan.interface': 'an interface name such as eth2',
  'router.lan.address': 'the interface address with prefix such as 192.168.2.1/24',
  cluster: 'a mapping with asn, nodes and pools (see the example topology)',
  'cluster.asn': 'an AS number such as 64512',
  'cluster.nodes': 'a list of nodes such as [{ name: worker1, address: 192.168.1.201 }]',
  'cluster.nodes.*': 'a mapping such as { name: worker1, address: 192.168.1.201 }',
  'cluster.nodes.*.name': 'the Kubernetes node name such as worker1',
  'cluster.nodes.*.address': "the node's InternalIP such as 192.168.1.201",
  'cluster.pools': 'a list of pools such as [{ name: default, addresses: [192.168.100.32/27] }]',
  'cluster.pools.*': 'a mapping such as { name: default, addresses: [192.168.100.32/27] }',
  'cluster.pools.*.name': 'a pool name such as default',
  'cluster.pools.*.addresses': 'a list of CIDRs or ranges such as [192.168.100.32/27]',
  'cluster.pools.*.addresses.*': 'a CIDR or range such as 192.168.100.32/27',
  metallb: 'a mapping such as { version: v0.14.9 }',
  'metallb.version': 'a supported MetalLB version such as v0.14.9',
};

type PathKey = string | number | symbol;

// A key that reads unambiguously inside a dotted path. Anything else (dots, spaces, line breaks,
// controls, huge keys) is shown quoted and shortened so a path stays one short line.
const PLAIN_KEY = /^[A-Za-z0-9_-]{1,64}$/;

/** A key as it appears in a path or message: plain keys as they are, others quoted. */
export function shownKey(key: PathKey): string {
  if (typeof key === 'number') return String(key);
  const text = typeof key === 'symbol' ? (key.description ?? '') : key;
  return PLAIN_KEY.test(text) ? text : quoteInput(text, 40);
}

export function dottedPath(path: readonly PathKey[]): string {
  return path.map(shownKey).join('.');
}

function patternPath(path: readonly PathKey[]): string {
  return path.map((key) => (typeof key === 'number' ? '*' : String(key))).join('.');
}

/** A key always in quotes, e.g. "router" or "a\\nb". */
function quotedKey(key: PathKey): string {
  const shown = shownKey(key);
  return shown.startsWith('"') ? shown : `"${shown}"`;
}

export function fieldLabel(path: readonly PathKey[]): string {
  if (path.length === 0) return 'the topology';
  const last = path[path.length - 1];
  if (typeof last === 'number') return `item ${last} of ${quotedKey(path[path.length - 2] ?? '')}`;
  return quotedKey(last ?? '');
}

function hintFor(path: readonly PathKey[]): string {
  return FIELD_HINTS[patternPath(path)] ?? 'a value like the example topology shows';
}

/** A short description of a YAML/JSON value for "it is ..." sentences. */
export function describeValue(value: unknown): string {
  if (value === null) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') {
    return `the text ${quoteInput(value)}`;
  }
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value} value`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function closestField(unknown: string, known: readonly string[]): string | undefined {
  if (unknown.length > 64) return undefined;
  const scored = known.map((name) => ({
    name,
    distance: editDistance(unknown.toLowerCase(), name.toLowerCase()),
  }));
  scored.sort((a, b) => a.distance - b.distance);
  const best = scored[0];
  return best && best.distance <= 2 ? best.name : undefined;
}

function unknownFieldErrors(issue: z.core.$ZodIssueUnrecognizedKeys): TopologyError[] {
  const known = KNOWN_FIELDS[patternPath(issue.path)] ?? [];
  const where = issue.path.length === 0 ? 'at the top level' : `in ${dottedPath(issue.path)}`;
  return issue.keys.map((key) => {
    const closest = closestField(key, known);
    const advice = closest
      ? `rename it to "${closest}"`
      : `remove it (allowed ${where}: ${known.join(', ')})`;
    return {
      path: dottedPath([...issue.path, key]),
      message: `unknown field ${quoteInput(key)} ${where}; ${advice}`,
    };
  });
}

function typeMessage(issue: z.core.$ZodIssueInvalidType): string {
  const label = fieldLabel(issue.path);
  const hint = hintFor(issue.path);
  if (issue.input === undefined) return `${label} is missing; add it with ${hint}`;
  const numericText = typeof issue.input === 'string' && /^\d+$/.test(issue.input.trim());
  const unquote = issue.expected === 'number' && numericText ? ' (a number, without quotes)' : '';
  return `${label} is ${describeValue(issue.input)}; use ${hint}${unquote}`;
}

function enumMessage(issue: z.core.$ZodIssueInvalidValue): string {
  if (issue.input === undefined)
    return `${fieldLabel(issue.path)} is missing; add it with ${hintFor(issue.path)}`;
  const allowed = issue.values.map(String).join(', ');
  const got = typeof issue.input === 'string' ? quoteInput(issue.input) : describeValue(issue.input);
  return `${got} is not a supported value for ${fieldLabel(issue.path)}; use one of ${allowed}`;
}

function tooSmallMessage(issue: z.core.$ZodIssueTooSmall): string {
  return `${fieldLabel(issue.path)} is empty; add at least one entry: ${hintFor(issue.path)}`;
}

/** One zod issue as one or more friendly errors. */
export function translateIssue(issue: z.core.$ZodIssue): TopologyError[] {
  const path = dottedPath(issue.path);
  switch (issue.code) {
    case 'custom':
      return [{ path, message: issue.message }];
    case 'unrecognized_keys':
      return unknownFieldErrors(issue);
    case 'invalid_type':
      return [{ path, message: typeMessage(issue) }];
    case 'invalid_value':
      return [{ path, message: enumMessage(issue) }];
    case 'too_small':
      return [{ path, message: tooSmallMessage(issue) }];
    default:
      return [
        { path, message: `${fieldLabel(issue.path)} has an unexpected value; use ${hintFor(issue.path)}` },
      ];
  }
}
