import {parseJson, parseJsonTolerant, type JsonPosition, type TolerantParse} from '../format/jsonError.js';
import {describeNonRun} from '../model/normalize.js';
import {detachMessage, detachUnlessWaiting, staysWhole} from '../model/detachedRun.js';
import {addSideItem, emptyItems, itemKindOf, laterSideCopy, SIDE_KINDS, type ParsedItems, type SideKey} from '../model/itemKinds.js';
import {laterCopy} from '../model/latestRun.js';
import type {Run, SourceLocation} from '../model/run.js';
import type {ThreadMessage} from '../model/threadMessage.js';
import {JsonArrayReader} from './jsonArrayReader.js';
import {JsonLinesScanner} from './jsonLinesScanner.js';
import {listShape} from './listShape.js';
import {looksLikeMessageLine, MessageLineRouter, moveItems, type ItemCounts, type MessageChecker} from './messageLines.js';
import {noteWarnings, unsay} from './noteWarnings.js';
import {readOtherShape} from './otherShapes.js';
import {RepeatedTools} from './repeatedTools.js';
import {parseSseTranscript} from './sseTranscript.js';
import {firstLineIsJsonValue, looksLikeJsonLines, sniffText, withoutBom} from './sniff.js';

/** The warning a trailing comma gets wherever it is let pass: a whole document, a line, a data line. */
export const TRAILING_COMMA = 'a trailing comma; ignored';

const THE_VALUE = 'the value';

/**
 * Pulls items out of one parsed JSON value: an item (a run, a step, a message: see ITEM_KINDS),
 * an array of them, or a list (see `listShape`). Anything else becomes a warning, never an error.
 */
export function collectRuns(value: unknown, file: string, line: number | undefined, out: ParsedItems): void {
  const addItem = (candidate: unknown, label: string) => collectRunItem(candidate, file, label, out, line);

  if (Array.isArray(value)) {
    value.forEach((item, index) => addItem(item, `item ${index}`));
    return;
  }
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  const list = record ? listShape(record) : null;
  if (record && list) {
    const items = record[list.key];
    if (!Array.isArray(items)) {
      out.warnings.push({location: placeText(file, line), message: 'list envelope has no "data" array; skipped'});
      return;
    }
    if (list.warning) out.warnings.push({location: placeText(file, line), message: list.warning});
    items.forEach((item, index) => addItem(item, `${list.label}[${index}]`));
    return;
  }
  addItem(value, THE_VALUE);
}

/**
 * One value that should be an item: `label` says where it was (`item 3`, `data[3]`, `the value`).
 * Its kind (ITEM_KINDS) decides where it goes; anything that is no kind is a warning.
 */
export function collectRunItem(candidate: unknown, file: string, label: string, out: ParsedItems, line?: number): void {
  const kind = itemKindOf(candidate);
  if (kind === null) {
    out.warnings.push({location: placeText(file, line), message: `${label} is ${describeNonRun(candidate)}, not a run; skipped`});
    return;
  }
  const source: SourceLocation = line === undefined ? {file} : {file, line};
  const record = candidate as Record<string, unknown>;
  // Items without an id are told apart by where they are: with one name per file or line, the
  // second of two id-less runs in an array replaced the first as a "duplicate". An item with a
  // string id never uses the name, which is not built for it (400,000 strings in a large load).
  const fallbackId = typeof record['id'] === 'string' ? '' : `(no id) ${placeText(file, line)}${label === THE_VALUE ? '' : ` ${label}`}`;
  if (kind.key !== 'runs') {
    const item = kind.read(record, source, fallbackId);
    for (const problem of item.problems) out.warnings.push({location: placeText(file, line), message: `${kind.noun} ${item.id}: field ${problem.field}: ${problem.message}`});
    addSideItem(out, kind.key, item);
    return;
  }
  const run = kind.read(record, source, fallbackId);
  for (const problem of run.problems) {
    out.warnings.push({location: placeText(file, line), message: `${run.id}: field ${problem.field}: ${problem.message}`});
  }
  if (run.notes) out.warnings.push(...noteWarnings(run, file, placeText(file, line), out));
  out.runs.push(run);
}

/** `file` or `file:line`, as warnings name a place: made only for a warning, not for each of 400,000 items. */
function placeText(file: string, line: number | undefined): string {
  return line === undefined ? file : `${file}:${line}`;
}

/** Parses JSON Lines: a bad line is a warning and the other lines still load. */
export function parseJsonLines(text: string, file: string, out: ParsedItems): void {
  let lineNumber = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNumber += 1;
    const rawLine = text.slice(start, end);
    start = end + 1;
    if (!parseJsonLine(rawLine, lineNumber, file, out) && end === text.length) break;
  }
}

