// A tiny shell for the scripts the app sends to the router (the planner's contract):
// `#` comments, `NAME=value`, `$NAME`/`${NAME}`/`"$NAME"`, single and double quotes,
// `;`/newline lists, `A || B`, `A && B`, `{ …; }` groups, `exit N`, `echo`, `true`, `false`.
// Anything else (pipes, redirections, subshells, reserved words such as `for`/`if`) is a syntax
// error, so a planner bug shows up in tests instead of being half-run.

export interface ShellIo {
  out(text: string): void;
  err(text: string): void;
}

/** Runs one command (argv already expanded); resolves to its exit status. */
export type CommandRunner = (argv: string[], io: ShellIo) => Promise<number>;

type Segment = { kind: 'lit'; text: string } | { kind: 'var'; name: string; quoted: boolean };

interface WordToken {
  type: 'word';
  segments: Segment[];
  /** True when the word is exactly an unquoted literal (so `{`, `}` and `NAME=` are recognisable). */
  plain: string | null;
  /** Quotes make a word exist even when it expands to nothing (`""`). */
  quoted: boolean;
  line: number;
}

type Token =
  WordToken | { type: 'op'; op: '||' | '&&' | ';' | '\n'; line: number } | { type: 'eof'; line: number };

type Node =
  | { type: 'simple'; words: WordToken[] }
  | { type: 'group'; body: Node }
  | { type: 'list'; items: Node[] }
  | { type: 'andor'; first: Node; rest: { op: '||' | '&&'; node: Node }[] };

export class ShellSyntaxError extends Error {}

