/**
 * The last resort of parseRunText, for a text that is not JSON, JSON Lines or a stream transcript:
 * a printout of runs (Python's `print(run)` or a printed dict, console.log's object) loads through
 * parseRepr; a file of another kind (YAML, CSV, an HTML page, gzip…) gets one line saying what it
 * looks like and what runlens reads. Anything else keeps its JSON error.
 */
import type {LoadWarning} from '../model/loadWarning.js';
import {parseRepr, startsLikeRepr, type ReprDocument, type ReprNote} from './pythonRepr.js';

/** The end of every "looks like" line. */
export const RUNLENS_READS = 'runlens reads runs as JSON, JSON Lines, stream transcripts, and Python or console.log printouts';

/** What a text of another shape holds. */
export interface OtherShape {
  /** Values to collect runs from; `line` is set when the text holds several, one after another. */
  values: Array<{value: unknown; line: number | undefined}>;
  warnings: LoadWarning[];
}

/** Reads a text that failed as JSON as a printout, or names its shape; null when it is neither (then the JSON error stands). */
export function readOtherShape(text: string, file: string): OtherShape | null {
  if (startsLikeRepr(text)) return readPrintout(parseRepr(text), file);
  const looks = describeShape(text);
  return looks === null ? null : {values: [], warnings: [{location: file, message: looks}]};
}

const PRINTERS = {python: 'Python printout', javascript: 'console.log printout'} as const;
/** How to print all of a run, for a printout that left parts out. */
const PRINT_ALL = {python: 'print(run.to_json()) prints all of it', javascript: 'JSON.stringify(run) prints all of it'} as const;

function readPrintout(document: ReprDocument, file: string): OtherShape {
  const several = document.values.length + document.errors.length > 1;
  const printer = PRINTERS[document.dialect];
  const warnings: LoadWarning[] = document.errors.map((error) => ({
    location: `${file}:${error.line}:${error.column}`,
    message: `${printer} breaks here: ${error.reason}; ${several ? 'this value is skipped' : 'nothing loaded'}`,
  }));
  for (const kind of ['cut', 'opaque'] as const) {
    const notes = document.notes.filter((note) => note.kind === kind);
    const first = notes[0];
    if (!first) continue;
    const where = `${first.text}${notes.length > 1 ? ` here and in ${notes.length - 1} more place${notes.length > 2 ? 's' : ''}` : ' here'}`;
    warnings.push({location: `${file}:${first.at.line}:${first.at.column}`, message: noteMessage(first, where, document)});
  }
  return {values: document.values.map(({value, at}) => ({value, line: several ? at.line : undefined})), warnings};
}

function noteMessage(note: ReprNote, where: string, document: ReprDocument): string {
  if (note.kind === 'cut') return `the ${PRINTERS[document.dialect]} leaves parts out (${where}); they read as text. ${PRINT_ALL[document.dialect]}`;
  return `not plain data (${where}); read as its text`;
}

/** At most this much of the start of a text is looked at to tell its shape. */
const HEAD_CHARS = 4096;

/** Magic numbers as they read once decoded as UTF-8 (a byte that is not UTF-8 reads as U+FFFD). */
const BINARY: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\u001f\ufffd/, 'gzip-compressed data; runlens reads it uncompressed (zcat FILE | runlens -)'],
  [/^\(\ufffd\/\ufffd/, 'zstd-compressed data; runlens reads it uncompressed (zstdcat FILE | runlens -)'],
  [/^BZh[1-9]1AY&SY/, 'bzip2-compressed data; runlens reads it uncompressed (bzcat FILE | runlens -)'],
  [/^\ufffd7zXZ\u0000/, 'xz-compressed data; runlens reads it uncompressed (xzcat FILE | runlens -)'],
  [/^PK\u0003\u0004/, 'a zip archive; runlens reads the files in it once unzipped'],
  [/^\ufffdPNG\r\n\u001a\n/, `a PNG image, not runs; ${RUNLENS_READS}`],
  [/^%PDF-/, `a PDF document, not runs; ${RUNLENS_READS}`],
  [/^SQLite format 3\u0000/, `an SQLite database, not runs; ${RUNLENS_READS}`],
];

/**
 * A line of runlens's own piped `list` output: ten tab-separated columns, RFC 3339 times in the
 * fifth to seventh, and (since responses) the kind as an eleventh, (since cost) the cost as a twelfth.
 */
