// Shared helpers for reading captured router output: cleaning the text, numbers, ASNs, uptimes.
// Everything here takes `unknown` text defensively because callers may hand us anything.

// Prompts as they appear in captures: `user@host:~$ cmd`, `ubnt@ubnt# cmd`, `$ docker exec …`,
// `[user@host ~]$ …`, `# cmd` (root shell), and vtysh's `router# show …`.
const PROMPT_PATTERNS: readonly RegExp[] = [
  /^\s*[\w.-]+@[\w.-]+(?::[^\s$#]*)?\s*[$#>](?:\s|$)/,
  /^\s*\[[^\]\n]*@[^\]\n]*\][$#](?:\s|$)/,
  /^\s*[$%](?:\s|$)/,
  /^\s*[A-Za-z][\w.-]+[#>]\s*(?:show|sh|do)\b/,
];

// `# ` comment lines (fixture headers, shell comments) never carry router output.
const COMMENT_LINE = /^\s*#/;

/** Typographic quotes (a blog's formatting) back to ASCII, so `VRF "default"` reads the same. */
export function normalizeQuotes(text: string): string {
  return text
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'");
}

function stripTerminalNoise(text: string): string {
  return (
    text
      // ANSI colour/cursor sequences from an interactive PTY.
      // eslint-disable-next-line no-control-regex -- matching the escape character is the point
      .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
      // Pager remnants.
      .replace(/--More--|\(END\)/g, '')
      .replace(/[\u00A0\t]/g, ' ')
  );
}

export function isPromptLine(line: string): boolean {
  return PROMPT_PATTERNS.some((pattern) => pattern.test(line));
}

/**
 * The lines of a capture that may hold router output: quotes normalised, prompts and `#` comment
 * lines removed, trailing blanks trimmed. Blank lines are kept because they end tables.
 */
export function outputLines(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  const cleaned = normalizeQuotes(stripTerminalNoise(text));
  return (
    cleaned
      .split(/\r\n|\r|\n/)
      // eslint-disable-next-line no-control-regex -- stray control characters from a PTY capture
      .map((line) => line.replace(/[\u0000-\u001f\u007f]/g, '').trimEnd())
      .filter((line) => !COMMENT_LINE.test(line) && !isPromptLine(line))
  );
}

export function splitWords(line: string): string[] {
  return line
    .trim()
    .split(/\s+/)
    .filter((word) => word.length > 0);
}

/** A non-negative integer written in plain digits, else null. */
export function parseCount(word: string | undefined): number | null {
  if (word === undefined || !/^\d{1,15}$/.test(word)) return null;
  return Number(word);
}

/** An AS number in asplain (`64512`) or asdot (`1.10`) notation, else null. */
export function parseAsn(word: string | undefined): number | null {
  if (word === undefined) return null;
  const plain = parseCount(word);
  if (plain !== null) return plain <= 4294967295 ? plain : null;
  const dot = /^(\d{1,5})\.(\d{1,5})$/.exec(word);
  if (!dot) return null;
  const high = Number(dot[1]);
  const low = Number(dot[2]);
  return high <= 65535 && low <= 65535 ? high * 65536 + low : null;
}

const UNIT_SECONDS: Record<string, number> = { y: 365 * 86400, w: 7 * 86400, d: 86400, h: 3600, m: 60, s: 1 };

/**
 * Seconds in an uptime as routers print it: `00:55:28`, `1d02h54m`, `03w0d00h`, `1y02w3d`;
 * null for `never` or anything else.
 */
export function parseUptimeSeconds(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const text = s.trim();
  const clock = /^(\d{1,4}):(\d{2}):(\d{2})$/.exec(text);
  if (clock) {
    const [hours, minutes, seconds] = [Number(clock[1]), Number(clock[2]), Number(clock[3])];
    if (minutes > 59 || seconds > 59) return null;
    return hours * 3600 + minutes * 60 + seconds;
  }
  if (!/^(?:\d{1,6}[ywdhms])+$/.test(text)) return null;
  let total = 0;
  for (const part of text.matchAll(/(\d+)([ywdhms])/g)) {
    total += Number(part[1]) * (UNIT_SECONDS[part[2] ?? ''] ?? 0);
  }
  return total;
}

/** True when a word is an uptime the routers print (so it can be told apart from a name). */
export function looksLikeUptime(word: string | undefined): boolean {
  if (word === undefined) return false;
  return word === 'never' || parseUptimeSeconds(word) !== null;
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
// Loose on purpose: routers print compressed and full forms, and scoped link-locals.
const IPV6 = /^(?=.*:)[0-9A-Fa-f:.]{2,45}(?:%[\w.-]+)?$/;

export function isIpAddress(word: string | undefined): boolean {
  if (word === undefined) return false;
  if (IPV4.test(word)) return true;
  return IPV6.test(word) && (word.match(/::/g) ?? []).length <= 1 && !/:::/.test(word);
}

/** `spine(10.0.0.1)` (FRR with hostnames shown) splits into address and hostname. */
export function splitHostnameAddress(word: string): { address: string; hostname?: string } {
  const match = /^([^()\s]+)\(([^()\s]+)\)$/.exec(word);
  if (match && isIpAddress(match[2])) return { address: match[2] ?? word, hostname: match[1] };
  return { address: word };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
