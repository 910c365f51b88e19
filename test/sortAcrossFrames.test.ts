/**
 * A sort too big for one frame goes on between frames (SortScan, run by the filter runner): its
 * order is sortRuns' order, for every sort key, with missing values and ties; and the store shows
 * the old order, saying it is sorting, until the new one is whole, never a half-sorted list.
 */
import fc from 'fast-check';
import {beforeAll, describe, expect, it, onTestFinished} from 'vitest';
import {normalizeRun} from '../src/model/normalize.js';
import type {Run} from '../src/model/run.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {createFilterRunner} from '../src/store/filterRunner.js';
import {DEFAULT_FILTER_PACE, filterRuns, SORT_TUNING, SortScan, sortRuns} from '../src/store/listView.js';
import {createListWindow, listReducer, type ListAction} from '../src/store/listWindow.js';
import {createInitialState, updateRunStore, type Effect} from '../src/store/runStore.js';
import {DEFAULT_QUERY, SORT_KEYS} from '../src/model/listQuery.js';
import {ids, NOW, plainSort, runsArbitrary, sameRuns} from './helpers/sortedRuns.js';

describe('SortScan', () => {
  // Few runs are sorted by comparing (SORT_TUNING): at 0 every numeric sort counts digits, as a large one does.
  it.each([SORT_TUNING.radixFrom, 0])('gives sortRuns order for every key and direction, however small its steps, numeric sorts comparing below %i runs (property)', (radixFrom) => {
    const before = SORT_TUNING.radixFrom;
    SORT_TUNING.radixFrom = radixFrom;
    onTestFinished(() => {
      SORT_TUNING.radixFrom = before;
    });
    fc.assert(
      fc.property(runsArbitrary, fc.constantFrom(...SORT_KEYS), fc.boolean(), fc.integer({min: 1, max: 40}), (runs, sort, descending, step) => {
        const scan = new SortScan(runs, sort, descending, NOW, undefined, step);
        let steps = 0;
        let fraction = 0;
        while (!scan.step()) {
          // Nothing to show before the end, and the fraction only grows.
          expect(scan.result()).toBeNull();
          expect(scan.fraction).toBeGreaterThanOrEqual(fraction);
          fraction = scan.fraction;
          steps++;
        }
        expect(scan.fraction).toBe(1);
        expect(scan.result()).toEqual(sortRuns(runs, sort, descending, NOW));
        // And the order of a plain comparison sort, the same objects in the same places.
        expect(sameRuns(scan.result()!, plainSort(runs, sort, descending, NOW))).toBe(true);
        // Work is spread: more than one step whenever there are more runs than a step takes.
        if (runs.length > step) expect(steps).toBeGreaterThan(0);
      }),
      {numRuns: 400},
    );
  });

  it('sorts nothing in one step; a text sort of one block in three (keyed, sorted, written out); a numeric sort of a step of runs in one', () => {
    expect(new SortScan([], 'created', true, NOW).step()).toBe(true);
    const one = normalizeRun({object: 'thread.run', id: 'run_1', status: 'queued', created_at: NOW}, {file: 'a.json'});
    const scan = new SortScan([one], 'model', true, NOW);
    expect(scan.step()).toBe(false);
    expect(scan.step()).toBe(false);
    expect(scan.step()).toBe(true);
    expect(scan.result()).toEqual([one]);
    // The radix sort's steps are a step's worth of runs handled, whatever the phase: one run is one step.
    const numeric = new SortScan([one], 'tokens', true, NOW);
    expect(numeric.step()).toBe(true);
    expect(numeric.result()).toEqual([one]);
  });
});

