/**
 * `runlens list` over files and stdin, read as they stream: JSON Lines go through the chunked
 * scanner, lines that cannot match the filters are never parsed, and JSON or TSV output is written
 * as matches are found, so memory does not grow with the file and `--limit N` stops parsing after
 * N matches.
 *
 * A run read more than once shows its latest state (`compareRunStates`), as in every other mode,
 * and no copy can tell whether a later one is still to come. So the sources are read twice: a
 * first read notes every run id (without parsing a line that starts `{"id":"…"`, unless it may hold
 * an item answering a response's call: see answeringItemPrefilter), and the second
 * prints a run read once as soon as it is found, and holds a run read more than once until its
 * last copy, then prints the latest. Only those runs are held; stdin, which cannot be read twice,
 * is kept in a temporary file meanwhile.
 *
 * The order rule: JSON and TSV (not a terminal's table) without `--sort`/`--reverse` come in the
 * order the runs were read (a run read more than once where its last copy is). A sort, or the
 * table (whose column widths need every row), keeps the matching runs only, then sorts and prints
 * them as before.
 */
import {createHash} from 'node:crypto';
import {mkdtemp, open, rm, stat, type FileHandle} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {isAscii} from 'node:buffer';
import {Readable, type Writable} from 'node:stream';
import {safeInline} from '../format/sanitize.js';
import type {TimeOptions} from '../format/time.js';
import {detachUnlessWaiting} from '../model/detachedRun.js';
import {ResponseWaits} from '../model/responseWaits.js';
import type {Run} from '../model/run.js';
import {bytesAt, decodeLine, DEFAULT_CHUNK_BYTES, hasContent, JsonLinesScanner, leadingId, leadingIdStart, plainStringEnd, scanChunks, scanFile, type LineAdmitter, type LineHandler} from '../sources/jsonLinesScanner.js';
import {LineSet, LineStarts, readLines} from '../sources/lineIndex.js';
import {answeringItemPrefilter, linePrefilterFor, type LinePrefilter} from '../sources/linePrefilter.js';
import {compressionOf, decodeInput, decompressionWarning, type DecodedInput} from '../sources/compression.js';
import {loadRunsFromSources, STDIN_LABEL, type LoadedRuns} from '../sources/loadSources.js';
import {firstLineVerdict, headReadsAsJsonLines} from '../sources/sniff.js';
import {keepLatestCopy, placeOf} from '../sources/runCollection.js';
import {parseJsonLine, runFromText} from '../sources/parseRunText.js';
import {isJsonLinesName} from '../sources/sniff.js';
import {clearItems, type ParsedItems} from '../model/itemKinds.js';
import {isToolRound} from '../model/runFacts.js';
import type {RunStep} from '../model/runStep.js';
import {formatWarning, type LoadWarning} from '../model/loadWarning.js';
import {matchesQuery, searchTerms, sortRuns} from '../store/listView.js';
import type {ListQuery} from '../model/listQuery.js';
import {EXIT_FAILURE, EXIT_OK, listsInReadOrder, modelHint, type CliOptions} from './args.js';
import {JSON_ARRAY, jsonArrayElement} from './jsonArray.js';
import type {PrintTarget} from './printRuns.js';
import {IdTable} from './idTable.js';

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
  /** Runs between the two reads (tests change a file there, as a writer may). */
  afterFirstRead?: () => Promise<void> | void;
}

/** Bytes of output gathered before they are written (and at the end of every chunk read). */
const OUTPUT_BYTES = 256 * 1024;
/** Output gathered before a flush between reads writes it (a quarter of the buffer). */
const FLUSH_BYTES = OUTPUT_BYTES / 4;

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

  /**
   * Writes what is gathered; false when stdout asks to wait for 'drain'. `atLeast`: writes only
   * once that many bytes are gathered. The second read of `list --status` flushes after every
   * read of a few nearby lines: a write (and a fresh buffer) each time was 400 writes and 100 MB
   * of buffers at 10,000 runs, which V8 counted towards its collections.
   */
  send(atLeast = 0): boolean {
    if (this.used === 0 || this.used < atLeast) return !this.stdout.writableNeedDrain;
    const chunk = this.buffer.subarray(0, this.used);
    // A fresh buffer: the stream may hold on to the one written until it is flushed.
    this.buffer = Buffer.allocUnsafe(OUTPUT_BYTES);
    this.used = 0;
    return this.stdout.write(chunk);
  }
}

/** Where matching runs go, each id once: printed at once, or kept for sorting. */
interface RunPrinter {
  /** False: print no more. `plain`: read from a line with nothing to make safe (see jsonArrayElement). */
  add(run: Run, plain?: boolean): boolean;
  /** After each chunk read: writes what is ready, and waits while stdout's reader is behind. */
  flush(): Promise<void>;
  finish(): Promise<void>;
  /** Steps read beside the runs: a printer that lists runs whole counts their tool rounds. */
  addSteps?(steps: readonly RunStep[]): void;
}

