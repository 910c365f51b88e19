/**
 * A Responses API `response` object read as a `Run`, so the list, stuck, stats and the panes show
 * it next to `thread.run` objects. The fields that have a run's meaning take a run's field (status,
 * model, times, `error` as the last error, `usage` with input/output tokens as prompt/completion
 * tokens); what only a response has is in `run.response` (output items, chain, conversation,
 * background). Like `normalizeRun`, this never throws: a field of the wrong type is a problem by
 * its path, and the object stays whole in `raw`.
 *
 * A response has no `requires_action`: it ends with `function_call` (or `mcp_approval_request`)
 * output items, and the next request must answer them. Such a completed response is given the
 * status `requires_action` (the API's own status stays in `response.apiStatus` and in `raw`),
 * with the calls as its required action of type `function_call_output`, until something loaded
 * shows them answered (see responseWaits.ts).
 */
import type {ResponseFacts, ResponseItem} from './responseItem.js';
import {buildSearchText, MISSING_STATUS, type FieldProblem, type RequiredToolCall, type Run, type RunError, type SourceLocation, type ToolDefinition, type Usage} from './run.js';

/** The required action of a waiting response: the next request's input holds `function_call_output` items. */
export const RESPONSE_ACTION = 'function_call_output';
/** The type of a RequiredToolCall that is an MCP approval request (answered by `mcp_approval_response`). */
export const APPROVAL_CALL = 'mcp_approval_request';

/** Every field of a `response` object in the spec; anything else is an extension shown in Overview. */
export const DOCUMENTED_RESPONSE_FIELDS: ReadonlySet<string> = new Set([
  'id', 'object', 'created_at', 'status', 'completed_at', 'error', 'incomplete_details', 'output', 'instructions', 'output_text',
  'usage', 'parallel_tool_calls', 'conversation', 'previous_response_id', 'model', 'background', 'max_output_tokens', 'max_tool_calls',
  'text', 'tools', 'tool_choice', 'prompt', 'reasoning', 'service_tier', 'metadata', 'temperature', 'top_p', 'top_logprobs', 'truncation',
  'user', 'safety_identifier', 'prompt_cache_key', 'prompt_cache_retention', 'prompt_cache_options', 'moderation', 'store',
]);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** An item read from an item list (input items, conversation items): a side kind of ITEM_KINDS. */
export interface LoadedResponseItem extends ResponseItem {
  /** The item's id, or where it was when it has none. */
  id: string;
  source: SourceLocation;
  problems: FieldProblem[];
}

/** The `type`s of Responses API items (output, input and conversation items) that lists hold. */
const ITEM_TYPES: ReadonlySet<string> = new Set([
  'message', 'function_call', 'function_call_output', 'mcp_approval_request', 'mcp_approval_response', 'mcp_call', 'mcp_list_tools',
  'reasoning', 'web_search_call', 'file_search_call', 'computer_call', 'computer_call_output', 'code_interpreter_call',
  'image_generation_call', 'local_shell_call', 'local_shell_call_output', 'custom_tool_call', 'custom_tool_call_output', 'item_reference',
]);

/**
 * Whether a value is an item of a response's `input_items` or of a conversation's items: an
 * object of a known item `type` and no `object` of its own (a `thread.message` is no item).
 */
export function looksLikeResponseItem(value: unknown): value is Record<string, unknown> {
  return isObject(value) && (value['object'] === undefined || value['object'] === 'conversation.item') && typeof value['type'] === 'string' && ITEM_TYPES.has(value['type']);
}

/** Reads fields one by one, recording a problem by path for each of the wrong type. */
class Fields {
  readonly problems: FieldProblem[] = [];

  constructor(private readonly raw: Record<string, unknown>) {}

  private wrong(path: string, expected: string): null {
    this.problems.push({field: path, message: `Invalid input: expected ${expected}`});
    return null;
  }

  string(path: string, value: unknown = this.at(path)): string | null {
    if (value === undefined || value === null) return null;
    return typeof value === 'string' ? value : this.wrong(path, 'string');
  }

  number(path: string, value: unknown = this.at(path)): number | null {
    if (value === undefined || value === null) return null;
    return isNumber(value) ? value : this.wrong(path, 'number');
  }

