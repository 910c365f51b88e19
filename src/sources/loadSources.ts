import {close, fstat, open, read} from 'node:fs';
import {readdir, realpath, stat} from 'node:fs/promises';
import {Socket} from 'node:net';
import path from 'node:path';
import {promisify} from 'node:util';
import type {Readable} from 'node:stream';
import {parseJson} from '../format/jsonError.js';
import {compareRunStates} from '../model/latestRun.js';
import type {Run} from '../model/run.js';
import {decodeInput, decompressionWarning, type DecodedInput} from './compression.js';
import {headIsRunArray} from './jsonArrayReader.js';
import {isJsonLinesName, JsonLinesReader, parseRunText, runArrayReader} from './parseRunText.js';
import {clearItems, SIDE_KINDS, type ItemTypes, type ParsedItems, type SideItems, type SideItemsView, type SideKey} from '../model/itemKinds.js';
import type {LoadWarning} from '../model/loadWarning.js';
import {markSourceKind} from './sourceKind.js';
import {isSseFileName} from './sseTranscript.js';

/** Whether bytes that start so can be split into lines as UTF-8: not UTF-16, not a stream transcript. */
export function headReadsAsJsonLines(head: Buffer): boolean {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  const text = head.toString('utf8', 0, Math.min(head.length, 256)).replace(/^\ufeff/, '').trimStart();
  return !text.startsWith('event:') && !text.startsWith('data:') && !text.startsWith(':');
}

/** Everything loaded from the command line's sources. */
export interface LoadedRuns extends SideItems {
  /** Unique by id, in the order first seen, each in its latest state (RunCollection). */
  runs: Run[];
  warnings: LoadWarning[];
  /** The sources as the user named them. */
  sources: string[];
  /** Files that were read (folders expanded). */
  files: string[];
}

/** What a folder's files are read for: JSON, JSON Lines and stream transcripts, each also gzip- or zstd-compressed. */
const RUN_FILE = /\.(json|jsonl|ndjson|sse|sse\.txt)(\.(gz|zst))?$/i;

/** The label stdin gets in warnings and the header. */
export const STDIN_LABEL = '<stdin>';

/** Where a run was read, as warnings name it: `file` or `file:line`. */
export function placeOf(run: Run): string {
  return `${run.source.file}${run.source.line ? `:${run.source.line}` : ''}`;
}

/**
 * Of two copies of one run, read in this order, the one to show: the later state by
 * `compareRunStates`, and on a true tie the one read later. Copies in different states are
 * silent (a run's states over time are not bad input); a true tie whose content differs is a
 * warning naming both places, as the choice then rests on the reading order alone.
 */
export function keepLatestCopy(held: Run, incoming: Run, warn: (warning: LoadWarning) => void, heldPlace = placeOf(held)): Run {
  const order = compareRunStates(incoming, held);
  if (order < 0) return held;
  if (order === 0 && !sameJson(held.raw, incoming.raw)) {
    warn({location: placeOf(incoming), message: `${incoming.id} also appears in ${heldPlace} with different content; showing this one`});
  }
  return incoming;
}

/**
 * Keeps one run per id, in the order first seen, each in its latest state (`keepLatestCopy`): a
 * later copy replaces an earlier one in place unless the earlier one is the later state.
 */
export class RunCollection {
  private readonly byId = new Map<string, number>();
  readonly runs: Run[] = [];
  readonly warnings: LoadWarning[] = [];
  /**
   * Bumped whenever `runs` changes, a run added or replaced: a viewer of the shared array (the
   * TUI's streaming load) tells by it that a copy was replaced, which the length does not show.
   */
  revision = 0;

  /** The side kinds (steps, messages): each id once per kind, in the order first seen. */
  readonly side: SideItems = {};
  private readonly sideIndex = new Map<string, number>();

  /**
   * A step, a message…: a later copy of one replaces the earlier in place. Unlike a run's, its
   * copies are not weighed: a transcript or a poll log writes them in the order they happened.
   */
  addSide<K extends SideKey>(key: K, item: ItemTypes[K]): void {
    const list = (this.side[key] ??= []) as ItemTypes[K][];
    const id = `${key}\u0000${item.id}`;
    const index = this.sideIndex.get(id);
    if (index === undefined) {
      this.sideIndex.set(id, list.length);
      list.push(item);
    } else {
      list[index] = item;
    }
    this.revision += 1;
  }

