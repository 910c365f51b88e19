/**
 * The run model: what runlens knows about one `thread.run` after normalization.
 *
 * Normalization never throws and never drops data: the original object is kept in `raw` (shown
 * as-is in the Raw JSON pane), and a field of the wrong type is left out of the typed view and
 * recorded in `problems`, so one bad field never hides the rest of the run.
 */

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

/** Where a run (or a warning) came from: a file label and, for JSON Lines, the 1-based line. */
export interface SourceLocation {
  file: string;
  line?: number;
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
  /** The tool's own options (file_search's max_num_results and the like), as given. */
  raw: unknown;
}

/** A tool call the model asked for in `required_action.submit_tool_outputs`. */
export interface RequiredToolCall {
  id: string;
  type: string;
  functionName: string;
  /** JSON text as the model wrote it; it may not be valid JSON. */
  arguments: string;
}

export interface Usage {
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
}

export interface RunError {
  code: string | null;
  message: string | null;
}

/** A normalized run. Times are Unix seconds, as in the API. */
export interface Run {
  id: string;
  status: string;
  /** The object as read, untouched: the Raw JSON pane and `--json` print it. */
  raw: Record<string, unknown>;
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
  /** Present only while the API asks for tool outputs. */
  requiredAction: {type: string; toolCalls: RequiredToolCall[]} | null;
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

  problems: FieldProblem[];
  /** Lower-cased text searched by `/`: ids, model, thread, assistant, error, tool names, metadata. */
  searchText: string;
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
