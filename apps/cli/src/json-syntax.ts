/**
 * Finds where a JSON text is invalid. `JSON.parse` messages differ between Node versions and
 * some carry no position at all, so a small scanner locates the first error itself.
 */

/** Where and why a JSON text is invalid. */
export interface JsonSyntaxProblem {
  /** What is wrong, such as `expected ',' or '}' after a property value`. */
  message: string;
  /** Zero-based character offset. */
  offset: number;
  /** One-based line. */
  line: number;
  /** One-based column. */
  column: number;
}

class JsonScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function describe(character: string | undefined): string {
  if (character === undefined) return 'the end of the file';
  if (character === '\n') return 'a line break';
  return `'${character}'`;
}

class JsonScanner {
  #offset = 0;

  constructor(private readonly text: string) {}

  scanDocument(): void {
    this.#skipWhitespace();
    this.#value();
    this.#skipWhitespace();
    if (this.#offset < this.text.length) {
      this.#fail(`unexpected ${describe(this.#peek())} after the end of the JSON value`);
    }
  }

  #peek(): string | undefined {
    return this.text[this.#offset];
  }

  #fail(message: string): never {
    throw new JsonScanError(message, this.#offset);
  }

  #skipWhitespace(): void {
    while (this.#offset < this.text.length && /[ \t\n\r]/.test(this.text[this.#offset] ?? '')) {
      this.#offset += 1;
    }
  }

  #expect(character: string, context: string): void {
    if (this.#peek() !== character) {
      this.#fail(`expected '${character}' ${context}, found ${describe(this.#peek())}`);
    }
    this.#offset += 1;
  }

  #value(): void {
    const character = this.#peek();
    if (character === '{') this.#object();
    else if (character === '[') this.#array();
    else if (character === '"') this.#string();
    else if (character === '-' || (character !== undefined && /\d/.test(character))) this.#number();
    else if (character !== undefined && /[a-z]/.test(character)) this.#literal();
    else this.#fail(`expected a value, found ${describe(character)}`);
  }

  #object(): void {
    this.#sequence('}', 'a property value', () => {
      if (this.#peek() !== '"') {
        this.#fail(`expected a double-quoted property name, found ${describe(this.#peek())}`);
      }
      this.#string();
      this.#skipWhitespace();
      this.#expect(':', 'after a property name');
      this.#skipWhitespace();
      this.#value();
    });
  }

  #array(): void {
    this.#sequence(']', 'an array element', () => {
      this.#value();
    });
  }

  /** The comma-separated items of an object or array, from its opening bracket to `close`. */
  #sequence(close: '}' | ']', itemName: string, item: () => void): void {
    this.#offset += 1;
    this.#skipWhitespace();
    if (this.#peek() === close) {
      this.#offset += 1;
      return;
    }
    for (;;) {
      this.#skipWhitespace();
      item();
      this.#skipWhitespace();
      const next = this.#peek();
      if (next === ',') {
        this.#offset += 1;
        continue;
      }
      if (next === close) {
        this.#offset += 1;
        return;
      }
      this.#fail(`expected ',' or '${close}' after ${itemName}, found ${describe(next)}`);
    }
  }

  #string(): void {
    const start = this.#offset;
    this.#offset += 1;
    for (;;) {
      const character = this.#peek();
      if (character === undefined || character === '\n') {
        throw new JsonScanError('unterminated string', start);
      }
      if (character === '"') {
        this.#offset += 1;
        return;
      }
      if (character === '\\') {
        const escaped = this.text[this.#offset + 1];
        if (escaped === 'u') {
          if (!/^[\da-fA-F]{4}$/.test(this.text.slice(this.#offset + 2, this.#offset + 6))) {
            this.#fail('invalid \\u escape in a string');
          }
          this.#offset += 6;
          continue;
        }
        if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) {
          this.#fail('invalid escape in a string');
        }
        this.#offset += 2;
        continue;
      }
      if (character < ' ') this.#fail('control character in a string');
      this.#offset += 1;
    }
  }

  #number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.#offset));
    if (match === null) this.#fail('invalid number');
    this.#offset += match[0].length;
  }

  #literal(): void {
    const match = /^[a-zA-Z]+/.exec(this.text.slice(this.#offset));
    const word = match?.[0] ?? '';
    if (word !== 'true' && word !== 'false' && word !== 'null') {
      this.#fail(`expected a value, found '${word}' (strings need double quotes)`);
    }
    this.#offset += word.length;
  }
}

/** Converts a character offset to a one-based line and column. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/**
 * Locates the first syntax error in `text`, or returns `undefined` when it is valid JSON.
 * A leading byte-order mark is ignored.
 */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    new JsonScanner(body).scanDocument();
    return undefined;
  } catch (error) {
    if (!(error instanceof JsonScanError)) throw error;
    return { message: error.message, offset: error.offset, ...lineAndColumn(body, error.offset) };
  }
}
