import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {normalizeRun} from '../src/model/normalize.js';
import type {Run} from '../src/model/run.js';
import {PANES} from '../src/panes/paneIds.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {selectRuns, statusesPresent} from '../src/store/listView.js';
import {DEFAULT_QUERY, type ListQuery} from '../src/model/listQuery.js';
import {createInitialState, openRun, selectedRun, type RunStoreState} from '../src/store/runStore.js';
import {type RunStoreAction} from '../src/store/storeActions.js';
import {applyAll, runStoreReducer, type RecordedState} from './helpers/storeHarness.js';
import {summarizeStuck} from '../src/triage/stuck.js';

const NOW = Math.floor(Date.parse('2026-11-25T12:00:00Z') / 1000);
const STATUSES = ['completed', 'failed', 'requires_action', 'queued', 'in_progress', 'cancelled', 'expired', 'incomplete', 'cancelling'];

/** One normalized run per status; synthetic runs are cheap copies of these with their own id and times. */
const TEMPLATES = new Map<string, Run>(
  STATUSES.map((status) => [
    status,
    normalizeRun(
      {
        id: `run_template_${status}`,
        object: 'thread.run',
        status,
        created_at: NOW - 1000,
        started_at: NOW - 990,
        model: 'gpt-4o',
        thread_id: 'thread_template',
        assistant_id: 'asst_template',
        usage: {prompt_tokens: 10, completion_tokens: 5, total_tokens: 15},
      },
      {file: 'synthetic'},
    ),
  ]),
);

/** A cheap synthetic run: created `index` seconds apart, newest has the highest index. */
function syntheticRun(index: number, status = STATUSES[index % STATUSES.length]!): Run {
  const template = TEMPLATES.get(status)!;
  const id = `run_${String(index).padStart(7, '0')}`;
  return {...template, id, createdAt: NOW - 200_000 + index, startedAt: NOW - 200_000 + index + 1, searchText: `${id}\n${template.searchText}`};
}

function syntheticRuns(count: number): Run[] {
  return Array.from({length: count}, (_, index) => syntheticRun(index));
}

function run(raw: Record<string, unknown>): Run {
  return normalizeRun({object: 'thread.run', ...raw}, {file: 'test.json'});
}

function apply(state: RunStoreState, ...actions: RunStoreAction[]): RecordedState {
  return applyAll(state, actions);
}

function expectWindowInvariants(state: RunStoreState): void {
  expect(state.cursor).toBeGreaterThanOrEqual(0);
  expect(state.cursor).toBeLessThan(Math.max(1, state.visible.length));
  expect(state.offset).toBeGreaterThanOrEqual(0);
  expect(state.offset).toBeLessThanOrEqual(state.cursor);
  expect(state.cursor).toBeLessThan(state.offset + state.pageSize);
}

describe('createInitialState', () => {
  it('starts in the list at the first run with the default query', () => {
    const runs = syntheticRuns(5);
    const state = createInitialState({runs, nowSeconds: NOW});
    expect(state.mode).toBe('list');
    expect(state.cursor).toBe(0);
    expect(state.offset).toBe(0);
    expect(state.pageSize).toBe(20);
    expect(state.query).toEqual(DEFAULT_QUERY);
    expect(state.visible.map((r) => r.id)).toEqual(selectRuns(runs, DEFAULT_QUERY, NOW).map((r) => r.id));
    expect(selectedRun(state)?.id).toBe('run_0000004');
  });

  it('applies an initial query and never has a page size below 1', () => {
    const state = createInitialState({runs: syntheticRuns(18), nowSeconds: NOW, pageSize: 0, query: {statuses: ['failed']}});
    expect(state.pageSize).toBe(1);
    expect(state.visible.every((r) => r.status === 'failed')).toBe(true);
    expect(state.visible.length).toBe(2);
  });
});

