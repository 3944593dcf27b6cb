// Bounds on what a topology may hold, checked before any expensive work: a file the wizard cannot
// use (a huge one, a binary one, one listing a hundred thousand nodes) is refused in milliseconds
// with a message saying so, instead of being parsed and cross-checked for minutes.
import type { TopologyError } from './types.ts';

/**
 * The largest topology file read, in UTF-8 bytes. 1,000 nodes take about 60 KB of YAML; parsing
 * YAML costs about 1 s per MB here, so the bound keeps even a refused file cheap.
 */
export const TOPOLOGY_TEXT_MAX_BYTES = 256 * 1024;
/** The most nodes a topology lists (each one a BGP neighbor on the router). */
export const TOPOLOGY_MAX_NODES = 1000;
/** The most address pools a topology lists. */
export const TOPOLOGY_MAX_POOLS = 100;
/** The most entries (CIDRs or ranges) one pool lists. */
export const TOPOLOGY_MAX_POOL_ENTRIES = 100;

// Binary files decode to NUL and to U+FFFD for every invalid UTF-8 sequence. A text file may hold a
// stray one (a Latin-1 letter in a comment); this many, or this share of the text, is binary.
const BINARY_CHARACTER_COUNT = 8;
const BINARY_CHARACTER_SHARE = 0.05;
const NUL = 0;
const REPLACEMENT_CHARACTER = 0xfffd;

const grouped = (count: number): string => count.toLocaleString('en-US');

/** Whether a UTF-16 code unit is what binary data decodes to: U+FFFD or a C0 control but tab/CR/LF. */
function isBinaryUnit(code: number): boolean {
  if (code === REPLACEMENT_CHARACTER) return true;
  return code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;
}

/** The UTF-8 size of the text, counted only as far as needed to tell whether it exceeds `max`. */
function utf8SizeExceeds(text: string, max: number): boolean {
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= max; i++) {
    const code = text.charCodeAt(i);
    // A surrogate pair is 4 bytes: 2 for each half.
    bytes += code < 0x80 ? 1 : code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 2 : 3;
  }
  return bytes > max;
}

/** Where the text shows it is binary (its first NUL, else its first binary unit), if it does. */
function binaryOffset(text: string): number | undefined {
  const nul = text.indexOf(String.fromCharCode(NUL));
  if (nul >= 0) return nul;
  const needed = Math.max(
    1,
    Math.min(BINARY_CHARACTER_COUNT, Math.ceil(text.length * BINARY_CHARACTER_SHARE)),
  );
  let first: number | undefined;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    if (!isBinaryUnit(text.charCodeAt(i))) continue;
    first ??= i;
    if (++count >= needed) return first;
  }
  return undefined;
}

/**
 * Why the text of a topology file cannot be read at all (too large, or not text), or undefined.
 * `where(offset)` gives the `file:line:column` prefix of a position. Never quotes the text.
 */
export function topologyTextProblem(
  text: string,
  fileName: string,
  where: (offset: number) => string,
): TopologyError | undefined {
  if (utf8SizeExceeds(text, TOPOLOGY_TEXT_MAX_BYTES)) {
    return {
      path: '',
      message: `${fileName} is larger than ${grouped(TOPOLOGY_TEXT_MAX_BYTES)} bytes, the most a topology file may hold (TOPOLOGY_TEXT_MAX_BYTES); a topology of ${grouped(TOPOLOGY_MAX_NODES)} nodes takes about 60 KB, so check that this is the right file`,
    };
  }
  const offset = binaryOffset(text);
  if (offset !== undefined) {
    return {
      path: '',
      message: `${where(offset)}: ${fileName} is not a text file (it holds NUL bytes or bytes that are not UTF-8, the first at this position); give the topology's YAML or JSON file, saved as UTF-8, like examples/article-topology.yaml`,
    };
  }
  return undefined;
}

function recordOrUndefined(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Lists longer than the limits (nodes, pools, entries of a pool), found by reading only their
 * lengths, so an oversized topology is refused before it is walked or cross-checked.
 */
export function topologyCountProblems(input: unknown): TopologyError[] {
  const cluster = recordOrUndefined(recordOrUndefined(input)?.cluster);
  const nodes = cluster?.nodes;
  const pools = cluster?.pools;
  const problems: TopologyError[] = [];
  if (Array.isArray(nodes) && nodes.length > TOPOLOGY_MAX_NODES) {
    problems.push({
      path: 'cluster.nodes',
      message: `cluster.nodes lists ${grouped(nodes.length)} nodes, more than the ${grouped(TOPOLOGY_MAX_NODES)} a topology may hold (TOPOLOGY_MAX_NODES); list only the nodes that should peer with the router`,
    });
  }
  if (Array.isArray(pools) && pools.length > TOPOLOGY_MAX_POOLS) {
    problems.push({
      path: 'cluster.pools',
      message: `cluster.pools lists ${grouped(pools.length)} pools, more than the ${grouped(TOPOLOGY_MAX_POOLS)} a topology may hold (TOPOLOGY_MAX_POOLS); merge pools that serve the same services`,
    });
  } else if (Array.isArray(pools)) {
    pools.forEach((pool, index) => {
      const addresses = recordOrUndefined(pool)?.addresses;
      if (!Array.isArray(addresses) || addresses.length <= TOPOLOGY_MAX_POOL_ENTRIES) return;
      problems.push({
        path: `cluster.pools.${index}.addresses`,
        message: `cluster.pools.${index}.addresses lists ${grouped(addresses.length)} entries, more than the ${grouped(TOPOLOGY_MAX_POOL_ENTRIES)} a pool may hold (TOPOLOGY_MAX_POOL_ENTRIES); write adjacent addresses as one range or CIDR`,
      });
    });
  }
  return problems;
}
