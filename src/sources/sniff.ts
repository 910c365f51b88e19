/**
 * What a source is, told from its name and its first bytes, in one place for every reader: its
 * encoding (a byte order mark: UTF-8's, UTF-16's), and its format: a stream transcript, JSON Lines,
 * an array or list envelope to read item by item, or a document read whole (JSON, or what
 * parseRunText makes of any other text). Each source is sniffed once: the loaders decide from its
 * head how to read it (`readingFor`), print mode's streaming list the same way, and a text read
 * whole is sniffed from its start (`isSseTranscript`, `isJsonLinesName`).
 */
import {parseJson} from '../format/jsonError.js';
import {withoutCompressionSuffix} from './compression.js';
import {startsLikeRepr} from './pythonRepr.js';

/** U+FEFF, the byte order mark as decoded text holds it. */
const BOM = 0xfeff;
const BOM_TEXT = /^\ufeff/;

/** The text's encoding, by its byte order mark: UTF-16 only with one (UTF-8's is optional). */
export function encodingOf(head: Buffer): 'utf8' | 'utf16le' | 'utf16be' {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  return 'utf8';
}

/** Decodes a file's bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM. */
export function decodeRunFile(bytes: Buffer): string {
  const encoding = encodingOf(bytes);
  return encoding === 'utf8' ? bytes.toString('utf8') : new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2));
}

/** How many bytes a UTF-8 byte order mark takes at the start of `bytes`: 3 or 0. */
export function utf8BomLength(bytes: Buffer): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/** The text without its byte order mark (decoded text keeps it as U+FEFF). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

/** Whether a file name says JSON Lines (`runs.jsonl`, `runs.ndjson.gz`). */
export function isJsonLinesName(name: string): boolean {
  return /\.(jsonl|ndjson)$/i.test(withoutCompressionSuffix(name));
}

/** `.sse` and `.sse.txt` always name a transcript; `.txt` and `.log` only when the text starts like one. */
const SSE_NAME = /\.sse(\.txt)?$/i;
const TEXT_NAME = /\.(txt|log)$/i;
/** Field names per the SSE spec are case-sensitive; the space after the colon is optional. */
const STARTS_AS_FIELD = /^(event|data):/;
const STARTS_AS_RUN_STREAM = /^event: ?thread\./;
/** The SSE spec ends a line with CRLF, LF or a lone CR. */
const LINE_END = /\r\n|\r|\n/g;

/** The first line that is neither blank nor an SSE comment (`: keep-alive`), without its line ending. */
function firstMeaningfulLine(text: string): string | null {
  let start = text.charCodeAt(0) === BOM ? 1 : 0;
  // Transcripts worth detecting say so in their first lines; never scan a whole large file.
  for (let scanned = 0; start < text.length && scanned < 50; scanned += 1) {
    LINE_END.lastIndex = start;
    const found = LINE_END.exec(text);
    const end = found ? found.index : text.length;
    const line = text.slice(start, end);
    start = found ? found.index + found[0].length : text.length;
    if (line.trim() === '' || line.startsWith(':')) continue;
    return line;
  }
  return null;
}

/** Whether a file's name says it is a stream transcript (`.sse`, `.sse.txt`, compressed or not). */
export function isSseFileName(file: string): boolean {
  return SSE_NAME.test(withoutCompressionSuffix(file));
}

/**
 * Whether a text (named `file`) is an SSE transcript: a `.sse` file; a `.txt`/`.log` file whose
 * first non-empty line starts with `event:` or `data:`; or any text whose first non-empty line
 * starts with `event: thread.` (so a transcript saved as `.json`, or piped in, is read as one).
 */
export function isSseTranscript(text: string, file: string): boolean {
  if (isSseFileName(file)) return true;
  const first = firstMeaningfulLine(text);
  if (first === null) return false;
  if (STARTS_AS_RUN_STREAM.test(first)) return true;
  return TEXT_NAME.test(withoutCompressionSuffix(file)) && STARTS_AS_FIELD.test(first);
}