describe('cursor and window', () => {
  for (const count of [0, 1, 5, 100_000]) {
    describe(`with ${count.toLocaleString('en-US')} runs`, () => {
      const runs = syntheticRuns(count);
      const pageSize = 3;
      const initial = createInitialState({runs, nowSeconds: NOW, pageSize});
      const last = Math.max(0, count - 1);

      it('moves one row at a time and stops at both ends', () => {
        let state = apply(initial, {type: 'move', delta: -1});
        expect(state.cursor).toBe(0);
        expectWindowInvariants(state);
        state = apply(state, {type: 'move', delta: 1});
        expect(state.cursor).toBe(Math.min(1, last));
        expectWindowInvariants(state);
        state = apply(state, {type: 'move', delta: 1}, {type: 'move', delta: 1}, {type: 'move', delta: 1});
        expect(state.cursor).toBe(Math.min(4, last));
        expect(state.offset).toBe(Math.max(0, Math.min(4, last) - pageSize + 1));
        expectWindowInvariants(state);
        state = apply(state, {type: 'move', delta: 1_000_000});
        expect(state.cursor).toBe(last);
        expectWindowInvariants(state);
        state = apply(state, {type: 'move', delta: -1_000_000});
        expect(state.cursor).toBe(0);
        expect(state.offset).toBe(0);
      });

      it('pages by the page size', () => {
        let state = apply(initial, {type: 'page', direction: 1});
        expect(state.cursor).toBe(Math.min(pageSize, last));
        expectWindowInvariants(state);
        state = apply(state, {type: 'page', direction: 1});
        expect(state.cursor).toBe(Math.min(2 * pageSize, last));
        expectWindowInvariants(state);
        state = apply(state, {type: 'page', direction: -1});
        expect(state.cursor).toBe(Math.max(0, Math.min(2 * pageSize, last) - pageSize));
        expectWindowInvariants(state);
        state = apply(state, {type: 'page', direction: -1}, {type: 'page', direction: -1});
        expect(state.cursor).toBe(0);
        expect(state.offset).toBe(0);
      });

      it('jumps to the bottom and back to the top', () => {
        let state = apply(initial, {type: 'bottom'});
        expect(state.cursor).toBe(last);
        expect(state.offset).toBe(Math.max(0, count - pageSize));
        expectWindowInvariants(state);
        expect(selectedRun(state)).toBe(count === 0 ? undefined : state.visible[count - 1]);
        state = apply(state, {type: 'top'});
        expect(state.cursor).toBe(0);
        expect(state.offset).toBe(0);
        expectWindowInvariants(state);
      });

      it('keeps the cursor in the window when the page shrinks or grows', () => {
        let state = apply(initial, {type: 'resize', pageSize: 10}, {type: 'move', delta: 7});
        expect(state.cursor).toBe(Math.min(7, last));
        expectWindowInvariants(state);
        state = apply(state, {type: 'resize', pageSize: 2});
        expect(state.cursor).toBe(Math.min(7, last));
        expectWindowInvariants(state);
        state = apply(state, {type: 'resize', pageSize: 50});
        // The window only moves as far as it must: with room for everything it starts at 0.
        expect(state.offset).toBe(count > 50 ? 6 : 0);
        expectWindowInvariants(state);
        state = apply(state, {type: 'resize', pageSize: 0});
        expect(state.pageSize).toBe(1);
        expect(state.offset).toBe(state.cursor);
      });

      it('opens the selected run only when there is one', () => {
        const state = apply(initial, {type: 'open'});
        if (count === 0) {
          expect(state).toBe(initial);
          expect(state.mode).toBe('list');
        } else {
          expect(state.mode).toBe('detail');
          expect(state.openRunId).toBe(initial.visible[0]!.id);
        }
      });
    });
  }

  it('returns the same state object when nothing moves', () => {
    const state = createInitialState({runs: syntheticRuns(5), nowSeconds: NOW});
    expect(runStoreReducer(state, {type: 'move', delta: -1})).toBe(state);
    expect(runStoreReducer(state, {type: 'top'})).toBe(state);
  });

  it('scrolls the window exactly as far as the cursor needs', () => {
    let state = createInitialState({runs: syntheticRuns(5), nowSeconds: NOW, pageSize: 2});
    const offsets: number[] = [];
    for (let step = 0; step < 5; step += 1) {
      offsets.push(state.offset);
      state = runStoreReducer(state, {type: 'move', delta: 1});
    }
    expect(offsets).toEqual([0, 0, 1, 2, 3]);
    const back: number[] = [];
    for (let step = 0; step < 5; step += 1) {
      state = runStoreReducer(state, {type: 'move', delta: -1});
      back.push(state.offset);
    }
    expect(back).toEqual([3, 2, 1, 0, 0]);
  });
});

