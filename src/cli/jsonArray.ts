/**
 * `list --json`'s array, written an element at a time (print mode streams it as runs are found):
 * byte for byte what `JSON.stringify(runs, null, 2)` of the whole list would be, made safe for a
 * terminal. A module of its own so that `list --json` loads neither the table nor the TSV fields
 * (their columns, times and costs).
 */
import {safeJson} from '../format/sanitize.js';
import type {Run} from '../model/run.js';
import {wholeRun} from '../sources/itemBodies.js';

/** How the `--json` array opens before its first element, separates elements, and closes. */
export const JSON_ARRAY = {open: '[\n', separator: ',\n', close: '\n]\n', empty: '[]\n'} as const;

/**
 * One run as an element of the `--json` array, indented as `JSON.stringify(runs, null, 2)` would
 * indent it. `plain`: the run was read from a line of ASCII without DEL or a `\u` escape, so its
 * text holds nothing safeJson would escape, and its search of the output is skipped (a sixth of
 * the time `list --status requires_action --json` spent writing).
 */
export function jsonArrayElement(run: Run, plain = false): string {
  // Serialized inside a one-element array, the element comes out indented as it is in the list.
  // A run kept small (a copy held for its later ones) is printed with its body, read back.
  const raw = [wholeRun(run).raw];
  return (plain ? JSON.stringify(raw, null, 2) : safeJson(raw, 2)).slice('[\n'.length, -'\n]'.length);
}
