/**
 * The mark and the compare view in the store, without React: `m` marks and unmarks the run here,
 * `=` opens the pair (the marked run first) or says why not; a refresh keeps the pair by id.
 */
import {describe, expect, it} from 'vitest';
import {normalizeRun} from '../src/model/normalize.js';
import type {Run} from '../src/model/run.js';
import {comparedRuns, createInitialState, updateRunStore, type RunStoreState} from '../src/store/runStore.js';
import type {RunStoreAction} from '../src/store/storeActions.js';

const NOW = 1_700_000_000;
const apiRun = (id: string, status: string, createdAt: number): Run =>
  normalizeRun({object: 'thread.run', id, thread_id: 'thread_a', status, created_at: createdAt, model: 'gpt-4o'}, {kind: 'api', file: 'api:thread_a'});
const runs = [apiRun('run_new', 'in_progress', NOW - 10), apiRun('run_old', 'completed', NOW - 100), apiRun('run_older', 'failed', NOW - 200)];
const key = (name: string): RunStoreAction => ({type: 'key', name, text: name});

function keys(state: RunStoreState, ...names: string[]): RunStoreState {
  for (const name of names) state = updateRunStore(state, key(name)).state;
  return state;
}

const start = () => createInitialState({runs, nowSeconds: NOW, pageSize: 5});

describe('mark and compare in the store', () => {
  it('m marks the run under the cursor, m again unmarks it; the footer says which', () => {
    let state = keys(start(), 'j', 'm');
    expect(state.markedRunId).toBe('run_old');
    expect(state.flash).toBe('Marked run_old: press = on another run to compare them');
    state = keys(state, 'm');
    expect(state.markedRunId).toBeNull();
    expect(state.flash).toBe('Unmarked run_old');
  });

  it('= with nothing marked, or on the marked run, says so and opens nothing', () => {
    let state = keys(start(), '=');
    expect(state.mode).toBe('list');
    expect(state.flash).toMatch(/^Nothing is marked: press m on a run/);
    state = keys(start(), 'm', '=');
    expect(state.mode).toBe('list');
    expect(state.flash).toMatch(/^This is the marked run/);
  });

  it('= on another run opens the pair, the marked one as A; from a run too; Esc goes back where it was', () => {
    let state = keys(start(), 'm', 'j', 'j', '=');
    expect(state.mode).toBe('compare');
    expect(state.compared).toEqual({a: 'run_new', b: 'run_older'});
    expect(comparedRuns(state.compared, state.runs)).toEqual({a: runs[0], b: runs[2]});
    expect(keys(state, 'escape').mode).toBe('list');
    state = keys(start(), 'j', 'm', 'k', 'return', '=');
    expect(state.mode).toBe('compare');
    expect(state.compared).toEqual({a: 'run_old', b: 'run_new'});
    // = again closes it, as the overlays' keys do.
    state = keys(state, '=');
    expect(state.mode).toBe('detail');
  });

  it('a marked run no longer loaded is said, not compared', () => {
    let state = keys(start(), 'j', 'm');
    state = updateRunStore(state, {type: 'setRuns', runs: [runs[0]!, runs[2]!], loading: false}).state;
    state = keys(state, '=');
    expect(state.mode).toBe('list');
    expect(state.flash).toBe('The marked run run_old is no longer loaded: press m on a run to mark another');
  });
});