/** Matching runs printed as they come. */
class ReadOrderPrinter implements RunPrinter {
  private readonly output: EncodedOutput;
  private printed = 0;

  constructor(
    private readonly context: StreamListContext,
    /** A run's TSV line (printRuns.ts, loaded for it); null with --json. */
    private readonly tsv: ((run: Run) => string) | null,
  ) {
    this.output = new EncodedOutput(context.stdout);
  }

  /** False once `--limit` runs are printed. */
  add(run: Run, plain = false): boolean {
    const {options} = this.context;
    if (options.limit !== null && this.printed >= options.limit) return false;
    this.printed += 1;
    if (this.tsv === null) {
      this.output.append(this.printed === 1 ? JSON_ARRAY.open : JSON_ARRAY.separator);
      this.output.append(jsonArrayElement(run, plain));
    } else {
      this.output.append(`${this.tsv(run)}\n`);
    }
    return options.limit === null || this.printed < options.limit;
  }

  async flush(): Promise<void> {
    await this.sendAtLeast(FLUSH_BYTES);
  }

  async finish(): Promise<void> {
    if (this.context.options.json) this.output.append(this.printed === 0 ? JSON_ARRAY.empty : JSON_ARRAY.close);
    await this.sendAtLeast(0);
  }

  private async sendAtLeast(bytes: number): Promise<void> {
    const stdout = this.context.stdout;
    if (!this.output.send(bytes)) await new Promise<void>((resolve) => stdout.once('drain', resolve));
  }
}

/** Matching runs kept, then sorted and printed. */
class SortedPrinter implements RunPrinter {
  private readonly runs: Run[] = [];
  /** Steps with function calls, by run: a finished run's tool rounds (only the count is kept). */
  private readonly roundSteps = new Map<string, number>();

  addSteps(steps: readonly RunStep[]): void {
    for (const step of steps) if (step.runId !== null && isToolRound(step)) this.roundSteps.set(step.runId, (this.roundSteps.get(step.runId) ?? 0) + 1);
  }

  constructor(private readonly context: StreamListContext) {}

  add(run: Run): boolean {
    this.runs.push(run);
    return true;
  }

  async flush(): Promise<void> {}

  async finish(): Promise<void> {
    const {query, nowSeconds, options, target, time} = this.context;
    // Already filtered as they were read: sorting is what is left.
    let runs = sortRuns(this.runs, query.sort, query.descending, nowSeconds, options.models);
    if (options.limit !== null) runs = runs.slice(0, options.limit);
    const rounds = new Map([...this.roundSteps].filter(([, count]) => count > 1));
    const {printRunList} = await import('./printRuns.js');
    printRunList(runs, target, {json: options.json, nowSeconds, time, ascii: options.ascii, rounds, modelMap: options.models});
  }
}

/**
 * A scanned input's line, as one number: `unit` numbers the JSON Lines inputs in the order read,
 * and a line number stays below 2^32 (a file of 4 billion lines), so this stays an exact integer.
 */
const LINES_PER_UNIT = 2 ** 32;

/** Line `line` of input `unit`, as one number (see LINES_PER_UNIT). */
function lineKey(unit: number, line: number): number {
  return unit * LINES_PER_UNIT + line;
}
/** Where a copy is when it has no line (a document read whole). */
const NO_LINE = -1;

/** One input's lines as the first read found them (see CopySurvey.units). */
interface UnitLines {
  admitted: LineSet;
  starts: LineStarts;
  /** Lines with content the prefilter ruled out (the second read skips them: "nothing loadable" is then no error). */
  ruledOut: LineSet;
  /** Whether any line held more than whitespace. */
  sawContent: boolean;
}

/**
 * What the first read found: the ids read more than once, how many copies each has, and the
 * lines those copies are on (the second read parses them whatever the prefilter says: a copy
 * that cannot match may still be the latest state, which then is not printed).
 */
class CopySurvey {
  /** Every id, by its UTF-8 bytes, with where its first copy is; dropped once the first read is over. */
  private ids: IdTable | null = new IdTable();
  /**
   * Ids holding a surrogate, which the table does not take: a lone one is written in UTF-8 as
   * U+FFFD is, so two such ids that differ would have the same bytes there.
   */
  private surrogateIds: Map<string, number> | null = new Map();
  /** Ids read more than once, and how many times. */
  readonly copies = new Map<string, number>();
  /** The lines (`lineKey(unit, line)`) that hold a copy of those. */
  readonly lines = new Set<number>();
  /**
   * The responses continued later in the sources: a waiting response printed before its
   * continuation is read must already be answered (see responseWaits.ts).
   */
  readonly waits = new ResponseWaits();
  /**
   * Per input (`unit`), what the first read found of its lines for the second: which the query's
   * prefilter admitted (so that the second only looks them up, and reads only those of a plain
   * file), where each starts. Absent without a prefilter.
   */
  readonly units = new Map<number, UnitLines>();
  /**
   * Whether the second read may meet a response: the first read parsed one, or a line it did not
   * parse but the second will holds `"response"` (or a `\u` escape, which could spell it). Only
   * then do items answering a response's calls matter, and are looked for (see surveyItems).
   */
  mayMeetResponses = false;

