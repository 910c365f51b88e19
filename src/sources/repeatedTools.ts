/**
 * JSON.parse of JSON Lines whose objects repeat one `tools` array byte for byte, as the runs of one
 * assistant do (a run carries a copy of its assistant's tools). Each distinct array text is parsed
 * once; a line that repeats one has it replaced by a placeholder before JSON.parse, and the array
 * parsed before put in its place. Why: in the bench's 100,000 runs the tools (names, descriptions,
 * JSON Schemas) were 38% of the bytes and half of JSON.parse's time, with 39 distinct arrays.
 *
 * The parsed array is shared by every line that repeats it, so it is only for items that drop
 * their body at once (detached runs, see model/detachedRun.ts): `shared` says when the last parse
 * used it, and the reader parses such a line again on its own when its item is kept whole.
 *
 * Why the result is the line's own parse: the text before the array is the same, so JSON.parse is
 * in the same state where it starts (just after a key's colon: expecting a value), and one complete
 * value put for another leaves it in the same state after. So the line with the placeholder parses
 * exactly when the line does, to the same value but at that one place. Only when that place is the
 * top-level object's `tools` (the placeholder is found there, see PLACEHOLDER) does the array go
 * in; anything else goes to the ordinary parse of
 * the whole line, as does a line that fails (for the error's place), so values, warnings and their
 * columns are those of `parseJsonTolerant`.
 */
import {NOTHING_TOLERATED, parseJsonTolerant, type TolerantParse} from '../format/jsonError.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const KEY = '"tools":';
/**
 * What stands in for the array while the line is parsed, used only on a line with no number of its
 * own that could be -0 (`holdsMinusZero`): so a top-level `tools` of -0 (told from 0 by `Object.is`)
 * is the placeholder, not a nested key's, nor a duplicate key's written before or after (JSON.parse
 * lets the last one win).
 */
const PLACEHOLDER = '-0';
/**
 * Shorter lines are parsed whole without looking for `tools`: any array in them is short, and the
 * search itself, on 300,000 message lines that have none, cost a thirtieth of a load.
 */
const MIN_LINE = 768;
/** Distinct arrays kept. */
const MAX_ENTRIES = 64;
/** Longer arrays are parsed with their line: one kept copy of each should stay small. */
const MAX_TEXT = 256 * 1024;
/** After this many lines with tools, the cache stops if fewer than half of them repeated one. */
const TRIAL_LINES = 512;

interface Entry {
  /** The array's text as UTF-8 bytes (a copy): lines are matched against it by memcmp. */
  bytes: Buffer;
  /** Its length in characters, for cutting it out of the decoded line. */
  chars: number;
  value: unknown;
}

const KEY_BYTES = Buffer.from(KEY);
const PLACEHOLDER_BYTES = Buffer.from(PLACEHOLDER);

/**
 * Whether the line may hold a number that is -0 (`-0`, `-0.0`, `-0e5`): a `-0` where a value can
 * start, after `:`, `,`, `[` or a space. A `-0` inside a string (`gpt-4-0613`, `2024-05-13`, a
 * third of the bench's lines) follows a letter or a digit.
 */
function holdsMinusZero(bytes: Buffer): boolean {
  for (let at = bytes.indexOf(PLACEHOLDER_BYTES); at !== -1; at = bytes.indexOf(PLACEHOLDER_BYTES, at + 2)) {
    const before = bytes[at - 1];
    if (before === COLON || before === COMMA || before === OPEN_BRACKET || before === 0x20 || before === 0x09 || before === 0x0a || before === 0x0d) return true;
  }
  return false;
}

/** Where the string opened by the quote at `start` closes (its closing quote), or -1. */
function stringEnd(text: string, start: number): number {
  for (let quote = text.indexOf('"', start + 1); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
  }
  return -1;
}

