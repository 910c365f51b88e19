/**
 * The list's order kept without re-sorting every run: runs a streaming load appends are sorted
 * alone and merged into the order and the filtered result, and both equal a plain sort and filter
 * of all runs, piece after piece, for every sort, direction and filter; a piece that replaces a
 * run in place is sorted whole.
 */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {NO_MODEL_MAP} from '../src/model/cost.js';
import {DEFAULT_QUERY, SORT_KEYS, type ListQuery} from '../src/model/listQuery.js';
import type {Run} from '../src/model/run.js';
import {filterRuns, sortRecord, sortRuns} from '../src/store/listView.js';
import {createListWindow, listReducer, type ListWindow} from '../src/store/listWindow.js';
import {extendsRuns, listAtClock, mergeOrders, withAppendedRuns} from '../src/store/orderUpdate.js';
import {ids, NOW, plainSort, runOf, runRowArbitrary, sameRuns, TOPICS} from './helpers/sortedRuns.js';

/** A query with any sort and, now and then, a status, a search word or a stuck view. */
const queryArbitrary: fc.Arbitrary<ListQuery> = fc.record({
  sort: fc.constantFrom(...SORT_KEYS),
  descending: fc.boolean(),
  statuses: fc.option(fc.constantFrom(['completed'], ['requires_action', 'queued'], ['in_progress']), {nil: null}),
  search: fc.constantFrom('', '', TOPICS[0]!, `${TOPICS[1]} gpt`),
  stuck: fc.constantFrom('off', 'off', 'waiting', 'stalled'),
  stalledAfterSeconds: fc.constantFrom(60, 600),
}).map((fields) => ({...DEFAULT_QUERY, ...fields, model: null}));

/** The runs of a load, cut into pieces at given counts: each piece is every run so far. */
const loadArbitrary = fc
  .record({rows: fc.array(runRowArbitrary, {minLength: 1, maxLength: 200}), cuts: fc.array(fc.nat({max: 200}), {maxLength: 6})})
  .map(({rows, cuts}) => {
    const runs = rows.map(runOf);
    const ends = [...new Set([...cuts.map((cut) => cut % (runs.length + 1)), runs.length])].sort((a, b) => a - b);
    return {runs, pieces: ends.map((end) => runs.slice(0, end))};
  });

/** What sorting and filtering all runs at once shows. */
function expected(runs: readonly Run[], query: ListQuery, nowSeconds = NOW): {sorted: Run[]; visible: Run[]} {
  const sorted = plainSort(runs, query.sort, query.descending, nowSeconds);
  return {sorted, visible: filterRuns(sorted, query, nowSeconds)};
}

