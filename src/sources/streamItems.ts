/**
 * The messages and run steps of a stream transcript, assembled from their events as the API
 * streams them: a whole object in each `created`/`in_progress`/`completed`/… event (the server's
 * state, which replaces what was assembled), and `delta` events in between whose pieces join the
 * object by `index` (a message's content parts, a step's tool calls): text is concatenated, so a
 * message's text and a call's `arguments` and `output` come out whole.
 *
 * The merge follows the openai SDK's `AssistantStream.accumulateDelta`, which is not used itself:
 * it throws on a piece it does not expect (runlens warns and keeps the rest), and importing it
 * would load the SDK for every file source.
 */
import {addSideItem, ITEM_KINDS, itemKindOf, type ItemTypes, type ParsedItems} from '../model/itemKinds.js';
import type {LoadWarning} from '../model/loadWarning.js';

/** The side kinds a stream has events for. */
type StreamKind = 'messages' | 'steps';

/** What an event name says: which kind, and whether its data is a delta. Null for other events. */
export function streamItemEvent(name: string): {kind: StreamKind; delta: boolean} | null {
  const kind: StreamKind | null = name.startsWith('thread.message.') ? 'messages' : name.startsWith('thread.run.step.') ? 'steps' : null;
  return kind ? {kind, delta: name.endsWith('.delta')} : null;
}

/** The delta objects' own `object`, for events saved without their names. */
const DELTA_OBJECTS: Record<string, StreamKind> = {'thread.message.delta': 'messages', 'thread.run.step.delta': 'steps'};

/** The `object` a kind's whole objects have: the table's entry for it. */
const OBJECT_OF: Record<StreamKind, string> = Object.fromEntries(
  Object.entries(ITEM_KINDS).flatMap(([object, kind]) => (kind.key === 'messages' || kind.key === 'steps' ? [[kind.key, object]] : [])),
) as Record<StreamKind, string>;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Adds `delta` into `into` (both JSON objects, parsed for this: `into` takes `delta`'s parts as they are), as the SDK does: strings are concatenated, numbers
 * added, objects merged, arrays of objects merged entry by entry on their `index` (a new index is
 * appended), other arrays appended to; `index` and `type` are replaced. Returns what could not be
 * merged (`field: why; skipped`), which the caller warns about; the rest is merged.
 */
export function mergeDelta(into: Json, delta: Json, path = ''): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(delta)) {
    const where = path ? `${path}.${key}` : key;
    const held = into[key];
    if (held === undefined || held === null || key === 'index' || key === 'type') {
      into[key] = value;
    } else if (typeof held === 'string' && typeof value === 'string') {
      into[key] = held + value;
    } else if (typeof held === 'number' && typeof value === 'number') {
      into[key] = held + value;
    } else if (isObject(held) && isObject(value)) {
      problems.push(...mergeDelta(held, value, where));
    } else if (Array.isArray(held) && Array.isArray(value)) {
      problems.push(...mergeEntries(held, value, where));
    } else if (value !== null) {
      problems.push(`${where}: a ${describe(value)} cannot join the ${describe(held)} before it; that piece skipped`);
    }
  }
  return problems;
}

function mergeEntries(held: unknown[], entries: unknown[], where: string): string[] {
  if (held.every((entry) => !isObject(entry)) && entries.every((entry) => !isObject(entry))) {
    held.push(...entries);
    return [];
  }
  const problems: string[] = [];
  entries.forEach((entry, position) => {
    const index = isObject(entry) ? entry['index'] : undefined;
    if (!isObject(entry) || typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
      problems.push(`${where}[${position}]: a piece without a whole-number "index"; skipped`);
      return;
    }
    const target = held[index];
    if (isObject(target)) problems.push(...mergeDelta(target, entry, `${where}[${index}]`));
    else if (index >= held.length) held[index] = entry;
    else problems.push(`${where}[${index}]: a piece for an entry that is not an object; skipped`);
  });
  return problems;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value === 'object' ? 'object' : typeof value;
}

/** One message or step as it is assembled: its object so far and the data line of its last event. */
interface Assembling {
  raw: Json;
  line: number;
}

/** Where a delta's pieces go in its object: a message's `delta.content`, a step's `delta.step_details`. */
function deltaBody(value: Json): Json | null {
  return isObject(value['delta']) ? value['delta'] : null;
}

/**
 * The messages and steps of one transcript, in the order first seen. `state` and `delta` take one
 * event's parsed data and return a warning's message when it cannot be used (then the event is skipped).
 */
export class StreamItems {
  private readonly byKind: Record<StreamKind, Map<string, Assembling>> = {messages: new Map(), steps: new Map()};

  /** Which kind a value of an unnamed event is a whole object or a delta of, or null. */
  static kindOfUnnamed(value: unknown): {kind: StreamKind; delta: boolean} | null {
    if (isObject(value) && typeof value['object'] === 'string' && DELTA_OBJECTS[value['object']]) return {kind: DELTA_OBJECTS[value['object']]!, delta: true};
    const kind = itemKindOf(value)?.key;
    return kind === 'messages' || kind === 'steps' ? {kind, delta: false} : null;
  }

  /** A whole message or step: it replaces what was assembled of it. */
  state(kind: StreamKind, value: unknown, line: number): string | null {
    if (itemKindOf(value)?.key !== kind || !isObject(value)) return `data is not ${kind === 'messages' ? 'a message' : 'a run step'} (no "object": "${OBJECT_OF[kind]}"); skipped`;
    const id = typeof value['id'] === 'string' ? value['id'] : `(no id) line ${line}`;
    const items = this.byKind[kind];
    const known = items.get(id);
    if (known) {
      known.raw = value;
      known.line = line;
    } else {
      items.set(id, {raw: value, line});
    }
    return null;
  }

  /** A delta: its pieces join the object of its id (begun from the delta alone when the transcript starts after its creation). */
  delta(kind: StreamKind, value: unknown, line: number): string[] {
    const body = isObject(value) ? deltaBody(value) : null;
    if (!isObject(value) || typeof value['id'] !== 'string' || !body) return ['data is not a delta (an "id" and a "delta" object); skipped'];
    const items = this.byKind[kind];
    let item = items.get(value['id']);
    if (!item) items.set(value['id'], (item = {raw: {id: value['id'], object: OBJECT_OF[kind]}, line}));
    item.line = line;
    return mergeDelta(item.raw, body);
  }

  /** Each message and step, normalized from what was assembled, into `out`; a field problem is a warning at its last event's line. */
  collect(file: string, out: ParsedItems, warnings: LoadWarning[]): void {
    for (const kind of ['steps', 'messages'] as const) {
      const entry = ITEM_KINDS[OBJECT_OF[kind] as 'thread.message' | 'thread.run.step'];
      for (const [id, {raw, line}] of this.byKind[kind]) {
        const item = entry.read(raw, {file, line}, id) as ItemTypes[typeof kind];
        for (const problem of item.problems) warnings.push({location: `${file}:${line}`, message: `${entry.noun} ${item.id}: field ${problem.field}: ${problem.message}`});
        addSideItem(out, kind, item);
      }
    }
  }
}
