import {parseJson} from '../format/jsonError.js';
import {describeNonRun, looksLikeRun, normalizeRun} from '../model/normalize.js';
import {detachUnlessWaiting} from '../model/detachedRun.js';
import {laterCopy} from '../model/latestRun.js';
import type {Run, SourceLocation} from '../model/run.js';
import {JsonLinesScanner} from './jsonLinesScanner.js';
import {isSseTranscript, parseSseTranscript} from './sseTranscript.js';

/** Something wrong in the input, with where: `file`, `file:line` or `file:line:column`. */
export interface LoadWarning {
  location: string;
  message: string;
}

export function formatWarning(warning: LoadWarning): string {
  return `${warning.location}: ${warning.message}`;
}

/** Runs found in one text, and what was wrong in it. */
export interface ParsedRuns {
  runs: Run[];
  warnings: LoadWarning[];
}

/** Whether a file name says JSON Lines. */
export function isJsonLinesName(name: string): boolean {
  return /\.(jsonl|ndjson)$/i.test(name);
}

const THE_VALUE = 'the value';

/**
 * Pulls runs out of one parsed JSON value: a run, an array of runs, or a list envelope
 * `{"object":"list","data":[...]}`. Anything else becomes a warning, never an error.
 */
export function collectRuns(value: unknown, file: string, line: number | undefined, out: ParsedRuns): void {
  const where = line === undefined ? file : `${file}:${line}`;
  const addRun = (candidate: unknown, label: string) => collectRunItem(candidate, file, label, out, line);

  if (Array.isArray(value)) {
    value.forEach((item, index) => addRun(item, `item ${index}`));
    return;
  }
  if (typeof value === 'object' && value !== null && (value as Record<string, unknown>)['object'] === 'list') {
    const data = (value as Record<string, unknown>)['data'];
    if (!Array.isArray(data)) {
      out.warnings.push({location: where, message: 'list envelope has no "data" array; skipped'});
      return;
    }
    data.forEach((item, index) => addRun(item, `data[${index}]`));
    return;
  }
  addRun(value, THE_VALUE);
}

/**
 * One value that should be a run: `label` says where it was (`item 3`, `data[3]`, `the value`).
 * Anything but a run is a warning.
 */
export function collectRunItem(candidate: unknown, file: string, label: string, out: ParsedRuns, line?: number): void {
  const where = line === undefined ? file : `${file}:${line}`;
  if (!looksLikeRun(candidate)) {
    out.warnings.push({location: where, message: `${label} is ${describeNonRun(candidate)}, not a run; skipped`});
    return;
  }
  // Runs without an id are told apart by where they are: with one name per file or line, the
  // second of two id-less runs in an array replaced the first as a "duplicate".
  const fallbackId = `(no id) ${where}${label === THE_VALUE ? '' : ` ${label}`}`;
  const run = normalizeRun(candidate, line === undefined ? {file} : {file, line}, fallbackId);
  for (const problem of run.problems) {
    out.warnings.push({location: where, message: `${run.id}: field ${problem.field}: ${problem.message}`});
  }
  out.runs.push(run);
}

/** Parses JSON Lines: a bad line is a warning and the other lines still load. */
export function parseJsonLines(text: string, file: string, out: ParsedRuns): void {
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
export function parseJsonLinesBuffer(bytes: Buffer, file: string, out: ParsedRuns): void {
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

export class JsonLinesReader {
  private readonly scanner: JsonLinesScanner;
  /** Bytes pushed so far. */
  bytesRead = 0;

  constructor(
    private readonly file: string,
    private readonly out: ParsedRuns,
    /**
     * Runs are kept small (see DetachedRun) and read again from the file when opened.
     * Only for a file that can be read again, not stdin.
     */
    detachRuns = false,
  ) {
    this.scanner = new JsonLinesScanner((rawLine, lineNumber, bytes, offset) => {
      const before = out.runs.length;
      parseJsonLine(rawLine, lineNumber, file, out);
      if (detachRuns) {
        for (let index = before; index < out.runs.length; index += 1) {
          out.runs[index] = detachUnlessWaiting(out.runs[index]!, offset, bytes.length, runFromText);
        }
      }
      return true;
    }, null, READER_CHUNK_BYTES);
  }

  push(chunk: Buffer): void {
    this.bytesRead += chunk.length;
    this.scanner.push(chunk);
  }

  /** The last line, which needs no newline. */
  end(): void {
    this.scanner.finish();
    if (!this.scanner.sawContent) this.out.warnings.push({location: this.file, message: 'empty file'});
  }
}

/**
 * The run `id` as found again in its text (a line of JSON Lines, an item of an array; for
 * DetachedRun), or null. A line holding several copies of it gives the one the load kept: the
 * latest state (`laterCopy`).
 */
export function runFromText(text: string, source: SourceLocation, id: string): Run | null {
  const parsed = parseJson(text.trim());
  if (!parsed.ok) return null;
  const out: ParsedRuns = {runs: [], warnings: []};
  collectRuns(parsed.value, source.file, source.line, out);
  let found: Run | null = null;
  for (const run of out.runs) if (run.id === id) found = found ? laterCopy(found, run) : run;
  return found;
}

/** One line of JSON Lines (as decoded, line ending aside); false when it is blank. */
export function parseJsonLine(rawLine: string, lineNumber: number, file: string, out: ParsedRuns): boolean {
  const line = rawLine.trim();
  if (line === '') return false;
  const parsed = parseJson(line);
  if (parsed.ok) {
    collectRuns(parsed.value, file, lineNumber, out);
  } else {
    // Columns count from the start of the line as written, indentation included.
    const indent = rawLine.length - rawLine.trimStart().length;
    out.warnings.push({
      location: `${file}:${lineNumber}:${parsed.error.column + indent}`,
      message: `${parsed.error.reason}; line skipped`,
    });
  }
  return true;
}

/**
 * Whether a text that is not one JSON value reads as JSON Lines: its first or second non-empty
 * line is a JSON value on its own. The second counts because the first line of `tail -c` output,
 * or of an export whose first write was cut short, is broken while the rest is fine.
 */
function looksLikeJsonLines(text: string): boolean {
  let nonEmpty = 0;
  for (const line of text.split('\n', 50)) {
    if (line.trim() === '') continue;
    if (parseJson(line.trim()).ok) return true;
    nonEmpty += 1;
    if (nonEmpty === 2) break;
  }
  return false;
}

/**
 * Parses the text of one file (or stdin) in any accepted shape. Stream transcripts are recognised
 * as `isSseTranscript` says; JSON Lines by the file name or, failing that, by a text that is not
 * one JSON value but whose first or second line is.
 */
export function parseRunText(text: string, file: string): ParsedRuns {
  const out: ParsedRuns = {runs: [], warnings: []};
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    out.warnings.push({location: file, message: 'empty file'});
    return out;
  }
  if (isSseTranscript(body, file)) {
    parseSseTranscript(body, file, out);
    return out;
  }
  if (isJsonLinesName(file)) {
    parseJsonLines(body, file, out);
    return out;
  }
  const parsed = parseJson(body);
  if (parsed.ok) {
    collectRuns(parsed.value, file, undefined, out);
    return out;
  }
  if (body.includes('\n') && looksLikeJsonLines(body)) {
    parseJsonLines(body, file, out);
    return out;
  }
  const {line, column, reason} = parsed.error;
  out.warnings.push({location: `${file}:${line}:${column}`, message: `invalid JSON: ${reason}`});
  return out;
}