  /** Unix seconds, as runs check them: never negative, never milliseconds. */
  time(path: string): number | null {
    const value = this.number(path);
    if (value === null) return null;
    if (value < 0) return (this.problems.push({field: path, message: 'negative timestamp'}), null);
    if (value >= 1e11) return (this.problems.push({field: path, message: 'timestamp in milliseconds, not seconds'}), null);
    return value;
  }

  boolean(path: string): boolean | null {
    const value = this.at(path);
    if (value === undefined || value === null) return null;
    return typeof value === 'boolean' ? value : this.wrong(path, 'boolean');
  }

  object(path: string, value: unknown = this.at(path)): Record<string, unknown> | null {
    if (value === undefined || value === null) return null;
    return isObject(value) ? value : this.wrong(path, 'object');
  }

  array(path: string, value: unknown = this.at(path)): unknown[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : (this.wrong(path, 'array'), []);
  }

  /** A top-level field (paths here are dotted only below the top). */
  private at(path: string): unknown {
    let value: unknown = this.raw;
    for (const key of path.split('.')) value = isObject(value) ? value[key] : undefined;
    return value;
  }
}

/** Text of a content list: `output_text` / `input_text` / `text` parts joined, refusals marked. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const part of content) {
    if (!isObject(part)) continue;
    if (typeof part['text'] === 'string') parts.push(part['text']);
    else if (typeof part['refusal'] === 'string') parts.push(`(refusal) ${part['refusal']}`);
    else if (typeof part['type'] === 'string') parts.push(`(${part['type']})`);
  }
  return parts.join('\n');
}

/** Sets an optional text field of an item only when it was read (no `undefined` keys). */
function put(item: ResponseItem, key: 'role' | 'callId' | 'name' | 'arguments' | 'serverLabel' | 'approvalRequestId', value: string | null): void {
  if (value !== null) item[key] = value;
}

/**
 * One item of an item list as a side item (see itemKinds.ts): its fields' problems by their names
 * (`call_id`), its id or `fallbackId`. Never throws.
 */
export function normalizeResponseItem(record: Record<string, unknown>, source: SourceLocation, fallbackId: string): LoadedResponseItem {
  const fields = new Fields({});
  const item = readItem(record, '', fields)!;
  return {...item, id: item.id ?? fallbackId, source, problems: fields.problems};
}

function readItem(value: unknown, path: string, fields: Fields): ResponseItem | null {
  const sub = (field: string) => (path ? `${path}.${field}` : field);
  const item = fields.object(path, value);
  if (!item) {
    if (value === null) fields.problems.push({field: path, message: 'Invalid input: expected object, received null'});
    return null;
  }
  const type = fields.string(sub('type'), item['type']) ?? (typeof item['role'] === 'string' ? 'message' : 'unknown');
  const out: ResponseItem = {type, id: fields.string(sub('id'), item['id']), status: fields.string(sub('status'), item['status'])};
  const text = (field: string) => fields.string(sub(field), item[field]);
  switch (type) {
    case 'message':
      put(out, 'role', text('role'));
      out.text = contentText(item['content']);
      break;
    case 'function_call':
    case 'custom_tool_call':
      put(out, 'callId', text('call_id'));
      put(out, 'name', text('name'));
      put(out, 'arguments', type === 'function_call' ? text('arguments') : text('input'));
      break;
    case 'function_call_output':
    case 'custom_tool_call_output': {
      put(out, 'callId', text('call_id'));
      const output = item['output'];
      out.output = typeof output === 'string' ? output : contentText(output);
      break;
    }
    case 'mcp_approval_request':
    case 'mcp_call':
      put(out, 'name', text('name'));
      put(out, 'arguments', text('arguments'));
      put(out, 'serverLabel', text('server_label'));
      if (type === 'mcp_call' && typeof item['output'] === 'string') out.output = item['output'];
      break;
    case 'mcp_approval_response': {
      put(out, 'approvalRequestId', text('approval_request_id'));
      if (typeof item['approve'] === 'boolean') out.approve = item['approve'];
      break;
    }
    case 'reasoning':
      out.summary = fields.array(sub('summary'), item['summary']).flatMap((part) => (isObject(part) && typeof part['text'] === 'string' ? [part['text']] : []));
      break;
    default:
      break;
  }
  return out;
}

/**
 * The fields by which an item answers a call (see answeredIds): an item that has neither answers
 * nothing, so a reader that skips lines unparsed must parse every line holding one of them.
 */
