/**
 * The TUI's state and the only place it changes. The root reducer composes small ones, each with
 * its own actions: the list query and window (listWindow.ts), scrolling (scroll.ts), which view is
 * shown (overlays.ts), the output form (outputForm.ts), actions on runs (runActions.ts); keys
 * become actions through the key table (keyInput.ts). It returns the next state and the effects
 * to run (effects.ts), which one hook in components drains. No React here, so it is tested directly.
 */
import type {KeyContext} from '../keys.js';
import type {Run} from '../model/run.js';
import {paneEntry} from '../panes/paneIds.js';
import {NO_EFFECTS, type Effect, type Update} from './effects.js';
import type {DataSource, FeedData, LiveStatus} from './feed.js';
import {inputActions, keyAction, type KeyFacts} from './keyInput.js';
import type {RunStoreAction, Viewport} from './storeActions.js';
import {createListWindow, listReducer, selectedRun, type ListWindow, type ListWindowOptions} from './listWindow.js';
import {formReducer, openOutputForm, type FormState} from './outputForm.js';
import {INITIAL_VIEW, viewReducer, type OverlayMode, type ViewState} from './overlays.js';
import {runActionsReducer, whyNotAct, type RunActionKind, type RunActionState} from './runActions.js';
import {INITIAL_SCROLL, scrollReducer} from './scroll.js';
import {comparePair, INITIAL_MARK, toggleMark, type MarkState} from './mark.js';
import {stepsNeedReading} from './stepLoader.js';
import {measuresOf, remeasured, RunsSummary, type MeasuredState} from './runsSummary.js';
import {joinItems, sideItemsChanged, sideItemsOf, type JoinedItems, type SideItemsView} from '../model/itemKinds.js';
import type {LoadWarning} from '../model/loadWarning.js';

// The store's parts' types, for callers that import the store only.
export type {Effect, PendingAction, RunActionKind, Update} from './effects.js';
export type {DataSource, FeedData, LiveStatus} from './feed.js';
export type {Mode, OverlayMode} from './overlays.js';
export type {OutputForm} from './outputForm.js';
export {formBody, outputFormBody} from './outputForm.js';
export {ACTIONS_NEED_API, confirmPrompt} from './runActions.js';
export {selectedRun} from './listWindow.js';
export {comparedRuns} from './mark.js';

/** The whole state: the parts' fields side by side, each part changing only its own. */
export interface RunStoreState extends ListWindow, ViewState, FormState, RunActionState, MarkState, MeasuredState {
  /** The search prompt is open: keys type into it. */
  searching: boolean;
  /** Whether the sources can be read again (`w`); stdin cannot. */
  canWatch: boolean;
  warnings: readonly LoadWarning[];
  sources: readonly string[];
  live: LiveStatus | undefined;
  /** The items beside the runs (steps, messages) as the source has them, and joined to runs and threads. */
  side: SideItemsView;
  joined: JoinedItems;
}

/** Where the store starts: the list's options, the source's data, what the app can do. */
export interface InitialStoreOptions extends ListWindowOptions, SideItemsView {
  warnings?: readonly LoadWarning[];
  sources?: readonly string[];
  live?: LiveStatus | undefined;
  canAct?: boolean;
  canWatch?: boolean;
}

/** Said by `w` when the sources cannot be read again. */
export const WATCH_NEEDS_SOURCES = 'Watching needs sources that can be read again (files, URLs, --thread); stdin cannot.';

/** The store at the start: the list, no view opened, nothing asked or sent. */
export function createInitialState(options: InitialStoreOptions): RunStoreState {
  const list = createListWindow(options);
  const joined = joinItems(options);
  const measuring = new RunsSummary();
  return {
    ...list,
    loadingRuns: Boolean(options.live?.loading),
    ...INITIAL_VIEW,
    ...INITIAL_SCROLL,
    ...INITIAL_MARK,
    searching: false,
    outputForm: null,
    canAct: options.canAct ?? false,
    confirm: null,
    actionInFlight: null,
    flash: null,
    canWatch: options.canWatch ?? false,
    warnings: options.warnings ?? [],
    sources: options.sources ?? [],
    live: options.live,
    side: sideItemsOf(options),
    joined,
    measuring,
    ...measuresOf({runs: list.runs, modelMap: list.modelMap, joined, nowSeconds: list.nowSeconds, measuring}),
  };
}

/** The store's first state over a source's current data. */
export function initialStateFrom(source: DataSource, options: Omit<InitialStoreOptions, keyof FeedData>): RunStoreState {
  return createInitialState({...options, ...source.snapshot()});
}

/** The run open in detail mode, even when a refresh or filter has moved it out of the list. */
export function openRun(state: RunStoreState): Run | undefined {
  if (state.openRunId === null) return undefined;
  const selected = selectedRun(state);
  if (selected?.id === state.openRunId) return selected;
  return state.runs.find((run) => run.id === state.openRunId);
}

