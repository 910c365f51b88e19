/**
 * The store's older tests were written when the reducer returned only a state and asked for its
 * effects through fields the app watched (`quitRequested`, and `clipboard`, `actionRequest`,
 * `editorRequest`, each with a `sequence` counting the requests). The reducer now returns its
 * effects as a list (`updateRunStore`); `runStoreReducer` here folds that list back into those
 * fields, so those tests keep their assertions. New tests read the effects themselves.
 */
import {updateRunStore, type PendingAction, type RunStoreState} from '../../src/store/runStore.js';
import {type RunStoreAction} from '../../src/store/storeActions.js';

/** The state with the effects asked for so far, as the tests read them. */
export interface RecordedState extends RunStoreState {
  /** A quit was asked for. */
  quitRequested: boolean;
  /** The last text copied; `sequence` counts the copies. */
  clipboard: {text: string; sequence: number} | null;
  /** The last action sent; `sequence` counts the actions sent. */
  actionRequest: (PendingAction & {sequence: number}) | null;
  /** The last text the editor was opened on; `sequence` counts the times it was opened. */
  editorRequest: {text: string; name: string; sequence: number} | null;
}

/**
 * The state with the fields above, nothing asked for yet when it had none (a state from
 * createInitialState). They are added to the object itself, so an action that changes nothing
 * still gives back the very object the test started from (the tests check that identity).
 */
export function recorded(state: RunStoreState): RecordedState {
  if (!('quitRequested' in state)) Object.assign(state, {quitRequested: false, clipboard: null, actionRequest: null, editorRequest: null});
  return state as RecordedState;
}

/**
 * One action through the store, its effects folded into the fields above. Without effects the
 * reducer's own answer comes back (the same object when nothing changed; the fields carried by its
 * spreads).
 */
export function runStoreReducer(state: RunStoreState, action: RunStoreAction): RecordedState {
  const {state: next, effects} = updateRunStore(state, action);
  if (effects.length === 0) return next as RecordedState;
  const before = recorded(state);
  let out: RecordedState = {...next, quitRequested: before.quitRequested, clipboard: before.clipboard, actionRequest: before.actionRequest, editorRequest: before.editorRequest};
  for (const effect of effects) {
    if (effect.type === 'quit') out = {...out, quitRequested: true};
    // The Raw JSON is copied as an effect of its own; the app writes the run's JSON, as here.
    const copied = effect.type === 'copy' ? effect.text : effect.type === 'copyRunJson' ? JSON.stringify(effect.run.raw, null, 2) : null;
    if (copied !== null) out = {...out, clipboard: {text: copied, sequence: (out.clipboard?.sequence ?? 0) + 1}};
    if (effect.type === 'runAction') out = {...out, actionRequest: {...effect.action, sequence: (out.actionRequest?.sequence ?? 0) + 1}};
    if (effect.type === 'openEditor') out = {...out, editorRequest: {text: effect.text, name: effect.name, sequence: (out.editorRequest?.sequence ?? 0) + 1}};
  }
  return out;
}

/** Actions in order from `state` (recorded first, so the fields above are there to read). */
export function applyAll(state: RunStoreState, actions: readonly RunStoreAction[]): RecordedState {
  return actions.reduce<RecordedState>(runStoreReducer, recorded(state));
}
