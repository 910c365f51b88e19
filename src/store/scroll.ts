/**
 * Scrolling of the view on screen (a run's pane, help, warnings, statistics, threads, the output
 * review): the first line shown, clamped to the content the view had when the last key was
 * pressed. The view's size comes with each key (the app works it out while it renders); views do
 * not report it.
 */

/** Scrolling's part of the store's state. */
export interface ScrollPosition {
  /** First line shown of the scrollable view. */
  scroll: number;
  /** Lines the view has, and how many fit, as of the last key (0 lines: not known yet). */
  scrollLines: number;
  scrollHeight: number;
  /** `G` was pressed before the view's size was known (a burst like Enter 8 G). */
  pendingBottom: boolean;
}

/** What scrolls the view on screen, and its size when known. */
export type ScrollAction =
  | {type: 'move'; delta: number}
  | {type: 'page'; direction: 1 | -1}
  | {type: 'top'}
  | {type: 'bottom'}
  /** How many lines the view on screen has and how many fit. */
  | {type: 'scrollMetrics'; lines: number; height: number};

/** A view just entered starts at its top, its size not known yet. */
export const SCROLL_START = {scroll: 0, scrollLines: 0, pendingBottom: false} as const;

/** Nothing scrolled, nothing measured. */
export const INITIAL_SCROLL: ScrollPosition = {...SCROLL_START, scrollHeight: 1};

function clampScroll(scroll: number, lines: number, height: number): number {
  return Math.max(0, Math.min(Math.max(0, lines - height), scroll));
}

function withScroll<S extends ScrollPosition>(state: S, scroll: number): S {
  const next = clampScroll(scroll, state.scrollLines, state.scrollHeight);
  return next === state.scroll ? state : {...state, scroll: next};
}

/** Scrolling's reducer; it keeps every other field of the state it is part of. */
export function scrollReducer<S extends ScrollPosition>(state: S, action: ScrollAction): S {
  switch (action.type) {
    case 'move':
      return withScroll(state, state.scroll + action.delta);
    case 'page':
      return withScroll(state, state.scroll + action.direction * Math.max(1, state.scrollHeight - 1));
    case 'top':
      return withScroll(state, 0);
    case 'bottom':
      // The view's size is not known yet: remember the wish and honour it when the size comes in.
      if (state.scrollLines === 0) return state.pendingBottom ? state : {...state, pendingBottom: true};
      return withScroll(state, Number.MAX_SAFE_INTEGER);
    case 'scrollMetrics': {
      if (action.lines === state.scrollLines && action.height === state.scrollHeight) return state;
      const measured = {...state, scrollLines: action.lines, scrollHeight: Math.max(1, action.height), pendingBottom: false};
      return withScroll(measured, state.pendingBottom ? Number.MAX_SAFE_INTEGER : state.scroll);
    }
  }
}

/**
 * The first line a view of `lines` lines and `height` rows shows: the store's scroll, clamped to
 * the view as it is now (its content may have changed since the last key, or a `G` may wait for
 * its size). The same as the store's scroll once the next key brings the view's size.
 */
export function shownScroll(state: ScrollPosition, lines: number, height: number): number {
  return clampScroll(state.pendingBottom ? Number.MAX_SAFE_INTEGER : state.scroll, lines, Math.max(1, height));
}
