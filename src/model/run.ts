/**
 * The run model: what runlens knows about one `thread.run` after normalization.
 *
 * Normalization never throws and never drops data: the original object is kept in `raw` (shown
 * as-is in the Raw JSON pane), and a field of the wrong type is left out of the typed view and
 * recorded in `problems`, so one bad field never hides the rest of the run.
 */
import type {ResponseFacts} from './responseItem.js';

/** Statuses the Assistants API has documented (v1 and v2). Anything else is shown as-is. */
export const KNOWN_STATUSES = [
  'queued',
  'in_progress',
  'requires_action',
  'cancelling',
  'cancelled',
  'failed',
  'completed',
  'incomplete',
  'expired',
] as const;
export type KnownStatus = (typeof KNOWN_STATUSES)[number];

/** The status of a run whose `status` field is missing or not a string. */
export const MISSING_STATUS = 'unknown';

/** Statuses of a run that has not ended: such a run locks its thread (new messages are refused). */
export const ACTIVE_STATUSES: ReadonlySet<string> = new Set(['queued', 'in_progress', 'requires_action', 'cancelling']);

export function isKnownStatus(status: string): status is KnownStatus {
  return (KNOWN_STATUSES as readonly string[]).includes(status);
}

/**
 * A status folded for comparison: ASCII letters lower-cased, `_`, `-` and spaces dropped, so
 * `REQUIRES_ACTION`, `Requires Action` and `RequiresAction` (a .NET enum's name) all fold to
 * `requiresaction`. Null for text with anything but ASCII letters and those separators: no
 * documented status is spelled with them, and byte-level readers (print mode's prefilter) fold
 * the same way without decoding.
 */
export function foldStatus(text: string): string | null {
  if (text === '' || text.length > MAX_STATUS_LENGTH) return null;
  for (let index = 0; index < text.length; index += 1) if (!isStatusCharCode(text.charCodeAt(index))) return null;
  return text.replace(/[_\- ]/g, '').toLowerCase();
}

/**
 * A character foldStatus keeps or drops (ASCII letters, `_`, `-`, space): the only ones a status
 * that folds can hold. Print mode's prefilter reads a line's bytes with it.
 */
export function isStatusCharCode(code: number): boolean {
  const lower = code | 0x20;
  return (lower >= 0x61 && lower <= 0x7a) || code === 0x5f || code === 0x2d || code === 0x20;
}

/**
 * A model name folded for `--model`'s "did you mean": ASCII letters lower-cased, nothing else
 * (model names are matched exactly; this only finds the one meant).
 */
