/**
 * `runlens list` over files and stdin, read as they stream: JSON Lines go through the chunked
 * scanner, lines that cannot match the filters are never parsed, and JSON or TSV output is written
 * in source order as matches are found — so printing starts before a big file is read to its end,
 * `--limit N` stops reading after N matches, and memory does not grow with the file.
 *
 * The order rule: JSON and TSV (not a terminal's table) without `--sort`/`--reverse` come in the
 * order the runs were read. A sort, or the table (whose column widths need every row), keeps the
 * matching runs only, then sorts and prints them as before.
 */
import {createHash} from 'node:crypto';
import {open, stat, type FileHandle} from 'node:fs/promises';
import {Readable, type Writable} from 'node:stream';
import {safeInline} from '../format/sanitize.js';
import type {TimeOptions} from '../format/time.js';
import type {Run} from '../model/run.js';
import {DEFAULT_CHUNK_BYTES, JsonLinesScanner, scanChunks, scanFile} from '../sources/jsonLinesScanner.js';
import {linePrefilterFor} from '../sources/linePrefilter.js';
import {firstLineVerdict, headReadsAsJsonLines, loadRunsFromSources, RunCollection, STDIN_LABEL} from '../sources/loadSources.js';
import {formatWarning, isJsonLinesName, parseJsonLine, type LoadWarning, type ParsedRuns} from '../sources/parseRunText.js';
import {matchesQuery, searchTerms, sortRuns, type ListQuery} from '../store/listView.js';
import {EXIT_FAILURE, EXIT_OK, modelHint, type CliOptions} from './args.js';
import {JSON_ARRAY, jsonArrayElement, printRunList, runToTsv, type PrintTarget} from './printRuns.js';

/** Whether `list` prints runs in the order read: JSON and TSV without an explicit sort. */
export function listsInReadOrder(options: Pick<CliOptions, 'json' | 'sort' | 'reverse'>, isTerminal: boolean): boolean {
  return (options.json || !isTerminal) && options.sort === null && !options.reverse;
}

export interface StreamListContext {
  options: CliOptions;
  query: ListQuery;
  nowSeconds: number;
  time: TimeOptions;
  target: PrintTarget;
  stdout: Writable;
  stderr: Writable;
  stdin: AsyncIterable<Buffer | string>;
  /** Bytes per read (tests use tiny ones to cut lines everywhere). */
  chunkBytes?: number;
}

/** Where a run was read, as warnings name it. */
function locationOf(run: Run): string {
  return `${run.source.file}${run.source.line ? `:${run.source.line}` : ''}`;
}

/**
 * A digest of a run as written, to tell a second copy of a printed run that differs from one that
 * does not without keeping the printed runs: the bytes of its line when it is the line's only run
 * (no serializing, no encoding), else its JSON. Whitespace and key order count here, unlike in
 * `sameJson`; a run too deeply nested to serialize counts as different.
 */
function contentDigest(run: Run, lineBytes: Buffer | undefined): string {
  try {
    return createHash('sha1').update(lineBytes ?? JSON.stringify(run.raw)).digest('base64');
  } catch {
    return locationOf(run);
  }
}

/** Bytes of output gathered before they are written (and at the end of every chunk read). */
const OUTPUT_BYTES = 256 * 1024;

/**
 * Output text encoded into place in a buffer. The profile of `npm run bench` showed Buffer.from
 * on the concatenated text (what writing a string to stdout does) costing more than the JSON.
 */
class EncodedOutput {
  private buffer = Buffer.allocUnsafe(OUTPUT_BYTES);
  private used = 0;

  constructor(private readonly stdout: Writable) {}

  append(text: string): void {
    // A UTF-16 code unit takes at most three bytes of UTF-8: a text that may not fit is not cut.
    if (this.used + text.length * 3 > this.buffer.length) {
      this.send();
      if (text.length * 3 > this.buffer.length) {
        this.stdout.write(text);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used);
  }

  /** Writes what is gathered; false when stdout asks to wait for 'drain'. */
  send(): boolean {
    if (this.used === 0) return !this.stdout.writableNeedDrain;
    const chunk = this.buffer.subarray(0, this.used);
    // A fresh buffer: the stream may hold on to the one written until it is flushed.
    this.buffer = Buffer.allocUnsafe(OUTPUT_BYTES);
    this.used = 0;
    return this.stdout.write(chunk);
  }
}

/** Where matching runs go: printed at once, or kept for sorting. */
interface RunPrinter {
  /** `lineBytes`: the run's line, when the run is all the line holds. False: print no more. */
  add(run: Run, lineBytes?: Buffer): boolean;
  /** After each chunk read: writes what is ready, and waits while stdout's reader is behind. */
  flush(): Promise<void>;
  finish(): Promise<void>;
}

/** Matching runs printed as they come, each id once: the first copy read is the one printed. */
class ReadOrderPrinter implements RunPrinter {
  private readonly output: EncodedOutput;
  private readonly printed = new Map<string, {location: string; digest: string}>();

