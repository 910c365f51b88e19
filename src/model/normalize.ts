import {z} from 'zod';
import {MISSING_STATUS, type FieldProblem, type RequiredToolCall, type Run, type RunError, type SourceLocation, type ToolDefinition, type Usage} from './run.js';

/*
 * Each field is validated on its own, so that a wrongly typed field is reported by its path and
 * left out of the typed view while every other field still shows. Objects are `loose` because
 * the API adds fields over time; unknown ones stay visible in `raw`.
 */

/*
 * Fast checks: a plain predicate for each schema that accepts exactly what the schema accepts for
 * JSON input. Valid fields (nearly all of them) skip zod, which costs tens of microseconds a run;
 * a field that fails its predicate goes through zod for the precise message and path.
 */
const FAST_CHECKS = new WeakMap<z.ZodType, (value: unknown) => boolean>();

function fast<T extends z.ZodType>(schema: T, check: (value: unknown) => boolean): T {
  FAST_CHECKS.set(schema, check);
  return schema;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isOptional = (value: unknown, check: (value: unknown) => boolean) => value === undefined || check(value);
const isString = (value: unknown) => typeof value === 'string';
const isNumber = (value: unknown) => typeof value === 'number' && Number.isFinite(value);
const orNull = (check: (value: unknown) => boolean) => (value: unknown) => value === null || check(value);

// Unix seconds. A negative one (often -1 for "unset") or one past what a Date can hold is a bug in
// whatever wrote the run: reported, rather than shown as 1969 or breaking the date formatting.
// Seconds past 1e11 (the year 5138) are milliseconds written where seconds belong — 1e11 ms is
// 1973, so no real run time falls on the wrong side: flagged with the time they would mean, and
// kept out of the typed view, so durations never mix milliseconds and seconds.
const MAX_SECONDS = 1e11;
const MAX_MILLISECONDS = 8.64e15;
const timestamp = fast(
  z
    .number()
    .superRefine((value, context) => {
      const problem =
        value < 0
          ? 'negative timestamp'
          : value > MAX_MILLISECONDS
            ? 'timestamp out of range'
            : value >= MAX_SECONDS
              ? `timestamp in milliseconds, not seconds (as milliseconds: ${new Date(value).toISOString()})`
              : null;
      if (problem) context.addIssue({code: 'custom', message: problem});
    })
    .nullable(),
  orNull((value) => isNumber(value) && (value as number) >= 0 && (value as number) < MAX_SECONDS),
);
const string = fast(z.string(), isString);
const nullableString = fast(z.string().nullable(), orNull(isString));
const nullableNumber = fast(z.number().nullable(), orNull(isNumber));
const tokenCount = nullableNumber;
const nullableBoolean = fast(z.boolean().nullable(), orNull((value) => typeof value === 'boolean'));
const fileIdsSchema = fast(z.array(z.string()).nullable(), orNull((value) => Array.isArray(value) && value.every(isString)));
const anyArray = z.array(z.unknown());

/** An object whose fields are then read one by one (see `FieldReader.readIn`). */
const objectSchema = fast(z.looseObject({}).nullable(), orNull(isObject));

const incompleteDetailsSchema = fast(
  z.looseObject({reason: nullableString.optional()}).nullable(),
  orNull((value) => isObject(value) && isOptional(value['reason'], orNull(isString))),
);

const truncationSchema = fast(
  z.looseObject({type: z.string(), last_messages: z.number().nullable().optional()}).nullable(),
  orNull((value) => isObject(value) && isString(value['type']) && isOptional(value['last_messages'], orNull(isNumber))),
);

// zod's own message for a failed union is a bare "Invalid input".
const STRING_OR_OBJECT = {error: 'Invalid input: expected a string or an object of the documented shape'};

const toolChoiceSchema = fast(
  z
    .union(
      [
        z.string(),
        z.looseObject({
          type: z.string(),
          function: z.looseObject({name: z.string()}).optional(),
        }),
      ],
      STRING_OR_OBJECT,
    )
    .nullable(),
  orNull(
    (value) =>
      isString(value) ||
      (isObject(value) && isString(value['type']) && isOptional(value['function'], (fn) => isObject(fn) && isString(fn['name']))),
  ),
);

const responseFormatSchema = fast(
  z
    .union(
      [
        z.string(),
        z.looseObject({
          type: z.string(),
          json_schema: z.looseObject({name: z.string().optional()}).optional(),
        }),
      ],
      STRING_OR_OBJECT,
    )
    .nullable(),
  orNull(
    (value) =>
      isString(value) ||
      (isObject(value) &&
        isString(value['type']) &&
        isOptional(value['json_schema'], (schema) => isObject(schema) && isOptional(schema['name'], isString))),
  ),
);

const toolSchema = fast(
  z.looseObject({
    type: z.string(),
    function: z
      .looseObject({
        name: z.string(),
        description: z.string().nullable().optional(),
        parameters: z.unknown().optional(),
        strict: z.boolean().nullable().optional(),
      })
      .optional(),
  }),
  (value) =>
    isObject(value) &&
    isString(value['type']) &&
    isOptional(
      value['function'],
      (fn) =>
        isObject(fn) &&
        isString(fn['name']) &&
        isOptional(fn['description'], orNull(isString)) &&
        isOptional(fn['strict'], orNull((strict) => typeof strict === 'boolean')),
    ),
);

const toolCallSchema = fast(
  z.looseObject({
    id: z.string(),
    type: z.string().optional(),
    function: z.looseObject({name: z.string(), arguments: z.string()}),
  }),
  (value) =>
    isObject(value) &&
    isString(value['id']) &&
    isOptional(value['type'], isString) &&
    isObject(value['function']) &&
    isString(value['function']['name']) &&
    isString(value['function']['arguments']),
);

const requiredActionSchema = fast(
  z
    .looseObject({
      type: z.string(),
      submit_tool_outputs: z.looseObject({tool_calls: z.array(z.unknown())}).optional(),
    })
    .nullable(),
  orNull(
    (value) =>
      isObject(value) &&
      isString(value['type']) &&
      isOptional(value['submit_tool_outputs'], (outputs) => isObject(outputs) && Array.isArray(outputs['tool_calls'])),
  ),
);

const metadataSchema = objectSchema;

/** Every schema with a fast check and that check, so tests can prove the two agree. */
export function fastCheckedSchemas(): Array<{schema: z.ZodType; check: (value: unknown) => boolean}> {
  return [timestamp, string, nullableString, nullableNumber, nullableBoolean, fileIdsSchema, objectSchema, incompleteDetailsSchema, truncationSchema, toolChoiceSchema, responseFormatSchema, toolSchema, toolCallSchema, requiredActionSchema].map(
    (schema) => ({schema, check: FAST_CHECKS.get(schema)!}),
  );
}

/** Collects problems while reading one run. */
class FieldReader {
  readonly problems: FieldProblem[] = [];

  constructor(private readonly raw: Record<string, unknown>) {}

  /** The field parsed with `schema`, or null (with a problem recorded) when it is absent or wrong. */
  read<T>(field: string, schema: z.ZodType<T>): T | null {
    if (!(field in this.raw)) return null;
    return this.check(field, this.raw[field], schema);
  }

  /**
   * A field of an object already read, checked on its own: one wrong count in `usage` does not
   * hide the other two, nor a wrong `last_error.code` the error's message.
   */
  readIn<T>(path: string, object: Record<string, unknown>, field: string, schema: z.ZodType<T>): T | null {
    if (!Object.hasOwn(object, field)) return null;
    return this.check(`${path}.${field}`, object[field], schema);
  }

  check<T>(path: string, value: unknown, schema: z.ZodType<T>): T | null {
    // For JSON input a passing fast check means zod would return the same value (loose objects keep every key).
    if (FAST_CHECKS.get(schema)?.(value)) return value as T;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const where = [path, ...issue.path.map(String)].join('.');
      this.problems.push({field: where, message: issue.message});
    }
    return null;
  }
}

