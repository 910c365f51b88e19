/**
 * What Python and Node print for a run, read back as the JSON value the API sent:
 * - `print(run)` of the openai SDK: pydantic's repr, `Run(id='run_…', required_action=RequiredAction(
 *   submit_tool_outputs=RequiredActionSubmitToolOutputs(tool_calls=[…]), type='submit_tool_outputs'), …)`;
 *   a list of them, a page (`SyncCursorPage[Run](data=[…], has_more=False, object='list', …)`), and
 *   pydantic's `str()` (`id='run_…' status='queued'`);
 * - a printed dict (`run.to_dict()`, `run.model_dump()`), pprint's many-line layout included;
 * - console.log's object literal (`{ id: 'run_…', status: null }`).
 *
 * Nothing is evaluated: a tokenizer and a recursive-descent parser (with a depth limit) read this
 * literal subset. A constructor's name is dropped, its keyword arguments are the object's fields.
 * What is printed but is not data (`<generator object …>`, console.log's `[Array]` past depth 2,
 * a call with positional arguments) is read as its text and noted. A text that breaks is an error
 * naming the line and column; values before it, and top-level values on later lines, still load.
 */

/** Deeper than this is refused: Python cannot print much deeper (its recursion limit is 1000), and the parser recurses. */
export const MAX_REPR_DEPTH = 1000;

/** A place in the text: 0-based offset, 1-based line and column (UTF-16 code units, as editors count). */
export interface ReprPosition {
  offset: number;
  line: number;
  column: number;
}

/** Which printer a text is from, as far as it tells (for messages). */
export type ReprDialect = 'python' | 'javascript';

/**
 * Something printed that is not all of the data, read as its text: `cut` when the printer left
 * parts out (console.log's `[Object]`, `[Array]`, `... 3 more items`; Python's `...`), `opaque`
 * when it is an object with no data in its print (`<generator object …>`, `datetime(2024, 1, 1)`).
 */
export interface ReprNote {
  kind: 'cut' | 'opaque';
  /** The text as printed (at most 60 characters). */
  text: string;
  at: ReprPosition;
}

export interface ReprError extends ReprPosition {
  reason: string;
}

/** What a text holds: its top-level values (most often one), what was noted and where it broke. */
export interface ReprDocument {
  dialect: ReprDialect;
  values: Array<{value: unknown; at: ReprPosition}>;
  notes: ReprNote[];
  errors: ReprError[];
}

type Punct = '{' | '}' | '[' | ']' | '(' | ')' | ',' | ':' | '=' | '+' | '-' | '>';

type Token =
  | {kind: 'punct'; text: Punct; start: number; end: number}
  | {kind: 'string'; value: string; quote: string; start: number; end: number}
  | {kind: 'number'; value: number; start: number; end: number}
  | {kind: 'name'; text: string; start: number; end: number}
  /** Printed but not data: `<object at 0x…>`, `[Function: f]`, `1j`. */
  | {kind: 'opaque'; note: ReprNote['kind']; start: number; end: number}
  /** Python's `<Enum.MEMBER: ` before the member's value and `>`. */
  | {kind: 'enum'; start: number; end: number}
  /** Left out by the printer: `...`, `... 3 more items`. */
  | {kind: 'more'; start: number; end: number}
  | {kind: 'end'; start: number; end: number};

class SyntaxProblem extends Error {
  constructor(
    readonly offset: number,
    reason: string,
  ) {
    super(reason);
  }
}

const PUNCT = new Set<string>(['{', '}', '[', ']', '(', ')', ',', ':', '=', '+', '-', '>']);
const SPACE = new Set([' ', '\t', '\n', '\r', '\f', '\v', '\u00a0', '\ufeff']);
// Python: decimal with `_` separators, floats, hex/octal/binary; `j` (complex) and `n` (a JS BigInt) after.
const NUMBER = /(?:0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)([jJn]?)/y;
const NAME = /[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/y;
const NAME_CHAR = /[\w$]/;
const STRING_PREFIX = /^(?:[rRuUbBfF]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])$/;
const ENUM = /<[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+: /y;
// What console.log writes instead of a value; `[Object]` and `[Array]` stand for what lies past depth 2.
const NODE_MARKER = /\[(Object|Array|Function|AsyncFunction|GeneratorFunction|AsyncGeneratorFunction|class|Getter|Setter|Circular|Symbol|Promise)\b[^\]\n]*\]/y;
// Annotations console.log adds before a value, skipped: `<ref *1>` (the target of a [Circular *1]), `[Object: null prototype]`.
const NODE_ANNOTATION = /<ref \*\d+>|\[(?:Object|Array): null prototype\]/y;
const MORE = /\.\.\.(?: \d+ more items?)?/y;
const HEX = /^[0-9a-fA-F]+$/;
/** Escapes of one character after the backslash; a backslash before a line end joins the lines. */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\u0007',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
  '\n': '',
};

