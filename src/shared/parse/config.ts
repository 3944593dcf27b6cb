// Reads `show configuration commands` output (EdgeOS and VyOS print the same set-line form).
// Tolerant by design: prompts, banners, blank and unknown lines are skipped, and nothing throws.

const QUOTE_PAIRS: Readonly<Record<string, string>> = {
  "'": "'",
  '"': '"',
  // Captures pasted through word processors turn straight quotes into typographic ones.
  '\u2018': '\u2019',
  '\u2019': '\u2019',
  '\u201C': '\u201D',
  '\u201D': '\u201D',
};

/** Splits one line into words the way vbash would for these simple quoted values. */
export function tokenizeConfigLine(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let index = 0;
  while (index < line.length) {
    const char = line[index] ?? '';
    const closer = QUOTE_PAIRS[char];
    // A typographic quote mid-word is an apostrophe (Bob’s), not the start of a value.
    const opensQuote = closer !== undefined && (!inToken || char === "'" || char === '"');
    if (opensQuote && closer !== undefined) {
      const end = line.indexOf(closer, index + 1);
      const stop = end === -1 ? line.length : end;
      current += line.slice(index + 1, stop);
      inToken = true;
      index = stop + 1;
    } else if (/\s/.test(char)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      index += 1;
    } else {
      current += char;
      inToken = true;
      index += 1;
    }
  }
  if (inToken) tokens.push(current);
  return tokens;
}

/**
 * Each `set …` line as its tokens WITHOUT the leading `set`, quotes removed:
 * `set interfaces ethernet eth0 description 'Outside'` → [interfaces, ethernet, eth0, description, Outside].
 */
export function parseConfigCommands(text: string): string[][] {
  if (typeof text !== 'string') return [];
  const commands: string[][] = [];
  for (const rawLine of text.split(/\r?\n|\r/)) {
    const tokens = tokenizeConfigLine(rawLine.trim());
    if (tokens[0] !== 'set' || tokens.length < 2) continue;
    commands.push(tokens.slice(1));
  }
  return commands;
}

/** One BGP instance: its ASN (as printed; '' when a VyOS tree lacks system-as) and its lines. */
export interface BgpInstance {
  asn: string;
  /**
   * Lines below the instance root: after `protocols bgp <asn>` on EdgeOS, after `protocols bgp`
   * on VyOS 1.4+ (where `system-as N` is one of them).
   */
  body: string[][];
}

export interface BgpSubtree {
  instances: BgpInstance[];
  /** BGP lines in the other dialect's layout: a sign that the dialect setting is wrong. */
  otherLayout: string[][];
}

const ASN_TOKEN = /^\d+$/;

function bgpLines(commands: string[][]): string[][] {
  return commands
    .filter((c) => c[0] === 'protocols' && c[1] === 'bgp' && c.length > 2)
    .map((c) => c.slice(2));
}

function edgeosSubtree(lines: string[][]): BgpSubtree {
  const byAsn = new Map<string, string[][]>();
  const otherLayout: string[][] = [];
  for (const line of lines) {
    const asn = line[0] ?? '';
    if (!ASN_TOKEN.test(asn)) {
      otherLayout.push(line);
      continue;
    }
    const body = byAsn.get(asn) ?? [];
    if (line.length > 1) body.push(line.slice(1));
    byAsn.set(asn, body);
  }
  return { instances: [...byAsn].map(([asn, body]) => ({ asn, body })), otherLayout };
}

function vyosSubtree(lines: string[][]): BgpSubtree {
  const otherLayout = lines.filter((line) => ASN_TOKEN.test(line[0] ?? ''));
  const body = lines.filter((line) => !ASN_TOKEN.test(line[0] ?? ''));
  if (body.length === 0) return { instances: [], otherLayout };
  const systemAs = body.find((line) => line[0] === 'system-as' && line.length === 2);
  return { instances: [{ asn: systemAs?.[1] ?? '', body }], otherLayout };
}

/** The `protocols bgp` part of parsed config commands, laid out as the given dialect expects. */
export function findBgpSubtree(commands: string[][], dialect: 'edgeos' | 'vyos'): BgpSubtree {
  const lines = bgpLines(commands);
  return dialect === 'edgeos' ? edgeosSubtree(lines) : vyosSubtree(lines);
}
