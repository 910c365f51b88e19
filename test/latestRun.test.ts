/**
 * The rule for which copy of a run is its latest state: a total preorder that follows the rule
 * (final, then the latest lifecycle time, then more times set), so the latest of many copies does
 * not depend on the order they are read in, true ties aside (the one read later wins those).
 */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {compareRunStates, laterCopy, type RunState} from '../src/model/latestRun.js';
import {isFinalStatus, KNOWN_STATUSES, MISSING_STATUS} from '../src/model/run.js';

const time = fc.option(fc.integer({min: 1_700_000_000, max: 1_700_000_020}), {nil: null});
const state: fc.Arbitrary<RunState & {copy: number}> = fc.record({
  status: fc.constantFrom(...KNOWN_STATUSES, MISSING_STATUS, 'paused_for_review'),
  startedAt: time,
  completedAt: time,
  failedAt: time,
  cancelledAt: time,
  copy: fc.nat(),
});

const times = (run: RunState) => [run.startedAt, run.completedAt, run.failedAt, run.cancelledAt].filter((at): at is number => at !== null);
const sign = (value: number) => (value > 0 ? 1 : value < 0 ? -1 : 0);
/** The rule as the issue words it, written out plainly. */
function ruleSays(a: RunState, b: RunState): number {
  if (isFinalStatus(a.status) !== isFinalStatus(b.status)) return isFinalStatus(a.status) ? 1 : -1;
  const latestA = Math.max(-Infinity, ...times(a));
  const latestB = Math.max(-Infinity, ...times(b));
  if (latestA !== latestB) return latestA > latestB ? 1 : -1;
  return sign(times(a).length - times(b).length);
}

describe('compareRunStates', () => {
  it('is the rule: final first, then the latest lifecycle time, then more times set', () => {
    fc.assert(
      fc.property(state, state, (a, b) => {
        expect(sign(compareRunStates(a, b))).toBe(ruleSays(a, b));
      }),
      {numRuns: 2000},
    );
  });

  it('is a total preorder: antisymmetric and transitive', () => {
    fc.assert(
      fc.property(state, state, state, (a, b, c) => {
        expect(sign(compareRunStates(a, b))).toBe(0 - sign(compareRunStates(b, a)));
        if (compareRunStates(a, b) >= 0 && compareRunStates(b, c) >= 0) expect(compareRunStates(a, c)).toBeGreaterThanOrEqual(0);
      }),
      {numRuns: 2000},
    );
  });

  it('the latest of many copies does not depend on the order they come in; a true tie goes to the copy read later', () => {
    fc.assert(
      fc.property(
        fc.array(state, {minLength: 1, maxLength: 8}).chain((copies) => fc.tuple(fc.constant(copies), fc.shuffledSubarray(copies, {minLength: copies.length, maxLength: copies.length}))),
        ([copies, shuffled]) => {
          const inOrder = copies.reduce(laterCopy);
          const reordered = shuffled.reduce(laterCopy);
          // The same state whatever the order…
          expect(compareRunStates(inOrder, reordered)).toBe(0);
          // …no copy is later…
          for (const copy of copies) expect(compareRunStates(copy, inOrder)).toBeLessThanOrEqual(0);
          // …and of the copies tied for latest, the last read.
          const tied = shuffled.filter((copy) => compareRunStates(copy, reordered) === 0);
          expect(reordered).toBe(tied.at(-1));
        },
      ),
      {numRuns: 1000},
    );
  });

  it('reads the normalized status: unknown ones (and a missing one) are unfinished', () => {
    const none = {startedAt: null, completedAt: null, failedAt: null, cancelledAt: null};
    expect(compareRunStates({...none, status: 'completed'}, {...none, status: 'paused_for_review', startedAt: 1_800_000_000})).toBeGreaterThan(0);
    expect(compareRunStates({...none, status: MISSING_STATUS, startedAt: 5}, {...none, status: 'queued'})).toBeGreaterThan(0);
    expect(compareRunStates({...none, status: 'queued'}, {...none, status: 'in_progress'})).toBe(0);
  });
});