export const ANSWERING_FIELDS = ['call_id', 'approval_request_id'] as const;

/** The ids an item answers: a function_call_output's call id, an mcp_approval_response's request id. */
export function answeredIds(item: ResponseItem): string[] {
  if ((item.type === 'function_call_output' || item.type === 'custom_tool_call_output') && item.callId) return [item.callId];
  if (item.type === 'mcp_approval_response' && item.approvalRequestId) return [item.approvalRequestId];
  return [];
}

/**
 * The calls an output asks the next request to answer, in output order: function calls by their
 * `call_id`, MCP approval requests by their `id`; those answered within the same list are left out.
 */
export function openCalls(items: readonly ResponseItem[]): RequiredToolCall[] {
  const answered = new Set(items.flatMap(answeredIds));
  const calls: RequiredToolCall[] = [];
  for (const item of items) {
    if ((item.type === 'function_call' || item.type === 'custom_tool_call') && item.callId && !answered.has(item.callId)) {
      calls.push({id: item.callId, type: 'function', functionName: item.name ?? '(no name)', arguments: item.arguments ?? ''});
    } else if (item.type === 'mcp_approval_request' && item.id && !answered.has(item.id)) {
      calls.push({id: item.id, type: APPROVAL_CALL, functionName: item.name ?? '(no name)', arguments: item.arguments ?? ''});
    }
  }
  return calls;
}

/** Responses tools are flat (`{"type":"function","name":…,"parameters":…}`); built-in ones keep their options. */
function normalizeTools(fields: Fields, raw: unknown): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  fields.array('tools', raw).forEach((entry, index) => {
    const tool = fields.object(`tools.${index}`, entry);
    if (!tool) return;
    const type = fields.string(`tools.${index}.type`, tool['type']) ?? 'unknown';
    const name = fields.string(`tools.${index}.name`, tool['name']) ?? (typeof tool['server_label'] === 'string' ? tool['server_label'] : null);
    tools.push({
      type,
      name,
      description: typeof tool['description'] === 'string' ? tool['description'] : null,
      parameters: tool['parameters'] ?? undefined,
      strict: tool['strict'] === true,
      raw: entry,
    });
  });
  return tools;
}

function normalizeUsage(fields: Fields): Usage | null {
  if (!fields.object('usage')) return null;
  return {
    promptTokens: fields.number('usage.input_tokens'),
    completionTokens: fields.number('usage.output_tokens'),
    totalTokens: fields.number('usage.total_tokens'),
    cachedTokens: fields.number('usage.input_tokens_details.cached_tokens'),
    reasoningTokens: fields.number('usage.output_tokens_details.reasoning_tokens'),
  };
}

function normalizeError(fields: Fields): RunError | null {
  if (!fields.object('error')) return null;
  return {code: fields.string('error.code'), message: fields.string('error.message')};
}

/** `tool_choice`: a string, or `{"type":"function","name":…}` described as runs describe theirs. */
function describeToolChoice(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (!isObject(value) || typeof value['type'] !== 'string') return null;
  return typeof value['name'] === 'string' ? `${value['type']} ${value['name']}` : value['type'];
}

/** `text.format`: `text`, `json_object`, `json_schema (name)`. */
function describeTextFormat(value: unknown): string | null {
  const format = isObject(value) ? value['format'] : undefined;
  if (!isObject(format) || typeof format['type'] !== 'string') return null;
  return typeof format['name'] === 'string' ? `${format['type']} (${format['name']})` : format['type'];
}

function metadataOf(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isObject(value)) return result;
  for (const [key, entry] of Object.entries(value)) {
    Object.defineProperty(result, key, {value: typeof entry === 'string' ? entry : JSON.stringify(entry) ?? String(entry), enumerable: true, writable: true, configurable: true});
  }
  return result;
}

/** What `/` finds a response by beyond a run's fields: its API status, chain, conversation and call ids. */
function searchExtra(run: Run, facts: ResponseFacts): string[] {
  const extra = [facts.apiStatus, 'response'];
  if (facts.previousResponseId) extra.push(facts.previousResponseId);
  if (facts.conversationId) extra.push(facts.conversationId);
  for (const call of run.requiredAction?.toolCalls ?? []) extra.push(call.id);
  return extra;
}