/**
 * JSON Lines straight from the file's bytes, one line decoded at a time. Decoding a whole large
 * file first makes one huge string (two bytes a character as soon as one line holds non-Latin
 * text) that costs more time and memory than parsing it: `npm run bench` measured it as the
 * largest single part of loading 100,000 runs. Same runs and warnings as `parseJsonLines`.
 */
export function parseJsonLinesBuffer(bytes: Buffer, file: string, out: ParsedItems): void {
  const reader = new JsonLinesReader(file, out);
  reader.push(bytes);
  reader.end();
}

/**
 * JSON Lines fed in chunks of bytes as they are read (a file read piece by piece, stdin): each
 * complete line is parsed as soon as its newline arrives, so a large file never sits in memory
 * whole and runs are there before the end is read. The splitting is JsonLinesScanner's, which
 * print mode's streaming list uses too.
 */
/** Smaller than the scanner's default: a folder of many small files gets a small buffer each. */
const READER_CHUNK_BYTES = 256 * 1024;

/** Message lines a file has before the rest go to the checker: a smaller file is read before a worker thread would be ready. */
export const MESSAGE_LINES_BEFORE_CHECKER = 4096;

/** What a JsonLinesReader that keeps items small may do with message lines. */
export interface MessageLineOptions {
  /** Where message lines go (messageChecker.ts): the load's worker thread. */
  checker: MessageChecker;
  /** Message lines read here first (default MESSAGE_LINES_BEFORE_CHECKER). */
  routeAfter?: number;
}

export class JsonLinesReader {
  private readonly scanner: JsonLinesScanner;
  /** Sends message lines to a worker thread and keeps what comes after them in line order (messageLines.ts). */
  private readonly router: MessageLineRouter | null = null;
  /** Bytes pushed so far. */
  bytesRead = 0;

  constructor(
    private readonly file: string,
    private readonly out: ParsedItems,
    /**
     * Runs and messages are kept small (model/detachedRun.ts) and read again from the file when shown.
     * Only for a file that can be read again, not stdin.
     */
    detachRuns = false,
    /** Only with `detachRuns`: message lines checked on another thread. */
    messageLines: MessageLineOptions | null = null,
  ) {
    // Items kept small drop their body at once, so a tools array repeated from line to line is parsed once (repeatedTools.ts).
    const repeated = detachRuns ? new RepeatedTools() : null;
    let lineBytes: Buffer | null = null;
    const before = countsOf(out);
    const parse = (line: string) => repeated!.parse(line, lineBytes);
    // A line the checker did not accept, read here as any line is (its warnings, its items) and added to `into`.
    const readLine = (rawLine: string, lineNumber: number, offset: number, length: number, into: ParsedItems) => {
      countsOf(out, before);
      parseJsonLine(rawLine, lineNumber, file, out);
      detachSince(out, file, before, offset, length);
      moveSince(out, before, into);
    };
    const router = detachRuns && messageLines ? new MessageLineRouter(file, out, messageLines.checker, readLine, messageLines.routeAfter ?? MESSAGE_LINES_BEFORE_CHECKER) : null;
    this.router = router;
    const claim = router ? (bytes: Buffer, lineNumber: number, offset: number) => looksLikeMessageLine(bytes) && router.route(bytes, lineNumber, offset) : null;
    this.scanner = new JsonLinesScanner((rawLine, lineNumber, bytes, offset) => {
      if (!repeated) {
        parseJsonLine(rawLine, lineNumber, file, out);
        return true;
      }
      // The bytes are the trimmed line's own when it starts with `{` and ends with `}`: nothing to trim.
      lineBytes = bytes[0] === 0x7b && bytes[bytes.length - 1] === 0x7d ? bytes : null;
      countsOf(out, before);
      parseJsonLine(rawLine, lineNumber, file, out, parse);
      if (repeated.shared && keptWhole(out, before)) {
        // Its item keeps its body, which must not share the array with other lines: the line again, on its own.
        truncateTo(out, before);
        repeated.kept();
        parseJsonLine(rawLine, lineNumber, file, out);
      }
      detachSince(out, file, before, offset, bytes.length);
      // Lines before this one are still on the worker: what this one held waits behind them.
      if (router?.holding) moveSince(out, before, router.hold());
      return true;
    }, null, READER_CHUNK_BYTES, claim);
  }

