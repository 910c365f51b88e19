/**
 * The store's parts, each on its own: the list window, scrolling, the views, the output form, run
 * actions and key interpretation; and the key table's prose helpers.
 */
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {hintLine, KEY_BINDINGS, keyLabel, keyText, type KeyContext} from '../src/keys.js';
import {normalizeRun} from '../src/model/normalize.js';
import {inputActions, keyAction, type KeyFacts} from '../src/store/keyInput.js';
import {createListWindow, listReducer, windowStart} from '../src/store/listWindow.js';
import {formReducer, openOutputForm, type FormState, type OutputForm} from '../src/store/outputForm.js';
import {INITIAL_VIEW, viewReducer, type ViewState} from '../src/store/overlays.js';
import {ACTIONS_NEED_API, confirmPrompt, runActionsReducer, type RunActionState} from '../src/store/runActions.js';
import {INITIAL_SCROLL, scrollReducer, shownScroll, type ScrollPosition} from '../src/store/scroll.js';

const NOW = 1_700_000_000;

const waiting = normalizeRun(
  {
    object: 'thread.run',
    id: 'run_wait',
    thread_id: 'thread_a',
    status: 'requires_action',
    created_at: NOW - 60,
    required_action: {
      type: 'submit_tool_outputs',
      submit_tool_outputs: {
        tool_calls: [
          {id: 'call_a', type: 'function', function: {name: 'get_weather', arguments: '{"city":"Oslo"}'}},
          {id: 'call_b', type: 'function', function: {name: 'get_time', arguments: '{}'}},
        ],
      },
    },
  },
  {kind: 'api', file: 'api:thread_a'},
);
const done = normalizeRun({object: 'thread.run', id: 'run_done', thread_id: 'thread_a', status: 'completed', created_at: NOW - 30}, {kind: 'api', file: 'api:thread_a'});
const fromFile = normalizeRun({object: 'thread.run', id: 'run_file', thread_id: 'thread_a', status: 'requires_action', created_at: NOW - 10}, {file: 'runs.json'});

describe('the list window', () => {
  it('windowStart moves the window only as far as the cursor needs, and never past the end', () => {
    expect(windowStart(5, 0, 10, 100)).toBe(0);
    expect(windowStart(12, 0, 10, 100)).toBe(3);
    expect(windowStart(2, 3, 10, 100)).toBe(2);
    expect(windowStart(99, 95, 10, 100)).toBe(90);
    expect(windowStart(0, 0, 10, 0)).toBe(0);
  });

  it('property: the cursor is always inside the window windowStart gives', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 500}), fc.integer({min: 1, max: 60}), fc.nat(), fc.nat(), (count, pageSize, cursorSeed, offsetSeed) => {
        const cursor = cursorSeed % count;
        const start = windowStart(cursor, offsetSeed % count, pageSize, count);
        return start >= 0 && start <= cursor && cursor < start + pageSize && start <= Math.max(0, count - pageSize);
      }),
    );
  });

  it('keeps the fields of the state it is part of', () => {
    const state = {...createListWindow({runs: [waiting, done, fromFile], nowSeconds: NOW, pageSize: 2}), other: 'kept'};
    const moved = listReducer(state, {type: 'bottom'});
    expect(moved).toMatchObject({cursor: 2, offset: 1, other: 'kept'});
    expect(listReducer(moved, {type: 'bottom'})).toBe(moved);
  });
});

