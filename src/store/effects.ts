/**
 * What the store asks the app to do, as data. The reducer never writes to the terminal, starts a
 * request or an editor: it returns these next to the new state (as Elm's `update` and Bubble Tea's
 * `Update` return a `Cmd`), and one hook in components runs them after the frame they go with.
 */
import type {Run, RunKind} from '../model/run.js';
import type {FilterScan, SortScan} from './listView.js';
import type {SubmitToolApprovalsBody, SubmitToolOutputsBody} from '../triage/unstick.js';

/** The two writes runlens makes to a run. */
export type RunActionKind = 'cancel' | 'submit';

/** An action on a run, as the app sends it: cancel, or submit this body. */
export interface PendingAction {
  kind: RunActionKind;
  runId: string;
  threadId: string;
  /**
   * `response` when the target is a Responses API object, so the app routes the write by the run's
   * kind and never by its id's spelling; absent for a run (as `Run.kind` is).
   */
  runKind?: RunKind;
  /** The exact submit_tool_outputs body (submit only): tool outputs, or (Foundry's MCP calls) tool approvals. */
  body: SubmitToolOutputsBody | SubmitToolApprovalsBody | null;
}

/** The `runKind` field of an action (or form) on a run of this kind: present only for a response, as on the run itself. */
export function actionKindOf(kind: RunKind | undefined): {runKind?: RunKind} {
  return kind ? {runKind: kind} : {};
}

/** One thing for the app to do; the reducer returns a list of them, in order. */
export type Effect =
  /** Leave the app (it restores the terminal). */
  | {type: 'quit'}
  /** Write the run's report (`runlens export`'s Markdown) to `file` in the current folder. */
  | {type: 'writeReport'; run: Run; file: string}
  /** Put text on the terminal's clipboard (OSC 52). */
  | {type: 'copy'; text: string}
  /**
   * Put the run's JSON as read on the clipboard. The body of a run kept small is read from its
   * file; that read belongs to the effect, not to the reducer, which never does I/O.
   */
  | {type: 'copyRunJson'; run: Run}
  /** Send a cancel or a submit; its answer comes back as `actionDone`. */
  | {type: 'runAction'; action: PendingAction}
  /** Open the external editor on `text`; it answers with `editorDone` or `editorFailed`. */
  | {type: 'openEditor'; text: string; name: string}
  /** Turn watching (reloading every few seconds) on or off. */
  | {type: 'toggleWatch'}
  /** The run whose steps are on screen changed (the Steps pane opened, closed, or showed a new state of the run). */
  | {type: 'readSteps'; run: Run | null}
  /** The server changed this run (an action was taken): read it again. */
  | {type: 'reload'; runId: string}
  /**
   * A filter too big for one frame: run this scan a slice at a time between frames and answer with
   * `filterProgress` and `filterDone` (filterRunner.ts); null stops the one running, if any.
   */
  | {type: 'filter'; scan: FilterScan | null}
  /**
   * A sort too big for one frame: run this scan a step at a time between frames and answer with
   * `sortProgress` and `sortDone` (filterRunner.ts); null stops the one running, if any.
   */
  | {type: 'sort'; scan: SortScan | null};

/** A reducer's answer: the next state and what to do. */
export interface Update<S> {
  state: S;
  effects: readonly Effect[];
}

/** Shared by every update without effects, so a key press allocates no list. */
export const NO_EFFECTS: readonly Effect[] = [];

/** An update that only changes state. */
export function only<S>(state: S): Update<S> {
  return {state, effects: NO_EFFECTS};
}