  /** A copy of run `id` at `at` (a lineKey, or NO_LINE). */
  note(id: string, at: number): void {
    if (SURROGATE.test(id)) {
      const first = this.surrogateIds!.get(id);
      if (first === undefined) this.surrogateIds!.set(id, at);
      else this.noteCopy(id, first, at);
      return;
    }
    const bytes = Buffer.from(id, 'utf8');
    const first = this.ids!.firstOrAdd(bytes, 0, bytes.length, at);
    if (first !== null) this.noteCopy(id, first, at);
  }

  /**
   * A copy at `at` of the run whose id is the plain JSON string `view[from, to)` (no escape, see
   * plainStringEnd): the id is made a string only when it was read before. Its bytes are what
   * JSON.parse decodes, unless they are not ASCII: broken UTF-8 decodes to U+FFFD, so such an id
   * goes by its text.
   */
  noteBytes(view: Buffer, from: number, to: number, at: number): void {
    if (!asciiBetween(view, from, to)) {
      this.note(decodeLine(view, from, to), at);
      return;
    }
    const first = this.ids!.firstOrAdd(view, from, to, at);
    if (first !== null) this.noteCopy(decodeLine(view, from, to), first, at);
  }

  private noteCopy(id: string, first: number, at: number): void {
    const copies = this.copies.get(id) ?? 1;
    if (copies === 1 && first !== NO_LINE) this.lines.add(first);
    if (at !== NO_LINE) this.lines.add(at);
    this.copies.set(id, copies + 1);
  }

  /** The first read is over: only the ids read more than once are kept. */
  end(): void {
    this.ids = null;
    this.surrogateIds = null;
  }
}

/** A run read more than once, as held until its last copy: the latest copy so far. */
interface Held {
  run: Run;
  /** The digest of its line's bytes, when the run was all the line held. */
  digest: string | null;
  /** Where it was read; a copy written the same later on moves it there, as the loader would. */
  place: string;
}

/** How a copy was read, for holding it. */
interface CopyFacts {
  /** The copy as it is to be held (a DetachedRun of a file's line, much smaller). */
  shrink?: (run: Run) => Run;
  /** The digest of its line's bytes, when it was all the line held. */
  digest?: string;
}

/** A digest of a line's bytes: a copy written byte for byte like the one held is the same copy, and is not parsed. */
function lineDigest(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('base64');
}

/**
 * The runs read more than once, each held until its last copy is read: `take` answers with the
 * latest state then, and null before. Runs read once pass straight through.
 */
class LatestCopies {
  private readonly held = new Map<string, Held>();

  constructor(
    /** Copies still to come, by id; counted down. */
    private readonly left: Map<string, number>,
    private readonly warn: (warning: LoadWarning) => void,
  ) {}

  take(run: Run, facts: CopyFacts = {}): Run | null {
    const left = this.left.get(run.id);
    if (left === undefined) return run;
    const earlier = this.held.get(run.id);
    if (earlier && keepLatestCopy(earlier.run, run, this.warn, earlier.place) === earlier.run) return this.countDown(run.id, left, earlier);
    // Held only while more copies are to come.
    const kept = left > 1 && facts.shrink ? facts.shrink(run) : run;
    return this.countDown(run.id, left, {run: kept, digest: facts.digest ?? null, place: placeOf(run)});
  }

  /**
   * A copy of `id` whose line has `digest`, read at `place`, before it is parsed: when it is the
   * copy held, written the same, it counts as read (with the answer `take` would give); undefined
   * when it is not, and the line is parsed.
   */
  repeat(id: string, digest: string, place: string): Run | null | undefined {
    const left = this.left.get(id);
    const earlier = this.held.get(id);
    if (left === undefined || !earlier || earlier.digest !== digest) return undefined;
    earlier.place = place;
    return this.countDown(id, left, earlier);
  }

  private countDown(id: string, left: number, held: Held): Run | null {
    if (left <= 1) {
      this.left.delete(id);
      this.held.delete(id);
      return held.run;
    }
    this.left.set(id, left - 1);
    this.held.set(id, held);
    return null;
  }

  /** Runs whose last copy never came (a file that changed between the two reads): the latest of what was read. */
  rest(): Run[] {
    const runs = [...this.held.values()].map((held) => held.run);
    this.held.clear();
    return runs;
  }
}

/**
 * Stdin kept for the second read: in a temporary file, or in memory when no file can be made
 * (then it costs the input's size).
 */
