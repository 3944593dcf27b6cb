// `show version`: which dialect the router speaks, and its release.
// EdgeOS: `Version: v2.0.9` + `HW model: EdgeRouter 6P`; VyOS: `Version: VyOS 1.4.0` + `Hardware model: …`.

import { outputLines } from './text.ts';
import type { RouterVersion } from './types.ts';

function fieldValue(lines: readonly string[], label: RegExp): string | null {
  for (const line of lines) {
    const match = label.exec(line);
    const value = match?.[1]?.trim();
    if (value) return value;
  }
  return null;
}

/** The router's dialect and version, or null when the text is not `show version` output. */
export function parseShowVersion(text: string): RouterVersion | null {
  try {
    const lines = outputLines(text);
    const version = fieldValue(lines, /^\s*Version:\s*(.+)$/i);
    if (version === null) return null;
    const vyos = /^VyOS\s+(\S+)/i.exec(version);
    if (vyos?.[1]) {
      const model = fieldValue(lines, /^\s*Hardware model:\s*(.+)$/i);
      return model ? { dialect: 'vyos', version: vyos[1], model } : { dialect: 'vyos', version: vyos[1] };
    }
    // EdgeOS versions read `v1.10.11`, `v2.0.9-hotfix.7`, `v1.9.7+hotfix.4`.
    if (/^v\d+\.\d+\S*$/.test(version)) {
      const model = fieldValue(lines, /^\s*HW model:\s*(.+)$/i);
      return model ? { dialect: 'edgeos', version, model } : { dialect: 'edgeos', version };
    }
    return null;
  } catch {
    // Defence in depth: a caller must never see an exception from a parser.
    return null;
  }
}