const STOPS = new Map<string, RegExp>();
/** Where a string's plain run of characters stops: its quote, a backslash, or (one-line strings) a line end. */
function stringStops(quote: string, triple: boolean): RegExp {
  const key = `${quote}${triple}`;
  let stops = STOPS.get(key);
  if (!stops) {
    stops = new RegExp(`[${quote}\\\\${triple ? '' : '\\n\\r'}]`, 'g');
    STOPS.set(key, stops);
  }
  return stops;
}

/** 1-based line and column of offsets, by a binary search over line starts worked out once. */
class LineIndex {
  private starts: number[] | null = null;

  constructor(private readonly text: string) {}

  at(offset: number): ReprPosition {
    if (!this.starts) {
      this.starts = [0];
      for (let index = this.text.indexOf('\n'); index !== -1; index = this.text.indexOf('\n', index + 1)) this.starts.push(index + 1);
    }
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return {offset, line: low + 1, column: offset - starts[low]! + 1};
  }
}

function describeChar(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the text';
  const code = text.codePointAt(offset)!;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `'${String.fromCodePoint(code)}'`;
}

/** Splits a text into tokens on demand, with as much look-ahead as the parser asks for. */
class Lexer {
  private at = 0;
  private ahead: Token[] = [];
  /** Where the last token taken ended. */
  lastEnd = 0;

  constructor(readonly text: string) {}

  peek(distance = 0): Token {
    while (this.ahead.length <= distance) this.ahead.push(this.read());
    return this.ahead[distance]!;
  }

  next(): Token {
    const token = this.peek();
    this.ahead.shift();
    this.lastEnd = token.end;
    return token;
  }

  /** Goes on from `offset` (after an error), forgetting what was read ahead. */
  restart(offset: number): void {
    this.at = offset;
    this.ahead = [];
  }

  private skipSpace(): void {
    const text = this.text;
    for (;;) {
      const char = text[this.at];
      if (char !== undefined && SPACE.has(char)) {
        this.at += 1;
      } else if (char === '#' || (char === '/' && text[this.at + 1] === '/')) {
        const end = text.indexOf('\n', this.at);
        this.at = end === -1 ? text.length : end;
      } else if (char === '/' && text[this.at + 1] === '*') {
        const end = text.indexOf('*/', this.at + 2);
        this.at = end === -1 ? text.length : end + 2;
      } else if (char === '\\' && (text[this.at + 1] === '\n' || text[this.at + 1] === '\r')) {
        // Python's line continuation.
        this.at += 2;
      } else if ((char === '<' || char === '[') && this.sticky(NODE_ANNOTATION) !== null) {
        this.at = NODE_ANNOTATION.lastIndex;
      } else {
        return;
      }
    }
  }

  /** Matches `pattern` (sticky) at the current place; null when it does not match there. */
  private sticky(pattern: RegExp): RegExpExecArray | null {
    pattern.lastIndex = this.at;
    return pattern.exec(this.text);
  }

  private read(): Token {
    this.skipSpace();
    const text = this.text;
    const start = this.at;
    if (start >= text.length) return {kind: 'end', start, end: start};
    const char = text[start]!;
    if (char === '[') {
      const marker = this.sticky(NODE_MARKER);
      if (marker) {
        this.at = NODE_MARKER.lastIndex;
        return {kind: 'opaque', note: marker[1] === 'Object' || marker[1] === 'Array' ? 'cut' : 'opaque', start, end: this.at};
      }
    }
    if (char === '<') return this.readAngle(start);
    if (PUNCT.has(char)) {
      this.at += 1;
      return {kind: 'punct', text: char as Punct, start, end: this.at};
    }
    if (char === "'" || char === '"' || char === '`') return this.readString(start, start, false, false);
    if (char === '.' && text[start + 1] === '.') {
      const more = this.sticky(MORE);
      if (more) {
        this.at = MORE.lastIndex;
        return {kind: 'more', start, end: this.at};
      }
    }
    if ((char >= '0' && char <= '9') || char === '.') return this.readNumber(start);
    const name = this.sticky(NAME);
    if (name) {
      this.at = NAME.lastIndex;
      const quote = text[this.at];
      if ((quote === "'" || quote === '"') && STRING_PREFIX.test(name[0])) {
        const prefix = name[0].toLowerCase();
        return this.readString(start, this.at, prefix.includes('r'), prefix.includes('b'));
      }
      return {kind: 'name', text: name[0], start, end: this.at};
    }
    throw new SyntaxProblem(start, `unexpected ${describeChar(text, start)}`);
  }

