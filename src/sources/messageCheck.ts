/**
 * What the load's worker thread does with a batch of message lines (messageLines.ts): each line
 * parsed and collected exactly as the ordinary path does it (`collectRuns` of `JSON.parse` of the
 * trimmed line), and the line accepted only when that gave one message and nothing else: no
 * warning, no field problem, no run. Pure: the worker (messageWorker.ts) and, without one, the
 * reader's own thread run the same function.
 */
import {emptyItems, SIDE_KINDS, type ParsedItems} from '../model/itemKinds.js';
import type {ThreadMessage} from '../model/threadMessage.js';
import {decodeLine} from './jsonLinesScanner.js';
import {ACCEPTED, ACCEPTED_AGAIN, FIRST_REFERENCE, NULL_STRING, STRINGS_PER_MESSAGE, TABLE_LIMIT, TIMES_PER_MESSAGE, type MessageWire} from './messageLines.js';
import {collectRuns} from './parseRunText.js';

/** The one message the line is, as the ordinary path would read it, or null when it is anything else. */
export function soleMessage(rawLine: string): ThreadMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(rawLine.trim());
  } catch {
    // Its warning (with the column) comes from the ordinary path, which also lets a trailing comma pass.
    return null;
  }
  const out: ParsedItems = emptyItems();
  collectRuns(value, '', 1, out);
  if (out.runs.length > 0 || out.warnings.length > 0) return null;
  for (const {key} of SIDE_KINDS) if (key !== 'messages' && (out[key]?.length ?? 0) > 0) return null;
  return out.messages?.length === 1 ? out.messages[0]! : null;
}

/** What a stream's (a file's) batches before left for the next: the ids its accepted messages had, and the values sent once (see MessageWire). */
export interface StreamMemory {
  seen: Set<string>;
  /** Each value sent once, by its place in the table the reader keeps alike; null: send every value (the reader's table is not this one). */
  table: Map<string, number> | null;
}

/**
 * A batch's lines (`bytes`, each ending at `ends[i]`) checked, and the accepted ones' light
 * fields. `memory` holds what the stream's batches before found, and gains these.
 */
export function checkMessageLines(bytes: Buffer, ends: Int32Array, count: number, memory: StreamMemory): MessageWire {
  const {seen, table} = memory;
  const accepted = new Uint8Array(count);
  const lengths = new Int32Array(STRINGS_PER_MESSAGE * count);
  const times = new Float64Array(TIMES_PER_MESSAGE * count);
  const parts: string[] = [];
  let strings = 0;
  let timeAt = 0;
  const string = (value: string | null, repeats = false) => {
    if (value === null) {
      lengths[strings++] = NULL_STRING;
      return;
    }
    const known = repeats && table ? table.get(value) : undefined;
    if (known !== undefined) {
      lengths[strings++] = FIRST_REFERENCE - known;
      return;
    }
    // The reader adds such a value to its table as this one does.
    if (repeats && table && table.size < TABLE_LIMIT) table.set(value, table.size);
    lengths[strings++] = value.length;
    parts.push(value);
  };
  for (let index = 0; index < count; index += 1) {
    const message = soleMessage(decodeLine(bytes, index === 0 ? 0 : ends[index - 1]!, ends[index]!));
    if (!message) continue;
    // A second copy of an id is told apart: the collection compares it with the first.
    if (seen.has(message.id)) accepted[index] = ACCEPTED_AGAIN;
    else {
      seen.add(message.id);
      accepted[index] = ACCEPTED;
    }
    // The order WireReader reads them in.
    string(message.id);
    string(message.threadId, true);
    string(message.runId);
    string(message.assistantId, true);
    string(message.role, true);
    string(message.status, true);
    string(message.incompleteReason, true);
    times[timeAt++] = message.createdAt ?? Number.NaN;
    times[timeAt++] = message.completedAt ?? Number.NaN;
    times[timeAt++] = message.incompleteAt ?? Number.NaN;
  }
  return {accepted, text: parts.join(''), lengths: lengths.subarray(0, strings), times: times.subarray(0, timeAt)};
}

/** Each stream's memory (by a number the router chose), until it closes. */
export class StreamMemories {
  private readonly byStream = new Map<number, StreamMemory>();

  of(stream: number): StreamMemory {
    let memory = this.byStream.get(stream);
    if (!memory) this.byStream.set(stream, (memory = {seen: new Set(), table: new Map()}));
    return memory;
  }

  close(stream: number): void {
    this.byStream.delete(stream);
  }
}
