/**
 * The message lines of a large JSON Lines file, read on a second thread. A message kept small
 * (model/detachedRun.ts) needs ten short fields of its line; parsing the line, normalizing it and
 * collecting the garbage were most of a load of 100,000 runs and 300,000 messages on the thread
 * that also draws. So the reader hands such lines to a `MessageChecker` (messageChecker.ts: a
 * worker thread), which parses each with JSON.parse and the same collectRuns as every other line,
 * and sends back, for the lines that are one well-formed message and nothing else, those fields
 * in a compact form (one string, two typed arrays: `MessageWire`), not objects. Every other line
 * (bad JSON, a field problem, a duplicate `object` key that makes it a run) is read here, the
 * ordinary way, with its warnings.
 *
 * Everything the reader finds keeps the order of the lines: what comes after a line still out on
 * the worker waits behind it (`MessageLineRouter`), so runs, messages and warnings reach the load
 * exactly as the ordinary path gives them. The load is not done until every line is back
 * (`settled`).
 */
import {lightMessage, type LightMessage} from '../model/detachedRun.js';
import {bytesAt, decodeLine, leadingIdStart, plainStringEnd, skipLineSpace} from './jsonLinesScanner.js';
import {addSideItem, emptyItems, SIDE_KINDS, type ParsedItems, type SideKey} from '../model/itemKinds.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COLON = 0x3a;
const COMMA = 0x2c;

const OBJECT_KEY = Buffer.from('"object"');
const MESSAGE_OBJECT = Buffer.from('"thread.message"');

/** Just after `"key"` and `:` at `at` (spaces around), or -1. */
function afterKey(bytes: Buffer, at: number, key: Buffer): number {
  if (!bytesAt(bytes, at, bytes.length, key)) return -1;
  at = skipLineSpace(bytes, at + key.length, bytes.length);
  return bytes[at] === COLON ? skipLineSpace(bytes, at + 1, bytes.length) : -1;
}

/**
 * Whether a line's bytes open an object whose first member is `"object":"thread.message"`, or
 * whose first is a plain `"id"` string and second that (the API's order): members at the top
 * level for certain, found without parsing. It only picks the lines to send to the worker, which
 * decides what each is; a line that is not one message after all is read the ordinary way.
 */
export function looksLikeMessageLine(bytes: Buffer): boolean {
  const end = bytes.length;
  let at = skipLineSpace(bytes, 0, end);
  const idFrom = leadingIdStart(bytes, at, end);
  if (idFrom !== -1) {
    // An id with an escape in it is left to the ordinary path (its quote may be escaped).
    const close = plainStringEnd(bytes, idFrom, end);
    if (close === -1) return false;
    at = skipLineSpace(bytes, close + 1, end);
    if (bytes[at] !== COMMA) return false;
    at = skipLineSpace(bytes, at + 1, end);
  } else {
    if (bytes[at] !== OPEN_BRACE) return false;
    at = skipLineSpace(bytes, at + 1, end);
  }
  const value = afterKey(bytes, at, OBJECT_KEY);
  if (value === -1 || !bytesAt(bytes, value, end, MESSAGE_OBJECT)) return false;
  const next = bytes[skipLineSpace(bytes, value + MESSAGE_OBJECT.length, end)];
  return next === COMMA || next === CLOSE_BRACE;
}

/** Bytes of lines gathered before a batch goes to the worker: a few hundred lines or more, not one message per line. */
const BATCH_BYTES = 1 << 20;

/** Batches out on the worker at most; past them, message lines are read on this thread (see `route`). */
const MAX_OUTSTANDING = 4;

/**
 * Batch buffers back from the worker, for the next batches: a new megabyte for each of a few
 * hundred batches was external memory that V8 counts towards its next collection.
 */
const SPARE_BUFFERS: Buffer[] = [];
const MAX_SPARE_BUFFERS = 8;