export function foldModel(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** Longer text is never a documented status in any spelling (the longest, `requires_action`, is 15). */
export const MAX_STATUS_LENGTH = 40;

const KNOWN_BY_FOLD = new Map<string, KnownStatus>(KNOWN_STATUSES.map((status) => [foldStatus(status)!, status]));

/**
 * The documented status that `text` spells in another case or with other separators
 * (`REQUIRES_ACTION`, `Completed`, `in-progress`), or null: a documented status itself, or
 * anything else, is not re-spelled.
 */
export function knownStatusSpelledAs(text: string): KnownStatus | null {
  if (isKnownStatus(text)) return null;
  const folded = foldStatus(text);
  return folded === null ? null : KNOWN_BY_FOLD.get(folded) ?? null;
}

export function isActiveStatus(status: string): boolean {
  return ACTIVE_STATUSES.has(status);
}

/** Statuses a run never leaves: watching does not read such a run again. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'failed', 'completed', 'incomplete', 'expired']);

/**
 * Whether a run can still change. A status runlens does not know is taken as unfinished, so a
 * newer server's intermediate state (`paused_for_review`, …) keeps being watched rather than frozen.
 */
export function isFinalStatus(status: string): boolean {
  return FINAL_STATUSES.has(status);
}

/**
 * What a source is: a file, a folder of files, standard input, a URL, or an Assistants API
 * (a thread's runs). What can be done with a run follows from it (its steps read, cancel and
 * submit: an API's only), never from the spelling of its label.
 */
export type SourceKind = 'file' | 'folder' | 'stdin' | 'url' | 'api';

/** Where a run (or a step, a message) came from: a label (a file's path, `api:thread_x`) and, for JSON Lines, the 1-based line. */
export interface SourceLocation {
  /**
   * What it was read from; absent for a file (a folder's files included), the common case, which
   * keeps the location of each run of a large file as small as it was.
   */
  kind?: Exclude<SourceKind, 'file' | 'folder'>;
  file: string;
  line?: number;
}

/** The kind of source a run (or a step, a message) was read from. */
export function sourceKindOf(source: SourceLocation): SourceKind {
  return source.kind ?? 'file';
}

/**
 * Why a field was read from a form other than the API's own: a status in another case, a time
 * written as ISO 8601 text, field names in PascalCase (PowerShell), or a part of the run that a
 * depth-limited export (`ConvertTo-Json`) replaced with a string. Loaders warn once per source
 * and kind, not once per run.
 */
export type ReadNoteKind = 'status-case' | 'iso-time' | 'pascal-case' | 'cut';

/** A field read from another form (see ReadNoteKind): the run still loads, as the API would have written it. */
export interface ReadNote {
  kind: ReadNoteKind;
  /** Dotted path from the run object, in the API's names: `required_action.submit_tool_outputs.tool_calls`. */
  field: string;
  /** What was read and how, one line. */
  message: string;
  /** `cut` only: the text the export wrote in place of the object or array. */
  text?: string;
}

/** A field of the run that did not have the documented type. */
export interface FieldProblem {
  /** Dotted path from the run object, e.g. `usage.total_tokens`. */
  field: string;
  message: string;
}

/** One entry of the run's `tools` array. */
export interface ToolDefinition {
  /** `function`, `code_interpreter`, `file_search`, `retrieval` (v1) or anything newer. */
  type: string;
  /** Function tools only. */
  name: string | null;
  description: string | null;
  /** The function's JSON Schema, as given. */
  parameters: unknown;
  /** Function tools with `strict: true` must match their schema exactly. */
  strict: boolean;
  /**
   * The export cut the function (or its schema) short (see ReadNote `cut`): `name` may still be
   * known from the text it left, but not the parameters, so calls cannot be checked against it.
   */
  cut?: boolean;
  /** The tool's own options (file_search's max_num_results and the like), as given. */
  raw: unknown;
}

/**
 * A tool call the model asked for in `required_action.submit_tool_outputs`, or (Foundry's MCP
 * tools) one waiting for approval in `required_action.submit_tool_approval`.
 */
export interface RequiredToolCall {
  id: string;
  type: string;
  /** The function's name; for an MCP call, the MCP server's tool. */
  functionName: string;
  /** JSON text as the model wrote it; it may not be valid JSON. */
  arguments: string;
  /** An MCP call: the `server_label` of the `mcp` tool it belongs to. */
  serverLabel?: string;
}

/** Foundry's required action for MCP calls waiting for approval (answered with `tool_approvals`). */
export const APPROVAL_ACTION = 'submit_tool_approval';

/** What one pending call waits for, in words: "tool output", or "tool approval" (Foundry's MCP calls). */
export function waitedFor(run: Pick<Run, 'requiredAction'>): 'tool output' | 'tool approval' {
  return waitsForApproval(run) ? 'tool approval' : 'tool output';
}

/** Whether the run waits for MCP tool approvals rather than tool outputs. */
export function waitsForApproval(run: Pick<Run, 'requiredAction'>): boolean {
  return run.requiredAction?.type === APPROVAL_ACTION;
}

export interface Usage {
  /** A response's `input_tokens`. */
  promptTokens: number | null;
  /** A response's `output_tokens`. */
  completionTokens: number | null;
  totalTokens: number | null;
  /**
   * Prompt tokens read from the prompt cache (`prompt_tokens_details.cached_tokens`; a response's
   * `input_tokens_details.cached_tokens`). Absent when the usage does not split them: Assistants runs never do.
   */
  cachedTokens?: number | null;
  /** Completion tokens spent reasoning (`completion_tokens_details.reasoning_tokens`); billed as output. */
  reasoningTokens?: number | null;
}

/** What an object is: an Assistants `thread.run`, or a Responses API `response` read as a run (see response.ts). */
export type RunKind = 'run' | 'response';

/** The kind of a run: absent on runs, which were the only kind before responses. */
export function runKind(run: Pick<Run, 'kind'>): RunKind {
  return run.kind ?? 'run';
}

export interface RunError {
  code: string | null;
  message: string | null;
}

/** A normalized run. Times are Unix seconds, as in the API. */
export interface Run {
  id: string;
  /** `response` for a Responses API object; absent (a run) otherwise. */
  kind?: RunKind;
  /**
   * The status; a response that waits for tool outputs has `requires_action` (its API status,
   * `completed`, is in `response.apiStatus`).
   */
  status: string;
  /**
   * The object as read, in the API's field names: untouched, except that a PowerShell object's
   * PascalCase keys are renamed (then `asRead` holds what was read). `--json` prints it.
   */
  raw: Record<string, unknown>;
  /** The object exactly as read, when `raw` renamed its keys; the Raw JSON pane shows it. */
  asRead?: Record<string, unknown>;
  source: SourceLocation;

  threadId: string | null;
  assistantId: string | null;
  model: string | null;
  instructions: string | null;

  createdAt: number | null;
  startedAt: number | null;
  completedAt: number | null;
  failedAt: number | null;
  cancelledAt: number | null;
  expiresAt: number | null;
  /** When the run reached a final state, whichever of completed/failed/cancelled is set. */
  endedAt: number | null;

  usage: Usage | null;
  tools: ToolDefinition[];
  /**
   * Present only while the API asks for tool outputs. `callsCut`: an export cut the calls (or
   * some of them) short, so `toolCalls` is not the whole list and its length is no count.
   */
  requiredAction: {type: string; toolCalls: RequiredToolCall[]; callsCut?: boolean} | null;
  lastError: RunError | null;
  incompleteReason: string | null;
  metadata: Record<string, string>;

  temperature: number | null;
  topP: number | null;
  maxPromptTokens: number | null;
  maxCompletionTokens: number | null;
  truncationStrategy: {type: string; lastMessages: number | null} | null;
  /** `auto`, `none`, `required`, or a named function / tool type. */
  toolChoice: string | null;
  /** `auto`, `text`, `json_object`, `json_schema (name)`, … */
  responseFormat: string | null;
  parallelToolCalls: boolean | null;
  reasoningEffort: string | null;
  /** v1 only. */
  fileIds: string[] | null;

  /** Responses only: what a response has beyond a run's fields (output items, chain, conversation). */
  response?: ResponseFacts;

  problems: FieldProblem[];
  /** Fields read from another form (status case, ISO times, PascalCase, cut by an export); absent when none. */
  notes?: ReadNote[];
  /**
   * Lower-cased text searched by `/`: ids, model, thread, assistant, error, tool names, metadata.
   * Empty on a run kept small (detachedRun.ts), which builds it only when a search asks: read it
   * with `searchTextOf`.
   */
  searchText: string;
}

/** What a tool is called in search: a function's name, else its type. */
export function toolName(tool: ToolDefinition): string {
  return tool.name ?? tool.type;
}

/** Every field a run has had in v1 and v2; anything else is an extension shown in Overview. */
export const DOCUMENTED_RUN_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'object',
  'created_at',
  'thread_id',
  'assistant_id',
  'status',
  'required_action',
  'last_error',
  'expires_at',
  'started_at',
  'cancelled_at',
  'failed_at',
  'completed_at',
  'incomplete_details',
  'model',
  'instructions',
  'tools',
  'file_ids',
  // Shown on runs in the spec's examples, though not in its RunObject schema.
  'tool_resources',
  'metadata',
  'usage',
  'temperature',
  'top_p',
  'max_prompt_tokens',
  'max_completion_tokens',
  'truncation_strategy',
  'tool_choice',
  'response_format',
  'parallel_tool_calls',
  'reasoning_effort',
]);

