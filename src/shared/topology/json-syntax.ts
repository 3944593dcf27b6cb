// Locates the first syntax error of a JSON text by scanning it ourselves. JSON.parse's own
// message is no use to the user: depending on the error it carries no position, and it quotes
// an excerpt of the text (line breaks and binary included). Only called once JSON.parse has
// failed, so the scanner follows RFC 8259 and does not build any value. It is iterative, so deep
// nesting cannot overflow the stack.

/** Where the text stops being JSON (a UTF-16 offset) and what is wrong there. */
export interface JsonSyntaxProblem {
  offset: number;
  what: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const LITERALS = ['true', 'false', 'null'];
const ENDS_EARLY = 'the text ends too early; close every {, [ and " that is still open';

type Expecting = 'value' | 'key' | 'after-value';

/** A character for a message: printable ASCII as 'x', anything else as its code point. */
function describeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  if (code > 0x20 && code < 0x7f) return `'${character}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

class Scanner {
  readonly text: string;
  offset = 0;

  constructor(text: string) {
    this.text = text;
  }

  get current(): string | undefined {
    return this.text[this.offset];
  }

  skipWhitespace(): void {
    while (this.offset < this.text.length && WHITESPACE.has(this.text[this.offset] ?? '')) this.offset++;
  }

  problem(what: string): JsonSyntaxProblem {
    return this.offset >= this.text.length
      ? { offset: this.text.length, what: ENDS_EARLY }
      : { offset: this.offset, what };
  }

  unexpected(expected: string): JsonSyntaxProblem {
    return this.problem(`unexpected ${describeCharacter(this.current ?? '')}; expected ${expected}`);
  }

  /** Consumes a string starting at the opening quote. */
  string(): JsonSyntaxProblem | undefined {
    this.offset++;
    for (;;) {
      const character = this.current;
      if (character === undefined) return this.problem('');
      if (character === '"') {
        this.offset++;
        return undefined;
      }
      if (character.charCodeAt(0) < 0x20) {
        return this.problem(
          `${describeCharacter(character)} inside a string; write it as an escape such as \\n or \\t`,
        );
      }
      if (character === '\\') {
        const problem = this.escape();
        if (problem) return problem;
      } else {
        this.offset++;
      }
    }
  }

  private escape(): JsonSyntaxProblem | undefined {
    const kind = this.text[this.offset + 1];
    if (kind !== undefined && SIMPLE_ESCAPES.has(kind)) {
      this.offset += 2;
      return undefined;
    }
    if (kind === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.offset + 2, this.offset + 6))) {
      this.offset += 6;
      return undefined;
    }
    this.offset++;
    return this.problem(
      'a backslash in a string starts no valid escape; use \\\\ for a backslash, or \\n, \\t, \\" or \\uXXXX',
    );
  }

  private digits(): number {
    const start = this.offset;
    while (/[0-9]/.test(this.current ?? '')) this.offset++;
    return this.offset - start;
  }

  number(): JsonSyntaxProblem | undefined {
    if (this.current === '-') this.offset++;
    if (this.current === '0') this.offset++;
    else if (this.digits() === 0) return this.unexpected('a digit');
    if (this.current === '.') {
      this.offset++;
      if (this.digits() === 0) return this.unexpected('a digit after the decimal point');
    }
    if (this.current === 'e' || this.current === 'E') {
      this.offset++;
      const sign = this.text[this.offset]; // read afresh: TS narrowed the getter to 'e' | 'E'
      if (sign === '+' || sign === '-') this.offset++;
      if (this.digits() === 0) return this.unexpected('a digit in the exponent');
    }
    return undefined;
  }

  literal(): JsonSyntaxProblem | undefined {
    const word = LITERALS.find((literal) => this.text.startsWith(literal, this.offset));
    if (word === undefined)
      return this.unexpected('a value: an object, list, string, number, true, false or null');
    this.offset += word.length;
    return undefined;
  }
}

/** The first syntax error in the text, or undefined when the scanner finds none. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  const scanner = new Scanner(text);
  const open: ('object' | 'list')[] = [];
  let expecting: Expecting = 'value';
  for (;;) {
    scanner.skipWhitespace();
    const character = scanner.current;
    if (expecting === 'key') {
      if (character !== '"') return scanner.unexpected('a property name in double quotes');
      const problem = scanner.string();
      if (problem) return problem;
      scanner.skipWhitespace();
      if (scanner.current !== ':') return scanner.unexpected("':' after the property name");
      scanner.offset++;
      expecting = 'value';
    } else if (expecting === 'value') {
      if (character === '{' || character === '[') {
        scanner.offset++;
        scanner.skipWhitespace();
        const close = character === '{' ? '}' : ']';
        if (scanner.current === close) {
          scanner.offset++;
          expecting = 'after-value';
        } else {
          open.push(character === '{' ? 'object' : 'list');
          expecting = character === '{' ? 'key' : 'value';
        }
        continue;
      }
      const problem =
        character === '"'
          ? scanner.string()
          : character === '-' || /[0-9]/.test(character ?? '')
            ? scanner.number()
            : scanner.literal();
      if (problem) return problem;
      expecting = 'after-value';
    } else {
      const container = open[open.length - 1];
      if (container === undefined) {
        if (character === undefined) return undefined;
        return scanner.problem(
          `unexpected ${describeCharacter(character)} after the end of the JSON value; remove what follows it`,
        );
      }
      const close = container === 'object' ? '}' : ']';
      if (character === ',') expecting = container === 'object' ? 'key' : 'value';
      else if (character === close) open.pop();
      else return scanner.unexpected(`',' or '${close}'`);
      scanner.offset++;
    }
  }
}
