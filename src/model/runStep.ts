/**
 * Run steps (`thread.run.step`): what a run did, one step at a time. As with runs, normalization
 * never throws and never drops data: the object stays in `raw`, and a field of the wrong type is
 * left out of the typed view and recorded in `problems`.
 */
import {nullableString, numberOrNull as NUMBER_OR_NULL, ObjectReader as Reader, objectOrNull as OBJECT_OR_NULL, objectSchema, stringSchema as STRING, timestamp, unknownList as UNKNOWN_LIST, type ItemTail} from './objectReader.js';
import type {RunError, SourceLocation, Usage} from './run.js';

/** One output of a code interpreter call. */
export type CodeInterpreterOutput =
  | {type: 'logs'; logs: string}
  | {type: 'image'; fileId: string | null}
  | {type: string; raw: unknown};

/** One tool call of a `tool_calls` step. */
export type StepToolCall =
  | {
      type: 'function';
      id: string | null;
      name: string | null;
      /** JSON text as the model wrote it; it may not be valid JSON. */
      arguments: string | null;
      /** null until the outputs are submitted. */
      output: string | null;
    }
  | {type: 'code_interpreter'; id: string | null; input: string | null; outputs: CodeInterpreterOutput[]}
  | {
      type: 'file_search';
      id: string | null;
      /** null when the server did not include results (they come only with `include`). */
      resultCount: number | null;
    }
  | {type: 'other'; id: string | null; toolType: string; raw: unknown};

/** A normalized run step. Times are Unix seconds, as in the API. */
export interface RunStep extends ItemTail {
  id: string;
  /** `message_creation`, `tool_calls`, or anything newer. */
  type: string;
  /** `in_progress`, `cancelled`, `failed`, `completed`, `expired`, or anything newer. */
  status: string;
  runId: string | null;
  threadId: string | null;
  assistantId: string | null;
  createdAt: number | null;
  completedAt: number | null;
  failedAt: number | null;
  cancelledAt: number | null;
  expiredAt: number | null;
  usage: Usage | null;
  lastError: RunError | null;
  /** message_creation steps: the message written. */
  messageId: string | null;
  /** tool_calls steps: the calls made. */
  toolCalls: StepToolCall[];
}

function normalizeCodeOutput(reader: Reader, path: string, value: unknown): CodeInterpreterOutput | null {
  const output = reader.object(path, value);
  if (!output) return null;
  const type = reader.read(path, output, 'type', STRING) ?? 'unknown';
  if (type === 'logs') return {type: 'logs', logs: reader.read(path, output, 'logs', STRING) ?? ''};
  if (type === 'image') {
    const image = reader.read(path, output, 'image', objectSchema);
    return {type: 'image', fileId: image ? reader.read(`${path}.image`, image, 'file_id', STRING) : null};
  }
  return {type, raw: value};
}

function normalizeToolCall(reader: Reader, path: string, value: unknown): StepToolCall | null {
  const call = reader.object(path, value);
  if (!call) return null;
  const id = reader.read(path, call, 'id', STRING);
  const type = reader.read(path, call, 'type', STRING) ?? 'unknown';
  if (type === 'function') {
    const fn = reader.read(path, call, 'function', objectSchema) ?? {};
    return {
      type: 'function',
      id,
      name: reader.read(`${path}.function`, fn, 'name', STRING),
      arguments: reader.read(`${path}.function`, fn, 'arguments', STRING),
      output: reader.read(`${path}.function`, fn, 'output', nullableString),
    };
  }
  if (type === 'code_interpreter') {
    const code = reader.read(path, call, 'code_interpreter', objectSchema) ?? {};
    const outputs = reader.read(`${path}.code_interpreter`, code, 'outputs', UNKNOWN_LIST) ?? [];
    return {
      type: 'code_interpreter',
      id,
      input: reader.read(`${path}.code_interpreter`, code, 'input', STRING),
      outputs: outputs
        .map((output, index) => normalizeCodeOutput(reader, `${path}.code_interpreter.outputs.${index}`, output))
        .filter((output): output is CodeInterpreterOutput => output !== null),
    };
  }
  if (type === 'file_search') {
    const search = reader.read(path, call, 'file_search', objectSchema) ?? {};
    const results = reader.read(`${path}.file_search`, search, 'results', UNKNOWN_LIST);
    return {type: 'file_search', id, resultCount: results ? results.length : null};
  }
  return {type: 'other', id, toolType: type, raw: value};
}

/**
 * Turns a run step object into a `RunStep`. Never throws; `fallbackId` names a step without an id.
 */
export function normalizeRunStep(raw: Record<string, unknown>, fallbackId = '(no id)', source?: SourceLocation): RunStep {
  const reader = new Reader();
  const id = reader.id(raw);
  const usage = reader.read('', raw, 'usage', OBJECT_OR_NULL);
  const lastError = reader.read('', raw, 'last_error', OBJECT_OR_NULL);
  const details = reader.read('', raw, 'step_details', OBJECT_OR_NULL);
  const type = reader.read('', raw, 'type', STRING) ?? (details ? reader.read('step_details', details, 'type', STRING) : null) ?? 'unknown';

  let messageId: string | null = null;
  const toolCalls: StepToolCall[] = [];
  if (details) {
    const creation = reader.read('step_details', details, 'message_creation', objectSchema);
    if (creation) messageId = reader.read('step_details.message_creation', creation, 'message_id', STRING);
    const calls = reader.read('step_details', details, 'tool_calls', UNKNOWN_LIST) ?? [];
    calls.forEach((call, index) => {
      const normalized = normalizeToolCall(reader, `step_details.tool_calls.${index}`, call);
      if (normalized) toolCalls.push(normalized);
    });
  }

  return reader.finish<RunStep>({
    id: id ?? fallbackId,
    type,
    status: reader.read('', raw, 'status', STRING) ?? 'unknown',
    runId: reader.read('', raw, 'run_id', nullableString),
    threadId: reader.read('', raw, 'thread_id', nullableString),
    assistantId: reader.read('', raw, 'assistant_id', nullableString),
    createdAt: reader.read('', raw, 'created_at', timestamp),
    completedAt: reader.read('', raw, 'completed_at', timestamp),
    failedAt: reader.read('', raw, 'failed_at', timestamp),
    cancelledAt: reader.read('', raw, 'cancelled_at', timestamp),
    expiredAt: reader.read('', raw, 'expired_at', timestamp),
    usage: usage
      ? {
          promptTokens: reader.read('usage', usage, 'prompt_tokens', NUMBER_OR_NULL),
          completionTokens: reader.read('usage', usage, 'completion_tokens', NUMBER_OR_NULL),
          totalTokens: reader.read('usage', usage, 'total_tokens', NUMBER_OR_NULL),
        }
      : null,
    lastError: lastError
      ? {
          code: reader.read('last_error', lastError, 'code', nullableString),
          message: reader.read('last_error', lastError, 'message', nullableString),
        }
      : null,
    messageId,
    toolCalls,
  }, raw, source);
}
