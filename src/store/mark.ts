/**
 * The mark and the compare view: `m` marks the run under the cursor (again: unmarks it), `=` on
 * another run opens the two compared, A the marked one and B the other. Runs are kept by id, so a
 * refresh that brings new states of them compares the new states. The footer escapes the lines
 * said here, as it does every flash.
 */
import {keyText} from '../keys.js';
import type {Run} from '../model/run.js';

/** The marked run, and the pair the compare view shows. */
export interface MarkState {
  markedRunId: string | null;
  compared: {a: string; b: string} | null;
}

/** Nothing marked, nothing compared. */
export const INITIAL_MARK: MarkState = {markedRunId: null, compared: null};

/** `m` on `run`: marks it, or unmarks it when it is the marked one; with the footer's line. */
export function toggleMark<S extends MarkState>(state: S, run: Run): S & {flash: string} {
  if (state.markedRunId === run.id) return {...state, markedRunId: null, flash: `Unmarked ${run.id}`};
  return {...state, markedRunId: run.id, flash: `Marked ${run.id}: press ${keyText('compare')} on another run to compare them`};
}

/**
 * `=` on `run`: the pair to compare (the marked run first), or the footer's line saying why there
 * is none: nothing marked (and how to mark), the marked run itself, a marked run no longer loaded.
 */
export function comparePair(state: MarkState, run: Run, runs: readonly Run[]): {a: string; b: string} | string {
  const mark = keyText('markRun');
  const compare = keyText('compare');
  if (state.markedRunId === null) return `Nothing is marked: press ${mark} on a run, then ${compare} on another to compare the two`;
  if (state.markedRunId === run.id) return `This is the marked run: press ${compare} on another run to compare it with this one`;
  if (!runs.some((candidate) => candidate.id === state.markedRunId)) return `The marked run ${state.markedRunId} is no longer loaded: press ${mark} on a run to mark another`;
  return {a: state.markedRunId, b: run.id};
}

/** The two runs of the compare view, as loaded now; undefined when there is no pair (or a run is gone). */
export function comparedRuns(compared: MarkState['compared'], runs: readonly Run[]): {a: Run; b: Run} | undefined {
  if (!compared) return undefined;
  const runA = runs.find((run) => run.id === compared.a);
  const runB = runs.find((run) => run.id === compared.b);
  return runA && runB ? {a: runA, b: runB} : undefined;
}