  constructor(
    private readonly context: StreamListContext,
    private readonly warn: (warning: LoadWarning) => void,
  ) {
    this.output = new EncodedOutput(context.stdout);
  }

  /** False once `--limit` runs are printed. */
  add(run: Run, lineBytes?: Buffer): boolean {
    const {options} = this.context;
    if (options.limit !== null && this.printed.size >= options.limit) return false;
    const digest = contentDigest(run, lineBytes);
    const earlier = this.printed.get(run.id);
    if (earlier) {
      if (earlier.digest !== digest) {
        this.warn({location: locationOf(run), message: `${run.id} also appears in ${earlier.location}, written differently; printed that one (print mode prints in the order read)`});
      }
      return true;
    }
    this.printed.set(run.id, {location: locationOf(run), digest});
    if (options.json) {
      this.output.append(this.printed.size === 1 ? JSON_ARRAY.open : JSON_ARRAY.separator);
      this.output.append(jsonArrayElement(run));
    } else {
      this.output.append(`${runToTsv(run, this.context.nowSeconds, this.context.time)}\n`);
    }
    return options.limit === null || this.printed.size < options.limit;
  }

  async flush(): Promise<void> {
    const stdout = this.context.stdout;
    if (!this.output.send()) await new Promise<void>((resolve) => stdout.once('drain', resolve));
  }

  async finish(): Promise<void> {
    if (this.context.options.json) this.output.append(this.printed.size === 0 ? JSON_ARRAY.empty : JSON_ARRAY.close);
    await this.flush();
  }
}

/** Matching runs kept (the later copy of an id wins, as when loading), then sorted and printed. */
class SortedPrinter implements RunPrinter {
  private readonly collection = new RunCollection();

  constructor(private readonly context: StreamListContext) {}

  add(run: Run): boolean {
    this.collection.add(run);
    return true;
  }

  /** The collection's warnings about ids read twice. */
  get warnings(): readonly LoadWarning[] {
    return this.collection.warnings;
  }

  async flush(): Promise<void> {}

