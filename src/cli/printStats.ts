/**
 * `runlens stats`: the statistics view printed. On a terminal, the same content as the TUI's stats
 * view (charts, figures, tables) in colour; piped, the same text without colour; with --json, every
 * figure as the stable object documented at StatsJson.
 */
import {safeJson} from '../format/sanitize.js';
import {PRICE_DATA} from '../model/cost.js';
import type {CostGroup} from '../stats/costStats.js';
import {lineToText} from '../panes/ansi.js';
import type {TimeOptions} from '../format/time.js';
import type {Run} from '../model/run.js';
import {paneLines} from './paneText.js';
import {computeRunStats, type DurationStats, type RankedSection, type RunStats, type StatsOptions} from '../stats/runStats.js';
import {buildStatsPane, statsOptionsFor} from '../stats/statsPane.js';
import type {PrintTarget} from './printRuns.js';

export interface StatsPrintOptions {
  json: boolean;
  nowSeconds: number;
  ascii: boolean;
  /** Columns to draw in (default: the terminal's width, 80 when piped). */
  width?: number;
  /** Local time or UTC for the time axis (default: UTC). */
  time?: TimeOptions;
  /** Limits of the figures (busiest and locked threads listed, buckets). */
  stats?: StatsOptions;
}

/** The version of the JSON shape; bumped when a field changes meaning or goes away. */
export const STATS_JSON_SCHEMA = 'runlens.stats/1';

export interface DurationJson {
  runs: number;
  min_s: number | null;
  p50_s: number | null;
  p95_s: number | null;
  max_s: number | null;
  mean_s: number | null;
  /** Runs whose end is before their start, left out. */
  negative: number;
  /** `to_s` null: open-ended last bin. Bins from the first to the last non-empty one. */
  histogram: Array<{from_s: number; to_s: number | null; runs: number}>;
}

export interface RankedJson {
  runs: number;
  ranked: Array<{key: string | null; runs: number; share: number; last_run_id: string; last_created_at: number | null}>;
}

/**
 * `runlens stats --json`. Times are Unix seconds (as in the API), durations are seconds, shares are
 * fractions 0..1 (rounded to 6 places), token counts are sums over runs that report usage.
 * Percentiles are nearest-rank (`percentile_method`). Lists are ordered as documented in
 * src/stats/runStats.ts: statuses in lifecycle order, models and ranked keys most first.
 */
export interface StatsJson {
  schema: typeof STATS_JSON_SCHEMA;
  now: number;
  percentile_method: 'nearest-rank';
  runs: number;
  unfinished_runs: number;
  by_status: Array<{status: string; runs: number; share: number}>;
  over_time: {
    bucket: string;
    bucket_seconds: number;
    first_created_at: number | null;
    last_created_at: number | null;
    without_created_at: number;
    /** `start` inclusive, `end` exclusive; `unsuccessful`: failed, expired or incomplete. */
    buckets: Array<{start: number; end: number; runs: number; unsuccessful: number}>;
  };
  /** created_at → started_at. */
  queue_time: DurationJson;
  /** started_at → completed_at / failed_at / cancelled_at. */
  run_time: DurationJson;
  tokens: {
    prompt: number;
    completion: number;
    total: number;
    runs_with_usage: number;
    by_model: Array<{model: string | null; runs: number; runs_with_usage: number; prompt: number; completion: number; total: number; share: number}>;
  };
  /**
   * Estimated cost in US dollars (rounded to 6 places), from the price data named; runs without
   * usage or a model are in neither count. Always an estimate: `not_counted` says what it leaves out.
   */
  cost: {
    estimate: true;
    price_data: string;
    usd: number;
    priced_runs: number;
    unpriced_runs: number;
    unpriced: Array<{reason: string; runs: number}>;
    not_counted: string[];
    by_model: Array<{model: string | null} & CostGroupJson>;
    by_thread: Array<{thread_id: string | null} & CostGroupJson>;
    /** UTC days. */
    by_day: Array<{day: string | null} & CostGroupJson>;
  };
  /** last_error.code; key null: an error without a code. */
  errors: RankedJson;
  /** incomplete_details.reason. */
  incomplete: RankedJson;
  threads: {
    count: number;
    without_thread: number;
    busiest: Array<{thread_id: string; runs: number; unfinished_runs: number; last_run_id: string; last_status: string; last_created_at: number | null}>;
  };
  locked_threads: {
    /** Every locked thread; `threads` lists the longest locked, up to the limit. */
    count: number;
    threads: Array<{
      thread_id: string;
      run_id: string;
      status: string;
      since: number | null;
      locked_seconds: number | null;
      expires_at: number | null;
      expired: boolean;
      unfinished_runs: number;
    }>;
  };
}

/** One group of the cost figures in `stats --json`. */
export interface CostGroupJson {
  usd: number;
  priced_runs: number;
  unpriced_runs: number;
}

const costGroup = (group: CostGroup): CostGroupJson => ({usd: round(group.usd, 6), priced_runs: group.priced, unpriced_runs: group.unpriced});

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
const share = (value: number) => round(value, 6);

