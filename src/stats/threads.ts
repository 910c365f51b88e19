/**
 * The thread view: runs grouped by thread, the most recently active thread first, each thread's
 * runs newest first, and the unfinished run that locks the thread marked. Pure.
 */
import {safeInline} from '../format/sanitize.js';
import {statusGlyph, statusStyle} from '../format/theme.js';
import {formatDuration, formatRelative} from '../format/time.js';
import {isActiveStatus, type Run} from '../model/run.js';
import {PaneBuilder, type Line, type PaneContent} from '../panes/content.js';
import {runDurationSeconds} from '../model/runFacts.js';
import {formatCount, textTable, type TextCell} from './charts.js';

export interface ThreadGroup {
  /**
   * null: the runs that have no thread_id. For responses: the conversation's id, or the id of the
   * first loaded response of their `previous_response_id` chain.
   */
  threadId: string | null;
  /** What groups the runs: a thread (runs), a conversation or a chain (responses). */
  kind: 'thread' | 'conversation' | 'chain';
  /** Newest first (created_at; runs without one last, then by id). */
  runs: Run[];
  /** The oldest unfinished run: the one holding the thread's lock (a response group: one that waits). */
  active: Run | null;
  /** Unfinished runs (the API allows one per thread; more means the data disagrees). */
  activeCount: number;
  /** The newest run's created_at. */
  latestAt: number | null;
}

function created(run: Run): number {
  return run.createdAt ?? run.startedAt ?? -Infinity;
}

