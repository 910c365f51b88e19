/**
 * The run list's state: the runs, the query over them (filters, search, sort), the runs it
 * selects, the cursor and the window of rows drawn. A small reducer of its own; the root store
 * (runStore.ts) sends it the list's actions.
 */
import {NO_MODEL_MAP, type ModelMap} from '../model/cost.js';
import type {Run} from '../model/run.js';
import {DEFAULT_FILTER_PACE, FilterScan, SORT_DESCENDING_BY_DEFAULT, SortScan, DEFAULT_SYNC_SORT_RUNS, type FilterPace, narrowingTerms, searchTerms, sortDependsOnClock, sortRuns, statusesPresent} from './listView.js';
import {DEFAULT_QUERY, SORT_KEYS, type ListQuery} from '../model/listQuery.js';
import {listAtClock, orderAtClock, sameFilters, withAppendedRuns} from './orderUpdate.js';

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
  /**
   * A filter too big for one frame, going on across frames (filterRunner.ts runs its scan):
   * until it ends, `visible` holds the matches among the first runs tested, in order. Null when
   * `visible` is the query's whole result.
   */
  filtering: FilterJob | null;
  /**
   * A sort too big for one frame, going on across frames (the filter runner runs its scan): until
   * it ends, `sorted` and `visible` keep the order the header names (`query.sort`), and the scan's
   * sort is the one asked for. Null when no sort is waiting.
   */
  sorting: SortJob | null;
  /** How much a filter does inside a keystroke's frame, and per step after it. */
  filterPace: FilterPace;
}

/** A sort going on across frames: its scan (of `runs`, by the sort asked for) and how far it is. */
export interface SortJob {
  scan: SortScan;
  /** Roughly how much is done, 0 to 1. */
  fraction: number;
}

