/**
 * What makes an object a list of runs: decided here once, for the whole-document parse
 * (`collectRuns`) and for the item-by-item reader (JsonArrayReader), which asks the same question
 * of an envelope whose keys it has read so far (short strings as they are, arrays as `[]`).
 */
import {looksLikeRun} from '../model/normalize.js';
import {isPascalCaseObject, snakeCaseKey} from '../model/powershell.js';

/** Where a list keeps its items, and what to say about its shape. */
export interface ListShape {
  /** The key its items are under, as written: `data`, `Data`, `runs`. */
  key: string;
  /** That key as the items' labels name it (`data[3]`, `runs[3]`): the API's name. */
  label: string;
  /** What to say about a shape the API does not write, or null. */
  warning: string | null;
}

function shape(key: string, warning: string | null): ListShape {
  return {key, label: snakeCaseKey(key), warning};
}

/**
 * The list an object is, if it is one: `{"object":"list","data":[...]}` (PascalCase too,
 * `{"Object":"list","Data":[...]}`), a cursor page without `object` (`{"data":[...],"first_id":…,
 * "last_id":…,"has_more":…}`, as Azure AI Foundry's SDKs save a page: a known shape, no warning),
 * or, with a warning, a bare `{"data":[...]}` or `{"runs":[...]}`. Null for anything else, a run
 * above all. An object that says it is a list is one even when its items are not an array (the
 * caller says so).
 */
export function listShape(record: Record<string, unknown>): ListShape | null {
  if (looksLikeRun(record)) return null;
  const pascal = isPascalCaseObject(record);
  const object = record[pascal ? 'Object' : 'object'];
  if (object === 'list') return shape(pascal ? 'Data' : 'data', null);
  if (object !== undefined && object !== null && object !== '') return null;
  if (Array.isArray(record['data'])) {
    const cursorPage = 'first_id' in record || 'last_id' in record || 'has_more' in record;
    return shape('data', cursorPage ? null : '{"data": [...]} without "object": "list"; read as a list');
  }
  if (Array.isArray(record['runs'])) return shape('runs', '{"runs": [...]} read as a list of runs');
  return null;
}

/**
 * What `listShape` says of an object of which only some keys are known yet, when no key still
 * to come can change it; undefined while one could. That is so once a snake_case `object` names
 * a type: then the object is not PascalCase, is a run only for `thread.run`, and is a list only
 * for `list`, whatever else it holds. Any other envelope is known only when it closes.
 */
export function settledListShape(keysSoFar: Record<string, unknown>): ListShape | null | undefined {
  const object = keysSoFar['object'];
  return typeof object === 'string' && object !== '' ? listShape(keysSoFar) : undefined;
}