describe('scrolling', () => {
  const at = (change: Partial<ScrollPosition>): ScrollPosition => ({...INITIAL_SCROLL, ...change});

  it('a G before the view is measured waits for its size', () => {
    let state = scrollReducer(at({}), {type: 'bottom'});
    expect(state).toMatchObject({pendingBottom: true, scroll: 0});
    expect(shownScroll(state, 50, 10)).toBe(40);
    state = scrollReducer(state, {type: 'scrollMetrics', lines: 50, height: 10});
    expect(state).toMatchObject({pendingBottom: false, scroll: 40, scrollLines: 50, scrollHeight: 10});
  });

  it('property: what a view shows is the scroll the store keeps once the next key brings the view size', () => {
    const action = fc.oneof(
      fc.record({type: fc.constant('move' as const), delta: fc.integer({min: -50, max: 50})}),
      fc.record({type: fc.constant('page' as const), direction: fc.constantFrom(1 as const, -1 as const)}),
      fc.constantFrom({type: 'top' as const}, {type: 'bottom' as const}),
      fc.record({type: fc.constant('scrollMetrics' as const), lines: fc.nat(200), height: fc.nat(40)}),
    );
    fc.assert(
      fc.property(fc.array(action, {maxLength: 20}), fc.nat(200), fc.nat(40), (actions, lines, height) => {
        const state = actions.reduce(scrollReducer, INITIAL_SCROLL);
        return shownScroll(state, lines, height) === scrollReducer(state, {type: 'scrollMetrics', lines, height}).scroll;
      }),
    );
  });
});

describe('the views', () => {
  const view = (change: Partial<ViewState> = {}): ViewState => ({...INITIAL_VIEW, ...INITIAL_SCROLL, ...change});

  it('opening a run, choosing a pane (even the same one) and toggling an overlay start at the top', () => {
    const scrolled = {scroll: 7, scrollLines: 40, scrollHeight: 10};
    expect(viewReducer(view(scrolled), {type: 'openRun', runId: 'run_wait'})).toMatchObject({mode: 'detail', openRunId: 'run_wait', scroll: 0, scrollLines: 0});
    expect(viewReducer(view({mode: 'detail', ...scrolled}), {type: 'setPane', pane: 'overview'})).toMatchObject({pane: 'overview', scroll: 0});
    const help = viewReducer(view({mode: 'detail', ...scrolled}), {type: 'toggleOverlay', mode: 'help'});
    expect(help).toMatchObject({mode: 'help', previousMode: 'detail', scroll: 0});
    expect(viewReducer(help, {type: 'toggleOverlay', mode: 'stats'})).toMatchObject({mode: 'stats', previousMode: 'detail'});
  });

  it('back from the list changes nothing; the search prompt over an overlay shows the list', () => {
    const list = view();
    expect(viewReducer(list, {type: 'back'})).toBe(list);
    expect(viewReducer(list, {type: 'showList'})).toBe(list);
    expect(viewReducer(view({mode: 'help', previousMode: 'detail', openRunId: 'run_wait'}), {type: 'showList'})).toMatchObject({mode: 'list', openRunId: 'run_wait'});
  });
});

function formState(form: OutputForm | null, change: Partial<FormState> = {}): FormState {
  return {...INITIAL_SCROLL, runs: [waiting, done], outputForm: form, canAct: true, confirm: null, actionInFlight: null, flash: null, ...change};
}

