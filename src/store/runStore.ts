/**
 * The TUI's state and the only place it changes: a reducer with typed actions. Components render
 * what it holds; input hooks turn keys into its actions. No React here, so it is tested directly.
 */
import type {Run} from '../model/run.js';
import {commandForKey, keyName, PANE_KEYS, splitKeyPresses, type Command, type KeyContext, type KeyFlags} from '../keys.js';
import {PANES, type PaneId} from '../panes/paneIds.js';
import {ActionError, checkOutputsForRun, parseEditedOutputs, toolOutputsTemplate} from '../triage/toolOutputs.js';
import {submitToolOutputsBody, type SubmitToolOutputsBody} from '../triage/unstick.js';
import type {RequiredToolCall} from '../model/run.js';
import {
  DEFAULT_QUERY,
  SORT_DESCENDING_BY_DEFAULT,
  SORT_KEYS,
  filterRuns,
  sortDependsOnClock,
  sortRuns,
  statusesPresent,
  type ListQuery,
} from './listView.js';

export type Mode = 'list' | 'detail' | 'help' | 'warnings' | 'stats' | 'threads';

/** Views laid over the list or a run; Esc (or their key again) returns to where they were opened. */
export type OverlayMode = 'help' | 'warnings' | 'stats' | 'threads';

function isOverlay(mode: Mode): mode is OverlayMode {
  return mode === 'help' || mode === 'warnings' || mode === 'stats' || mode === 'threads';
}

export interface RunStoreState {
  runs: readonly Run[];
  /** Whether `runs` is part of a first load still streaming in. */
  loadingRuns: boolean;
  query: ListQuery;
  /** All runs in the query's sort order; re-sorted only when the runs or the sort change. */
  sorted: readonly Run[];
  /** `sorted` filtered by the query: a search keystroke filters, it never re-sorts. */
  visible: readonly Run[];
  /** Clock used for sorting and filtering by age (seconds). */
  nowSeconds: number;
  /** Index into `visible` of the selected run. */
  cursor: number;
  /** Index of the first row drawn: the list renders only the rows that fit. */
  offset: number;
  /** Rows the list has room for. */
  pageSize: number;
  mode: Mode;
  /** Where Esc goes back to from help or warnings. */
  previousMode: Mode;
  /** The search prompt is open: keys type into it. */
  searching: boolean;
  /** The id of the run open in detail mode. */
  openRunId: string | null;
  pane: PaneId;
  /** First line shown of a scrollable view (pane, help, warnings). */
  scroll: number;
  /** Lines the current scrollable view has, and how many fit; reported by the view. */
  scrollLines: number;
  scrollHeight: number;
  /** Set by the quit key; the app exits when it sees it. */
  quitRequested: boolean;
  /** Text for the terminal clipboard; `sequence` changes with each copy so the view sends it once. */
  clipboard: {text: string; sequence: number} | null;
  /** A one-line message for the footer (what was copied), cleared by the next key. */
  flash: string | null;
  /** Counts presses of the watch key; the app turns watching on or off when it changes. */
  watchToggles: number;
  /** `G` was pressed before the view reported its size. */
  pendingBottom: boolean;
  /** Whether run actions (cancel, submit) can be sent: the app was given an API session. */
  canAct: boolean;
  /** An action waiting for y/n. */
  confirm: PendingAction | null;
  /** The last confirmed action; `sequence` changes with each so the app sends it once. */
  actionRequest: (PendingAction & {sequence: number}) | null;
  /** The action sent and not answered yet; a second one is refused meanwhile. */
  actionInFlight: RunActionKind | null;
  /** The tool output form (`o`), while it is open. */
  outputForm: OutputForm | null;
  /** A text to open in the external editor; `sequence` changes with each so the app opens it once. */
  editorRequest: {text: string; name: string; sequence: number} | null;
}

/** The outputs being entered for a run in requires_action, one per tool call, and where the user is. */
export interface OutputForm {
  runId: string;
  threadId: string;
  /** The calls as the run asked for them when the form opened, in the run's order. */
  calls: readonly RequiredToolCall[];
  /** One output per call, as typed (or as the editor gave). */
  values: readonly string[];
  /** Index of the call being typed into. */
  focus: number;
  /** `edit`: typing into the form; `review`: the exact request, waiting for y. */
  stage: 'edit' | 'review';
  /** Why the editor's text was not taken (or the last check failed); shown above the form. */
  error: string | null;
  /** The editor's text that was not taken: the editor opens it again rather than a fresh template. */
  draft: string | null;
  /** The editor is open (the app is suspended on it). */
  editing: boolean;
}