  push(chunk: Buffer): void {
    this.bytesRead += chunk.length;
    this.scanner.push(chunk);
    // The piece's message lines go to the worker now, so that it reads them while this thread reads the next piece.
    this.router?.send();
  }

  /** The last line, which needs no newline. */
  end(): void {
    this.scanner.finish();
    if (!this.scanner.sawContent) this.out.warnings.push({location: this.file, message: 'empty file'});
  }

  /** The load stopped before the end: what is still on the worker is dropped. */
  abandon(): void {
    this.router?.abandon();
  }

  /** Resolves when every message line sent to the worker is back in `out` (the load is not done before). */
  async settled(): Promise<void> {
    await this.router?.settled();
  }
}

/**
 * A JsonArrayReader whose items become runs in `out`, kept small (model/detachedRun.ts) when
 * `detachRuns`: only for input that can be read again by byte offset (a file as it is on disk).
 */
export function runArrayReader(file: string, out: ParsedItems, detachRuns = false): JsonArrayReader {
  return new JsonArrayReader({
    item: (value, label, offset, length) => {
      if (!detachRuns) return collectRunItem(value, file, label, out);
      const before = countsOf(out);
      collectRunItem(value, file, label, out);
      detachSince(out, file, before, offset, length);
    },
    warn: (message, line, column) => out.warnings.push({location: line === undefined ? file : `${file}:${line}:${column}`, message}),
  });
}

/**
 * The counts of `out`, written into `into` when given: a reader counts before every line, and
 * 400,000 lines' worth of count objects was a fiftieth of a load.
 */
function countsOf(out: ParsedItems, into: ItemCounts = {runs: 0, warnings: 0, side: {}}): ItemCounts {
  into.runs = out.runs.length;
  into.warnings = out.warnings.length;
  for (const {key} of SIDE_KINDS) into.side[key] = out[key]?.length ?? 0;
  return into;
}

/** Whether a line or item added an item that keeps its body: a run `detachUnlessWaiting` keeps whole, or a side item other than a message. */
function keptWhole(out: ParsedItems, before: ItemCounts): boolean {
  for (let index = before.runs; index < out.runs.length; index += 1) if (staysWhole(out.runs[index]!)) return true;
  return SIDE_KINDS.some(({key}) => key !== 'messages' && (out[key]?.length ?? 0) > before.side[key]!);
}

/** Drops what `out` gained since `before`, its warnings taken back (a run's note is said again when the line is read again). */
function truncateTo(out: ParsedItems, before: ItemCounts): void {
  unsay(out, out.warnings.slice(before.warnings));
  cutTo(out, before);
}

/** Moves what `out` gained since `before` to the end of `into` (behind lines still on the worker). */
function moveSince(out: ParsedItems, before: ItemCounts, into: ParsedItems): void {
  moveItems(out, into, before);
  cutTo(out, before);
}

/** `out` as it was at `before`. */
function cutTo(out: ParsedItems, before: ItemCounts): void {
  out.runs.length = before.runs;
  out.warnings.length = before.warnings;
  for (const {key} of SIDE_KINDS) if (out[key]) out[key].length = before.side[key]!;
}

/**
 * Keeps the runs and messages read from one line or item since `before` small (see
 * model/detachedRun.ts): their bodies are read back from `offset`, `length` bytes, when shown.
 */
function detachSince(out: ParsedItems, file: string, before: ItemCounts, offset: number, length: number): void {
  for (let index = before.runs; index < out.runs.length; index += 1) out.runs[index] = detachUnlessWaiting(out.runs[index]!, offset, length);
  const messages = out.messages;
  if (!messages) return;
  for (let index = before.side.messages!; index < messages.length; index += 1) {
    const message = messages[index]!;
    messages[index] = detachMessage(message, offset, length, message.source ?? {file});
  }
}

/**
 * The item `id` of one kind as found again in its text (a line of JSON Lines, an item of an array:
 * for itemBodies.ts), or null. Of several copies of it in the text, the one the load kept: `later`
 * picks it (a run's latest state, `laterCopy`; a side item's, `laterSideCopy`).
 */
function itemFromText<T extends {id: string}>(text: string, source: SourceLocation, id: string, of: (out: ParsedItems) => readonly T[], later: (held: T, incoming: T) => T): T | null {
  const parsed = parseJsonTolerant(text.trim());
  if (!parsed.ok) return null;
  const out = emptyItems();
  collectRuns(parsed.value, source.file, source.line, out);
  let found: T | null = null;
  for (const item of of(out)) if (item.id === id) found = found ? later(found, item) : item;
  return found;
}