describe('selection follows the run', () => {
  const runs = syntheticRuns(40);
  const start = () => apply(createInitialState({runs, nowSeconds: NOW, pageSize: 5}), {type: 'move', delta: 12});

  it('through sort changes and reversal', () => {
    let state = start();
    const id = selectedRun(state)!.id;
    for (let step = 0; step < 8; step += 1) {
      state = runStoreReducer(state, {type: 'cycleSort'});
      expect(selectedRun(state)?.id).toBe(id);
      expectWindowInvariants(state);
      state = runStoreReducer(state, {type: 'reverseSort'});
      expect(selectedRun(state)?.id).toBe(id);
      expectWindowInvariants(state);
    }
  });

  it('through a status filter and a search that still include it', () => {
    let state = start();
    const selected = selectedRun(state)!;
    state = apply(state, {type: 'startSearch'}, {type: 'setSearch', text: selected.id.slice(-3)});
    expect(selectedRun(state)?.id).toBe(selected.id);
    state = apply(state, {type: 'endSearch', keep: true}, {type: 'clearFilters'});
    expect(selectedRun(state)?.id).toBe(selected.id);
    // `f` first filters on requires_action (triage order); pick such a run first.
    state = apply(state, {type: 'top'}, {type: 'move', delta: state.visible.findIndex((r, index) => r.status === 'requires_action' && index > 5)});
    const waiting = selectedRun(state)!;
    expect(waiting.status).toBe('requires_action');
    state = runStoreReducer(state, {type: 'cycleStatusFilter'});
    expect(state.query.statuses).toEqual(['requires_action']);
    expect(selectedRun(state)?.id).toBe(waiting.id);
  });

  it('through setRuns that reorders, adds and refreshes runs', () => {
    let state = start();
    const id = selectedRun(state)!.id;
    const refreshed = [syntheticRun(500), syntheticRun(501), ...[...runs].reverse().map((r) => ({...r}))];
    state = runStoreReducer(state, {type: 'setRuns', runs: refreshed});
    expect(selectedRun(state)?.id).toBe(id);
    expect(state.runs).toBe(refreshed);
    expectWindowInvariants(state);
  });

  it('stays at the same position when the run is gone, clamped to the list', () => {
    let state = start();
    const position = state.cursor;
    const gone = selectedRun(state)!.id;
    state = runStoreReducer(state, {type: 'setRuns', runs: runs.filter((r) => r.id !== gone)});
    expect(state.cursor).toBe(position);
    expect(selectedRun(state)?.id).not.toBe(gone);
    state = apply(state, {type: 'bottom'}, {type: 'setRuns', runs: runs.slice(0, 3)});
    expect(state.cursor).toBe(2);
    expectWindowInvariants(state);
    state = runStoreReducer(state, {type: 'setRuns', runs: []});
    expect(state.cursor).toBe(0);
    expect(state.offset).toBe(0);
    expect(selectedRun(state)).toBeUndefined();
  });

  it('keeps a run open in detail even when a refresh filters it out of the list', () => {
    let state = start();
    const selected = selectedRun(state)!;
    state = apply(state, {type: 'startSearch'}, {type: 'setSearch', text: selected.id}, {type: 'endSearch', keep: true}, {type: 'open'});
    expect(state.openRunId).toBe(selected.id);
    const renamed = {...selected, searchText: 'something else'};
    state = runStoreReducer(state, {type: 'setRuns', runs: runs.map((r) => (r.id === selected.id ? renamed : r))});
    expect(state.visible).toHaveLength(0);
    expect(openRun(state)).toBe(renamed);
  });
});

describe('status filter', () => {
  it('cycles through the statuses present, in triage order, then back to all', () => {
    const runs = [
      run({id: 'run_a', status: 'completed', created_at: 1}),
      run({id: 'run_b', status: 'failed', created_at: 2}),
      run({id: 'run_c', status: 'requires_action', created_at: 3}),
      run({id: 'run_d', status: 'completed', created_at: 4}),
      run({id: 'run_e', status: 'paused_for_review', created_at: 5}),
    ];
    let state = createInitialState({runs, nowSeconds: NOW});
    const seen: Array<readonly string[] | null> = [];
    for (let step = 0; step < 5; step += 1) {
      state = runStoreReducer(state, {type: 'cycleStatusFilter'});
      seen.push(state.query.statuses);
      expect(state.visible.every((r) => state.query.statuses === null || state.query.statuses.includes(r.status))).toBe(true);
    }
    expect(seen).toEqual([['requires_action'], ['failed'], ['completed'], ['paused_for_review'], null]);
    expect(state.visible.length).toBe(5);
  });

  it('goes straight back to all when only one status is present', () => {
    const runs = [run({id: 'run_a', status: 'completed'}), run({id: 'run_b', status: 'completed'})];
    let state = runStoreReducer(createInitialState({runs, nowSeconds: NOW}), {type: 'cycleStatusFilter'});
    expect(state.query.statuses).toEqual(['completed']);
    state = runStoreReducer(state, {type: 'cycleStatusFilter'});
    expect(state.query.statuses).toBeNull();
  });

  // Regression: with `--status requires_action,failed` the first `f` used to jump to the first
  // status present instead of clearing the filter, as cycleStatusFilter documents.
  it('f with a multi-status filter from the command line resets to all (as runStore.ts documents)', () => {
    const runs = [run({id: 'run_a', status: 'completed'}), run({id: 'run_b', status: 'failed'}), run({id: 'run_c', status: 'requires_action'})];
    const state = createInitialState({runs, nowSeconds: NOW, query: {statuses: ['requires_action', 'failed']}});
    expect(runStoreReducer(state, {type: 'cycleStatusFilter'}).query.statuses).toBeNull();
  });

  it('clearFilters drops status, model, search and stuck but keeps the sort', () => {
    const runs = syntheticRuns(20);
    let state = createInitialState({runs, nowSeconds: NOW, query: {model: 'gpt-4o'}});
    state = apply(state, {type: 'cycleStatusFilter'}, {type: 'setSearch', text: 'run'}, {type: 'cycleStuck'}, {type: 'cycleSort'});
    const sort = state.query.sort;
    state = runStoreReducer(state, {type: 'clearFilters'});
    expect(state.query).toMatchObject({statuses: null, model: null, search: '', stuck: 'off', sort});
    expect(state.visible.length).toBe(20);
  });
});