  /** Adds every item of a load or a parse: runs by `add`, the rest by `addSide`. */
  addItems(items: {readonly runs: readonly Run[]} & SideItemsView): void {
    for (const run of items.runs) this.add(run);
    for (const {key} of SIDE_KINDS) for (const item of items[key] ?? []) this.addSide(key, item);
  }

  add(run: Run): void {
    const index = this.byId.get(run.id);
    if (index === undefined) {
      this.byId.set(run.id, this.runs.length);
      this.runs.push(run);
      this.revision += 1;
      return;
    }
    const previous = this.runs[index]!;
    const kept = keepLatestCopy(previous, run, (warning) => this.warnings.push(warning));
    if (kept === previous) return;
    this.runs[index] = kept;
    this.revision += 1;
  }
}

/**
 * Whether two parsed JSON values are equal, key order aside. Not JSON.stringify: it recurses, and
 * a run nested some thousands of levels deep overflowed the stack; this walks with its own stack.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  const pending: Array<[unknown, unknown]> = [[a, b]];
  for (let pair = pending.pop(); pair; pair = pending.pop()) {
    const [left, right] = pair;
    if (left === right) continue;
    if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
    if (Array.isArray(left) !== Array.isArray(right)) return false;
    const leftKeys = Object.keys(left);
    if (leftKeys.length !== Object.keys(right).length) return false;
    for (const key of leftKeys) {
      if (!Object.hasOwn(right, key)) return false;
      pending.push([(left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]]);
    }
  }
  return true;
}

/** Decodes a file's bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM. */
export function decodeRunFile(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return bytes.toString('utf8');
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EISDIR':
      return 'is a folder';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Lists run files under a folder, recursively, sorted, following links but not loops. A loop is a
 * link back to a folder being listed (`ancestors`); a folder reached twice otherwise (named twice,
 * or linked from a sibling) is listed again, and its files are read once by the caller.
 */
async function listRunFiles(folder: string, warnings: LoadWarning[], ancestors: Set<string>): Promise<string[]> {
  let real: string;
  try {
    real = await realpath(folder);
  } catch (error) {
    warnings.push({location: folder, message: describeFsError(error)});
    return [];
  }
  if (ancestors.has(real)) {
    warnings.push({location: folder, message: 'symbolic link loop (links to a folder it is in); skipped'});
    return [];
  }
  let entries;
  try {
    entries = await readdir(folder, {withFileTypes: true});
  } catch (error) {
    warnings.push({location: folder, message: describeFsError(error)});
    return [];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  ancestors.add(real);
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = await stat(full);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch (error) {
        if (RUN_FILE.test(entry.name) || !path.extname(entry.name)) {
          warnings.push({location: full, message: `${describeFsError(error)} (symbolic link)`});
        }
        continue;
      }
    }
    if (isDirectory) files.push(...(await listRunFiles(full, warnings, ancestors)));
    else if (isFile && RUN_FILE.test(entry.name)) files.push(full);
  }
  ancestors.delete(real);
  return files;
}

/** How far a load has come, for the progress bar. */
export interface LoadProgress {
  /** Bytes read so far, over every file. */
  bytesRead: number;
  /** Bytes of every file named, when known (not for stdin). */
  totalBytes: number | null;
  /** Runs loaded so far (each id once). */
  runs: number;
  /** The file being read. */
  file: string | null;
}

/** What a load has found so far, handed out while it goes on (the lists are the load's own: copy them to keep). */
export interface PartialLoad extends SideItemsView {
  runs: readonly Run[];
  warnings: readonly LoadWarning[];
  /** Changes whenever `runs` does, a copy replaced in place included (RunCollection.revision). */
  revision: number;
}

export interface LoadOptions {
  /** Read for the source `-`. */
  stdin?: Readable;
  /**
   * Told after every piece read, with the runs so far. When given, large JSON Lines files are read
   * in pieces and the load yields to the event loop between them, so a UI draws the first rows
   * and answers keys while the rest loads. A promise it returns holds the load until it settles
   * (the TUI: until its first frame is drawn).
   */
  onProgress?: (progress: LoadProgress, partial: PartialLoad) => void | Promise<void>;
  /** Ends the load early (between pieces), with what has been read so far. */
  signal?: AbortSignal;
  /**
   * Keep runs of JSON Lines files small and read them again from the file when opened
   * (see DetachedRun): what the TUI does with large files. Print mode reads each run once.
   */
  detachRuns?: boolean;
}

