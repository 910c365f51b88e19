/** `runlens stuck`: one row per run waiting for tool outputs (and stalled runs on request). */
import {lineToText, toneText} from '../panes/ansi.js';
import {cutToWidth} from '../format/runColumns.js';
import {safeInline, safeJson} from '../format/sanitize.js';
import {formatDuration, formatRfc3339, type TimeOptions} from '../format/time.js';
import type {Line} from '../panes/content.js';
import {matchesQuery, searchTerms} from '../store/listView.js';
import type {ListQuery} from '../model/listQuery.js';
import {findStuckRuns, type StuckRun} from '../triage/stuck.js';
import {checkToolCalls} from '../triage/toolCallChecks.js';
import {continuingResponseBody, submitToolOutputsBody} from '../triage/unstick.js';
import type {PrintTarget} from './printRuns.js';

export interface StuckPrintOptions {
  json: boolean;
  nowSeconds: number;
  time: TimeOptions;
  ascii: boolean;
  olderThanSeconds: number | null;
  includeStalled: boolean;
  /** The list filters (--status, --model, --search) apply here too. */
  query: ListQuery;
  limit: number | null;
}

function expiryText(stuck: StuckRun): string {
  if (stuck.expiresInSeconds === null) return '';
  if (stuck.expiresInSeconds > 0) return `in ${formatDuration(stuck.expiresInSeconds)}`;
  // The table's colour already marks an expired wait; the words stay short so the calls keep their room.
  return `${stuck.expiredWhileWaiting ? 'expired ' : ''}${formatDuration(-stuck.expiresInSeconds)} ago`;
}

function stuckJson(stuck: StuckRun, options: StuckPrintOptions) {
  const {run} = stuck;
  return {
    id: run.id,
    thread_id: run.threadId,
    status: run.status,
    kind: stuck.kind,
    waiting_seconds: stuck.waitingSeconds,
    expires_at: run.expiresAt === null ? null : formatRfc3339(run.expiresAt, options.time),
    expires_in_seconds: stuck.expiresInSeconds,
    expired_while_waiting: stuck.expiredWhileWaiting,
    pending_functions: stuck.pendingFunctions,
    problems: stuck.problems,
    tool_calls: checkToolCalls(run).map((report) => ({
      id: report.call.id,
      function: report.call.functionName,
      arguments: report.call.arguments,
      ok: report.ok,
      checks: report.checks.map((check) => ({name: check.name, ok: check.ok, details: check.details})),
    })),
    submit_tool_outputs: submitToolOutputsBody(run),
    ...(run.kind === 'response' ? {kind: 'response', continuing_request: continuingResponseBody(run)} : {}),
  };
}

/** Prints the stuck runs; returns how many there are (for --exit-status). */
export function printStuckRuns(runs: Parameters<typeof findStuckRuns>[0], target: PrintTarget, options: StuckPrintOptions): number {
  const terms = searchTerms(options.query.search);
  const filtered = runs.filter((run) => matchesQuery(run, {...options.query, stuck: 'off'}, options.nowSeconds, terms));
  let stuck = findStuckRuns(filtered, options.nowSeconds, {
    includeStalled: options.includeStalled,
    ...(options.olderThanSeconds !== null ? {olderThanSeconds: options.olderThanSeconds, stalledAfterSeconds: options.olderThanSeconds} : {}),
  });
  if (options.limit !== null) stuck = stuck.slice(0, options.limit);

  if (options.json) {
    target.write(`${safeJson(stuck.map((entry) => stuckJson(entry, options)), 2)}\n`);
    return stuck.length;
  }
  if (!target.isTerminal) {
    for (const entry of stuck) {
      const row = [
        entry.run.id,
        entry.run.threadId ?? '',
        entry.run.status,
        entry.waitingSeconds === null ? '' : String(entry.waitingSeconds),
        entry.expiresInSeconds === null ? '' : String(entry.expiresInSeconds),
        entry.pendingFunctions.join(','),
        entry.problems.join('; '),
      ];
      target.write(`${row.map(safeInline).join('\t')}\n`);
    }
    return stuck.length;
  }
  if (stuck.length === 0) {
    target.write(`${toneText(options.ascii ? 'v' : '✓', 'good', target.color)} nothing is stuck\n`);
    return 0;
  }
  // One row per run; its problems follow on indented lines, where they have the whole width.
  const showStatus = options.includeStalled;
  const columns: Array<{header: string; cell: (entry: StuckRun) => string}> = [
    {header: 'RUN', cell: (entry) => safeInline(entry.run.id)},
    {header: 'THREAD', cell: (entry) => safeInline(entry.run.threadId ?? '—')},
    ...(showStatus ? [{header: 'STATUS', cell: (entry: StuckRun) => safeInline(entry.run.status)}] : []),
    {header: 'WAITING', cell: (entry) => (entry.waitingSeconds === null ? '—' : formatDuration(entry.waitingSeconds))},
    {header: 'EXPIRES', cell: (entry) => expiryText(entry) || '—'},
    {header: 'CALLS', cell: (entry) => entry.pendingFunctions.map(safeInline).join(', ') || '—'},
  ];
  const table = (shown: typeof columns) => {
    const cells = stuck.map((entry) => shown.map((column) => column.cell(entry)));
    const widths = shown.map((column, index) => Math.max(column.header.length, ...cells.map((row) => row[index]!.length)));
    return {headers: shown.map((column) => column.header), cells, widths, total: widths.reduce((sum, width) => sum + width, 0) + 2 * (shown.length - 1)};
  };
  // The calls are what a waiting run needs answered: when the row is too wide for them, the thread
  // (in `--json`, the piped fields and `show`) gives way, as it does when no run shown has one.
  let laidOut = table(columns);
  if (laidOut.total > target.columns || stuck.every((entry) => entry.run.threadId === null)) laidOut = table(columns.filter((column) => column.header !== 'THREAD'));
  const {headers, cells: rows, widths} = laidOut;
  const format = (cells: string[]) =>
    cutToWidth(cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '), target.columns).text;
  target.write(`${toneText(format(headers), 'strong', target.color)}\n`);
  for (const [index, row] of rows.entries()) {
    const entry = stuck[index]!;
    const tone = entry.expiredWhileWaiting ? 'bad' : entry.kind === 'stalled' ? 'warn' : 'attention';
    target.write(`${lineToText([{text: format(row), tone}], target.color)}\n`);
    for (const problem of entry.problems) {
      const line: Line = [{text: `  ${options.ascii ? 'x' : '✗'} `, tone: 'bad'}, {text: cutToWidth(safeInline(problem), Math.max(10, target.columns - 4)).text}];
      target.write(`${lineToText(line, target.color)}\n`);
    }
  }
  return stuck.length;
}
