/**
 * The runs of one large JSON document as its bytes arrive: the items of a top-level array, or of
 * the `data` array of a list envelope `{"object":"list","data":[...]}`. The bytes are scanned for
 * the item boundaries (depth, strings and escapes tracked, strings skipped with indexOf) and each
 * item is parsed on its own as soon as it is complete, so the first runs show long before a file
 * of hundreds of MB has been read, and the whole text never sits in memory.
 *
 * An item that is not valid JSON is a warning naming its line and column, and the other items
 * still load (a whole-document parse would lose them all). A document of another shape, or an
 * envelope whose `"object":"list"` comes after its `data`, is `unsupported`: the caller parses
 * the file whole instead.
 */
import {parseJson} from '../format/jsonError.js';
import {detachUnlessWaiting} from '../model/detachedRun.js';
import {collectRunItem, runFromText, type ParsedRuns} from './parseRunText.js';
import {startsLikeRepr} from './pythonRepr.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

/** Whether the backslashes just before `end` (back to `from`) are odd in number, so the byte at `end` is escaped. */
function oddBackslashesBefore(chunk: Buffer, end: number, from: number): boolean {
  let count = 0;
  for (let i = end - 1; i >= from && chunk[i] === BACKSLASH; i -= 1) count += 1;
  return count % 2 === 1;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Whether a document starting with `head` is one this reader streams: an array, or an object that says it is a list. */
export function headIsRunArray(head: Buffer): boolean {
  const text = head.toString('utf8', 0, Math.min(head.length, 4096)).replace(/^\ufeff/, '').trimStart();
  // A Python or console.log list (`[Run(id='run_…'`) is parsed whole by parseRunText: its quotes are not JSON's.
  if (text.startsWith('[')) return !startsLikeRepr(text);
  return text.startsWith('{') && /^\{\s*"object"\s*:\s*"list"/.test(text);
}

export class JsonArrayReader {
  /** Set when the document turns out not to be an array or a list envelope; the caller parses it whole. */
  unsupported = false;
  private depth = 0;
  /** Depth of the containers inside the streamed array: 1 for a top-level array, 2 for an envelope's data. */
  private itemDepth = 0;
  private arrayDone = false;
  private rootDone = false;
  private inString = false;
  /** Envelope keys and values are read at depth 1: the string being read there, when short. */
  private text: number[] | null = null;
  private lastKey: string | null = null;
  private expectingValue = false;
  private sawList = false;
  /** The item being read: where it starts, and its bytes from earlier pieces. */
  private itemStart = -1;
  private itemLine = 1;
  private itemColumn = 1;
  private itemPieces: Buffer[] = [];
  private items = 0;
  private offset = 0;
  private line = 1;
  private lineStart = 0;
  private started = false;
  private startBytes: Buffer | null = null;

  constructor(
    private readonly file: string,
    private readonly out: ParsedRuns,
    /** Keep runs small and read them again from the file when opened (see DetachedRun). */
    private readonly detachRuns = false,
  ) {}

  push(piece: Buffer): void {
    if (this.unsupported) return;
    let chunk = piece;
    let index = 0;
    if (!this.started) {
      // Three bytes tell a byte order mark from text: wait for them.
      const head = this.startBytes ? Buffer.concat([this.startBytes, piece]) : piece;
      if (head.length < 3) {
        this.startBytes = Buffer.from(head);
        return;
      }
      this.startBytes = null;
      this.started = true;
      chunk = head;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) index = 3;
    }
    const base = this.offset;
    while (index < chunk.length && !this.unsupported) {
      if (this.inString) {
        index = this.skipString(chunk, index);
        continue;
      }
      const byte = chunk[index]!;
      if (byte === NEWLINE) {
        this.line += 1;
        this.lineStart = base + index + 1;
      } else if (!isSpace(byte)) {
        this.structural(byte, chunk, index, base + index);
      }
      index += 1;
    }
    if (this.itemStart !== -1) {
      // The item goes on in the next piece: keep its bytes so far (a copy: pieces share a buffer).
      const from = Math.max(0, this.itemStart - base);
      this.itemPieces.push(Buffer.from(chunk.subarray(from)));
    }
    this.offset = base + chunk.length;
  }

  /** Past the end of the string that `index` is in; returns where scanning goes on. */
  private skipString(chunk: Buffer, index: number): number {
    let at = index;
    if (this.escapeNext) {
      // The previous piece ended in a backslash: this byte is escaped.
      this.escapeNext = false;
      this.keep(chunk, at, at + 1);
      at += 1;
    }
    for (;;) {
      const quote = chunk.indexOf(QUOTE, at);
      if (quote === -1) {
        this.keep(chunk, at, chunk.length);
        this.escapeNext = oddBackslashesBefore(chunk, chunk.length, at);
        return chunk.length;
      }
      this.keep(chunk, at, quote);
      if (oddBackslashesBefore(chunk, quote, at)) {
        this.keep(chunk, quote, quote + 1);
        at = quote + 1;
        continue;
      }
      this.inString = false;
      if (this.text) this.stringEnded();
      return quote + 1;
    }
  }

  /** Keeps the bytes of a short envelope string (keys, `"list"`); longer ones are not needed. */
  private keep(chunk: Buffer, from: number, to: number): void {
    if (!this.text) return;
    for (let i = from; i < to && this.text.length <= 32; i += 1) this.text.push(chunk[i]!);
  }

  private escapeNext = false;

  private structural(byte: number, chunk: Buffer, index: number, position: number): void {
    const depth = this.depth;
    if (this.rootDone) {
      this.warn(this.line, position - this.lineStart + 1, 'text after the end of the document; ignored');
      this.rootDone = false;
      this.arrayDone = true;
      this.depth = -1;
      return;
    }
    if (this.depth === -1) return;
    if (depth === 0) {
      if (byte === 0x5b) this.itemDepth = 1;
      else if (byte !== 0x7b) {
        this.unsupported = true;
        return;
      }
      this.depth = 1;
      this.expectingValue = false;
      return;
    }
    // An item of the streamed array starts at its first byte.
    if (!this.arrayDone && depth === this.itemDepth && this.itemStart === -1 && byte !== 0x2c && byte !== 0x5d) {
      this.itemStart = position;
      this.itemLine = this.line;
      this.itemColumn = position - this.lineStart + 1;
      this.itemPieces = [];
    }
    if (byte === QUOTE) {
      this.inString = true;
      this.escapeNext = false;
      this.text = depth === 1 && this.itemDepth !== 1 ? [] : null;
      return;
    }
    if (depth === 1 && this.itemDepth !== 1) {
      this.envelope(byte);
      if (this.unsupported) return;
    }
    if (byte === 0x7b || byte === 0x5b) {
      this.depth += 1;
      return;
    }
    if (byte === 0x2c && depth === this.itemDepth && !this.arrayDone) {
      this.itemEnded(chunk, index, position);
      return;
    }
    if (byte === 0x7d || byte === 0x5d) {
      if (depth === this.itemDepth && byte === 0x5d && !this.arrayDone) {
        if (this.itemStart !== -1) this.itemEnded(chunk, index, position);
        this.arrayDone = true;
      }
      this.depth -= 1;
      if (this.depth === 0) this.rootDone = true;
    }
  }

  /** Keys and values of the envelope itself (depth 1). */
  private envelope(byte: number): void {
    if (byte === 0x3a) {
      this.expectingValue = true;
      return;
    }
    if (byte === 0x2c) {
      this.expectingValue = false;
      this.lastKey = null;
      return;
    }
    if (byte === 0x5b && this.expectingValue && this.lastKey === 'data') {
      if (!this.sawList) {
        this.unsupported = true;
        return;
      }
      this.itemDepth = 2;
    }
  }

  private stringEnded(): void {
    const value = Buffer.from(this.text!).toString('utf8');
    this.text = null;
    if (!this.expectingValue) {
      this.lastKey = value;
      return;
    }
    if (this.lastKey === 'object') {
      this.sawList = value === 'list';
      // An object that says it is something else (a run) is parsed whole.
      if (!this.sawList) this.unsupported = true;
    }
  }

  /** The item that ends before `index` (a `,` or `]` at item depth). */
  private itemEnded(chunk: Buffer, index: number, position: number): void {
    const base = position - index;
    const from = Math.max(0, this.itemStart - base);
    const bytes = this.itemPieces.length > 0 ? Buffer.concat([...this.itemPieces, chunk.subarray(0, index)]) : chunk.subarray(from, index);
    const start = this.itemStart;
    this.itemStart = -1;
    this.itemPieces = [];
    const label = this.itemDepth === 1 ? `item ${this.items}` : `data[${this.items}]`;
    this.items += 1;
    const text = bytes.toString('utf8').trimEnd();
    const parsed = parseJson(text);
    if (!parsed.ok) {
      const {line, column, reason} = parsed.error;
      this.warn(this.itemLine + line - 1, line === 1 ? this.itemColumn + column - 1 : column, `invalid JSON in ${label}: ${reason}; skipped`);
      return;
    }
    const before = this.out.runs.length;
    collectRunItem(parsed.value, this.file, label, this.out);
    if (!this.detachRuns) return;
    for (let at = before; at < this.out.runs.length; at += 1) {
      this.out.runs[at] = detachUnlessWaiting(this.out.runs[at]!, start, Buffer.byteLength(text), runFromText);
    }
  }

  end(): void {
    if (!this.started && this.startBytes) {
      const head = this.startBytes;
      this.startBytes = null;
      this.started = true;
      this.push(head);
    }
    if (this.unsupported) return;
    if (!this.started || (this.depth === 0 && !this.rootDone && !this.arrayDone)) {
      this.out.warnings.push({location: this.file, message: 'empty file'});
      return;
    }
    if (this.itemDepth === 0 && this.rootDone) {
      if (this.sawList) this.out.warnings.push({location: this.file, message: 'list envelope has no "data" array; skipped'});
      else this.unsupported = true;
      return;
    }
    if (!this.arrayDone) {
      this.warn(this.line, this.offset - this.lineStart + 1, `the file ends inside the ${this.itemDepth === 2 ? 'list' : 'array'} (cut short?); ${this.items} item${this.items === 1 ? '' : 's'} read`);
    }
  }

  private warn(line: number, column: number, message: string): void {
    this.out.warnings.push({location: `${this.file}:${line}:${column}`, message});
  }
}