/** The first piece is small so that the first rows appear at once; later pieces are larger. */
const FIRST_PIECE_BYTES = 64 * 1024;
const PIECE_BYTES = 2 * 1024 * 1024;

/** What to read, in order; `warnings` (a source not found, a dangling link) keep their place among the files' own. */
type Target = {kind: 'stdin'} | {kind: 'file'; file: string; size: number | null} | {kind: 'warnings'; warnings: LoadWarning[]};

/** The files behind the sources, folders expanded, each once; what cannot be found is a warning. */
async function listTargets(sources: readonly string[], withSizes: boolean): Promise<Target[]> {
  const targets: Target[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    if (source === '-') {
      targets.push({kind: 'stdin'});
      continue;
    }
    const warnings: LoadWarning[] = [];
    targets.push({kind: 'warnings', warnings});
    let isDirectory = false;
    try {
      isDirectory = (await stat(source)).isDirectory();
    } catch (error) {
      warnings.push({location: source, message: describeFsError(error)});
      continue;
    }
    const files = isDirectory ? await listRunFiles(source, warnings, new Set()) : [source];
    if (isDirectory && files.length === 0) {
      warnings.push({location: source, message: 'no .json, .jsonl, .ndjson or .sse files in this folder'});
    }
    for (const file of files) {
      // A file named twice (`runlens examples examples/weather-bot`) is read once.
      const resolved = path.resolve(file);
      if (seen.has(resolved)) continue;
      seen.add(resolved);
      targets.push({kind: 'file', file, size: null});
    }
  }
  if (withSizes) {
    await Promise.all(
      targets.map(async (target) => {
        if (target.kind !== 'file') return;
        try {
          target.size = (await stat(target.file)).size;
        } catch {
          // Reported when the file is read.
        }
      }),
    );
  }
  return targets;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Loads runs from files, folders (recursively: .json, .jsonl, .ndjson, .sse, .sse.txt, and each
 * of them as .gz or .zst) and `-` (stdin); compressed input is found by its first bytes.
 * Never throws for bad input: whatever cannot be read or parsed becomes a warning.
 */
export async function loadRunsFromSources(sources: readonly string[], options: LoadOptions = {}): Promise<LoadedRuns> {
  const collection = new RunCollection();
  const warnings: LoadWarning[] = [];
  const files: string[] = [];
  const {onProgress, signal, detachRuns = false} = options;
  const targets = await listTargets(sources, onProgress !== undefined);
  const sizes = targets.flatMap((target) => (target.kind === 'file' ? [target.size] : target.kind === 'stdin' ? [null] : []));
  const totalBytes = sizes.includes(null) ? null : sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0);
  let bytesBefore = 0;

  const take = (parsed: ParsedItems) => {
    warnings.push(...parsed.warnings);
    collection.addItems(parsed);
    clearItems(parsed);
  };
  const report = async (file: string | null, bytesInFile: number) => {
    if (!onProgress) return;
    await onProgress(
      {bytesRead: bytesBefore + bytesInFile, totalBytes, runs: collection.runs.length, file},
      {...collection.side, runs: collection.runs, warnings: [...warnings, ...collection.warnings], revision: collection.revision},
    );
    await nextTurn();
  };

  for (const target of targets) {
    if (signal?.aborted) break;
    if (target.kind === 'warnings') {
      warnings.push(...target.warnings);
      continue;
    }
    if (target.kind === 'stdin') {
      const stdin = options.stdin ?? process.stdin;
      try {
        bytesBefore += await loadRunBytes(STDIN_LABEL, decodeInput(streamPieces(stdin)), (parsed) => take(markSourceKind(parsed, 'stdin')), onProgress ? (bytes) => report(STDIN_LABEL, bytes) : null, signal, false);
      } catch (error) {
        // A stream that fails (EIO, a closed pipe) is bad input like any other, not a crash.
        warnings.push({location: STDIN_LABEL, message: describeFsError(error)});
        continue;
      }
      files.push(STDIN_LABEL);
      await report(STDIN_LABEL, 0);
      continue;
    }
    const {file} = target;
    let read: number;
    try {
      read = await loadRunBytes(file, decodeInput(filePieces(file)), take, onProgress ? (bytes) => report(file, bytes) : null, signal, detachRuns);
    } catch (error) {
      warnings.push({location: file, message: describeFsError(error)});
      continue;
    }
    files.push(file);
    bytesBefore += read;
    await report(file, 0);
  }
  return {
    ...collection.side,
    runs: collection.runs,
    warnings: [...warnings, ...collection.warnings],
    sources: [...sources],
    files,
  };
}

