/**
 * Compiles function `parameters` schemas with ajv and turns its errors into one-line messages.
 *
 * Schemas are compiled once per distinct schema: a WeakMap keyed by the schema object is the fast
 * path, and a bounded Map keyed by the schema's JSON text shares compiled validators between runs
 * that were parsed separately (every run read from disk has its own copy of the same tools).
 */
import {createRequire} from 'node:module';
import type {Ajv, ErrorObject, Options, ValidateFunction} from 'ajv';
import type {Ajv2019} from 'ajv/dist/2019.js';
import type {Ajv2020} from 'ajv/dist/2020.js';

/** A compiled schema, or why it could not be compiled. */
export type CompiledSchema =
  | {ok: true; validate: ValidateFunction; notes: string[]}
  | {ok: false; error: string; notes: string[]};

type Dialect = 'draft-07' | '2019-09' | '2020-12';

const AJV_OPTIONS: Options = {
  allErrors: true,
  // Schemas from the wild use unknown keywords, odd formats and loose types: compile them anyway.
  strict: false,
  // ajv-formats is not a dependency: without it every `format` would be unknown; ignore them.
  validateFormats: false,
  // Never write to the console: it would tear the terminal UI.
  logger: false,
  // Two tools with the same `$id` (or one tool edited between runs) must not collide.
  addUsedSchema: false,
};

/**
 * ajv's class for each dialect, loaded when the first schema is compiled: setting up ajv's modules
 * took ~45 ms of every start-up, and opening files needs none of it. `require`, not `import()`,
 * because checks are synchronous (a pane checks tool calls as it is built). In the bundle each
 * `require` reads `lazy/ajv.cjs`, ajv bundled on its own (build.mjs), so that its code is not even
 * compiled at start; run from source, it is Node's (tsx's ESM has none: then one made for this file).
 */
function ajvClass(dialect: Dialect): new (options: Options) => Ajv {
  const fromSource = typeof require === 'function' ? null : createRequire(import.meta.url);
  if (dialect === '2020-12') return (fromSource ? fromSource('ajv/dist/2020.js') : require('ajv/dist/2020.js')).Ajv2020 as typeof Ajv2020;
  if (dialect === '2019-09') return (fromSource ? fromSource('ajv/dist/2019.js') : require('ajv/dist/2019.js')).Ajv2019 as typeof Ajv2019;
  return (fromSource ? fromSource('ajv') : require('ajv')).Ajv as typeof Ajv;
}

const instances = new Map<Dialect, Ajv>();

function ajvFor(dialect: Dialect): Ajv {
  let instance = instances.get(dialect);
  if (!instance) {
    instance = new (ajvClass(dialect))(AJV_OPTIONS);
    instances.set(dialect, instance);
  }
  return instance;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The ajv class for a `$schema` URI, or null when ajv has no meta-schema for it (draft-04, -06, custom). */
function dialectOf(schemaUri: string): Dialect | null {
  if (schemaUri.includes('2020-12')) return '2020-12';
  if (schemaUri.includes('2019-09')) return '2019-09';
  if (schemaUri.includes('draft-07')) return 'draft-07';
  return null;
}

const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'] as const;
const SCHEMA_KEYWORDS = [
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
] as const;
const SCHEMA_LIST_KEYWORDS = ['anyOf', 'allOf', 'oneOf', 'prefixItems'] as const;

function isObjectSchema(schema: Record<string, unknown>): boolean {
  const type = schema['type'];
  if (type === 'object') return true;
  if (Array.isArray(type)) return type.includes('object');
  return type === undefined && isRecord(schema['properties']);
}

/**
 * The schema as OpenAI's structured outputs (`strict: true`) enforce it: every object schema that
 * does not say otherwise gets `additionalProperties: false`, and every listed property is required.
 * Returns a new schema; the input (the run's own data) is never modified.
 */
export function toStrictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toStrictSchema);
  if (!isRecord(schema)) return schema;
  const out: Record<string, unknown> = {...schema};
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const value = schema[keyword];
    if (isRecord(value)) {
      const mapped: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(value)) mapped[key] = toStrictSchema(sub);
      out[keyword] = mapped;
    }
  }
  for (const keyword of SCHEMA_KEYWORDS) {
    const value = schema[keyword];
    if (typeof value === 'object' && value !== null) out[keyword] = toStrictSchema(value);
  }
  for (const keyword of SCHEMA_LIST_KEYWORDS) {
    const value = schema[keyword];
    if (Array.isArray(value)) out[keyword] = value.map(toStrictSchema);
  }
  if (isObjectSchema(schema)) {
    if (!('additionalProperties' in schema)) out['additionalProperties'] = false;
    const properties = schema['properties'];
    if (isRecord(properties)) {
      const required = Array.isArray(schema['required']) ? [...(schema['required'] as unknown[])] : [];
      for (const key of Object.keys(properties)) if (!required.includes(key)) required.push(key);
      out['required'] = required;
    }
  }
  return out;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function compileUncached(schema: unknown, strict: boolean): CompiledSchema {
  const notes: string[] = [];
  if (!isRecord(schema) && typeof schema !== 'boolean') {
    const kind = schema === null ? 'null' : Array.isArray(schema) ? 'an array' : `a ${typeof schema}`;
    return {ok: false, error: `parameters is ${kind}, not a JSON Schema object`, notes};
  }
  let effective: unknown = strict ? toStrictSchema(schema) : schema;
  let dialect: Dialect = 'draft-07';
  if (isRecord(effective) && typeof effective['$schema'] === 'string') {
    const uri = effective['$schema'];
    const known = dialectOf(uri);
    if (known) {
      dialect = known;
    } else {
      // ajv cannot load draft-04/06 meta-schemas by name; their keywords are close enough to check.
      const {$schema: _dropped, ...rest} = effective;
      effective = rest;
      notes.push(`$schema '${uri}' is not supported; checked as draft-07`);
    }
  }
  const ajv = ajvFor(dialect);
  try {
    return {ok: true, validate: ajv.compile(effective as Record<string, unknown> | boolean), notes};
  } catch (error) {
    return {ok: false, error: errorMessage(error), notes};
  } finally {
    // ajv keeps every compiled schema object in its own cache; we keep ours, so let ajv forget it.
    if (typeof effective === 'object' && effective !== null) {
      try {
        ajv.removeSchema(effective as Record<string, unknown>);
      } catch {
        // Nothing to forget.
      }
    }
  }
}