describe('the output form', () => {
  const form = openOutputForm(waiting) as OutputForm;

  it('opens only for a run that waits for tool outputs', () => {
    expect(form).toMatchObject({runId: 'run_wait', threadId: 'thread_a', values: ['', ''], focus: 0, stage: 'edit'});
    expect(openOutputForm(done)).toBe('run_done is completed: only a run in requires_action takes tool outputs');
  });

  it('Ctrl-E returns an effect that opens the editor on the template, and the form waits for it', () => {
    const typed = formReducer(formState(form), {type: 'typeOutput', text: 'rain\nlater'}).state;
    const {state, effects} = formReducer(typed, {type: 'editOutputs'});
    expect(state.outputForm!.editing).toBe(true);
    expect(effects).toHaveLength(1);
    const [effect] = effects;
    expect(effect).toMatchObject({type: 'openEditor', name: 'runlens-outputs-run_wait'});
    expect(JSON.parse((effect as {text: string}).text)).toEqual({
      tool_outputs: [
        {tool_call_id: 'call_a', output: 'rain later'},
        {tool_call_id: 'call_b', output: ''},
      ],
    });
  });

  it('y on the review returns the submit as an effect, once; while one is in flight it is refused with none', () => {
    const review = formReducer(formState({...form, values: ['rain', '12:00']}), {type: 'reviewOutputs'}).state;
    expect(review.outputForm!.stage).toBe('review');
    const sent = formReducer(review, {type: 'sendReviewed'});
    expect(sent.state).toMatchObject({outputForm: null, actionInFlight: 'submit', flash: 'Submitting 2 tool outputs to run_wait…'});
    expect(sent.effects).toEqual([
      {
        type: 'runAction',
        action: {kind: 'submit', runId: 'run_wait', threadId: 'thread_a', body: {tool_outputs: [{tool_call_id: 'call_a', output: 'rain'}, {tool_call_id: 'call_b', output: '12:00'}]}},
      },
    ]);
    const refused = formReducer({...review, actionInFlight: 'cancel'}, {type: 'sendReviewed'});
    expect(refused.effects).toEqual([]);
    expect(refused.state.outputForm!.stage).toBe('review');
    expect(refused.state.flash).toBe('Refused: a cancel is still in flight; wait for its answer.');
  });

  it('without a form open, nothing happens', () => {
    const state = formState(null);
    expect(formReducer(state, {type: 'editorDone', text: '{}', label: 'x.json'}).state).toBe(state);
  });
});

describe('run actions', () => {
  const actions = (change: Partial<RunActionState> = {}): RunActionState => ({canAct: true, confirm: null, actionInFlight: null, flash: null, ...change});

  it('c asks y/n for an API run, says why not otherwise', () => {
    expect(runActionsReducer(actions({canAct: false}), {type: 'askCancel', run: waiting}).state.flash).toBe(ACTIONS_NEED_API);
    expect(runActionsReducer(actions(), {type: 'askCancel', run: fromFile}).state.flash).toBe(ACTIONS_NEED_API);
    const asked = runActionsReducer(actions(), {type: 'askCancel', run: waiting}).state;
    expect(asked.confirm).toEqual({kind: 'cancel', runId: 'run_wait', threadId: 'thread_a', body: null});
    expect(confirmPrompt(asked.confirm!)).toBe('Cancel run run_wait? y/n');
  });

  it('yes sends the cancel as an effect; no sends nothing; the answer with the run id asks for a reload', () => {
    const asked = runActionsReducer(actions(), {type: 'askCancel', run: waiting}).state;
    const no = runActionsReducer(asked, {type: 'answer', yes: false});
    expect(no).toEqual({state: {...asked, confirm: null, flash: 'Nothing sent.'}, effects: []});
    const yes = runActionsReducer(asked, {type: 'answer', yes: true});
    expect(yes.effects).toEqual([{type: 'runAction', action: {kind: 'cancel', runId: 'run_wait', threadId: 'thread_a', body: null}}]);
    expect(yes.state).toMatchObject({confirm: null, actionInFlight: 'cancel', flash: 'Cancelling run_wait…'});
    expect(runActionsReducer(yes.state, {type: 'actionDone', message: 'Cancel requested: run_wait is now cancelling', runId: 'run_wait'}).effects).toEqual([{type: 'reload', runId: 'run_wait'}]);
    const failed = runActionsReducer(yes.state, {type: 'actionDone', message: 'Cancel failed: 404'});
    expect(failed).toEqual({state: {...yes.state, actionInFlight: null, flash: 'Cancel failed: 404'}, effects: []});
  });
});