describe('stuck mode', () => {
  const runs = [
    run({id: 'run_waiting_old', status: 'requires_action', created_at: NOW - 7200, started_at: NOW - 7000}),
    run({id: 'run_waiting_new', status: 'requires_action', created_at: NOW - 60, started_at: NOW - 50}),
    run({id: 'run_stalled', status: 'in_progress', created_at: NOW - 3600, started_at: NOW - 3600}),
    run({id: 'run_stalled_queue', status: 'queued', created_at: NOW - 1200}),
    run({id: 'run_running', status: 'in_progress', created_at: NOW - 30, started_at: NOW - 30}),
    run({id: 'run_done', status: 'completed', created_at: NOW - 10, started_at: NOW - 9, completed_at: NOW - 5}),
  ];

  it('cycles off → waiting → stalled → off, sorted by waiting time while on', () => {
    let state = createInitialState({runs, nowSeconds: NOW});
    expect(state.query.stuck).toBe('off');
    state = runStoreReducer(state, {type: 'cycleStuck'});
    expect(state.query).toMatchObject({stuck: 'waiting', sort: 'waiting', descending: true});
    expect(state.visible.map((r) => r.id)).toEqual(['run_waiting_old', 'run_waiting_new']);
    state = runStoreReducer(state, {type: 'cycleStuck'});
    expect(state.query).toMatchObject({stuck: 'stalled', sort: 'waiting', descending: true});
    expect(state.visible.map((r) => r.id)).toEqual(['run_waiting_old', 'run_stalled', 'run_stalled_queue', 'run_waiting_new']);
    state = runStoreReducer(state, {type: 'cycleStuck'});
    expect(state.query).toMatchObject({stuck: 'off', sort: 'created', descending: true});
    expect(state.visible.length).toBe(runs.length);
  });

  it('re-sorts and re-filters stalled runs when the clock ticks', () => {
    let state = apply(createInitialState({runs, nowSeconds: NOW}), {type: 'cycleStuck'}, {type: 'cycleStuck'});
    expect(state.visible.some((r) => r.id === 'run_running')).toBe(false);
    state = runStoreReducer(state, {type: 'tick', nowSeconds: NOW + 600});
    expect(state.visible.some((r) => r.id === 'run_running')).toBe(true);
    expect(state.nowSeconds).toBe(NOW + 600);
  });

  it('a tick without an age-dependent view only moves the clock', () => {
    const state = createInitialState({runs, nowSeconds: NOW});
    const next = runStoreReducer(state, {type: 'tick', nowSeconds: NOW + 5});
    expect(next.visible).toBe(state.visible);
    expect(next.nowSeconds).toBe(NOW + 5);
  });

  // Regression: the header badge and `runlens stuck --include-stalled` count a `cancelling` run
  // past the threshold as stalled; the TUI's stalled view used to admit only queued/in_progress,
  // so on examples/ the badge said "3 stalled" while `!!` listed 2.
  it('the stalled view (!!) lists every run the header badge counts as stalled', async () => {
    const loaded = await loadRunsFromSources(['examples']);
    const summary = summarizeStuck(loaded.runs, NOW);
    const state = apply(createInitialState({runs: loaded.runs, nowSeconds: NOW}), {type: 'cycleStuck'}, {type: 'cycleStuck'});
    const stalledShown = state.visible.filter((r) => r.status !== 'requires_action');
    expect(stalledShown.length).toBe(summary.stalled);
  });
});