class ExitSignal {
  readonly code: number;
  constructor(code: number) {
    this.code = code;
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

function readVariable(src: string, i: number, quoted: boolean): { segment: Segment; next: number } | null {
  const rest = src.slice(i + 1);
  if (rest.startsWith('{')) {
    const close = rest.indexOf('}');
    const name = rest.slice(1, close);
    if (close < 0 || !(NAME.test(name) || name === '?')) return null;
    return { segment: { kind: 'var', name, quoted }, next: i + 2 + close };
  }
  if (rest.startsWith('?')) return { segment: { kind: 'var', name: '?', quoted }, next: i + 2 };
  const m = NAME.exec(rest);
  return m === null ? null : { segment: { kind: 'var', name: m[0], quoted }, next: i + 1 + m[0].length };
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const unsupported = (what: string): never => {
    throw new ShellSyntaxError(
      `vbash: line ${line}: ${what} is not supported by this router's script runner`,
    );
  };
  while (i < src.length) {
    const c = src[i] ?? '';
    if (c === '\n') {
      tokens.push({ type: 'op', op: '\n', line });
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#') while (i < src.length && src[i] !== '\n') i++;
    else if (src.startsWith('||', i) || src.startsWith('&&', i)) {
      tokens.push({ type: 'op', op: src.slice(i, i + 2) as '||' | '&&', line });
      i += 2;
    } else if (c === ';') {
      tokens.push({ type: 'op', op: ';', line });
      i++;
    } else if ('|&<>()`'.includes(c)) unsupported(`"${c}"`);
    else {
      const segments: Segment[] = [];
      let plain = '';
      let isPlain = true;
      let quoted = false;
      const lit = (text: string) => {
        const last = segments[segments.length - 1];
        if (last?.kind === 'lit') last.text += text;
        else segments.push({ kind: 'lit', text });
      };
      while (
        i < src.length &&
        !' \t\r\n;'.includes(src[i] ?? '') &&
        !src.startsWith('||', i) &&
        !src.startsWith('&&', i)
      ) {
        const ch = src[i] ?? '';
        if ('|&<>()`'.includes(ch)) unsupported(`"${ch}"`);
        if (ch === "'") {
          const end = src.indexOf("'", i + 1);
          if (end < 0)
            throw new ShellSyntaxError(`vbash: line ${line}: unexpected EOF while looking for matching \`''`);
          lit(src.slice(i + 1, end));
          line += src.slice(i, end).split('\n').length - 1;
          isPlain = false;
          quoted = true;
          i = end + 1;
        } else if (ch === '"') {
          isPlain = false;
          quoted = true;
          i++;
          lit('');
          while (i < src.length && src[i] !== '"') {
            const d = src[i] ?? '';
            if (d === '\\' && '"\\$`'.includes(src[i + 1] ?? '')) {
              lit(src[i + 1] ?? '');
              i += 2;
            } else if (d === '$') {
              const v = readVariable(src, i, true);
              if (v === null) {
                lit('$');
                i++;
              } else {
                segments.push(v.segment);
                i = v.next;
              }
            } else if (d === '`') unsupported('"`"');
            else {
              if (d === '\n') line++;
              lit(d);
              i++;
            }
          }
          if (i >= src.length)
            throw new ShellSyntaxError(`vbash: line ${line}: unexpected EOF while looking for matching \`"'`);
          i++;
        } else if (ch === '\\') {
          lit(src[i + 1] ?? '');
          isPlain = false;
          i += 2;
        } else if (ch === '$') {
          const v = readVariable(src, i, false);
          isPlain = false;
          if (v === null) {
            lit('$');
            i++;
          } else {
            segments.push(v.segment);
            i = v.next;
          }
        } else {
          lit(ch);
          plain += ch;
          i++;
        }
      }
      tokens.push({ type: 'word', segments, plain: isPlain ? plain : null, quoted, line });
    }
  }
  tokens.push({ type: 'eof', line });
  return tokens;
}

/** bash's reserved words (in command position); none of their compound commands is supported. */
const RESERVED_WORDS = new Set([
  '!',
  '[[',
  ']]',
  'case',
  'coproc',
  'do',
  'done',
  'elif',
  'else',
  'esac',
  'fi',
  'for',
  'function',
  'if',
  'select',
  'then',
  'time',
  'until',
  'while',
]);

class Parser {
  private pos = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  private peek(): Token {
    return this.tokens[this.pos] ?? { type: 'eof', line: 0 };
  }

  private fail(token: Token): never {
    const shown =
      token.type === 'eof'
        ? 'end of file'
        : token.type === 'op'
          ? token.op === '\n'
            ? 'newline'
            : token.op
          : (token.plain ?? 'word');
    throw new ShellSyntaxError(`vbash: line ${token.line}: syntax error near unexpected token \`${shown}'`);
  }

  private skipNewlines(): void {
    while (this.peek().type === 'op' && (this.peek() as { op: string }).op === '\n') this.pos++;
  }

  private isClosingBrace(t: Token): boolean {
    return t.type === 'word' && t.plain === '}';
  }

  parseScript(): Node {
    const list = this.parseList();
    const t = this.peek();
    if (t.type !== 'eof') this.fail(t);
    return list;
  }

  private parseList(): Node {
    const items: Node[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.type === 'eof' || this.isClosingBrace(t)) break;
      items.push(this.parseAndOr());
      const sep = this.peek();
      if (sep.type === 'op' && (sep.op === ';' || sep.op === '\n')) this.pos++;
      else if (sep.type !== 'eof' && !this.isClosingBrace(sep)) this.fail(sep);
    }
    return { type: 'list', items };
  }

  private parseAndOr(): Node {
    const first = this.parseCommand();
    const rest: { op: '||' | '&&'; node: Node }[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type !== 'op' || (t.op !== '||' && t.op !== '&&')) break;
      this.pos++;
      this.skipNewlines();
      rest.push({ op: t.op, node: this.parseCommand() });
    }
    return rest.length === 0 ? first : { type: 'andor', first, rest };
  }

  private parseCommand(): Node {
    const t = this.peek();
    if (t.type === 'word' && t.plain === '{') {
      this.pos++;
      const body = this.parseList();
      const close = this.peek();
      if (!this.isClosingBrace(close)) this.fail(close);
      this.pos++;
      return { type: 'group', body };
    }
    if (t.type === 'word' && t.plain !== null && RESERVED_WORDS.has(t.plain)) {
      throw new ShellSyntaxError(
        `vbash: line ${t.line}: syntax error near reserved word \`${t.plain}': not supported by this router's script runner`,
      );
    }
    const words: WordToken[] = [];
    for (
      let w = this.peek();
      w.type === 'word' && !(words.length === 0 && w.plain === '}');
      w = this.peek()
    ) {
      words.push(w);
      this.pos++;
    }
    if (words.length === 0) this.fail(t);
    return { type: 'simple', words };
  }
}

export function parseScript(src: string): Node {
  return new Parser(tokenize(src)).parseScript();
}

export interface ScriptOptions {
  io: ShellIo;
  run: CommandRunner;
  vars?: Record<string, string>;
}

class Interpreter {
  status = 0;
  private readonly vars: Map<string, string>;
  private readonly opts: ScriptOptions;
  constructor(opts: ScriptOptions) {
    this.opts = opts;
    this.vars = new Map(Object.entries(opts.vars ?? {}));
  }