/** A filter going on across frames: its scan, how far it is, and the run to select when it ends. */
export interface FilterJob {
  /** The scan the runner advances; its result is taken only while this job is still the current one. */
  scan: FilterScan;
  /** Roughly how much is done, 0 to 1. */
  fraction: number;
  /** The run selected when the query changed: selected again when the result holds it, unless a key has moved the cursor since. */
  keep: Run | null;
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
  | {type: 'setSearch'; text: string}
  /** A filter going on across frames has done this much; ignored unless `scan` is the current job's. */
  | {type: 'filterProgress'; scan: FilterScan; fraction: number}
  /** A filter going on across frames has ended with `visible`; ignored unless `scan` is the current job's, so a stale result is never shown. */
  | {type: 'filterDone'; scan: FilterScan; visible: readonly Run[]}
  /** A sort going on across frames has done this much; ignored unless `scan` is the current job's. */
  | {type: 'sortProgress'; scan: SortScan; fraction: number}
  /** A sort going on across frames has ended (its order is `scan.result()`); ignored unless `scan` is the current job's. */
  | {type: 'sortDone'; scan: SortScan};

/** Where the list starts: the runs, the clock, the rows, filters from the command line. */
export interface ListWindowOptions {
  runs: readonly Run[];
  nowSeconds: number;
  pageSize?: number;
  query?: Partial<ListQuery>;
  /** Deployment name → model for the cost sort (`--model-map`, a profile's `modelMap`); absent: none mapped. */
  modelMap?: ModelMap;
  /** How much a filter does at once (DEFAULT_FILTER_PACE); tests make it small to send every filter across frames. */
  filterPace?: FilterPace;
}

/** The list at the start: sorted and filtered, the cursor on the first row. */
export function createListWindow(options: ListWindowOptions): ListWindow {
  const query = {...DEFAULT_QUERY, ...options.query};
  const modelMap = options.modelMap ?? NO_MODEL_MAP;
  const sorted = sortRuns(options.runs, query.sort, query.descending, options.nowSeconds, modelMap);
  const filterPace = options.filterPace ?? DEFAULT_FILTER_PACE;
  const filtered = filterOf(sorted, query, options.nowSeconds, options.runs, null, filterPace);
  return {
    modelMap,
    runs: options.runs,
    loadingRuns: false,
    query,
    sorted,
    visible: filtered.visible,
    filtering: filtered.scan ? {scan: filtered.scan, fraction: filtered.scan.fraction, keep: null} : null,
    sorting: null,
    filterPace,
    nowSeconds: options.nowSeconds,
    cursor: 0,
    offset: 0,
    pageSize: Math.max(1, options.pageSize ?? 20),
  };
}

/** A query's runs: the whole result, or the first runs' matches and the scan that goes on to the rest. */
interface Filtered {
  visible: readonly Run[];
  scan: FilterScan | null;
}

/**
 * Filters `sorted` by `query`, inside this frame when the work is at most `pace.syncWork`; otherwise the
 * first step (the first runs, tested one by one) is done now, so the frame shows the top of the
 * result, and the scan is handed on. `narrowing`: the terms to test each run of `previous` (a
 * complete result this query narrows) for, instead of filtering all runs again.
 */
function filterOf(sorted: readonly Run[], query: ListQuery, nowSeconds: number, base: readonly Run[], narrowing: {previous: readonly Run[]; terms: readonly string[]} | null, pace: FilterPace): Filtered {
  if (narrowing && narrowing.terms.length === 0) return {visible: narrowing.previous, scan: null};
  const filters = Boolean(query.statuses || query.model || query.stuck !== 'off') || searchTerms(query.search).length > 0;
  // Nothing to filter: the sorted runs are the result (read-only, so they are shared, not copied).
  if (!narrowing && !filters) return {visible: sorted, scan: null};
  const source = narrowing ? narrowing.previous : sorted;
  const each = narrowing ? narrowing.terms : null;
  const scan = new FilterScan(source, query, nowSeconds, base, each ? {eachRun: each, pace} : {head: true, pace});
  if (FilterScan.work(source, query, base, each) <= pace.syncWork) return {visible: scan.finish(), scan: null};
  if (scan.step()) return {visible: scan.result(), scan: null};
  // The runner goes on adding to the scan's matches: the frame gets its own copy.
  return {visible: [...scan.result()], scan};
}

/**
 * Where the cursor goes in a new result: on the `keep` run when it is there, else as near the old
 * place as the result allows. The run is looked for as the same object (a scan of pointers: a few
 * ms over a million runs, where reading each run's id took 300–600 ms on a heap that size), and by
 * its id only when `runsChanged` (a refresh gives new objects for the same runs).
 */
function cursorIn(visible: readonly Run[], keep: Run | null | undefined, cursor: number, runsChanged = false): number {
  if (keep === null || keep === undefined) return Math.max(0, Math.min(cursor, visible.length - 1));
  if (visible[cursor] === keep) return cursor;
  let index = visible.indexOf(keep);
  if (index === -1 && runsChanged) index = visible.findIndex((run) => run.id === keep.id);
  return Math.max(0, index === -1 ? Math.min(cursor, visible.length - 1) : index);
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

/**
 * The query the user has asked for: the one shown, with the sort of a sort still going on across
 * frames. Every change to the query starts from it, so `s` pressed twice goes two sorts on.
 */
function askedQuery(state: ListWindow): ListQuery {
  const job = state.sorting;
  return job ? {...state.query, sort: job.scan.sort, descending: job.scan.descending} : state.query;
}

/**
 * Recomputes the visible runs, keeping the selection on the same run when it is still there. While
 * an earlier filter goes on across frames the run to keep is the one selected before it began
 * (unless a key moved the cursor since), and that partial result is never narrowed further.
 * A new sort of more than `filterPace.syncSortRuns` runs asked for by a key goes on across frames
 * instead: the rest of the query applies now, in the order shown, and the sort's scan is handed on
 * (or kept, when it is the one already going on). `presorted`: that scan's finished order.
 */
function withQuery<S extends ListWindow>(state: S, query: ListQuery, runs = state.runs, nowSeconds = state.nowSeconds, acrossFrames = true, presorted?: readonly Run[]): S {
  const sortChanged = query.sort !== state.query.sort || query.descending !== state.query.descending;
  if (!presorted && acrossFrames && sortChanged && runs === state.runs && runs.length > (state.filterPace.syncSortRuns ?? DEFAULT_SYNC_SORT_RUNS)) {
    const job = state.sorting;
    const same = job !== null && job.scan.sort === query.sort && job.scan.descending === query.descending && job.scan.runs === runs;
    const shown = withQuery({...state, sorting: null}, {...query, sort: state.query.sort, descending: state.query.descending}, runs, nowSeconds, acrossFrames);
    return {...shown, sorting: same ? job : {scan: new SortScan(runs, query.sort, query.descending, nowSeconds, state.modelMap), fraction: 0}};
  }
  const keep = state.filtering ? (state.filtering.keep ?? selectedRun(state)) : selectedRun(state);
  // Runs appended to the ones shown (a load streaming in) are merged into the order and the result.
  const appended = presorted || sortChanged || runs === state.runs || nowSeconds !== state.nowSeconds || state.filtering || !sameFilters(query, state.query) ? null : withAppendedRuns(state, runs, query, nowSeconds, state.modelMap);
  const resort = runs !== state.runs || sortChanged || (nowSeconds !== state.nowSeconds && sortDependsOnClock(query.sort));
  const sorted = appended?.sorted ?? presorted ?? (resort ? sortRuns(runs, query.sort, query.descending, nowSeconds, state.modelMap) : state.sorted);
  // A search typed on only narrows what is shown: test those runs, not all of them again.
  const terms = resort || state.filtering ? null : narrowingTerms(state.visible, state.query, query, runs);
  const {visible, scan} = appended ? {visible: appended.visible, scan: null} : filterOf(sorted, query, nowSeconds, runs, terms ? {previous: state.visible, terms} : null, acrossFrames ? state.filterPace : INSIDE_THE_FRAME);
  const filtering = scan ? {scan, fraction: scan.fraction, keep: keep ?? null} : null;
  const cursor = keep === undefined ? 0 : cursorIn(visible, keep, state.cursor, runs !== state.runs);
  // The query shown is the one asked for now: a sort that was going on is done, or no longer wanted.
  return withCursor({...state, runs, query, sorted, visible, nowSeconds, filtering, sorting: null}, cursor);
}

/**
 * New runs (a refresh) and a clock tick filter inside their frame, as before: going across frames
 * there would shrink the list to its first matches on every refresh or tick of the stalled view.
 * Only a change the user makes to the query goes across frames.
 */
const INSIDE_THE_FRAME: FilterPace = {...DEFAULT_FILTER_PACE, syncWork: Infinity};

/** A key moved the cursor: the run selected before a filter going on began is no longer the one to go back to. */
function moved<S extends ListWindow>(state: S): S {
  return state.filtering?.keep ? {...state, filtering: {...state.filtering, keep: null}} : state;
}

/** The list's reducer; it keeps every other field of the state it is part of. */
export function listReducer<S extends ListWindow>(state: S, action: ListAction): S {
  switch (action.type) {
    case 'setRuns': {
      // While a first load streams in, newer runs keep arriving above the top row: a cursor on
      // the top row stays there (the newest run), as it would have had the load been instant.
      // After that a refresh keeps the selection on the same run.
      const followTop = state.loadingRuns && state.cursor === 0;
      const next = {...withQuery(state, askedQuery(state), action.runs, state.nowSeconds, false), loadingRuns: Boolean(action.loading)};
      return followTop ? withCursor(next, 0) : next;
    }
    case 'tick': {
      // Only age-dependent views need a re-sort when the clock moves; the rest just re-render.
      const ageMatters = state.query.stuck === 'stalled' || sortDependsOnClock(state.query.sort);
      if (!ageMatters) return {...state, nowSeconds: action.nowSeconds};
      // The order re-checked and the stalled view grown, not sorted and filtered again (orderUpdate.ts).
      // A sort going on across frames goes on: its order is brought to the clock when it ends. A
      // filter going on is redone at the new clock, as before.
      const ticked = state.filtering ? null : listAtClock(state, state.query, state.nowSeconds, action.nowSeconds, state.modelMap);
      if (!ticked) return withQuery(state, askedQuery(state), state.runs, action.nowSeconds, false);
      if (ticked.sorted === state.sorted && ticked.visible === state.visible) return {...state, nowSeconds: action.nowSeconds};
      return withCursor({...state, ...ticked, nowSeconds: action.nowSeconds}, cursorIn(ticked.visible, selectedRun(state), state.cursor));
    }
    case 'resize':
      return withCursor({...state, pageSize: Math.max(1, action.pageSize)}, state.cursor);
    case 'move':
      return withCursor(moved(state), state.cursor + action.delta);
    case 'page':
      return withCursor(moved(state), state.cursor + action.direction * state.pageSize);
    case 'top':
      return withCursor(moved(state), 0);
    case 'bottom':
      return withCursor(moved(state), state.visible.length - 1);
    case 'cycleSort': {
      const asked = askedQuery(state);
      const index = SORT_KEYS.indexOf(asked.sort);
      const sort = SORT_KEYS[(index + 1) % SORT_KEYS.length]!;
      return withQuery(state, {...asked, sort, descending: SORT_DESCENDING_BY_DEFAULT[sort]});
    }
    case 'reverseSort': {
      const asked = askedQuery(state);
      return withQuery(state, {...asked, descending: !asked.descending});
    }
    case 'cycleStatusFilter': {
      // all → each status present → all; a status filter from the command line with several statuses also resets to all.
      const statuses = statusesPresent(state.runs);
      const current = state.query.statuses?.length === 1 ? state.query.statuses[0]! : null;
      if (state.query.statuses && current === null) return withQuery(state, {...askedQuery(state), statuses: null});
      const index = current === null ? -1 : statuses.indexOf(current);
      const next = index + 1 < statuses.length ? statuses[index + 1]! : null;
      return withQuery(state, {...askedQuery(state), statuses: next === null ? null : [next]});
    }
    case 'cycleStuck': {
      const stuck = state.query.stuck === 'off' ? 'waiting' : state.query.stuck === 'waiting' ? 'stalled' : 'off';
      // The stuck view is about waiting time: sort by it while it is on, back to newest first after.
      const sort = stuck === 'off' ? DEFAULT_QUERY.sort : 'waiting';
      return withQuery(state, {...askedQuery(state), stuck, sort, descending: SORT_DESCENDING_BY_DEFAULT[sort]});
    }
    case 'clearFilters':
      return withQuery(state, {...askedQuery(state), statuses: null, model: null, search: '', stuck: 'off'});
    case 'setSearch':
      return withQuery(state, {...askedQuery(state), search: action.text});
    case 'filterProgress':
      return state.filtering?.scan === action.scan ? {...state, filtering: {...state.filtering, fraction: action.fraction}} : state;
    case 'filterDone': {
      // Only the current job's result is taken: one for a query typed over since is dropped.
      const job = state.filtering;
      if (job?.scan !== action.scan) return state;
      return withCursor({...state, visible: action.visible, filtering: null}, cursorIn(action.visible, job.keep ?? selectedRun(state), state.cursor));
    }
    case 'sortProgress':
      return state.sorting?.scan === action.scan ? {...state, sorting: {...state.sorting, fraction: action.fraction}} : state;
    case 'sortDone': {
      // Only the current job's order is taken, and only for the runs it sorted.
      const {scan} = action;
      const sorted = scan.result();
      if (state.sorting?.scan !== scan || scan.runs !== state.runs || sorted === null) return state;
      const asked = askedQuery(state);
      // Sorted at the clock it began with: a tick since moves a sort by the clock on (orderAtClock).
      const order = scan.nowSeconds === state.nowSeconds || !sortDependsOnClock(scan.sort) ? sorted : orderAtClock({runs: state.runs, sorted}, asked, state.nowSeconds, state.modelMap);
      return withQuery(state, asked, state.runs, state.nowSeconds, true, order ?? undefined);
    }
  }
}