  private readNumber(start: number): Token {
    const match = this.sticky(NUMBER);
    if (!match || match[0] === '.') throw new SyntaxProblem(start, `unexpected ${describeChar(this.text, start)}`);
    const end = NUMBER.lastIndex;
    if (NAME_CHAR.test(this.text[end] ?? '')) throw new SyntaxProblem(end, `unexpected ${describeChar(this.text, end)} in a number`);
    this.at = end;
    const suffix = match[1];
    // A complex number has no JSON value.
    if (suffix === 'j' || suffix === 'J') return {kind: 'opaque', note: 'opaque', start, end};
    const digits = match[0].slice(0, match[0].length - (suffix ? 1 : 0)).replace(/_/g, '');
    return {kind: 'number', value: Number(digits), start, end};
  }

  /** `<Enum.MEMBER: value>` opens an enum; any other `<…>` (an object's default repr) is opaque. */
  private readAngle(start: number): Token {
    if (this.sticky(ENUM)) {
      this.at = ENUM.lastIndex;
      return {kind: 'enum', start, end: this.at};
    }
    const text = this.text;
    let depth = 0;
    for (let at = start; at < text.length && text[at] !== '\n'; at += 1) {
      const char = text[at];
      if (char === '<') depth += 1;
      else if (char === '>') depth -= 1;
      else if (char === "'" || char === '"') {
        const close = text.indexOf(char, at + 1);
        if (close === -1) break;
        at = close;
      }
      if (depth === 0) {
        this.at = at + 1;
        return {kind: 'opaque', note: 'opaque', start, end: this.at};
      }
    }
    throw new SyntaxProblem(start, "'<' is not closed on its line");
  }

  /**
   * A string literal from `start` (its prefix) with its quote at `quoteAt`: Python's (single,
   * double or triple quotes; raw and bytes prefixes) and console.log's (`'…'`, `"…"`, `` `…` ``).
   */
  private readString(start: number, quoteAt: number, raw: boolean, bytes: boolean): Token {
    const text = this.text;
    const quote = text[quoteAt]!;
    const triple = quote !== '`' && text.startsWith(quote.repeat(3), quoteAt);
    const stops = stringStops(quote, triple);
    let at = quoteAt + (triple ? 3 : 1);
    let value = '';
    for (;;) {
      stops.lastIndex = at;
      const stop = stops.exec(text);
      if (!stop) throw new SyntaxProblem(start, 'a string begun here is not closed');
      value += text.slice(at, stop.index);
      at = stop.index;
      const char = stop[0];
      if (char === '\n' || char === '\r') throw new SyntaxProblem(start, 'a string begun here is not closed on its line');
      if (char === '\\') {
        if (raw) {
          // A raw string keeps its backslashes; one still stops a quote from ending it.
          value += text.slice(at, at + 2);
          at += 2;
        } else {
          const [piece, next] = this.readEscape(at, bytes);
          value += piece;
          at = next;
        }
        continue;
      }
      if (!triple || text.startsWith(quote.repeat(3), at)) {
        at += triple ? 3 : 1;
        break;
      }
      value += char;
      at += 1;
    }
    this.at = at;
    return {kind: 'string', value, quote, start, end: at};
  }