/** The run `id` as found again in its text, in its latest state there (see itemFromText). */
export function runFromText(text: string, source: SourceLocation, id: string): Run | null {
  return itemFromText(text, source, id, (out) => out.runs, laterCopy);
}

/** The message `id` as found again in its text (see itemFromText). */
export function messageFromText(text: string, source: SourceLocation, id: string): ThreadMessage | null {
  return itemFromText(text, source, id, (out) => out.messages ?? [], (held, incoming) => laterSideCopy('messages', held, incoming));
}

/**
 * One line of JSON Lines (as decoded, line ending aside); false when it is blank. `parse` is
 * parseJsonTolerant, or one that gives the same values and warnings (RepeatedTools).
 */
export function parseJsonLine(rawLine: string, lineNumber: number, file: string, out: ParsedItems, parse: (line: string) => TolerantParse = parseJsonTolerant): boolean {
  const line = rawLine.trim();
  if (line === '') return false;
  const parsed = parse(line);
  // Columns count from the start of the line as written, indentation included.
  const indent = rawLine.length - rawLine.trimStart().length;
  if (parsed.ok) {
    for (const comma of parsed.tolerated.trailingCommas) out.warnings.push({location: `${file}:${lineNumber}:${comma.column + indent}`, message: TRAILING_COMMA});
    collectRuns(parsed.value, file, lineNumber, out);
  } else {
    out.warnings.push({
      location: `${file}:${lineNumber}:${parsed.error.column + indent}`,
      message: `${parsed.error.reason}; line skipped`,
    });
  }
  return true;
}

/** An array or list envelope that is not valid JSON as a whole, item by item (see JsonArrayReader); null when it is neither, or no item could be read. */
function readItemByItem(body: string, file: string): ParsedItems | null {
  const out = emptyItems();
  const reader = runArrayReader(file, out);
  reader.push(Buffer.from(body, 'utf8'));
  reader.end();
  return reader.unsupported ? null : out;
}

function trailingCommaWarnings(file: string, commas: readonly JsonPosition[], out: ParsedItems): void {
  for (const comma of commas) out.warnings.push({location: `${file}:${comma.line}:${comma.column}`, message: TRAILING_COMMA});
}

/** How `parseRunText` is called by a reader that has already tried what it says. */
export interface ParseRunTextOptions {
  /** The text was already read item by item (JsonArrayReader), which could not vouch for it. */
  itemByItemTried?: boolean;
}

/**
 * Parses the text of one file (or stdin) in any accepted shape. A stream transcript and JSON Lines
 * by name are told by `sniffText`; JSON Lines otherwise by a text that is not one JSON value but
 * whose first or second line is (`looksLikeJsonLines`). An array or list envelope that is not valid
 * as a whole is read item by item, so one broken item costs only itself; a document with a
 * trailing comma loads with a warning. Any other text goes to readOtherShape: a Python or
 * console.log printout loads, a file of another kind is named in one warning.
 */
export function parseRunText(text: string, file: string, options: ParseRunTextOptions = {}): ParsedItems {
  const out = emptyItems();
  const body = withoutBom(text);
  if (body.trim() === '') {
    out.warnings.push({location: file, message: 'empty file'});
    return out;
  }
  const format = sniffText(body, file);
  if (format === 'transcript') {
    parseSseTranscript(body, file, out);
    return out;
  }
  if (format === 'json-lines') {
    parseJsonLines(body, file, out);
    return out;
  }
  const parsed = parseJson(body);
  if (parsed.ok) {
    collectRuns(parsed.value, file, undefined, out);
    return out;
  }
  if (!options.itemByItemTried && /^\s*[[{]/.test(body) && !firstLineIsJsonValue(body)) {
    const items = readItemByItem(body, file);
    if (items) return items;
  }
  const tolerant = parseJsonTolerant(body);
  if (tolerant.ok) {
    trailingCommaWarnings(file, tolerant.tolerated.trailingCommas, out);
    collectRuns(tolerant.value, file, undefined, out);
    return out;
  }
  if (body.includes('\n') && looksLikeJsonLines(body)) {
    parseJsonLines(body, file, out);
    return out;
  }
  // Not JSON: a Python or console.log printout loads; a file of another kind is named.
  const other = readOtherShape(body, file);
  if (other) {
    out.warnings.push(...other.warnings);
    for (const {value, line} of other.values) collectRuns(value, file, line, out);
    return out;
  }
  const {line, column, reason} = tolerant.error;
  out.warnings.push({location: `${file}:${line}:${column}`, message: `invalid JSON: ${reason}`});
  return out;
}
