/**
 * Runs that hold their thread: waiting for tool outputs (`requires_action`), or queued / in
 * progress / cancelling for longer than they should be ("stalled"). Pure and single-pass; the
 * current time is always passed in, so a view can recompute these every second.
 */
import {formatDurationShort} from '../format/time.js';
import {DEPTH_ADVICE} from '../model/powershell.js';
import {isActiveStatus, waitsForApproval, type Run} from '../model/run.js';
import {DEFAULT_STALLED_AFTER_SECONDS, isStalled, isStuck, waitingSeconds, waitingSince} from '../model/runFacts.js';
import {checkToolCalls, summarizeProblems} from './toolCallChecks.js';

/** Default window in which a waiting run "expires soon". */
const DEFAULT_EXPIRING_WITHIN_SECONDS = 300;

export interface StuckRun {
  run: Run;
  /** `waiting`: requires_action. `stalled`: queued, in_progress or cancelling past the threshold. */
  kind: 'waiting' | 'stalled';
  /** Seconds since `waitingSince(run)` (an upper bound, never negative); null when the run has no times. */
  waitingSeconds: number | null;
  /** Seconds until `expires_at`; negative once it has passed. Null when the run has no expiry. */
  expiresInSeconds: number | null;
  /** Still `requires_action` although `expires_at` has passed: the outputs can no longer be sent. */
  expiredWhileWaiting: boolean;
  /** Function names of the pending tool calls, in call order (empty for stalled runs). */
  pendingFunctions: string[];
  /** One line per failed tool-call check (see `summarizeProblems`); waiting runs only. */
  problems: string[];
}

export interface FindStuckOptions {
  /** Also list queued / in_progress / cancelling runs older than `stalledAfterSeconds`. Default false. */
  includeStalled?: boolean;
  /** Default 600. */
  stalledAfterSeconds?: number;
  /** Only runs that have been waiting (or stalled) at least this long; runs of unknown age are left out. */
  olderThanSeconds?: number;
  /** Run the tool-call checks to fill `problems` (memoized per run). Default true. */
  withProblems?: boolean;
}

/** Longest waiting first; unknown ages last; then soonest expiry; then id, so the order is stable. */
function compareStuck(a: StuckRun, b: StuckRun): number {
  if (a.waitingSeconds !== b.waitingSeconds) {
    if (a.waitingSeconds === null) return 1;
    if (b.waitingSeconds === null) return -1;
    return b.waitingSeconds - a.waitingSeconds;
  }
  if (a.expiresInSeconds !== b.expiresInSeconds) {
    if (a.expiresInSeconds === null) return 1;
    if (b.expiresInSeconds === null) return -1;
    return a.expiresInSeconds - b.expiresInSeconds;
  }
  return a.run.id < b.run.id ? -1 : a.run.id > b.run.id ? 1 : 0;
}

/**
 * Runs waiting for tool outputs (and, with `includeStalled`, active runs stuck before that),
 * sorted longest waiting first. A run in `requires_action` with no tool calls is listed with the
 * problem `requires_action without tool calls`; one whose calls an export cut short says so instead.
 */
export function findStuckRuns(runs: readonly Run[], nowSeconds: number, options: FindStuckOptions = {}): StuckRun[] {
  const {includeStalled = false, stalledAfterSeconds = DEFAULT_STALLED_AFTER_SECONDS, olderThanSeconds, withProblems = true} = options;
  const stuck: StuckRun[] = [];
  for (const run of runs) {
    if (!isStuck(run, nowSeconds, {includeStalled, stalledAfterSeconds})) continue;
    const waiting = run.status === 'requires_action';
    const waited = waitingSeconds(run, nowSeconds);
    if (olderThanSeconds !== undefined && (waited === null || waited < olderThanSeconds)) continue;
    const expiresInSeconds = run.expiresAt === null ? null : run.expiresAt - nowSeconds;
    const calls = waiting ? run.requiredAction?.toolCalls ?? [] : [];
    let problems: string[] = [];
    if (waiting) {
      // Cut short by an export: the calls are unknown, which is not the same as none.
      const cut = run.requiredAction?.callsCut ? [`the export cut the tool calls short; ${DEPTH_ADVICE}`] : [];
      if (calls.length === 0) problems = cut.length > 0 ? cut : ['requires_action without tool calls'];
      else problems = [...cut, ...(withProblems ? summarizeProblems(checkToolCalls(run)) : [])];
    }
    stuck.push({
      run,
      kind: waiting ? 'waiting' : 'stalled',
      waitingSeconds: waited,
      expiresInSeconds,
      expiredWhileWaiting: waiting && expiresInSeconds !== null && expiresInSeconds <= 0,
      pendingFunctions: calls.map((call) => call.functionName),
      problems,
    });
  }
  return stuck.sort(compareStuck);
}

