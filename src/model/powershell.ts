/**
 * What PowerShell does to a run on its way to a file, and how much of it can be undone. Pure.
 *
 * - **PascalCase keys.** Objects built in PowerShell with .NET-style names (`Id`, `CreatedAt`,
 *   `RequiredAction.SubmitToolOutputs.ToolCalls`, the generated client's `VarFunction` for the
 *   reserved word `function`) are read with the API's snake_case names. Only the run's own
 *   documented structure is renamed: free-form objects (`metadata`, a function's `parameters`,
 *   `response_format.json_schema.schema`) are data whose keys mean what they say.
 * - **ConvertTo-Json's depth.** Past `-Depth` (2 unless given) an object or array is written as a
 *   string: a hashtable as its type name `System.Collections.Hashtable`, a PSCustomObject as
 *   `@{name=lookup_order; arguments=...}` (whose own objects are empty, `function=`, and arrays
 *   `System.Object[]`), an array as its items' texts joined by spaces (a PSCustomObject's text is
 *   empty, so two of them give " "). What was there is gone: such a field is reported as cut,
 *   never read as empty.
 *
 * Windows PowerShell 5.1 also writes files as UTF-16 with a byte order mark (`Out-File`, `>`) and
 * puts two spaces after each colon; the loader decodes the one and JSON ignores the other.
 */

import type {ToolDefinition} from './run.js';

/** What to say about a cut field: the export that wrote it can be run again deeper. */
export const DEPTH_ADVICE = 'export again with ConvertTo-Json -Depth 10';

/**
 * Objects whose keys are field names of the run, by path in the API's names (`[]`: each item of
 * an array). Anything else (free-form objects, fields the API does not document) keeps its keys.
 */
const DOCUMENTED_OBJECTS: ReadonlySet<string> = new Set([
  '',
  'required_action',
  'required_action.submit_tool_outputs',
  'required_action.submit_tool_outputs.tool_calls[]',
  'required_action.submit_tool_outputs.tool_calls[].function',
  'tools[]',
  'tools[].function',
  'tools[].file_search',
  'tools[].file_search.ranking_options',
  'usage',
  'last_error',
  'incomplete_details',
  'truncation_strategy',
  'tool_resources',
  'tool_resources.code_interpreter',
  'tool_resources.file_search',
  'tool_choice',
  'tool_choice.function',
  'response_format',
  'response_format.json_schema',
]);

/**
 * openapi-generator's PowerShell client escapes PowerShell's reserved words with `Var`: the
 * spec's `function` is its `VarFunction`, a list's `data` its `VarData`.
 */
const VAR_ESCAPED: ReadonlyMap<string, string> = new Map([
  ['VarFunction', 'function'],
  ['VarData', 'data'],
]);

/** `CreatedAt` → `created_at`, `FileIds` → `file_ids`, `ThreadID` → `thread_id`; snake_case keys stay as they are. */
export function snakeCaseKey(key: string): string {
  const escaped = VAR_ESCAPED.get(key);
  if (escaped) return escaped;
  if (!/[A-Z]/.test(key)) return key;
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Whether an object names its fields in PascalCase: `Id` or `Object`, and neither `id` nor `object`. */
export function isPascalCaseObject(value: Record<string, unknown>): boolean {
  return !Object.hasOwn(value, 'id') && !Object.hasOwn(value, 'object') && (Object.hasOwn(value, 'Id') || Object.hasOwn(value, 'Object'));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty: assigning to `__proto__` would not create the key.
  Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true});
}

function renameAt(value: unknown, path: string): unknown {
  if (Array.isArray(value)) {
    const itemPath = `${path}[]`;
    return DOCUMENTED_OBJECTS.has(itemPath) ? value.map((item) => renameAt(item, itemPath)) : value;
  }
  if (!isPlainObject(value) || !DOCUMENTED_OBJECTS.has(path)) return value;
  const renamed: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const snake = snakeCaseKey(key);
    // A key already written in snake_case wins; the other one keeps its name (shown as an extra field).
    const name = snake !== key && Object.hasOwn(value, snake) ? key : snake;
    setKey(renamed, name, renameAt(child, path === '' ? name : `${path}.${name}`));
  }
  return renamed;
}

