// Finding FRR's JSON inside a capture that may also hold prompts and comment lines.

import { isRecord } from './text.ts';

// A capture may carry a banner or a prompt before the JSON; try a few `{` lines as the start.
const MAX_JSON_STARTS = 4;

/**
 * The JSON object a capture holds, or null when it holds none (or it does not parse). Takes the
 * capture as outputLines split it: the parsers split it once for this and for reading text.
 */
export function jsonObjectInLines(lines: readonly string[]): Record<string, unknown> | null {
  const starts: number[] = [];
  for (let index = 0; index < lines.length && starts.length < MAX_JSON_STARTS; index++) {
    if (lines[index]?.trimStart().startsWith('{')) starts.push(index);
  }
  for (const start of starts) {
    const body = lines.slice(start).join('\n');
    for (const candidate of [body, body.slice(0, body.lastIndexOf('}') + 1)]) {
      const value = parseJsonOrNull(candidate);
      if (isRecord(value)) return value;
    }
  }
  return null;
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON in this form: the caller tries the next candidate.
    return null;
  }
}

export function numberField(record: Record<string, unknown>, key: string): number | null {
  const value = record[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function stringField(record: Record<string, unknown>, key: string): string | null {
  const value = record[key];
  return typeof value === 'string' ? value : null;
}

export function booleanField(record: Record<string, unknown>, key: string): boolean | null {
  const value = record[key];
  return typeof value === 'boolean' ? value : null;
}