  /** The escape at `at` (a backslash): the text it stands for and where it ends. */
  private readEscape(at: number, bytes: boolean): [string, number] {
    const text = this.text;
    const char = text[at + 1];
    const hex = (from: number, length: number, name: string): number => {
      const digits = text.slice(from, from + length);
      if (digits.length !== length || !HEX.test(digits)) throw new SyntaxProblem(at, `\\${name} needs ${length} hex digits`);
      return Number.parseInt(digits, 16);
    };
    if (char === undefined) throw new SyntaxProblem(at, 'a string begun here is not closed');
    const simple = SIMPLE_ESCAPES[char];
    if (simple !== undefined) return [simple, at + 2];
    if (char === '\r') return ['', text[at + 2] === '\n' ? at + 3 : at + 2];
    if (char === 'x') return [String.fromCharCode(hex(at + 2, 2, 'x')), at + 4];
    if (char >= '0' && char <= '7') {
      let end = at + 2;
      while (end < at + 4 && text[end]! >= '0' && text[end]! <= '7') end += 1;
      return [String.fromCharCode(Number.parseInt(text.slice(at + 1, end), 8)), end];
    }
    // In bytes (`b'…'`), \u, \U and \N are not escapes.
    if (!bytes && char === 'N') throw new SyntaxProblem(at, 'a named escape (\\N{…}) is not read; Python prints the character itself');
    if (!bytes && char === 'u' && text[at + 2] === '{') {
      // JavaScript's \u{1F600}.
      const close = text.indexOf('}', at + 3);
      const code = close === -1 ? Number.NaN : hex(at + 3, close - at - 3, 'u{…}');
      if (!(code <= 0x10ffff)) throw new SyntaxProblem(at, '\\u{…} needs a code point of at most 10FFFF');
      return [String.fromCodePoint(code), close + 1];
    }
    if (!bytes && char === 'u') return [String.fromCharCode(hex(at + 2, 4, 'u')), at + 6];
    if (!bytes && char === 'U') {
      const code = hex(at + 2, 8, 'U');
      if (code > 0x10ffff) throw new SyntaxProblem(at, '\\U needs a code point of at most 0010FFFF');
      return [String.fromCodePoint(code), at + 10];
    }
    // Python keeps an unknown escape as it is, backslash and all.
    return [`\\${char}`, at + 2];
  }
}

const isPunct = (token: Token, text: Punct): boolean => token.kind === 'punct' && token.text === text;

/**
 * Keyword names of openai-python's models that differ from the API's: pydantic calls the field
 * `schema_` (a `schema` would shadow BaseModel.schema) and prints it so; the API says `schema`.
 */
const KEYWORD_NAMES: ReadonlyMap<string, string> = new Map([['schema_', 'schema']]);

/** Sets a key on a plain object: `__proto__` too, as an own property (as JSON.parse does). */
function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, {value, enumerable: true, writable: true, configurable: true});
  else object[key] = value;
}

