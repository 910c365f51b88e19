/**
 * Kinds of source (see SourceKind): a command-line source is told apart here, and what a parse of
 * stdin, a URL or an API page found is marked with its kind, so nothing above tests a label's spelling.
 */
import {SIDE_KINDS, type ParsedItems} from '../model/itemKinds.js';
import type {SourceLocation} from '../model/run.js';

/** Whether a command-line source is a URL rather than a path (kept apart so checking never loads the HTTP code). */
export function isUrlSource(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/**
 * Marks where everything in `items` was read as `kind` (parsers name only the label and line),
 * and returns `items`. Only for what is not a file: a file's items stay unmarked (see SourceLocation).
 */
export function markSourceKind(items: ParsedItems, kind: NonNullable<SourceLocation['kind']>): ParsedItems {
  for (const run of items.runs) run.source = {kind, ...run.source};
  for (const {key} of SIDE_KINDS) {
    for (const item of items[key] ?? []) if (item.source) item.source = {kind, ...item.source};
  }
  return items;
}