describe('search', () => {
  const target = run({
    id: 'run_Target123',
    status: 'failed',
    model: 'gpt-4.1-mini',
    thread_id: 'thread_AbC',
    assistant_id: 'asst_Helper',
    last_error: {code: 'rate_limit_exceeded', message: 'Quota Exhausted for org'},
    tools: [{type: 'function', function: {name: 'lookup_order', parameters: {type: 'object'}}}, {type: 'file_search'}],
    metadata: {ticket: 'SUP-4821', city: '東京'},
    created_at: NOW - 100,
  });
  const other = run({
    id: 'run_Other',
    status: 'completed',
    model: 'gpt-4o',
    thread_id: 'thread_XyZ',
    assistant_id: 'asst_Other',
    tools: [{type: 'code_interpreter'}],
    metadata: {ticket: 'SUP-1'},
    created_at: NOW - 50,
  });
  const waiting = run({
    id: 'run_Waiting',
    status: 'requires_action',
    required_action: {
      type: 'submit_tool_outputs',
      submit_tool_outputs: {tool_calls: [{id: 'call_1', type: 'function', function: {name: 'schedule_callback', arguments: '{}'}}]},
    },
    created_at: NOW - 10,
  });
  const runs = [target, other, waiting];
  const search = (text: string) => createInitialState({runs, nowSeconds: NOW, query: {search: text}}).visible.map((r) => r.id);

  it.each([
    ['id', 'target123'],
    ['model', 'GPT-4.1-MINI'],
    ['thread', 'thread_abc'],
    ['assistant', 'asst_helper'],
    ['error message', 'quota exhausted'],
    ['error code', 'rate_limit'],
    ['tool name', 'LOOKUP_ORDER'],
    ['tool type without a name', 'file_search'],
    ['metadata value', 'sup-4821'],
    ['metadata value (CJK)', '東京'],
  ])('matches the %s, case-insensitively', (_what, text) => {
    expect(search(text)).toEqual(['run_Target123']);
  });

  it('matches the function name of a pending tool call', () => {
    expect(search('schedule_callback')).toEqual(['run_Waiting']);
  });

  it('ANDs several words, in any order and field', () => {
    expect(search('sup gpt')).toEqual(['run_Other', 'run_Target123']);
    expect(search('  quota   lookup_order  ')).toEqual(['run_Target123']);
    expect(search('quota code_interpreter')).toEqual([]);
  });

  it('an empty or blank search shows everything', () => {
    expect(search('')).toHaveLength(3);
    expect(search('   ')).toHaveLength(3);
  });

  it('typing narrows the list and cancelling the search restores it', () => {
    let state = apply(createInitialState({runs, nowSeconds: NOW}), {type: 'startSearch'});
    expect(state.searching).toBe(true);
    state = apply(state, {type: 'setSearch', text: 'q'}, {type: 'setSearch', text: 'qu'}, {type: 'setSearch', text: 'quo'});
    expect(state.visible.map((r) => r.id)).toEqual(['run_Target123']);
    const kept = runStoreReducer(state, {type: 'endSearch', keep: true});
    expect(kept.searching).toBe(false);
    expect(kept.query.search).toBe('quo');
    expect(kept.visible).toHaveLength(1);
    const cleared = runStoreReducer(state, {type: 'endSearch', keep: false});
    expect(cleared.searching).toBe(false);
    expect(cleared.query.search).toBe('');
    expect(cleared.visible).toHaveLength(3);
  });
});

describe('modes', () => {
  const runs = syntheticRuns(10);
  const list = () => createInitialState({runs, nowSeconds: NOW});

  it('open and back move between list and detail', () => {
    let state = apply(list(), {type: 'move', delta: 2}, {type: 'open'});
    expect(state.mode).toBe('detail');
    expect(openRun(state)?.id).toBe(state.visible[2]!.id);
    state = runStoreReducer(state, {type: 'back'});
    expect(state.mode).toBe('list');
    expect(state.openRunId).toBeNull();
    expect(state.cursor).toBe(2);
    expect(runStoreReducer(state, {type: 'back'})).toBe(state);
  });

  it('help toggles on and off, back to the mode it came from', () => {
    for (const from of ['list', 'detail'] as const) {
      const base = from === 'list' ? list() : apply(list(), {type: 'open'});
      const help = runStoreReducer(base, {type: 'toggleHelp'});
      expect(help.mode).toBe('help');
      expect(help.previousMode).toBe(from);
      expect(runStoreReducer(help, {type: 'toggleHelp'}).mode).toBe(from);
      expect(runStoreReducer(help, {type: 'back'}).mode).toBe(from);
    }
  });

  it('warnings toggles on and off, back to the mode it came from', () => {
    for (const from of ['list', 'detail'] as const) {
      const base = from === 'list' ? list() : apply(list(), {type: 'open'});
      const warnings = runStoreReducer(base, {type: 'toggleWarnings'});
      expect(warnings.mode).toBe('warnings');
      expect(runStoreReducer(warnings, {type: 'toggleWarnings'}).mode).toBe(from);
      expect(runStoreReducer(warnings, {type: 'back'}).mode).toBe(from);
    }
  });

  it('help over warnings (and warnings over help) still returns to the original mode', () => {
    const detail = apply(list(), {type: 'open'});
    const id = detail.openRunId;
    let state = apply(detail, {type: 'toggleWarnings'}, {type: 'toggleHelp'});
    expect(state.mode).toBe('help');
    state = runStoreReducer(state, {type: 'back'});
    expect(state.mode).toBe('detail');
    expect(state.openRunId).toBe(id);
    state = apply(detail, {type: 'toggleHelp'}, {type: 'toggleWarnings'}, {type: 'toggleWarnings'});
    expect(state.mode).toBe('detail');
  });

  it('panes: setPane and cyclePane wrap around and reset the scroll', () => {
    let state = apply(list(), {type: 'open'}, {type: 'scrollMetrics', lines: 100, height: 10}, {type: 'move', delta: 5});
    expect(state.scroll).toBe(5);
    state = runStoreReducer(state, {type: 'setPane', pane: 'conversation'});
    expect(state.pane).toBe('conversation');
    expect(state.scroll).toBe(0);
    state = runStoreReducer(state, {type: 'cyclePane', delta: 1});
    expect(state.pane).toBe(PANES[0].id);
    state = runStoreReducer(state, {type: 'cyclePane', delta: -1});
    expect(state.pane).toBe('conversation');
    const order: string[] = [];
    for (let step = 0; step < PANES.length; step += 1) {
      state = runStoreReducer(state, {type: 'cyclePane', delta: 1});
      order.push(state.pane);
    }
    expect(order).toEqual(PANES.map((pane) => pane.id));
  });

  it('startSearch from another mode returns to the list', () => {
    const state = apply(list(), {type: 'toggleHelp'}, {type: 'startSearch'});
    expect(state.mode).toBe('list');
    expect(state.searching).toBe(true);
  });
});

