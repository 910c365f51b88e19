/**
 * A filter too big for one frame (a search over a million runs) goes on across frames: the store
 * filters the first runs in the keystroke's frame, hands the scan on as an effect, and takes the
 * result only while it answers the current query. Here the pace is made small, so the example
 * runs take several steps, and the runner is driven by hand.
 */
import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import type {Run} from '../src/model/run.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {createFilterRunner, SLICE_MS} from '../src/store/filterRunner.js';
import {DEFAULT_FILTER_PACE, filterRuns, FilterScan, sortRuns, type FilterPace} from '../src/store/listView.js';
import {createListWindow, listReducer, type ListAction, type ListWindow} from '../src/store/listWindow.js';
import {createInitialState, updateRunStore, type Effect} from '../src/store/runStore.js';
import {DEFAULT_QUERY} from '../src/model/listQuery.js';

const NOW = Math.floor(Date.parse('2026-11-25T12:00:00Z') / 1000);
/** Every filter goes across frames, a few runs a step. */
const SLOW: FilterPace = {syncWork: 0, headRuns: 3, eachRuns: 4, gatherRuns: 5};

const ids = (runs: readonly Run[]) => runs.map((run) => run.id);

let runs: Run[] = [];
beforeAll(async () => {
  runs = (await loadRunsFromSources(['examples', 'examples-responses'])).runs;
});

/** The whole result of the state's query, filtered at once. */
function fullFilter(state: ListWindow): string[] {
  return ids(filterRuns(state.sorted, state.query, state.nowSeconds, state.runs));
}

/** Runs the current job to its end, as the runner would, and gives the store its result. */
function finishJob<S extends ListWindow>(state: S): S {
  const scan = state.filtering?.scan;
  if (!scan) return state;
  return listReducer(state, {type: 'filterDone', scan, visible: scan.finish()});
}