export type RunActionKind = 'cancel' | 'submit';

/** An action on a run, as the app sends it: cancel, or submit this body. */
export interface PendingAction {
  kind: RunActionKind;
  runId: string;
  threadId: string;
  /** The exact submit_tool_outputs body (submit only). */
  body: SubmitToolOutputsBody | null;
}

/** Actions need a run read from an API thread. */
export const ACTIONS_NEED_API = 'actions need an API source (--thread)';

/** The footer's y/n question for a pending cancel (submits are confirmed on the review screen). */
export function confirmPrompt(pending: PendingAction): string {
  return `Cancel run ${pending.runId}? y/n`;
}

/** The request body the output form would send, in the run's order of calls. */
export function outputFormBody(form: OutputForm): SubmitToolOutputsBody {
  return {tool_outputs: form.calls.map((call, index) => ({tool_call_id: call.id, output: form.values[index] ?? ''}))};
}

/** Which key table applies: the output form's and its review's own, else the mode's. */
export function keyContext(state: RunStoreState): KeyContext {
  if (state.outputForm) return state.outputForm.stage === 'review' ? 'review' : 'outputs';
  return state.mode;
}

export type RunStoreAction =
  /** `loading`: the runs so far of a first load that goes on. */
  | {type: 'setRuns'; runs: readonly Run[]; loading?: boolean}
  | {type: 'tick'; nowSeconds: number}
  | {type: 'resize'; pageSize: number}
  | {type: 'move'; delta: number}
  | {type: 'page'; direction: 1 | -1}
  | {type: 'top'}
  | {type: 'bottom'}
  | {type: 'open'}
  | {type: 'back'}
  | {type: 'setPane'; pane: PaneId}
  | {type: 'cyclePane'; delta: 1 | -1}
  | {type: 'cycleSort'}
  | {type: 'reverseSort'}
  | {type: 'cycleStatusFilter'}
  | {type: 'cycleStuck'}
  | {type: 'clearFilters'}
  | {type: 'startSearch'}
  | {type: 'setSearch'; text: string}
  | {type: 'endSearch'; keep: boolean}
  | {type: 'toggleHelp'}
  | {type: 'toggleWarnings'}
  | {type: 'toggleOverlay'; mode: OverlayMode}
  | {type: 'scrollMetrics'; lines: number; height: number}
  /** A key press by name (see `keyName`), resolved through the key table against the current mode. */
  | {type: 'key'; name: string; text: string}
  /** What Ink's useInput delivered: one key, a burst of keys, or pasted text (split here, against the state each key leaves). */
  | {type: 'input'; input: string; key: KeyFlags}
  /** The editor saved this text (the output form's JSON); `label` names the file in messages. */
  | {type: 'editorDone'; text: string; label: string}
  /** The editor could not run or was left without saving: a one-line reason. */
  | {type: 'editorFailed'; message: string}
  | {type: 'copy'}
  | {type: 'toggleWatch'}
  | {type: 'flash'; message: string}
  | {type: 'setCanAct'; canAct: boolean}
  | {type: 'requestAction'; kind: RunActionKind}
  /** The answer to the action sent: a one-line message for the footer. */
  | {type: 'actionDone'; message: string};

export interface InitialStoreOptions {
  runs: readonly Run[];
  nowSeconds: number;
  pageSize?: number;
  query?: Partial<ListQuery>;
}

export function createInitialState(options: InitialStoreOptions): RunStoreState {
  const query = {...DEFAULT_QUERY, ...options.query};
  const sorted = sortRuns(options.runs, query.sort, query.descending, options.nowSeconds);
  return {
    runs: options.runs,
    loadingRuns: false,
    query,
    sorted,
    visible: filterRuns(sorted, query, options.nowSeconds, options.runs),
    nowSeconds: options.nowSeconds,
    cursor: 0,
    offset: 0,
    pageSize: Math.max(1, options.pageSize ?? 20),
    mode: 'list',
    previousMode: 'list',
    searching: false,
    openRunId: null,
    pane: 'overview',
    scroll: 0,
    scrollLines: 0,
    scrollHeight: 1,
    quitRequested: false,
    clipboard: null,
    flash: null,
    watchToggles: 0,
    pendingBottom: false,
    canAct: false,
    confirm: null,
    actionRequest: null,
    actionInFlight: null,
    outputForm: null,
    editorRequest: null,
  };
}

