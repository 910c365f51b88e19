/**
 * The statistics view as pane content: the shape of a whole set of runs (statuses, runs over time,
 * queue and run times, tokens by model, errors, busiest and locked threads) drawn for one width.
 * Pure. Charts and tables are made of plain lines (src/stats/charts.ts) rather than boxed tables,
 * so they fit the width exactly, read with no colour and have an ASCII form.
 */
import {formatUsd} from '../format/cost.js';
import {safeInline} from '../format/sanitize.js';
import {PRICE_DATA} from '../model/cost.js';
import type {CostGroup} from './costStats.js';
import {statusSegment} from '../format/theme.js';
import {formatAbsolute, formatDuration, type TimeOptions} from '../format/time.js';
import {PaneBuilder, type Line, type PaneContent, type Segment} from '../panes/content.js';
import type {Run} from '../model/run.js';
import {barChart, columnChart, fitLine, formatCount, formatShare, sparkline, textTable, type BarRow, type TextCell} from './charts.js';
import {computeRunStats, localUtcOffsetSeconds, type DurationStats, type HistogramBin, type RankedSection, type RunStats, type StatsOptions} from './runStats.js';

export interface StatsPaneContext {
  /** Terminal columns: chart and table lines are never wider. */
  width: number;
  nowSeconds: number;
  ascii?: boolean;
  /** Local time or UTC for the time axis (default: UTC). */
  time?: TimeOptions;
  /** Rows of the runs-over-time chart (default 5). */
  chartHeight?: number;
}

/** The section titles, in order (tests and help can refer to them). */
export const STATS_SECTIONS = [
  'Runs by status',
  'Runs over time',
  'Queue time',
  'Run time',
  'Tokens by model',
  'Cost (estimate)',
  'Errors',
  'Incomplete',
  'Busiest threads',
  'Locked threads',
] as const;

/** Estimated cost: the total, by model, by thread and by day, what it leaves out, and the runs with no price. */
function costSection(b: PaneBuilder, stats: RunStats, width: number, ascii: boolean): void {
  const cost = stats.cost;
  b.blank().line({text: 'Cost (estimate)', tone: 'strong'}, {text: `  ${PRICE_DATA}`, tone: 'dim'});
  if (cost.priced === 0 && cost.unpriced === 0) {
    b.line({text: '  no run reports usage', tone: 'dim'});
    return;
  }
  b.line({text: `  ~${formatUsd(cost.usd)} over ${plural(cost.priced, 'priced run')}${cost.unpriced > 0 ? `; ${plural(cost.unpriced, 'run')} with no price, not counted` : ''}`});
  const table = (header: string, groups: readonly CostGroup[], none: string) =>
    textTable(
      [
        {header, minWidth: 8},
        {header: 'cost', align: 'right', priority: 0},
        {header: 'runs', align: 'right', priority: 1},
      ],
      groups.map((group) => [
        group.key === null ? {text: none, tone: 'dim'} : safeInline(group.key),
        group.priced > 0 ? `~${formatUsd(group.usd)}` : {text: 'no price', tone: 'dim'},
        group.unpriced > 0 ? `${formatCount(group.priced)} (+${formatCount(group.unpriced)} no price)` : formatCount(group.priced),
      ]),
      {width, ascii},
    );
  b.blank().lines(table('model', cost.byModel, '(no model)'));
  b.blank().lines(table('thread', cost.byThread.slice(0, 10), '(no thread)'));
  b.blank().lines(table('day (UTC)', cost.byDay, '(no created_at)'));
  for (const part of cost.missing) b.line({text: `  not counted: ${part}`, tone: 'dim'});
  for (const entry of cost.unpricedReasons) b.line({text: `  no price (${plural(entry.runs, 'run')}): ${safeInline(entry.reason)}`, tone: 'dim'});
}

interface Symbols {
  arrow: string;
  dash: string;
  atLeast: string;
  dot: string;
  lessThan: string;
}

function symbols(ascii: boolean): Symbols {
  return ascii
    ? {arrow: '->', dash: '-', atLeast: '>=', dot: '-', lessThan: '<'}
    : {arrow: '→', dash: '–', atLeast: '≥', dot: '·', lessThan: '<'};
}

/** Ids are shown whole or not at all where there is room (a cut id cannot be searched for). */
const idWidth = (ids: readonly string[]) => Math.max(0, ...ids.map((id) => safeInline(id).length));

const plural = (count: number, word: string, words = `${word}s`) => `${formatCount(count)} ${count === 1 ? word : words}`;

