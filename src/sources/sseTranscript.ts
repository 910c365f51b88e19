/**
 * Saved server-sent-event transcripts of a streamed run, as a file source.
 *
 * The Assistants API streams a run as `event: thread.run.created` / `data: {...}` blocks separated
 * by blank lines: run events (each with the whole run object), run step and message events (with
 * deltas), then `event: done` / `data: [DONE]`, or `event: error`. A transcript yields each run in
 * its latest state, and its messages and steps assembled from their events (streamItems.ts);
 * thread events and events runlens does not know are skipped (and counted). Lines are read as
 * the SSE spec says (https://html.spec.whatwg.org/multipage/server-sent-events.html): CRLF, LF or
 * CR ends a line, `:` starts a comment, one space after the colon is dropped, and consecutive
 * `data:` lines are joined with `\n`. Transcripts as recorders write them are read too: an
 * `event:` line right after a `data:` line (no blank line between) starts a new event, and data
 * lines that are each a whole value are events of their own. Bad input never stops the rest: a
 * broken data line, a line that is no field, a `data:` that is not a run become warnings naming
 * the file and line; a data line with a trailing comma, or one whole value followed by stray text
 * (the published spec's examples end several with one `}` too many), gives its value, with a
 * warning. A run read from another form (a status in another case, ISO 8601 times) is warned
 * about as in any other source: once per kind in the transcript.
 */
import {parseJsonTolerant, type JsonPosition} from '../format/jsonError.js';
import {describeNonRun, looksLikeRun, normalizeRun} from '../model/normalize.js';
import type {Run} from '../model/run.js';
import {noteWarnings} from './noteWarnings.js';
import {withoutBom} from './sniff.js';
import {StreamItems, streamItemEvent} from './streamItems.js';
import type {ParsedItems} from '../model/itemKinds.js';
import type {LoadWarning} from '../model/loadWarning.js';

/** What a transcript held besides its runs, for tests and a summary line. */
export interface SseTranscriptSummary {
  /** Events with data, `done` included. */
  events: number;
  /** Run events read (several per run: each state it went through). */
  runEvents: number;
  /** Message and run step events read (whole objects and deltas). */
  itemEvents: number;
  /** Events skipped on purpose (threads, unknown ones), by event name. */
  skipped: Record<string, number>;
  /** Whether the stream said `done` (`data: [DONE]`). */
  done: boolean;
  /** Lines `...` where whoever saved the transcript left events out. */
  elidedLines: number;
}

/** The SSE spec ends a line with CRLF, LF or a lone CR. */
const LINE_END = /\r\n|\r|\n/g;

/** One event as it is being read: its name and data lines, with where they were. */
interface PendingEvent {
  name: string | null;
  data: string[];
  /** 1-based file line of each data line. */
  dataLines: number[];
  /** Length of each data line's `data: ` prefix, to turn a column of the data into a file column. */
  dataPrefixes: number[];
  /** First line of the event. */
  line: number;
  /** Whether a warning was already given inside this event (no second one for its missing data). */
  warned: boolean;
}