function newestFirst(a: Run, b: Run): number {
  const difference = created(b) - created(a);
  if (difference !== 0 && !Number.isNaN(difference)) return difference;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Runs grouped by thread: threads with the newest run first (ties by thread id), the runs
 * without a thread as a last group.
 */
export function groupRunsByThread(runs: readonly Run[]): ThreadGroup[] {
  const byThread = new Map<string | null, Run[]>();
  const kinds = new Map<string | null, ThreadGroup['kind']>();
  const rootOf = chainRoots(runs);
  for (const run of runs) {
    const {key, kind} = groupOf(run, rootOf);
    const list = byThread.get(key);
    if (list) list.push(run);
    else {
      byThread.set(key, [run]);
      kinds.set(key, kind);
    }
  }
  const groups: ThreadGroup[] = [];
  for (const [threadId, list] of byThread) {
    list.sort(newestFirst);
    let active: Run | null = null;
    let activeCount = 0;
    for (const run of list) {
      if (!isActiveStatus(run.status)) continue;
      activeCount++;
      // The list is newest first, so the last unfinished run seen is the oldest.
      active = run;
    }
    const newest = list[0]!;
    groups.push({threadId, kind: kinds.get(threadId)!, runs: list, active, activeCount, latestAt: Number.isFinite(created(newest)) ? created(newest) : null});
  }
  return groups.sort((a, b) => {
    if ((a.threadId === null) !== (b.threadId === null)) return a.threadId === null ? 1 : -1;
    const difference = (b.latestAt ?? -Infinity) - (a.latestAt ?? -Infinity);
    if (difference !== 0 && !Number.isNaN(difference)) return difference;
    return (a.threadId ?? '') < (b.threadId ?? '') ? -1 : 1;
  });
}

/**
 * Each loaded response's chain root: the first response reached by following
 * `previous_response_id` through the responses loaded (a loop in bad data stops where it closes).
 */
function chainRoots(runs: readonly Run[]): (run: Run) => string {
  const byId = new Map<string, Run>();
  for (const run of runs) if (run.kind === 'response') byId.set(run.id, run);
  const roots = new Map<string, string>();
  return (run) => {
    const known = roots.get(run.id);
    if (known !== undefined) return known;
    const seen = new Set<string>();
    let at = run;
    for (let previous = at.response?.previousResponseId; previous && byId.has(previous) && !seen.has(previous); previous = at.response?.previousResponseId) {
      seen.add(at.id);
      at = byId.get(previous)!;
    }
    roots.set(run.id, at.id);
    return at.id;
  };
}

/** The group of a run: its thread; a response's conversation, else its chain. */
function groupOf(run: Run, rootOf: (run: Run) => string): {key: string | null; kind: ThreadGroup['kind']} {
  if (run.kind !== 'response') return {key: run.threadId, kind: 'thread'};
  // Keys of the three kinds never meet: thread_, conv_ and resp_ ids are told apart by the prefix added.
  const conversation = run.response?.conversationId ?? null;
  return conversation ? {key: `conversation ${conversation}`, kind: 'conversation'} : {key: `chain ${rootOf(run)}`, kind: 'chain'};
}

export interface ThreadsPaneContext {
  width: number;
  nowSeconds: number;
  ascii?: boolean;
  /** Only this thread (e.g. the open run's); undefined: every thread. */
  threadId?: string | null;
  /** Runs listed per thread before `… N older runs` (default 20). */
  maxRunsPerThread?: number;
  /** Threads listed before `… N more threads` (default 500). */
  maxThreads?: number;
}

/** The thread view's content for already grouped runs. */
function buildThreadsPane(groups: readonly ThreadGroup[], context: ThreadsPaneContext): PaneContent {
  const width = Math.max(10, Math.floor(context.width));
  const ascii = context.ascii ?? false;
  const lockMark = ascii ? '>' : '▶';
  const maxRuns = Math.max(1, context.maxRunsPerThread ?? 20);
  const maxThreads = Math.max(1, context.maxThreads ?? 500);
  const selected = context.threadId === undefined ? groups : groups.filter((group) => group.threadId === context.threadId);
  const b = new PaneBuilder();
  if (selected.length === 0) {
    b.line({text: context.threadId === undefined ? 'No runs.' : 'No runs on this thread.', tone: 'dim'});
    return b.build();
  }
  const locked = selected.filter((group) => group.kind === 'thread' && group.threadId !== null && group.active).length;
  const threads = selected.filter((group) => group.kind === 'thread' && group.threadId !== null).length;
  b.line(
    {text: `${formatCount(threads)} thread${threads === 1 ? '' : 's'}`, tone: 'strong'},
    locked > 0 ? {text: `  ${formatCount(locked)} locked`, tone: 'attention'} : {text: '  none locked', tone: 'dim'},
    {text: `  ${lockMark} the unfinished run holding a thread's lock`, tone: 'dim'},
  );

  // One table for every thread's runs, so the columns line up; thread headings go between.
  const shown = selected.slice(0, maxThreads);
  const rows: Array<Array<string | TextCell>> = [];
  const headings = new Map<number, Line[]>();
  for (const group of shown) {
    const heading: Line[] = [[]];
    const line = heading[0]!;
    line.push(group.threadId === null ? {text: '(no thread)', tone: 'dim'} : {text: safeInline(group.kind === 'chain' ? `chain from ${group.threadId.slice('chain '.length)}` : group.threadId), tone: 'strong'});
    const noun = group.kind === 'thread' ? 'run' : 'response';
    line.push({text: `  ${formatCount(group.runs.length)} ${noun}${group.runs.length === 1 ? '' : 's'}`, tone: 'dim'});
    if (group.kind !== 'thread') {
      // Responses lock nothing: the one marked is the one that waits for tool outputs.
      const waiting = group.runs.filter((run) => run.status === 'requires_action');
      if (waiting.length > 0) line.push({text: '  waits for tool outputs: ', tone: 'attention'}, {text: waiting.map((run) => safeInline(run.id)).join(', '), tone: 'attention'});
    } else if (group.threadId !== null && group.active) {
      const holder = group.active;
      const since = holder.createdAt ?? holder.startedAt;
      line.push(
        {text: '  locked by ', tone: 'attention'},
        {text: safeInline(holder.id), tone: 'attention'},
        {text: since === null ? '' : ` for ${formatDuration(context.nowSeconds - since)}`, tone: 'attention'},
      );
      if (group.activeCount > 1) line.push({text: `  ${group.activeCount} unfinished runs (the API allows one)`, tone: 'warn'});
    }
    headings.set(rows.length, [[], ...heading]);
    for (const run of group.runs.slice(0, maxRuns)) {
      const tone = statusStyle(run.status).tone;
      const duration = runDurationSeconds(run, context.nowSeconds);
      const tokens = run.usage?.totalTokens ?? null;
      const holds = group.kind === 'thread' ? group.threadId !== null && run === group.active : run.status === 'requires_action';
      rows.push([
        holds ? {text: lockMark, tone: 'attention'} : '',
        {text: statusGlyph(run.status, ascii), tone},
        {text: safeInline(run.id), tone: holds ? 'attention' : undefined},
        {text: safeInline(run.status), tone},
        run.createdAt === null ? {text: '-', tone: 'dim'} : {text: formatRelative(run.createdAt, context.nowSeconds), tone: 'dim'},
        duration === null ? '' : `${formatDuration(duration)}${isActiveStatus(run.status) ? '+' : ''}`,
        run.model === null ? '' : safeInline(run.model),
        tokens === null ? '' : formatCount(tokens),
      ]);
    }
    if (group.runs.length > maxRuns) {
      headings.set(rows.length, [[{text: `    ${ascii ? '...' : '…'} ${formatCount(group.runs.length - maxRuns)} older run${group.runs.length - maxRuns === 1 ? '' : 's'}`, tone: 'dim'}]]);
      // A placeholder row keeps the heading's position; it is dropped below.
      rows.push([]);
    }
  }
  const table = textTable(
    [
      {header: '', minWidth: 1},
      {header: '', priority: 0, minWidth: 1},
      {header: 'run', priority: 0, minWidth: Math.max(0, ...rows.map((row) => (typeof row[2] === 'object' ? row[2].text.length : 0)))},
      {header: 'status', priority: 1, minWidth: 12},
      {header: 'created', align: 'right', priority: 2},
      {header: 'duration', align: 'right', priority: 3},
      {header: 'model', priority: 4, minWidth: 8},
      {header: 'tokens', align: 'right', priority: 5},
    ],
    rows,
    {width, ascii, indent: 2},
  );
  // table[0] is the header row; table[i + 1] is rows[i].
  const lines: Line[] = [table[0]!];
  rows.forEach((row, index) => {
    lines.push(...(headings.get(index) ?? []));
    if (row.length > 0) lines.push(table[index + 1]!);
  });
  b.lines(lines);
  if (selected.length > shown.length) b.blank().line({text: `${ascii ? '...' : '…'} ${formatCount(selected.length - shown.length)} more thread${selected.length - shown.length === 1 ? '' : 's'}`, tone: 'dim'});
  return b.build();
}

/** Groups and draws in one call. */
export function threadsPane(runs: readonly Run[], context: ThreadsPaneContext): PaneContent {
  return buildThreadsPane(groupRunsByThread(runs), context);
}
