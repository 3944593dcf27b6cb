// Entry points for checking a topology: from an unknown value (IPC, renderer state) or from the
// text of a topology file. Neither ever throws: every problem becomes a {path, message} error.
import { parseAllDocuments } from 'yaml';
import type { YAMLError } from 'yaml';
import { crossFieldErrors } from './crosschecks.ts';
import { dottedPath, fieldLabel, translateIssue } from './messages.ts';
import { TopologySchema } from './schema.ts';
import type { Topology, TopologyError, ValidationResult } from './types.ts';
import { topologyWarnings } from './warnings.ts';

function failure(errors: TopologyError[]): ValidationResult {
  const seen = new Set<string>();
  const unique = errors.filter((error) => {
    const key = `${error.path}\u0000${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ok: false, errors: unique, warnings: [] };
}

function describeCrash(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type ValuePath = (string | number)[];

function exoticKind(value: unknown): string | undefined {
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint')
    return typeof value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return undefined;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'non-plain';
}

/**
 * The path of the first value a topology file cannot hold (YAML !!binary, !!set, dates, class
 * instances, functions). zod would otherwise read a Buffer or Set as an object with odd keys.
 */
function exoticValue(
  value: unknown,
  path: ValuePath,
  seen: Set<object>,
): { path: ValuePath; kind: string } | undefined {
  const kind = exoticKind(value);
  if (kind !== undefined) return { path, kind };
  if (value === null || typeof value !== 'object') return undefined;
  if (seen.has(value)) return { path, kind: 'self-referencing' };
  seen.add(value);
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  for (const [key, child] of entries) {
    const found = exoticValue(child, [...path, key], seen);
    if (found) return found;
  }
  seen.delete(value);
  return undefined;
}

export function validateTopology(input: unknown): ValidationResult {
  try {
    const exotic = exoticValue(input, [], new Set());
    if (exotic) {
      return failure([
        {
          path: dottedPath(exotic.path),
          message: `${fieldLabel(exotic.path)} is a ${exotic.kind} value, which a topology cannot hold; use plain text, numbers, lists and mappings as in the example topology`,
        },
      ]);
    }
    const parsed = TopologySchema.safeParse(input, { reportInput: true });
    if (!parsed.success) return failure(parsed.error.issues.flatMap(translateIssue));
    const topology: Topology = parsed.data;
    const errors = crossFieldErrors(topology);
    if (errors.length > 0) return failure(errors);
    return { ok: true, topology, errors: [], warnings: topologyWarnings(topology) };
  } catch (error) {
    // A bug of ours, not the user's: still report it as data rather than crash the caller.
    return failure([
      {
        path: '',
        message: `the topology could not be checked (internal error: ${describeCrash(error)}); please report this with the topology file`,
      },
    ]);
  }
}

/** The BGP router id the plan uses: router.routerId, else the cluster interface's address. */
export function effectiveRouterId(topology: Topology): string {
  return topology.router.routerId ?? topology.router.cluster.address.split('/')[0] ?? '';
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

function syntaxError(
  fileName: string,
  line: number,
  column: number,
  what: string,
  format: string,
): TopologyError {
  return {
    path: '',
    message: `${fileName}:${line}:${column}: ${format} syntax error: ${what}; fix the ${format} at line ${line} of ${fileName}`,
  };
}

// V8 reports JSON errors with a character offset ("... at position 42 (line 3 column 5)").
function jsonErrorLocation(text: string, message: string): { line: number; column: number } {
  const lineMatch = /line (\d+) column (\d+)/.exec(message);
  if (lineMatch) return { line: Number(lineMatch[1]), column: Number(lineMatch[2]) };
  const positionMatch = /position (\d+)/.exec(message);
  return lineAndColumn(text, positionMatch ? Number(positionMatch[1]) : text.length);
}

function parseJsonText(text: string, fileName: string): { value: unknown } | { error: TopologyError } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = describeCrash(error);
    const { line, column } = jsonErrorLocation(text, message);
    const what = message
      .replace(/\s*(in JSON )?at position \d+.*$/s, '')
      .replace(/\s*\(line \d+ column \d+\)/, '');
    return { error: syntaxError(fileName, line, column, what, 'JSON') };
  }
}

function yamlErrorText(error: YAMLError): string {
  // The library appends " at line N, column M:" and a source excerpt; we print our own location.
  const firstLine = error.message.split('\n')[0] ?? error.message;
  return firstLine.replace(/ at line \d+, column \d+:?$/, '');
}

function parseYamlText(text: string, fileName: string): { value: unknown } | { error: TopologyError } {
  const documents = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(documents) || documents.length === 0) {
    return {
      error: {
        path: '',
        message: `${fileName} holds no topology; write one like examples/article-topology.yaml`,
      },
    };
  }
  const [document, second] = documents;
  if (second) {
    const { line } = lineAndColumn(text, second.range[0]);
    return {
      error: {
        path: '',
        message: `${fileName} holds more than one YAML document (the second starts at line ${line}); keep a single topology per file`,
      },
    };
  }
  const firstError = document?.errors[0];
  if (!document || firstError) {
    const position = firstError?.linePos?.[0] ?? { line: 1, col: 1 };
    return {
      error: syntaxError(
        fileName,
        position.line,
        position.col,
        firstError ? yamlErrorText(firstError) : 'unreadable',
        'YAML',
      ),
    };
  }
  return { value: document.toJS({ maxAliasCount: 100 }) as unknown };
}

/** Parse a topology file's text (YAML, or JSON for *.json names) and validate it. */
export function parseTopologyText(text: string, fileName: string): ValidationResult {
  try {
    if (text.trim() === '') {
      return failure([
        { path: '', message: `${fileName} is empty; write a topology like examples/article-topology.yaml` },
      ]);
    }
    const parsed = /\.json$/i.test(fileName) ? parseJsonText(text, fileName) : parseYamlText(text, fileName);
    if ('error' in parsed) return failure([parsed.error]);
    return validateTopology(parsed.value);
  } catch (error) {
    return failure([
      {
        path: '',
        message: `${fileName} could not be read as a topology (${describeCrash(error)}); check that it is YAML or JSON like examples/article-topology.yaml`,
      },
    ]);
  }
}
