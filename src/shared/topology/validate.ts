// Entry points for checking a topology: from an unknown value (IPC, renderer state) or from the
// text of a topology file. Neither ever throws: every problem becomes a {path, message} error.
import { isAlias, isCollection, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, YAMLError } from 'yaml';
import { escapeInvisible, quoteInput } from '../net/index.ts';
import { crossFieldErrors } from './crosschecks.ts';
import { jsonSyntaxProblem } from './json-syntax.ts';
import { topologyCountProblems, topologyTextProblem } from './limits.ts';
import { dottedPath, fieldLabel, translateIssue } from './messages.ts';
import { TopologySchema } from './schema.ts';
import type { Topology, TopologyError, ValidationResult } from './types.ts';
import { topologyWarnings } from './warnings.ts';

// Last line of defence: user text is quoted where it enters a message, but a path or message
// must never span lines or hide text whatever a library put into it.
function oneLine(error: TopologyError): TopologyError {
  return { path: escapeInvisible(error.path), message: escapeInvisible(error.message) };
}

function failure(errors: TopologyError[]): ValidationResult {
  const seen = new Set<string>();
  const unique = errors.map(oneLine).filter((error) => {
    const key = `${error.path}\u0000${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ok: false, errors: unique, warnings: [] };
}

// Library and runtime messages may quote the input (JSON.parse does), so only a short, escaped
// first line is ever shown.
function describeCrash(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const firstLine = text.split(/\r?\n/)[0] ?? '';
  return escapeInvisible(firstLine.length > 120 ? `${firstLine.slice(0, 117)}...` : firstLine);
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
    const tooMany = topologyCountProblems(input);
    if (tooMany.length > 0) return failure(tooMany);
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

function parseJsonText(text: string, fileName: string): { value: unknown } | { error: TopologyError } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    // JSON.parse's message quotes the text and often has no position: locate the error ourselves.
    const problem = jsonSyntaxProblem(text);
    if (problem) {
      const { line, column } = lineAndColumn(text, problem.offset);
      return { error: syntaxError(fileName, line, column, problem.what, 'JSON') };
    }
    return {
      error: {
        path: '',
        message: `${fileName} could not be read as JSON (${error instanceof Error ? error.name : 'error'}); check that it is a topology like examples/article-topology.yaml`,
      },
    };
  }
}

function yamlErrorText(error: YAMLError): string {
  // The library appends " at line N, column M:" and a source excerpt; we print our own location.
  const firstLine = error.message.split('\n')[0] ?? error.message;
  const what = firstLine.replace(/ at line \d+, column \d+:?$/, '');
  return escapeInvisible(what.length > 160 ? `${what.slice(0, 157)}...` : what);
}

interface CollectionKey {
  path: (string | number)[];
  kind: 'list' | 'mapping';
  offset: number;
}

/**
 * The first mapping key that is itself a list or mapping (`? [a, b]`). A JS object cannot hold
 * such a key: the yaml library would stringify it (and print a warning on stderr).
 */
function collectionKey(document: Document.Parsed): CollectionKey | undefined {
  const pending: { node: unknown; path: (string | number)[] }[] = [{ node: document.contents, path: [] }];
  // Breadth-first with an index rather than recursion: deep nesting cannot overflow the stack.
  // Aliases are not followed, so an alias bomb costs nothing here.
  for (let next = 0; next < pending.length; next++) {
    const { node, path } = pending[next] ?? { node: undefined, path: [] };
    if (isSeq(node))
      node.items.forEach((item, index) => pending.push({ node: item, path: [...path, index] }));
    if (!isMap(node)) continue;
    for (const pair of node.items) {
      const key: unknown = pair.key;
      const target = isAlias(key) ? key.resolve(document) : key;
      if (isCollection(target)) {
        const offset = isAlias(key) || isCollection(key) ? (key.range?.[0] ?? 0) : 0;
        return { path, kind: isSeq(target) ? 'list' : 'mapping', offset };
      }
      const name = isScalar(target) ? String(target.value) : '';
      pending.push({ node: pair.value, path: [...path, name] });
    }
  }
  return undefined;
}

function collectionKeyError(text: string, fileName: string, found: CollectionKey): TopologyError {
  const { line, column } = lineAndColumn(text, found.offset);
  const where = found.path.length === 0 ? 'at the top level' : `in ${dottedPath(found.path)}`;
  return {
    path: dottedPath(found.path),
    message: `${fileName}:${line}:${column}: a key ${where} is a YAML ${found.kind}, which a topology cannot hold; use a plain name such as router or asn as the key`,
  };
}

function parseYamlText(text: string, fileName: string): { value: unknown } | { error: TopologyError } {
  // logLevel 'error': the library must not print warnings on stderr; we report problems as data.
  const documents = parseAllDocuments(text, { uniqueKeys: true, logLevel: 'error' });
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
  const badKey = collectionKey(document);
  if (badKey) return { error: collectionKeyError(text, fileName, badKey) };
  return { value: document.toJS({ maxAliasCount: 100 }) as unknown };
}

/** The file name as messages show it: as given, or quoted when it holds odd characters. */
function shownFileName(fileName: string): string {
  return /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}"]{1,200}$/u.test(fileName) ? fileName : quoteInput(fileName, 200);
}

/** Parse a topology file's text (YAML, or JSON for *.json names) and validate it. */
export function parseTopologyText(text: string, givenFileName: string): ValidationResult {
  const fileName = shownFileName(givenFileName);
  try {
    // Before anything else: the size and binary checks are what keep a wrong file cheap.
    const unreadable = topologyTextProblem(text, fileName, (offset) => {
      const { line, column } = lineAndColumn(text, offset);
      return `${fileName}:${line}:${column}`;
    });
    if (unreadable) return failure([unreadable]);
    if (text.trim() === '') {
      return failure([
        { path: '', message: `${fileName} is empty; write a topology like examples/article-topology.yaml` },
      ]);
    }
    const isJson = /\.json$/i.test(givenFileName);
    const parsed = isJson ? parseJsonText(text, fileName) : parseYamlText(text, fileName);
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