/** Which key table applies: a y/n question's, the output form's and its review's, the search prompt's, else the mode's. */
export function keyContext(state: RunStoreState): KeyContext {
  if (state.confirm) return 'confirm';
  if (state.outputForm) return state.outputForm.stage === 'review' ? 'review' : 'outputs';
  if (state.searching) return 'search';
  return state.mode;
}

/** Names the view on screen, for the Viewport measured on it. */
export function viewKey(state: RunStoreState): string {
  if (state.outputForm) return `form:${state.outputForm.stage}`;
  return `${state.mode}:${state.openRunId ?? ''}:${state.pane}`;
}

/** The run whose steps the Steps pane shows, if it is on screen and its steps were not loaded with it (then they are read). */
function stepsRun(state: RunStoreState): Run | undefined {
  // The Conversation pane tells the steps too (and its thread's messages, which the loader reads with them).
  // So does the thread view opened from a run (`t`), for the open run.
  const story = (state.mode === 'detail' && (state.pane === 'steps' || state.pane === 'conversation')) || (state.mode === 'threads' && state.previousMode === 'detail');
  const run = story ? openRun(state) : undefined;
  return run && stepsNeedReading(run, state.joined) ? run : undefined;
}

/** The file `x` writes a run's report to: `runlens-RUN_ID.md`, the id kept to characters safe in any file name. */
export function reportFileName(runId: string): string {
  return `runlens-${runId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80)}.md`;
}

/** What `y` copies where it is pressed (the open pane's entry says, else the run id), as an effect, and how the footer names it. */
export function copyTarget(state: RunStoreState): {effect: Effect; label: string} | null {
  const run = runHere(state);
  if (!run) return null;
  const copy = state.mode === 'detail' ? paneEntry(state.pane).copy?.(run) : null;
  if (copy && 'body' in copy) return {effect: {type: 'copyRunJson', run}, label: copy.label};
  const {text, label} = copy ?? {text: run.id, label: `the run id ${run.id}`};
  return {effect: {type: 'copy', text}, label};
}

/** The run a key acts on: the open one in a run's view, the one under the cursor in the list. */
function runHere(state: RunStoreState): Run | undefined {
  return state.mode === 'detail' ? openRun(state) : state.mode === 'list' ? selectedRun(state) : undefined;
}

/** `=`: the marked run and the one here, compared (an overlay), or a footer line saying why not. */
function openCompare(state: RunStoreState): RunStoreState {
  const run = runHere(state);
  if (!run) return state;
  const pair = comparePair(state, run, state.runs);
  if (typeof pair === 'string') return {...state, flash: pair};
  return {...viewReducer(state, {type: 'toggleOverlay', mode: 'compare'}), compared: pair};
}

function keyFacts(state: RunStoreState): KeyFacts {
  return {context: keyContext(state), mode: state.mode, search: state.query.search, editing: state.outputForm?.editing ?? false};
}

/** Takes a sub-reducer's effects into the update's list. */
function collect(update: Update<RunStoreState>, out: Effect[]): RunStoreState {
  for (const effect of update.effects) out.push(effect);
  return update.state;
}

/** `c`/`o` on an open run: a y/n question, the output form, or a footer line saying why not. */
function requestAction(state: RunStoreState, kind: RunActionKind, out: Effect[]): RunStoreState {
  const run = state.mode === 'detail' ? openRun(state) : undefined;
  if (!run) return state;
  if (kind === 'cancel') return collect(runActionsReducer(state, {type: 'askCancel', run}), out);
  const why = whyNotAct(state, run);
  if (why !== null) return {...state, flash: why};
  const form = openOutputForm(run);
  return typeof form === 'string' ? {...state, flash: form} : {...state, outputForm: form};
}

/** The screen's size as drawn: the list's page, and the scrolling view's lines when it is still the one on screen. */
function withViewport(state: RunStoreState, viewport: Viewport): RunStoreState {
  let next = viewport.pageSize === state.pageSize ? state : listReducer(state, {type: 'resize', pageSize: viewport.pageSize});
  const scroll = viewport.scroll;
  if (scroll && scroll.view === viewKey(next)) next = scrollReducer(next, {type: 'scrollMetrics', lines: scroll.lines, height: scroll.height});
  return next;
}

function withFeed(state: RunStoreState, data: FeedData): RunStoreState {
  let next = data.runs === state.runs ? state : listReducer(state, {type: 'setRuns', runs: data.runs, loading: Boolean(data.live?.loading)});
  if (data.warnings !== next.warnings || data.sources !== next.sources || data.live !== next.live) {
    next = {...next, warnings: data.warnings, sources: data.sources, live: data.live};
  }
  if (sideItemsChanged(data, next.side)) next = {...next, side: sideItemsOf(data), joined: joinItems(data, next.joined)};
  return next;
}