/**
 * A copy of a PascalCase run (see `isPascalCaseObject`) with the run's own keys in the API's
 * names; free-form values are the same objects as read. The walk follows the documented
 * structure only, so it is a few levels deep whatever the input holds.
 */
export function renamePascalCase(run: Record<string, unknown>): Record<string, unknown> {
  return renameAt(run, '') as Record<string, unknown>;
}

/**
 * .NET type names, as ConvertTo-Json writes a hashtable or an array past its depth
 * (`System.Collections.Hashtable`, `System.Object[]`, ``System.Collections.Generic.List`1[System.Object]``),
 * several joined by spaces for an array of them.
 */
const TYPE_NAMES = /^System\.[\w.`]+(?:\[[^\]]*\])*(?: System\.[\w.`]+(?:\[[^\]]*\])*)*$/;
/** A PSCustomObject past the depth: `@{type=function; function=}`. */
const CUSTOM_OBJECT = /^@\{[\s\S]*\}$/;

/** What a field holds when whole: an object, an array, or (tool_choice, response_format) a string or an object. */
export type CutShape = 'object' | 'array' | 'string-or-object';

/**
 * Whether `value` is what ConvertTo-Json writes in place of an object or array of that shape past
 * its depth. Blank text counts only where a string has no meaning of its own: an empty
 * PSCustomObject writes "", and an array of them one "" per item, joined by spaces.
 */
export function isDepthCut(value: unknown, shape: CutShape): value is string {
  if (typeof value !== 'string') return false;
  if (value.startsWith('System.') ? TYPE_NAMES.test(value) : CUSTOM_OBJECT.test(value)) return true;
  return shape !== 'string-or-object' && /^ *$/.test(value);
}

/**
 * Whether a free-form value (a function's parameters) holds a part that the export cut: a string
 * that is a .NET type name or a PSCustomObject's text. Walks with its own stack, so a deeply
 * nested schema cannot overflow the call stack.
 */
export function holdsDepthCut(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (isDepthCut(next, 'string-or-object')) return true;
    } else if (Array.isArray(next)) {
      for (const item of next) pending.push(item);
    } else if (isPlainObject(next)) {
      for (const key in next) if (Object.hasOwn(next, key)) pending.push(next[key]);
    }
  }
  return false;
}

const schemaCuts = new WeakMap<object, boolean>();

/**
 * Whether an export cut a tool short: the function itself, or a part of its schema (a
 * `-Depth 3` or `4` export leaves `"properties": "@{order_id=; ...}"`). The schema is walked
 * the first time it is asked about, not while every run is read.
 */
export function isToolCut(tool: Pick<ToolDefinition, 'cut' | 'parameters'>): boolean {
  if (tool.cut) return true;
  const schema = tool.parameters;
  if (typeof schema !== 'object' || schema === null) return false;
  let cut = schemaCuts.get(schema);
  if (cut === undefined) schemaCuts.set(schema, (cut = holdsDepthCut(schema)));
  return cut;
}

/**
 * One property of a cut PSCustomObject, as its text shows it, when it is a plain word:
 * `@{type=function; function=}` gives `function` for `type`. Longer values (a message, arguments)
 * may hold `; ` themselves and are not read back.
 */
export function cutProperty(text: string, name: string): string | null {
  const match = new RegExp(`(?:^@\\{|; )${name}=([A-Za-z0-9_.:-]{1,64})(?=; |\\}$)`, 'i').exec(text);
  return match?.[1] ?? null;
}

/** The text an export left in place of a field, for a message: quoted, or what blank text stood for. */
export function describeCutText(text: string): string {
  if (text === '') return '"" (what ConvertTo-Json writes for an empty object, or an array of one object)';
  if (text.trim() === '') return `${JSON.stringify(text)} (what ConvertTo-Json writes for an array of ${text.length + 1} objects)`;
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 79)}…` : text);
}