/** Lines sent to the worker together: their bytes one after another, and where each was in the file. */
export class MessageLineBatch {
  /** The lines' bytes, one after another (not Node's shared pool: it is copied to the worker whole). */
  bytes = SPARE_BUFFERS.pop() ?? Buffer.allocUnsafeSlow(BATCH_BYTES);
  filled = 0;
  /** Where each line ends in `bytes`. */
  ends = new Int32Array(256);
  count = 0;
  readonly lineNumbers: number[] = [];
  /** Where each line starts in its file. */
  readonly offsets: number[] = [];

  add(line: Buffer, lineNumber: number, offset: number): void {
    if (this.filled + line.length > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, this.filled + line.length));
      this.bytes.copy(grown, 0, 0, this.filled);
      this.bytes = grown;
    }
    if (this.count === this.ends.length) {
      const grown = new Int32Array(2 * this.ends.length);
      grown.set(this.ends);
      this.ends = grown;
    }
    line.copy(this.bytes, this.filled);
    this.filled += line.length;
    this.ends[this.count] = this.filled;
    this.count += 1;
    this.lineNumbers.push(lineNumber);
    this.offsets.push(offset);
  }

  /** The batch is done with: its buffer goes to the next one. */
  release(): void {
    if (this.bytes.length === BATCH_BYTES && SPARE_BUFFERS.length < MAX_SPARE_BUFFERS) SPARE_BUFFERS.push(this.bytes);
    this.bytes = EMPTY;
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * What the worker says of a batch: per line, whether it is one well-formed message, and of those
 * the light fields (`lightMessage`), in line order.
 */
export interface MessageWire {
  /**
   * Per line: ACCEPTED when it is one well-formed message with an id new to its stream (its fields
   * follow), ACCEPTED_AGAIN the same with an id the stream had, 0 when it is read the ordinary way.
   */
  accepted: Uint8Array;
  /** The accepted messages' string fields, one after another. */
  text: string;
  /**
   * Per accepted message, each of its STRINGS_PER_MESSAGE strings: its length in `text`;
   * NULL_STRING for null; or, for a value that repeats (a thread, an assistant, a role, a
   * status), FIRST_REFERENCE - n for the table's nth value. The table is the stream's values sent
   * in `text` before (TABLE_LIMIT at most), which the reader keeps as the checker does: 300,000
   * messages make a few thousand strings here, not 1.8 million.
   */
  lengths: Int32Array;
  /** Per accepted message, its times (TIMES_PER_MESSAGE of them), NaN for null (JSON has no NaN). */
  times: Float64Array;
}

export const ACCEPTED = 1;
export const ACCEPTED_AGAIN = 2;

export const NULL_STRING = -1;
export const FIRST_REFERENCE = -2;
/** Values a stream's table holds at most; later new values are sent as they are. */
export const TABLE_LIMIT = 1 << 16;

/** id, threadId, runId, assistantId, role, status, incompleteReason. */
export const STRINGS_PER_MESSAGE = 7;
/** createdAt, completedAt, incompleteAt. */
export const TIMES_PER_MESSAGE = 3;

/** Reads the accepted messages' fields out of a MessageWire, one message after another. */
class WireReader {
  private at = 0;
  private strings = 0;
  private times = 0;

  constructor(
    private readonly wire: MessageWire,
    /** The stream's values sent before, as the checker numbered them. */
    private readonly table: string[],
  ) {}

  private string(repeats = false): string | null {
    const length = this.wire.lengths[this.strings++]!;
    if (length === NULL_STRING) return null;
    if (length <= FIRST_REFERENCE) return this.table[FIRST_REFERENCE - length]!;
    this.at += length;
    const value = this.wire.text.slice(this.at - length, this.at);
    if (repeats && this.table.length < TABLE_LIMIT) this.table.push(value);
    return value;
  }

  private time(): number | null {
    const value = this.wire.times[this.times++]!;
    return Number.isNaN(value) ? null : value;
  }

  /** The next accepted message's fields, in the order messageCheck.ts writes them. */
  next(): LightMessage {
    return {
      id: this.string()!,
      threadId: this.string(true),
      runId: this.string(),
      assistantId: this.string(true),
      role: this.string(true)!,
      status: this.string(true),
      incompleteReason: this.string(true),
      createdAt: this.time(),
      completedAt: this.time(),
      incompleteAt: this.time(),
    };
  }
}

/** Checks batches of message lines (messageChecker.ts), each of a stream: a file's lines, whose ids it keeps until `close`. */
export interface MessageChecker {
  check(batch: MessageLineBatch, stream: number): Promise<MessageWire>;
  close(stream: number): void;
}

/** Each router's stream number: the checker keeps ids per stream. */
let lastStream = 0;

/** What a line read the ordinary way goes through: the reader parses `rawLine` and adds what it held to `into`. */
export type ReadLine = (rawLine: string, lineNumber: number, offset: number, length: number, into: ParsedItems) => void;

/**
 * A batch of message lines and what the reader read between and after them, in line order: the
 * reader's items wait in `held`, each at the number of the batch's lines before it, until the
 * batch is back (`items`).
 */
interface Segment {
  batch: MessageLineBatch;
  held: Array<{at: number; items: ParsedItems}>;
  items: ParsedItems | null;
  /** Whether every message of `items` is fresh (see FreshRange): the batch's, none read here, no id again. */
  fresh: boolean;
}

/** How many items of each kind, and warnings, a ParsedItems holds: those after are the ones read since. */
export interface ItemCounts {
  runs: number;
  warnings: number;
  side: {[K in SideKey]?: number};
}

const NO_ITEMS: ItemCounts = {runs: 0, warnings: 0, side: {}};

/** Appends what `from` holds after `since` (everything, when not given) to `into`, kind by kind, in order. */
export function moveItems(from: ParsedItems, into: ParsedItems, since: ItemCounts = NO_ITEMS): void {
  for (let index = since.runs; index < from.runs.length; index += 1) into.runs.push(from.runs[index]!);
  for (let index = since.warnings; index < from.warnings.length; index += 1) into.warnings.push(from.warnings[index]!);
  for (const {key} of SIDE_KINDS) {
    const list = from[key];
    if (list) for (let index = since.side[key] ?? 0; index < list.length; index += 1) addSideItem(into, key, list[index] as never);
  }
}

/**
 * Sends message lines to the checker and puts what comes back, and what the reader read after
 * them, into `out` in line order. The first `routeAfter` message lines of a file are read here:
 * a small file is over before a worker would be ready.
 */
export class MessageLineRouter {
  /** The batch being filled, last of the segments. */
  private batch: MessageLineBatch | null = null;
  private readonly segments: Segment[] = [];
  private readonly outstanding = new Set<Promise<void>>();
  private seen = 0;
  private abandoned = false;
  private readonly stream = ++lastStream;
  /** The values the checker sent once for this stream (see MessageWire). */
  private readonly table: string[] = [];

  constructor(
    private readonly file: string,
    private readonly out: ParsedItems,
    private readonly checker: MessageChecker,
    private readonly readLine: ReadLine,
    private readonly routeAfter: number,
  ) {}

  /** Whether lines are still out, so that what the reader reads now must wait behind them (`hold`). */
  get holding(): boolean {
    return this.segments.length > 0;
  }

  /** Takes a message line (see looksLikeMessageLine) for the worker; false when the reader reads it itself. */
  route(line: Buffer, lineNumber: number, offset: number): boolean {
    this.seen += 1;
    if (this.seen <= this.routeAfter) return false;
    // A full batch goes before this line is added: its buffer never grows but for a line longer than it.
    if (this.batch && this.batch.filled + line.length > BATCH_BYTES) this.send();
    // The worker is behind (a busy machine gives its thread little time): this thread reads the
    // line itself rather than queue more megabytes for it.
    if (!this.batch && this.outstanding.size >= MAX_OUTSTANDING) return false;
    if (!this.batch) {
      this.batch = new MessageLineBatch();
      this.segments.push({batch: this.batch, held: [], items: null, fresh: true});
    }
    this.batch.add(line, lineNumber, offset);
    return true;
  }

  /** Where the reader puts what it read while lines are out (only when `holding`): behind the lines before it. */
  hold(): ParsedItems {
    const last = this.segments[this.segments.length - 1]!;
    if (last.items) return last.items;
    const at = last.batch.count;
    const tail = last.held[last.held.length - 1];
    if (tail && tail.at === at) return tail.items;
    const items = emptyItems();
    last.held.push({at, items});
    return items;
  }

  /** Sends the batch being filled (at the end of each piece read, so the worker keeps up). */
  send(): void {
    const {batch} = this;
    if (!batch) return;
    this.batch = null;
    const segment = this.segments[this.segments.length - 1]!;
    const done = this.checker.check(batch, this.stream).then((wire) => {
      if (!this.abandoned) segment.items = this.itemsOf(segment, wire);
      batch.release();
      // Gone from the outstanding set either way, so settled() after an abort still ends.
      this.outstanding.delete(done);
      if (this.abandoned) return;
      this.flush();
    });
    this.outstanding.add(done);
  }

  /** The load stopped (aborted): nothing more goes to `out`, and the checker forgets the stream. */
  abandon(): void {
    this.abandoned = true;
    this.batch = null;
    this.checker.close(this.stream);
  }

  /** Resolves once every line sent is back and in `out`. */
  async settled(): Promise<void> {
    this.send();
    while (this.outstanding.size > 0) await Promise.all(this.outstanding);
    this.checker.close(this.stream);
  }

  /** A batch's lines as messages (or read here, those not accepted), with what was held between them, in line order. */
  private itemsOf(segment: Segment, wire: MessageWire): ParsedItems {
    const {batch, held} = segment;
    const items: ParsedItems = {runs: [], warnings: [], messages: []};
    const messages = items.messages!;
    const reader = new WireReader(wire, this.table);
    let next = 0;
    for (let index = 0; index < batch.count; index += 1) {
      while (next < held.length && held[next]!.at === index) moveItems(held[next++]!.items, items);
      const start = index === 0 ? 0 : batch.ends[index - 1]!;
      const end = batch.ends[index]!;
      const lineNumber = batch.lineNumbers[index]!;
      const offset = batch.offsets[index]!;
      const accepted = wire.accepted[index];
      if (accepted === ACCEPTED || accepted === ACCEPTED_AGAIN) messages.push(lightMessage(reader.next(), this.file, lineNumber, offset, end - start));
      else this.readLine(decodeLine(batch.bytes, start, end), lineNumber, offset, end - start, items);
      if (accepted !== ACCEPTED) segment.fresh = false;
    }
    while (next < held.length) moveItems(held[next++]!.items, items);
    // Messages read here (held, or lines not accepted) may have any id.
    if (messages.length !== wire.lengths.length / STRINGS_PER_MESSAGE) segment.fresh = false;
    return items;
  }

  /** Moves the segments that are back, from the first, into `out`, saying which of its messages are fresh. */
  private flush(): void {
    const {out} = this;
    while (this.segments.length > 0 && this.segments[0]!.items) {
      const {items, fresh} = this.segments.shift()!;
      const from = out.messages?.length ?? 0;
      moveItems(items!, out);
      const count = items!.messages?.length ?? 0;
      if (!fresh || count === 0) continue;
      // One range: the one before goes on when it ends here, else this one replaces it (its messages are then indexed one by one).
      const range = out.freshMessages;
      if (range && range.stream === this && range.to === from) range.to += count;
      else out.freshMessages = {stream: this, from, to: from + count};
    }
  }
}