class StdinSpool {
  private readonly chunks: Buffer[] = [];

  private constructor(
    private readonly folder: string | null,
    private readonly handle: FileHandle | null,
  ) {}

  static async open(): Promise<StdinSpool> {
    let folder: string | null = null;
    try {
      folder = await mkdtemp(path.join(tmpdir(), 'runlens-stdin-'));
      return new StdinSpool(folder, await open(path.join(folder, 'stdin'), 'w+'));
    } catch {
      if (folder) await rm(folder, {recursive: true, force: true});
      return new StdinSpool(null, null);
    }
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.handle) await this.handle.write(chunk);
    else this.chunks.push(Buffer.from(chunk));
  }

  /** Every byte kept, from the first; a piece is good until the next is asked for. */
  async *replay(chunkBytes: number): AsyncGenerator<Buffer> {
    if (!this.handle) {
      yield* this.chunks;
      return;
    }
    const buffer = Buffer.allocUnsafe(chunkBytes);
    for (let position = 0; ; ) {
      const {bytesRead} = await this.handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  }

  async remove(): Promise<void> {
    await this.handle?.close();
    if (this.folder) await rm(this.folder, {recursive: true, force: true});
  }
}

/** A source as the first read left it for the second. */
type Plan =
  /**
   * A JSON Lines file, `bytes` long when first read (the second reads no further: a log written
   * meanwhile); `identity`: its size and times then, which tell whether the first read's verdicts still hold.
   */
  | {kind: 'lines'; source: string; unit: number; bytes: number; identity: string | null}
  /** Stdin as JSON Lines, kept; `error`: why reading it stopped. */
  | {kind: 'spooled'; unit: number; spool: StdinSpool; error?: string}
  /** A source the loader reads whole, read again. */
  | {kind: 'whole'; source: string}
  /** Stdin read whole by the loader, kept. */
  | {kind: 'loaded'; loaded: LoadedRuns}
  | {kind: 'warning'; warning: LoadWarning};

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A scanner for the first read (and surveyItems'): a line `admits` lets through is parsed, and
 * its runs go to `noteRun` and, with the items answering a response's calls, to `survey.waits`.
 * Steps and messages are not listed: dropped at once, so a file of them keeps memory flat.
 */
function surveyScanner(
  label: string,
  chunkBytes: number,
  survey: CopySurvey,
  answers: LinePrefilter | null,
  admits: (view: Buffer, start: number, end: number, lineNumber: number) => boolean,
  reset: (view: Buffer, offset: number) => void,
  noteRun: (run: Run, lineNumber: number) => void,
): JsonLinesScanner {
  const parsed: ParsedItems = {runs: [], warnings: []};
  let view: Buffer = Buffer.alloc(0);
  const admitter: LineAdmitter = {
    reset: (block, offset) => {
      view = block;
      answers?.reset(block);
      reset(block, offset);
    },
    admits: (start, end, lineNumber) => admits(view, start, end, lineNumber),
  };
  const onLine: LineHandler = (rawLine, lineNumber) => {
    parseJsonLine(rawLine, lineNumber, label, parsed);
    for (const run of parsed.runs) {
      noteRun(run, lineNumber);
      survey.waits.note(run);
    }
    if (parsed.responseItems) survey.waits.noteItems(parsed.responseItems);
    clearItems(parsed);
    return true;
  };
  return new JsonLinesScanner(onLine, admitter, chunkBytes);
}

/**
 * The first read: every run id in the sources into `survey`, and how to read each source again.
 * Warnings are left to the second read, which meets the same lines.
 */
async function surveySources(sources: readonly string[], context: StreamListContext, survey: CopySurvey, chunkBytes: number): Promise<Plan[]> {
  const plans: Plan[] = [];
  const files = new Set<string>();
  // With a prefilter, the first read works out its verdicts for the second, and looks for items
  // answering calls only once it is known that a response may be printed (surveyItems).
  const withPrefilter = linePrefilterFor(context.query) !== null;
  const scannerFor = (unit: number, label: string) => {
    const answers = withPrefilter ? null : answeringItemPrefilter();
    const prefilter = linePrefilterFor(context.query);
    const lines: UnitLines = {admitted: new LineSet(), starts: new LineStarts(), ruledOut: new LineSet(), sawContent: false};
    if (prefilter) survey.units.set(unit, lines);
    let base = 0;
    const admits = (view: Buffer, start: number, end: number, lineNumber: number): boolean => {
      // Every line, in order, as the prefilter needs them.
      const wanted = prefilter !== null && prefilter.admits(start, end);
      if (prefilter) {
        lines.starts.add(lineNumber, base + start);
        if (wanted) lines.admitted.add(lineNumber);
        else if (hasContent(view, start, end)) lines.ruledOut.add(lineNumber);
      }
      // The id as leadingId reads it, without making it a string (CopySurvey.noteBytes).
      const from = leadingIdStart(view, start, end);
      const close = from === -1 ? -1 : plainStringEnd(view, from, end);
      // A response is parsed: the one it continues is told by its previous_response_id and status.
      if (close === -1 || bytesAt(view, from, close, RESPONSE_ID_HEAD)) return true;
      // So is an item that may answer a call, whatever its id: it is noted only here (the second read skips items).
      if (answers?.admits(start, end)) return true;
      // A line the second read parses that could be a response.
      if (wanted && !survey.mayMeetResponses && mayHoldResponse(view, start, end)) survey.mayMeetResponses = true;
      survey.noteBytes(view, from, close, lineKey(unit, lineNumber));
      return false;
    };
    const reset = (block: Buffer, offset: number) => {
      base = offset;
      prefilter?.reset(block);
    };
    // Lines whose id is not at their start are parsed.
    return surveyScanner(label, chunkBytes, survey, answers, admits, reset, (run, lineNumber) => {
      survey.note(run.id, lineKey(unit, lineNumber));
      if (run.kind === 'response') survey.mayMeetResponses = true;
    });
  };
  const noteAll = (loaded: LoadedRuns) => {
    for (const run of loaded.runs) {
      survey.note(run.id, NO_LINE);
      survey.waits.note(run);
      if (run.kind === 'response') survey.mayMeetResponses = true;
    }
  };
  let units = 0;
  for (const source of sources) {
    if (source === '-') {
      // Compressed stdin (`cat runs.jsonl.gz | runlens list -`) is decompressed before its first line is looked at.
      const input = decodeInput(bufferChunks(context.stdin));
      const head = await readStdinHead(input.pieces);
      if (head.error) {
        plans.push({kind: 'warning', warning: {location: STDIN_LABEL, message: head.error}});
      } else if (head.reading === 'whole') {
        const loaded = await loadRunsFromSources(['-'], {stdin: toReadable(head.replay)});
        if (input.error !== null) loaded.warnings.push({location: STDIN_LABEL, message: decompressionWarning(input.compression, input.error)});
        noteAll(loaded);
        plans.push({kind: 'loaded', loaded});
      } else {
        const unit = units++;
        const spool = await StdinSpool.open();
        const plan: Plan = {kind: 'spooled', unit, spool};
        plans.push(plan);
        try {
          await scanChunks(spooled(head.replay, spool), scannerFor(unit, STDIN_LABEL), () => {});
          if (input.error !== null) plan.error = decompressionWarning(input.compression, input.error);
        } catch (error) {
          plan.error = errorText(error);
        }
      }
      continue;
    }
    // A file named twice is read once, as the loader does.
    const resolved = path.resolve(source);
    if (files.has(resolved)) continue;
    files.add(resolved);
    const file = await openJsonLinesFile(source);
    if (!file) {
      noteAll(await loadRunsFromSources([source]));
      plans.push({kind: 'whole', source});
      continue;
    }
    const unit = units++;
    try {
      const identity = await fileIdentity(source);
      const scanner = scannerFor(unit, source);
      plans.push({kind: 'lines', source, unit, bytes: await scanJsonLinesFile(file, scanner, () => {}), identity});
      const lines = survey.units.get(unit);
      if (lines) lines.sawContent = scanner.sawContent;
    } catch {
      // The second read meets the same failure and reports it.
      plans.push({kind: 'lines', source, unit, bytes: Infinity, identity: null});
    } finally {
      await file.close();
    }
  }
  survey.end();
  // Items answering a response's calls matter only when a response may be printed (withPrefilter:
  // the first read has not looked for them). A copy of a run read more than once is parsed
  // whatever the prefilter says, but a waiting response prints only as `requires_action` or, once
  // answered, `completed`: its line holds `"completed"` and `"response"`, which the prefilter of
  // such a query admits, so its line was looked at above.
  if (withPrefilter && survey.mayMeetResponses) await surveyItems(plans, survey, chunkBytes);
  return plans;
}

/** A file's size, change time and inode: when any differs, it was written between the two reads. */
async function fileIdentity(source: string): Promise<string | null> {
  try {
    const facts = await stat(source);
    return `${facts.size}:${facts.mtimeMs}:${facts.ctimeMs}:${facts.ino}`;
  } catch {
    return null;
  }
}

/** Whether a line may be a response: it holds `"response"`, or a `\u` escape, which could spell it. */
function mayHoldResponse(view: Buffer, start: number, end: number): boolean {
  const line = view.subarray(start, end);
  return line.includes(RESPONSE_NEEDLE) || line.includes(UNICODE_ESCAPE);
}

const RESPONSE_NEEDLE = Buffer.from('"response"');
/** Whether `view[from, to)` is ASCII (a loop: a view of a few bytes for isAscii cost more). */
function asciiBetween(view: Buffer, from: number, to: number): boolean {
  for (let at = from; at < to; at += 1) if (view[at]! >= 0x80) return false;
  return true;
}

/** How a response's id starts (`resp_…`). */
const RESPONSE_ID_HEAD = Buffer.from('resp_');
/** A UTF-16 surrogate, paired or not. */
const SURROGATE = /[\ud800-\udfff]/;

/**
 * Whether a line is ASCII without DEL or a `\u` escape: every string parsed from it is then made
 * of characters below U+007F, none of which safeJson escapes.
 */
function isPlainLine(bytes: Buffer): boolean {
  return isAscii(bytes) && !bytes.includes(0x7f) && !bytes.includes(UNICODE_ESCAPE);
}
const UNICODE_ESCAPE = Buffer.from('\\u');

/**
 * The items answering a response's call that the first read did not parse (it parsed every line
 * but those starting `{"id":…` with an id other than a response's), read again from the JSON
 * Lines inputs: those that hold `"call_id"` or `"approval_request_id"` (answeringItemPrefilter).
 * They are noted with the responses they continue; a response printed later is answered by them.
 */
async function surveyItems(plans: readonly Plan[], survey: CopySurvey, chunkBytes: number): Promise<void> {
  const scannerFor = (label: string) => {
    const answers = answeringItemPrefilter();
    const admits = (view: Buffer, start: number, end: number) => {
      const id = leadingId(view, start, end);
      return id !== null && !id.startsWith('resp_') && answers.admits(start, end);
    };
    return surveyScanner(label, chunkBytes, survey, answers, admits, () => {}, () => {});
  };
  for (const plan of plans) {
    if (plan.kind === 'spooled') {
      await scanChunks(plan.spool.replay(chunkBytes), scannerFor(STDIN_LABEL), () => {});
      continue;
    }
    if (plan.kind !== 'lines') continue;
    const file = await openJsonLinesFile(plan.source);
    if (!file) continue;
    try {
      await scanJsonLinesFile(file, scannerFor(plan.source), () => {}, plan.bytes);
    } catch {
      // The second read meets the same failure and reports it.
    } finally {
      await file.close();
    }
  }
}

/** Stdin's chunks, each written to the spool as it passes. */
async function* spooled(chunks: AsyncIterable<Buffer | string>, spool: StdinSpool): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    await spool.write(bytes);
    yield bytes;
  }
}

