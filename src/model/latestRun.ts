/**
 * Which of two copies of one run is its later state. A run is often seen more than once: a folder
 * of snapshots taken over time, an append-only poll log, a stream transcript beside a later
 * export. The state shown is decided by the run itself, never by the order files or lines are
 * read, so every mode (the TUI, `list` streaming or sorted, `show`, `stuck`, `stats`) shows the
 * same one:
 *
 * 1. a final status (`isFinalStatus`) beats an unfinished one; a status runlens does not know
 *    counts as unfinished, as everywhere else;
 * 2. then the copy whose latest lifecycle timestamp is later;
 * 3. then the copy with more lifecycle timestamps set.
 *
 * Copies equal on all three are a true tie: whoever merges them takes the one read later.
 *
 * The lifecycle timestamps are the moments a run reaches a state, each set once and never moved:
 * `started_at`, `completed_at`, `failed_at`, `cancelled_at`. `created_at` is the same in every
 * copy, and `expires_at` is a deadline, not a moment reached: a server may set it at creation and
 * clear it when the run ends, so it would make a queued copy look later than a running one.
 * (Runs have no `expired_at`; only run steps do.)
 *
 * Within one stream transcript the events' order is the truth and this rule is not used (see
 * sseTranscript.ts); API polling replaces a run with the server's answer (the server is the truth).
 */
import {isFinalStatus, type Run} from './run.js';

/** The fields of a run the rule reads: its (normalized) status and lifecycle timestamps. */
export type RunState = Pick<Run, 'status' | 'startedAt' | 'completedAt' | 'failedAt' | 'cancelledAt'>;

/** The latest lifecycle timestamp set, and how many are set. */
function moments(run: RunState): {latest: number; count: number} {
  let latest = -Infinity;
  let count = 0;
  for (const at of [run.startedAt, run.completedAt, run.failedAt, run.cancelledAt]) {
    if (at === null) continue;
    count += 1;
    if (at > latest) latest = at;
  }
  return {latest, count};
}

/**
 * Orders two copies of a run: positive when `a` is the later state, negative when `b` is, 0 on a
 * true tie. A total preorder (a comparison of keys), so the latest of many copies is the same
 * whatever order they come in, ties aside.
 */
export function compareRunStates(a: RunState, b: RunState): number {
  const final = Number(isFinalStatus(a.status)) - Number(isFinalStatus(b.status));
  if (final !== 0) return final;
  const left = moments(a);
  const right = moments(b);
  if (left.latest !== right.latest) return left.latest > right.latest ? 1 : -1;
  return left.count - right.count;
}

/** The copy to keep of two read in this order: `incoming` unless `held` is the later state (a true tie goes to `incoming`, read later). */
export function laterCopy<T extends RunState>(held: T, incoming: T): T {
  return compareRunStates(incoming, held) >= 0 ? incoming : held;
}