  private expand(word: WordToken): string[] {
    // Unquoted expansions split on whitespace; quoted ones stay one word, as in bash.
    const fields: string[] = [];
    let current = '';
    for (const s of word.segments) {
      if (s.kind === 'lit') current += s.text;
      else {
        const value = s.name === '?' ? String(this.status) : (this.vars.get(s.name) ?? '');
        if (s.quoted) current += value;
        else {
          const parts = value.split(/[ \t\n]+/);
          parts.forEach((p, idx) => {
            if (idx > 0) {
              if (current !== '') fields.push(current);
              current = '';
            }
            current += p;
          });
        }
      }
    }
    if (current !== '' || word.quoted) fields.push(current);
    return fields;
  }

  async exec(node: Node): Promise<number> {
    switch (node.type) {
      case 'list':
        for (const item of node.items) this.status = await this.exec(item);
        return this.status;
      case 'group':
        return this.exec(node.body);
      case 'andor': {
        this.status = await this.exec(node.first);
        for (const { op, node: next } of node.rest) {
          if ((op === '||') === (this.status !== 0)) this.status = await this.exec(next);
        }
        return this.status;
      }
      case 'simple':
        return this.simple(node.words);
    }
  }

  private async simple(words: WordToken[]): Promise<number> {
    let i = 0;
    const assignments: [string, string][] = [];
    for (; i < words.length; i++) {
      const w = words[i];
      const first = w?.segments[0];
      const m = first?.kind === 'lit' ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text) : null;
      if (w === undefined || m === null || m[1] === undefined) break;
      const valueWord: WordToken = {
        ...w,
        segments: [
          { kind: 'lit', text: first?.kind === 'lit' ? first.text.slice(m[0].length) : '' },
          ...w.segments.slice(1),
        ],
        plain: null,
      };
      assignments.push([m[1], this.expand(valueWord).join(' ')]);
    }
    const argv = words.slice(i).flatMap((w) => this.expand(w));
    if (argv.length === 0) {
      for (const [k, v] of assignments) this.vars.set(k, v);
      return 0;
    }
    const [cmd, ...args] = argv;
    switch (cmd) {
      case 'exit': {
        const code = args[0] === undefined ? this.status : Number.parseInt(args[0], 10);
        throw new ExitSignal(Number.isNaN(code) ? 2 : code & 255);
      }
      case 'echo': {
        const noNewline = args[0] === '-n';
        this.opts.io.out(`${(noNewline ? args.slice(1) : args).join(' ')}${noNewline ? '' : '\n'}`);
        return 0;
      }
      case 'true':
      case ':':
        return 0;
      case 'false':
        return 1;
      default:
        return this.opts.run(argv, this.opts.io);
    }
  }
}

/** Runs a script; resolves to its exit status (syntax errors print like bash and give 2). */
export async function runScript(src: string, opts: ScriptOptions): Promise<number> {
  let tree: Node;
  try {
    tree = parseScript(src);
  } catch (err) {
    if (err instanceof ShellSyntaxError) {
      opts.io.err(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const interpreter = new Interpreter(opts);
  try {
    return await interpreter.exec(tree);
  } catch (err) {
    if (err instanceof ExitSignal) return err.code;
    throw err;
  }
}