class ReprParser {
  readonly lexer: Lexer;
  readonly lines: LineIndex;
  readonly notes: ReprNote[] = [];
  /** Signs of each printer, for the dialect. */
  python = false;
  javascript = false;

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text);
    this.lines = new LineIndex(text);
  }

  document(): ReprDocument {
    const values: ReprDocument['values'] = [];
    const errors: ReprError[] = [];
    const lexer = this.lexer;
    for (;;) {
      // What a value that breaks noted goes with it.
      const notesBefore = this.notes.length;
      try {
        const token = lexer.peek();
        if (token.kind === 'end') break;
        if (isPunct(token, ',')) {
          // `Run(…),` lines copied out of a list.
          lexer.next();
          continue;
        }
        const at = this.lines.at(token.start);
        const value = token.kind === 'name' && isPunct(lexer.peek(1), '=') ? this.keywordLine() : this.value(0);
        values.push({value, at});
      } catch (error) {
        if (!(error instanceof SyntaxProblem)) throw error;
        this.notes.length = notesBefore;
        errors.push({...this.lines.at(error.offset), reason: error.message});
        // Go on at the next line that starts a value at its first column: the next `print(run)`
        // of a log, the next dict of a pprint of several.
        const resume = /\n(?=[A-Za-z_{[(<])/g;
        resume.lastIndex = Math.max(error.offset, lexer.lastEnd);
        if (!resume.exec(this.text)) break;
        lexer.restart(resume.lastIndex);
      }
    }
    return {dialect: this.javascript && !this.python ? 'javascript' : 'python', values, notes: this.notes, errors};
  }

  private at(offset: number): string {
    const {line, column} = this.lines.at(offset);
    return `${line}:${column}`;
  }

  private take(text: Punct): boolean {
    if (!isPunct(this.lexer.peek(), text)) return false;
    this.lexer.next();
    return true;
  }

  private note(kind: ReprNote['kind'], start: number, end: number): string {
    const text = this.text.slice(start, end);
    this.notes.push({kind, text: text.length > 60 ? `${text.slice(0, 59)}…` : text, at: this.lines.at(start)});
    return text;
  }

  private unexpected(token: Token, wanted: string): SyntaxProblem {
    if (token.kind === 'end') return new SyntaxProblem(token.start, `the text ends where ${wanted} should be`);
    return new SyntaxProblem(token.start, `expected ${wanted}, not ${describeChar(this.text, token.start)}`);
  }

  private deeper(open: Token, depth: number): number {
    if (depth >= MAX_REPR_DEPTH) throw new SyntaxProblem(open.start, `nested deeper than ${MAX_REPR_DEPTH} levels`);
    return depth + 1;
  }

  /**
   * Items up to `close`, each read by `item`, separated by commas; a trailing comma is fine, as in
   * Python and JavaScript. `what` names the container in messages (`Run(`, `the list`), opened at `start`.
   */
  private items(start: number, close: Punct, what: string, item: () => void): void {
    const opened = () => `${what} opened at ${this.at(start)}`;
    for (;;) {
      if (this.take(close)) return;
      const ahead = this.lexer.peek();
      if (ahead.kind === 'end') throw new SyntaxProblem(ahead.start, `the text ends before ${opened()} is closed`);
      item();
      const token = this.lexer.next();
      if (isPunct(token, close)) return;
      if (isPunct(token, ',')) continue;
      if (token.kind === 'end') throw new SyntaxProblem(token.start, `the text ends before ${opened()} is closed`);
      throw new SyntaxProblem(token.start, `expected ',' or '${close}' in ${opened()}, not ${describeChar(this.text, token.start)}`);
    }
  }

  value(depth: number): unknown {
    const token = this.lexer.next();
    switch (token.kind) {
      case 'punct':
        if (token.text === '{') return this.braces(token, this.deeper(token, depth));
        if (token.text === '[') return this.list(token, this.deeper(token, depth));
        if (token.text === '(') return this.parens(token, this.deeper(token, depth));
        if (token.text === '-' || token.text === '+') return this.signed(token);
        throw this.unexpected(token, 'a value');
      case 'string':
        return this.strings(token);
      case 'number':
        return token.value;
      case 'name':
        return this.named(token, depth);
      case 'opaque':
        // console.log's markers are bracketed: `[Array]`, `[Function: f]`.
        if (this.text[token.start] === '[') this.javascript = true;
        return this.note(token.note, token.start, token.end);
      case 'more':
        return this.note('cut', token.start, token.end);
      case 'enum': {
        // `<RunStatus.QUEUED: 'queued'>`: the member's value.
        this.python = true;
        const value = this.value(this.deeper(token, depth));
        if (!this.take('>')) throw this.unexpected(this.lexer.peek(), `'>' closing the enum at ${this.at(token.start)}`);
        return value;
      }
      case 'end':
        throw this.unexpected(token, 'a value');
    }
  }

  /** `{}` a dict, `{'a': 1}` a dict, `{a: 1}` console.log's object, `{1, 2}` a set (read as a list). */
  private braces(open: Token, depth: number): unknown {
    const object: Record<string, unknown> = {};
    let set: unknown[] | null = null;
    let first = true;
    this.items(open.start, '}', 'the dict', () => {
      const keyToken = this.lexer.peek();
      const isFirst = first;
      first = false;
      if (set === null && keyToken.kind === 'name' && isPunct(this.lexer.peek(1), ':') && !Object.hasOwn(CONSTANTS, keyToken.text)) {
        this.javascript = true;
        this.lexer.next();
        this.lexer.next();
        setKey(object, keyToken.text, this.value(depth));
        return;
      }
      const key = this.value(depth);
      const keyEnd = this.lexer.lastEnd;
      if (set !== null) {
        set.push(key);
        return;
      }
      if (this.take(':')) {
        setKey(object, this.keyText(key, keyToken.start, keyEnd), this.value(depth));
        return;
      }
      if (!isFirst) throw this.unexpected(this.lexer.peek(), `':' after the dict key`);
      set = [key];
    });
    return set ?? object;
  }

  /** A dict key as JSON has it, as Python's json.dumps writes it: numbers as written, `None` as `null`. */
  private keyText(key: unknown, start: number, end: number): string {
    if (typeof key === 'string') return key;
    if (typeof key === 'number') return this.text.slice(start, end);
    if (key === null || typeof key === 'boolean') return String(key);
    throw new SyntaxProblem(start, 'a dict key must be a string, a number, True, False or None');
  }

  private list(open: Token, depth: number): unknown[] {
    const list: unknown[] = [];
    this.items(open.start, ']', 'the list', () => {
      const token = this.lexer.peek();
      if (token.kind === 'more') {
        // IPython's `...` after its first 1000 items, console.log's `... 3 more items`.
        this.lexer.next();
        this.note('cut', token.start, token.end);
        return;
      }
      list.push(this.value(depth));
    });
    return list;
  }

  /** `()` an empty tuple, `(x)` is x (pprint wraps long strings so: `('…' '…')`), `(x,)` and `(x, y)` tuples, read as lists. */
  private parens(open: Token, depth: number): unknown {
    if (this.take(')')) return [];
    const first = this.value(depth);
    if (this.take(')')) return first;
    const tuple = [first];
    const comma = this.lexer.next();
    if (!isPunct(comma, ',')) {
      if (comma.kind === 'end') throw new SyntaxProblem(comma.start, `the text ends before the '(' opened at ${this.at(open.start)} is closed`);
      throw this.unexpected(comma, `',' or ')' in the '(' opened at ${this.at(open.start)}`);
    }
    this.items(open.start, ')', 'the tuple', () => tuple.push(this.value(depth)));
    return tuple;
  }

  private signed(sign: Token & {kind: 'punct'}): number {
    const token = this.lexer.next();
    let value: number;
    if (token.kind === 'number') value = token.value;
    else if (token.kind === 'name' && typeof CONSTANTS[token.text] === 'number') value = CONSTANTS[token.text] as number;
    else throw this.unexpected(token, `a number after '${sign.text}'`);
    return sign.text === '-' ? -value : value;
  }

  /** Adjacent literals join, as in Python (pprint splits long strings so); console.log joins lines with `+`. */
  private strings(first: Token & {kind: 'string'}): string {
    let value = first.value;
    this.notice(first);
    for (;;) {
      const next = this.lexer.peek();
      if (next.kind === 'string') {
        this.lexer.next();
        this.notice(next);
        value += next.value;
      } else if (isPunct(next, '+') && this.lexer.peek(1).kind === 'string') {
        this.javascript = true;
        this.lexer.next();
        value += (this.lexer.next() as Token & {kind: 'string'}).value;
      } else {
        return value;
      }
    }
  }

  /** Backquotes are console.log's; a prefix (`b'…'`, `r'…'`) is Python's. */
  private notice(token: Token & {kind: 'string'}): void {
    if (token.quote === '`') this.javascript = true;
    else if (this.text[token.start] !== token.quote) this.python = true;
  }

  private named(token: Token & {kind: 'name'}, depth: number): unknown {
    if (Object.hasOwn(CONSTANTS, token.text)) {
      if (PYTHON_CONSTANTS.has(token.text)) this.python = true;
      if (token.text === 'undefined') this.javascript = true;
      return CONSTANTS[token.text];
    }
    const next = this.lexer.peek();
    if (next.start === token.end && isPunct(next, '[')) {
      // A generic model's name: `SyncCursorPage[Run](…)`.
      this.typeArguments();
      const open = this.lexer.peek();
      if (!isPunct(open, '(') || open.start !== this.lexer.lastEnd) throw this.unexpected(open, `'(' after ${this.text.slice(token.start, this.lexer.lastEnd)}`);
      return this.call(token, depth);
    }
    if (next.start === token.end && isPunct(next, '(')) return this.call(token, depth);
    if (isPunct(next, '{')) {
      // console.log's class instance: `Run { id: 'run_…' }`.
      this.javascript = true;
      return this.braces(this.lexer.next(), this.deeper(next, depth));
    }
    // A name that is not a value (a variable, a class): its text, noted.
    return this.note('opaque', token.start, token.end);
  }

  /** Skips `[Run]`, `[Dict[str, int]]` after a class name. */
  private typeArguments(): void {
    let depth = 0;
    for (;;) {
      const token = this.lexer.next();
      if (isPunct(token, '[')) depth += 1;
      else if (isPunct(token, ']')) depth -= 1;
      else if (!(token.kind === 'name' || token.kind === 'string' || token.kind === 'number' || isPunct(token, ','))) throw this.unexpected(token, 'a type name');
      if (depth === 0) return;
    }
  }

  /**
   * `Name(key=value, …)`: a pydantic model's repr, read as the object of its fields (the name
   * says nothing the fields do not). With positional arguments (`datetime(2024, 1, 1)`) it is not
   * a model: its text, noted.
   */
  private call(name: Token, depth: number): unknown {
    const open = this.lexer.next();
    const inner = this.deeper(open, depth);
    this.python = true;
    const object: Record<string, unknown> = {};
    let positional = false;
    this.items(name.start, ')', this.text.slice(name.start, open.end), () => {
      const key = this.lexer.peek();
      if (key.kind === 'name' && isPunct(this.lexer.peek(1), '=')) {
        this.lexer.next();
        this.lexer.next();
        setKey(object, KEYWORD_NAMES.get(key.text) ?? key.text, this.value(inner));
        return;
      }
      positional = true;
      this.value(inner);
    });
    return positional ? this.note('opaque', name.start, this.lexer.lastEnd) : object;
  }

  /** pydantic's `str()`: `id='run_…' status='queued'`, keywords on one line without the class name. */
  private keywordLine(): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    this.python = true;
    for (;;) {
      const key = this.lexer.next() as Token & {kind: 'name'};
      this.lexer.next();
      setKey(object, KEYWORD_NAMES.get(key.text) ?? key.text, this.value(0));
      const next = this.lexer.peek();
      const sameLine = this.text.lastIndexOf('\n', next.start) < this.lexer.lastEnd;
      if (!(sameLine && next.kind === 'name' && isPunct(this.lexer.peek(1), '='))) return object;
    }
  }
}

/** Names that are values: Python's, JavaScript's (console.log), and the floats JSON lacks. */
const CONSTANTS: Readonly<Record<string, unknown>> = {
  None: null,
  True: true,
  False: false,
  null: null,
  true: true,
  false: false,
  undefined: null,
  inf: Infinity,
  Infinity: Infinity,
  nan: Number.NaN,
  NaN: Number.NaN,
};
const PYTHON_CONSTANTS = new Set(['None', 'True', 'False']);

/** Reads a printed value (or several, one after another), never throwing for bad input. */
export function parseRepr(text: string): ReprDocument {
  return new ReprParser(text).document();
}

/** How many tokens `startsLikeRepr` looks at before it says no. */
const SNIFF_TOKENS = 2000;

/**
 * Whether a text that is not JSON reads as a printout rather than as broken JSON: it starts with
 * a constructor call (`Run(`, `SyncCursorPage[Run](`) or pydantic's `key=value`, or is a bracketed
 * value with something only Python or JavaScript write early on: a string in single quotes,
 * `None`/`True`/`False`, `undefined`, a call, a bare key (`{id: …}`), console.log's `[Object]`.
 * What JSON breakage also looks like (a trailing comma, `NaN`, a missing comma) is no sign, so
 * broken JSON keeps its JSON error. Reads only the first tokens: cheap on a large file's head.
 */
export function startsLikeRepr(text: string): boolean {
  const lexer = new Lexer(text);
  try {
    const first = lexer.peek();
    if (first.kind === 'name') {
      const after = lexer.peek(1);
      return isPunct(after, '=') || (after.start === first.end && (isPunct(after, '(') || isPunct(after, '[')));
    }
    if (!(isPunct(first, '{') || isPunct(first, '[') || isPunct(first, '('))) return false;
    let previous: Token | null = null;
    for (let count = 0; count < SNIFF_TOKENS; count += 1) {
      const token = lexer.next();
      if (token.kind === 'end') return false;
      if (token.kind === 'string' && token.quote !== '"') return true;
      if (token.kind === 'enum' || (token.kind === 'opaque' && token.note === 'cut')) return true;
      if (token.kind === 'name') {
        if (PYTHON_CONSTANTS.has(token.text) || token.text === 'undefined') return true;
        const after = lexer.peek();
        if (after.start === token.end && (isPunct(after, '(') || isPunct(after, '['))) return true;
        if (isPunct(after, ':') && previous !== null && (isPunct(previous, '{') || isPunct(previous, ','))) return true;
      }
      previous = token;
    }
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
  }
  return false;
}
