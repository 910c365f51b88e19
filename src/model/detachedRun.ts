/**
 * Runs and messages from a file, kept small: plain data holding what the list, filters, search,
 * sort, statistics and badges need, and where the rest (the body) is in the file. The body (the
 * object as read, a run's instructions and tool definitions, a message's content) is not held: a
 * loader in sources/ (`itemBodies.ts`) reads it back by byte offset when a pane, a copy or a
 * report needs it. Nothing here reads a file.
 *
 * Why: a 100,000-run export held as parsed objects took 3.6 KB a run against 2.1 KB of JSON, and
 * instructions and tools were two thirds of it; 300,000 messages held whole made a load 2.7 times
 * a bare JSON.parse, mostly in the garbage collector. Runs waiting for tool outputs are checked
 * against their tools for the badge and the stuck view, so those stay whole (`detachUnlessWaiting`).
 */
import {buildSearchText, toolName, type Run, type SourceLocation} from './run.js';
import type {ThreadMessage} from './threadMessage.js';

/** Where an item's body is: its bytes in its file (a JSON Lines line, an array item). */
export interface BodyPlace {
  readonly file: string;
  /** Where the item's text starts, in bytes. */
  readonly offset: number;
  /** Its length in bytes. */
  readonly length: number;
}

/**
 * A run without its body. `raw`, `asRead`, `instructions` and `tools` are empty stand-ins until
 * the body is read (`RunBodies.whole`); what the list needs of them is kept as light fields.
 */
export type DetachedRun = Run & {
  readonly body: BodyPlace;
  /** `service_tier` as the object wrote it, for the cost estimate. */
  readonly serviceTier: string | null;
  /** The tools' types, for the cost estimate (`file_search` calls are priced). */
  readonly toolTypes: readonly string[];
  /** The tools' names (a function's name, else its type), for the search text built when a search asks. */
  readonly toolNames: readonly string[];
};

/** A message without its body: `content`, `attachments`, `metadata` and `raw` are empty stand-ins until read. */
export type DetachedMessage = ThreadMessage & {readonly body: BodyPlace};

// One frozen stand-in of each shape, shared: 300,000 messages need no 300,000 empty arrays.
const NO_OBJECT: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const NO_LIST: never[] = Object.freeze([]) as unknown as never[];

/** Values that repeat across items (statuses, roles, models, tool types), each held once. */
const SHARED = new Map<string, string>();
/** Enough for every status, role, model and assistant of a large export; past it, values are kept as they are. */
const SHARED_LIMIT = 4096;
/** Lists of tool types or names, one per distinct list (most runs of an assistant have the same tools). */
const SHARED_LISTS = new Map<string, readonly string[]>();

/**
 * One copy of a value that repeats across items: JSON.parse gives each item its own copy of
 * `"completed"` or `"gpt-4o"`, and 400,000 items kept them all.
 */
function shared<T extends string | null>(value: T): T {
  if (value === null) return value;
  const known = SHARED.get(value);
  if (known !== undefined) return known as T;
  if (SHARED.size < SHARED_LIMIT) SHARED.set(value, value);
  return value;
}

/** One copy of each distinct list of the tools' types or names. */
function sharedList(tools: Run['tools'], pick: (tool: Run['tools'][number]) => string): readonly string[] {
  if (tools.length === 0) return NO_LIST;
  const values = tools.map(pick);
  // Types and names share the table: the key says which (a type never starts with a newline).
  const key = `${pick === toolType ? '' : '\n'}${values.join('\u0000')}`;
  const known = SHARED_LISTS.get(key);
  if (known) return known;
  if (SHARED_LISTS.size < SHARED_LIMIT) SHARED_LISTS.set(key, values);
  return values;
}

function toolType(tool: Run['tools'][number]): string {
  return tool.type;
}

/**
 * Where an item was read and where its body is, as one object: its source location with the
 * body's offset and length. One object rather than two: each of 400,000 items kept small had one
 * survivor more for every scavenge to copy. A new object, all four fields written at once (fields
 * added to the location would go to a backing store of their own: an object more, not less).
 */
function withBody(source: SourceLocation, offset: number, length: number): SourceLocation & BodyPlace {
  if (source.kind !== undefined) return {...source, offset, length};
  return source.line === undefined ? {file: source.file, offset, length} : {file: source.file, line: source.line, offset, length};
}

/** An item's source location without its body's place, for a copy that holds its body (read again, or a stand-in). */
export function sourceOnly(source: SourceLocation): SourceLocation {
  if (!('offset' in source)) return source;
  const {offset: _offset, length: _length, ...location} = source as SourceLocation & Partial<BodyPlace>;
  return location;
}

/** Whether the item's body is elsewhere (read it through the loader before using its body fields). */
export function isDetached<T extends object>(item: T): item is T & {readonly body: BodyPlace} {
  return 'body' in item && (item as {body?: unknown}).body !== undefined;
}

/**
 * The run kept small: its light fields, with `body` saying where the rest is. Written out field by
 * field rather than spread: one fixed shape for 100,000 objects, where the spread's object rest
 * took a third of the load's own time in the profile.
 */
