/**
 * Figures over a whole set of runs: what failed, when, how slow, how expensive, which threads are
 * blocked. Pure and fast: one pass over the runs (no object allocated per run; per-thread tallies
 * live in typed arrays), then a pass over the created times for the buckets. Of arrays as long as
 * the runs, only the two duration arrays are sorted (typed arrays, numeric sort); the busiest and
 * locked threads are picked with a bounded top-N selection. The short lists of distinct statuses,
 * models, error codes and reasons are sorted as they are.
 *
 * Percentiles use the nearest-rank method: the p-th percentile of n sorted values is the value at
 * 1-based rank ⌈p/100 · n⌉. It is always one of the observed values (no interpolation), so a p95
 * of `12s` means at least 95% of the runs took 12s or less and some run took exactly 12s.
 */
import {computeCostStats, type CostStats} from './costStats.js';
import {NO_MODEL_MAP, type ModelMap} from '../model/cost.js';
import {isActiveStatus, KNOWN_STATUSES, type Run} from '../model/run.js';

/** The bucket sizes runs over time can use, smallest first; the first that gives ≤ maxBuckets wins. */
const BUCKET_SIZES = [
  {name: 'minute', seconds: 60},
  {name: '5m', seconds: 300},
  {name: '15m', seconds: 900},
  {name: 'hour', seconds: 3600},
  {name: '6h', seconds: 21_600},
  {name: 'day', seconds: 86_400},
  {name: 'week', seconds: 604_800},
] as const;

const WEEK = 604_800;
/** Monday 1970-01-05 00:00 UTC: weeks start on Mondays (ISO 8601), not on the epoch's Thursday. */
const MONDAY = 345_600;

/** Statuses counted as "did not produce an answer" in the runs-over-time buckets. */
const UNSUCCESSFUL_STATUSES: ReadonlySet<string> = new Set(['failed', 'expired', 'incomplete']);

/**
 * Upper edges (seconds, exclusive) of the duration histogram's bins; the last bin is open-ended.
 * Roughly logarithmic, so 1-second runs and 1-hour runs both get readable bins.
 */
const HISTOGRAM_EDGES: readonly number[] = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21_600, 86_400, 604_800];

export interface StatsOptions {
  /** Deployment name → model for the cost figures (`--model-map`, a profile's `modelMap`); absent: none mapped. */
  modelMap?: ModelMap;
  /** At most this many buckets in runs over time (default 60). */
  maxBuckets?: number;
  /** How many of the busiest threads to keep (default 10). */
  topThreads?: number;
  /** How many locked threads to list, longest locked first (default 50); `locked.count` has them all. */
  lockedThreads?: number;
  /**
   * Offset of local time from UTC in seconds (e.g. 3600 for UTC+1), so day and 6-hour buckets start
   * at local midnight. Default 0: buckets aligned in UTC.
   */
  utcOffsetSeconds?: number;
}

export interface StatusCount {
  status: string;
  count: number;
  /** count / all runs, 0..1. */
  share: number;
}

export interface TimeBucket {
  /** Unix seconds, inclusive. */
  start: number;
  /** Unix seconds, exclusive. */
  end: number;
  /** Runs created in [start, end). */
  count: number;
  /** Of those, runs that failed, expired or ended incomplete. */
  unsuccessful: number;
}

export interface RunsOverTime {
  /** `minute`, `5m`, `15m`, `hour`, `6h`, `day`, `week`, or `Nw` (N weeks) for very long spans. */
  bucketName: string;
  bucketSeconds: number;
  /** Earliest and latest created_at; null without any. */
  first: number | null;
  last: number | null;
  /** Contiguous buckets from the first run's to the last run's (empty ones included). */
  buckets: TimeBucket[];
  /** Runs without created_at (not in any bucket). */
  withoutCreatedAt: number;
}

export interface HistogramBin {
  /** Seconds, inclusive. */
  from: number;
  /** Seconds, exclusive; null for the open-ended last bin. */
  to: number | null;
  count: number;
}

export interface DurationStats {
  /** Runs with both ends of the interval (and the end not before the start). */
  count: number;
  min: number | null;
  /** Nearest-rank percentiles (see the module comment). */
  p50: number | null;
  p95: number | null;
  max: number | null;
  mean: number | null;
  /** Bins from the first non-empty one to the last non-empty one, empty ones between included. */
  histogram: HistogramBin[];
  /** Runs whose end is before their start (bad clocks or bad data): left out of the figures. */
  negative: number;
}

