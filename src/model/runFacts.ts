/**
 * Facts about one run that follow from its fields and the clock: how long it has run, since when
 * it waits, whether it is stuck. Written once, so the list, its sort and filter, the stuck view,
 * the header badge and the panes agree.
 */
import {isActiveStatus, type Run} from './run.js';
import type {RunStep} from './runStep.js';

/** Default age after which a queued / in-progress / cancelling run counts as stalled. */
export const DEFAULT_STALLED_AFTER_SECONDS = 600;

/** Seconds the run has taken: until it ended, or until now while it is not final. */
export function runDurationSeconds(run: Run, nowSeconds: number): number | null {
  const start = runStartSeconds(run);
  if (start === null) return null;
  const end = run.endedAt ?? (isActiveStatus(run.status) ? nowSeconds : null);
  return end === null ? null : Math.max(0, end - start);
}

/** When the run started, as its duration counts it: a response records no start, so it runs from its creation. */
export function runStartSeconds(run: Run): number | null {
  return run.startedAt ?? (run.kind === 'response' ? run.createdAt : null);
}

/**
 * When the run started waiting, as far as the run object tells. The API records no time for
 * entering `requires_action` (nor for a later return to `queued`), so this is `started_at`, else
 * `created_at`: an upper bound on how long the run has been in its current state.
 */
export function waitingSince(run: Run): number | null {
  return run.startedAt ?? run.createdAt ?? null;
}

/** Seconds since `waitingSince(run)`, never negative; null when the run has no times. */
export function waitingSeconds(run: Run, nowSeconds: number): number | null {
  const since = waitingSince(run);
  // Clock skew can put a start a little in the future; never report a negative wait.
  return since === null ? null : Math.max(0, nowSeconds - since);
}

/** Queued, in progress or cancelling for at least `afterSeconds`: the run holds its thread too long. */
export function isStalled(run: Run, nowSeconds: number, afterSeconds = DEFAULT_STALLED_AFTER_SECONDS): boolean {
  if (run.status === 'requires_action' || !isActiveStatus(run.status)) return false;
  const waited = waitingSeconds(run, nowSeconds);
  return waited !== null && waited >= afterSeconds;
}

/** Stuck: waiting for tool outputs (`requires_action`), or, with `includeStalled`, stalled. */
export function isStuck(run: Run, nowSeconds: number, options: {includeStalled: boolean; stalledAfterSeconds?: number}): boolean {
  return run.status === 'requires_action' || (options.includeStalled && isStalled(run, nowSeconds, options.stalledAfterSeconds));
}

/** Whether a step is a round of function calls: the run stopped in `requires_action` for its outputs. */
export function isToolRound(step: RunStep): boolean {
  return step.toolCalls.some((call) => call.type === 'function');
}

/**
 * How many times the run asked for tool outputs: its steps with function calls (code_interpreter
 * and file_search run on the server and need none), plus the round it waits in now when no step
 * read shows it yet. A run that went back to `requires_action` after a submit is round 2, 3, …
 */
export function toolRounds(run: Pick<Run, 'status'>, steps: readonly RunStep[]): number {
  const rounds = steps.filter(isToolRound);
  const waitingUnseen = run.status === 'requires_action' && !rounds.some((step) => step.status === 'in_progress');
  return rounds.length + (waitingUnseen ? 1 : 0);
}
