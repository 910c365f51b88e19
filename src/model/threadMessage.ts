/**
 * Thread messages (`thread.message`): what the user asked and what the assistant answered, around
 * the runs of a thread. As with runs and steps, normalization never throws and never drops data:
 * the object stays in `raw` (a field runlens does not know is there, as read), and a field of the
 * wrong type is left out of the typed view and recorded in `problems`.
 */
import {
  nullableString,
  numberSchema as NUMBER,
  ObjectReader,
  objectOrNull as OBJECT_OR_NULL,
  objectSchema,
  stringSchema as STRING,
  timestamp,
  unknownList as UNKNOWN_LIST,
  unknownListOrNull as UNKNOWN_LIST_OR_NULL,
  type ItemTail,
} from './objectReader.js';
import type {FieldProblem, SourceLocation} from './run.js';

/** A note inside a text part that points at a file: a quote from it, or a file the tool wrote. */
export interface TextAnnotation {
  /** `file_citation`, `file_path`, or anything newer. */
  type: string;
  /** The text in the message that the annotation stands for (`【4:0†source】`). */
  text: string | null;
  fileId: string | null;
  startIndex: number | null;
  endIndex: number | null;
}

/** One part of a message's content. */
export type MessageContent =
  | {type: 'text'; text: string; annotations: TextAnnotation[]}
  | {type: 'image_file'; fileId: string | null; detail: string | null}
  | {type: 'image_url'; url: string | null; detail: string | null}
  | {type: 'refusal'; refusal: string}
  | {type: 'other'; contentType: string; raw: unknown};

/** A file attached to a message, and the tools it was given to. */
export interface MessageAttachment {
  fileId: string | null;
  /** `code_interpreter`, `file_search`, … */
  tools: string[];
}

/** A normalized message. Times are Unix seconds, as in the API. */
export interface ThreadMessage extends ItemTail {
  id: string;
  threadId: string | null;
  /** The run that wrote it (assistant messages), or null. */
  runId: string | null;
  assistantId: string | null;
  /** `user` or `assistant`, or anything newer. */
  role: string;
  /** `in_progress`, `incomplete`, `completed`, or anything newer; null when the object has none (v1). */
  status: string | null;
  createdAt: number | null;
  completedAt: number | null;
  incompleteAt: number | null;
  /** Why it is incomplete (`content_filter`, `max_tokens`, …). */
  incompleteReason: string | null;
  content: MessageContent[];
  attachments: MessageAttachment[];
  metadata: Record<string, unknown>;
}

function normalizeAnnotation(reader: ObjectReader, path: string, value: unknown): TextAnnotation | null {
  const annotation = reader.object(path, value);
  if (!annotation) return null;
  const type = reader.read(path, annotation, 'type', STRING) ?? 'unknown';
  // The file id sits under the annotation's own type: `file_citation.file_id`, `file_path.file_id`.
  const detail = reader.read(path, annotation, type, objectSchema);
  return {
    type,
    text: reader.read(path, annotation, 'text', STRING),
    fileId: detail ? reader.read(`${path}.${type}`, detail, 'file_id', STRING) : null,
    startIndex: reader.read(path, annotation, 'start_index', NUMBER),
    endIndex: reader.read(path, annotation, 'end_index', NUMBER),
  };
}

function normalizeContent(reader: ObjectReader, path: string, value: unknown): MessageContent | null {
  const part = reader.object(path, value);
  if (!part) return null;
  const type = reader.read(path, part, 'type', STRING) ?? 'unknown';
  if (type === 'text') {
    // The API writes `text: {value, annotations}`; a bare string is read too.
    const raw = part['text'];
    if (typeof raw === 'string') return {type: 'text', text: raw, annotations: []};
    const text = reader.read(path, part, 'text', objectSchema) ?? {};
    const annotations = reader.read(`${path}.text`, text, 'annotations', UNKNOWN_LIST) ?? [];
    return {
      type: 'text',
      text: reader.read(`${path}.text`, text, 'value', STRING) ?? '',
      annotations: annotations
        .map((annotation, index) => normalizeAnnotation(reader, `${path}.text.annotations.${index}`, annotation))
        .filter((annotation): annotation is TextAnnotation => annotation !== null),
    };
  }
  if (type === 'image_file' || type === 'image_url') {
    const image = reader.read(path, part, type, objectSchema) ?? {};
    const detail = reader.read(`${path}.${type}`, image, 'detail', nullableString);
    if (type === 'image_file') return {type, fileId: reader.read(`${path}.${type}`, image, 'file_id', STRING), detail};
    return {type, url: reader.read(`${path}.${type}`, image, 'url', STRING), detail};
  }
  if (type === 'refusal') return {type, refusal: reader.read(path, part, 'refusal', STRING) ?? ''};
  return {type: 'other', contentType: type, raw: value};
}

function normalizeAttachment(reader: ObjectReader, path: string, value: unknown): MessageAttachment | null {
  const attachment = reader.object(path, value);
  if (!attachment) return null;
  const tools = reader.read(path, attachment, 'tools', UNKNOWN_LIST) ?? [];
  return {
    fileId: reader.read(path, attachment, 'file_id', STRING),
    tools: tools.flatMap((tool, index) => {
      const entry = reader.object(`${path}.tools.${index}`, tool);
      const type = entry ? reader.read(`${path}.tools.${index}`, entry, 'type', STRING) : null;
      return type === null ? [] : [type];
    }),
  };
}

/**
 * Turns a message object into a `ThreadMessage`. Never throws; `fallbackId` names a message
 * without an id, `source` says where it was read.
 */
export function normalizeThreadMessage(raw: Record<string, unknown>, fallbackId = '(no id)', source?: SourceLocation): ThreadMessage {
  const reader = new ObjectReader();
  const id = reader.id(raw);
  const content = reader.read('', raw, 'content', UNKNOWN_LIST) ?? [];
  const attachments = reader.read('', raw, 'attachments', UNKNOWN_LIST_OR_NULL) ?? [];
  const incomplete = reader.read('', raw, 'incomplete_details', OBJECT_OR_NULL);
  return reader.finish<ThreadMessage>({
    id: id ?? fallbackId,
    threadId: reader.read('', raw, 'thread_id', nullableString),
    runId: reader.read('', raw, 'run_id', nullableString),
    assistantId: reader.read('', raw, 'assistant_id', nullableString),
    role: reader.read('', raw, 'role', STRING) ?? 'unknown',
    status: reader.read('', raw, 'status', nullableString),
    createdAt: reader.read('', raw, 'created_at', timestamp),
    completedAt: reader.read('', raw, 'completed_at', timestamp),
    incompleteAt: reader.read('', raw, 'incomplete_at', timestamp),
    incompleteReason: incomplete ? reader.read('incomplete_details', incomplete, 'reason', nullableString) : null,
    content: content
      .map((part, index) => normalizeContent(reader, `content.${index}`, part))
      .filter((part): part is MessageContent => part !== null),
    attachments: attachments
      .map((attachment, index) => normalizeAttachment(reader, `attachments.${index}`, attachment))
      .filter((attachment): attachment is MessageAttachment => attachment !== null),
    metadata: reader.read('', raw, 'metadata', OBJECT_OR_NULL) ?? {},
  }, raw, source);
}
