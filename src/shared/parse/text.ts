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

const CODE_0 = '0'.charCodeAt(0);
const CODE_9 = '9'.charCodeAt(0);
const CODE_DOLLAR = '$'.charCodeAt(0);
const CODE_PERCENT = '%'.charCodeAt(0);
const CODE_SPACE = ' '.charCodeAt(0);
const CODE_DEL = 0x7f;

// `# ` comment lines (fixture headers, shell comments) never carry router output.
const COMMENT_LINE = /^\s*#/;

const TYPOGRAPHIC_DOUBLE = /[\u201C\u201D\u201E\u201F\u2033]/g;
const TYPOGRAPHIC_SINGLE = /[\u2018\u2019\u201A\u201B\u2032]/g;
// Text of printable ASCII and line breaks only: none of the cleaning steps below can change it,
// except for pager remnants. Most captures are such text, and one scan for it is far cheaper than
// every replacement over a big table.
const PRINTABLE_ASCII_TEXT = /^[\n\r\x20-\x7e]*$/;
// eslint-disable-next-line no-control-regex -- stray control characters from a PTY capture
const STRAY_CONTROLS = /[\u0000-\u001f\u007f]/g;
const DOLLAR_OR_PERCENT_PROMPT = /^\s*[$%]/;
const LINE_BREAK = /\r\n|\r|\n/;

/** Typographic quotes (a blog's formatting) back to ASCII, so `VRF "default"` reads the same. */
export function normalizeQuotes(text: string): string {
  return text.replace(TYPOGRAPHIC_DOUBLE, '"').replace(TYPOGRAPHIC_SINGLE, "'");
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
 * A cheap necessary condition for isPromptLine, so that table rows skip the patterns: user@host
 * prompts need an `@`, shell prompts a leading `$` or `%`, and vtysh's `router# show` a `#` or
 * `>` followed by `sh` or `do`.
 */
function mayBePrompt(line: string, hasHash: boolean): boolean {
  const first = line.charCodeAt(0);
  // `$`/`%` after blanks: only a line starting with a blank (ASCII, or any non-ASCII one \s
  // matches) needs the pattern.
  const blankFirst = first <= CODE_SPACE || first > CODE_DEL;
  const shellPrompt =
    first === CODE_DOLLAR || first === CODE_PERCENT || (blankFirst && DOLLAR_OR_PERCENT_PROMPT.test(line));
  return (
    shellPrompt ||
    line.includes('@') ||
    ((hasHash || line.includes('>')) && (line.includes('sh') || line.includes('do')))
  );
}

/**
 * The lines of a capture that may hold router output: quotes normalised, prompts and `#` comment
 * lines removed, trailing blanks trimmed. Blank lines are kept because they end tables.
 */
export function outputLines(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  const printable = PRINTABLE_ASCII_TEXT.test(text);
  // `More` rather than `--More--`: searching for a rare first letter is much faster, and a false
  // hit only costs the full cleaning.
  const pager = text.includes('More') || text.includes('(END)');
  const cleaned = printable && !pager ? text : normalizeQuotes(stripTerminalNoise(text));
  // Printable text has no control character for a line to drop.
  const hasControls = !printable;
  const lines = cleaned.includes('\r') ? cleaned.split(LINE_BREAK) : cleaned.split('\n');
  // Kept lines are moved down in place: growing a second array costs more than all the checks.
  let kept = 0;
  for (const raw of lines) {
    const line = (hasControls ? raw.replace(STRAY_CONTROLS, '') : raw).trimEnd();
    const hasHash = line.includes('#');
    if (hasHash && COMMENT_LINE.test(line)) continue;
    if (mayBePrompt(line, hasHash) && isPromptLine(line)) continue;
    lines[kept++] = line;
  }
  lines.length = kept;
  return lines;
}

const WORD = /\S+/g;

/** The whitespace-separated words of a line (none for a blank line). */
export function splitWords(line: string): string[] {
  return line.match(WORD) ?? [];
}

/** A non-negative integer written in plain digits, else null. */
export function parseCount(word: string | undefined): number | null {
  // /^\d{1,15}$/ spelled out: this runs several times per row of every table.
  if (word === undefined || word.length === 0 || word.length > 15) return null;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code < CODE_0 || code > CODE_9) return null;
  }
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

const HOSTNAME_ADDRESS = /^([^()\s]+)\(([^()\s]+)\)$/;
const UPTIME_UNITS = /^(?:\d{1,6}[ywdhms])+$/;
const UNIT_SECONDS: Record<string, number> = { y: 365 * 86400, w: 7 * 86400, d: 86400, h: 3600, m: 60, s: 1 };

/** The value of text[start, end) when it is all ASCII digits (and not empty), else -1. */
function digitsValue(text: string, start: number, end: number): number {
  if (end <= start) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < CODE_0 || code > CODE_9) return -1;
    value = value * 10 + (code - CODE_0);
  }
  return value;
}

/**
 * The seconds of `h:mm:ss` with 1-4 digits of hours (/^(\d{1,4}):(\d{2}):(\d{2})$/ spelled out:
 * every row of a summary has one): null when the minutes or seconds exceed 59, undefined when
 * the text has another form.
 */
function clockSeconds(text: string): number | null | undefined {
  const length = text.length;
  if (length < 7 || length > 10 || text[length - 3] !== ':' || text[length - 6] !== ':') return undefined;
  const hours = digitsValue(text, 0, length - 6);
  const minutes = digitsValue(text, length - 5, length - 3);
  const seconds = digitsValue(text, length - 2, length);
  if (hours < 0 || minutes < 0 || seconds < 0) return undefined;
  if (minutes > 59 || seconds > 59) return null;
  return hours * 3600 + minutes * 60 + seconds;
}

/**
 * Seconds in an uptime as routers print it: `00:55:28`, `1d02h54m`, `03w0d00h`, `1y02w3d`;
 * null for `never` or anything else.
 */
export function parseUptimeSeconds(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const text = s.trim();
  // Both forms start with a digit; most words tried here (interface names) do not.
  const first = text.charCodeAt(0);
  if (!(first >= CODE_0 && first <= CODE_9)) return null;
  const clock = clockSeconds(text);
  if (clock !== undefined) return clock;
  if (!UPTIME_UNITS.test(text)) return null;
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
  if (!word.includes('(')) return { address: word };
  const match = HOSTNAME_ADDRESS.exec(word);
  if (match && isIpAddress(match[2])) return { address: match[2] ?? word, hostname: match[1] };
  return { address: word };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
