/**
 * Field-by-field reading of the objects that sit beside runs (run steps, thread messages): each
 * field checked with zod (built on first use, see zodOnUse.ts), a field of the wrong type left out and recorded as a FieldProblem with
 * its dotted path, so one bad field never hides the rest. Runs have their own, richer reader
 * (normalize.ts: cut fields, other spellings); these objects need only this much.
 */
import type {ZodType} from 'zod';
import type {FieldProblem, SourceLocation} from './run.js';
import {onUse, type OnUse} from './zodOnUse.js';

// Schemas built once: a zod schema costs more to build than to check a value with, and a thread's
// messages (300,000 in the bench) would build several each.
/** A Unix time in seconds, or null. */
export const timestamp = onUse((z) => z.number().min(0, 'negative timestamp').nullable());
export const nullableString = onUse((z) => z.string().nullable());
export const objectSchema = onUse((z) => z.record(z.string(), z.unknown()));
// Built once: a zod schema costs more to build than to check a value with.
export const stringSchema = onUse((z) => z.string());
export const numberSchema = onUse((z) => z.number());
export const unknownList = onUse((z) => z.array(z.unknown()));
export const unknownListOrNull = onUse(() => unknownList.zod.nullable());
export const objectOrNull = onUse(() => objectSchema.zod.nullable());
export const numberOrNull = onUse(() => numberSchema.zod.nullable());

const isRecord = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What the shared schemas above accept, as plain tests: a value that passes is taken as it is,
 * and only one that fails goes to zod, for its message. zod's own checks were most of the time
 * spent normalizing 300,000 messages, nearly all of them on values that were fine.
 */
const ACCEPTS = new Map<OnUse<ZodType>, (value: unknown) => boolean>([
  [timestamp, (value) => value === null || (typeof value === 'number' && Number.isFinite(value) && value >= 0)],
  [nullableString, (value) => value === null || typeof value === 'string'],
  [stringSchema, (value) => typeof value === 'string'],
  [numberSchema, (value) => typeof value === 'number' && Number.isFinite(value)],
  [numberOrNull, (value) => value === null || (typeof value === 'number' && Number.isFinite(value))],
  [objectSchema, isRecord],
  [objectOrNull, (value) => value === null || isRecord(value)],
  [unknownList, Array.isArray],
  [unknownListOrNull, (value) => value === null || Array.isArray(value)],
]);

/** What every item read beside runs ends with: the object as read, what did not fit, and where it was read. */
export interface ItemTail {
  raw: Record<string, unknown>;
  problems: FieldProblem[];
  /** Where it was read, when that is known (a file's line, a stream, the API). */
  source?: SourceLocation;
}

export class ObjectReader {
  readonly problems: FieldProblem[] = [];

  /** `object[field]` checked with `schema`; null (and a problem) when present but wrong. */
  read<T>(path: string, object: Record<string, unknown>, field: string, schema: OnUse<ZodType<T>>): T | null {
    const value = object[field];
    if (value === undefined || !Object.hasOwn(object, field)) return null;
    if (ACCEPTS.get(schema)?.(value)) return value as T;
    const result = schema.zod.safeParse(value);
    if (result.success) return result.data;
    const where = path ? `${path}.${field}` : field;
    for (const issue of result.error.issues) {
      this.problems.push({field: [where, ...issue.path.map(String)].join('.'), message: issue.message});
    }
    return null;
  }

  /** `value` as an object, or null with the problem "expected an object" at `path`. */
  object(path: string, value: unknown): Record<string, unknown> | null {
    if (isRecord(value)) return value as Record<string, unknown>;
    const check = objectSchema.zod.safeParse(value);
    if (check.success) return check.data;
    this.problems.push({field: path, message: 'expected an object'});
    return null;
  }

  /** The object's `id`, a problem when it is missing. */
  id(raw: Record<string, unknown>): string | null {
    const id = this.read('', raw, 'id', stringSchema);
    if (!Object.hasOwn(raw, 'id')) this.problems.push({field: 'id', message: 'missing'});
    return id;
  }

  /**
   * `item` with the shared last fields: `raw`, the problems read so far, and `source` when there
   * is one. Set on the item rather than spread into a copy of it: 300,000 messages paid for the copies.
   */
  finish<T extends ItemTail>(item: Omit<T, keyof ItemTail>, raw: Record<string, unknown>, source: SourceLocation | undefined): T {
    const done = item as T;
    done.raw = raw;
    done.problems = this.problems;
    if (source) done.source = source;
    return done;
  }
}