// Plain descriptors, not FileHandles: a pipe's descriptor is handed to a socket, which closes it.
const openFd = promisify(open);
const fstatFd = promisify(fstat);
const closeFd = promisify(close);
const readFd = (fd: number, buffer: Buffer, offset: number, length: number, position: number | null) =>
  new Promise<number>((resolve, reject) => read(fd, buffer, offset, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))));

/** A file's bytes in pieces, the first one small. Reads go on from where the last ended, so a named pipe streams like a file. */
async function* filePieces(file: string): AsyncGenerator<Buffer> {
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

async function* streamPieces(stream: Readable): AsyncGenerator<Buffer> {
  for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
}

/**
 * How bytes with no name to go by (stdin) read: as JSON Lines when their first line is a JSON
 * value on its own (a one-line JSON document passes too, and parses the same), else whole;
 * `undecided` while that line is still incomplete and more may come (`ended` false).
 */
export function firstLineVerdict(bytes: Buffer, ended: boolean): 'json-lines' | 'whole' | 'undecided' {
  if (!headReadsAsJsonLines(bytes)) return 'whole';
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) {
      if (!ended) return 'undecided';
      end = bytes.length;
    }
    const line = bytes.toString('utf8', start, end).trim();
    if (line !== '') return parseJson(line).ok ? 'json-lines' : 'whole';
    start = end + 1;
  }
  return ended ? 'whole' : 'undecided';
}

/** A reader fed piece by piece: JsonLinesReader, JsonArrayReader. */
interface PieceReader {
  push(piece: Buffer): void;
  end(): void;
  /** Set by a reader that finds the input is not of its kind. */
  readonly unsupported?: boolean;
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
      await pieces.return(undefined);
      return true;
    }
    const result = await pieces.next();
    piece = result.done ? undefined : result.value;
  }
  reader.end();
  take(parsed);
  return !reader.unsupported;
}

/** How one file or stdin is read: line by line (JSON Lines), item by item (an array or list envelope), or whole. */
type Reading = 'json-lines' | 'array' | 'whole';

/**
 * How input that starts with `head` is read. `name` is the file's (its compression suffix does not
 * count), or null for stdin, whose first line decides JSON Lines. An array or list envelope is
 * read item by item whatever its size, so every mode and every size reads it the same way (one
 * broken item costs only itself); a first line that is a JSON value of its own says JSON Lines
 * instead (`[…]` one to a line). Anything else (a run, a transcript, UTF-16) is parsed whole.
 */
function readingFor(name: string | null, head: Buffer, ended: boolean): Reading {
  if (name !== null && isJsonLinesName(name)) return headReadsAsJsonLines(head) ? 'json-lines' : 'whole';
  const firstLine = firstLineVerdict(head, ended);
  if (name === null && firstLine === 'json-lines') return 'json-lines';
  if (firstLine !== 'json-lines' && headIsRunArray(head) && !(name !== null && isSseFileName(name))) return 'array';
  return 'whole';
}

/**
 * Reads one file, or stdin, into `take`: JSON Lines line by line and arrays item by item as they
 * are read, `report` (when given) told the source bytes read after each piece; anything else is
 * read whole and parsed as one text. Returns the source bytes read (compressed ones for a
 * compressed input).
 */
async function loadRunBytes(
  label: string,
  input: DecodedInput,
  take: (parsed: ParsedItems) => void,
  report: ((bytesRead: number) => Promise<void>) | null,
  signal: AbortSignal | undefined,
  detachRuns: boolean,
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
  const reading = readingFor(label === STDIN_LABEL ? null : label, first, ended);
  const parsed: ParsedItems = {runs: [], warnings: []};
  const finish = () => {
    if (input.error !== null) take({runs: [], warnings: [{location: label, message: decompressionWarning(input.compression, input.error)}]});
    return input.sourceBytes;
  };
  if (reading === 'json-lines') {
    await feedPieces(new JsonLinesReader(label, parsed, detach), parsed, first, input, take, report, signal);
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