function step(state: RunStoreState, action: RunStoreAction, out: Effect[]): RunStoreState {
  switch (action.type) {
    case 'setRuns':
    case 'tick':
    case 'resize':
    case 'cycleSort':
    case 'reverseSort':
    case 'cycleStatusFilter':
    case 'cycleStuck':
    case 'clearFilters':
    case 'setSearch':
    case 'filterProgress':
    case 'filterDone':
    case 'sortProgress':
    case 'sortDone':
      return listReducer(state, action);
    case 'move':
    case 'page':
    case 'top':
    case 'bottom':
      // The list moves its cursor; every other view scrolls.
      return state.mode === 'list' ? listReducer(state, action) : scrollReducer(state, action);
    case 'scrollMetrics':
      return scrollReducer(state, action);
    case 'open': {
      const run = selectedRun(state);
      return run ? viewReducer(state, {type: 'openRun', runId: run.id}) : state;
    }
    case 'toggleOverlay':
      return action.mode === 'compare' && state.mode !== 'compare' ? openCompare(state) : viewReducer(state, action);
    case 'toggleMark': {
      const run = runHere(state);
      return run ? toggleMark(state, run) : state;
    }
    case 'back':
    case 'setPane':
    case 'cyclePane':
      return viewReducer(state, action);
    case 'toggleHelp':
    case 'toggleWarnings':
      return viewReducer(state, {type: 'toggleOverlay', mode: (action.type === 'toggleHelp' ? 'help' : 'warnings') satisfies OverlayMode});
    case 'startSearch':
      return {...viewReducer(state, {type: 'showList'}), searching: true};
    case 'endSearch':
      return action.keep ? {...state, searching: false} : listReducer({...state, searching: false}, {type: 'setSearch', text: ''});
    case 'nextCall':
    case 'previousCall':
    case 'nextCallOrReview':
    case 'reviewOutputs':
    case 'eraseOutput':
    case 'typeOutput':
    case 'editOutputs':
    case 'cancelOutputs':
    case 'backToForm':
    case 'sendReviewed':
    case 'editorDone':
    case 'editorFailed':
      return collect(formReducer(state, action), out);
    case 'paste':
      return collect(formReducer({...state, flash: null}, {type: 'typeOutput', text: action.text}), out);
    case 'setCanAct':
    case 'answer':
    case 'actionDone':
      return collect(runActionsReducer(state, action), out);
    case 'requestAction':
      return requestAction(state, action.kind, out);
    case 'copy': {
      const target = copyTarget(state);
      if (!target) return state;
      out.push(target.effect);
      return {...state, flash: `Copied ${target.label} to the clipboard (OSC 52; the terminal must allow it)`};
    }
    case 'exportReport': {
      const run = runHere(state);
      if (!run) return state;
      out.push({type: 'writeReport', run, file: reportFileName(run.id)});
      return state;
    }
    case 'toggleWatch':
      if (!state.canWatch) return {...state, flash: WATCH_NEEDS_SOURCES};
      out.push({type: 'toggleWatch'});
      return state;
    case 'flash':
      return {...state, flash: action.message};
    case 'quit':
      out.push({type: 'quit'});
      return state;
    case 'feed':
      return withFeed(state, action.data);
    case 'key': {
      const cleared = state.flash ? {...state, flash: null} : state;
      const next = keyAction(keyFacts(cleared), action.name, action.text);
      return next ? step(cleared, next, out) : cleared;
    }
    case 'onScreen':
      return step(withViewport(state, action.viewport), action.action, out);
    case 'input': {
      let next = state;
      const form = next.outputForm;
      const typingInForm = form !== null && form.stage === 'edit' && !form.editing;
      for (const press of inputActions(action.input, action.key, typingInForm)) next = step(next, press, out);
      return next;
    }
  }
}

/**
 * The root reducer: the next state and the effects to run, in order. Pure: the same state and
 * action give the same answer; nothing happens until the effects are run.
 */
export function updateRunStore(state: RunStoreState, action: RunStoreAction): Update<RunStoreState> {
  const out: Effect[] = [];
  // What the header and list show of all runs follows the runs and the clock, whichever action moved them.
  const next = remeasured(state, step(state, action, out));
  // Whoever loads steps is told when the Steps pane's run changes, a new state of it included.
  const steps = stepsRun(next);
  if (steps !== stepsRun(state)) out.push({type: 'readSteps', run: steps ?? null});
  // A filter that goes on across frames began, or the one going on was replaced or ended.
  const scan = next.filtering?.scan ?? null;
  if (scan !== (state.filtering?.scan ?? null)) out.push({type: 'filter', scan});
  // A sort that goes on across frames began, or the one going on was replaced or ended.
  const sorting = next.sorting?.scan ?? null;
  if (sorting !== (state.sorting?.scan ?? null)) out.push({type: 'sort', scan: sorting});
  return {state: next, effects: out.length > 0 ? out : NO_EFFECTS};
}
