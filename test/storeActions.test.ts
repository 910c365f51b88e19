import {describe, expect, it} from 'vitest';
import {normalizeRun} from '../src/model/normalize.js';
import {ACTIONS_NEED_API, createInitialState, runStoreReducer, type RunStoreAction, type RunStoreState} from '../src/store/runStore.js';

const waiting = normalizeRun(
  {
    object: 'thread.run',
    id: 'run_w',
    thread_id: 'thread_a',
    status: 'requires_action',
    created_at: 1,
    required_action: {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [{id: 'call_1', type: 'function', function: {name: 'f', arguments: '{}'}}]}},
  },
  {file: 'api:thread_a'},
);
const done = normalizeRun({object: 'thread.run', id: 'run_d', thread_id: 'thread_a', status: 'completed', created_at: 2}, {file: 'api:thread_a'});

function apply(state: RunStoreState, ...actions: RunStoreAction[]): RunStoreState {
  return actions.reduce(runStoreReducer, state);
}
const key = (name: string): RunStoreAction => ({type: 'key', name, text: name});

function opened(runId: string, canAct = true): RunStoreState {
  let state = createInitialState({runs: [waiting, done], nowSeconds: 10});
  state = apply(state, {type: 'setCanAct', canAct});
  while (state.visible[state.cursor]?.id !== runId) state = apply(state, key('j'));
  return apply(state, key('return'));
}

describe('run actions in the store (c, o, y/n)', () => {
  it('without an API session the keys only say why', () => {
    const state = apply(opened('run_w', false), key('c'));
    expect(state.confirm).toBeNull();
    expect(state.flash).toBe(ACTIONS_NEED_API);
  });

  it('o asks with the exact body and shows the Required action pane; y records the request once', () => {
    let state = apply(opened('run_w'), key('o'));
    expect(state.pane).toBe('action');
    expect(state.confirm).toEqual({kind: 'submit', runId: 'run_w', threadId: 'thread_a', body: {tool_outputs: [{tool_call_id: 'call_1', output: ''}]}});
    state = apply(state, key('j')); // other keys wait for an answer
    expect(state.confirm).not.toBeNull();
    state = apply(state, key('y'));
    expect(state.actionRequest).toMatchObject({kind: 'submit', sequence: 1});
    expect(state.actionInFlight).toBe('submit');
    // A second submit while the first is in flight is refused.
    state = apply(state, key('o'));
    expect(state.confirm).toBeNull();
    expect(state.flash).toContain('still in flight');
    expect(state.actionRequest!.sequence).toBe(1);
    state = apply(state, {type: 'actionDone', message: 'ok'});
    expect(state.actionInFlight).toBeNull();
    expect(state.flash).toBe('ok');
  });

  it('o on a run that does not wait is refused; c then n sends nothing', () => {
    let state = apply(opened('run_d'), key('o'));
    expect(state.confirm).toBeNull();
    expect(state.flash).toContain('only a run in requires_action takes tool outputs');
    state = apply(state, key('c'));
    expect(state.confirm).toMatchObject({kind: 'cancel', runId: 'run_d'});
    state = apply(state, key('n'));
    expect(state.confirm).toBeNull();
    expect(state.actionRequest).toBeNull();
  });
});
