/**
 * Actions on runs (cancel, submit tool outputs): the y/n question before a cancel, the request sent
 * once as an effect, and the one in flight, during which a second is refused.
 */
import {whyNotCancellable} from '../triage/cancel.js';
import {keyText} from '../keys.js';
import {sourceKindOf, type Run} from '../model/run.js';
import {actionKindOf, only, type Effect, type PendingAction, type RunActionKind, type Update} from './effects.js';

/** The action types live beside the effect that sends them. */
export type {PendingAction, RunActionKind} from './effects.js';

/** Run actions' part of the store's state. */
export interface RunActionState {
  /** Whether run actions (cancel, submit) can be sent: the app was given an API session. */
  canAct: boolean;
  /** A cancel waiting for y/n. */
  confirm: PendingAction | null;
  /** The action sent and not answered yet; a second one is refused meanwhile. */
  actionInFlight: RunActionKind | null;
  /** A one-line message for the footer (what was copied, sent, refused), cleared by the next key. */
  flash: string | null;
}

/** What asks for, answers and settles an action on a run. */
export type RunActionAction =
  | {type: 'setCanAct'; canAct: boolean}
  /** `c` on this run: a y/n question, or why not. */
  | {type: 'askCancel'; run: Run}
  /** The answer to the y/n question. */
  | {type: 'answer'; yes: boolean}
  /** The server's answer to the action sent, as a footer line; `runId` when it took the action (the run is read again). */
  | {type: 'actionDone'; message: string; runId?: string};

/** Actions need a run read from an API thread. */
export const ACTIONS_NEED_API = 'actions need an API source (--thread)';
/** Why `o` and `c` do nothing on a response read from a file. */
export const RESPONSE_ACTIONS_NEED_API = `actions on a response need it read from the API (--response ID); or runlens submit resp_… (${keyText('copy')} copies the request)`;

/** The footer's y/n question for a pending cancel (submits are confirmed on the review screen). */
export function confirmPrompt(pending: PendingAction): string {
  return `Cancel run ${pending.runId}? ${keyText('confirmAction', 'confirm')}/${keyText('declineAction', 'confirm')}`;
}

/** Why no action can be sent on this run now, as a footer line; null when one can. */
export function whyNotAct(state: RunActionState, run: Run): string | null {
  // A response needs no thread: it is reached by its id (read with --response or --conversation).
  if (run.kind === 'response' && (!state.canAct || sourceKindOf(run.source) !== 'api')) return RESPONSE_ACTIONS_NEED_API;
  if (run.kind !== 'response' && (!state.canAct || sourceKindOf(run.source) !== 'api' || !run.threadId)) return ACTIONS_NEED_API;
  if (state.actionInFlight) return refusedInFlight(state.actionInFlight);
  return null;
}

/** The footer line refusing a second action while `kind` waits for its answer. */
export function refusedInFlight(kind: RunActionKind): string {
  return `Refused: a ${kind} is still in flight; wait for its answer.`;
}

/** Sends `action` once, unless another is in flight: the request is an effect, `flash` says what goes. */
export function sendAction<S extends RunActionState>(state: S, action: PendingAction, flash: string): Update<S> {
  if (state.actionInFlight) return only({...state, confirm: null, flash: refusedInFlight(state.actionInFlight)});
  const effects: Effect[] = [{type: 'runAction', action}];
  return {state: {...state, confirm: null, actionInFlight: action.kind, flash}, effects};
}

/** Run actions' reducer: what is sent comes back as an effect. */
export function runActionsReducer<S extends RunActionState>(state: S, action: RunActionAction): Update<S> {
  switch (action.type) {
    case 'setCanAct':
      return only(action.canAct === state.canAct ? state : {...state, canAct: action.canAct});
    case 'askCancel': {
      const why = whyNotAct(state, action.run) ?? whyNotCancellable(action.run);
      if (why !== null) return only({...state, flash: why});
      return only({...state, confirm: {kind: 'cancel', runId: action.run.id, threadId: action.run.threadId ?? '', ...actionKindOf(action.run.kind), body: null}});
    }
    case 'answer': {
      const pending = state.confirm;
      if (!pending) return only(state);
      if (!action.yes) return only({...state, confirm: null, flash: 'Nothing sent.'});
      return sendAction(state, pending, pending.kind === 'cancel' ? `Cancelling ${pending.runId}…` : `Submitting to ${pending.runId}…`);
    }
    case 'actionDone': {
      const next = {...state, actionInFlight: null, flash: action.message};
      return action.runId === undefined ? only(next) : {state: next, effects: [{type: 'reload', runId: action.runId}]};
    }
  }
}