/** Where the array or object that opens at `start` ends (just after its closing bracket), or -1. */
export function containerEnd(text: string, start: number): number {
  let depth = 0;
  for (let index = start; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      index = stringEnd(text, index);
      if (index === -1) return -1;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth += 1;
    else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}

export class RepeatedTools {
  private readonly entries: Entry[] = [];
  /** Each entry's length in bytes, in the same order. */
  private readonly lengths: number[] = [];
  private lines = 0;
  private hits = 0;
  private off = false;
  /** Whether the last `parse` put a shared array in the value (its item must not be kept whole). */
  shared = false;

  constructor(private readonly minLine = MIN_LINE) {}

  /**
   * The last line's item is kept whole after all, and is parsed again: not a line saved. A file of
   * such items (responses, runs waiting for outputs) turns the cache off after its trial lines.
   */
  kept(): void {
    this.hits -= 1;
  }

  /**
   * `parseJsonTolerant(line)`, with a repeated top-level `tools` array parsed once (see above).
   * `bytes` are the line's own UTF-8 bytes (the line as read, nothing trimmed), or null.
   */
  parse(line: string, bytes: Buffer | null): TolerantParse {
    this.shared = false;
    const byteAt = this.off || bytes === null || bytes.length < this.minLine ? -1 : bytes.indexOf(KEY_BYTES);
    if (byteAt === -1 || bytes![byteAt + KEY.length] !== OPEN_BRACKET) return parseJsonTolerant(line);
    const byteStart = byteAt + KEY.length;
    // Where the array starts in the text: the same place when every byte is ASCII; else the same
    // first `"tools":` (an ASCII text never matches inside a multi-byte character).
    const start = line.length === bytes!.length ? byteStart : line.indexOf(KEY) + KEY.length;
    this.lines += 1;
    if (this.lines === TRIAL_LINES && this.hits * 2 < TRIAL_LINES) this.off = true;
    const entry = this.find(bytes!, byteStart);
    if (entry && !holdsMinusZero(bytes!)) {
      const parsed = this.parseAround(line, start, entry);
      if (parsed) {
        this.hits += 1;
        this.shared = true;
        return parsed;
      }
    }
    const whole = parseJsonTolerant(line);
    if (!entry && whole.ok && whole.tolerated.trailingCommas.length === 0 && whole.tolerated.textAfter === null) this.remember(line, start, bytes!, byteStart);
    return whole;
  }

  /**
   * The entry whose bytes the line holds at `start`, followed by `,` or `}`. Lengths are tested
   * first, from a small array of numbers, and the bytes compared natively: String's startsWith
   * against each entry's text, cold in the cache by then, cost more than the parse saved.
   */
  private find(bytes: Buffer, start: number): Entry | null {
    const {lengths} = this;
    for (let index = 0; index < lengths.length; index += 1) {
      const end = start + lengths[index]!;
      if (end >= bytes.length) continue;
      const next = bytes[end];
      if ((next !== COMMA && next !== CLOSE_BRACE) || bytes[end - 1] !== CLOSE_BRACKET) continue;
      const entry = this.entries[index]!;
      if (bytes.compare(entry.bytes, 0, entry.bytes.length, start, end) === 0) return entry;
    }
    return null;
  }

  /** The line parsed with the entry's text replaced by the placeholder, and the entry's value put back; null when that is not the line's own parse. */
  private parseAround(line: string, start: number, entry: Entry): TolerantParse | null {
    let value: unknown;
    try {
      value = JSON.parse(`${line.slice(0, start)}${PLACEHOLDER}${line.slice(start + entry.chars)}`);
    } catch {
      return null;
    }
    const record = value as Record<string, unknown>;
    if (!Object.is(record['tools'], -0)) return null;
    record['tools'] = entry.value;
    return {ok: true, value, tolerated: NOTHING_TOLERATED};
  }

  /** Keeps the array at `start` (`byteStart` in its bytes) of a line that parsed as strict JSON. */
  private remember(line: string, start: number, bytes: Buffer, byteStart: number): void {
    const end = containerEnd(line, start);
    if (end === -1 || end - start > MAX_TEXT) return;
    // The oldest goes when the cache is full.
    if (this.entries.length === MAX_ENTRIES) {
      this.entries.shift();
      this.lengths.shift();
    }
    const text = line.slice(start, end);
    const length = Buffer.byteLength(text);
    // A copy: the reader's buffer is reused for the next lines.
    this.entries.push({bytes: Buffer.from(bytes.subarray(byteStart, byteStart + length)), chars: text.length, value: JSON.parse(text) as unknown});
    this.lengths.push(length);
  }
}