/** `2026-11-25 11:00` (or `... UTC`) for the time axis; dates only for day and week buckets. */
function axisTime(seconds: number, bucketSeconds: number, time: TimeOptions): string {
  const text = formatAbsolute(seconds, time);
  const zone = time.utc ? ' UTC' : '';
  return bucketSeconds >= 86_400 ? `${text.slice(0, 10)}${zone}` : `${text.slice(0, 16)}${zone}`;
}

/** `<1s`, `1s–2s`, `≥7d`: the label of a histogram bin. */
export function binLabel(bin: HistogramBin, ascii = false): string {
  const sym = symbols(ascii);
  if (bin.to === null) return `${sym.atLeast}${formatDuration(bin.from)}`;
  if (bin.from === 0) return `${sym.lessThan}${formatDuration(bin.to)}`;
  return `${formatDuration(bin.from)}${sym.dash}${formatDuration(bin.to)}`;
}

function durationSection(b: PaneBuilder, title: string, what: string, figures: DurationStats, context: Required<Pick<StatsPaneContext, 'width' | 'ascii'>>, empty: string, notes: string[]): void {
  b.blank().line({text: title, tone: 'strong'}, {text: `  ${what}`, tone: 'dim'});
  if (figures.count === 0) {
    b.line({text: `  ${empty}`, tone: 'dim'});
  } else {
    const figure = (label: string, value: number | null): Segment[] => [
      {text: `  ${label} `, tone: 'label'},
      {text: value === null ? '-' : formatDuration(value)},
    ];
    b.line(
      {text: `  ${plural(figures.count, 'run')}`},
      ...figure('p50', figures.p50),
      ...figure('p95', figures.p95),
      ...figure('max', figures.max),
      ...figure('mean', figures.mean),
    );
    const total = figures.count;
    b.lines(
      barChart(
        figures.histogram.map((bin): BarRow => ({label: binLabel(bin, context.ascii), value: bin.count, note: formatShare(bin.count / total)})),
        {width: context.width, ascii: context.ascii, indent: 4},
      ),
    );
  }
  if (figures.negative > 0) notes.push(`${plural(figures.negative, 'run')} whose end is before the start left out`);
  for (const note of notes) b.line({text: `  ${note}`, tone: 'dim'});
}

function rankedSection(b: PaneBuilder, title: string, what: string, section: RankedSection, noKey: string, width: number, ascii: boolean, none: string): void {
  b.blank().line({text: title, tone: 'strong'}, {text: `  ${what}`, tone: 'dim'});
  if (section.runs === 0) {
    b.line({text: `  ${none}`, tone: 'dim'});
    return;
  }
  b.lines(
    barChart(
      section.ranked.map((entry): BarRow => ({
        label: entry.key === null ? noKey : safeInline(entry.key),
        value: entry.count,
        note: formatShare(entry.share),
        labelTone: entry.key === null ? 'dim' : undefined,
        barTone: 'bad',
      })),
      {width, ascii},
    ),
  );
}

