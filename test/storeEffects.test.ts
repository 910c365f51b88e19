/**
 * The root reducer's effects (what the app is asked to do, as data) and the runtime that keeps the
 * state and hands the effects over once; the screen's size coming with each key; a feed's data
 * arriving as one action.
 */
import {describe, expect, it} from 'vitest';
import {normalizeRun} from '../src/model/normalize.js';
import type {Run} from '../src/model/run.js';
import type {FeedData} from '../src/store/feed.js';
import {createInitialState, reportFileName, updateRunStore, viewKey, WATCH_NEEDS_SOURCES, type Effect, type RunStoreState} from '../src/store/runStore.js';
import {type RunStoreAction} from '../src/store/storeActions.js';
import {Store} from '../src/store/runtime.js';

const NOW = 1_700_000_000;

function apiRun(id: string, status: string, createdAt: number): Run {
  return normalizeRun({object: 'thread.run', id, thread_id: 'thread_a', status, created_at: createdAt, model: 'gpt-4o'}, {kind: 'api', file: 'api:thread_a'});
}

const runs = [apiRun('run_new', 'in_progress', NOW - 10), apiRun('run_old', 'completed', NOW - 100)];
const key = (name: string): RunStoreAction => ({type: 'key', name, text: name.length === 1 ? name : ''});

/** Runs actions in order, collecting every effect. */
function run(state: RunStoreState, ...actions: RunStoreAction[]): {state: RunStoreState; effects: Effect[]} {
  const effects: Effect[] = [];
  for (const action of actions) {
    const update = updateRunStore(state, action);
    state = update.state;
    effects.push(...update.effects);
  }
  return {state, effects};
}

const start = (change: Partial<Parameters<typeof createInitialState>[0]> = {}) => createInitialState({runs, nowSeconds: NOW, pageSize: 5, ...change});

describe('effects the keys return', () => {
  it('x asks for the selected run\'s report in a file named by its id, in the list and in the detail', () => {
    expect(run(start(), key('x')).effects).toEqual([{type: 'writeReport', run: runs[0], file: 'runlens-run_new.md'}]);
    const opened = run(start(), key('j'), key('return'), key('x'));
    expect(opened.effects).toEqual([{type: 'writeReport', run: runs[1], file: 'runlens-run_old.md'}]);
    expect(reportFileName('run_../../etc/passwd')).toBe('runlens-run_______etc_passwd.md');
  });

  it('y copies, q quits; moving has no effect', () => {
    expect(run(start(), key('y')).effects).toEqual([{type: 'copy', text: 'run_new'}]);
    expect(run(start(), key('q')).effects).toEqual([{type: 'quit'}]);
    expect(updateRunStore(start(), key('j')).effects).toEqual([]);
  });

  it('y on Raw JSON asks for the run JSON as an effect: the reducer never reads the body of the run', () => {
    let reads = 0;
    const whole = apiRun('run_new', 'in_progress', NOW - 10);
    // A run kept small reads its body when asked; count the asks.
    const counted = Object.defineProperty({...whole}, 'raw', {get: () => ((reads += 1), whole.raw)}) as Run;
    const opened = run(start({runs: [counted]}), key('return'), key('8'));
    expect(opened.state.pane).toBe('raw');
    const copied = run(opened.state, key('y'));
    expect(reads).toBe(0);
    expect(copied.effects).toHaveLength(1);
    expect(copied.effects[0]!.type).toBe('copyRunJson');
    expect((copied.effects[0] as {run: Run}).run).toBe(counted);
    expect(copied.state.flash).toMatch(/^Copied the run JSON/);
  });

  it('w toggles watching when the sources can be read again, else says why and asks nothing', () => {
    expect(run(start({canWatch: true}), key('w')).effects).toEqual([{type: 'toggleWatch'}]);
    const {state, effects} = run(start(), key('w'));
    expect(effects).toEqual([]);
    expect(state.flash).toBe(WATCH_NEEDS_SOURCES);
  });

  it("the Steps pane's run is told when it opens, when a refresh brings a new state of it, and when it closes", () => {
    const opened = run(start(), key('return'), key('9'));
    expect(opened.effects).toEqual([{type: 'readSteps', run: runs[0]}]);
    const newer = apiRun('run_new', 'completed', NOW - 10);
    const refreshed = run(opened.state, {type: 'setRuns', runs: [newer, runs[1]!]});
    expect(refreshed.effects).toEqual([{type: 'readSteps', run: newer}]);
    expect(run(refreshed.state, {type: 'setRuns', runs: refreshed.state.runs}).effects).toEqual([]);
    expect(run(refreshed.state, key('escape')).effects).toEqual([{type: 'readSteps', run: null}]);
  });

  it('a confirmed cancel is sent once and its answer asks for the run to be read again', () => {
    const asked = run(start({canAct: true}), key('return'), key('c'));
    expect(asked.effects).toEqual([]);
    expect(asked.state.confirm).toMatchObject({kind: 'cancel', runId: 'run_new'});
    const sent = run(asked.state, key('y'));
    expect(sent.effects).toEqual([{type: 'runAction', action: {kind: 'cancel', runId: 'run_new', threadId: 'thread_a', body: null}}]);
    // A second y has no question to answer.
    expect(run(sent.state, key('y')).effects).toEqual([{type: 'copy', text: 'run_new'}]);
    expect(run(sent.state, {type: 'actionDone', message: 'Cancel requested: run_new is now cancelling', runId: 'run_new'}).effects).toEqual([{type: 'reload', runId: 'run_new'}]);
  });
});