/** Whether bytes that start so can be split into lines as UTF-8: not UTF-16, not a stream transcript. */
export function headReadsAsJsonLines(head: Buffer): boolean {
  if (encodingOf(head) !== 'utf8') return false;
  const text = head.toString('utf8', 0, Math.min(head.length, 256)).replace(BOM_TEXT, '').trimStart();
  return !text.startsWith('event:') && !text.startsWith('data:') && !text.startsWith(':');
}

/**
 * How bytes with no name to go by (stdin) read: as JSON Lines when their first line is a JSON
 * value on its own (a one-line JSON document passes too, and parses the same), else whole;
 * `undecided` while that line is still incomplete and more may come (`ended` false).
 */
export function firstLineVerdict(bytes: Buffer, ended: boolean): 'json-lines' | 'whole' | 'undecided' {
  if (!headReadsAsJsonLines(bytes)) return 'whole';
  let start = utf8BomLength(bytes);
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

/**
 * Whether a document starting with `head` is one this reader may stream: an array, or an object
 * (which of them is a list only its keys tell; a run is found out at its `"object"`, or at its end).
 */
export function headIsRunArray(head: Buffer): boolean {
  const text = head.toString('utf8', 0, Math.min(head.length, 4096)).replace(BOM_TEXT, '').trimStart();
  // A Python or console.log printout (`[Run(id='run_…'`, `{'id': …}`) is parsed whole by parseRunText: its quotes are not JSON's.
  return (text.startsWith('[') || text.startsWith('{')) && !startsLikeRepr(text);
}

/**
 * Whether a text that is not one JSON value reads as JSON Lines: its first or second non-empty
 * line is a JSON value on its own. The second counts because the first line of `tail -c` output,
 * or of an export whose first write was cut short, is broken while the rest is fine.
 */
export function looksLikeJsonLines(text: string): boolean {
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
 * Whether the first non-empty line of a text is a JSON value on its own and more follows it: then
 * the text is JSON Lines (or values one after another), never one array to read item by item.
 */
export function firstLineIsJsonValue(text: string): boolean {
  const start = text.search(/\S/);
  const end = text.indexOf('\n', start);
  if (start === -1 || end === -1 || text.slice(end).trim() === '') return false;
  return parseJson(text.slice(start, end).trim()).ok;
}

/** How one file or stdin is read: line by line (JSON Lines), item by item (an array or list envelope), or whole. */
export type Reading = 'json-lines' | 'array' | 'whole';

/**
 * How input that starts with `head` is read. `name` is the file's (its compression suffix does not
 * count), or null for stdin, whose first line decides JSON Lines. An array or list envelope is
 * read item by item whatever its size, so every mode and every size reads it the same way (one
 * broken item costs only itself); a first line that is a JSON value of its own says JSON Lines
 * instead (`[…]` one to a line). Anything else (a run, a transcript, UTF-16) is parsed whole.
 */
export function readingFor(name: string | null, head: Buffer, ended: boolean): Reading {
  if (name !== null && isJsonLinesName(name)) return headReadsAsJsonLines(head) ? 'json-lines' : 'whole';
  const firstLine = firstLineVerdict(head, ended);
  if (name === null && firstLine === 'json-lines') return 'json-lines';
  if (firstLine !== 'json-lines' && headIsRunArray(head) && !(name !== null && isSseFileName(name))) return 'array';
  return 'whole';
}


/** What a text read whole is: a stream transcript, JSON Lines (by its name), or a document (parseRunText tries JSON, then the rest). */
export type TextFormat = 'transcript' | 'json-lines' | 'document';

/** The format of a text read whole, from its name and its first lines (`isSseTranscript`, `isJsonLinesName`). */
export function sniffText(text: string, file: string): TextFormat {
  if (isSseTranscript(text, file)) return 'transcript';
  if (isJsonLinesName(file)) return 'json-lines';
  return 'document';
}