describe('scrolling views', () => {
  const detail = () => apply(createInitialState({runs: syntheticRuns(3), nowSeconds: NOW}), {type: 'open'});

  it('clamps the scroll to what scrollMetrics reports', () => {
    let state = runStoreReducer(detail(), {type: 'scrollMetrics', lines: 50, height: 10});
    state = runStoreReducer(state, {type: 'move', delta: -3});
    expect(state.scroll).toBe(0);
    state = runStoreReducer(state, {type: 'move', delta: 7});
    expect(state.scroll).toBe(7);
    state = runStoreReducer(state, {type: 'page', direction: 1});
    expect(state.scroll).toBe(16);
    state = runStoreReducer(state, {type: 'move', delta: 1000});
    expect(state.scroll).toBe(40);
    state = runStoreReducer(state, {type: 'page', direction: -1});
    expect(state.scroll).toBe(31);
    state = runStoreReducer(state, {type: 'bottom'});
    expect(state.scroll).toBe(40);
    state = runStoreReducer(state, {type: 'top'});
    expect(state.scroll).toBe(0);
    // The list cursor did not move while the pane scrolled.
    expect(state.cursor).toBe(0);
  });

  it('re-clamps when the content shrinks, and never scrolls content that fits', () => {
    let state = apply(detail(), {type: 'scrollMetrics', lines: 50, height: 10}, {type: 'bottom'});
    expect(state.scroll).toBe(40);
    state = runStoreReducer(state, {type: 'scrollMetrics', lines: 15, height: 10});
    expect(state.scroll).toBe(5);
    state = runStoreReducer(state, {type: 'scrollMetrics', lines: 5, height: 10});
    expect(state.scroll).toBe(0);
    expect(runStoreReducer(state, {type: 'move', delta: 1}).scroll).toBe(0);
    expect(runStoreReducer(state, {type: 'scrollMetrics', lines: 5, height: 10})).toBe(state);
  });

  it('a zero height counts as one row', () => {
    const state = apply(detail(), {type: 'scrollMetrics', lines: 4, height: 0}, {type: 'bottom'});
    expect(state.scrollHeight).toBe(1);
    expect(state.scroll).toBe(3);
    expect(runStoreReducer(state, {type: 'page', direction: -1}).scroll).toBe(2);
  });

  it('help and warnings scroll the same way and start at the top', () => {
    let state = apply(detail(), {type: 'scrollMetrics', lines: 30, height: 10}, {type: 'bottom'}, {type: 'toggleHelp'});
    expect(state.scroll).toBe(0);
    state = apply(state, {type: 'scrollMetrics', lines: 45, height: 17}, {type: 'page', direction: 1});
    expect(state.scroll).toBe(16);
    state = runStoreReducer(state, {type: 'back'});
    expect(state.mode).toBe('detail');
    expect(state.scroll).toBe(0);
  });
});