export interface ModelTokens {
  /** null: runs without a model. */
  model: string | null;
  runs: number;
  /** Runs that report usage. */
  runsWithUsage: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** totalTokens / all models' total tokens, 0..1 (0 when no tokens at all). */
  share: number;
}

export interface TokenStats {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  runsWithUsage: number;
  /** Most total tokens first; ties by model name, runs without a model last. */
  byModel: ModelTokens[];
}

export interface RankedCount {
  /** The error code or incomplete reason; null when the run has an error without a code. */
  key: string | null;
  count: number;
  /** count / runs in this section, 0..1. */
  share: number;
  /** The most recently created run with this key (for jumping to an example). */
  lastRunId: string;
  lastCreatedAt: number | null;
}

export interface RankedSection {
  /** Runs with a last_error (or an incomplete reason). */
  runs: number;
  /** Most frequent first; ties by key (A→Z), null last. */
  ranked: RankedCount[];
}

export interface ThreadActivity {
  threadId: string;
  runs: number;
  /** Unfinished runs on the thread (more than one means the data disagrees with the API's lock). */
  activeRuns: number;
  lastRunId: string;
  lastStatus: string;
  lastCreatedAt: number | null;
}

export interface LockedThread {
  threadId: string;
  /** The oldest unfinished run on the thread: the one holding the lock. */
  runId: string;
  status: string;
  /** When the lock began: the locking run's created_at (started_at when created_at is missing). */
  since: number | null;
  /** nowSeconds - since. */
  lockedSeconds: number | null;
  expiresAt: number | null;
  /** The run's expires_at has passed while it is still unfinished (the snapshot is stale or the run is stuck). */
  expired: boolean;
  activeRuns: number;
}

export interface RunStats {
  nowSeconds: number;
  total: number;
  /** Runs in queued, in_progress, requires_action or cancelling. */
  active: number;
  /** Documented statuses in lifecycle order, then others A→Z; only statuses that occur. */
  byStatus: StatusCount[];
  overTime: RunsOverTime;
  /** created_at → started_at. */
  queueTime: DurationStats;
  /** started_at → ended (completed_at, failed_at or cancelled_at). */
  runTime: DurationStats;
  tokens: TokenStats;
  /** Estimated cost, total and by model, thread and day. */
  cost: CostStats;
  /** last_error.code, ranked. */
  errors: RankedSection;
  /** incomplete_details.reason, ranked. */
  incomplete: RankedSection;
  threads: {
    /** Distinct thread ids. */
    count: number;
    withoutThread: number;
    /** Most runs first; ties: most recent activity first, then thread id A→Z. */
    busiest: ThreadActivity[];
  };
  locked: {
    /** All threads with an unfinished run. */
    count: number;
    /** Longest locked first (unknown since last), at most `lockedThreads`. */
    threads: LockedThread[];
  };
}

/** The nearest-rank percentile of ascending values: the value at 1-based rank ⌈p/100 · n⌉. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  return sorted[rank - 1]!;
}

/** Histogram of ascending durations over HISTOGRAM_EDGES, trimmed to the bins that hold data. */
export function durationHistogram(sorted: ArrayLike<number>): HistogramBin[] {
  const n = sorted.length;
  if (n === 0) return [];
  const bins: HistogramBin[] = [];
  let from = 0;
  let index = 0;
  for (let edge = 0; edge <= HISTOGRAM_EDGES.length; edge++) {
    const to = edge < HISTOGRAM_EDGES.length ? HISTOGRAM_EDGES[edge]! : null;
    let count = 0;
    while (index < n && (to === null || sorted[index]! < to)) {
      count++;
      index++;
    }
    bins.push({from, to, count});
    if (to !== null) from = to;
  }
  let first = 0;
  while (bins[first]!.count === 0) first++;
  let last = bins.length - 1;
  while (bins[last]!.count === 0) last--;
  return bins.slice(first, last + 1);
}

function durationStats(values: Float64Array, count: number, negative: number): DurationStats {
  const sorted = values.subarray(0, count).sort();
  let sum = 0;
  for (let index = 0; index < count; index++) sum += sorted[index]!;
  return {
    count,
    min: count > 0 ? sorted[0]! : null,
    p50: nearestRank(sorted, 50),
    p95: nearestRank(sorted, 95),
    max: count > 0 ? sorted[count - 1]! : null,
    mean: count > 0 ? sum / count : null,
    histogram: durationHistogram(sorted),
    negative,
  };
}