describe('the screen size with each key', () => {
  const lines = 50;

  it("a key on a run's pane brings the pane's size: G reaches the bottom at once", () => {
    const opened = run(start(), key('return')).state;
    const viewport = {pageSize: 5, scroll: {view: viewKey(opened), lines, height: 10}};
    const {state} = run(opened, {type: 'onScreen', viewport, action: {type: 'input', input: 'G', key: {}}});
    expect(state).toMatchObject({scroll: 40, scrollLines: 50, scrollHeight: 10, pendingBottom: false});
  });

  it("another view's size is not taken for this one's; the list's rows always are", () => {
    const opened = run(start(), key('return')).state;
    const {state} = run(opened, {type: 'onScreen', viewport: {pageSize: 3, scroll: {view: 'help::overview', lines, height: 10}}, action: key('G')});
    expect(state).toMatchObject({scrollLines: 0, pendingBottom: true, pageSize: 3});
  });

  it('a refresh keeps the selection in the window of the screen it arrived on', () => {
    const many = Array.from({length: 30}, (_, index) => apiRun(`run_${index}`, 'completed', NOW - index));
    const newer = Array.from({length: 4}, (_, index) => apiRun(`run_new${index}`, 'queued', NOW + 1 + index));
    const {state} = run(createInitialState({runs: many, nowSeconds: NOW}), {
      type: 'onScreen',
      viewport: {pageSize: 3, scroll: null},
      action: {type: 'feed', data: {runs: [...newer, ...many], warnings: [], sources: ['api']}},
    });
    // The selected run (run_0) is now fifth: the 3-row window moves to show it.
    expect(state).toMatchObject({pageSize: 3, cursor: 4, offset: 2});
  });

  it('a page in the list is as long as the screen it was pressed on', () => {
    const many = Array.from({length: 30}, (_, index) => apiRun(`run_${index}`, 'completed', NOW - index));
    const {state} = run(createInitialState({runs: many, nowSeconds: NOW}), {type: 'onScreen', viewport: {pageSize: 7, scroll: null}, action: {type: 'input', input: '', key: {pageDown: true}}});
    expect(state).toMatchObject({pageSize: 7, cursor: 7, offset: 1});
  });
});

describe('data from the source', () => {
  const data = (change: Partial<FeedData> = {}): FeedData => ({runs, warnings: [], sources: ['api'], live: {refreshedAt: 1, error: null, watchSeconds: null, loading: null}, ...change});

  it('the same data changes nothing; new warnings or status only those; new runs go through the list', () => {
    const same = data();
    const state = createInitialState({...same, nowSeconds: NOW});
    expect(updateRunStore(state, {type: 'feed', data: same}).state).toBe(state);
    const warned = updateRunStore(state, {type: 'feed', data: {...same, warnings: [{location: 'x.json:1:1', message: 'bad'}]}}).state;
    expect(warned.warnings).toHaveLength(1);
    expect(warned.visible).toBe(state.visible);
    const more = [apiRun('run_newest', 'queued', NOW), ...runs];
    const grown = updateRunStore(state, {type: 'feed', data: {...same, runs: more}}).state;
    expect(grown.visible.map((entry) => entry.id)).toEqual(['run_newest', 'run_new', 'run_old']);
    // The selection stays on the run it was on.
    expect(grown.cursor).toBe(1);
  });
});

describe('the runtime', () => {
  it('keeps the state, tells listeners of changes only, and hands each effect over once, in order', () => {
    const store = new Store(updateRunStore, start({canWatch: true}));
    let told = 0;
    store.subscribe(() => (told += 1));
    const first = store.snapshot();
    store.dispatch(key('k'));
    expect(store.snapshot()).toBe(first);
    expect(told).toBe(0);
    store.dispatch(key('y'));
    expect(store.snapshot().state.flash).toContain('Copied the run id run_new');
    store.dispatch(key('w'));
    expect(told).toBe(2);
    expect(store.drain()).toEqual([{type: 'copy', text: 'run_new'}, {type: 'toggleWatch'}]);
    expect(store.drain()).toEqual([]);
  });

  it('an effect without a change of state still gives a new snapshot, so the view renders and drains it', () => {
    const store = new Store(updateRunStore, start({canWatch: true}));
    const before = store.snapshot();
    store.dispatch(key('w'));
    expect(store.snapshot()).not.toBe(before);
    expect(store.snapshot().state).toBe(before.state);
  });
});