/**
 * The prefilter for the second read of one input: the query's (its verdicts as the first read
 * found them, when the input is as it was then), except that the lines holding a copy of a run
 * read more than once are always parsed.
 */
function admitterFor(prefilter: LinePrefilter | null, survey: CopySurvey, unit: number, unchanged: boolean): LineAdmitter | null {
  const verdicts = unchanged ? survey.units.get(unit)?.admitted : undefined;
  if (prefilter && verdicts) {
    return {
      reset: () => {},
      admits: (_start, _end, lineNumber) => verdicts.has(lineNumber) || survey.lines.has(lineKey(unit, lineNumber)),
    };
  }
  if (!prefilter || survey.lines.size === 0) return prefilter;
  return {
    reset: (view) => prefilter.reset(view),
    admits: (start, end, lineNumber) => survey.lines.has(lineKey(unit, lineNumber)) || prefilter.admits(start, end),
  };
}

/** The lines of one input the second read parses, in order: those the prefilter admitted, and those holding a copy of a run read more than once. */
function* wantedLines(lines: UnitLines, survey: CopySurvey, unit: number): Generator<number> {
  const copies = [...survey.lines].filter((at) => Math.floor(at / LINES_PER_UNIT) === unit).map((at) => at % LINES_PER_UNIT);
  copies.sort((a, b) => a - b);
  let next = 0;
  for (const line of lines.admitted.ascending()) {
    while (next < copies.length && copies[next]! < line) yield copies[next++]!;
    if (next < copies.length && copies[next] === line) next += 1;
    yield line;
  }
  while (next < copies.length) yield copies[next++]!;
}