describe('property: any sequence of actions keeps the window consistent', () => {
  const statusArb = fc.constantFrom(...STATUSES, 'paused_for_review');
  const runArb = fc.record({
    status: statusArb,
    created: fc.option(fc.integer({min: NOW - 20_000, max: NOW}), {nil: null}),
    start: fc.option(fc.integer({min: 0, max: 2000}), {nil: null}),
    tokens: fc.option(fc.integer({min: 0, max: 50_000}), {nil: null}),
    model: fc.constantFrom('gpt-4o', 'gpt-4.1', 'o3-mini', null),
  });
  const runsArb = fc.uniqueArray(fc.tuple(fc.integer({min: 0, max: 10_000}), runArb), {selector: ([id]) => id, maxLength: 40}).map((entries) =>
    entries.map(([id, spec]) =>
      run({
        id: `run_${id}`,
        status: spec.status,
        created_at: spec.created,
        started_at: spec.created === null || spec.start === null ? null : spec.created + spec.start,
        model: spec.model,
        usage: spec.tokens === null ? null : {prompt_tokens: 0, completion_tokens: spec.tokens, total_tokens: spec.tokens},
      }),
    ),
  );
  const actionArb = (pool: readonly Run[][]): fc.Arbitrary<RunStoreAction> =>
    fc.oneof(
      fc.integer({min: 0, max: pool.length - 1}).map((index): RunStoreAction => ({type: 'setRuns', runs: pool[index]!})),
      fc.integer({min: NOW - 100, max: NOW + 5000}).map((nowSeconds): RunStoreAction => ({type: 'tick', nowSeconds})),
      fc.integer({min: 0, max: 30}).map((pageSize): RunStoreAction => ({type: 'resize', pageSize})),
      fc.integer({min: -50, max: 50}).map((delta): RunStoreAction => ({type: 'move', delta})),
      fc.constantFrom(1 as const, -1 as const).map((direction): RunStoreAction => ({type: 'page', direction})),
      fc.constantFrom<RunStoreAction>(
        {type: 'top'},
        {type: 'bottom'},
        {type: 'open'},
        {type: 'back'},
        {type: 'cycleSort'},
        {type: 'reverseSort'},
        {type: 'cycleStatusFilter'},
        {type: 'cycleStuck'},
        {type: 'clearFilters'},
        {type: 'startSearch'},
        {type: 'endSearch', keep: true},
        {type: 'endSearch', keep: false},
        {type: 'toggleHelp'},
        {type: 'toggleWarnings'},
        {type: 'cyclePane', delta: 1},
        {type: 'cyclePane', delta: -1},
        {type: 'setPane', pane: 'raw'},
      ),
      fc.constantFrom('', 'run_1', 'gpt', '4o', 'failed', 'o3 run', 'zzz').map((text): RunStoreAction => ({type: 'setSearch', text})),
      fc.tuple(fc.integer({min: 0, max: 200}), fc.integer({min: 0, max: 40})).map(([lines, height]): RunStoreAction => ({type: 'scrollMetrics', lines, height})),
    );

  it('0 ≤ cursor < max(1, visible), offset ≤ cursor < offset + pageSize, visible ⊆ runs', () => {
    fc.assert(
      fc.property(
        fc.array(runsArb, {minLength: 1, maxLength: 3}).chain((pool) =>
          fc.tuple(fc.constant(pool), fc.integer({min: 1, max: 12}), fc.array(actionArb(pool), {maxLength: 60})),
        ),
        ([pool, pageSize, actions]) => {
          let state = createInitialState({runs: pool[0]!, nowSeconds: NOW, pageSize});
          for (const action of actions) {
            state = runStoreReducer(state, action);
            const {cursor, offset, visible, runs} = state;
            if (!(cursor >= 0 && cursor < Math.max(1, visible.length))) return false;
            if (!(offset >= 0 && offset <= cursor && cursor < offset + state.pageSize)) return false;
            const all = new Set(runs);
            if (!visible.every((entry) => all.has(entry))) return false;
            if (visible.length !== selectRuns(runs, state.query, state.nowSeconds).length) return false;
            if (state.scroll < 0 || state.scroll > Math.max(0, state.scrollLines - state.scrollHeight)) return false;
          }
          return true;
        },
      ),
      {numRuns: 300},
    );
  });

  it('the visible runs are always exactly selectRuns(runs, query, now)', () => {
    fc.assert(
      fc.property(runsArb, fc.array(actionArb([[]]).filter((action) => action.type !== 'setRuns'), {maxLength: 30}), (runs, actions) => {
        let state = createInitialState({runs, nowSeconds: NOW, pageSize: 5});
        for (const action of actions) state = runStoreReducer(state, action);
        const expected = selectRuns(state.runs, state.query, state.nowSeconds).map((r) => r.id);
        return JSON.stringify(state.visible.map((r) => r.id)) === JSON.stringify(expected);
      }),
      {numRuns: 200},
    );
  });

  it('status filter cycles back to all after as many presses as statuses present plus one', () => {
    fc.assert(
      fc.property(runsArb, (runs) => {
        let state = createInitialState({runs, nowSeconds: NOW});
        const count = statusesPresent(runs).length;
        for (let step = 0; step <= count; step += 1) state = runStoreReducer(state, {type: 'cycleStatusFilter'});
        return state.query.statuses === null && state.visible.length === runs.length;
      }),
    );
  });
});

// A helper type check: ListQuery stays assignable from the store's query.
const _query: ListQuery = createInitialState({runs: [], nowSeconds: NOW}).query;
void _query;