/**
 * A `response` object as a Run (see the file comment). `fallbackId` names one without an id.
 * Never throws.
 */
export function normalizeResponse(raw: Record<string, unknown>, source: SourceLocation, fallbackId?: string): Run {
  const fields = new Fields(raw);
  const idValue = fields.string('id');
  if (!('id' in raw)) fields.problems.push({field: 'id', message: 'missing'});
  const apiStatus = fields.string('status') ?? MISSING_STATUS;
  const output = fields.array('output').flatMap((entry, index) => readItem(entry, `output.${index}`, fields) ?? []);
  const instructionsValue = raw['instructions'];
  const instructionItems = Array.isArray(instructionsValue) ? instructionsValue.flatMap((entry, index) => readItem(entry, `instructions.${index}`, fields) ?? []) : null;
  const conversation = raw['conversation'];
  const conversationId = typeof conversation === 'string' ? conversation : isObject(conversation) ? fields.string('conversation.id') : (fields.object('conversation'), null);
  // Only a completed response asks for outputs: one still streaming may add more calls, and a
  // failed, cancelled or incomplete one cannot be continued with them.
  const calls = apiStatus === 'completed' ? openCalls(output) : [];
  const createdAt = fields.time('created_at');
  const completedAt = fields.time('completed_at');
  const facts: ResponseFacts = {
    apiStatus,
    background: fields.boolean('background'),
    serviceTier: fields.string('service_tier'),
    previousResponseId: fields.string('previous_response_id'),
    conversationId,
    instructionItems,
    maxOutputTokens: fields.number('max_output_tokens'),
    output,
  };
  const run: Run = {
    id: idValue ?? fallbackId ?? `(no id) ${source.file}${source.line ? `:${source.line}` : ''}`,
    kind: 'response',
    status: calls.length > 0 ? 'requires_action' : apiStatus,
    raw,
    source,
    threadId: null,
    assistantId: null,
    model: fields.string('model'),
    instructions: Array.isArray(instructionsValue) ? null : fields.string('instructions'),
    createdAt,
    // The API records no start: a response runs from its creation, once out of the background queue.
    startedAt: apiStatus === 'queued' ? null : createdAt,
    completedAt,
    failedAt: null,
    cancelledAt: null,
    expiresAt: null,
    endedAt: completedAt,
    usage: normalizeUsage(fields),
    tools: normalizeTools(fields, raw['tools']),
    requiredAction: calls.length > 0 ? {type: RESPONSE_ACTION, toolCalls: calls} : null,
    lastError: normalizeError(fields),
    incompleteReason: fields.object('incomplete_details') ? fields.string('incomplete_details.reason') : null,
    metadata: metadataOf(fields.object('metadata')),
    temperature: fields.number('temperature'),
    topP: fields.number('top_p'),
    maxPromptTokens: null,
    maxCompletionTokens: facts.maxOutputTokens,
    truncationStrategy: typeof raw['truncation'] === 'string' ? {type: raw['truncation'], lastMessages: null} : null,
    toolChoice: describeToolChoice(raw['tool_choice']),
    responseFormat: describeTextFormat(raw['text']),
    parallelToolCalls: fields.boolean('parallel_tool_calls'),
    reasoningEffort: isObject(raw['reasoning']) ? fields.string('reasoning.effort') : null,
    fileIds: null,
    problems: fields.problems,
    response: facts,
    searchText: '',
  };
  run.searchText = buildSearchText(run, searchExtra(run, facts));
  return run;
}

/**
 * The response with the calls in `answered` no longer waiting (each answered by a loaded item, or
 * all of them by a later response of the chain): the calls left still wait; with none left it
 * takes back the API's status. `why` says what answered them, for the panes. The same run when
 * nothing changes; never the run itself changed (runs are immutable once normalized).
 */
export function answerCalls(run: Run, answered: ReadonlySet<string> | 'all', why: string): Run {
  const facts = run.response;
  const action = run.requiredAction;
  if (!facts || !action || action.type !== RESPONSE_ACTION) return run;
  const left = answered === 'all' ? [] : action.toolCalls.filter((call) => !answered.has(call.id));
  if (left.length === action.toolCalls.length) return run;
  if (left.length > 0) return {...run, requiredAction: {...action, toolCalls: left}};
  return {...run, status: facts.apiStatus, requiredAction: null, response: {...facts, answeredBy: why}};
}