const byObject = new WeakMap<object, {plain?: CompiledSchema; strict?: CompiledSchema}>();
const byText = new Map<string, CompiledSchema>();
/** Distinct schema texts remembered; beyond this the oldest are forgotten (and recompiled if seen again). */
const MAX_TEXT_ENTRIES = 2000;

/** Compiles `schema` (as OpenAI strict mode sees it when `strict`), memoized. Never throws. */
export function compileSchema(schema: unknown, strict: boolean): CompiledSchema {
  const slot = strict ? 'strict' : 'plain';
  const isObject = typeof schema === 'object' && schema !== null;
  let entry = isObject ? byObject.get(schema) : undefined;
  const cached = entry?.[slot];
  if (cached) return cached;

  let text: string | undefined;
  try {
    text = `${slot}:${JSON.stringify(schema)}`;
  } catch {
    text = undefined; // circular or BigInt: not from JSON, compile it on its own
  }
  let compiled = text === undefined ? undefined : byText.get(text);
  if (!compiled) {
    compiled = compileUncached(schema, strict);
    if (text !== undefined) {
      if (byText.size >= MAX_TEXT_ENTRIES) {
        const oldest = byText.keys().next();
        if (!oldest.done) byText.delete(oldest.value);
      }
      byText.set(text, compiled);
    }
  }
  if (isObject) {
    if (!entry) {
      entry = {};
      byObject.set(schema, entry);
    }
    entry[slot] = compiled;
  }
  return compiled;
}

/** Escapes one JSON Pointer segment (RFC 6901). */
function pointerSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

/**
 * One line per ajv error, led by the JSON Pointer of the offending value:
 * `missing required property 'city'`, `/unit must be one of celsius, fahrenheit`,
 * `/days must be integer`, `/extra is not allowed (additionalProperties)`.
 */
function formatSchemaError(error: ErrorObject): string {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  const subject = at === '' ? 'arguments' : at;
  switch (error.keyword) {
    case 'required': {
      const missing = `missing required property '${String(params['missingProperty'])}'`;
      return at === '' ? missing : `${at} ${missing}`;
    }
    case 'additionalProperties':
      return `${at}/${pointerSegment(String(params['additionalProperty']))} is not allowed (additionalProperties)`;
    case 'unevaluatedProperties':
      return `${at}/${pointerSegment(String(params['unevaluatedProperty']))} is not allowed (unevaluatedProperties)`;
    case 'enum': {
      const allowed = Array.isArray(params['allowedValues']) ? params['allowedValues'] : [];
      return `${subject} must be one of ${allowed.map(describeValue).join(', ')}`;
    }
    case 'const':
      return `${subject} must be ${JSON.stringify(params['allowedValue'])}`;
    default:
      return `${subject} ${error.message ?? `fails '${error.keyword}'`}`;
  }
}

/** Runs a compiled validator and returns its violations (empty when the value matches). */
export function validateWith(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  const messages: string[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const message = formatSchemaError(error);
    if (!seen.has(message)) {
      seen.add(message);
      messages.push(message);
    }
  }
  return messages;
}