/** How a file or stdin is read: through the scanner as JSON Lines, or by the loader as a whole. */
type Reading = 'json-lines' | 'whole';

/**
 * Runs `list` over file sources and stdin (no URL, no API), printing as it reads. Returns the exit
 * code: 1 when nothing could be loaded, as the loading path does.
 */
export async function streamRunList(sources: readonly string[], context: StreamListContext): Promise<number> {
  const chunkBytes = context.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const survey = new CopySurvey();
  const plans = await surveySources(sources, context, survey, chunkBytes);
  await context.afterFirstRead?.();
  try {
    return await printSources(sources, plans, survey, context, chunkBytes);
  } finally {
    for (const plan of plans) if (plan.kind === 'spooled') await plan.spool.remove();
  }
}

/** The second read: every source again, in order, printing as it goes. */
async function printSources(sources: readonly string[], plans: readonly Plan[], survey: CopySurvey, context: StreamListContext, chunkBytes: number): Promise<number> {
  const {options, query, nowSeconds, stderr} = context;
  const warn = (warning: LoadWarning) => void stderr.write(`runlens: ${safeInline(formatWarning(warning))}\n`);
  // The TSV fields and the table (times, costs, columns) are loaded only for them.
  const tsv = options.json ? null : (await import('./printRuns.js')).runToTsv;
  const printer: RunPrinter = listsInReadOrder(options, context.target.isTerminal)
    ? new ReadOrderPrinter(context, tsv && ((run) => tsv(run, nowSeconds, context.time, 0, options.models)))
    : new SortedPrinter(context);
  const prefilter = linePrefilterFor(query);
  const terms = searchTerms(query.search);
  const latest = new LatestCopies(survey.copies, warn);
  let loaded = 0;
  let skippedContent = false;
  let done = false;

  // The models of runs read, for --model's "did you mean" (the prefilter lets their lines through).
  const models = new Set<string | null>();
  // The latest state is what the filter sees: a copy that no longer matches hides the earlier ones.
  // Runs read from lines with nothing to make safe (isPlainLine): their JSON is written as it is.
  const plainRuns = new WeakSet<Run>();
  const print = (read: Run): boolean => {
    const run = survey.waits.settle(read);
    if (options.model !== null) models.add(run.model);
    if (!matchesQuery(run, query, nowSeconds, terms)) return true;
    if (!printer.add(run, plainRuns.has(run))) done = true;
    return !done;
  };
  const addRun = (run: Run, facts?: CopyFacts): boolean => {
    loaded += 1;
    const shown = latest.take(run, facts);
    return shown === null || print(shown);
  };
  const parsed: ParsedItems = {runs: [], warnings: []};
  /** `file`: where the lines can be read again, so that a run held for its later copies is kept small. */
  const handlerFor =
    (unit: number, label: string, file: string | null): LineHandler =>
      (rawLine, lineNumber, lineBytes, offset) => {
        // A line holding a copy of a run read more than once: one written byte for byte like the
        // copy held (a finished run in every poll of a log) is not parsed again.
        const digest = survey.lines.has(lineKey(unit, lineNumber)) ? lineDigest(lineBytes) : undefined;
        const id = digest === undefined ? null : leadingId(lineBytes, 0, lineBytes.length);
        if (id !== null) {
          const shown = latest.repeat(id, digest!, `${label}:${lineNumber}`);
          if (shown !== undefined) {
            loaded += 1;
            return shown === null || print(shown);
          }
        }
        parseJsonLine(rawLine, lineNumber, label, parsed);
        for (const warning of parsed.warnings) warn(warning);
        parsed.warnings.length = 0;
        if (options.json && parsed.runs.length > 0 && isPlainLine(lineBytes)) for (const run of parsed.runs) plainRuns.add(run);
        const facts: CopyFacts = {
          ...(file === null ? {} : {shrink: (run: Run) => detachUnlessWaiting(run, offset, lineBytes.length)}),
          ...(digest !== undefined && parsed.runs.length === 1 ? {digest} : {}),
        };
        let going = true;
        for (const run of parsed.runs) if (going) going = addRun(run, facts);
        // Items were noted by the first read, where they could still answer a response read before them.
        // Steps are not listed: the printer counts their tool rounds, and none are kept past their line.
        if (parsed.steps) printer.addSteps?.(parsed.steps);
        clearItems(parsed);
        return going;
      };
  const scannerFor = (unit: number, label: string, file: string | null, unchanged: boolean) =>
    new JsonLinesScanner(handlerFor(unit, label, file), admitterFor(prefilter, survey, unit, unchanged), chunkBytes);
  const finishScan = (scanner: JsonLinesScanner, label: string) => {
    skippedContent ||= scanner.skippedContent;
    if (!scanner.sawContent) warn({location: label, message: 'empty file'});
  };
  const printLoaded = async (result: LoadedRuns) => {
    for (const warning of result.warnings) warn(warning);
    if (result.steps) printer.addSteps?.(result.steps);
    for (const run of result.runs) if (!addRun(run)) break;
    await printer.flush();
  };

  for (const plan of plans) {
    if (done) break;
    switch (plan.kind) {
      case 'warning':
        warn(plan.warning);
        break;
      case 'loaded':
        await printLoaded(plan.loaded);
        break;
      case 'whole':
        await printLoaded(await loadRunsFromSources([plan.source]));
        break;
      case 'spooled': {
        // Stdin is read again from its spool: the same bytes.
        const scanner = scannerFor(plan.unit, STDIN_LABEL, null, true);
        await scanChunks(plan.spool.replay(chunkBytes), scanner, () => printer.flush());
        finishScan(scanner, STDIN_LABEL);
        if (plan.error !== undefined) warn({location: STDIN_LABEL, message: plan.error});
        break;
      }
      case 'lines': {
        const file = await openJsonLinesFile(plan.source);
        if (!file) {
          // Gone or changed since the first read: the loader reads it, or words why not.
          await printLoaded(await loadRunsFromSources([plan.source]));
          break;
        }
        // A compressed file's runs cannot be found again by their offset in it: held runs stay whole.
        const unchanged = plan.identity !== null && plan.identity === (await fileIdentity(plan.source));
        const lines = unchanged && 'handle' in file ? survey.units.get(plan.unit) : undefined;
        if (lines && 'handle' in file) {
          // A plain file as the first read found it: only the lines wanted are read again.
          const handle = handlerFor(plan.unit, plan.source, plan.source);
          try {
            const visit = (line: number, bytes: Buffer, offset: number) => handle(bytes.toString('utf8'), line, bytes, offset);
            await readLines(file.handle.fd, lines.starts, plan.bytes, wantedLines(lines, survey, plan.unit), visit, () => printer.flush());
            for (const line of lines.ruledOut.ascending()) {
              if (survey.lines.has(lineKey(plan.unit, line))) continue;
              skippedContent = true;
              break;
            }
            if (!lines.sawContent) warn({location: plan.source, message: 'empty file'});
          } catch (error) {
            warn({location: plan.source, message: errorText(error)});
          } finally {
            await file.close();
          }
          break;
        }
        const scanner = scannerFor(plan.unit, plan.source, 'handle' in file ? plan.source : null, unchanged);
        try {
          await scanJsonLinesFile(file, scanner, () => printer.flush(), plan.bytes);
          finishScan(scanner, plan.source);
        } catch (error) {
          // A read that fails half way (EIO, a file truncated under us) is bad input, not a crash.
          warn({location: plan.source, message: errorText(error)});
        } finally {
          await file.close();
        }
        if ('input' in file && file.input.error !== null) warn({location: plan.source, message: decompressionWarning(file.input.compression, file.input.error)});
        break;
      }
    }
  }
  if (!done) for (const run of latest.rest()) if (!print(run)) break;

  const hint = modelHint(options.model, models);
  if (hint) stderr.write(`runlens: ${safeInline(hint)}\n`);
  if (loaded === 0 && !skippedContent) {
    stderr.write(`runlens: no runs could be loaded from ${sources.map(safeInline).join(', ') || 'the sources given'}\n`);
    return EXIT_FAILURE;
  }
  await printer.finish();
  return EXIT_OK;
}

