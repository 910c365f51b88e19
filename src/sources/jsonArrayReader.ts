/**
 * The items of one JSON document as its bytes arrive: the items of a top-level array, or of the
 * list an object is (`{"object":"list","data":[...]}`, `{"runs":[...]}`, a cursor page, PascalCase:
 * whatever `listShape` says is a list, with the warning it gives). The bytes are scanned for the
 * item boundaries (brackets, strings and escapes tracked, strings skipped with indexOf) and each
 * item is parsed on its own as soon as it is complete, so the first items are there long before a
 * file of hundreds of MB has been read, and the whole text never sits in memory.
 *
 * One broken item costs only itself: an item that is not valid JSON (NaN, a stray token, a bracket
 * that does not match) is a warning naming its line and column, and the items around it still
 * load. A trailing comma, in the array or inside an item, is a warning and nothing else; so are an
 * extra comma between items and a missing one (`} {`). A bracket left open in an item is closed
 * by the one that closes its container; one too many, which ends the document early, is found by
 * the `, {…}` after the end, and the items after it are read too. Where the document is cut
 * short, the items before the cut are kept, with a warning.
 *
 * What it cannot vouch for it leaves to a whole-document parse (`unsupported`): a document of
 * another shape, and one in which no item at all could be read, so that a text which is no JSON
 * (a Python list, say) is described as a whole. Until an item has been read, nothing is handed
 * out; `accepted` tells the caller when it may stop keeping the bytes for that whole parse.
 *
 * Columns on the line where an item starts count the bytes before the item (the same as
 * characters, but for non-ASCII text earlier on that line); within the item they are characters.
 */
import {parseJsonTolerant} from '../format/jsonError.js';
import {listShape, settledListShape, type ListShape} from './listShape.js';
import {utf8BomLength} from './sniff.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Where the reader hands what it finds. */
export interface ArrayItemSink {
  /** A complete item, parsed: `label` is `item 3`, `data[3]` or `runs[3]`; `offset` and `length` are its bytes in the input. */
  item(value: unknown, label: string, offset: number, length: number): void;
  /** Something wrong in the input, at `line`:`column` when it has a place. */
  warn(message: string, line?: number, column?: number): void;
}