export interface StuckSummary {
  /** Runs in requires_action (including those whose expiry has passed). */
  waiting: number;
  /** Of those, the runs waiting for MCP tool approvals (Foundry); absent when none. */
  waitingApproval?: number;
  /** Longest `waitingSeconds` among waiting runs; null when none has a known start. */
  oldestWaitingSeconds: number | null;
  /** Waiting runs that expire within the window (default 5 minutes) and have not expired yet. */
  expiringSoon: number;
  /** Seconds until the next expiry among waiting runs not yet expired (any distance); null if none. */
  soonestExpirySeconds: number | null;
  /** Waiting runs whose `expires_at` has passed. */
  expiredWhileWaiting: number;
  /** Active runs (queued, in_progress, requires_action, cancelling), each of which locks its thread. */
  active: number;
  /** Queued / in_progress / cancelling runs older than the stalled threshold. */
  stalled: number;
  /** Distinct thread ids of active runs (runs without a thread id are not counted). */
  lockedThreads: number;
}

export interface SummarizeStuckOptions {
  /** Default 300. */
  expiringWithinSeconds?: number;
  /** Default 600. */
  stalledAfterSeconds?: number;
}

/**
 * Counts for a header badge, in one pass; runs no tool-call checks. Only active runs count, so the
 * result is the same for any list holding all of them (the same holds for `findStuckRuns`). A view
 * that ticks every second over a large store keeps a `StuckTally` of its runs instead and asks
 * `summarizeTally`, which gives this answer without walking the runs.
 */
export function summarizeStuck(runs: readonly Run[], nowSeconds: number, options: SummarizeStuckOptions = {}): StuckSummary {
  const {expiringWithinSeconds = DEFAULT_EXPIRING_WITHIN_SECONDS, stalledAfterSeconds = DEFAULT_STALLED_AFTER_SECONDS} = options;
  const summary: StuckSummary = {
    waiting: 0,
    oldestWaitingSeconds: null,
    expiringSoon: 0,
    soonestExpirySeconds: null,
    expiredWhileWaiting: 0,
    active: 0,
    stalled: 0,
    lockedThreads: 0,
  };
  const threads = new Set<string>();
  for (const run of runs) {
    if (!isActiveStatus(run.status)) continue;
    summary.active += 1;
    if (run.threadId !== null) threads.add(run.threadId);
    if (run.status !== 'requires_action') {
      if (isStalled(run, nowSeconds, stalledAfterSeconds)) summary.stalled += 1;
      continue;
    }
    summary.waiting += 1;
    if (waitsForApproval(run)) summary.waitingApproval = (summary.waitingApproval ?? 0) + 1;
    const waited = waitingSeconds(run, nowSeconds);
    if (waited !== null && (summary.oldestWaitingSeconds === null || waited > summary.oldestWaitingSeconds)) {
      summary.oldestWaitingSeconds = waited;
    }
    if (run.expiresAt === null) continue;
    const expiresIn = run.expiresAt - nowSeconds;
    if (expiresIn <= 0) {
      summary.expiredWhileWaiting += 1;
      continue;
    }
    if (expiresIn <= expiringWithinSeconds) summary.expiringSoon += 1;
    if (summary.soonestExpirySeconds === null || expiresIn < summary.soonestExpirySeconds) summary.soonestExpirySeconds = expiresIn;
  }
  summary.lockedThreads = threads.size;
  return summary;
}

/**
 * The header badge: `3 waiting for tool outputs · oldest 14m · 1 expires in 2m`, with
 * `· 2 expired while waiting` and `· 1 stalled` when there are some. Null when nothing is stuck.
 */
