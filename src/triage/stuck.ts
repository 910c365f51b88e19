/**
 * Runs that hold their thread: waiting for tool outputs (`requires_action`), or queued / in
 * progress / cancelling for longer than they should be ("stalled"). Pure and single-pass; the
 * current time is always passed in, so a view can recompute these every second.
 */
import {formatDurationShort} from '../format/time.js';
import {DEPTH_ADVICE} from '../model/powershell.js';
import {isActiveStatus, waitsForApproval, type Run} from '../model/run.js';
import {DEFAULT_STALLED_AFTER_SECONDS, isStalled, isStuck, waitingSeconds} from '../model/runFacts.js';
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
 * result is the same for any list holding all of them: a view that ticks every second over a large
 * store can keep `runs.filter((r) => isActiveStatus(r.status))` from the last change and pass that
 * (the same holds for `findStuckRuns`).
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
