/**
 * The bodies of runs and messages kept small (model/detachedRun.ts), read back from their files
 * by byte offset when a pane, a copy or a report needs them.
 *
 * Read synchronously, on purpose: one body is one `pread` of its own bytes (a line or an array
 * item: 2 KB on average in the bench's file, the longest instructions a few MB) and one JSON.parse
 * of that text, done for the run that is open and the messages of its thread only, and a few
 * recent runs are kept. Reading back a run of the bench's file of 100,000 runs and 300,000
 * messages took 0.03 ms (median of 200 runs; the slowest, the first, 3 ms), and 300 messages 4 ms:
 * a loading state would cost a frame of flicker for nothing.
 *
 * A file that changed since the load does not crash anything: the light fields still show, and
 * the body says which file changed (the Raw JSON pane of a run, a warning of the Conversation pane).
 */
import {closeSync, openSync, readSync} from 'node:fs';
import {isDetached, searchTextOf, sourceOnly, type BodyPlace, type DetachedRun} from '../model/detachedRun.js';
import type {LoadWarning} from '../model/loadWarning.js';
import type {Run} from '../model/run.js';
import type {ThreadMessage} from '../model/threadMessage.js';
import {keyText} from '../keys.js';
import {messageFromText, runFromText} from './parseRunText.js';

/** The text at a body's place, or why it cannot be read. */
export function readBodyText(place: BodyPlace): {text: string} | {error: string} {
  try {
    const fd = openSync(place.file, 'r');
    try {
      const bytes = Buffer.allocUnsafe(place.length);
      const read = readSync(fd, bytes, 0, place.length, place.offset);
      return {text: bytes.toString('utf8', 0, read)};
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return {error: `cannot be read again (${error instanceof Error ? error.message : String(error)})`};
  }
}

/** What is said when an item is not where it was loaded from. */
function changedSince(noun: string): string {
  return `changed since this ${noun} was loaded from it; reload (${keyText('watch')}) to read it again`;
}

/**
 * What is known of a run without its file: its light fields. Its object as read says why the
 * rest is missing, so the Raw JSON pane explains the gap.
 */
function standIn(run: DetachedRun, why: string): Run {
  const {body: _body, serviceTier: _tier, toolTypes: _types, toolNames: _names, ...light} = run;
  return {...light, source: sourceOnly(run.source), raw: {'(runlens)': `${run.body.file} ${why}`}, instructions: null, tools: [], searchText: searchTextOf(run)};
}

/** How many whole runs are kept: enough for the run on screen and those the user steps between. */
const RECENT_RUNS = 16;

/** Whole runs read back from their files, the few recent ones cached. */
export class RunBodies {
  private readonly recent = new Map<Run, Run>();

  /** The run with its body: itself when it was never detached, else read back (or a stand-in saying why not). */
  whole(run: Run): Run {
    if (!isDetached(run)) return run;
    const cached = this.recent.get(run);
    if (cached) {
      // Most recently used last, so the oldest is the first key.
      this.recent.delete(run);
      this.recent.set(run, cached);
      return cached;
    }
    const whole = readRun(run as DetachedRun);
    this.recent.set(run, whole);
    if (this.recent.size > RECENT_RUNS) this.recent.delete(this.recent.keys().next().value!);
    return whole;
  }
}

function readRun(run: DetachedRun): Run {
  const read = readBodyText(run.body);
  if ('error' in read) return standIn(run, read.error);
  return runFromText(read.text, sourceOnly(run.source), run.id) ?? standIn(run, changedSince('run'));
}

/** The bodies the TUI reads: one for the whole program, as the files are. */
export const runBodies = new RunBodies();

/** The run with its body, through the program's cache (`runBodies`). */
export function wholeRun(run: Run): Run {
  return runBodies.whole(run);
}

/**
 * Messages with their bodies, in the same order: those never detached as they are, the others
 * read back; one that is not where it was loaded from keeps its light fields (role, time, status)
 * and gives a warning naming its file and line.
 */
export function wholeMessages(messages: readonly ThreadMessage[]): {messages: ThreadMessage[]; warnings: LoadWarning[]} {
  const warnings: LoadWarning[] = [];
  const out = messages.map((message) => {
    if (!isDetached(message)) return message;
    const source = message.source ? sourceOnly(message.source) : {file: message.body.file};
    const read = readBodyText(message.body);
    const whole = 'error' in read ? null : messageFromText(read.text, source, message.id);
    if (whole) return whole;
    const location = `${source.file}${source.line ? `:${source.line}` : ''}`;
    // The location names the file and line; the message says what happened to it.
    warnings.push({location, message: `message ${message.id}: ${'error' in read ? read.error : `the file ${changedSince('message')}`}`});
    const {body: _body, ...light} = message;
    return {...light, source, content: [], attachments: [], metadata: {}, raw: {}};
  });
  return {messages: out, warnings};
}
