/**
 * Responses API stream transcripts: the `response.*` events of a streamed response put back
 * together into the response object. sseTranscript.ts reads the SSE lines and hands each
 * `response.*` event here (named by its `event:` line or only by its data's `type`, as recorded
 * fixtures often keep only `data:` lines).
 *
 * The lifecycle events (`response.created`, `queued`, `in_progress`, `completed`, `failed`,
 * `incomplete`, `cancelled`) carry the whole response; the latest one gives its state. The output
 * is taken from it when it holds the items, else assembled from `response.output_item.added/.done`,
 * `response.function_call_arguments.delta/.done` and `response.output_text.delta/.done` (a stream
 * cut off before `response.completed` still shows the call it was making). Events are put in
 * `sequence_number` order within each stream; a transcript may hold several streams (a chain
 * recorded in one file), each starting again at its `response.created` or where a sequence number
 * comes again.
 */

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether an event name, or a data `type`, is a Responses stream event. */
export function isResponseEventName(name: string): boolean {
  return name.startsWith('response.');
}

/** A data value that names its Responses event by `type` (`{"type":"response.created",…}`). */
export function responseEventType(value: unknown): string | null {
  return isObject(value) && typeof value['type'] === 'string' && isResponseEventName(value['type']) ? value['type'] : null;
}

/** One event, where it was read. */
interface StreamEvent {
  type: string;
  data: Record<string, unknown>;
  line: number;
  sequence: number | null;
  /** Position in the file, to keep events without a sequence number where they were. */
  order: number;
}

/** A response put back together, with the line of the last event that told of it. */
export interface AssembledResponse {
  raw: Record<string, unknown>;
  line: number;
}

const LIFECYCLE = new Set(['response.created', 'response.queued', 'response.in_progress', 'response.completed', 'response.failed', 'response.incomplete', 'response.cancelled']);

/** Collects `response.*` events; `finish` gives each streamed response in its latest state. */
export class ResponseStreamAssembler {
  private readonly streams: StreamEvent[][] = [];
  private seen = new Set<number>();
  private count = 0;
  /** Events read, and events of a kind that adds nothing to the response (reasoning deltas, …). */
  events = 0;

  /** Takes one event; `type` is the event's name, or its data's `type`. */
  add(type: string, data: unknown, line: number): void {
    if (!isObject(data)) return;
    this.events += 1;
    const sequence = typeof data['sequence_number'] === 'number' ? data['sequence_number'] : null;
    const startsStream = type === 'response.created' || (sequence !== null && this.seen.has(sequence));
    if (startsStream || this.streams.length === 0) {
      this.streams.push([]);
      this.seen = new Set();
    }
    if (sequence !== null) this.seen.add(sequence);
    this.streams[this.streams.length - 1]!.push({type, data, line, sequence, order: this.count++});
  }

  /** Every response the events told of, in the order their streams began. */
  finish(): AssembledResponse[] {
    const out: AssembledResponse[] = [];
    for (const stream of this.streams) {
      const assembled = assemble(stream);
      if (assembled) out.push(assembled);
    }
    return out;
  }
}

/** Events by sequence number; one without keeps its place after the one read before it. */
function inOrder(events: readonly StreamEvent[]): StreamEvent[] {
  let last = -1;
  const keyed = events.map((event) => {
    if (event.sequence !== null) last = event.sequence;
    return {event, key: event.sequence ?? last + 0.5};
  });
  return keyed.sort((a, b) => a.key - b.key || a.event.order - b.event.order).map((entry) => entry.event);
}

function assemble(events: readonly StreamEvent[]): AssembledResponse | null {
  let state: Record<string, unknown> | null = null;
  let line = 0;
  // By output_index, in a Map: an index from bad input (1e9) must not make a sparse array to walk.
  const items = new Map<number, Record<string, unknown>>();
  const itemAt = (event: Record<string, unknown>): Record<string, unknown> | undefined => {
    const index = event['output_index'];
    if (typeof index === 'number' && items.has(index)) return items.get(index);
    return [...items.values()].find((item) => item['id'] === event['item_id']);
  };
  for (const event of inOrder(events)) {
    const {type, data} = event;
    line = event.line;
    if (LIFECYCLE.has(type) && isObject(data['response'])) {
      state = data['response'];
    } else if ((type === 'response.output_item.added' || type === 'response.output_item.done') && isObject(data['item'])) {
      const index = typeof data['output_index'] === 'number' ? data['output_index'] : items.size;
      items.set(index, {...data['item']});
    } else if (type === 'response.function_call_arguments.delta' || type === 'response.function_call_arguments.done') {
      const item = itemAt(data);
      if (!item) continue;
      if (type.endsWith('.done') && typeof data['arguments'] === 'string') item['arguments'] = data['arguments'];
      else if (typeof data['delta'] === 'string') item['arguments'] = `${typeof item['arguments'] === 'string' ? item['arguments'] : ''}${data['delta']}`;
    } else if (type === 'response.output_text.delta' || type === 'response.output_text.done') {
      const item = itemAt(data);
      if (!item) continue;
      const content = Array.isArray(item['content']) ? [...(item['content'] as unknown[])] : [];
      const given = data['content_index'];
      // A content index past the parts there are (bad input) adds one part rather than a sparse array.
      const index = typeof given === 'number' && Number.isInteger(given) && given >= 0 ? Math.min(given, content.length) : 0;
      const part = isObject(content[index]) ? {...content[index]} : {type: 'output_text', text: '', annotations: []};
      if (type.endsWith('.done') && typeof data['text'] === 'string') part['text'] = data['text'];
      else if (typeof data['delta'] === 'string') part['text'] = `${typeof part['text'] === 'string' ? part['text'] : ''}${data['delta']}`;
      content[index] = part;
      item['content'] = content;
    }
  }
  if (!state) return null;
  // The latest state's output is the truth when it has the items; a stream cut short has only what was assembled.
  const stated = Array.isArray(state['output']) ? state['output'] : [];
  const assembled = [...items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
  return {raw: stated.length >= assembled.length ? state : {...state, output: assembled}, line};
}