/** A JSON Lines file opened for the scanner: read through its handle, or decompressed (with the first piece again first). */
type JsonLinesFile = {handle: FileHandle; close: () => Promise<void>} | {pieces: AsyncIterable<Buffer>; input: DecodedInput; close: () => Promise<void>};

/** A file's bytes from its start, each piece a buffer of its own. */
async function* handlePieces(handle: FileHandle): AsyncGenerator<Buffer> {
  for (let position = 0; ; ) {
    const buffer = Buffer.allocUnsafe(DEFAULT_CHUNK_BYTES);
    const {bytesRead} = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

/**
 * A `.jsonl`/`.ndjson` file in UTF-8 (gzip or zstd too, found by its first bytes), opened for
 * scanning; null for anything else (the loader reads those).
 */
async function openJsonLinesFile(source: string): Promise<JsonLinesFile | null> {
  if (!isJsonLinesName(source)) return null;
  let handle: FileHandle;
  try {
    if (!(await stat(source)).isFile()) return null;
    handle = await open(source, 'r');
  } catch {
    // The loader words the warning (no such file, permission denied).
    return null;
  }
  const close = () => handle.close();
  const head = Buffer.alloc(256);
  const {bytesRead} = await handle.read(head, 0, head.length, 0);
  if (compressionOf(head.subarray(0, bytesRead)) === null) {
    if (headReadsAsJsonLines(head.subarray(0, bytesRead))) return {handle, close};
    await close();
    return null;
  }
  const input = decodeInput(handlePieces(handle));
  const first = await input.pieces.next();
  if (!first.done && headReadsAsJsonLines(first.value)) {
    async function* again(): AsyncGenerator<Buffer> {
      if (!first.done) yield first.value;
      yield* input.pieces;
    }
    return {pieces: again(), input, close};
  }
  await input.pieces.return(undefined);
  await close();
  return null;
}

/**
 * A JSON Lines file through the scanner: `length` bytes at most of a plain file (see scanFile);
 * a compressed one is read to its end. Returns the bytes read.
 */
async function scanJsonLinesFile(file: JsonLinesFile, scanner: JsonLinesScanner, afterChunk: () => Promise<void> | void, length = Infinity): Promise<number> {
  if ('handle' in file) return scanFile(file.handle, scanner, afterChunk, length);
  await scanChunks(file.pieces, scanner, afterChunk);
  return Infinity;
}

/** Chunks as Buffers (stdin may give strings). */
async function* bufferChunks(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
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
