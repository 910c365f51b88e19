/**
 * The run list's state: the runs, the query over them (filters, search, sort), the runs it
 * selects, the cursor and the window of rows drawn. A small reducer of its own; the root store
 * (runStore.ts) sends it the list's actions.
 */
import {NO_MODEL_MAP, type ModelMap} from '../model/cost.js';
import type {Run} from '../model/run.js';
import {SORT_DESCENDING_BY_DEFAULT, filterRuns, narrowRuns, sortDependsOnClock, sortRuns, statusesPresent} from './listView.js';
import {DEFAULT_QUERY, SORT_KEYS, type ListQuery} from '../model/listQuery.js';

/** The list's part of the store's state. */
export interface ListWindow {
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
  /** Rows the list had room for when the last key was pressed. */
  pageSize: number;
  /** Deployment name → model, for the cost sort (set from the CLI; never changes while the app runs). */
  modelMap: ModelMap;
}

/** What changes the list: new runs, the clock, the screen's rows, moves, and the query. */
export type ListAction =
  /** `loading`: the runs so far of a first load that goes on. */
  | {type: 'setRuns'; runs: readonly Run[]; loading?: boolean}
  | {type: 'tick'; nowSeconds: number}
  | {type: 'resize'; pageSize: number}
  | {type: 'move'; delta: number}
  | {type: 'page'; direction: 1 | -1}
  | {type: 'top'}
  | {type: 'bottom'}
  | {type: 'cycleSort'}
  | {type: 'reverseSort'}
  | {type: 'cycleStatusFilter'}
  | {type: 'cycleStuck'}
  | {type: 'clearFilters'}
  | {type: 'setSearch'; text: string};

/** Where the list starts: the runs, the clock, the rows, filters from the command line. */
export interface ListWindowOptions {
  runs: readonly Run[];
  nowSeconds: number;
  pageSize?: number;
  query?: Partial<ListQuery>;
  /** Deployment name → model for the cost sort (`--model-map`, a profile's `modelMap`); absent: none mapped. */
  modelMap?: ModelMap;
}

/** The list at the start: sorted and filtered, the cursor on the first row. */
export function createListWindow(options: ListWindowOptions): ListWindow {
  const query = {...DEFAULT_QUERY, ...options.query};
  const modelMap = options.modelMap ?? NO_MODEL_MAP;
  const sorted = sortRuns(options.runs, query.sort, query.descending, options.nowSeconds, modelMap);
  return {
    modelMap,
    runs: options.runs,
    loadingRuns: false,
    query,
    sorted,
    visible: filterRuns(sorted, query, options.nowSeconds, options.runs),
    nowSeconds: options.nowSeconds,
    cursor: 0,
    offset: 0,
    pageSize: Math.max(1, options.pageSize ?? 20),
  };
}

/** The run under the cursor, if any. */
export function selectedRun(state: Pick<ListWindow, 'visible' | 'cursor'>): Run | undefined {
  return state.visible[state.cursor];
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

/**
 * The first row of a window of `pageSize` rows that shows the cursor, moved from `offset` only as
 * far as it must. The store keeps its window with it; the list view uses it too, for a terminal
 * resized since the last key.
 */
export function windowStart(cursor: number, offset: number, pageSize: number, count: number): number {
  let start = offset;
  if (cursor < start) start = cursor;
  if (cursor >= start + pageSize) start = cursor - pageSize + 1;
  return clamp(start, 0, Math.max(0, count - pageSize));
}

/** Keeps the cursor inside the list and the window around the cursor. */
function withCursor<S extends ListWindow>(state: S, cursor: number): S {
  const last = state.visible.length - 1;
  const nextCursor = last < 0 ? 0 : clamp(cursor, 0, last);
  const offset = windowStart(nextCursor, state.offset, state.pageSize, state.visible.length);
  if (nextCursor === state.cursor && offset === state.offset) return state;
  return {...state, cursor: nextCursor, offset};
}

/** Recomputes the visible runs, keeping the selection on the same run when it is still there. */
function withQuery<S extends ListWindow>(state: S, query: ListQuery, runs = state.runs, nowSeconds = state.nowSeconds): S {
  const selectedId = selectedRun(state)?.id;
  const resort =
    runs !== state.runs ||
    query.sort !== state.query.sort ||
    query.descending !== state.query.descending ||
    (nowSeconds !== state.nowSeconds && sortDependsOnClock(query.sort));
  const sorted = resort ? sortRuns(runs, query.sort, query.descending, nowSeconds, state.modelMap) : state.sorted;
  // A search typed on only narrows what is shown: test those runs, not all of them again.
  const narrowed = resort || runs !== state.runs ? null : narrowRuns(state.visible, state.query, query, runs);
  const visible = narrowed ?? filterRuns(sorted, query, nowSeconds, runs);
  let cursor = 0;
  if (selectedId !== undefined) {
    const index = visible.findIndex((run) => run.id === selectedId);
    cursor = index === -1 ? Math.min(state.cursor, visible.length - 1) : index;
  }
  return withCursor({...state, runs, query, sorted, visible, nowSeconds}, Math.max(0, cursor));
}

/** The list's reducer; it keeps every other field of the state it is part of. */
export function listReducer<S extends ListWindow>(state: S, action: ListAction): S {
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
      return withCursor(state, state.cursor + action.delta);
    case 'page':
      return withCursor(state, state.cursor + action.direction * state.pageSize);
    case 'top':
      return withCursor(state, 0);
    case 'bottom':
      return withCursor(state, state.visible.length - 1);
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
    case 'setSearch':
      return withQuery(state, {...state.query, search: action.text});
  }
}
