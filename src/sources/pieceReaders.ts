/**
 * Reading one input (a file, a pipe, stdin) piece by piece into the parsers: the pieces themselves
 * (a file's read by offset, a pipe's through a socket), the readers fed with them (JSON Lines line
 * by line, an array item by item, as `readingFor` decides once from the input's head), and the
 * fall-back of reading the rest whole for parseRunText.
 */
import {close, fstat, open, read} from 'node:fs';
import {Socket} from 'node:net';
import {promisify} from 'node:util';
import type {Readable} from 'node:stream';
import type {ParsedItems} from '../model/itemKinds.js';
import {decompressionWarning, type DecodedInput} from './compression.js';
import {messageChecker} from './messageChecker.js';
import {JsonLinesReader, parseRunText, runArrayReader} from './parseRunText.js';
import {decodeRunFile, readingFor} from './sniff.js';

/** The first piece is small so that the first rows appear at once; later pieces are larger. */
export const FIRST_PIECE_BYTES = 64 * 1024;
const PIECE_BYTES = 2 * 1024 * 1024;

// Plain descriptors, not FileHandles: a pipe's descriptor is handed to a socket, which closes it.
const openFd = promisify(open);
const fstatFd = promisify(fstat);
const closeFd = promisify(close);
const readFd = (fd: number, buffer: Buffer, offset: number, length: number, position: number | null) =>
  new Promise<number>((resolve, reject) => read(fd, buffer, offset, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))));

/** A file's bytes in pieces, the first one small. Reads go on from where the last ended, so a named pipe streams like a file. */
export async function* filePieces(file: string): AsyncGenerator<Buffer> {
  const fd = await openFd(file, 'r');
  if ((await fstatFd(fd)).isFIFO()) {
    // A pipe (`mkfifo`, or `<(command)`): read through libuv's pipe handle, which polls, rather
    // than the thread pool, whose blocked read of a silent pipe would keep q from quitting.
    const socket = new Socket({fd, readable: true, writable: false});
    try {
      yield* streamPieces(socket);
    } finally {
      socket.destroy();
    }
    return;
  }
  try {
    // One buffer for every later piece: a new one each time left hundreds of MB of spent
    // buffers waiting for the garbage collector while a large file loaded. So a piece is only
    // good until the next is asked for; whoever keeps one copies it.
    const buffer = Buffer.allocUnsafe(PIECE_BYTES);
    for (let size = FIRST_PIECE_BYTES; ; size = PIECE_BYTES) {
      const bytesRead = await readFd(fd, buffer, 0, size, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await closeFd(fd);
  }
}

export async function* streamPieces(stream: Readable): AsyncGenerator<Buffer> {
  for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
}

/** A reader fed piece by piece: JsonLinesReader, JsonArrayReader. */
interface PieceReader {
  push(piece: Buffer): void;
  end(): void;
  /** Set by a reader that finds the input is not of its kind. */
  readonly unsupported?: boolean;
  /** Resolves when what the reader handed to another thread is back (JsonLinesReader's message lines). */
  settled?(): Promise<void>;
  /** The load stopped before the end (JsonLinesReader drops what is on the worker). */
  abandon?(): void;
}

/**
 * Feeds `first`, then the rest of the input's pieces, to `reader`, handing what it found to
 * `take` and the source bytes so far to `report` after each piece; `keep` sees each piece after
 * the reader. Returns false when the reader said the input is not of its kind (the pieces not
 * yet read are left to the caller).
 */
async function feedPieces(
  reader: PieceReader,
  parsed: ParsedItems,
  first: Buffer,
  input: DecodedInput,
  take: (parsed: ParsedItems) => void,
  report: ((bytesRead: number) => Promise<void>) | null,
  signal: AbortSignal | undefined,
  keep?: (piece: Buffer) => void,
): Promise<boolean> {
  const {pieces} = input;
  for (let piece: Buffer | undefined = first; piece && piece.length > 0; ) {
    reader.push(piece);
    keep?.(piece);
    if (reader.unsupported) return false;
    take(parsed);
    if (report) await report(input.sourceBytes);
    if (signal?.aborted) {
      reader.abandon?.();
      await pieces.return(undefined);
      return true;
    }
    const result = await pieces.next();
    piece = result.done ? undefined : result.value;
  }
  reader.end();
  await reader.settled?.();
  take(parsed);
  return !reader.unsupported;
}

/**
 * Reads one file, or stdin, into `take`: JSON Lines line by line and arrays item by item as they
 * are read, `report` (when given) told the source bytes read after each piece; anything else is
 * read whole and parsed as one text. Returns the source bytes read (compressed ones for a
 * compressed input).
 */
export async function loadRunBytes(
  label: string,
  input: DecodedInput,
  take: (parsed: ParsedItems) => void,
  report: ((bytesRead: number) => Promise<void>) | null,
  signal: AbortSignal | undefined,
  detachRuns: boolean,
  /** The name that says the format (the label of a file); null for stdin, whose first line decides. */
  name: string | null,
): Promise<number> {
  const {pieces} = input;
  // The first piece decides how to parse; stdin's and decompressed pieces may be small, so gather a few.
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  for (;;) {
    const next = await pieces.next();
    if (next.done) {
      ended = true;
      break;
    }
    // Copies (Buffer.from): a file's pieces share one buffer.
    head.push(Buffer.from(next.value));
    headBytes += next.value.length;
    if (headBytes >= FIRST_PIECE_BYTES || next.value.includes(0x0a)) break;
  }
  const first = Buffer.concat(head);
  // Runs of a compressed file cannot be found again by their offset in it: they stay whole.
  const detach = detachRuns && input.compression === null;
  const reading = readingFor(name, first, ended);
  const parsed: ParsedItems = {runs: [], warnings: []};
  const finish = () => {
    if (input.error !== null) take({runs: [], warnings: [{location: label, message: decompressionWarning(input.compression, input.error)}]});
    return input.sourceBytes;
  };
  if (reading === 'json-lines') {
    // Kept small, a file's message lines are checked on the load's worker thread (messageLines.ts).
    await feedPieces(new JsonLinesReader(label, parsed, detach, detach ? {checker: messageChecker} : null), parsed, first, input, take, report, signal);
    return finish();
  }
  // What the array reader cannot vouch for yet is kept, in case the text must be parsed whole.
  const kept: Buffer[] = [];
  if (reading === 'array') {
    const reader = runArrayReader(label, parsed, detach);
    let keeping = true;
    const keep = (piece: Buffer) => {
      if (!keeping) return;
      if (reader.accepted) {
        keeping = false;
        kept.length = 0;
      } else {
        kept.push(piece === first ? first : Buffer.from(piece));
      }
    };
    if (await feedPieces(reader, parsed, first, input, take, report, signal, keep)) return finish();
  } else {
    kept.push(first);
  }
  for await (const piece of pieces) kept.push(Buffer.from(piece));
  take(parseRunText(decodeRunFile(Buffer.concat(kept)), label, {itemByItemTried: reading === 'array'}));
  return finish();
}
