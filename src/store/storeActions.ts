/**
 * Every action the store takes, in a file of its own: the key interpreter (keyInput.ts) makes them
 * and the root reducer (runStore.ts) takes them, so neither imports the other.
 */
import type {KeyFlags} from '../keys.js';
import type {FeedData} from './feed.js';
import type {ListAction} from './listWindow.js';
import type {FormAction} from './outputForm.js';
import type {ViewAction} from './overlays.js';
import type {RunActionAction, RunActionKind} from './runActions.js';
import type {ScrollAction} from './scroll.js';

/**
 * The screen as last drawn, worked out by the app while it renders and sent with each action
 * (`onScreen`): the list's rows, and for a scrolling view its lines and the rows they get. `view`
 * (see `viewKey`) names the view it measured, so a size is never taken for another view's.
 */
export interface Viewport {
  pageSize: number;
  scroll: {view: string; lines: number; height: number} | null;
}

/** Every action the store takes: the parts' own, and the root's (keys, input, data, copy, watch, quit). */
export type RunStoreAction =
  | ListAction
  | ScrollAction
  | Exclude<ViewAction, {type: 'openRun' | 'showList'}>
  | FormAction
  | Exclude<RunActionAction, {type: 'askCancel'}>
  /** Opens the run under the cursor. */
  | {type: 'open'}
  | {type: 'toggleHelp'}
  | {type: 'toggleWarnings'}
  | {type: 'startSearch'}
  | {type: 'endSearch'; keep: boolean}
  /** A key press by name (see `keyName`), resolved through the key table against the current state. */
  | {type: 'key'; name: string; text: string}
  /** What Ink's useInput delivered: one key, a burst of keys, or pasted text (split here, against the state each key leaves). */
  | {type: 'input'; input: string; key: KeyFlags}
  /** An action that came while this screen was drawn (a key, a refresh, the clock): the screen's size first, then the action. */
  | {type: 'onScreen'; viewport: Viewport; action: RunStoreAction}
  /** Text pasted into the output form. */
  | {type: 'paste'; text: string}
  | {type: 'copy'}
  | {type: 'exportReport'}
  /** `m`: mark the run under the cursor (again: unmark it). */
  | {type: 'toggleMark'}
  | {type: 'toggleWatch'}
  | {type: 'flash'; message: string}
  /** `c` or `o` on the open run. */
  | {type: 'requestAction'; kind: RunActionKind}
  | {type: 'quit'}
  /** New data from the source (a feed's snapshot). */
  | {type: 'feed'; data: FeedData};