describe('a filter across frames', () => {
  it('shows the first runs\' matches at once, says how far it is, and ends with the whole result', () => {
    let state = createListWindow({runs, nowSeconds: NOW, pageSize: 10, filterPace: SLOW});
    state = listReducer(state, {type: 'setSearch', text: 'e'});
    const job = state.filtering;
    expect(job).not.toBeNull();
    // The keystroke's frame: the matches among the first three runs, the top of the whole result.
    const whole = fullFilter(state);
    expect(ids(state.visible)).toEqual(whole.slice(0, state.visible.length));
    expect(whole.length).toBeGreaterThan(state.visible.length);
    job!.scan.step();
    state = listReducer(state, {type: 'filterProgress', scan: job!.scan, fraction: job!.scan.fraction});
    expect(state.filtering!.fraction).toBeGreaterThan(0);
    expect(state.filtering!.fraction).toBeLessThan(1);
    state = finishJob(state);
    expect(state.filtering).toBeNull();
    expect(ids(state.visible)).toEqual(whole);
  });

  it('drops a result for a query typed over since: a stale result is never shown', () => {
    let state = createListWindow({runs, nowSeconds: NOW, pageSize: 10, filterPace: SLOW});
    state = listReducer(state, {type: 'setSearch', text: 'e'});
    const first = state.filtering!.scan;
    state = listReducer(state, {type: 'setSearch', text: 'er'});
    const second = state.filtering!.scan;
    expect(second).not.toBe(first);
    const partial = state.visible;
    // The first scan ends after the second began: its result ("e") must not replace "er"'s.
    const stale = listReducer(state, {type: 'filterDone', scan: first, visible: first.finish()});
    expect(stale).toBe(state);
    expect(listReducer(state, {type: 'filterProgress', scan: first, fraction: 1})).toBe(state);
    expect(stale.visible).toBe(partial);
    const done = finishJob(stale);
    expect(ids(done.visible)).toEqual(fullFilter(done));
    // And once the search is cleared (no filter: nothing goes across frames) the old scan's answer is dropped too.
    const cleared = listReducer(listReducer(done, {type: 'setSearch', text: 'e'}), {type: 'setSearch', text: ''});
    expect(cleared.filtering).toBeNull();
    expect(listReducer(cleared, {type: 'filterDone', scan: second, visible: []})).toBe(cleared);
  });

  it('a refresh or a tick of the stalled view filters inside its frame, and drops the scan going on', () => {
    let state = createListWindow({runs, nowSeconds: NOW, pageSize: 10, filterPace: SLOW});
    state = listReducer(state, {type: 'setSearch', text: 'e'});
    const scan = state.filtering!.scan;
    state = listReducer(state, {type: 'setRuns', runs: [...runs]});
    expect(state.filtering).toBeNull();
    expect(ids(state.visible)).toEqual(fullFilter(state));
    expect(listReducer(state, {type: 'filterDone', scan, visible: scan.finish()})).toBe(state);
    state = listReducer(listReducer(state, {type: 'cycleStuck'}), {type: 'cycleStuck'});
    state = finishJob(state);
    const ticked = listReducer(state, {type: 'tick', nowSeconds: NOW + 3600});
    expect(ticked.filtering).toBeNull();
    expect(ids(ticked.visible)).toEqual(fullFilter(ticked));
  });

  it('keeps the selected run selected when the result holds it, unless a key moved the cursor meanwhile', () => {
    let state = createListWindow({runs, nowSeconds: NOW, pageSize: 10, filterPace: SLOW});
    // Select a run far down the list, then search for its own id.
    const target = state.sorted[state.sorted.length - 2]!;
    state = listReducer(state, {type: 'bottom'});
    state = listReducer(state, {type: 'move', delta: -1});
    expect(state.visible[state.cursor]!.id).toBe(target.id);
    const term = target.id.slice(0, 4);
    state = finishJob(listReducer(state, {type: 'setSearch', text: term}));
    expect(state.visible[state.cursor]!.id).toBe(target.id);

    let moved = listReducer(listReducer(state, {type: 'setSearch', text: ''}), {type: 'top'});
    moved = listReducer(moved, {type: 'setSearch', text: 'e'});
    moved = listReducer(moved, {type: 'move', delta: 1});
    const chosen = moved.visible[moved.cursor]!.id;
    moved = finishJob(moved);
    expect(moved.visible[moved.cursor]!.id).toBe(chosen);
  });

  it('equals a full filter for any sequence of keystrokes, filters, steps and stale answers (property)', () => {
    const texts = runs.map((r) => r.searchText);
    const letters = [...new Set(texts.join('').replace(/\s/g, ''))].slice(0, 40);
    type Step =
      | {kind: 'type'; text: string}
      | {kind: 'backspace'}
      | {kind: 'list'; action: ListAction}
      | {kind: 'advance'; steps: number}
      | {kind: 'refresh'}
      | {kind: 'stale'};
    const step: fc.Arbitrary<Step> = fc.oneof(
      {arbitrary: fc.constantFrom(...letters).map((letter) => ({kind: 'type' as const, text: letter})), weight: 8},
      {arbitrary: fc.constant({kind: 'type' as const, text: ' '}), weight: 1},
      {arbitrary: fc.constant({kind: 'backspace' as const}), weight: 2},
      {arbitrary: fc.nat({max: texts.length - 1}).chain((at) => fc.nat({max: 20}).map((start) => ({kind: 'type' as const, text: texts[at]!.slice(start, start + 3)}))), weight: 2},
      {
        arbitrary: fc.constantFrom<ListAction>({type: 'cycleStatusFilter'}, {type: 'cycleStuck'}, {type: 'clearFilters'}, {type: 'cycleSort'}, {type: 'move', delta: 1}, {type: 'bottom'}).map((action) => ({kind: 'list' as const, action})),
        weight: 2,
      },
      {arbitrary: fc.nat({max: 12}).map((steps) => ({kind: 'advance' as const, steps})), weight: 4},
      {arbitrary: fc.constant({kind: 'stale' as const}), weight: 2},
      {arbitrary: fc.constant({kind: 'refresh' as const}), weight: 1},
    );
    let across = 0;
    let staleDropped = 0;
    fc.assert(
      fc.property(fc.array(step, {minLength: 1, maxLength: 25}), (steps) => {
        let state = createListWindow({runs, nowSeconds: NOW, pageSize: 10, filterPace: SLOW});
        const superseded: FilterScan[] = [];
        for (const action of steps) {
          const before = state.filtering?.scan;
          if (action.kind === 'type') state = listReducer(state, {type: 'setSearch', text: state.query.search + action.text});
          else if (action.kind === 'backspace') state = listReducer(state, {type: 'setSearch', text: state.query.search.slice(0, -1)});
          else if (action.kind === 'list') state = listReducer(state, action.action);
          else if (action.kind === 'refresh') {
            // New runs (a refresh, in another order) are filtered inside their frame.
            state = listReducer(state, {type: 'setRuns', runs: [...state.runs].reverse()});
            expect(state.filtering).toBeNull();
          }
          else if (action.kind === 'advance') {
            // The runner's slices: some steps, then the result once the scan is done.
            const scan = state.filtering?.scan;
            for (let i = 0; scan && i < action.steps && !scan.done; i += 1) scan.step();
            if (scan?.done) state = listReducer(state, {type: 'filterDone', scan, visible: scan.result()});
          } else {
            // An answer from a scan no longer current (its query was typed over) arrives.
            const old = superseded[superseded.length - 1];
            if (old) {
              const next = listReducer(state, {type: 'filterDone', scan: old, visible: old.finish()});
              expect(next).toBe(state);
              staleDropped += 1;
            }
          }
          if (before && state.filtering?.scan !== before) superseded.push(before);
          const whole = fullFilter(state);
          if (state.filtering) {
            across += 1;
            // While it goes on, the list is the top of the whole result, never another query's.
            expect(ids(state.visible)).toEqual(whole.slice(0, state.visible.length));
          } else {
            expect(ids(state.visible)).toEqual(whole);
          }
          expect(state.cursor).toBeLessThanOrEqual(Math.max(0, state.visible.length - 1));
        }
        state = finishJob(state);
        expect(ids(state.visible)).toEqual(fullFilter(state));
      }),
      {numRuns: 300},
    );
    expect(across).toBeGreaterThan(300);
    expect(staleDropped).toBeGreaterThan(50);
  });
});