/** Start of the bucket of `size` seconds that holds `t`, days aligned to local midnight, weeks to Monday. */
function bucketStart(t: number, size: number, offset: number): number {
  const anchor = size % WEEK === 0 ? MONDAY : 0;
  return Math.floor((t + offset - anchor) / size) * size + anchor - offset;
}

/** The bucket size for a span of created times: the smallest listed size giving ≤ maxBuckets buckets. */
export function chooseBucket(first: number, last: number, maxBuckets = 60, utcOffsetSeconds = 0): {name: string; seconds: number} {
  const fits = (size: number) => Math.floor((last - bucketStart(first, size, utcOffsetSeconds)) / size) + 1 <= maxBuckets;
  for (const size of BUCKET_SIZES) if (fits(size.seconds)) return {name: size.name, seconds: size.seconds};
  let weeks = Math.max(2, Math.ceil((last - first) / (WEEK * Math.max(1, maxBuckets))));
  while (!fits(weeks * WEEK)) weeks++;
  return {name: `${weeks}w`, seconds: weeks * WEEK};
}

interface ModelTally {
  model: string | null;
  runs: number;
  runsWithUsage: number;
  prompt: number;
  completion: number;
  total: number;
}

interface KeyTally {
  key: string | null;
  count: number;
  lastRun: Run;
  lastCreatedAt: number;
}

/** Keeps the `limit` best items by `better` in order; O(limit) per accepted item, O(1) per rejected one. */
function topN<T>(items: Iterable<T>, limit: number, better: (a: T, b: T) => boolean): T[] {
  const top: T[] = [];
  if (limit <= 0) return top;
  for (const item of items) {
    if (top.length >= limit && !better(item, top[top.length - 1]!)) continue;
    let position = top.length;
    while (position > 0 && better(item, top[position - 1]!)) position--;
    top.splice(position, 0, item);
    if (top.length > limit) top.pop();
  }
  return top;
}

const STATUS_ORDER = new Map<string, number>(KNOWN_STATUSES.map((status, index) => [status, index]));

function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function rankKeys(tallies: Map<string | null, KeyTally>, runs: number): RankedCount[] {
  // Distinct codes and reasons are few; sorting them is cheap.
  return [...tallies.values()]
    .sort((a, b) => b.count - a.count || compareKeys(a.key, b.key))
    .map((tally) => ({
      key: tally.key,
      count: tally.count,
      share: runs > 0 ? tally.count / runs : 0,
      lastRunId: tally.lastRun.id,
      lastCreatedAt: Number.isFinite(tally.lastCreatedAt) ? tally.lastCreatedAt : null,
    }));
}

function tallyKey(tallies: Map<string | null, KeyTally>, key: string | null, run: Run, created: number): void {
  const tally = tallies.get(key);
  if (!tally) tallies.set(key, {key, count: 1, lastRun: run, lastCreatedAt: created});
  else {
    tally.count++;
    if (created > tally.lastCreatedAt) {
      tally.lastCreatedAt = created;
      tally.lastRun = run;
    }
  }
}