describe('a sort across frames, in the store', () => {
  let runs: Run[] = [];
  beforeAll(async () => {
    runs = (await loadRunsFromSources(['examples', 'examples-responses'])).runs;
  });
  /** Every sort a key asks for goes across frames, whatever the number of runs. */
  const pace = {...DEFAULT_FILTER_PACE, syncSortRuns: 0};
  const start = () => createListWindow({runs, nowSeconds: NOW, pageSize: 10, filterPace: pace});

  it('keeps the order shown, and says so, until the new order is whole; then shows it with the cursor on the same run', () => {
    let state = listReducer(start(), {type: 'move', delta: 3});
    const selected = state.visible[state.cursor]!.id;
    const before = ids(state.visible);
    state = listReducer(state, {type: 'cycleSort'});
    // The key's frame: the old order under the old sort's name, the sort asked for waiting.
    expect(state.query.sort).toBe('created');
    expect(ids(state.visible)).toEqual(before);
    expect(state.sorting?.scan.sort).toBe('status');
    const scan = state.sorting!.scan;
    scan.step();
    state = listReducer(state, {type: 'sortProgress', scan, fraction: scan.fraction});
    expect(ids(state.visible)).toEqual(before);
    scan.finish();
    state = listReducer(state, {type: 'sortDone', scan});
    expect(state.sorting).toBeNull();
    expect(state.query.sort).toBe('status');
    expect(ids(state.visible)).toEqual(ids(sortRuns(runs, 'status', false, NOW)));
    expect(state.visible[state.cursor]!.id).toBe(selected);
  });

  it('drops the order of a sort asked over since: a stale order is never shown', () => {
    let state = listReducer(start(), {type: 'cycleSort'});
    const first = state.sorting!.scan;
    // s again: the sort after the one asked for (status → duration), not after the one shown.
    state = listReducer(state, {type: 'cycleSort'});
    const second = state.sorting!.scan;
    expect(second).not.toBe(first);
    expect(second.sort).toBe('duration');
    first.finish();
    const ignored = listReducer(state, {type: 'sortDone', scan: first});
    expect(ignored).toBe(state);
    second.finish();
    state = listReducer(state, {type: 'sortDone', scan: second});
    expect(state.query.sort).toBe('duration');
    expect(ids(state.visible)).toEqual(ids(sortRuns(runs, 'duration', true, NOW)));
  });

  it('a search typed while it sorts filters the order shown, keeps the sort going, and is filtered again in the new order', () => {
    let state = listReducer(start(), {type: 'cycleSort'});
    const scan = state.sorting!.scan;
    state = listReducer(state, {type: 'setSearch', text: 'gpt'});
    expect(state.sorting?.scan).toBe(scan);
    expect(state.query.sort).toBe('created');
    expect(ids(state.visible)).toEqual(ids(filterRuns(sortRuns(runs, 'created', true, NOW), {...DEFAULT_QUERY, search: 'gpt'}, NOW)));
    scan.finish();
    state = listReducer(state, {type: 'sortDone', scan});
    expect(state.query).toMatchObject({sort: 'status', search: 'gpt'});
    expect(ids(state.visible)).toEqual(ids(filterRuns(sortRuns(runs, 'status', false, NOW), {...DEFAULT_QUERY, search: 'gpt'}, NOW)));
  });

  it('asking for the order shown again stops the sort; new runs are sorted at once by the sort asked for', () => {
    let state = listReducer(start(), {type: 'reverseSort'});
    expect(state.sorting?.scan.descending).toBe(false);
    state = listReducer(state, {type: 'reverseSort'});
    expect(state.sorting).toBeNull();
    expect(state.query.descending).toBe(true);
    state = listReducer(state, {type: 'cycleSort'});
    const scan = state.sorting!.scan;
    const fewer = runs.slice(0, 20);
    state = listReducer(state, {type: 'setRuns', runs: fewer});
    expect(state.sorting).toBeNull();
    expect(state.query.sort).toBe('status');
    expect(ids(state.visible)).toEqual(ids(sortRuns(fewer, 'status', false, NOW)));
    // The old scan's answer, for runs no longer shown, is not taken.
    scan.finish();
    expect(listReducer(state, {type: 'sortDone', scan})).toBe(state);
  });

  it('the store hands the scan to the runner as an effect, and a null one when it ends', () => {
    const initial = createInitialState({runs, nowSeconds: NOW, pageSize: 10, filterPace: pace});
    const started = updateRunStore(initial, {type: 'cycleSort'});
    const effect = started.effects.find((one): one is Extract<Effect, {type: 'sort'}> => one.type === 'sort');
    expect(effect?.scan).toBe(started.state.sorting?.scan);
    const runner = createFilterRunner({now: () => 0, later: (work) => (queue.push(work), () => undefined)});
    const queue: Array<() => void> = [];
    const answers: ListAction[] = [];
    runner.run(effect!.scan, (action) => answers.push(action));
    while (queue.length > 0) queue.shift()!();
    expect(answers.at(-1)).toEqual({type: 'sortDone', scan: effect!.scan});
    const ended = updateRunStore(started.state, answers.at(-1)!);
    expect(ended.state.query.sort).toBe('status');
    expect(ended.effects).toContainEqual({type: 'sort', scan: null});
  });
});
