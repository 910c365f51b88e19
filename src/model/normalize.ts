import type {ZodType} from 'zod';
import {cutProperty, describeCutText, isDepthCut, isPascalCaseObject, renamePascalCase, type CutShape} from './powershell.js';
import {onUse, type OnUse, type Parsed, type Zod} from './zodOnUse.js';
import {buildSearchText, knownStatusSpelledAs, MISSING_STATUS, type FieldProblem, type ReadNote, type RequiredToolCall, type Run, type RunError, type SourceLocation, type ToolDefinition, type Usage} from './run.js';

/*
 * Each field is validated on its own, so that a wrongly typed field is reported by its path and
 * left out of the typed view while every other field still shows. Objects are `loose` because
 * the API adds fields over time; unknown ones stay visible in `raw`.
 */

/*
 * Fast checks: a plain predicate for each schema that accepts exactly what the schema accepts for
 * JSON input. Valid fields (nearly all of them) skip zod, which costs tens of microseconds a run;
 * a field that fails its predicate goes through zod for the precise message and path. The zod
 * schema is built (and zod loaded) when a first value fails (zodOnUse.ts).
 */
const FAST_CHECKS = new WeakMap<OnUse<ZodType>, (value: unknown) => boolean>();

function fast<S extends ZodType>(build: (z: Zod) => S, check: (value: unknown) => boolean): OnUse<S> {
  const schema = onUse(build);
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
  (z) => z
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
/**
 * ISO 8601 date and time (`2026-12-02T22:00:00Z`, `2026-12-02 23:00:00.5+01:00`; no zone: UTC),
 * as PowerShell 7's ConvertTo-Json writes a [DateTime] and many hand-made exports write times.
 */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** `/Date(1796248800000)/`: how Windows PowerShell 5.1's ConvertTo-Json writes a [DateTime] (milliseconds, UTC). */
const DOTNET_DATE = /^\/Date\((-?\d{1,16})(?:[+-]\d{4})?\)\/$/;

/** Unix seconds for a time written as text, and whether the text named its time zone; null when it is no time. */
export function timeFromText(text: string): {seconds: number; zone: boolean} | null {
  const dotnet = DOTNET_DATE.exec(text);
  if (dotnet) return {seconds: Number(dotnet[1]) / 1000, zone: true};
  const match = ISO_TIME.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone] = match;
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), Number(`0.${fraction || '0'}`) * 1000);
  const date = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March: such a text is no date.
  if (date.getUTCDate() !== Number(day) || date.getUTCMonth() !== Number(month) - 1 || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0'));
  }
  return {seconds: ms / 1000 - offsetMinutes * 60, zone: zone !== undefined};
}

const string = fast((z) => z.string(), isString);
const nullableString = fast((z) => z.string().nullable(), orNull(isString));
const nullableNumber = fast((z) => z.number().nullable(), orNull(isNumber));
const tokenCount = nullableNumber;
const nullableBoolean = fast((z) => z.boolean().nullable(), orNull((value) => typeof value === 'boolean'));
const fileIdsSchema = fast((z) => z.array(z.string()).nullable(), orNull((value) => Array.isArray(value) && value.every(isString)));
const anyArray = onUse((z) => z.array(z.unknown()));

/** An object whose fields are then read one by one (see `FieldReader.readIn`). */
const objectSchema = fast((z) => z.looseObject({}).nullable(), orNull(isObject));

const incompleteDetailsSchema = fast(
  (z) => z.looseObject({reason: nullableString.zod.optional()}).nullable(),
  orNull((value) => isObject(value) && isOptional(value['reason'], orNull(isString))),
);

const truncationSchema = fast(
  (z) => z.looseObject({type: z.string(), last_messages: z.number().nullable().optional()}).nullable(),
  orNull((value) => isObject(value) && isString(value['type']) && isOptional(value['last_messages'], orNull(isNumber))),
);

// zod's own message for a failed union is a bare "Invalid input".
const STRING_OR_OBJECT = {error: 'Invalid input: expected a string or an object of the documented shape'};

