/**
 * JSON Lines read as a stream of large byte chunks: lines are split on `\n` bytes, a line cut by a
 * chunk boundary is carried to the next chunk, and only the lines a prefilter admits are decoded.
 * Memory stays at the buffer (twice the chunk size, more only for a longer line), whatever the
 * size of the input. Lines are numbered as `parseJsonLinesBuffer` numbers them, so warnings name
 * the same `file:line:col`.
 */
import {readSync} from 'node:fs';
import type {FileHandle} from 'node:fs/promises';
import {utf8BomLength} from './sniff.js';

const NEWLINE = 0x0a;

/**
 * A line's text: Buffer's own UTF-8 decoder, without toString's argument checks (a twentieth of a
 * large load was spent in them). `utf8Slice` is what toString calls inside Node 20–24 but is not
 * documented, so a Node without it gets toString.
 */
export const decodeLine: (view: Buffer, start: number, end: number) => string =
  typeof (Buffer.prototype as {utf8Slice?: unknown}).utf8Slice === 'function'
    ? (view, start, end) => (view as Buffer & {utf8Slice(start: number, end: number): string}).utf8Slice(start, end)
    : (view, start, end) => view.toString('utf8', start, end);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ID_KEY = Buffer.from('"id"');

/** Past the spaces JSON allows inside a line (space, tab, CR) from `at`, up to `end`. */
export function skipLineSpace(view: Uint8Array, at: number, end: number): number {
  while (at < end && (view[at] === 0x20 || view[at] === 0x09 || view[at] === 0x0d)) at += 1;
  return at;
}

/**
 * Whether `token` is at `at`, ending by `end`. A loop over its few bytes: Buffer's compare is a
 * call into C++ behind argument checks, which cost more than the comparing on every line.
 */
export function bytesAt(view: Uint8Array, at: number, end: number, token: Uint8Array): boolean {
  if (at + token.length > end) return false;
  for (let index = 0; index < token.length; index += 1) if (view[at + index] !== token[index]) return false;
  return true;
}

/**
 * Where the id of a line that starts `{"id":"…"` (spaces allowed) begins: just after its opening
 * quote; -1 for any other line. The API and `jq -c` write runs and messages so.
 */
export function leadingIdStart(view: Uint8Array, start: number, end: number): number {
  let at = skipLineSpace(view, start, end);
  if (view[at] !== 0x7b) return -1;
  at = skipLineSpace(view, at + 1, end);
  if (!bytesAt(view, at, end, ID_KEY)) return -1;
  at = skipLineSpace(view, at + ID_KEY.length, end);
  if (view[at] !== 0x3a) return -1;
  at = skipLineSpace(view, at + 1, end);
  return at < end && view[at] === QUOTE ? at + 1 : -1;
}

/**
 * The closing quote of a string that starts at `from` (just after its opening quote), or -1 when
 * it holds an escape or a control character before one (then only a parse reads it as JSON.parse
 * would) or does not end by `end`.
 */
export function plainStringEnd(view: Uint8Array, from: number, end: number): number {
  for (let at = from; at < end; at += 1) {
    const byte = view[at]!;
    if (byte === QUOTE) return at;
    if (byte === BACKSLASH || byte < 0x20) return -1;
  }
  return -1;
}

/**
 * The id of a line that starts `{"id":"…"`, read from its bytes; null for any other line (it is
 * parsed instead). An id holding an escape or a control character is parsed too, so what is read
 * here is what JSON.parse would read.
 */
export function leadingId(view: Buffer, start: number, end: number): string | null {
  const from = leadingIdStart(view, start, end);
  if (from === -1) return null;
  const close = plainStringEnd(view, from, end);
  return close === -1 ? null : decodeLine(view, from, close);
}

/** Bytes asked for per read: large reads are what make scanning a big file cheap. */
export const DEFAULT_CHUNK_BYTES = 1 << 20;

/**
 * A decoded line (its `\r` and indentation kept, for columns), its 1-based number, its bytes
 * (valid during the call only: the buffer is reused) and where they start in the input; false
 * stops the scan.
 */
export type LineHandler = (rawLine: string, lineNumber: number, bytes: Buffer, offset: number) => boolean;

function isAsciiSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/** Whether a line holds more than whitespace (as `String.prototype.trim` sees it). */
export function hasContent(bytes: Buffer, start: number, end: number): boolean {
  for (let index = start; index < end; index += 1) {
    const byte = bytes[index]!;
    if (isAsciiSpace(byte)) continue;
    // Non-ASCII whitespace (U+00A0, U+FEFF, …) is rare: decode only then.
    return byte < 0x80 || bytes.toString('utf8', start, end).trim() !== '';
  }
  return false;
}

/**
 * Decides from a line's bytes, before it is decoded, whether it goes to the handler:
 * LinePrefilter, or print mode's survey of run ids.
 */
export interface LineAdmitter {
  /** Starts on a new block of bytes, `offset` bytes into the input; its lines are then tested in ascending order. */
  reset(view: Buffer, offset: number): void;
  /** Whether the line at bytes [start, end) of the view, numbered `lineNumber`, is handled. */
  admits(start: number, end: number, lineNumber: number): boolean;
}

