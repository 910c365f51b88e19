/**
 * Which view is on screen: the list, an open run and its pane, or an overlay (an entry of
 * src/stats/overlays.ts) laid over either. Entering a view starts it at its top.
 */
import {paneAfter, type PaneId} from '../panes/paneIds.js';
import {overlayEntry, type OverlayMode} from '../stats/overlays.js';
import {SCROLL_START, type ScrollPosition} from './scroll.js';

/** The view on screen: the list, a run, or an overlay. */
export type Mode = 'list' | 'detail' | OverlayMode;

export type {OverlayMode} from '../stats/overlays.js';

/** Whether the mode is laid over the list or a run (an entry of the overlay registry). */
export function isOverlay(mode: Mode): mode is OverlayMode {
  return overlayEntry(mode) !== undefined;
}

/** Which view is shown (and, entering one, its scroll reset). */
export interface ViewState extends ScrollPosition {
  mode: Mode;
  /** Where Esc goes back to from an overlay. */
  previousMode: Mode;
  /** The id of the run open in detail mode. */
  openRunId: string | null;
  pane: PaneId;
}

/** What moves between views. */
export type ViewAction =
  | {type: 'openRun'; runId: string}
  | {type: 'back'}
  | {type: 'setPane'; pane: PaneId}
  | {type: 'cyclePane'; delta: 1 | -1}
  | {type: 'toggleOverlay'; mode: OverlayMode}
  /** The search prompt shows over the list, whatever was on screen. */
  | {type: 'showList'};

/** The app starts on the list; a run opens on its Overview. */
export const INITIAL_VIEW: Omit<ViewState, keyof ScrollPosition> = {mode: 'list', previousMode: 'list', openRunId: null, pane: 'overview'};

/** The views' reducer; it keeps every other field of the state it is part of. */
export function viewReducer<S extends ViewState>(state: S, action: ViewAction): S {
  switch (action.type) {
    case 'openRun':
      return {...state, ...SCROLL_START, mode: 'detail', openRunId: action.runId};
    case 'back':
      if (isOverlay(state.mode)) return {...state, ...SCROLL_START, mode: state.previousMode};
      if (state.mode === 'detail') return {...state, ...SCROLL_START, mode: 'list', openRunId: null};
      return state;
    case 'setPane':
      return {...state, ...SCROLL_START, pane: action.pane};
    case 'cyclePane':
      return {...state, ...SCROLL_START, pane: paneAfter(state.pane, action.delta)};
    case 'toggleOverlay':
      if (state.mode === action.mode) return {...state, ...SCROLL_START, mode: state.previousMode};
      // One overlay replaces another; Esc still goes back to the list or run it was opened from.
      return {...state, ...SCROLL_START, mode: action.mode, previousMode: isOverlay(state.mode) ? state.previousMode : state.mode};
    case 'showList':
      return state.mode === 'list' ? state : {...state, mode: 'list'};
  }
}
