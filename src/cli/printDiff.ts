/**
 * `runlens diff RUN_A RUN_B`: the two runs compared, as text (side by side on a wide terminal,
 * unified when narrow or piped narrower than 100 columns) or `--json`; the exit status as diff(1)'s.
 */
import type {ModelMap} from '../model/cost.js';
import {safeInline, safeJson} from '../format/sanitize.js';
import type {Run} from '../model/run.js';
import {lineToText} from '../panes/ansi.js';
import {compareRuns, comparisonContent, comparisonJson} from '../panes/compare.js';
import {EXIT_FAILURE, EXIT_OK, EXIT_USAGE} from './args.js';
import type {PrintTarget} from './printRuns.js';
import {paneLines} from './paneText.js';

/** Prints the comparison of runs `idA` and `idB` of `runs`; 0 same, 1 different, 2 when a run is not there. */
export function printDiff(
  runs: readonly Run[],
  ids: {a: string; b: string},
  target: PrintTarget,
  options: {json: boolean; nowSeconds: number; ascii: boolean; sources: readonly string[]; stderr: {write(text: string): unknown}; modelMap?: ModelMap | undefined},
): number {
  const find = (id: string) => runs.find((run) => run.id === id);
  const a = find(ids.a);
  const b = find(ids.b);
  for (const [id, run] of [[ids.a, a], [ids.b, b]] as const) {
    if (!run) options.stderr.write(`runlens: no run with id '${safeInline(id)}' in ${options.sources.map(safeInline).join(', ')}\n`);
  }
  if (!a || !b) return EXIT_USAGE;
  const comparison = compareRuns(a, b, options.nowSeconds, options.modelMap);
  if (options.json) {
    target.write(`${safeJson(comparisonJson(comparison), 2)}\n`);
  } else {
    const width = target.isTerminal ? target.columns : 100;
    const lines = paneLines(comparisonContent(comparison, width), width, options.ascii);
    target.write(`${lines.map((line) => lineToText(line, target.color).trimEnd()).join('\n')}\n`);
  }
  return comparison.same ? EXIT_OK : EXIT_FAILURE;
}
