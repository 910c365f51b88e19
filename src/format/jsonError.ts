/** Where a JSON text breaks, for messages like `file.json:3:14: Unexpected token`. */
export interface JsonErrorLocation {
  /** 1-based line and column (column in UTF-16 code units, as editors count them). */
  line: number;
  column: number;
  /** 0-based offset into the text. */
  offset: number;
  /** The parser's message without its position suffix. */
  reason: string;
}

/** Line and column of a 0-based offset in `text`. */
export function locateOffset(text: string, offset: number): {line: number; column: number} {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let index = text.indexOf('\n'); index !== -1 && index < end; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return {line, column: end - lineStart + 1};
}

/**
 * Reads the position out of a `JSON.parse` SyntaxError. V8 says `… at position N` for most errors
 * and `Unexpected end of JSON input` when the text stops early (the position is then its end).
 */
export function locateJsonError(text: string, error: unknown): JsonErrorLocation {
  const message = error instanceof Error ? error.message : String(error);
  const match = /\s*(?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
  if (match) {
    const offset = Number(match[1]);
    const reason = message.slice(0, match.index).replace(/\s+$/, '') || 'Invalid JSON';
    return {...locateOffset(text, offset), offset, reason};
  }
  // Node 20 omits the position for an unexpected token ("Unexpected token 'x', "…" is not valid
  // JSON"), so find it ourselves; only the failing text pays for this scan.
  const offset = /Unexpected end of JSON/.test(message) ? text.length : findJsonErrorOffset(text);
  const reason = offset >= text.length ? 'Unexpected end of JSON input' : `Unexpected ${describeChar(text, offset)}`;
  return {...locateOffset(text, offset), offset, reason};
}

function describeChar(text: string, offset: number): string {
  const char = text.codePointAt(offset) ?? 0;
  if (char < 0x20 || char === 0x7f) return `control character U+${char.toString(16).padStart(4, '0').toUpperCase()}`;
  return `token '${String.fromCodePoint(char)}'`;
}

const LITERALS = ['true', 'false', 'null'];
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
const WHITESPACE = /[ \t\n\r]*/y;

/**
 * Offset of the first character at which `text` stops being valid JSON (its length when it ends
 * too early). Iterative, so 10,000 levels of nesting do not overflow the stack.
 */
export function findJsonErrorOffset(text: string): number {
  let at = 0;
  const stack: Array<'object' | 'array'> = [];
  const skip = () => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  const readString = (): boolean => {
    if (text[at] !== '"') return false;
    at += 1;
    while (at < text.length) {
      const char = text.charCodeAt(at);
      if (char === 0x22) {
        at += 1;
        return true;
      }
      if (char < 0x20) return false;
      if (char === 0x5c) {
        const next = text[at + 1];
        if (next === 'u') {
          // Stop at the first character that is not a hex digit, where JSON.parse points too.
          at += 2;
          for (const end = at + 4; at < end; at += 1) {
            if (!/[0-9a-fA-F]/.test(text[at] ?? '')) return false;
          }
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
          at += 2;
        } else {
          at += 1;
          return false;
        }
      } else {
        at += 1;
      }
    }
    return false;
  };
  const readDigits = (): boolean => {
    const start = at;
    while (isDigit(text.charCodeAt(at))) at += 1;
    return at > start;
  };
  // Stops where the number breaks: `-x` at the `x`, `1.` at the end, `1e+` after the sign.
  const readNumber = (): boolean => {
    if (text[at] === '-') at += 1;
    if (text[at] === '0') at += 1;
    else if (!readDigits()) return false;
    if (text[at] === '.') {
      at += 1;
      if (!readDigits()) return false;
    }
    if (text[at] === 'e' || text[at] === 'E') {
      at += 1;
      if (text[at] === '+' || text[at] === '-') at += 1;
      if (!readDigits()) return false;
    }
    return true;
  };
  // A key and its colon; the value after it is read by the caller.
  const readKeyColon = (): boolean => {
    skip();
    if (!readString()) return false;
    skip();
    if (text[at] !== ':') return false;
    at += 1;
    return true;
  };
  // Reads one value. Containers are opened here in a loop (not by recursion, which overflowed
  // the stack at about 10,000 levels), pushed onto the stack and finished by the loop below.
  const readValue = (): boolean => {
    for (;;) {
      skip();
      const char = text[at];
      if (char !== '{' && char !== '[') break;
      at += 1;
      skip();
      if (text[at] === (char === '{' ? '}' : ']')) {
        at += 1;
        return true;
      }
      stack.push(char === '{' ? 'object' : 'array');
      if (char === '{' && !readKeyColon()) return false;
    }
    if (text[at] === '"') return readString();
    const literal = LITERALS.find((word) => word[0] === text[at]);
    if (literal) {
      // `trux` breaks at the `x`, not at the `t`.
      let matched = 0;
      while (matched < literal.length && text[at + matched] === literal[matched]) matched += 1;
      at += matched;
      return matched === literal.length;
    }
    return readNumber();
  };
  const readKey = (): boolean => readKeyColon() && readValue();

  if (!readValue()) return at;
  for (;;) {
    skip();
    const top = stack[stack.length - 1];
    if (!top) break;
    const char = text[at];
    if (char === ',') {
      at += 1;
      if (!(top === 'object' ? readKey() : readValue())) return at;
    } else if ((top === 'object' && char === '}') || (top === 'array' && char === ']')) {
      at += 1;
      stack.pop();
    } else {
      return at;
    }
  }
  return at < text.length ? at : text.length;
}

/** Parses JSON, returning either the value or where it breaks. */
export function parseJson(text: string): {ok: true; value: unknown} | {ok: false; error: JsonErrorLocation} {
  try {
    return {ok: true, value: JSON.parse(text)};
  } catch (error) {
    return {ok: false, error: locateJsonError(text, error)};
  }
}

/**
 * Line and column of the value at `path` (object keys and array indexes, as zod reports them) in a
 * text that is valid JSON; when the path goes further than the text (a missing key, an index past
 * the end), of the deepest value it does reach. For messages like `file.json:4:17: tool_outputs[1].output: …`.
 */
export function locateJsonPath(text: string, path: readonly PropertyKey[]): {line: number; column: number} {
  let at = 0;
  const skipSpace = () => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  // The text is valid JSON: a string ends at the first unescaped quote.
  const skipString = () => {
    at += 1;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at += 1;
  };
  // Any value, containers by depth (no recursion), strings skipped whole so brackets in them do not count.
  const skipValue = () => {
    skipSpace();
    let depth = 0;
    while (at < text.length) {
      const char = text[at]!;
      if (char === '"') {
        skipString();
      } else if (char === '{' || char === '[') {
        depth += 1;
        at += 1;
        continue;
      } else if (char === '}' || char === ']') {
        if (depth === 0) return;
        depth -= 1;
        at += 1;
      } else {
        // A number or literal ends at a separator at depth 0; inside a container, just go on.
        if (depth === 0 && (char === ',' || /\s/.test(char))) return;
        at += 1;
        continue;
      }
      // After a string or a closing bracket: done when back at the value's own level.
      if (depth === 0) return;
    }
  };
  skipSpace();
  let found = at;
  for (const key of path) {
    skipSpace();
    const open = text[at];
    if (typeof key === 'number' ? open !== '[' : open !== '{') break;
    at += 1;
    let reached = false;
    for (let index = 0; ; index += 1) {
      skipSpace();
      if (text[at] === ']' || text[at] === '}' || at >= text.length) break;
      let name: string | null = null;
      if (open === '{') {
        const start = at;
        skipString();
        name = JSON.parse(text.slice(start, at)) as string;
        skipSpace();
        at += 1; // the colon
        skipSpace();
      }
      if (open === '{' ? name === String(key) : index === key) {
        reached = true;
        break;
      }
      skipValue();
      skipSpace();
      if (text[at] === ',') at += 1;
    }
    if (!reached) break;
    found = at;
  }
  return locateOffset(text, found);
}

/** A place in a JSON text: 0-based offset, 1-based line and column. */
export interface JsonPosition {
  offset: number;
  line: number;
  column: number;
}

/** What `parseJsonTolerant` let pass, so the caller can warn about each. */
export interface JsonTolerated {
  /** Commas just before a `}` or `]`, each read as if it were not there. */
  trailingCommas: JsonPosition[];
  /** Text after a complete value (only with `textAfter`), ignored: where it starts, and the text. */
  textAfter: (JsonPosition & {text: string}) | null;
}

export type TolerantParse = {ok: true; value: unknown; tolerated: JsonTolerated} | {ok: false; error: JsonErrorLocation};

/**
 * Parsing costs a pass over the text per trailing comma removed: this many at most, fewer for a
 * large text (64 MB of re-parsing in all), so a text full of them fails rather than takes minutes.
 */
const MAX_FIXES = 100;
/** What a parse of valid JSON tolerated: nothing (one frozen value, shared). */
export const NOTHING_TOLERATED: JsonTolerated = Object.freeze({trailingCommas: Object.freeze([]) as unknown as JsonPosition[], textAfter: null});
const FIX_BUDGET_CHARS = 64 * 1024 * 1024;

function previousNonSpace(text: string, before: number): number {
  let at = before - 1;
  while (at >= 0 && (text[at] === ' ' || text[at] === '\n' || text[at] === '\r' || text[at] === '\t')) at -= 1;
  return at;
}

/**
 * Parses JSON as people and tools write it: a trailing comma (`[1, 2,]`, `{"a": 1,}`) is read as
 * if it were not there, and with `textAfter` a complete value followed by stray text (the published
 * spec's stream examples end some data lines with one `}` too many) is that value. What was let
 * pass is returned for a warning; anything else fails where the text breaks, as `parseJson` does.
 * Valid JSON costs one `JSON.parse`, as with `parseJson`.
 */
export function parseJsonTolerant(text: string, options: {textAfter?: boolean} = {}): TolerantParse {
  let error: JsonErrorLocation;
  // Valid JSON, the common case by far (every line of a JSON Lines file): one parse, nothing allocated.
  try {
    return {ok: true, value: JSON.parse(text), tolerated: NOTHING_TOLERATED};
  } catch (thrown) {
    error = locateJsonError(text, thrown);
  }
  const tolerated: JsonTolerated = {trailingCommas: [], textAfter: null};
  const maxFixes = Math.min(MAX_FIXES, Math.floor(FIX_BUDGET_CHARS / Math.max(1, text.length)));
  let current = text;
  for (;;) {
    const char = current[error.offset];
    const comma = char === '}' || char === ']' ? previousNonSpace(current, error.offset) : -1;
    if (comma !== -1 && current[comma] === ',' && tolerated.trailingCommas.length < maxFixes) {
      tolerated.trailingCommas.push({offset: comma, ...locateOffset(current, comma)});
      // A space in its place: every other position in the text stays where it was.
      current = `${current.slice(0, comma)} ${current.slice(comma + 1)}`;
      try {
        return {ok: true, value: JSON.parse(current), tolerated};
      } catch (thrown) {
        error = locateJsonError(current, thrown);
      }
      continue;
    }
    if (options.textAfter && error.offset < current.length && error.offset > 0) {
      try {
        const value: unknown = JSON.parse(current.slice(0, error.offset));
        tolerated.textAfter = {offset: error.offset, ...locateOffset(current, error.offset), text: current.slice(error.offset)};
        return {ok: true, value, tolerated};
      } catch {
        // Not a complete value before the break: the break is the error.
      }
    }
    return {ok: false, error};
  }
}