  async finish(): Promise<void> {
    const {query, nowSeconds, options, target, time} = this.context;
    // Already filtered as they were read: sorting is what is left.
    let runs = sortRuns(this.collection.runs, query.sort, query.descending, nowSeconds);
    if (options.limit !== null) runs = runs.slice(0, options.limit);
    printRunList(runs, target, {json: options.json, nowSeconds, time, ascii: options.ascii});
  }
}

/** How a file or stdin is read: through the scanner as JSON Lines, or by the loader as a whole. */
type Reading = 'json-lines' | 'whole';

/**
 * Runs `list` over file sources and stdin (no URL, no API), printing as it reads. Returns the exit
 * code: 1 when nothing could be loaded, as the loading path does.
 */
export async function streamRunList(sources: readonly string[], context: StreamListContext): Promise<number> {
  const {options, query, nowSeconds, stderr} = context;
  const chunkBytes = context.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const warn = (warning: LoadWarning) => void stderr.write(`runlens: ${safeInline(formatWarning(warning))}\n`);
  const sorted = listsInReadOrder(options, context.target.isTerminal) ? null : new SortedPrinter(context);
  const printer: RunPrinter = sorted ?? new ReadOrderPrinter(context, warn);
  const prefilter = linePrefilterFor(query);
  const terms = searchTerms(query.search);
  let loaded = 0;
  let skippedContent = false;
  let done = false;

  // The models of runs read, for --model's "did you mean" (the prefilter lets their lines through).
  const models = new Set<string | null>();
  const addRun = (run: Run, lineBytes?: Buffer): boolean => {
    loaded += 1;
    if (options.model !== null) models.add(run.model);
    if (!matchesQuery(run, query, nowSeconds, terms)) return true;
    if (!printer.add(run, lineBytes)) done = true;
    return !done;
  };
  const parsed: ParsedRuns = {runs: [], warnings: []};
  const scannerFor = (label: string) =>
    new JsonLinesScanner(
      (rawLine, lineNumber, lineBytes) => {
        parseJsonLine(rawLine, lineNumber, label, parsed);
        for (const warning of parsed.warnings) warn(warning);
        parsed.warnings.length = 0;
        const onlyRun = parsed.runs.length === 1 ? lineBytes : undefined;
        let going = true;
        for (const run of parsed.runs) if (going) going = addRun(run, onlyRun);
        parsed.runs.length = 0;
        return going;
      },
      prefilter,
      chunkBytes,
    );
  const finishScan = (scanner: JsonLinesScanner, label: string) => {
    skippedContent ||= scanner.skippedContent;
    if (!scanner.sawContent) warn({location: label, message: 'empty file'});
  };
  const loadWhole = async (source: string, stdin?: AsyncIterable<Buffer | string>) => {
    const result = await loadRunsFromSources([source], stdin ? {stdin: toReadable(stdin)} : {});
    for (const warning of result.warnings) warn(warning);
    for (const run of result.runs) if (!addRun(run)) break;
    await printer.flush();
  };

  for (const source of sources) {
    if (done) break;
    if (source === '-') {
      const head = await readStdinHead(context.stdin);
      if (head.error) {
        warn({location: STDIN_LABEL, message: head.error});
        continue;
      }
      if (head.reading === 'whole') {
        await loadWhole('-', head.replay);
        continue;
      }
      const scanner = scannerFor(STDIN_LABEL);
      try {
        await scanChunks(head.replay, scanner, () => printer.flush());
        finishScan(scanner, STDIN_LABEL);
      } catch (error) {
        warn({location: STDIN_LABEL, message: error instanceof Error ? error.message : String(error)});
      }
      continue;
    }
    const handle = await openJsonLinesFile(source);
    if (!handle) {
      await loadWhole(source);
      continue;
    }
    const scanner = scannerFor(source);
    try {
      await scanFile(handle, scanner, () => printer.flush());
      finishScan(scanner, source);
    } catch (error) {
      // A read that fails half way (EIO, a file truncated under us) is bad input, not a crash.
      warn({location: source, message: error instanceof Error ? error.message : String(error)});
    } finally {
      await handle.close();
    }
  }

  for (const warning of sorted?.warnings ?? []) warn(warning);
  const hint = modelHint(options.model, models);
  if (hint) stderr.write(`runlens: ${safeInline(hint)}\n`);
  if (loaded === 0 && !skippedContent) {
    stderr.write(`runlens: no runs could be loaded from ${sources.map(safeInline).join(', ') || 'the sources given'}\n`);
    return EXIT_FAILURE;
  }
  await printer.finish();
  return EXIT_OK;
}

/** A `.jsonl`/`.ndjson` file in UTF-8, opened for scanning; null for anything else (the loader reads those). */
async function openJsonLinesFile(source: string): Promise<FileHandle | null> {
  if (!isJsonLinesName(source)) return null;
  let handle: FileHandle;
  try {
    if (!(await stat(source)).isFile()) return null;
    handle = await open(source, 'r');
  } catch {
    // The loader words the warning (no such file, permission denied).
    return null;
  }
  const head = Buffer.alloc(256);
  const {bytesRead} = await handle.read(head, 0, head.length, 0);
  if (headReadsAsJsonLines(head.subarray(0, bytesRead))) return handle;
  await handle.close();
  return null;
}

interface StdinHead {
  reading: Reading;
  /** Every chunk of stdin, the ones already read first. */
  replay: AsyncIterable<Buffer | string>;
  error?: string;
}

/**
 * Reads stdin up to its first line with content to tell how to read the rest: JSON Lines when
 * that line is a JSON value of its own (then the text either is that one value or reads as JSON
 * Lines to the loader too), the loader otherwise (a pretty-printed document, a stream transcript).
 */
async function readStdinHead(stdin: AsyncIterable<Buffer | string>): Promise<StdinHead> {
  const iterator = stdin[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let ended = false;
  let reading: Reading = 'whole';
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
      } else {
        head.push(typeof next.value === 'string' ? Buffer.from(next.value) : next.value);
        if (!next.value.includes('\n')) continue;
      }
      const verdict = firstLineVerdict(Buffer.concat(head), ended);
      if (verdict !== 'undecided' || ended) {
        reading = verdict === 'json-lines' ? 'json-lines' : 'whole';
        break;
      }
    }
  } catch (error) {
    return {reading: 'whole', replay: Readable.from([]), error: error instanceof Error ? error.message : String(error)};
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield* head;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  }
  return {reading, replay: replay()};
}

/** The loader reads stdin as a Readable. */
function toReadable(chunks: AsyncIterable<Buffer | string>): Readable {
  return Readable.from(chunks, {objectMode: false});
}