describe('runs appended while a load streams in', () => {
  it('are merged into the order and the result, which equal a plain sort and filter of all runs, piece after piece (property)', () => {
    fc.assert(
      fc.property(loadArbitrary, queryArbitrary, ({pieces}, query) => {
        let state: ListWindow = createListWindow({runs: [], nowSeconds: NOW, query});
        for (const piece of pieces) {
          const previous = state;
          state = listReducer(state, {type: 'setRuns', runs: piece, loading: true});
          const want = expected(piece, query);
          expect(ids(state.sorted)).toEqual(ids(want.sorted));
          expect(sameRuns(state.sorted, want.sorted)).toBe(true);
          expect(ids(state.visible)).toEqual(ids(want.visible));
          expect(sameRuns(state.visible, want.visible)).toBe(true);
          // Merged, not sorted again: the order keeps the keys its merge joined, over the new runs.
          if (previous.runs.length > 0) expect(sortRecord(state.sorted)?.base).toBe(piece);
        }
      }),
      {numRuns: 300},
    );
  });

  it('merges directly: the same order as sorting all runs, and null unless the new runs extend the old (property)', () => {
    fc.assert(
      fc.property(loadArbitrary, queryArbitrary, fc.nat(), ({runs, pieces}, query, cut) => {
        const first = pieces.length > 1 ? pieces[0]! : runs.slice(0, cut % (runs.length + 1));
        const sorted = sortRuns(first, query.sort, query.descending, NOW);
        const list = {runs: first, sorted, visible: filterRuns(sorted, query, NOW)};
        const merged = withAppendedRuns(list, runs, query, NOW, NO_MODEL_MAP);
        expect(merged).not.toBeNull();
        const want = expected(runs, query);
        expect(ids(merged!.sorted)).toEqual(ids(want.sorted));
        expect(ids(merged!.visible)).toEqual(ids(want.visible));
        // A run replaced in place (a later copy of it) breaks the prefix: the caller sorts everything.
        if (first.length > 0) {
          const replaced = [...runs];
          replaced[0] = {...replaced[0]!};
          expect(withAppendedRuns(list, replaced, query, NOW, NO_MODEL_MAP)).toBeNull();
        }
      }),
      {numRuns: 300},
    );
  });

  it('a piece that replaces a run in place, or a sort asked for meanwhile, is sorted whole and still right', () => {
    const runs = Array.from({length: 40}, (_, index) => runOf({id: index, status: index % 3 ? 'completed' : 'requires_action', model: 'gpt-4o', created: index % 9, started: index % 5, ran: 1, tokens: index % 4, topic: TOPICS[index % 3]!}, index));
    let state = createListWindow({runs: runs.slice(0, 10), nowSeconds: NOW, query: {sort: 'tokens'}, filterPace: {syncWork: 0, headRuns: 1, eachRuns: 1, gatherRuns: 1, syncSortRuns: 0}});
    const copy = {...runs[3]!, status: 'failed'};
    const replaced = [...runs.slice(0, 20)];
    replaced[3] = copy;
    expect(extendsRuns(state.runs, replaced)).toBe(false);
    state = listReducer(state, {type: 'setRuns', runs: replaced, loading: true});
    expect(sameRuns(state.sorted, plainSort(replaced, 'tokens', true, NOW))).toBe(true);
    // A sort going on across frames when more runs arrive: the new runs are sorted at once by the
    // sort asked for, and the scan of the old runs is dropped, never shown.
    state = listReducer(state, {type: 'cycleSort'});
    expect(state.sorting).not.toBeNull();
    const more = [...replaced, ...runs.slice(20)];
    state = listReducer(state, {type: 'setRuns', runs: more, loading: true});
    expect(state.sorting).toBeNull();
    expect(state.query.sort).toBe('cost');
    expect(sameRuns(state.sorted, plainSort(more, 'cost', true, NOW))).toBe(true);
  });

  it('keeps the cursor on the newest run while it loads, and on the selected run once moved', () => {
    const runs = Array.from({length: 30}, (_, index) => runOf({id: index, status: 'completed', model: null, created: 30 - index, started: null, ran: null, tokens: null, topic: 'alpha'}, index));
    let state = createListWindow({runs: [], nowSeconds: NOW});
    state = listReducer(state, {type: 'setRuns', runs: runs.slice(0, 10), loading: true});
    state = listReducer(state, {type: 'setRuns', runs: runs.slice(0, 20), loading: true});
    // Runs are created later and later: the newest is on top, and the cursor follows it.
    expect(state.cursor).toBe(0);
    expect(state.visible[0]!.id).toBe(runs[19]!.id);
    state = listReducer(state, {type: 'move', delta: 2});
    const selected = state.visible[state.cursor]!;
    state = listReducer(state, {type: 'setRuns', runs, loading: true});
    expect(state.visible[state.cursor]).toBe(selected);
  });
});

describe('mergeOrders', () => {
  it('merges two sorted orders of positions into one, whatever their lengths (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({min: 0, max: 50}), {maxLength: 80}), fc.array(fc.integer({min: 0, max: 50}), {maxLength: 80}), (left, right) => {
        // Positions 0.. of `left` then of `right`, each side sorted by value; ties by position.
        const values = [...left, ...right];
        const compare = (a: number, b: number) => values[a]! - values[b]! || a - b;
        const a = Int32Array.from(left.map((_, at) => at)).sort(compare);
        const b = Int32Array.from(right.map((_, at) => left.length + at)).sort(compare);
        const asRuns = (positions: Int32Array) => Array.from(positions, (position) => ({id: String(position)}) as Run);
        const merged = mergeOrders(asRuns(a), a, asRuns(b), b, compare);
        const want = Int32Array.from(values.map((_, at) => at)).sort(compare);
        expect([...merged.positions]).toEqual([...want]);
        expect(merged.runs.map((run) => Number(run.id))).toEqual([...want]);
      }),
      {numRuns: 500},
    );
  });
});

/** Runs with times that need not be whole seconds, and starts a little in the future now and then. */
const clockRunsArbitrary = fc
  .record({rows: fc.array(runRowArbitrary, {maxLength: 150}), fractions: fc.array(fc.constantFrom(0, 0, 0.25, 0.5, 1e-9), {minLength: 150, maxLength: 150})})
  .map(({rows, fractions}) => rows.map((row, index) => {
    const run = runOf(row, index);
    const shift = fractions[index]!;
    return shift === 0 || run.startedAt === null ? run : {...run, startedAt: run.startedAt + shift};
  }));

/** Queries that read the clock: a sort by waiting or duration, or the stalled view. */
const clockQueryArbitrary = queryArbitrary.chain((query) =>
  fc.record({sort: fc.constantFrom('waiting' as const, 'duration' as const, query.sort), stuck: fc.constantFrom('stalled' as const, query.stuck)}).map((clock) => ({...query, ...clock})),
);

