// Finding FRR's JSON inside a capture that may also hold prompts and comment lines.

import { isRecord, outputLines } from './text.ts';

/** The JSON object the capture holds, or null when it holds none (or it does not parse). */
export function extractJsonObject(text: unknown): Record<string, unknown> | null {
  const body = outputLines(text).join('\n');
  const start = body.indexOf('{');
  if (start < 0 || body.slice(0, start).trim() !== '') return null;
  const candidates = [body.slice(start), body.slice(start, body.lastIndexOf('}') + 1)];
  for (const candidate of candidates) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (isRecord(value)) return value;
    } catch {
      // Not JSON in this form; try the next candidate.
    }
  }
  return null;
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