/** Whether a parsed JSON value is a run (rather than a message, an assistant, a list, …). */
export function looksLikeRun(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const object = (value as Record<string, unknown>)['object'];
  if (object === 'thread.run') return true;
  // Some self-hosted servers send an empty or missing `object`; a run id and a status are enough.
  if (object === undefined || object === null || object === '') {
    const record = value as Record<string, unknown>;
    return typeof record['id'] === 'string' && record['id'].startsWith('run_') && 'status' in record;
  }
  return false;
}

/** A short description of a JSON value that is not a run, for a warning. */
export function describeNonRun(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `a ${typeof value}`;
  const object = (value as Record<string, unknown>)['object'];
  if (typeof object === 'string' && object !== '') return `an object of type '${object}'`;
  return 'an object without "object": "thread.run"';
}

function normalizeTools(reader: FieldReader, value: unknown): ToolDefinition[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    reader.check('tools', value, anyArray);
    return [];
  }
  const tools: ToolDefinition[] = [];
  value.forEach((entry, index) => {
    const tool = reader.check(`tools.${index}`, entry, toolSchema);
    if (!tool) return;
    const fn = tool.function;
    tools.push({
      type: tool.type,
      name: fn?.name ?? null,
      description: fn?.description ?? null,
      parameters: fn?.parameters,
      strict: fn?.strict === true,
      raw: entry,
    });
  });
  return tools;
}