const RUNLENS_TSV = /^[^\t\n]+\t[^\t\n]+(?:\t[^\t\n]*){2}(?:\t(?:\d{4}-\d\d-\d\dT[^\t\n]*)?){3}(?:\t[^\t\n]*){3}(?:\t(?:run|response)(?:\t(?:\d+\.\d+)?)?)?$/;

const YAML_KEY = /^\s*(?:- )?["']?[\w.-]+["']?:(?: |$)/;

/**
 * One line saying what a text that is not runs looks like and what runlens reads, or null when
 * it looks like nothing in particular. Only the start of the text is looked at.
 */
export function describeShape(text: string): string | null {
  const head = text.slice(0, HEAD_CHARS);
  for (const [magic, what] of BINARY) if (magic.test(head)) return `looks like ${what}`;
  if (/^(?:[^\u0000]\u0000){4}/.test(head)) return 'looks like UTF-16 text without a byte order mark; runlens reads UTF-8, or UTF-16 that starts with one';
  if (/\u0000/.test(head) || (head.match(/\ufffd/g)?.length ?? 0) > 8) return `looks like binary data, not text; ${RUNLENS_READS}`;
  const start = head.trimStart();
  if (/^(?:<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(start) || (start.startsWith('<') && /<\/?(?:html|head|body|title)[\s>]/i.test(head))) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(head)?.[1]?.replace(/\s+/g, ' ').trim();
    const named = title ? ` ("${title.length > 60 ? `${title.slice(0, 59)}…` : title}")` : '';
    return `looks like an HTML page${named}: a saved web page or a server's error page, not runs; ${RUNLENS_READS}`;
  }
  if (/^<\?xml[\s?]/.test(start)) return `looks like an XML document, not runs; ${RUNLENS_READS}`;
  if (/^HTTP\/\d(?:\.\d)? \d{3}/.test(start)) return 'looks like an HTTP response with its headers (curl -i); runlens reads the body alone (curl without -i)';
  if (/^Traceback \(most recent call last\):$/m.test(head)) return `looks like a Python traceback (an error), not runs; ${RUNLENS_READS}`;
  if (start.startsWith('```')) return `looks like Markdown with a code block; ${RUNLENS_READS}: save what is inside the block on its own`;
  const lines = start.split('\n', 6).map((line) => line.replace(/\r$/, '')).filter((line) => line.trim() !== '');
  const firstLine = lines[0] ?? '';
  if (RUNLENS_TSV.test(firstLine)) return "looks like runlens's own TSV output (runlens list, piped): a table of runs, not the runs; runlens list --json writes runs that runlens reads back";
  const table = describeTable(lines.slice(0, 5));
  if (table) return `looks like ${table}, not runs; ${RUNLENS_READS}`;
  // Two `key: value` lines at least, the first of them first: one (`Error: connection refused`) is just text.
  const keyLines = lines.filter((line) => YAML_KEY.test(line) && !line.startsWith('#'));
  if (/^(?:%YAML|---(?:\s|$))/.test(start) || (YAML_KEY.test(firstLine) && keyLines.length >= 2)) {
    return `looks like YAML; ${RUNLENS_READS} (convert it to JSON first)`;
  }
  return null;
}

/** `CSV (3 columns: id, status, model)` when the lines have the same number (two or more) of commas or tabs, else null. */
function describeTable(lines: readonly string[]): string | null {
  if (lines.length < 2 || /^[[{]/.test(lines[0]!)) return null;
  for (const [separator, name] of [['\t', 'TSV'], [',', 'CSV']] as const) {
    // Separators inside double quotes do not count.
    const count = (line: string) => line.replace(/"(?:[^"]|"")*"/g, '').split(separator).length - 1;
    const columns = count(lines[0]!);
    if (columns < 1 || !lines.every((line) => count(line) === columns)) continue;
    const names = lines[0]!.split(separator).slice(0, 3).map((field) => {
      const name = field.trim().replace(/^"|"$/g, '');
      return name.length > 20 ? `${name.slice(0, 19)}…` : name;
    });
    return `${name} (${columns + 1} columns: ${names.join(', ')}${columns + 1 > 3 ? ', …' : ''})`;
  }
  return null;
}