describe('the search index', () => {
  it('gives what testing each run gives, across pieces of the index and at their edges', () => {
    // 20,000 runs: the index's pieces are 8,192 runs, so a search reads three of them.
    const many = Array.from({length: 20_000}, (_, at) => {
      const base = runs[at % runs.length]!;
      return {...base, id: `${base.id}_${at}`, searchText: `${base.searchText} n${at}x`} as Run;
    });
    const sorted = sortRuns(many, 'id', false, NOW);
    for (const search of ['n8191x', 'n8192x', 'n19999x', 'n0x', 'e', 'n81 9x', 'zzzz', 'gpt n1']) {
      const query = {...DEFAULT_QUERY, search};
      const terms = search.split(' ');
      const expected = ids(sorted.filter((run) => terms.every((term) => run.searchText.includes(term))));
      expect(ids(filterRuns(sorted, query, NOW, many)), search).toEqual(expected);
      // And a scan spread over steps, as across frames.
      const scan = new FilterScan(sorted, query, NOW, many, {head: true, pace: {...DEFAULT_FILTER_PACE, headRuns: 100, gatherRuns: 3000}});
      let steps = 0;
      while (!scan.step()) steps += 1;
      expect(steps).toBeGreaterThan(3);
      expect(ids(scan.result()), search).toEqual(expected);
    }
  });
});

describe('the filter runner', () => {
  /** A clock the test moves, and the work waiting to run later. */
  function manualClock() {
    let now = 0;
    const queue: Array<{work: () => void; cancelled: boolean}> = [];
    return {
      clock: {
        now: () => now,
        later: (work: () => void) => {
          const entry = {work, cancelled: false};
          queue.push(entry);
          return () => {
            entry.cancelled = true;
          };
        },
      },
      advance: (milliseconds: number) => {
        now += milliseconds;
      },
      /** Runs the waiting work, one at a time; each step of a slice takes `stepMs`. */
      runAll(stepMs: number, onStep: () => void) {
        while (queue.length > 0) {
          const entry = queue.shift()!;
          if (!entry.cancelled) {
            onStep();
            entry.work();
          }
          now += stepMs;
        }
      },
    };
  }

  it('runs a scan in slices, tells how far it is now and then, and answers once with the result', () => {
    const sorted = sortRuns(runs, 'created', true, NOW);
    const scanOf = () => new FilterScan(sorted, {...DEFAULT_QUERY, search: 'e'}, NOW, runs, {pace: {...SLOW, eachRuns: 1}, eachRun: ['e']});
    // A clock that stands still in a slice: the whole scan fits in one.
    const {clock, runAll} = manualClock();
    const scan = scanOf();
    const actions: ListAction[] = [];
    createFilterRunner(clock).run(scan, (action) => actions.push(action));
    expect(actions).toEqual([]);
    runAll(1, () => undefined);
    expect(actions).toEqual([{type: 'filterDone', scan, visible: scan.result()}]);
    expect(ids(scan.result())).toEqual(ids(sorted.filter((run) => run.searchText.includes('e'))));

    // A clock that moves a slice's budget at each read: one step a slice, one run a step.
    let time = 0;
    const slowQueue: Array<() => void> = [];
    const slow = createFilterRunner({now: () => (time += SLICE_MS), later: (work) => (slowQueue.push(work), () => undefined)});
    const slowScan = scanOf();
    const slowActions: ListAction[] = [];
    slow.run(slowScan, (action) => slowActions.push(action));
    let slices = 0;
    while (slowQueue.length > 0) {
      slowQueue.shift()!();
      slices += 1;
    }
    expect(slices).toBe(sorted.length);
    const progress = slowActions.filter((action) => action.type === 'filterProgress');
    expect(progress.length).toBeGreaterThan(0);
    // Progress is told at most every PROGRESS_EVERY_MS, not after every slice.
    expect(progress.length).toBeLessThan(slices / 2);
    expect(slowActions.slice(-1)).toEqual([{type: 'filterDone', scan: slowScan, visible: slowScan.result()}]);
    expect(ids(slowScan.result())).toEqual(ids(scan.result()));
  });

  it('stops the last scan when a new one (or none) comes', () => {
    const {clock, runAll} = manualClock();
    const runner = createFilterRunner(clock);
    const sorted = sortRuns(runs, 'created', true, NOW);
    const first = new FilterScan(sorted, {...DEFAULT_QUERY, search: 'e'}, NOW, runs, {pace: {...SLOW, eachRuns: 1}, eachRun: ['e']});
    const second = new FilterScan(sorted, {...DEFAULT_QUERY, search: 'a'}, NOW, runs, {pace: {...SLOW, eachRuns: 1}, eachRun: ['a']});
    const actions: ListAction[] = [];
    runner.run(first, (action) => actions.push(action));
    runner.run(second, (action) => actions.push(action));
    runAll(1, () => undefined);
    expect(first.done).toBe(false);
    expect(actions.map((action) => action.type === 'filterDone' && action.scan === second)).toContain(true);
    expect(actions.some((action) => 'scan' in action && action.scan === first)).toBe(false);
    const third = new FilterScan(sorted, {...DEFAULT_QUERY, search: 'o'}, NOW, runs, {pace: {...SLOW, eachRuns: 1}, eachRun: ['o']});
    runner.run(third, (action) => actions.push(action));
    runner.run(null, (action) => actions.push(action));
    runAll(1, () => undefined);
    expect(third.done).toBe(false);
  });
});