export function formatStuckBadge(summary: StuckSummary): string | null {
  const parts: string[] = [];
  if (summary.waiting > 0) {
    const approvals = summary.waitingApproval ?? 0;
    const outputs = summary.waiting - approvals;
    parts.push(
      approvals === 0
        ? `${outputs} waiting for tool outputs`
        : outputs === 0
          ? `${approvals} waiting for tool approvals`
          : `${outputs} waiting for tool outputs, ${approvals} for approvals`,
    );
    if (summary.oldestWaitingSeconds !== null) parts.push(`oldest ${formatDurationShort(summary.oldestWaitingSeconds)}`);
    if (summary.expiringSoon > 0 && summary.soonestExpirySeconds !== null) {
      const soonest = formatDurationShort(summary.soonestExpirySeconds);
      parts.push(summary.expiringSoon === 1 ? `1 expires in ${soonest}` : `${summary.expiringSoon} expire soon, next in ${soonest}`);
    }
    if (summary.expiredWhileWaiting > 0) parts.push(`${summary.expiredWhileWaiting} expired while waiting`);
  }
  if (summary.stalled > 0) parts.push(`${summary.stalled} stalled`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/**
 * What `summarizeStuck` reads of the active runs, gathered once, so that the summary at any time is
 * a few binary searches (`summarizeTally`) instead of a walk over every active run: the header ticks
 * each second, and at a million runs that walk over 220,000 active ones was a tenth of a load.
 * Every count that depends on the clock is a count of times on one side of a threshold, so the
 * times are kept sorted. One tally is never changed; `StuckTally` makes the next.
 */
export interface ActiveRunsTally {
  /** Active runs, as `StuckSummary.active`. */
  readonly active: number;
  /** Distinct thread ids of active runs. */
  readonly lockedThreads: number;
  /** Runs in requires_action. */
  readonly waiting: number;
  /** Of those, the ones waiting for tool approvals. */
  readonly waitingApproval: number;
  /** The earliest `waitingSince` among waiting runs; null when none has one. */
  readonly earliestWaitingSince: number | null;
  /** `waitingSince` of the queued, in_progress and cancelling runs that have one, ascending. */
  readonly stalledSince: Float64Array;
  /** `expires_at` of the waiting runs that have one, ascending. */
  readonly waitingExpiries: Float64Array;
}

/** Numbers taken in any order, handed out sorted (a new array after each change, so a tally handed out stays as it was). */
class SortedTimes {
  private sorted = new Float64Array(0);
  private added: number[] = [];

  add(value: number): void {
    this.added.push(value);
  }

  /** The values so far, ascending: the new ones sorted and merged in (a piece's worth at a time, not one insert each). */
  values(): Float64Array {
    if (this.added.length === 0) return this.sorted;
    const added = Float64Array.from(this.added).sort();
    const old = this.sorted;
    const merged = new Float64Array(old.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < old.length && j < added.length) merged[k++] = old[i]! <= added[j]! ? old[i++]! : added[j++]!;
    while (i < old.length) merged[k++] = old[i++]!;
    while (j < added.length) merged[k++] = added[j++]!;
    this.sorted = merged;
    this.added = [];
    return merged;
  }
}

/** Runs added one at a time (a streaming load's appended runs), their `ActiveRunsTally` on demand. */
export class StuckTally {
  private active = 0;
  private readonly threads = new Set<string>();
  private waiting = 0;
  private waitingApproval = 0;
  private earliestWaitingSince: number | null = null;
  private readonly stalledSince = new SortedTimes();
  private readonly waitingExpiries = new SortedTimes();
  private last: ActiveRunsTally | null = null;

  /** Takes one run into the tally; finished runs count for nothing. */
  add(run: Run): void {
    if (!isActiveStatus(run.status)) return;
    this.last = null;
    this.active += 1;
    if (run.threadId !== null) this.threads.add(run.threadId);
    const since = waitingSince(run);
    if (run.status !== 'requires_action') {
      if (since !== null) this.stalledSince.add(since);
      return;
    }
    this.waiting += 1;
    if (waitsForApproval(run)) this.waitingApproval += 1;
    if (since !== null && (this.earliestWaitingSince === null || since < this.earliestWaitingSince)) this.earliestWaitingSince = since;
    if (run.expiresAt !== null) this.waitingExpiries.add(run.expiresAt);
  }

  /** The tally of the runs added so far: the same object until a run is added. */
  tally(): ActiveRunsTally {
    return (this.last ??= {
      active: this.active,
      lockedThreads: this.threads.size,
      waiting: this.waiting,
      waitingApproval: this.waitingApproval,
      earliestWaitingSince: this.earliestWaitingSince,
      stalledSince: this.stalledSince.values(),
      waitingExpiries: this.waitingExpiries.values(),
    });
  }
}

/** How many of `sorted` (ascending) come before the first for which `holds` is false; `holds` must be true on a prefix. */
function prefixWhere(sorted: Float64Array, holds: (value: number) => boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (holds(sorted[middle]!)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * `summarizeStuck` of the runs tallied, at `nowSeconds`: the same object, field for field. Each
 * test is summarizeStuck's own expression (`now - since`, `expiresAt - now`), which never increases
 * as the time it reads grows, so the runs it holds for are a prefix of the sorted times, found by
 * binary search, and the largest wait is that of the earliest start.
 */
export function summarizeTally(tally: ActiveRunsTally, nowSeconds: number, options: SummarizeStuckOptions = {}): StuckSummary {
  const {expiringWithinSeconds = DEFAULT_EXPIRING_WITHIN_SECONDS, stalledAfterSeconds = DEFAULT_STALLED_AFTER_SECONDS} = options;
  const expiries = tally.waitingExpiries;
  const expired = prefixWhere(expiries, (expiresAt) => expiresAt - nowSeconds <= 0);
  const withinWindow = prefixWhere(expiries, (expiresAt) => expiresAt - nowSeconds <= expiringWithinSeconds);
  const summary: StuckSummary = {
    waiting: tally.waiting,
    oldestWaitingSeconds: tally.earliestWaitingSince === null ? null : Math.max(0, nowSeconds - tally.earliestWaitingSince),
    expiringSoon: Math.max(0, withinWindow - expired),
    soonestExpirySeconds: expired < expiries.length ? expiries[expired]! - nowSeconds : null,
    expiredWhileWaiting: expired,
    active: tally.active,
    stalled: prefixWhere(tally.stalledSince, (since) => Math.max(0, nowSeconds - since) >= stalledAfterSeconds),
    lockedThreads: tally.lockedThreads,
  };
  if (tally.waitingApproval > 0) summary.waitingApproval = tally.waitingApproval;
  return summary;
}