export function detachRun(run: Run, offset: number, length: number): DetachedRun {
  const tier = run.raw['service_tier'];
  const place = withBody(run.source, offset, length);
  const detached: DetachedRun = {
    id: run.id,
    status: shared(run.status),
    raw: NO_OBJECT,
    source: place,
    threadId: run.threadId,
    assistantId: shared(run.assistantId),
    model: shared(run.model),
    instructions: null,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    completedAt: run.completedAt,
    failedAt: run.failedAt,
    cancelledAt: run.cancelledAt,
    expiresAt: run.expiresAt,
    endedAt: run.endedAt,
    usage: run.usage,
    tools: NO_LIST,
    requiredAction: run.requiredAction,
    lastError: run.lastError,
    incompleteReason: run.incompleteReason,
    metadata: run.metadata,
    temperature: run.temperature,
    topP: run.topP,
    maxPromptTokens: run.maxPromptTokens,
    maxCompletionTokens: run.maxCompletionTokens,
    truncationStrategy: run.truncationStrategy,
    toolChoice: run.toolChoice,
    responseFormat: run.responseFormat,
    parallelToolCalls: run.parallelToolCalls,
    reasoningEffort: run.reasoningEffort,
    fileIds: run.fileIds,
    problems: run.problems,
    // Built again when a search asks (searchTextOf): a third of the heap a run kept small held, and
    // the search index joins its own copy anyway. A response's has parts of its own, so it stays.
    searchText: run.kind === undefined ? '' : run.searchText,
    body: place,
    serviceTier: typeof tier === 'string' ? shared(tier) : null,
    toolTypes: sharedList(run.tools, toolType),
    toolNames: sharedList(run.tools, toolName),
  };
  if (run.kind !== undefined) detached.kind = run.kind;
  if (run.notes) detached.notes = run.notes;
  return detached;
}

/**
 * The text `/` searches in a run: its own, or, for a run kept small, built from its light fields
 * (its tools by name) exactly as normalize built it. Not kept: the search index joins its copy.
 */
export function searchTextOf(run: Run): string {
  if (run.searchText !== '') return run.searchText;
  const names = (run as Partial<DetachedRun>).toolNames;
  return buildSearchText(run, [], names ?? null);
}

/**
 * The run itself when it waits for tool outputs (its calls are checked against its tools), or is a
 * response (whose output items and settled waits a copy read again would lose), else detached.
 */
export function detachUnlessWaiting(run: Run, offset: number, length: number): Run {
  return staysWhole(run) ? run : detachRun(run, offset, length);
}

/** Whether `detachUnlessWaiting` keeps the run whole: it waits for tool outputs, or is a response. */
export function staysWhole(run: Run): boolean {
  return run.status === 'requires_action' || run.kind === 'response';
}

/**
 * The message kept small: ids, role, times and status, with `body` saying where the rest is. The
 * message is changed in place (the loader made it and holds the only reference): a copy of each
 * of 300,000 messages was a tenth of the load's own time.
 */
export function detachMessage(message: ThreadMessage, offset: number, length: number, source: SourceLocation): DetachedMessage {
  const detached = message as ThreadMessage & {body: BodyPlace};
  detached.content = NO_LIST;
  detached.attachments = NO_LIST;
  detached.metadata = NO_OBJECT;
  detached.raw = NO_OBJECT;
  detached.role = shared(detached.role);
  detached.status = shared(detached.status);
  detached.assistantId = shared(detached.assistantId);
  if (detached.problems.length === 0) detached.problems = NO_LIST;
  const place = withBody(source, offset, length);
  detached.source = place;
  detached.body = place;
  return detached;
}

/** What a message kept small holds besides its place: every field `detachMessage` keeps as read. */
export type LightMessage = Pick<
  ThreadMessage,
  'id' | 'threadId' | 'runId' | 'assistantId' | 'role' | 'status' | 'createdAt' | 'completedAt' | 'incompleteAt' | 'incompleteReason'
>;

/**
 * The message `detachMessage` keeps of a well-formed message line (no field problems), made from
 * its light fields alone: what a line read on the load's worker thread (sources/messageCheck.ts)
 * becomes, with no object as read on this thread. The same fields in the same order.
 */
export function lightMessage(light: LightMessage, file: string, line: number, offset: number, length: number): DetachedMessage {
  // withBody's shape for a file and line, made at once: no location object to copy from.
  const place: SourceLocation & BodyPlace = {file, line, offset, length};
  return {
    id: light.id,
    threadId: light.threadId,
    runId: light.runId,
    assistantId: shared(light.assistantId),
    role: shared(light.role),
    status: shared(light.status),
    createdAt: light.createdAt,
    completedAt: light.completedAt,
    incompleteAt: light.incompleteAt,
    incompleteReason: light.incompleteReason,
    content: NO_LIST,
    attachments: NO_LIST,
    metadata: NO_OBJECT,
    raw: NO_OBJECT,
    problems: NO_LIST,
    source: place,
    body: place,
  };
}