describe('key interpretation', () => {
  const facts = (context: KeyContext, change: Partial<KeyFacts> = {}): KeyFacts => ({context, mode: 'list', search: 'gpt', editing: false, ...change});

  it('in the search prompt, letters type and the table keys edit', () => {
    expect(keyAction(facts('search'), 'q', 'q')).toEqual({type: 'setSearch', text: 'gptq'});
    expect(keyAction(facts('search'), 'backspace', '')).toEqual({type: 'setSearch', text: 'gp'});
    expect(keyAction(facts('search'), 'return', '')).toEqual({type: 'endSearch', keep: true});
    expect(keyAction(facts('search'), 'escape', '')).toEqual({type: 'endSearch', keep: false});
    expect(keyAction(facts('search'), 'down', '')).toEqual({type: 'move', delta: 1});
    expect(keyAction(facts('search'), 'ctrl+a', 'a')).toBeNull();
    expect(keyAction(facts('search'), 'ctrl+c', 'c')).toEqual({type: 'quit'});
  });

  it('a y/n question waits: only y, n, Esc and Ctrl-C act', () => {
    expect(keyAction(facts('confirm'), 'Y', 'Y')).toEqual({type: 'answer', yes: true});
    expect(keyAction(facts('confirm'), 'escape', '')).toEqual({type: 'answer', yes: false});
    expect(keyAction(facts('confirm'), 'j', 'j')).toBeNull();
    expect(keyAction(facts('confirm'), 'q', 'q')).toBeNull();
  });

  it('in the output form keys type; while the editor is open nothing acts', () => {
    expect(keyAction(facts('outputs'), 'q', 'q')).toEqual({type: 'typeOutput', text: 'q'});
    expect(keyAction(facts('outputs'), 'tab', '')).toEqual({type: 'nextCall'});
    expect(keyAction(facts('review'), 'j', 'j')).toEqual({type: 'move', delta: 1});
    expect(keyAction(facts('review'), 'x', 'x')).toBeNull();
    expect(keyAction(facts('outputs', {editing: true}), 'ctrl+c', 'c')).toBeNull();
  });

  it('q quits from the list and goes back from an overlay', () => {
    expect(keyAction(facts('list'), 'q', 'q')).toEqual({type: 'quit'});
    expect(keyAction(facts('help', {mode: 'help'}), 'q', 'q')).toEqual({type: 'back'});
    expect(keyAction(facts('help', {mode: 'help'}), 'ctrl+c', 'c')).toEqual({type: 'quit'});
  });

  it('every key in the table acts where it is bound', () => {
    for (const binding of KEY_BINDINGS) {
      for (const context of binding.contexts) {
        for (const key of binding.keys) {
          const mode = (['list', 'detail', 'help', 'warnings', 'stats', 'threads'] as const).find((candidate) => candidate === context) ?? 'detail';
          expect(keyAction(facts(context, {mode}), key, key.length === 1 ? key : ''), `${key} in ${context}`).not.toBeNull();
        }
      }
    }
  });

  it('a burst is one key press per character; pasted text in the form is text, a final Enter still a key', () => {
    expect(inputActions('jjj', {}, false)).toEqual(Array.from({length: 3}, () => ({type: 'key', name: 'j', text: 'j'})));
    expect(inputActions('\r2', {}, false)).toEqual([
      {type: 'key', name: 'return', text: ''},
      {type: 'key', name: '2', text: '2'},
    ]);
    expect(inputActions('jq\n', {}, true)).toEqual([{type: 'paste', text: 'jq\n'}]);
    expect(inputActions('xy\r', {}, true)).toEqual([
      {type: 'paste', text: 'xy'},
      {type: 'key', name: 'return', text: ''},
    ]);
  });
});

describe('key letters in prose', () => {
  it('come from the table: the first key of a label, the label itself for /', () => {
    expect(keyText('warnings')).toBe('W');
    expect(keyText('stuck')).toBe('!');
    expect(keyText('clearFilters')).toBe('Esc');
    expect(keyText('search')).toBe('/');
    expect(keyText('declineAction', 'confirm')).toBe('n');
    expect(keyLabel('backToForm', 'review')).toBe('n/Esc');
    expect(keyText('editOutputs', 'review')).toBe('e');
    expect(() => keyText('sendReviewed', 'list')).toThrow('no key binding for sendReviewed in list');
  });

  it("the search prompt's hint is its bindings' short words", () => {
    expect(hintLine('search', ' · ')).toBe('Enter keeps the filter · Esc clears it');
    expect(hintLine('confirm', '  ')).toBe('');
  });
});