function durationJson(figures: DurationStats): DurationJson {
  return {
    runs: figures.count,
    min_s: figures.min,
    p50_s: figures.p50,
    p95_s: figures.p95,
    max_s: figures.max,
    mean_s: figures.mean === null ? null : round(figures.mean, 3),
    negative: figures.negative,
    histogram: figures.histogram.map((bin) => ({from_s: bin.from, to_s: bin.to, runs: bin.count})),
  };
}

function rankedJson(section: RankedSection): RankedJson {
  return {
    runs: section.runs,
    ranked: section.ranked.map((entry) => ({
      key: entry.key,
      runs: entry.count,
      share: share(entry.share),
      last_run_id: entry.lastRunId,
      last_created_at: entry.lastCreatedAt,
    })),
  };
}

/** The figures as the documented JSON object. */
export function statsToJson(stats: RunStats): StatsJson {
  return {
    schema: STATS_JSON_SCHEMA,
    now: stats.nowSeconds,
    percentile_method: 'nearest-rank',
    runs: stats.total,
    unfinished_runs: stats.active,
    by_status: stats.byStatus.map((entry) => ({status: entry.status, runs: entry.count, share: share(entry.share)})),
    over_time: {
      bucket: stats.overTime.bucketName,
      bucket_seconds: stats.overTime.bucketSeconds,
      first_created_at: stats.overTime.first,
      last_created_at: stats.overTime.last,
      without_created_at: stats.overTime.withoutCreatedAt,
      buckets: stats.overTime.buckets.map((bucket) => ({start: bucket.start, end: bucket.end, runs: bucket.count, unsuccessful: bucket.unsuccessful})),
    },
    queue_time: durationJson(stats.queueTime),
    run_time: durationJson(stats.runTime),
    tokens: {
      prompt: stats.tokens.promptTokens,
      completion: stats.tokens.completionTokens,
      total: stats.tokens.totalTokens,
      runs_with_usage: stats.tokens.runsWithUsage,
      by_model: stats.tokens.byModel.map((entry) => ({
        model: entry.model,
        runs: entry.runs,
        runs_with_usage: entry.runsWithUsage,
        prompt: entry.promptTokens,
        completion: entry.completionTokens,
        total: entry.totalTokens,
        share: share(entry.share),
      })),
    },
    cost: {
      estimate: true,
      price_data: PRICE_DATA,
      usd: round(stats.cost.usd, 6),
      priced_runs: stats.cost.priced,
      unpriced_runs: stats.cost.unpriced,
      unpriced: stats.cost.unpricedReasons,
      not_counted: stats.cost.missing,
      by_model: stats.cost.byModel.map((group) => ({model: group.key, ...costGroup(group)})),
      by_thread: stats.cost.byThread.map((group) => ({thread_id: group.key, ...costGroup(group)})),
      by_day: stats.cost.byDay.map((group) => ({day: group.key, ...costGroup(group)})),
    },
    errors: rankedJson(stats.errors),
    incomplete: rankedJson(stats.incomplete),
    threads: {
      count: stats.threads.count,
      without_thread: stats.threads.withoutThread,
      busiest: stats.threads.busiest.map((thread) => ({
        thread_id: thread.threadId,
        runs: thread.runs,
        unfinished_runs: thread.activeRuns,
        last_run_id: thread.lastRunId,
        last_status: thread.lastStatus,
        last_created_at: thread.lastCreatedAt,
      })),
    },
    locked_threads: {
      count: stats.locked.count,
      threads: stats.locked.threads.map((lock) => ({
        thread_id: lock.threadId,
        run_id: lock.runId,
        status: lock.status,
        since: lock.since,
        locked_seconds: lock.lockedSeconds,
        expires_at: lock.expiresAt,
        expired: lock.expired,
        unfinished_runs: lock.activeRuns,
      })),
    },
  };
}

/** The statistics view as text, ANSI colours when `color`. */
function statsAsText(stats: RunStats, options: {width: number; color: boolean; ascii: boolean; time?: TimeOptions}): string {
  const width = Math.max(20, Math.floor(options.width));
  const content = buildStatsPane(stats, {width, nowSeconds: stats.nowSeconds, ascii: options.ascii, time: options.time});
  return `${paneLines(content, width, options.ascii)
    .map((line) => lineToText(line, options.color).trimEnd())
    .join('\n')}\n`;
}

/** Prints the statistics of the runs: text for people, `--json` for scripts. */
export function printStats(runs: readonly Run[], target: PrintTarget, options: StatsPrintOptions): void {
  const stats = computeRunStats(runs, options.nowSeconds, statsOptionsFor({nowSeconds: options.nowSeconds, time: options.time, stats: options.stats}));
  if (options.json) {
    target.write(`${safeJson(statsToJson(stats), 2)}\n`);
    return;
  }
  const width = options.width ?? (target.isTerminal ? target.columns : 80);
  target.write(statsAsText(stats, {width, color: target.color, ascii: options.ascii, time: options.time}));
}