/** Whether an export cut the field at `path` short (a ReadNote of kind `cut`). */
export function isCut(run: Pick<Run, 'notes'>, path: string): boolean {
  return run.notes?.some((note) => note.kind === 'cut' && note.field === path) ?? false;
}

/** How many tool outputs the run waits for; null when an export cut the calls short, so the count is unknown. */
export function pendingCallCount(run: Pick<Run, 'requiredAction'>): number | null {
  if (!run.requiredAction) return 0;
  return run.requiredAction.callsCut ? null : run.requiredAction.toolCalls.length;
}

/**
 * The text `/` searches, lower-cased: ids, status, model, thread, assistant, error, tool names,
 * metadata, and `extra`. `toolNames` stands for `run.tools` (each tool's name, else its type) on a
 * run kept small, whose tools are not held.
 */
export function buildSearchText(
  run: Pick<Run, 'id' | 'status' | 'model' | 'threadId' | 'assistantId' | 'lastError' | 'tools' | 'requiredAction' | 'metadata'>,
  extra: readonly string[] = [],
  toolNames: readonly string[] | null = null,
): string {
  // Joined as it goes, not as an array of parts: built for every run of a load.
  let text = `${run.id}\n${run.status}`;
  for (const part of extra) text += `\n${part}`;
  if (run.model) text += `\n${run.model}`;
  if (run.threadId) text += `\n${run.threadId}`;
  if (run.assistantId) text += `\n${run.assistantId}`;
  if (run.lastError?.code) text += `\n${run.lastError.code}`;
  if (run.lastError?.message) text += `\n${run.lastError.message}`;
  if (toolNames) for (const name of toolNames) text += `\n${name}`;
  else for (const tool of run.tools) text += `\n${toolName(tool)}`;
  for (const call of run.requiredAction?.toolCalls ?? []) text += `\n${call.functionName}`;
  const {metadata} = run;
  for (const key of Object.keys(metadata)) text += `\n${key}\n${metadata[key]}`;
  return text.toLowerCase();
}