describe('a clock tick', () => {
  it('re-checks the order and grows the stalled view: the same as sorting and filtering all runs at the new clock, tick after tick (property)', () => {
    fc.assert(
      fc.property(clockRunsArbitrary, clockQueryArbitrary, fc.array(fc.integer({min: -30, max: 700}), {minLength: 1, maxLength: 6}), (runs, query, steps) => {
        let state: ListWindow = createListWindow({runs, nowSeconds: NOW - 300, query});
        let now = NOW - 300;
        for (const step of steps) {
          const direct = listAtClock(state, state.query, now, now + step, NO_MODEL_MAP);
          now += step;
          const want = expected(runs, query, now);
          if (step >= 0) {
            // Forward, the tick never needs a full sort or filter.
            expect(direct).not.toBeNull();
            expect(ids(direct!.sorted)).toEqual(ids(want.sorted));
            expect(ids(direct!.visible)).toEqual(ids(want.visible));
          }
          state = listReducer(state, {type: 'tick', nowSeconds: now});
          expect(ids(state.sorted)).toEqual(ids(want.sorted));
          expect(sameRuns(state.sorted, want.sorted)).toBe(true);
          expect(ids(state.visible)).toEqual(ids(want.visible));
          expect(sameRuns(state.visible, want.visible)).toBe(true);
        }
      }),
      {numRuns: 300},
    );
  });

  it('keeps the same arrays when nothing moves: a waiting sort of whole seconds, no run stalling', () => {
    const runs = Array.from({length: 20}, (_, index) => runOf({id: index, status: index % 2 ? 'requires_action' : 'in_progress', model: null, created: index, started: index % 7, ran: null, tokens: null, topic: 'alpha'}, index));
    let state = createListWindow({runs, nowSeconds: NOW, query: {sort: 'waiting', stuck: 'waiting'}});
    state = listReducer(state, {type: 'move', delta: 3});
    const {sorted, visible, cursor} = state;
    state = listReducer(state, {type: 'tick', nowSeconds: NOW + 1});
    expect(state.sorted).toBe(sorted);
    expect(state.visible).toBe(visible);
    expect(state.cursor).toBe(cursor);
    expect(state.nowSeconds).toBe(NOW + 1);
  });

  it('adds the runs that stalled since to the stalled view, and keeps the cursor on its run', () => {
    // In progress since 0, 30, … 570 s ago; stalled after 600 s.
    const runs = Array.from({length: 20}, (_, index) => runOf({id: index, status: 'in_progress', model: null, created: index, started: index, ran: null, tokens: null, topic: 'alpha'}, index));
    let state = createListWindow({runs, nowSeconds: NOW, query: {stuck: 'stalled', stalledAfterSeconds: 600}});
    expect(state.visible).toEqual([]);
    state = listReducer(state, {type: 'tick', nowSeconds: NOW + 61});
    expect(ids(state.visible)).toEqual(ids(runs.slice(-2)));
    state = listReducer(state, {type: 'move', delta: 1});
    const selected = state.visible[state.cursor];
    state = listReducer(state, {type: 'tick', nowSeconds: NOW + 121});
    expect(ids(state.visible)).toEqual(ids(runs.slice(-4)));
    expect(state.visible[state.cursor]).toBe(selected);
  });
});

describe('a clock tick while a sort goes on across frames', () => {
  it('moves the order shown on, keeps the sort going, and brings its order to the clock when it ends (property)', () => {
    const pace = {syncWork: Infinity, headRuns: 2048, eachRuns: 4096, gatherRuns: 65_536, syncSortRuns: 0};
    fc.assert(
      fc.property(clockRunsArbitrary, clockQueryArbitrary, fc.array(fc.integer({min: 0, max: 700}), {minLength: 1, maxLength: 4}), (runs, query, steps) => {
        let state: ListWindow = createListWindow({runs, nowSeconds: NOW, query, filterPace: pace});
        // The sort asked for by the stuck key (waiting) or a sort key, going on across frames.
        state = listReducer(state, {type: 'cycleSort'});
        const scan = state.sorting?.scan;
        let now = NOW;
        for (const step of steps) {
          now += step;
          state = listReducer(state, {type: 'tick', nowSeconds: now});
          expect(state.sorting?.scan).toBe(scan);
          // The order shown is the shown sort's at the new clock.
          const shown = expected(runs, state.query, now);
          expect(ids(state.sorted)).toEqual(ids(shown.sorted));
          expect(ids(state.visible)).toEqual(ids(shown.visible));
        }
        if (!scan) return;
        scan.finish();
        state = listReducer(state, {type: 'sortDone', scan});
        expect(state.sorting).toBeNull();
        const want = expected(runs, state.query, now);
        expect(ids(state.sorted)).toEqual(ids(want.sorted));
        expect(ids(state.visible)).toEqual(ids(want.visible));
      }),
      {numRuns: 200},
    );
  });
});