function normalizeRequiredAction(reader: FieldReader): Run['requiredAction'] {
  const action = reader.read('required_action', requiredActionSchema);
  if (!action) return null;
  const toolCalls: RequiredToolCall[] = [];
  (action.submit_tool_outputs?.tool_calls ?? []).forEach((entry, index) => {
    const call = reader.check(`required_action.submit_tool_outputs.tool_calls.${index}`, entry, toolCallSchema);
    if (!call) return;
    toolCalls.push({
      id: call.id,
      type: call.type ?? 'function',
      functionName: call.function.name,
      arguments: call.function.arguments,
    });
  });
  return {type: action.type, toolCalls};
}

function normalizeUsage(reader: FieldReader): Usage | null {
  const usage = reader.read('usage', objectSchema);
  if (!usage) return null;
  return {
    promptTokens: reader.readIn('usage', usage, 'prompt_tokens', tokenCount),
    completionTokens: reader.readIn('usage', usage, 'completion_tokens', tokenCount),
    totalTokens: reader.readIn('usage', usage, 'total_tokens', tokenCount),
  };
}

function normalizeLastError(reader: FieldReader): RunError | null {
  const error = reader.read('last_error', objectSchema);
  if (!error) return null;
  return {
    code: reader.readIn('last_error', error, 'code', nullableString),
    message: reader.readIn('last_error', error, 'message', nullableString),
  };
}

function normalizeMetadata(reader: FieldReader, raw: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!reader.read('metadata', metadataSchema)) return result;
  // The entries of the object as read: zod's copy loses a key named `__proto__`.
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    // The API only allows strings; anything else is shown as JSON rather than dropped.
    let text: string;
    try {
      text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
    } catch {
      // JSON.stringify recurses: a value nested some thousands of levels deep overflows the stack.
      text = '(too deeply nested to show)';
      reader.problems.push({field: `metadata.${key}`, message: 'too deeply nested to show'});
    }
    // defineProperty, because assigning to `__proto__` would not create the key.
    Object.defineProperty(result, key, {value: text, enumerable: true, writable: true, configurable: true});
  }
  return result;
}

function describeToolChoice(choice: z.infer<typeof toolChoiceSchema>): string | null {
  if (choice === null) return null;
  if (typeof choice === 'string') return choice;
  if (choice.type === 'function' && choice.function) return `function ${choice.function.name}`;
  return choice.type;
}