/** Every figure of the statistics view, from the runs and the clock. */
export function computeRunStats(runs: readonly Run[], nowSeconds: number, options: StatsOptions = {}): RunStats {
  const maxBuckets = Math.max(1, options.maxBuckets ?? 60);
  const offset = options.utcOffsetSeconds ?? 0;
  const n = runs.length;

  const statusCounts = new Map<string, number>();
  const models = new Map<string | null, ModelTally>();
  // Per-thread tallies live in typed arrays indexed by first appearance: no object per thread.
  const threadIndex = new Map<string, number>();
  const threadIds: string[] = [];
  const threadRuns = new Int32Array(n);
  const threadActive = new Int32Array(n);
  const threadLastRun = new Int32Array(n);
  const threadLastAt = new Float64Array(n);
  /** Index of the oldest unfinished run, -1 for none. */
  const threadLockRun = new Int32Array(n);
  const threadLockSince = new Float64Array(n);
  const errorCodes = new Map<string | null, KeyTally>();
  const incompleteReasons = new Map<string | null, KeyTally>();
  const queue = new Float64Array(n);
  const running = new Float64Array(n);
  const created = new Float64Array(n);
  const unsuccessful = new Uint8Array(n);
  let queueCount = 0;
  let queueNegative = 0;
  let runCount = 0;
  let runNegative = 0;
  let createdCount = 0;
  let first = Infinity;
  let last = -Infinity;
  let active = 0;
  let withoutThread = 0;
  let errorRuns = 0;
  let incompleteRuns = 0;
  let prompt = 0;
  let completion = 0;
  let total = 0;
  let runsWithUsage = 0;

  for (let index = 0; index < n; index++) {
    const run = runs[index]!;
    const status = run.status;
    statusCounts.set(status, (statusCounts.get(status) ?? 0) + 1);
    const isActive = isActiveStatus(status);
    if (isActive) active++;
    const createdAt = run.createdAt;
    const sortTime = createdAt ?? run.startedAt ?? -Infinity;

    if (createdAt !== null) {
      created[createdCount] = createdAt;
      unsuccessful[createdCount] = UNSUCCESSFUL_STATUSES.has(status) ? 1 : 0;
      createdCount++;
      if (createdAt < first) first = createdAt;
      if (createdAt > last) last = createdAt;
    }
    const startedAt = run.startedAt;
    if (createdAt !== null && startedAt !== null) {
      const seconds = startedAt - createdAt;
      if (seconds >= 0) queue[queueCount++] = seconds;
      else queueNegative++;
    }
    if (startedAt !== null && run.endedAt !== null) {
      const seconds = run.endedAt - startedAt;
      if (seconds >= 0) running[runCount++] = seconds;
      else runNegative++;
    }

    let model = models.get(run.model);
    if (!model) {
      model = {model: run.model, runs: 0, runsWithUsage: 0, prompt: 0, completion: 0, total: 0};
      models.set(run.model, model);
    }
    model.runs++;
    const usage = run.usage;
    if (usage) {
      const p = usage.promptTokens ?? 0;
      const c = usage.completionTokens ?? 0;
      const t = usage.totalTokens ?? p + c;
      model.runsWithUsage++;
      model.prompt += p;
      model.completion += c;
      model.total += t;
      runsWithUsage++;
      prompt += p;
      completion += c;
      total += t;
    }

    if (run.lastError) {
      errorRuns++;
      tallyKey(errorCodes, run.lastError.code, run, sortTime);
    }
    if (run.incompleteReason !== null) {
      incompleteRuns++;
      tallyKey(incompleteReasons, run.incompleteReason, run, sortTime);
    }

    const threadId = run.threadId;
    if (threadId === null) {
      withoutThread++;
      continue;
    }
    let thread = threadIndex.get(threadId);
    if (thread === undefined) {
      thread = threadIds.length;
      threadIndex.set(threadId, thread);
      threadIds.push(threadId);
      threadLastRun[thread] = index;
      threadLastAt[thread] = sortTime;
      threadLockRun[thread] = -1;
      threadLockSince[thread] = Infinity;
    }
    threadRuns[thread]!++;
    if (sortTime > threadLastAt[thread]!) {
      threadLastAt[thread] = sortTime;
      threadLastRun[thread] = index;
    }
    if (isActive) {
      threadActive[thread]!++;
      const since = createdAt ?? startedAt ?? Infinity;
      if (threadLockRun[thread] === -1 || since < threadLockSince[thread]!) {
        threadLockRun[thread] = index;
        threadLockSince[thread] = since;
      }
    }
  }

  // Runs over time: a second pass over the created times only.
  const buckets: TimeBucket[] = [];
  let bucketName = BUCKET_SIZES[0].name as string;
  let bucketSeconds: number = BUCKET_SIZES[0].seconds;
  if (createdCount > 0) {
    const chosen = chooseBucket(first, last, maxBuckets, offset);
    bucketName = chosen.name;
    bucketSeconds = chosen.seconds;
    const start = bucketStart(first, bucketSeconds, offset);
    const count = Math.floor((last - start) / bucketSeconds) + 1;
    for (let index = 0; index < count; index++) {
      buckets.push({start: start + index * bucketSeconds, end: start + (index + 1) * bucketSeconds, count: 0, unsuccessful: 0});
    }
    for (let index = 0; index < createdCount; index++) {
      const bucket = buckets[Math.floor((created[index]! - start) / bucketSeconds)]!;
      bucket.count++;
      bucket.unsuccessful += unsuccessful[index]!;
    }
  }

  const byStatus: StatusCount[] = [...statusCounts.entries()]
    .sort(([a], [b]) => (STATUS_ORDER.get(a) ?? 99) - (STATUS_ORDER.get(b) ?? 99) || compareKeys(a, b))
    .map(([status, count]) => ({status, count, share: n > 0 ? count / n : 0}));

  const byModel: ModelTokens[] = [...models.values()]
    .sort((a, b) => b.total - a.total || compareKeys(a.model, b.model))
    .map((tally) => ({
      model: tally.model,
      runs: tally.runs,
      runsWithUsage: tally.runsWithUsage,
      promptTokens: tally.prompt,
      completionTokens: tally.completion,
      totalTokens: tally.total,
      share: total > 0 ? tally.total / total : 0,
    }));

  const threadCount = threadIds.length;
  const threadNumbers = function* (filter?: (thread: number) => boolean) {
    for (let thread = 0; thread < threadCount; thread++) if (!filter || filter(thread)) yield thread;
  };
  const busier = (a: number, b: number) =>
    threadRuns[a] !== threadRuns[b]
      ? threadRuns[a]! > threadRuns[b]!
      : threadLastAt[a] !== threadLastAt[b]
        ? threadLastAt[a]! > threadLastAt[b]!
        : threadIds[a]! < threadIds[b]!;
  const busiest = topN(threadNumbers(), options.topThreads ?? 10, busier).map((thread): ThreadActivity => {
    const lastRun = runs[threadLastRun[thread]!]!;
    const lastAt = threadLastAt[thread]!;
    return {
      threadId: threadIds[thread]!,
      runs: threadRuns[thread]!,
      activeRuns: threadActive[thread]!,
      lastRunId: lastRun.id,
      lastStatus: lastRun.status,
      lastCreatedAt: Number.isFinite(lastAt) ? lastAt : null,
    };
  });

  let lockedCount = 0;
  for (let thread = 0; thread < threadCount; thread++) if (threadLockRun[thread] !== -1) lockedCount++;
  const lockedLonger = (a: number, b: number) =>
    threadLockSince[a] !== threadLockSince[b] ? threadLockSince[a]! < threadLockSince[b]! : threadIds[a]! < threadIds[b]!;
  const locked = topN(threadNumbers((thread) => threadLockRun[thread] !== -1), options.lockedThreads ?? 50, lockedLonger).map((thread): LockedThread => {
    const run = runs[threadLockRun[thread]!]!;
    const lockSince = threadLockSince[thread]!;
    const since = Number.isFinite(lockSince) ? lockSince : null;
    return {
      threadId: threadIds[thread]!,
      runId: run.id,
      status: run.status,
      since,
      lockedSeconds: since === null ? null : nowSeconds - since,
      expiresAt: run.expiresAt,
      expired: run.expiresAt !== null && run.expiresAt <= nowSeconds,
      activeRuns: threadActive[thread]!,
    };
  });

  return {
    nowSeconds,
    total: n,
    active,
    byStatus,
    overTime: {
      bucketName,
      bucketSeconds,
      first: createdCount > 0 ? first : null,
      last: createdCount > 0 ? last : null,
      buckets,
      withoutCreatedAt: n - createdCount,
    },
    queueTime: durationStats(queue, queueCount, queueNegative),
    runTime: durationStats(running, runCount, runNegative),
    tokens: {promptTokens: prompt, completionTokens: completion, totalTokens: total, runsWithUsage, byModel},
    cost: computeCostStats(runs, options.modelMap ?? NO_MODEL_MAP),
    errors: {runs: errorRuns, ranked: rankKeys(errorCodes, errorRuns)},
    incomplete: {runs: incompleteRuns, ranked: rankKeys(incompleteReasons, incompleteRuns)},
    threads: {count: threadCount, withoutThread, busiest},
    locked: {count: lockedCount, threads: locked},
  };
}

/** The local zone's offset from UTC at a moment, in seconds (for StatsOptions.utcOffsetSeconds). */
export function localUtcOffsetSeconds(atSeconds: number): number {
  return -new Date(atSeconds * 1000).getTimezoneOffset() * 60;
}
