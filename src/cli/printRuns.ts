/**
 * Print mode, like `gh run list`: an aligned table on a terminal, tab-separated values without a
 * header when piped, JSON with --json.
 */
import {lineToText, toneText} from '../panes/ansi.js';
import {cellFor, COLUMN_GAP, fitCell, layoutColumns, measureContent} from '../format/runColumns.js';
import {safeInline} from '../format/sanitize.js';
import {formatRfc3339, type TimeOptions} from '../format/time.js';
import {runKind, type Run} from '../model/run.js';
import type {Line} from '../panes/content.js';
import {runDurationSeconds} from '../model/runFacts.js';
import {runNote} from '../format/runColumns.js';
import {NO_MODEL_MAP, runCost, type ModelMap} from '../model/cost.js';
import {JSON_ARRAY, jsonArrayElement} from './jsonArray.js';

export interface PrintTarget {
  write: (text: string) => void;
  /** A terminal: a table and relative times; otherwise TSV and RFC 3339 times. */
  isTerminal: boolean;
  color: boolean;
  columns: number;
}

function tsvField(text: string): string {
  // safeInline already turns tabs and newlines into visible escapes, so fields never split.
  return safeInline(text);
}

/** The estimated cost in US dollars as a plain number (`0.016500`), for sums; empty when there is no price (never 0). */
function tsvCost(run: Run, modelMap: ModelMap): string {
  const estimate = runCost(run, modelMap);
  return estimate.kind === 'priced' ? estimate.total.toFixed(6) : '';
}

/**
 * One run as a piped `list` line: id, status, model, thread_id, created_at, started_at, ended_at,
 * duration_s, total_tokens, note, kind, cost_usd.
 */
export function runToTsv(run: Run, nowSeconds: number, time: TimeOptions, rounds = 0, modelMap: ModelMap = NO_MODEL_MAP): string {
  const when = (seconds: number | null) => (seconds === null ? '' : formatRfc3339(seconds, time));
  const duration = runDurationSeconds(run, nowSeconds);
  return [
    run.id,
    run.status,
    run.model ?? '',
    run.threadId ?? '',
    when(run.createdAt),
    when(run.startedAt),
    when(run.endedAt),
    duration === null ? '' : String(duration),
    run.usage?.totalTokens === null || run.usage?.totalTokens === undefined ? '' : String(run.usage.totalTokens),
    runNote(run, nowSeconds, rounds).text,
    // Added after the columns before them, so scripts reading those by place read them as before.
    runKind(run),
    tsvCost(run, modelMap),
  ]
    .map(tsvField)
    .join('\t');
}

/** Prints the runs as a table, TSV or JSON. */
export function printRunList(
  runs: readonly Run[],
  target: PrintTarget,
  options: {json: boolean; nowSeconds: number; time: TimeOptions; ascii: boolean; rounds?: ReadonlyMap<string, number>; modelMap?: ModelMap | undefined},
): void {
  const roundsOf = (run: Run) => options.rounds?.get(run.id) ?? 0;
  if (options.json) {
    target.write(runs.length === 0 ? JSON_ARRAY.empty : `${JSON_ARRAY.open}${runs.map((run) => jsonArrayElement(run)).join(JSON_ARRAY.separator)}${JSON_ARRAY.close}`);
    return;
  }
  if (!target.isTerminal) {
    let chunk = '';
    for (const run of runs) {
      chunk += `${runToTsv(run, options.nowSeconds, options.time, roundsOf(run), options.modelMap)}\n`;
      if (chunk.length > 65_536) {
        target.write(chunk);
        chunk = '';
      }
    }
    if (chunk) target.write(chunk);
    return;
  }
  if (runs.length === 0) {
    target.write('No runs match.\n');
    return;
  }
  const columns = layoutColumns(target.columns, measureContent(runs, options.modelMap));
  const gap = ' '.repeat(COLUMN_GAP);
  const header = columns.map((column) => fitCell(column.header, column.size, column.align)).join(gap).trimEnd();
  let out = `${toneText(header, 'strong', target.color)}\n`;
  for (const run of runs) {
    const line: Line = [];
    columns.forEach((column, index) => {
      const cell = cellFor(run, column.key, options.nowSeconds, options.ascii, roundsOf(run), options.modelMap);
      const text = fitCell(cell.text, column.size, column.align, options.ascii);
      line.push({text: (index > 0 ? gap : '') + (index === columns.length - 1 ? text.trimEnd() : text), tone: cell.tone});
    });
    out += `${lineToText(line, target.color)}\n`;
    if (out.length > 65_536) {
      target.write(out);
      out = '';
    }
  }
  target.write(out);
}