const toolChoiceSchema = fast(
  (z) => z
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
  (z) => z
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
  (z) => z.looseObject({
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
  (z) => z.looseObject({
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

/** An MCP call waiting for approval (Foundry's `submit_tool_approval`): name and arguments at the top. */
const approvalCallSchema = fast(
  (z) => z.looseObject({
    id: z.string(),
    type: z.string().optional(),
    name: z.string(),
    arguments: z.string(),
    server_label: z.string().optional(),
  }),
  (value) =>
    isObject(value) &&
    isString(value['id']) &&
    isOptional(value['type'], isString) &&
    isString(value['name']) &&
    isString(value['arguments']) &&
    isOptional(value['server_label'], isString),
);

const callList = onUse((z) => z.looseObject({tool_calls: z.array(z.unknown())}));
const isCallList = (outputs: unknown) => isObject(outputs) && Array.isArray(outputs['tool_calls']);

const requiredActionSchema = fast(
  (z) => z
    .looseObject({
      type: z.string(),
      submit_tool_outputs: callList.zod.optional(),
      submit_tool_approval: callList.zod.optional(),
    })
    .nullable(),
  orNull(
    (value) =>
      isObject(value) &&
      isString(value['type']) &&
      isOptional(value['submit_tool_outputs'], isCallList) &&
      isOptional(value['submit_tool_approval'], isCallList),
  ),
);

const metadataSchema = objectSchema;

/** Every schema with a fast check and that check, so tests can prove the two agree. */
export function fastCheckedSchemas(): Array<{schema: ZodType; check: (value: unknown) => boolean}> {
  return [timestamp, string, nullableString, nullableNumber, nullableBoolean, fileIdsSchema, objectSchema, incompleteDetailsSchema, truncationSchema, toolChoiceSchema, responseFormatSchema, toolSchema, toolCallSchema, approvalCallSchema, requiredActionSchema].map(
    (schema) => ({schema: schema.zod, check: FAST_CHECKS.get(schema)!}),
  );
}

/** Collects problems, and fields read from another form, while reading one run. */
class FieldReader {
  readonly problems: FieldProblem[] = [];
  readonly notes: ReadNote[] = [];

  constructor(private readonly raw: Record<string, unknown>) {}

  /** The field parsed with `schema`, or null (with a problem recorded) when it is absent or wrong. */
  read<T>(field: string, schema: OnUse<ZodType<T>>): T | null {
    if (!(field in this.raw)) return null;
    return this.check(field, this.raw[field], schema);
  }

  /**
   * A field of an object already read, checked on its own: one wrong count in `usage` does not
   * hide the other two, nor a wrong `last_error.code` the error's message.
   */
  readIn<T>(path: string, object: Record<string, unknown>, field: string, schema: OnUse<ZodType<T>>): T | null {
    if (!Object.hasOwn(object, field)) return null;
    return this.check(`${path}.${field}`, object[field], schema);
  }

  /**
   * A time field: Unix seconds, or text that names a time (ISO 8601, PowerShell 5.1's
   * `/Date(ms)/`), read as the seconds it names and noted. Either way checked as a timestamp.
   */
  time(field: string): number | null {
    if (!(field in this.raw)) return null;
    const value = this.raw[field];
    const parsed = typeof value === 'string' ? timeFromText(value) : null;
    if (!parsed) return this.check(field, value, timestamp);
    const iso = Number.isFinite(parsed.seconds) && Math.abs(parsed.seconds) < 8.64e12 ? new Date(parsed.seconds * 1000).toISOString().replace('.000Z', 'Z') : 'out of range';
    this.notes.push({
      kind: 'iso-time',
      field,
      message: `${field} is the text ${JSON.stringify(value)}, read as ${iso}${parsed.zone ? '' : ' (no time zone given: read as UTC)'}`,
    });
    return this.check(field, parsed.seconds, timestamp);
  }

  /**
   * Whether `value`, at `path`, is what a depth-limited export wrote in place of an object or an
   * array (see powershell.ts). Noted, so views say the field was cut rather than empty.
   */
  cut(path: string, value: unknown, shape: CutShape): value is string {
    if (!isDepthCut(value, shape)) return false;
    this.notes.push({kind: 'cut', field: path, text: value, message: `${path} was cut short by the export, which wrote ${describeCutText(value)}`});
    return true;
  }

  check<T>(path: string, value: unknown, schema: OnUse<ZodType<T>>): T | null {
    // For JSON input a passing fast check means zod would return the same value (loose objects keep every key).
    if (FAST_CHECKS.get(schema)?.(value)) return value as T;
    const result = schema.zod.safeParse(value);
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
  const record = value as Record<string, unknown>;
  // A PowerShell object names the same fields in PascalCase (see powershell.ts).
  const pascal = isPascalCaseObject(record);
  const object = record[pascal ? 'Object' : 'object'];
  if (object === 'thread.run') return true;
  // Some self-hosted servers send an empty or missing `object`; a run id and a status are enough.
  if (object === undefined || object === null || object === '') {
    const id = record[pascal ? 'Id' : 'id'];
    return typeof id === 'string' && id.startsWith('run_') && (pascal ? 'Status' : 'status') in record;
  }
  return false;
}

/** A short description of a JSON value that is not a run, for a warning. */
export function describeNonRun(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `a ${typeof value}`;
  const record = value as Record<string, unknown>;
  const object = record[isPascalCaseObject(record) ? 'Object' : 'object'];
  if (typeof object === 'string' && object !== '') return `an object of type '${object}'`;
  return 'an object without "object": "thread.run"';
}

function normalizeTools(reader: FieldReader, value: unknown): ToolDefinition[] {
  if (value === undefined || value === null) return [];
  // Cut: the run had tools, but which is lost (see isCut(run, 'tools')).
  if (reader.cut('tools', value, 'array')) return [];
  if (!Array.isArray(value)) {
    reader.check('tools', value, anyArray);
    return [];
  }
  const tools: ToolDefinition[] = [];
  value.forEach((entry, index) => {
    const path = `tools.${index}`;
    const cutTool = (type: string | null, name: string | null): void => {
      tools.push({type: type ?? 'unknown', name, description: null, parameters: undefined, strict: false, raw: entry, cut: true});
    };
    if (reader.cut(path, entry, 'object')) return cutTool(cutProperty(entry, 'type'), null);
    if (isObject(entry) && reader.cut(`${path}.function`, entry['function'], 'object')) {
      return cutTool(isString(entry['type']) ? (entry['type'] as string) : 'function', cutProperty(entry['function'], 'name'));
    }
    const tool = reader.check(path, entry, toolSchema);
    if (!tool) return;
    const fn = tool.function;
    // Parts cut further down the schema (-Depth 3 or 4) are found when it is used (isToolCut): walking
    // every schema here doubled the time normalizing takes.
    const parametersCut = fn?.parameters !== undefined && reader.cut(`${path}.function.parameters`, fn.parameters, 'object');
    tools.push({
      type: tool.type,
      name: fn?.name ?? null,
      description: fn?.description ?? null,
      parameters: fn?.parameters,
      strict: fn?.strict === true,
      raw: entry,
    });
    if (parametersCut) tools[tools.length - 1]!.cut = true;
  });
  return tools;
}

function normalizeRequiredAction(reader: FieldReader, raw: Record<string, unknown>): Run['requiredAction'] {
  const value = raw['required_action'];
  // The type survives a cut when the text shows it; submit_tool_outputs is the usual one.
  if (reader.cut('required_action', value, 'object')) return {type: cutProperty(value, 'type') ?? 'submit_tool_outputs', toolCalls: [], callsCut: true};
  if (isObject(value)) {
    const type = isString(value['type']) ? (value['type'] as string) : 'submit_tool_outputs';
    for (const key of ['submit_tool_outputs', 'submit_tool_approval']) {
      const outputs = value[key];
      if (reader.cut(`required_action.${key}`, outputs, 'object')) return {type, toolCalls: [], callsCut: true};
      if (isObject(outputs) && reader.cut(`required_action.${key}.tool_calls`, outputs['tool_calls'], 'array')) return {type, toolCalls: [], callsCut: true};
    }
  }
  const action = reader.read('required_action', requiredActionSchema);
  if (!action) return null;
  const toolCalls: RequiredToolCall[] = [];
  let callsCut = false;
  (action.submit_tool_outputs?.tool_calls ?? []).forEach((entry, index) => {
    const path = `required_action.submit_tool_outputs.tool_calls.${index}`;
    if (reader.cut(path, entry, 'object') || (isObject(entry) && reader.cut(`${path}.function`, entry['function'], 'object'))) {
      callsCut = true;
      return;
    }
    const call = reader.check(path, entry, toolCallSchema);
    if (!call) return;
    toolCalls.push({
      id: call.id,
      type: call.type ?? 'function',
      functionName: call.function.name,
      arguments: call.function.arguments,
    });
  });
  // Foundry's MCP approvals: the calls wait for a yes or no, not for outputs.
  (action.submit_tool_approval?.tool_calls ?? []).forEach((entry, index) => {
    const path = `required_action.submit_tool_approval.tool_calls.${index}`;
    if (reader.cut(path, entry, 'object')) {
      callsCut = true;
      return;
    }
    const call = reader.check(path, entry, approvalCallSchema);
    if (!call) return;
    toolCalls.push({
      id: call.id,
      type: call.type ?? 'mcp',
      functionName: call.name,
      arguments: call.arguments,
      ...(call.server_label !== undefined ? {serverLabel: call.server_label} : {}),
    });
  });
  return callsCut ? {type: action.type, toolCalls, callsCut} : {type: action.type, toolCalls};
}

function normalizeUsage(reader: FieldReader, raw: Record<string, unknown>): Usage | null {
  if (reader.cut('usage', raw['usage'], 'object')) return null;
  const usage = reader.read('usage', objectSchema);
  if (!usage) return null;
  return {
    promptTokens: reader.readIn('usage', usage, 'prompt_tokens', tokenCount),
    completionTokens: reader.readIn('usage', usage, 'completion_tokens', tokenCount),
    totalTokens: reader.readIn('usage', usage, 'total_tokens', tokenCount),
    ...detailCount(reader, usage, 'prompt_tokens_details', 'cached_tokens', 'cachedTokens'),
    ...detailCount(reader, usage, 'completion_tokens_details', 'reasoning_tokens', 'reasoningTokens'),
  };
}

/**
 * One count of a usage's details object (`prompt_tokens_details.cached_tokens`), as `{[key]: n}`,
 * or nothing when the usage has no such details: the split stays unknown rather than 0.
 */
function detailCount<K extends 'cachedTokens' | 'reasoningTokens'>(
  reader: FieldReader,
  usage: Record<string, unknown>,
  details: string,
  field: string,
  key: K,
): Partial<Record<K, number | null>> {
  const object = usage[details];
  if (typeof object !== 'object' || object === null || Array.isArray(object) || !Object.hasOwn(object, field)) return {};
  return {[key]: reader.readIn(`usage.${details}`, object as Record<string, unknown>, field, tokenCount)} as Partial<Record<K, number | null>>;
}

function normalizeLastError(reader: FieldReader, raw: Record<string, unknown>): RunError | null {
  const value = raw['last_error'];
  // There was an error: its code, when the text shows it; its message may hold `; ` and is not read back.
  if (reader.cut('last_error', value, 'object')) return {code: cutProperty(value, 'code'), message: null};
  const error = reader.read('last_error', objectSchema);
  if (!error) return null;
  return {
    code: reader.readIn('last_error', error, 'code', nullableString),
    message: reader.readIn('last_error', error, 'message', nullableString),
  };
}

function normalizeMetadata(reader: FieldReader, raw: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (reader.cut('metadata', raw, 'object') || !reader.read('metadata', metadataSchema)) return result;
  // The keys of the object as read: zod's copy loses a key named `__proto__`.
  const object = raw as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const value = object[key];
    // The API only allows strings; anything else is shown as JSON rather than dropped.
    let text: string;
    try {
      text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
    } catch {
      // JSON.stringify recurses: a value nested some thousands of levels deep overflows the stack.
      text = '(too deeply nested to show)';
      reader.problems.push({field: `metadata.${key}`, message: 'too deeply nested to show'});
    }
    // defineProperty for `__proto__`, which an assignment would not create; only for it: a
    // defineProperty for every key was a twentieth of loading 100,000 runs.
    if (key === '__proto__') Object.defineProperty(result, key, {value: text, enumerable: true, writable: true, configurable: true});
    else result[key] = text;
  }
  return result;
}

/** tool_choice, described; a cut object shows what its text keeps (`function lookup_order`), else null. */
function readToolChoice(reader: FieldReader, raw: Record<string, unknown>): string | null {
  const value = raw['tool_choice'];
  if (reader.cut('tool_choice', value, 'string-or-object')) return null;
  if (isObject(value) && reader.cut('tool_choice.function', value['function'], 'object')) {
    const name = cutProperty(value['function'], 'name');
    return name ? `function ${name}` : 'function';
  }
  return describeToolChoice(reader.read('tool_choice', toolChoiceSchema));
}

/** response_format, described; a cut json_schema keeps its name when the text shows it. */
function readResponseFormat(reader: FieldReader, raw: Record<string, unknown>): string | null {
  const value = raw['response_format'];
  if (reader.cut('response_format', value, 'string-or-object')) return null;
  if (isObject(value) && isString(value['type']) && reader.cut('response_format.json_schema', value['json_schema'], 'object')) {
    const name = cutProperty(value['json_schema'], 'name');
    return name ? `${value['type'] as string} (${name})` : (value['type'] as string);
  }
  return describeResponseFormat(reader.read('response_format', responseFormatSchema));
}

function describeToolChoice(choice: Parsed<typeof toolChoiceSchema>): string | null {
  if (choice === null) return null;
  if (typeof choice === 'string') return choice;
  if (choice.type === 'function' && choice.function) return `function ${choice.function.name}`;
  return choice.type;
}

function describeResponseFormat(format: Parsed<typeof responseFormatSchema>): string | null {
  if (format === null) return null;
  if (typeof format === 'string') return format;
  const name = format.json_schema?.name;
  return name ? `${format.type} (${name})` : format.type;
}

/**
 * Turns a run object (already known to be a run, see `looksLikeRun`) into a `Run`.
 * Never throws. `fallbackId` names a run whose `id` is missing or not a string. A PowerShell
 * object's PascalCase keys are read as the API's names (see powershell.ts): `raw` then holds the
 * renamed copy and `asRead` the object as read.
 */
export function normalizeRun(input: Record<string, unknown>, source: SourceLocation, fallbackId?: string): Run {
  const pascal = isPascalCaseObject(input);
  const raw = pascal ? renamePascalCase(input) : input;
  const reader = new FieldReader(raw);
  if (pascal) reader.notes.push({kind: 'pascal-case', field: '(field names)', message: "field names in PascalCase (a PowerShell object) read as the API's snake_case names"});
  const idValue = reader.read('id', string);
  if (!('id' in raw)) reader.problems.push({field: 'id', message: 'missing'});
  const id = idValue ?? fallbackId ?? `(no id) ${source.file}${source.line ? `:${source.line}` : ''}`;
  const statusValue = reader.read('status', string);
  if (!('status' in raw)) reader.problems.push({field: 'status', message: 'missing'});
  // `REQUIRES_ACTION`, `Completed`: the documented status, spelled another way by a server or a person.
  const respelled = statusValue === null ? null : knownStatusSpelledAs(statusValue);
  if (respelled) reader.notes.push({kind: 'status-case', field: 'status', message: `status ${JSON.stringify(statusValue)} read as '${respelled}'`});

  const completedAt = reader.time('completed_at');
  const failedAt = reader.time('failed_at');
  const cancelledAt = reader.time('cancelled_at');
  const truncation = reader.cut('truncation_strategy', raw['truncation_strategy'], 'object') ? null : reader.read('truncation_strategy', truncationSchema);
  const fileIds = reader.cut('file_ids', raw['file_ids'], 'array') ? null : reader.read('file_ids', fileIdsSchema);
  const incompleteValue = raw['incomplete_details'];
  const incompleteReason = reader.cut('incomplete_details', incompleteValue, 'object')
    ? cutProperty(incompleteValue, 'reason')
    : reader.read('incomplete_details', incompleteDetailsSchema)?.reason ?? null;
  // Only checked: its contents (file and vector store ids) are shown in Raw JSON.
  if (!reader.cut('tool_resources', raw['tool_resources'], 'object')) reader.read('tool_resources', objectSchema);

  const run: Run = {
    id,
    status: respelled ?? statusValue ?? MISSING_STATUS,
    raw,
    source,
    threadId: reader.read('thread_id', nullableString),
    assistantId: reader.read('assistant_id', nullableString),
    model: reader.read('model', nullableString),
    instructions: reader.read('instructions', nullableString),
    createdAt: reader.time('created_at'),
    startedAt: reader.time('started_at'),
    completedAt,
    failedAt,
    cancelledAt,
    expiresAt: reader.time('expires_at'),
    endedAt: completedAt ?? failedAt ?? cancelledAt ?? null,
    usage: normalizeUsage(reader, raw),
    tools: normalizeTools(reader, raw['tools']),
    requiredAction: normalizeRequiredAction(reader, raw),
    lastError: normalizeLastError(reader, raw),
    incompleteReason,
    metadata: normalizeMetadata(reader, raw['metadata']),
    temperature: reader.read('temperature', nullableNumber),
    topP: reader.read('top_p', nullableNumber),
    maxPromptTokens: reader.read('max_prompt_tokens', tokenCount),
    maxCompletionTokens: reader.read('max_completion_tokens', tokenCount),
    truncationStrategy: truncation ? {type: truncation.type, lastMessages: truncation.last_messages ?? null} : null,
    toolChoice: readToolChoice(reader, raw),
    responseFormat: readResponseFormat(reader, raw),
    parallelToolCalls: reader.read('parallel_tool_calls', nullableBoolean),
    reasoningEffort: reader.read('reasoning_effort', nullableString),
    fileIds,
    problems: reader.problems,
    searchText: '',
  };
  if (pascal) run.asRead = input;
  if (reader.notes.length > 0) run.notes = reader.notes;
  run.searchText = buildSearchText(run);
  return run;
}