describe('key presses resolved by the store', () => {
  const waitingRun = run({
    id: 'run_waiting',
    status: 'requires_action',
    thread_id: 'thread_w',
    created_at: NOW - 100,
    required_action: {
      type: 'submit_tool_outputs',
      submit_tool_outputs: {
        tool_calls: [
          {id: 'call_a', type: 'function', function: {name: 'get_weather', arguments: '{}'}},
          {id: 'call_b', type: 'function', function: {name: 'get_time', arguments: '{}'}},
        ],
      },
    },
  });
  const runs = [waitingRun, ...syntheticRuns(8)];
  const key = (name: string, text = name.length === 1 ? name : ''): RunStoreAction => ({type: 'key', name, text});
  const list = () => createInitialState({runs, nowSeconds: NOW, pageSize: 4});

  it('moves, pages and jumps in the list through the key table', () => {
    let state = apply(list(), key('j'), key('down'), key('space'));
    expect(state.cursor).toBe(6);
    state = apply(state, key('k'), key('up'), key('ctrl+b'));
    expect(state.cursor).toBe(0);
    state = apply(state, key('G'));
    expect(state.cursor).toBe(runs.length - 1);
    state = apply(state, key('g'));
    expect(state.cursor).toBe(0);
    expect(runStoreReducer(state, key('nonsense'))).toBe(state);
  });

  it('a burst of Enter then 2 opens the run and then its Required action pane', () => {
    const state = apply(list(), key('return'), key('2'));
    expect(state.mode).toBe('detail');
    expect(state.pane).toBe('action');
    expect(openRun(state)?.id).toBe('run_waiting');
    const back = apply(state, key('escape'));
    expect(back.mode).toBe('list');
    expect(apply(state, key('tab')).pane).toBe('tools');
    expect(apply(state, key('shift+tab')).pane).toBe('overview');
  });

  it('q quits from the list and detail, but only leaves help and warnings; Ctrl-C always quits', () => {
    expect(apply(list(), key('q')).quitRequested).toBe(true);
    expect(apply(list(), key('return'), key('q')).quitRequested).toBe(true);
    for (const overlay of ['?', 'W']) {
      const state = apply(list(), key(overlay), key('q'));
      expect(state.quitRequested).toBe(false);
      expect(state.mode).toBe('list');
      expect(apply(list(), key(overlay), key('ctrl+c')).quitRequested).toBe(true);
    }
  });

  it('Esc in the list clears the search and filters', () => {
    let state = apply(list(), key('f'), key('!'));
    expect(state.query.stuck).toBe('waiting');
    state = apply(state, key('escape'));
    expect(state.query).toMatchObject({statuses: null, stuck: 'off', search: ''});
  });

  it('the search prompt is modal: letters type, they do not run commands', () => {
    let state = apply(list(), key('/'));
    expect(state.searching).toBe(true);
    state = apply(state, key('q'), key('G'), key('j'));
    expect(state.quitRequested).toBe(false);
    expect(state.query.search).toBe('qGj');
    state = apply(state, key('backspace'), key('backspace'), key('backspace'));
    expect(state.query.search).toBe('');
    state = apply(state, {type: 'key', name: 'weather\nnow', text: 'weather\nnow'});
    expect(state.query.search).toBe('weather now');
    state = apply(state, {type: 'key', name: 'ctrl+a', text: 'a'});
    expect(state.query.search).toBe('weather now');
    const kept = apply(state, key('return'));
    expect(kept.searching).toBe(false);
    expect(kept.query.search).toBe('weather now');
    const cleared = apply(state, key('escape'));
    expect(cleared.searching).toBe(false);
    expect(cleared.query.search).toBe('');
    expect(apply(state, key('ctrl+c')).quitRequested).toBe(true);
  });

  it('arrows move the selection while the search prompt is open', () => {
    const state = apply(list(), key('/'), key('down'), key('down'), key('up'));
    expect(state.searching).toBe(true);
    expect(state.cursor).toBe(1);
  });

  it('y copies what the view shows: the run id, the submit_tool_outputs body, the raw JSON', () => {
    const inList = apply(list(), key('y'));
    expect(inList.clipboard).toEqual({text: 'run_waiting', sequence: 1});
    expect(inList.flash).toContain('run_waiting');

    const onAction = apply(list(), key('return'), key('2'), key('y'));
    expect(JSON.parse(onAction.clipboard!.text)).toEqual({
      tool_outputs: [
        {tool_call_id: 'call_a', output: ''},
        {tool_call_id: 'call_b', output: ''},
      ],
    });
    expect(onAction.flash).toContain('submit_tool_outputs');

    const onRaw = apply(list(), key('return'), key('8'), key('y'), key('y'));
    expect(JSON.parse(onRaw.clipboard!.text)).toEqual(waitingRun.raw);
    expect(onRaw.clipboard!.sequence).toBe(2);

    const onOverview = apply(list(), key('return'), key('y'));
    expect(onOverview.clipboard!.text).toBe('run_waiting');
  });

  it('the flash message goes away with the next key', () => {
    const state = apply(list(), key('y'));
    expect(state.flash).not.toBeNull();
    expect(apply(state, key('j')).flash).toBeNull();
    expect(apply(state, key('nonsense')).flash).toBeNull();
  });

  it('y does nothing on an empty list', () => {
    const empty = createInitialState({runs: [], nowSeconds: NOW});
    const state = apply(empty, key('y'));
    expect(state.clipboard).toBeNull();
  });
});
