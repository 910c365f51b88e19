import {describe, expect, it} from 'vitest';
import {normalizeRun} from '../src/model/normalize.js';
import {ACTIONS_NEED_API, createInitialState, type RunStoreState} from '../src/store/runStore.js';
import {type RunStoreAction} from '../src/store/storeActions.js';
import {applyAll, type RecordedState} from './helpers/storeHarness.js';

const waiting = normalizeRun(
  {
    object: 'thread.run',
    id: 'run_w',
    thread_id: 'thread_a',
    status: 'requires_action',
    created_at: 1,
    required_action: {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [{id: 'call_1', type: 'function', function: {name: 'f', arguments: '{}'}}]}},
  },
  {kind: 'api', file: 'api:thread_a'},
);
const done = normalizeRun({object: 'thread.run', id: 'run_d', thread_id: 'thread_a', status: 'completed', created_at: 2}, {kind: 'api', file: 'api:thread_a'});

function apply(state: RunStoreState, ...actions: RunStoreAction[]): RecordedState {
  return applyAll(state, actions);
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

  it('o opens the output form; y on the review records the request once; a second submit in flight is refused', () => {
    let state = apply(opened('run_w'), key('o'));
    expect(state.outputForm).toMatchObject({runId: 'run_w', threadId: 'thread_a', values: [''], focus: 0, stage: 'edit'});
    state = apply(state, ...[...'ok'].map(key), key('return'));
    expect(state.outputForm!.stage).toBe('review');
    state = apply(state, key('y'));
    expect(state.outputForm).toBeNull();
    expect(state.actionRequest).toEqual({kind: 'submit', runId: 'run_w', threadId: 'thread_a', body: {tool_outputs: [{tool_call_id: 'call_1', output: 'ok'}]}, sequence: 1});
    expect(state.actionInFlight).toBe('submit');
    // A second submit while the first is in flight is refused.
    state = apply(state, key('o'));
    expect(state.outputForm).toBeNull();
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

const threeCalls = normalizeRun(
  {
    object: 'thread.run',
    id: 'run_3',
    thread_id: 'thread_a',
    status: 'requires_action',
    created_at: 3,
    required_action: {
      type: 'submit_tool_outputs',
      submit_tool_outputs: {
        tool_calls: ['call_a', 'call_b', 'call_c'].map((id, index) => ({id, type: 'function', function: {name: `fn_${index}`, arguments: '{}'}})),
      },
    },
  },
  {kind: 'api', file: 'api:thread_a'},
);

function formOpen(): RunStoreState {
  let state = createInitialState({runs: [threeCalls], nowSeconds: 10});
  state = apply(state, {type: 'setCanAct', canAct: true}, key('return'), key('o'));
  expect(state.outputForm?.stage).toBe('edit');
  return state;
}
const input = (text: string, flags: Record<string, boolean> = {}): RunStoreAction => ({type: 'input', input: text, key: flags});

describe('the tool output form in the store', () => {
  it('keys that act elsewhere (q, j, k, /, digits, c, o, y) type into the focused output', () => {
    const state = apply(formOpen(), ...[...'q j/k 9 coy'].map((char) => input(char)));
    expect(state.quitRequested).toBe(false);
    expect(state.mode).toBe('detail');
    expect(state.outputForm!.values).toEqual(['q j/k 9 coy', '', '']);
  });

  it('Tab, Down and Enter move to the next call, Shift-Tab and Up back, Backspace erases; Enter on the last reviews', () => {
    let state = apply(formOpen(), input('a'), input('', {tab: true}), input('b'), input('b'), input('', {backspace: true}), input('', {downArrow: true}), input('c'));
    expect(state.outputForm!.values).toEqual(['a', 'b', 'c']);
    expect(state.outputForm!.focus).toBe(2);
    state = apply(state, input('', {upArrow: true}), input('', {tab: true, shift: true}));
    expect(state.outputForm!.focus).toBe(0);
    state = apply(state, input('\r', {return: true}), input('\r', {return: true}));
    expect(state.outputForm!.stage).toBe('edit');
    state = apply(state, input('\r', {return: true}));
    expect(state.outputForm!.stage).toBe('review');
    // n goes back to the form with the values kept; Ctrl-R reviews from any call.
    state = apply(state, input('n'));
    expect(state.outputForm).toMatchObject({stage: 'edit', values: ['a', 'b', 'c']});
    state = apply(state, input('r', {ctrl: true}));
    expect(state.outputForm!.stage).toBe('review');
    state = apply(state, input('\u001b', {escape: true}));
    expect(state.outputForm!.stage).toBe('edit');
  });

  it('pasted text is typed as it is, on one line; a burst ending in Enter still presses Enter', () => {
    let state = apply(formOpen(), input('{"q": 1,\n "j": [2]}'));
    expect(state.outputForm!.values[0]).toBe('{"q": 1,  "j": [2]}');
    expect(state.outputForm!.focus).toBe(0);
    state = apply(state, input('xy\r'));
    expect(state.outputForm!.values[0]).toBe('{"q": 1,  "j": [2]}xy');
    expect(state.outputForm!.focus).toBe(1);
  });

  it('Esc cancels: the form closes and nothing is requested', () => {
    const state = apply(formOpen(), input('x'), input('\u001b', {escape: true}));
    expect(state.outputForm).toBeNull();
    expect(state.actionRequest).toBeNull();
    expect(state.flash).toBe('Nothing sent.');
  });

  it('a run that left requires_action (a watch refresh) is refused on y, back in the form with the values', () => {
    let state = apply(formOpen(), input('a'), input('r', {ctrl: true}));
    const expired = normalizeRun({...threeCalls.raw, status: 'expired', required_action: null}, {kind: 'api', file: 'api:thread_a'});
    state = apply(state, {type: 'setRuns', runs: [expired]}, input('y'));
    expect(state.actionRequest).toBeNull();
    expect(state.outputForm).toMatchObject({stage: 'edit', values: ['a', '', '']});
    expect(state.outputForm!.error).toBe('run run_3 is expired, not requires_action; nothing submitted');
  });

  it('Ctrl-E asks for the editor with the JSON template holding the values typed; e does too on the review', () => {
    let state = apply(formOpen(), input('a'), input('e'), input('e', {ctrl: true}));
    expect(state.outputForm!.values[0]).toBe('ae');
    expect(state.outputForm!.editing).toBe(true);
    expect(state.editorRequest).toMatchObject({name: 'runlens-outputs-run_3', sequence: 1});
    expect(JSON.parse(state.editorRequest!.text)).toEqual({
      tool_outputs: [
        {tool_call_id: 'call_a', output: 'ae'},
        {tool_call_id: 'call_b', output: ''},
        {tool_call_id: 'call_c', output: ''},
      ],
    });
    // Keys wait while the editor is open.
    state = apply(state, input('z'));
    expect(state.outputForm!.values[0]).toBe('ae');
    state = apply(state, {type: 'editorFailed', message: 'the editor (vi) exited with status 1; nothing taken from it'});
    expect(state.outputForm).toMatchObject({editing: false, error: 'the editor (vi) exited with status 1; nothing taken from it', values: ['ae', '', '']});
    state = apply(state, input('r', {ctrl: true}), input('e'));
    expect(state.editorRequest!.sequence).toBe(2);
  });

  it('the edited JSON goes to the review in the run order of the calls', () => {
    let state = apply(formOpen(), input('e', {ctrl: true}));
    const edited = {tool_outputs: [{tool_call_id: 'call_c', output: '3'}, {tool_call_id: 'call_a', output: '{"ok":true}'}, {tool_call_id: 'call_b', output: 'two\nlines'}]};
    state = apply(state, {type: 'editorDone', text: JSON.stringify(edited), label: 'outputs.json'});
    expect(state.outputForm).toMatchObject({stage: 'review', values: ['{"ok":true}', 'two\nlines', '3'], error: null, draft: null, editing: false});
  });

  it('invalid JSON, a wrong shape, an unknown or a missing call: back to the form saying where, values kept, the text reopened', () => {
    const cases: Array<[string, string | RegExp]> = [
      // The reason is V8's own, which differs between Node versions; the place is ours.
      ['{"tool_outputs": [\n  {"tool_call_id": "call_a", "output": "x"\n]}', /^outputs\.json:3:1: \S/],
      ['{"tool_outputs": [{"tool_call_id": "call_a", "output": 3}]}', 'outputs.json:1:56: tool_outputs[0].output: must be a string (the API takes text; write JSON as a string)'],
      ['[]', 'outputs.json:1:1: the body: must be an object {"tool_outputs": [...]}'],
      [
        '{"tool_outputs": [{"tool_call_id": "call_a", "output": ""}, {"tool_call_id": "call_b", "output": ""}, {"tool_call_id": "call_c", "output": ""}, {"tool_call_id": "call_zz", "output": ""}]}',
        'run run_3 does not wait for call_zz (it waits for call_a, call_b, call_c); nothing submitted',
      ],
      ['{"tool_outputs": [{"tool_call_id": "call_a", "output": ""}]}', 'no output for call_b, call_c (the API needs all 3 at once; keep one entry per call); nothing submitted'],
    ];
    for (const [text, error] of cases) {
      let state = apply(formOpen(), input('kept'), input('e', {ctrl: true}));
      state = apply(state, {type: 'editorDone', text, label: 'outputs.json'});
      expect(state.outputForm).toMatchObject({stage: 'edit', values: ['kept', '', ''], draft: text, editing: false});
      if (typeof error === 'string') expect(state.outputForm!.error).toBe(error);
      else expect(state.outputForm!.error).toMatch(error);
      state = apply(state, input('e', {ctrl: true}));
      expect(state.editorRequest!.text).toBe(text);
    }
  });
});