describe('the store asks for the filter as an effect', () => {
  it('a search across frames asks the app to run its scan; a search inside one frame stops it', () => {
    const effects: Effect[] = [];
    const dispatch = (state: ReturnType<typeof createInitialState>, action: Parameters<typeof updateRunStore>[1]) => {
      const update = updateRunStore(state, action);
      effects.push(...update.effects);
      return update.state;
    };
    let state = createInitialState({runs, nowSeconds: NOW, pageSize: 10, filterPace: SLOW});
    state = dispatch(state, {type: 'startSearch'});
    state = dispatch(state, {type: 'setSearch', text: 'e'});
    expect(effects).toEqual([{type: 'filter', scan: state.filtering!.scan}]);
    // A key that does not change the query leaves the scan running: no effect.
    state = dispatch(state, {type: 'move', delta: 1});
    expect(effects).toHaveLength(1);
    state = dispatch(state, {type: 'setSearch', text: ''});
    expect(effects).toEqual([{type: 'filter', scan: expect.any(FilterScan)}, {type: 'filter', scan: null}]);
    // At the default pace the examples are filtered inside the keystroke's frame: no effect at all.
    const quick = dispatch(createInitialState({runs, nowSeconds: NOW, pageSize: 10}), {type: 'setSearch', text: 'e'});
    expect(quick.filtering).toBeNull();
    expect(effects).toHaveLength(2);
  });
});

describe('scans side by side', () => {
  // A scan that ends hands its term counts to the next scan over as many runs: however scans
  // are stepped, finished, dropped and started among each other, each ends with its own answer.
  it('each scan, stepped among others that start, end or are dropped, gives filterRuns\' answer (property)', () => {
    const sorted = sortRuns(runs, 'created', true, NOW);
    const words = fc.constantFrom('e', 'gpt', 'weather', 'o3-mini', 'run', 'zz', 'a b', 'thread');
    const op = fc.oneof(fc.record({start: words}), fc.record({step: fc.nat({max: 5})}), fc.record({drop: fc.nat({max: 5})}));
    fc.assert(
      fc.property(fc.array(op, {minLength: 1, maxLength: 40}), (ops) => {
        const live: Array<{scan: FilterScan; search: string}> = [];
        const check = (one: {scan: FilterScan; search: string}) => expect(ids(one.scan.result())).toEqual(ids(filterRuns(sorted, {...DEFAULT_QUERY, search: one.search}, NOW, runs)));
        for (const one of ops) {
          if ('start' in one) live.push({scan: new FilterScan(sorted, {...DEFAULT_QUERY, search: one.start}, NOW, runs, {pace: SLOW}), search: one.start});
          else if (live.length > 0 && 'step' in one) {
            const index = one.step % live.length;
            if (live[index]!.scan.step()) check(live.splice(index, 1)[0]!);
          } else if (live.length > 0 && 'drop' in one) live.splice(one.drop % live.length, 1);
        }
        for (const one of live) {
          one.scan.finish();
          check(one);
        }
      }),
      {numRuns: 200},
    );
  });
});