export class JsonLinesScanner {
  private buffer: Buffer;
  /** Bytes [0, filled) are unprocessed input that starts at a line start. */
  private filled = 0;
  /** Where in the input buffer[0] is. */
  private base = 0;
  private lineNumber = 0;
  private atStart = true;
  /** Whether any line held more than whitespace. */
  sawContent = false;
  /** Whether the prefilter ruled out a line with content (which then was never parsed). */
  skippedContent = false;
  /** Set once the handler returned false: no more lines are handled. */
  stopped = false;

  constructor(
    private readonly onLine: LineHandler,
    private readonly prefilter: LineAdmitter | null = null,
    private readonly chunkBytes = DEFAULT_CHUNK_BYTES,
    /**
     * Sees each line's bytes before it is decoded and may take it (true): then the line goes no
     * further. The JSON Lines reader hands message lines to its worker so (messageLines.ts).
     */
    private readonly claim: ((bytes: Buffer, lineNumber: number, offset: number) => boolean) | null = null,
  ) {
    this.buffer = Buffer.allocUnsafe(2 * chunkBytes);
  }

  /** Where the next read goes: at least `chunkBytes` free, after the line still being read. */
  space(): Buffer {
    if (this.buffer.length - this.filled < this.chunkBytes) {
      // Only a line longer than a chunk gets here: grow for it.
      const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.filled + this.chunkBytes));
      this.buffer.copy(grown, 0, 0, this.filled);
      this.buffer = grown;
    }
    return this.buffer.subarray(this.filled);
  }

  /** `bytes` were written at the start of `space()`: handles the lines they complete. */
  commit(bytes: number): void {
    this.filled += bytes;
    this.handleLines(false);
  }

  /** Input from a stream, copied in (in pieces no larger than a chunk). */
  push(chunk: Buffer): void {
    for (let offset = 0; offset < chunk.length && !this.stopped; ) {
      const space = this.space();
      const copied = chunk.copy(space, 0, offset, offset + Math.min(this.chunkBytes, space.length));
      offset += copied;
      this.commit(copied);
    }
  }

  /** The input ended: handles the last line, which may lack its newline. */
  finish(): void {
    this.handleLines(true);
  }

  private handleLines(final: boolean): void {
    if (this.stopped) return;
    let start = 0;
    if (this.atStart) {
      // A UTF-8 byte order mark is not part of the first line; wait for three bytes to tell.
      if (this.filled < 3 && !final) return;
      this.atStart = false;
      start = utf8BomLength(this.buffer);
    }
    const view = this.buffer.subarray(0, this.filled);
    this.prefilter?.reset(view, this.base);
    while (!this.stopped) {
      let end = view.indexOf(NEWLINE, start);
      if (end === -1) {
        if (!final) break;
        end = view.length;
      }
      this.lineNumber += 1;
      this.visitLine(view, start, end);
      start = end + 1;
      if (end === view.length) break;
    }
    if (final || this.stopped) {
      this.base += this.filled;
      this.filled = 0;
      return;
    }
    // Carry the unfinished line to the front, where the next read continues it.
    this.buffer.copy(this.buffer, 0, start, this.filled);
    this.filled -= start;
    this.base += start;
  }

  private visitLine(view: Buffer, start: number, end: number): void {
    if (this.prefilter && !this.prefilter.admits(start, end, this.lineNumber)) {
      if (!this.skippedContent && hasContent(view, start, end)) {
        this.skippedContent = true;
        this.sawContent = true;
      }
      return;
    }
    if (!this.sawContent && hasContent(view, start, end)) this.sawContent = true;
    if (this.claim?.(view.subarray(start, end), this.lineNumber, this.base + start)) return;
    if (!this.onLine(decodeLine(view, start, end), this.lineNumber, view.subarray(start, end), this.base + start)) this.stopped = true;
  }
}

/**
 * Reads a file through the scanner, from its current position to its end, or `length` bytes on
 * (or until the handler stops it). `afterChunk` runs after each read, e.g. to flush output and
 * wait for the pipe. Returns the bytes read.
 *
 * The reads are synchronous: each waited for the thread pool and then for the event loop, which
 * on a busy machine cost print mode more than copying the bytes (a 215 MB file read twice spent
 * 140 ms idle), and nothing else runs while `list` scans a file but the output it flushes here.
 */
export async function scanFile(handle: FileHandle, scanner: JsonLinesScanner, afterChunk: () => Promise<void> | void, length = Infinity): Promise<number> {
  let total = 0;
  while (!scanner.stopped && total < length) {
    const space = scanner.space();
    const bytesRead = readSync(handle.fd, space, 0, Math.min(space.length, length - total), null);
    if (bytesRead === 0) break;
    total += bytesRead;
    scanner.commit(bytesRead);
    await afterChunk();
  }
  scanner.finish();
  await afterChunk();
  return total;
}

/** Reads chunks (stdin's, say) through the scanner until they end or the handler stops it. */
export async function scanChunks(chunks: AsyncIterable<Buffer | string>, scanner: JsonLinesScanner, afterChunk: () => Promise<void> | void): Promise<void> {
  for await (const chunk of chunks) {
    scanner.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    await afterChunk();
    if (scanner.stopped) break;
  }
  scanner.finish();
  await afterChunk();
}