function describeResponseFormat(format: z.infer<typeof responseFormatSchema>): string | null {
  if (format === null) return null;
  if (typeof format === 'string') return format;
  const name = format.json_schema?.name;
  return name ? `${format.type} (${name})` : format.type;
}

function buildSearchText(run: Run): string {
  const parts: string[] = [run.id, run.status];
  if (run.model) parts.push(run.model);
  if (run.threadId) parts.push(run.threadId);
  if (run.assistantId) parts.push(run.assistantId);
  if (run.lastError?.code) parts.push(run.lastError.code);
  if (run.lastError?.message) parts.push(run.lastError.message);
  for (const tool of run.tools) parts.push(tool.name ?? tool.type);
  for (const call of run.requiredAction?.toolCalls ?? []) parts.push(call.functionName);
  for (const [key, value] of Object.entries(run.metadata)) parts.push(key, value);
  return parts.join('\n').toLowerCase();
}

/**
 * Turns a run object (already known to be a run, see `looksLikeRun`) into a `Run`.
 * Never throws. `fallbackId` names a run whose `id` is missing or not a string.
 */
export function normalizeRun(raw: Record<string, unknown>, source: SourceLocation, fallbackId?: string): Run {
  const reader = new FieldReader(raw);
  const idValue = reader.read('id', string);
  if (!('id' in raw)) reader.problems.push({field: 'id', message: 'missing'});
  const id = idValue ?? fallbackId ?? `(no id) ${source.file}${source.line ? `:${source.line}` : ''}`;
  const statusValue = reader.read('status', string);
  if (!('status' in raw)) reader.problems.push({field: 'status', message: 'missing'});

  const completedAt = reader.read('completed_at', timestamp);
  const failedAt = reader.read('failed_at', timestamp);
  const cancelledAt = reader.read('cancelled_at', timestamp);
  const truncation = reader.read('truncation_strategy', truncationSchema);
  const fileIds = reader.read('file_ids', fileIdsSchema);
  const incomplete = reader.read('incomplete_details', incompleteDetailsSchema);
  // Only checked: its contents (file and vector store ids) are shown in Raw JSON.
  reader.read('tool_resources', objectSchema);

  const run: Run = {
    id,
    status: statusValue ?? MISSING_STATUS,
    raw,
    source,
    threadId: reader.read('thread_id', nullableString),
    assistantId: reader.read('assistant_id', nullableString),
    model: reader.read('model', nullableString),
    instructions: reader.read('instructions', nullableString),
    createdAt: reader.read('created_at', timestamp),
    startedAt: reader.read('started_at', timestamp),
    completedAt,
    failedAt,
    cancelledAt,
    expiresAt: reader.read('expires_at', timestamp),
    endedAt: completedAt ?? failedAt ?? cancelledAt ?? null,
    usage: normalizeUsage(reader),
    tools: normalizeTools(reader, raw['tools']),
    requiredAction: normalizeRequiredAction(reader),
    lastError: normalizeLastError(reader),
    incompleteReason: incomplete?.reason ?? null,
    metadata: normalizeMetadata(reader, raw['metadata']),
    temperature: reader.read('temperature', nullableNumber),
    topP: reader.read('top_p', nullableNumber),
    maxPromptTokens: reader.read('max_prompt_tokens', tokenCount),
    maxCompletionTokens: reader.read('max_completion_tokens', tokenCount),
    truncationStrategy: truncation ? {type: truncation.type, lastMessages: truncation.last_messages ?? null} : null,
    toolChoice: describeToolChoice(reader.read('tool_choice', toolChoiceSchema)),
    responseFormat: describeResponseFormat(reader.read('response_format', responseFormatSchema)),
    parallelToolCalls: reader.read('parallel_tool_calls', nullableBoolean),
    reasoningEffort: reader.read('reasoning_effort', nullableString),
    fileIds,
    problems: reader.problems,
    searchText: '',
  };
  run.searchText = buildSearchText(run);
  return run;
}