/** The statistics view's content for already computed figures. */
export function buildStatsPane(stats: RunStats, context: StatsPaneContext): PaneContent {
  const width = Math.max(10, Math.floor(context.width));
  const ascii = context.ascii ?? false;
  const time = context.time ?? {utc: true};
  const sym = symbols(ascii);
  const b = new PaneBuilder();
  if (stats.total === 0) {
    b.line({text: 'No runs to summarize.', tone: 'dim'});
    return b.build();
  }

  // Summary.
  const summary: Segment[] = [{text: plural(stats.total, 'run'), tone: 'strong'}];
  if (stats.active > 0) summary.push({text: `  ${sym.dot}  ${formatCount(stats.active)} unfinished`, tone: 'warn'});
  summary.push({text: `  ${sym.dot}  ${plural(stats.threads.count, 'thread')}`});
  if (stats.locked.count > 0) summary.push({text: `  ${sym.dot}  ${formatCount(stats.locked.count)} locked`, tone: 'attention'});
  b.line(...summary);
  const {first, last} = stats.overTime;
  if (first !== null && last !== null) {
    b.line({text: `created ${formatAbsolute(first, time)}${first === last ? '' : ` ${sym.arrow} ${formatAbsolute(last, time)}`}`, tone: 'dim'});
  }

  // Runs by status.
  b.blank().heading('Runs by status');
  b.lines(
    barChart(
      stats.byStatus.map((entry): BarRow => {
        const status = statusSegment(entry.status, ascii);
        return {label: status.text, value: entry.count, note: formatShare(entry.share), labelTone: status.tone, barTone: status.tone};
      }),
      {width, ascii},
    ),
  );

  // Runs over time.
  const over = stats.overTime;
  b.blank().heading('Runs over time');
  if (over.buckets.length === 0) {
    b.line({text: '  no run has created_at', tone: 'dim'});
  } else {
    const counts = over.buckets.map((bucket) => bucket.count);
    const start = over.buckets[0]!.start;
    const end = over.buckets[over.buckets.length - 1]!.end;
    const chart = columnChart(counts, {
      width,
      ascii,
      height: context.chartHeight ?? (width < 40 ? 3 : 5),
      startLabel: axisTime(start, over.bucketSeconds, time),
      endLabel: axisTime(end, over.bucketSeconds, time),
    });
    const columnSeconds = over.bucketSeconds * chart.factor;
    b.line({text: `  1 column = ${formatDuration(columnSeconds)}`, tone: 'dim'});
    b.lines(chart.lines);
    const failures = over.buckets.map((bucket) => bucket.unsuccessful);
    const totalFailures = failures.reduce((sum, value) => sum + value, 0);
    if (totalFailures > 0) {
      const spark = sparkline(failures, {width: chart.values.length, ascii});
      const legend = '  failed, expired, incomplete';
      const line: Line = [{text: ' '.repeat(chart.plotOffset)}, {text: spark, tone: 'bad'}];
      if (chart.plotOffset + spark.length + legend.length <= width) line.push({text: legend, tone: 'dim'});
      b.lines([fitLine(line, width, ascii)]);
    }
    let peak = 0;
    for (let index = 1; index < chart.values.length; index++) if (chart.values[index]! > chart.values[peak]!) peak = index;
    const peakStart = start + peak * columnSeconds;
    b.line({
      text: `  busiest: ${plural(chart.values[peak] ?? 0, 'run')} in the ${formatDuration(columnSeconds)} from ${axisTime(peakStart, columnSeconds, time)}`,
      tone: 'dim',
    });
    if (totalFailures > 0) b.line({text: `  failed, expired or incomplete: ${plural(totalFailures, 'run')}`, tone: 'dim'});
    if (over.withoutCreatedAt > 0) b.line({text: `  ${plural(over.withoutCreatedAt, 'run')} without created_at not shown`, tone: 'dim'});
  }

  // Queue and run times.
  const queued = stats.byStatus.find((entry) => entry.status === 'queued')?.count ?? 0;
  durationSection(b, 'Queue time', `created ${sym.arrow} started`, stats.queueTime, {width, ascii}, 'no run has both created_at and started_at', queued > 0 ? [`${plural(queued, 'queued run')} not started yet, not counted`] : []);
  const unfinished = stats.active;
  durationSection(b, 'Run time', `started ${sym.arrow} completed, failed or cancelled`, stats.runTime, {width, ascii}, 'no run has both started_at and an end time', unfinished > 0 ? [`${plural(unfinished, 'unfinished run')} not counted`] : []);

  // Tokens.
  const tokens = stats.tokens;
  b.blank().line({text: 'Tokens by model', tone: 'strong'});
  if (tokens.runsWithUsage === 0) {
    b.line({text: '  no run reports usage', tone: 'dim'});
  } else {
    b.line({
      text: `  ${formatCount(tokens.totalTokens)} tokens (prompt ${formatCount(tokens.promptTokens)}, completion ${formatCount(tokens.completionTokens)}) in ${formatCount(tokens.runsWithUsage)} of ${plural(stats.total, 'run')}`,
    });
    const withTokens = tokens.byModel.filter((entry) => entry.runsWithUsage > 0);
    b.lines(
      barChart(
        withTokens.map((entry): BarRow => ({
          label: entry.model === null ? '(no model)' : safeInline(entry.model),
          value: entry.totalTokens,
          note: formatShare(entry.share),
          labelTone: entry.model === null ? 'dim' : undefined,
          barTone: 'accent',
        })),
        {width, ascii},
      ),
    );
    b.blank().lines(
      textTable(
        [
          {header: 'model', minWidth: 8},
          {header: 'runs', align: 'right', priority: 3},
          {header: 'prompt', align: 'right', priority: 1},
          {header: 'completion', align: 'right', priority: 2},
          {header: 'total', align: 'right', priority: 0},
        ],
        tokens.byModel.map((entry) => [
          entry.model === null ? {text: '(no model)', tone: 'dim'} : safeInline(entry.model),
          `${formatCount(entry.runsWithUsage)}/${formatCount(entry.runs)}`,
          formatCount(entry.promptTokens),
          formatCount(entry.completionTokens),
          formatCount(entry.totalTokens),
        ]),
        {width, ascii},
      ),
    );
    b.line({text: '  runs: with usage / all', tone: 'dim'});
  }

  costSection(b, stats, width, ascii);

  rankedSection(b, 'Errors', 'last_error.code', stats.errors, '(no code)', width, ascii, 'no run has a last_error');
  rankedSection(b, 'Incomplete', 'incomplete_details.reason', stats.incomplete, '(no reason)', width, ascii, 'no run ended incomplete');

  // Threads.
  b.blank().line({text: 'Busiest threads', tone: 'strong'}, {text: `  of ${plural(stats.threads.count, 'thread')}`, tone: 'dim'});
  if (stats.threads.busiest.length === 0) {
    b.line({text: '  no run has a thread_id', tone: 'dim'});
  } else {
    b.lines(
      textTable(
        [
          {header: 'thread', minWidth: idWidth(stats.threads.busiest.map((thread) => thread.threadId))},
          {header: 'runs', align: 'right', priority: 0},
          {header: 'unfinished', align: 'right', priority: 2},
          {header: 'latest run', priority: 3, minWidth: idWidth(stats.threads.busiest.map((thread) => thread.lastRunId))},
          {header: 'latest status', priority: 1, minWidth: 12},
        ],
        stats.threads.busiest.map((thread) => [
          safeInline(thread.threadId),
          formatCount(thread.runs),
          thread.activeRuns > 0 ? {text: formatCount(thread.activeRuns), tone: 'warn'} : '',
          safeInline(thread.lastRunId),
          statusSegment(thread.lastStatus, ascii),
        ]),
        {width, ascii},
      ),
    );
  }
  if (stats.threads.withoutThread > 0) b.line({text: `  ${plural(stats.threads.withoutThread, 'run')} without thread_id`, tone: 'dim'});

  b.blank().line({text: 'Locked threads', tone: 'strong'}, {text: '  an unfinished run refuses new messages and runs', tone: 'dim'});
  if (stats.locked.count === 0) {
    b.line({text: `  ${ascii ? 'v' : '✓'} no thread is locked`, tone: 'good'});
  } else {
    b.lines(
      textTable(
        [
          {header: 'thread', minWidth: idWidth(stats.locked.threads.map((lock) => lock.threadId))},
          {header: 'status', priority: 0, minWidth: 12},
          {header: 'locked for', align: 'right', priority: 1},
          {header: 'by run', priority: 3, minWidth: idWidth(stats.locked.threads.map((lock) => lock.runId))},
          {header: 'expires_at', priority: 2},
        ],
        stats.locked.threads.map((lock): Array<string | TextCell> => {
          const left = lock.expiresAt === null ? null : lock.expiresAt - stats.nowSeconds;
          return [
            safeInline(lock.threadId),
            statusSegment(lock.status, ascii),
            lock.lockedSeconds === null ? '-' : formatDuration(lock.lockedSeconds),
            safeInline(lock.runId),
            left === null ? '' : left > 0 ? {text: `in ${formatDuration(left)}`, tone: 'warn'} : {text: `${formatDuration(-left)} ago`, tone: 'bad'},
          ];
        }),
        {width, ascii},
      ),
    );
    if (stats.locked.count > stats.locked.threads.length) {
      b.line({text: `  and ${plural(stats.locked.count - stats.locked.threads.length, 'more locked thread')}`, tone: 'dim'});
    }
    const doubled = stats.locked.threads.filter((lock) => lock.activeRuns > 1).length;
    if (doubled > 0) b.line({text: `  ${plural(doubled, 'thread')} with more than one unfinished run (the API allows one)`, tone: 'warn'});
  }
  return b.build();
}

/** Options for statsPane: the pane context plus the figures' options. */
export type StatsPaneOptions = StatsPaneContext & {stats?: StatsOptions};

/**
 * Computes and draws in one call. Day and 6-hour buckets start at local midnight unless
 * `time.utc`. For a TUI, prefer computeRunStats once per data change and buildStatsPane per width.
 */
export function statsPane(runs: readonly Run[], context: StatsPaneOptions): PaneContent {
  return buildStatsPane(computeRunStats(runs, context.nowSeconds, statsOptionsFor(context)), context);
}

/** The figures' options that match how a pane shows time (bucket alignment in the local zone unless UTC). */
export function statsOptionsFor(context: {nowSeconds: number; time?: TimeOptions; stats?: StatsOptions}): StatsOptions {
  const utc = context.time?.utc ?? true;
  return {utcOffsetSeconds: utc ? 0 : localUtcOffsetSeconds(context.nowSeconds), ...context.stats};
}