/** The run under the cursor, if any. */
export function selectedRun(state: RunStoreState): Run | undefined {
  return state.visible[state.cursor];
}

/** The run open in detail mode, even when a refresh or filter has moved it out of the list. */
export function openRun(state: RunStoreState): Run | undefined {
  if (state.openRunId === null) return undefined;
  const selected = selectedRun(state);
  if (selected?.id === state.openRunId) return selected;
  return state.runs.find((run) => run.id === state.openRunId);
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

/** Keeps the cursor inside the list and the window around the cursor. */
function withCursor(state: RunStoreState, cursor: number): RunStoreState {
  const last = state.visible.length - 1;
  const nextCursor = last < 0 ? 0 : clamp(cursor, 0, last);
  let offset = state.offset;
  if (nextCursor < offset) offset = nextCursor;
  if (nextCursor >= offset + state.pageSize) offset = nextCursor - state.pageSize + 1;
  offset = clamp(offset, 0, Math.max(0, state.visible.length - state.pageSize));
  if (nextCursor === state.cursor && offset === state.offset) return state;
  return {...state, cursor: nextCursor, offset};
}

/** Recomputes the visible runs, keeping the selection on the same run when it is still there. */
function withQuery(state: RunStoreState, query: ListQuery, runs = state.runs, nowSeconds = state.nowSeconds): RunStoreState {
  const selectedId = selectedRun(state)?.id;
  const resort =
    runs !== state.runs ||
    query.sort !== state.query.sort ||
    query.descending !== state.query.descending ||
    (nowSeconds !== state.nowSeconds && sortDependsOnClock(query.sort));
  const sorted = resort ? sortRuns(runs, query.sort, query.descending, nowSeconds) : state.sorted;
  const visible = filterRuns(sorted, query, nowSeconds, runs);
  let cursor = 0;
  if (selectedId !== undefined) {
    const index = visible.findIndex((run) => run.id === selectedId);
    cursor = index === -1 ? Math.min(state.cursor, visible.length - 1) : index;
  }
  return withCursor({...state, runs, query, sorted, visible, nowSeconds}, Math.max(0, cursor));
}

function withScroll(state: RunStoreState, scroll: number): RunStoreState {
  const max = Math.max(0, state.scrollLines - state.scrollHeight);
  const next = clamp(scroll, 0, max);
  return next === state.scroll ? state : {...state, scroll: next};
}

function isScrollView(state: RunStoreState): boolean {
  return state.mode !== 'list';
}

/** What a command does, as an action; null when it does nothing here. */
function commandAction(command: Command, name: string, state: RunStoreState): RunStoreAction | 'quit' | null {
  switch (command) {
    case 'quit':
      // In help and warnings, q goes back rather than quitting, as in less and k9s; Ctrl-C always quits.
      return name === 'q' && isOverlay(state.mode) ? {type: 'back'} : 'quit';
    case 'up':
      return {type: 'move', delta: -1};
    case 'down':
      return {type: 'move', delta: 1};
    case 'pageUp':
      return {type: 'page', direction: -1};
    case 'pageDown':
      return {type: 'page', direction: 1};
    case 'top':
      return {type: 'top'};
    case 'bottom':
      return {type: 'bottom'};
    case 'open':
      return {type: 'open'};
    case 'back':
      return {type: 'back'};
    case 'nextPane':
      return {type: 'cyclePane', delta: 1};
    case 'previousPane':
      return {type: 'cyclePane', delta: -1};
    case 'choosePane': {
      const pane = PANES[(PANE_KEYS as readonly string[]).indexOf(name)];
      return pane ? {type: 'setPane', pane: pane.id} : null;
    }
    case 'search':
      return {type: 'startSearch'};
    case 'sort':
      return {type: 'cycleSort'};
    case 'reverseSort':
      return {type: 'reverseSort'};
    case 'filterStatus':
      return {type: 'cycleStatusFilter'};
    case 'clearFilters':
      return {type: 'clearFilters'};
    case 'stuck':
      return {type: 'cycleStuck'};
    case 'warnings':
      return {type: 'toggleWarnings'};
    case 'stats':
      return {type: 'toggleOverlay', mode: 'stats'};
    case 'threads':
      return {type: 'toggleOverlay', mode: 'threads'};
    case 'help':
      return {type: 'toggleHelp'};
    case 'copy':
      return {type: 'copy'};
    case 'watch':
      return {type: 'toggleWatch'};
    case 'cancelRun':
      return {type: 'requestAction', kind: 'cancel'};
    case 'submitOutputs':
      return {type: 'requestAction', kind: 'submit'};
    // The output form's keys are handled by `outputFormKey`; elsewhere they do nothing.
    case 'nextCall':
    case 'previousCall':
    case 'nextCallOrReview':
    case 'reviewOutputs':
    case 'eraseOutput':
    case 'editOutputs':
    case 'cancelOutputs':
    case 'sendReviewed':
    case 'backToForm':
      return null;
  }
}

/** `y` sends the pending action, `n`/Esc drops it; other keys wait for an answer (Ctrl-C quits). */
function confirmKey(state: RunStoreState, name: string): RunStoreState {
  const pending = state.confirm!;
  if (name === 'ctrl+c') return {...state, quitRequested: true};
  if (name === 'n' || name === 'N' || name === 'escape') return {...state, confirm: null, flash: 'Nothing sent.'};
  if (name !== 'y' && name !== 'Y') return state;
  if (state.actionInFlight) return {...state, confirm: null, flash: `Refused: a ${state.actionInFlight} is still in flight; wait for its answer.`};
  return {
    ...state,
    confirm: null,
    actionRequest: {...pending, sequence: (state.actionRequest?.sequence ?? 0) + 1},
    actionInFlight: pending.kind,
    flash: pending.kind === 'cancel' ? `Cancelling ${pending.runId}…` : `Submitting to ${pending.runId}…`,
  };
}

/** `c`/`o` on an open run: a y/n question, or a footer line saying why not. */
function requestAction(state: RunStoreState, kind: RunActionKind): RunStoreState {
  const run = state.mode === 'detail' ? openRun(state) : undefined;
  if (!run) return state;
  if (!state.canAct || !run.source.file.startsWith('api:') || !run.threadId) return {...state, flash: ACTIONS_NEED_API};
  if (state.actionInFlight) return {...state, flash: `Refused: a ${state.actionInFlight} is still in flight; wait for its answer.`};
  if (kind === 'cancel') return {...state, confirm: {kind, runId: run.id, threadId: run.threadId, body: null}};
  if (run.status !== 'requires_action' || !submitToolOutputsBody(run)) {
    return {...state, flash: `${run.id} is ${run.status}${run.status === 'requires_action' ? ' without tool calls' : ''}: only a run in requires_action takes tool outputs`};
  }
  const calls = run.requiredAction!.toolCalls;
  return {
    ...state,
    outputForm: {runId: run.id, threadId: run.threadId, calls, values: calls.map(() => ''), focus: 0, stage: 'edit', error: null, draft: null, editing: false},
  };
}

function withForm(state: RunStoreState, change: Partial<OutputForm>): RunStoreState {
  return {...state, outputForm: {...state.outputForm!, ...change}};
}

/** The review replaces the form; it scrolls like a pane. */
function toReview(state: RunStoreState, change: Partial<OutputForm> = {}): RunStoreState {
  return withForm({...state, scroll: 0, scrollLines: 0, pendingBottom: false}, {...change, stage: 'review', error: null});
}

/**
 * Text typed or pasted into the focused output. The input is one line: line breaks and tabs in
 * pasted text become spaces, other control characters are dropped (an output can still hold any
 * text through the editor).
 */
function typeOutput(state: RunStoreState, text: string): RunStoreState {
  const form = state.outputForm!;
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\r\n|[\r\n\t]/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
  if (clean === '') return state;
  const values = form.values.map((value, index) => (index === form.focus ? value + clean : value));
  return withForm(state, {values});
}

/** `y` on the review: the outputs checked against the run as it is now, then sent once. */
function sendReviewed(state: RunStoreState): RunStoreState {
  const form = state.outputForm!;
  if (state.actionInFlight) return {...state, flash: `Refused: a ${state.actionInFlight} is still in flight; wait for its answer.`};
  const run = state.runs.find((candidate) => candidate.id === form.runId);
  let body: SubmitToolOutputsBody;
  try {
    if (!run) throw new ActionError(`run ${form.runId} is no longer loaded; nothing submitted`);
    // A watch refresh may have brought a newer state (expired, cancelled): refused here, not by the server.
    body = {tool_outputs: checkOutputsForRun(run, outputFormBody(form).tool_outputs, 'every call has a field in the form')};
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    return withForm(state, {stage: 'edit', error: error.message});
  }
  return {
    ...state,
    outputForm: null,
    actionRequest: {kind: 'submit', runId: form.runId, threadId: form.threadId, body, sequence: (state.actionRequest?.sequence ?? 0) + 1},
    actionInFlight: 'submit',
    flash: `Submitting ${body.tool_outputs.length} tool output${body.tool_outputs.length === 1 ? '' : 's'} to ${form.runId}…`,
  };
}

/** Keys while the output form or its review is open: their own table; in the form, anything else types. */
function outputFormKey(state: RunStoreState, name: string, text: string): RunStoreState {
  const form = state.outputForm!;
  if (form.editing) return state;
  const last = form.calls.length - 1;
  const command = commandForKey(name, keyContext(state));
  switch (command) {
    case 'quit':
      return {...state, quitRequested: true};
    case 'nextCall':
      return withForm(state, {focus: form.focus >= last ? 0 : form.focus + 1});
    case 'previousCall':
      return withForm(state, {focus: form.focus <= 0 ? last : form.focus - 1});
    case 'nextCallOrReview':
      return form.focus < last ? withForm(state, {focus: form.focus + 1}) : toReview(state);
    case 'reviewOutputs':
      return toReview(state);
    case 'eraseOutput': {
      const values = form.values.map((value, index) => (index === form.focus ? Array.from(value).slice(0, -1).join('') : value));
      return withForm(state, {values});
    }
    case 'editOutputs': {
      const template = form.draft ?? toolOutputsTemplate(form.calls.map((call) => call.id), form.values);
      return withForm(
        {...state, editorRequest: {text: template, name: `runlens-outputs-${form.runId}`, sequence: (state.editorRequest?.sequence ?? 0) + 1}},
        {editing: true},
      );
    }
    case 'cancelOutputs':
      return {...state, outputForm: null, flash: 'Nothing sent.'};
    case 'sendReviewed':
      return sendReviewed(state);
    case 'backToForm':
      return withForm(state, {stage: 'edit'});
    case undefined:
      break;
    default: {
      // Scrolling keys of the review.
      const next = commandAction(command, name, state);
      return next && next !== 'quit' ? runStoreReducer(state, next) : state;
    }
  }
  if (form.stage !== 'edit' || name.startsWith('ctrl+') || text === '') return state;
  return typeOutput(state, text);
}

/** The editor's text, parsed and checked against the run as it is now: on to the review, or back to the form saying why. */
function editorDone(state: RunStoreState, text: string, label: string): RunStoreState {
  const form = state.outputForm;
  if (!form) return state;
  const run = state.runs.find((candidate) => candidate.id === form.runId);
  try {
    if (!run) throw new ActionError(`run ${form.runId} is no longer loaded`);
    const outputs = parseEditedOutputs(text, label, run);
    const byId = new Map(outputs.map((output) => [output.tool_call_id, output.output]));
    return toReview(state, {values: form.calls.map((call) => byId.get(call.id) ?? ''), draft: null, editing: false});
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    return withForm(state, {stage: 'edit', error: error.message, draft: text, editing: false});
  }
}

/** What `y` copies where it is pressed, and how the footer names it. */
export function copyTarget(state: RunStoreState): {text: string; label: string} | null {
  const run = state.mode === 'detail' ? openRun(state) : state.mode === 'list' ? selectedRun(state) : undefined;
  if (!run) return null;
  if (state.mode === 'detail' && state.pane === 'action') {
    const body = submitToolOutputsBody(run);
    if (body) return {text: JSON.stringify(body, null, 2), label: 'the submit_tool_outputs body'};
  }
  if (state.mode === 'detail' && state.pane === 'raw') return {text: JSON.stringify(run.raw, null, 2), label: 'the run JSON'};
  return {text: run.id, label: `the run id ${run.id}`};
}

/** Typing into the search prompt: only editing keys are live (modal input). */
function searchKey(state: RunStoreState, name: string, text: string): RunStoreState {
  switch (name) {
    case 'ctrl+c':
      return {...state, quitRequested: true};
    case 'return':
      return runStoreReducer(state, {type: 'endSearch', keep: true});
    case 'escape':
      return runStoreReducer(state, {type: 'endSearch', keep: false});
    case 'backspace':
      return runStoreReducer(state, {type: 'setSearch', text: state.query.search.slice(0, -1)});
    case 'up':
      return runStoreReducer(state, {type: 'move', delta: -1});
    case 'down':
      return runStoreReducer(state, {type: 'move', delta: 1});
  }
  if (name.startsWith('ctrl+') || text === '') return state;
  // Pasted text arrives as one input; keep it on one line and free of controls.
  const clean = text.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
  return clean ? runStoreReducer(state, {type: 'setSearch', text: state.query.search + clean}) : state;
}

export function runStoreReducer(state: RunStoreState, action: RunStoreAction): RunStoreState {
  switch (action.type) {
    case 'setRuns': {
      // While a first load streams in, newer runs keep arriving above the top row: a cursor on
      // the top row stays there (the newest run), as it would have had the load been instant.
      // After that a refresh keeps the selection on the same run.
      const followTop = state.loadingRuns && state.cursor === 0;
      const next = {...withQuery(state, state.query, action.runs), loadingRuns: Boolean(action.loading)};
      return followTop ? withCursor(next, 0) : next;
    }
    case 'tick': {
      // Only age-dependent views need a re-sort when the clock moves; the rest just re-render.
      const ageMatters = state.query.stuck === 'stalled' || sortDependsOnClock(state.query.sort);
      return ageMatters ? withQuery(state, state.query, state.runs, action.nowSeconds) : {...state, nowSeconds: action.nowSeconds};
    }
    case 'resize':
      return withCursor({...state, pageSize: Math.max(1, action.pageSize)}, state.cursor);
    case 'move':
      if (isScrollView(state)) return withScroll(state, state.scroll + action.delta);
      return withCursor(state, state.cursor + action.delta);
    case 'page':
      if (isScrollView(state)) return withScroll(state, state.scroll + action.direction * Math.max(1, state.scrollHeight - 1));
      return withCursor(state, state.cursor + action.direction * state.pageSize);
    case 'top':
      if (isScrollView(state)) return withScroll(state, 0);
      return withCursor(state, 0);
    case 'bottom':
      // A view just opened has not reported its size yet when a burst ("Enter 8 G") arrives:
      // remember the wish and honour it when its size comes in.
      if (isScrollView(state) && state.scrollLines === 0) return {...state, pendingBottom: true};
      if (isScrollView(state)) return withScroll(state, Number.MAX_SAFE_INTEGER);
      return withCursor(state, state.visible.length - 1);
    case 'open': {
      const run = selectedRun(state);
      if (!run) return state;
      return {...state, mode: 'detail', openRunId: run.id, scroll: 0, scrollLines: 0, pendingBottom: false};
    }
    case 'back':
      if (isOverlay(state.mode)) return {...state, mode: state.previousMode, scroll: 0, scrollLines: 0, pendingBottom: false};
      if (state.mode === 'detail') return {...state, mode: 'list', openRunId: null, scroll: 0, scrollLines: 0, pendingBottom: false};
      return state;
    case 'setPane':
      return {...state, pane: action.pane, scroll: 0, scrollLines: 0, pendingBottom: false};
    case 'cyclePane': {
      const index = PANES.findIndex((pane) => pane.id === state.pane);
      const next = PANES[(index + action.delta + PANES.length) % PANES.length]!;
      return {...state, pane: next.id, scroll: 0, scrollLines: 0, pendingBottom: false};
    }
    case 'cycleSort': {
      const index = SORT_KEYS.indexOf(state.query.sort);
      const sort = SORT_KEYS[(index + 1) % SORT_KEYS.length]!;
      return withQuery(state, {...state.query, sort, descending: SORT_DESCENDING_BY_DEFAULT[sort]});
    }
    case 'reverseSort':
      return withQuery(state, {...state.query, descending: !state.query.descending});
    case 'cycleStatusFilter': {
      // all → each status present → all; a status filter from the command line with several statuses also resets to all.
      const statuses = statusesPresent(state.runs);
      const current = state.query.statuses?.length === 1 ? state.query.statuses[0]! : null;
      if (state.query.statuses && current === null) return withQuery(state, {...state.query, statuses: null});
      const index = current === null ? -1 : statuses.indexOf(current);
      const next = index + 1 < statuses.length ? statuses[index + 1]! : null;
      return withQuery(state, {...state.query, statuses: next === null ? null : [next]});
    }
    case 'cycleStuck': {
      const stuck = state.query.stuck === 'off' ? 'waiting' : state.query.stuck === 'waiting' ? 'stalled' : 'off';
      // The stuck view is about waiting time: sort by it while it is on, back to newest first after.
      const sort = stuck === 'off' ? DEFAULT_QUERY.sort : 'waiting';
      return withQuery(state, {...state.query, stuck, sort, descending: SORT_DESCENDING_BY_DEFAULT[sort]});
    }
    case 'clearFilters':
      return withQuery(state, {...state.query, statuses: null, model: null, search: '', stuck: 'off'});
    case 'startSearch':
      return {...state, searching: true, mode: 'list'};
    case 'setSearch':
      return withQuery(state, {...state.query, search: action.text});
    case 'endSearch':
      return action.keep ? {...state, searching: false} : withQuery({...state, searching: false}, {...state.query, search: ''});
    case 'toggleHelp':
      return runStoreReducer(state, {type: 'toggleOverlay', mode: 'help'});
    case 'toggleWarnings':
      return runStoreReducer(state, {type: 'toggleOverlay', mode: 'warnings'});
    case 'toggleOverlay':
      if (state.mode === action.mode) return {...state, mode: state.previousMode, scroll: 0, scrollLines: 0, pendingBottom: false};
      // One overlay replaces another; Esc still goes back to the list or run it was opened from.
      return {...state, mode: action.mode, previousMode: isOverlay(state.mode) ? state.previousMode : state.mode, scroll: 0, scrollLines: 0, pendingBottom: false};
    case 'copy': {
      const target = copyTarget(state);
      if (!target) return state;
      return {
        ...state,
        clipboard: {text: target.text, sequence: (state.clipboard?.sequence ?? 0) + 1},
        flash: `Copied ${target.label} to the clipboard (OSC 52; the terminal must allow it)`,
      };
    }
    case 'toggleWatch':
      return {...state, watchToggles: state.watchToggles + 1};
    case 'flash':
      return {...state, flash: action.message};
    case 'setCanAct':
      return action.canAct === state.canAct ? state : {...state, canAct: action.canAct};
    case 'requestAction':
      return requestAction(state, action.kind);
    case 'actionDone':
      return {...state, actionInFlight: null, flash: action.message};
    case 'input': {
      const form = state.outputForm;
      const plain = [...splitKeyPresses(action.input, action.key)];
      // Pasted text while typing into the form is text, not a burst of keys: "jq\n" must not move.
      // A burst that ends in Enter (typed quickly) still ends with the Enter key.
      if (form && form.stage === 'edit' && !form.editing && plain.length > 1) {
        const enter = /\r$/.test(action.input) && !/[\r\n]/.test(action.input.slice(0, -1));
        const typed = typeOutput({...state, flash: null}, enter ? action.input.slice(0, -1) : action.input);
        return enter ? runStoreReducer(typed, {type: 'key', name: 'return', text: ''}) : typed;
      }
      let next = state;
      for (const press of plain) next = runStoreReducer(next, {type: 'key', name: keyName(press.input, press.key), text: press.input});
      return next;
    }
    case 'editorDone':
      return editorDone(state, action.text, action.label);
    case 'editorFailed':
      return state.outputForm ? withForm(state, {error: action.message, editing: false}) : state;
    case 'key': {
      if (state.flash) state = {...state, flash: null};
      if (state.confirm) return confirmKey(state, action.name);
      if (state.outputForm) return outputFormKey(state, action.name, action.text);
      if (state.searching) return searchKey(state, action.name, action.text);
      const command = commandForKey(action.name, state.mode);
      if (!command) return state;
      const next = commandAction(command, action.name, state);
      if (next === null) return state;
      if (next === 'quit') return {...state, quitRequested: true};
      return runStoreReducer(state, next);
    }
    case 'scrollMetrics': {
      if (action.lines === state.scrollLines && action.height === state.scrollHeight) return state;
      const measured = {...state, scrollLines: action.lines, scrollHeight: Math.max(1, action.height), pendingBottom: false};
      return withScroll(measured, state.pendingBottom ? Number.MAX_SAFE_INTEGER : state.scroll);
    }
  }
}