/** Lines standing for events left out, as the published spec's examples write them. */
const ELISION = /^(\.\.\.|…)$/;
const LOOKS_LIKE_JSON = /^\s*[[{]/;
const MAX_QUOTE = 160;

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_QUOTE ? `${oneLine.slice(0, MAX_QUOTE - 1)}…` : oneLine;
}

/** Run events carry a run object; step events (`thread.run.step.*`) do not. */
function isRunEventName(name: string): boolean {
  return name.startsWith('thread.run.') && !name.startsWith('thread.run.step.');
}

/** `code: message` of an error event's data: an Error object (as documented) or `{"error": {...}}`. */
function describeStreamError(value: unknown, text: string): string {
  const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  const inner = record && typeof record['error'] === 'object' && record['error'] !== null ? (record['error'] as Record<string, unknown>) : record;
  if (inner) {
    const code = typeof inner['code'] === 'string' && inner['code'] !== '' ? inner['code'] : typeof inner['type'] === 'string' ? inner['type'] : null;
    const message = typeof inner['message'] === 'string' ? inner['message'] : null;
    if (code || message) return quote([code, message].filter(Boolean).join(': '));
  }
  return text.trim() === '' ? '(no details)' : quote(text);
}

/**
 * Reads an SSE transcript into `out`: each run once, in the order first seen, in the state of its
 * last run event (its source line is that event's). Never throws.
 */
export function parseSseTranscript(text: string, file: string, out: ParsedItems): SseTranscriptSummary {
  const summary: SseTranscriptSummary = {events: 0, runEvents: 0, itemEvents: 0, skipped: {}, done: false, elidedLines: 0};
  const latest = new Map<string, Run>();
  const items = new StreamItems();
  // Warnings in line order; those about a run's fields belong to one state of it and are dropped
  // when a later event replaces that state (the same bad field in every event is one warning).
  // So are its read notes (an upper-case status, a time as text), said as other sources say them
  // (noteWarnings, once per source) of the first state kept that has each.
  const warnings: Array<{warning: LoadWarning; state?: Run} | {notesOf: Run; location: string}> = [];
  const warn = (line: number, message: string, state?: Run) => {
    warnings.push({warning: {location: `${file}:${line}`, message}, ...(state ? {state} : {})});
  };
  const skip = (name: string) => {
    summary.skipped[name] = (summary.skipped[name] ?? 0) + 1;
  };

  const readRun = (event: PendingEvent, name: string, value: unknown) => {
    const line = event.dataLines[0] ?? event.line;
    if (!looksLikeRun(value)) {
      warn(line, `${name} data is ${describeNonRun(value)}, not a run; skipped`);
      return;
    }
    const run = normalizeRun(value, {file, line}, `(no id) ${file}:${line}`);
    summary.runEvents += 1;
    for (const problem of run.problems) warn(line, `${run.id}: field ${problem.field}: ${problem.message}`, run);
    if (run.notes) warnings.push({notesOf: run, location: `${file}:${line}`});
    latest.set(run.id, run);
  };

  const dispatch = (event: PendingEvent) => {
    const name = event.name;
    if (event.data.length === 0) {
      // The SSE spec drops an event without data; a named one most likely lost its `data: `.
      if (name !== null && !event.warned) warn(event.line, `event ${name} has no data line; skipped`);
      return;
    }
    summary.events += 1;
    const data = event.data.join('\n');
    if (name === 'done' || (name === null && data.trim() === '[DONE]')) {
      summary.done = true;
      return;
    }
    // Run, message, step and error events are parsed; thread and unknown events are skipped unread.
    const itemEvent = name === null ? null : streamItemEvent(name);
    if (name !== null && name !== 'error' && !isRunEventName(name) && !itemEvent) {
      skip(name);
      return;
    }
    // Data lines that are each a whole value (or `[DONE]`), with no blank line between them, are
    // events of their own (a recording that kept neither blank lines nor `event:` lines).
    const whole = parseJsonTolerant(data);
    if (!whole.ok && event.data.length > 1 && event.data.every((line) => line.trim() === '[DONE]' || parseJsonTolerant(line).ok)) {
      event.data.forEach((line, index) => {
        dispatch({name, data: [line], dataLines: [event.dataLines[index]!], dataPrefixes: [event.dataPrefixes[index]!], line: event.dataLines[index]!, warned: false});
      });
      summary.events -= 1;
      return;
    }
    const parsed = whole.ok || name === 'error' ? whole : parseJsonTolerant(data, {textAfter: true});
    if (name === 'error') {
      // Documented as an Error object; anything else is quoted as it came.
      const details = parsed.ok ? describeStreamError(parsed.value, data) : quote(data);
      warn(event.dataLines[0] ?? event.line, `the stream reported an error: ${details}`);
      return;
    }
    // A place in the data as the file's line and column (data may span lines).
    const inFile = (at: {line: number; column: number}) => {
      const index = Math.min(at.line, event.data.length) - 1;
      return {line: event.dataLines[index] ?? event.line, column: (event.dataPrefixes[index] ?? 0) + at.column};
    };
    if (!parsed.ok) {
      const at = inFile(parsed.error);
      warn(at.line, `invalid JSON in data: ${parsed.error.reason} at column ${at.column}; ${name ?? 'event'} skipped`);
      return;
    }
    for (const comma of parsed.tolerated.trailingCommas) {
      const at = inFile(comma);
      warn(at.line, `a trailing comma in data at column ${at.column}; ignored`);
    }
    const after: (JsonPosition & {text: string}) | null = parsed.tolerated.textAfter;
    if (after) {
      const at = inFile(after);
      warn(at.line, `text after the JSON value in data at column ${at.column} ignored: ${quote(after.text)}`);
    }
    // Unnamed events (a transcript saved without its `event:` lines) are what their data's object says.
    const item = itemEvent ?? (name === null ? StreamItems.kindOfUnnamed(parsed.value) : null);
    if (item) {
      const line = event.dataLines[0] ?? event.line;
      summary.itemEvents += 1;
      const problems = item.delta ? items.delta(item.kind, parsed.value, line) : [items.state(item.kind, parsed.value, line)].filter((problem) => problem !== null);
      for (const problem of problems) warn(line, `${name ?? 'event'} ${problem}`);
      return;
    }
    if (name === null) {
      if (looksLikeRun(parsed.value)) readRun(event, 'event', parsed.value);
      else skip('(unnamed)');
      return;
    }
    readRun(event, name, parsed.value);
  };

  const body = withoutBom(text);
  let pending: PendingEvent | null = null;
  let lineNumber = 0;
  let start = 0;
  while (start <= body.length) {
    LINE_END.lastIndex = start;
    const found = LINE_END.exec(body);
    const end = found ? found.index : body.length;
    const line = body.slice(start, end);
    lineNumber += 1;
    start = found ? found.index + found[0].length : body.length + 1;
    if (line === '') {
      if (pending) dispatch(pending);
      pending = null;
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let valueStart = colon === -1 ? line.length : colon + 1;
    if (line.charCodeAt(valueStart) === 0x20) valueStart += 1;
    const value = line.slice(valueStart);
    if (colon === -1 && ELISION.test(line.trim())) {
      summary.elidedLines += 1;
      continue;
    }
    if (field === 'event' && pending && (pending.data.length > 0 || pending.name !== null)) {
      // A new event without the blank line that should end the one before: recorded transcripts
      // often lose it (`event:` follows `data:` directly), and the SSE spec would merge the two.
      dispatch(pending);
      pending = null;
    }
    pending ??= {name: null, data: [], dataLines: [], dataPrefixes: [], line: lineNumber, warned: false};
    switch (field) {
      case 'event':
        pending.name = value;
        break;
      case 'data':
        pending.data.push(value);
        pending.dataLines.push(lineNumber);
        pending.dataPrefixes.push(valueStart);
        break;
      case 'id':
      case 'retry':
        break;
      default:
        if (colon === -1 || LOOKS_LIKE_JSON.test(line)) {
          // The SSE spec reads such a line as a field to ignore; here it most likely is data that
          // lost its `data: ` (as in one of the published spec's examples), or stray text.
          const what = LOOKS_LIKE_JSON.test(line) ? 'JSON without "data: " before it' : 'not an SSE field line';
          const where = pending.name === null ? '' : ` (in event ${pending.name})`;
          warn(lineNumber, `${what}${where}; ignored: ${quote(line)}`);
          pending.warned = true;
        }
        // Other field names (headers saved with the stream, say) are ignored, as the spec says.
        break;
    }
  }
  // A transcript saved without the final blank line still ends its last event.
  if (pending) dispatch(pending);

  const kept = new Set(latest.values());
  for (const entry of warnings) {
    if ('notesOf' in entry) {
      if (kept.has(entry.notesOf)) out.warnings.push(...noteWarnings(entry.notesOf, file, entry.location, out));
    } else if (entry.state === undefined || kept.has(entry.state)) {
      out.warnings.push(entry.warning);
    }
  }
  for (const run of latest.values()) out.runs.push(run);
  items.collect(file, out, out.warnings);
  if (latest.size === 0 && warnings.length === 0) {
    out.warnings.push({location: file, message: 'no run events in this stream transcript'});
  }
  return summary;
}