/** Whether the backslashes just before `end` (back to `from`) are odd in number, so the byte at `end` is escaped. */
function oddBackslashesBefore(chunk: Buffer, end: number, from: number): boolean {
  let count = 0;
  for (let i = end - 1; i >= from && chunk[i] === BACKSLASH; i -= 1) count += 1;
  return count % 2 === 1;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Item-relative line and column (from a parse of the item's text) as a place in the input. */
interface ItemPlace {
  line: number;
  column: number;
}

export class JsonArrayReader {
  /** Set when the document is not an array or list envelope, or when no item of it could be read: the caller parses it whole. */
  unsupported = false;
  /** The open brackets, outermost first: the root, then (in an envelope) `data`, then those inside an item. */
  private readonly open: number[] = [];
  /** The brackets open inside the streamed array, between its items: to go back to them when the document ends too early. */
  private arrayPath: number[] = [];
  /** A comma after the end of the document: if more follows, the document ended too early. */
  private resumeAt: ItemPlace | null = null;
  /** How many brackets are open inside the streamed array: 1 for a top-level array, 2 for an envelope's data. */
  private itemDepth = 0;
  private arrayDone = false;
  private rootDone = false;
  /** Past the end of the document (after its warning): nothing more is read. */
  private afterRoot = false;
  private inString = false;
  private escapeNext = false;
  /** Envelope keys and values are read at depth 1: the string being read there, when short. */
  private text: number[] | null = null;
  /** The envelope's number, `true`, `false` or `null` being read, when short. */
  private scalar: number[] | null = null;
  private lastKey: string | null = null;
  private expectingValue = false;
  /**
   * The envelope's keys so far, as `listShape` reads an object: short strings as they are,
   * numbers and literals parsed, arrays as `[]`, objects as `{}` (no prototype: any key is data).
   */
  private readonly keys: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  /** The list the envelope is, once that is known: nothing of an envelope is handed out before. */
  private shape: ListShape | null = null;
  /** The envelope's key whose array is streamed, and what its items are called (`data`, `runs`). */
  private streamedKey: string | null = null;
  private itemLabel = 'data';
  /** The item being read: where it starts, and its bytes from earlier pieces. */
  private itemStart = -1;
  private itemLine = 1;
  private itemColumn = 1;
  private itemPieces: Buffer[] = [];
  /** Whether the item's own brackets have closed (so a `{` after them starts the next item: a missing comma). */
  private itemClosed = false;
  /** The comma after the last item, while no item has followed it. */
  private pendingComma: ItemPlace | null = null;
  private items = 0;
  private readItems = 0;
  private offset = 0;
  private line = 1;
  private lineStart = 0;
  private started = false;
  private startBytes: Buffer | null = null;
  /** What was found before the document was known to be one this reader vouches for. */
  private held: Array<() => void> | null = [];

  constructor(private readonly sink: ArrayItemSink) {}

  /**
   * Whether what was read so far stands: the document is an array or a list envelope and an item
   * of it has been read. Until then the caller keeps the bytes, in case it must parse them whole.
   */
  get accepted(): boolean {
    return this.held === null;
  }

  push(piece: Buffer): void {
    if (this.unsupported || this.afterRoot) return;
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
      index = utf8BomLength(chunk);
    }
    const base = this.offset;
    while (index < chunk.length && !this.unsupported && !this.afterRoot) {
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

  /** Whether the scan is in the streamed array, at the level of its items (between them, or at an item's top level). */
  private atItemLevel(): boolean {
    return this.itemDepth > 0 && !this.arrayDone && this.open.length === this.itemDepth;
  }

  private structural(byte: number, chunk: Buffer, index: number, position: number): void {
    if (this.rootDone) {
      const column = position - this.lineStart + 1;
      if (byte === COMMA && this.arrayPath.length > 0 && !this.resumeAt) {
        this.resumeAt = {line: this.line, column};
        return;
      }
      const comma = this.resumeAt;
      this.resumeAt = null;
      if (!comma || byte === COMMA) {
        this.textAfterEnd(comma ?? {line: this.line, column});
        return;
      }
      // `, …` after the end: a closing bracket too many in an item ended the document early
      // (`[{"a": 1}}, {…}]`). What follows is read as more items; a comma at the very end is
      // only text after the end.
      this.warnAt(comma.line, comma.column, 'the brackets before this do not match (the document seemed to end here); the items after it are read too');
      this.open.length = 0;
      this.open.push(...this.arrayPath);
      this.arrayDone = false;
      this.rootDone = false;
      this.pendingComma = comma;
    }
    if (this.open.length === 0) {
      if (byte === OPEN_BRACKET) {
        this.itemDepth = 1;
        this.arrayPath = [OPEN_BRACKET];
        this.commit();
      } else if (byte !== OPEN_BRACE) {
        this.unsupported = true;
        return;
      }
      this.open.push(byte);
      return;
    }
    if (this.atItemLevel()) {
      if (this.itemStart === -1) {
        if (byte === COMMA) {
          // `[,` or `,,`: no item before this comma.
          this.warnAt(this.line, position - this.lineStart + 1, 'a comma with no item before it; ignored');
          this.pendingComma = {line: this.line, column: position - this.lineStart + 1};
          return;
        }
        if (byte !== CLOSE_BRACKET) this.startItem(position);
      } else if (this.itemClosed && (byte === OPEN_BRACE || byte === OPEN_BRACKET)) {
        // `} {`: the comma between two items is missing.
        this.itemEnded(chunk, index, position);
        this.warnAt(this.line, position - this.lineStart + 1, 'a missing comma before this item; read as if it were there');
        this.startItem(position);
      }
    }
    if (byte === QUOTE) {
      this.inString = true;
      this.escapeNext = false;
      this.text = this.open.length === 1 && this.itemDepth !== 1 ? [] : null;
      return;
    }
    if (this.open.length === 1 && this.itemDepth !== 1) {
      this.envelope(byte);
      if (this.unsupported) return;
    }
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      this.open.push(byte);
      return;
    }
    if (byte === COMMA && this.atItemLevel()) {
      this.itemEnded(chunk, index, position);
      this.pendingComma = {line: this.line, column: position - this.lineStart + 1};
      return;
    }
    if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) this.close(byte, chunk, index, position);
  }

  /** A `}` or `]`: closes its bracket, and any left open inside the same item. */
  private close(byte: number, chunk: Buffer, index: number, position: number): void {
    const opener = byte === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET;
    if (this.atItemLevel() && byte === CLOSE_BRACKET) {
      if (this.itemStart !== -1) this.itemEnded(chunk, index, position);
      else if (this.pendingComma) this.warnAt(this.pendingComma.line, this.pendingComma.column, 'a trailing comma after the last item; ignored');
      this.pendingComma = null;
      this.arrayDone = true;
      this.open.pop();
      if (this.open.length === 0) this.rootDone = true;
      return;
    }
    // Inside an item, a bracket left open (`{"a": [1, 2}`) is closed by the one that closes its
    // container, so the item ends where it should and only it is lost; a closing bracket with
    // nothing to close in the item is stray, and the item's parse will say so.
    const floor = this.itemDepth > 0 && !this.arrayDone && this.open.length >= this.itemDepth ? this.itemDepth : 0;
    let match = this.open.length - 1;
    while (match >= floor && this.open[match] !== opener) match -= 1;
    if (match < floor) return;
    this.open.length = match;
    if (this.itemStart !== -1 && this.open.length === this.itemDepth) this.itemClosed = true;
    if (this.open.length === 0) this.rootDone = true;
  }

  private textAfterEnd(at: ItemPlace): void {
    this.warnAt(at.line, at.column, 'text after the end of the document; ignored');
    this.afterRoot = true;
  }

  private startItem(position: number): void {
    this.itemStart = position;
    this.itemLine = this.line;
    this.itemColumn = position - this.lineStart + 1;
    this.itemPieces = [];
    this.itemClosed = false;
    this.pendingComma = null;
  }

  /** Keys and values of the envelope itself (depth 1), and its closing brace. */
  private envelope(byte: number): void {
    if (byte === COLON) {
      this.expectingValue = true;
      return;
    }
    if (byte === COMMA || byte === CLOSE_BRACE) {
      this.scalarEnded();
      this.expectingValue = false;
      this.lastKey = null;
      return;
    }
    const key = this.lastKey;
    if (!this.expectingValue || key === null) return;
    if (byte !== OPEN_BRACKET && byte !== OPEN_BRACE) {
      if ((this.scalar ??= []).length <= 16) this.scalar.push(byte);
      return;
    }
    this.valueRead(byte === OPEN_BRACKET ? [] : {});
    // The array the envelope's list would be read from, were it to close now, is read as it
    // comes: before `"object": "list"` too, and before a cursor page's `first_id` (what is read
    // is held until the shape is known).
    if (byte === OPEN_BRACKET && this.itemDepth === 0 && !this.unsupported) {
      const list = this.shape ?? listShape(this.keys);
      if (list?.key !== key) return;
      this.itemDepth = 2;
      this.arrayPath = [OPEN_BRACE, OPEN_BRACKET];
      this.streamedKey = key;
      this.itemLabel = list.label;
    }
  }

  private stringEnded(): void {
    const value = Buffer.from(this.text!).toString('utf8');
    this.text = null;
    if (!this.expectingValue) {
      this.lastKey = value;
      return;
    }
    this.valueRead(value);
  }

  /** The envelope's scalar value that ends here, if one was being read. */
  private scalarEnded(): void {
    const bytes = this.scalar;
    this.scalar = null;
    if (!bytes || this.lastKey === null) return;
    const text = Buffer.from(bytes).toString('latin1');
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // Not JSON (`NaN`): kept as its text; a whole parse cannot read the envelope either.
    }
    this.valueRead(value);
  }

  /** The value of the envelope's key just read: it may settle what the envelope is (see settledListShape). */
  private valueRead(value: unknown): void {
    this.expectingValue = false;
    if (this.lastKey === null) return;
    this.keys[this.lastKey] = value;
    if (this.shape) return;
    const settled = settledListShape(this.keys);
    if (settled !== undefined) this.adopt(settled);
  }

  /**
   * What the envelope is, decided: another shape (a run, say) is left to the whole parse, and so
   * is a list whose items are under another key than the one read.
   */
  private adopt(shape: ListShape | null): void {
    if (!shape || (this.streamedKey !== null && this.streamedKey !== shape.key)) {
      this.unsupported = true;
      return;
    }
    this.shape = shape;
    this.commit();
  }

  /**
   * The item that ends before `index` (a `,` or `]` at item level, or the end of the input). One
   * cut off by the end of the input (`cut`) is read if it is whole, and else neither counted nor
   * warned about: the warning about the cut says why.
   */
  private itemEnded(chunk: Buffer, index: number, position: number, cut = false): void {
    const base = position - index;
    const from = Math.max(0, this.itemStart - base);
    const bytes = this.itemPieces.length > 0 ? Buffer.concat([...this.itemPieces, chunk.subarray(0, index)]) : chunk.subarray(from, index);
    const start = this.itemStart;
    const place = {line: this.itemLine, column: this.itemColumn};
    this.itemStart = -1;
    this.itemPieces = [];
    this.itemClosed = false;
    const label = this.itemDepth === 1 ? `item ${this.items}` : `${this.itemLabel}[${this.items}]`;
    this.items += 1;
    const text = bytes.toString('utf8').trimEnd();
    const parsed = parseJsonTolerant(text);
    const inInput = (line: number, column: number): ItemPlace => ({line: place.line + line - 1, column: line === 1 ? place.column + column - 1 : column});
    if (!parsed.ok && cut) {
      this.items -= 1;
      return;
    }
    if (!parsed.ok) {
      const at = inInput(parsed.error.line, parsed.error.column);
      this.warnAt(at.line, at.column, `invalid JSON in ${label}: ${parsed.error.reason}; skipped`);
      return;
    }
    for (const comma of parsed.tolerated.trailingCommas) {
      const at = inInput(comma.line, comma.column);
      this.warnAt(at.line, at.column, `a trailing comma in ${label}; ignored`);
    }
    const length = Buffer.byteLength(text);
    this.readItems += 1;
    this.hand(() => this.sink.item(parsed.value, label, start, length));
    this.commit();
  }

  /**
   * Hands everything held once the document is known to be of this reader's kind and an item was
   * read; first what the list's shape gets said about it, as the whole parse says it first.
   */
  private commit(): void {
    if (this.held === null || this.readItems === 0 || (this.itemDepth !== 1 && !this.shape)) return;
    const held = this.held;
    this.held = null;
    if (this.shape?.warning) this.sink.warn(this.shape.warning);
    for (const handOut of held) handOut();
  }

  private hand(handOut: () => void): void {
    if (this.held) this.held.push(handOut);
    else handOut();
  }

  private warnAt(line: number, column: number, message: string): void {
    this.hand(() => this.sink.warn(message, line, column));
  }

  end(): void {
    if (!this.started && this.startBytes) {
      const head = this.startBytes;
      this.startBytes = null;
      this.started = true;
      this.push(head);
    }
    if (this.unsupported) return;
    if (this.resumeAt) this.textAfterEnd(this.resumeAt);
    const cutInArray = this.itemDepth > 0 && !this.arrayDone;
    // The last item before a cut may be whole (a file cut just before its `]`).
    if (cutInArray && this.itemStart !== -1) this.itemEnded(Buffer.alloc(0), 0, this.offset, true);
    // An envelope whose keys did not settle its shape (no `"object"`, or PascalCase) is known now,
    // from all its keys: a cursor page's `first_id` comes after its data. (Cut short, from those read.)
    if (this.itemDepth !== 1 && !this.shape) {
      if (!this.inString) this.scalarEnded();
      this.adopt(listShape(this.keys));
    }
    if (!this.accepted) {
      // Nothing read that a whole parse would not say better (empty, no items, none readable, another shape).
      this.unsupported = true;
      this.held = null;
      return;
    }
    const column = this.offset - this.lineStart + 1;
    if (cutInArray) {
      const what = this.itemDepth === 2 ? 'list' : 'array';
      this.warnAt(this.line, column, `the file ends inside the ${what} (cut short?); ${this.items} item${this.items === 1 ? '' : 's'} read`);
    } else if (!this.rootDone) {
      this.warnAt(this.line, column, 'the file ends before the list envelope closes (cut short?)');
    }
  }
}
