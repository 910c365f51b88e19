/**
 * The list's order kept up to date without sorting every run again. A streaming load hands the
 * store the runs read so far, each piece the last one with more runs after it: only the new runs
 * are sorted, and merged into the order the store has (sortRuns' order exactly, by the keys its
 * sort recorded). Re-sorting everything loaded so far on every piece made a load grow faster than
 * its file: 6.1 s of a million-run load went to it.
 */
import {beginsWith} from '../model/itemKinds.js';
import type {ModelMap} from '../model/cost.js';
import type {ListQuery} from '../model/listQuery.js';
import {isActiveStatus, type Run} from '../model/run.js';
import {isStalled, waitingSince} from '../model/runFacts.js';
import {clockValue, filterRuns, keyComparator, matchesQuery, recordOrder, sameStatuses, searchTerms, sortDependsOnClock, sortRecord, SortScan, type SortKeys} from './listView.js';

/** Whether `runs` begins with every run of `previous`: the same objects at the same positions. */
export function extendsRuns(previous: readonly Run[], runs: readonly Run[]): boolean {
  return beginsWith(runs, previous, previous.length);
}

/** An order of runs and, for each, its position in the array the keys describe. */
interface PlacedOrder {
  runs: Run[];
  positions: Int32Array;
}

/**
 * Merges two lists sorted by `compare`: each entry of `b` finds its place in `a` by galloping from
 * the last one, so merging k entries into n costs about k·log(n/k) comparisons, not n. Calls
 * `fromA(from, to)` for each stretch of `a` and `fromB(at)` for each entry of `b`, in merged order.
 */
function gallopMerge(a: Int32Array, b: Int32Array, compare: (a: number, b: number) => number, fromA: (from: number, to: number) => void, fromB: (at: number) => void): void {
  const aCount = a.length;
  let from = 0;
  for (let next = 0; next < b.length; next += 1) {
    const placed = b[next]!;
    // The first entry of `a` at or after `from` that sorts after `placed`: gallop, then halve.
    let low = from;
    let step = 1;
    let high = from;
    while (high < aCount && compare(a[high]!, placed) < 0) {
      low = high + 1;
      high = from + step;
      step *= 2;
    }
    if (high > aCount) high = aCount;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compare(a[middle]!, placed) < 0) low = middle + 1;
      else high = middle;
    }
    if (low > from) fromA(from, low);
    fromB(next);
    from = low;
  }
  if (from < aCount) fromA(from, aCount);
}

/** Merges two orders sorted by `compare` over their positions (see gallopMerge). */
export function mergeOrders(aRuns: readonly Run[], aPositions: Int32Array, bRuns: readonly Run[], bPositions: Int32Array, compare: (a: number, b: number) => number): PlacedOrder {
  const positions = new Int32Array(aRuns.length + bRuns.length);
  const runs: Run[] = [];
  gallopMerge(
    aPositions,
    bPositions,
    compare,
    (from, to) => {
      // Copied one by one: a view per stretch (subarray) was an object for every run merged in.
      for (let at = from; at < to; at += 1) {
        positions[runs.length] = aPositions[at]!;
        runs.push(aRuns[at]!);
      }
    },
    (at) => {
      positions[runs.length] = bPositions[at]!;
      runs.push(bRuns[at]!);
    },
  );
  return {runs, positions};
}

/** Keys for `a`'s runs followed by `b`'s (both of one sort), as one set over the joined runs. */
function joinedKeys(a: SortKeys, aCount: number, b: SortKeys, bCount: number, nowSeconds: number): SortKeys {
  const join = <T extends Float64Array | Uint8Array>(left: T, right: T, make: (length: number) => T): T => {
    const both = make(aCount + bCount);
    both.set(left.subarray(0, aCount));
    both.set(right.subarray(0, bCount), aCount);
    return both;
  };
  return {
    ...a,
    nowSeconds,
    numbers: a.numbers && b.numbers ? join(a.numbers, b.numbers, (length) => new Float64Array(length)) : null,
    texts: a.texts && b.texts ? a.texts.slice(0, aCount).concat(b.texts.slice(0, bCount)) : null,
    missing: join(a.missing, b.missing, (length) => new Uint8Array(length)),
    created: join(a.created, b.created, (length) => new Float64Array(length)),
    since: a.since && b.since ? join(a.since, b.since, (length) => new Float64Array(length)) : null,
    wholeSeconds: a.wholeSeconds && b.wholeSeconds,
  };
}

/** Where each run of `subsequence` (runs of `order`, in its order) sits, read from `order`'s positions; null if it is not one. */
function subsequencePositions(order: readonly Run[], positions: Int32Array, subsequence: readonly Run[]): Int32Array | null {
  const found = new Int32Array(subsequence.length);
  let next = 0;
  for (let at = 0; at < order.length && next < subsequence.length; at += 1) {
    if (order[at] === subsequence[next]) found[next++] = positions[at]!;
  }
  return next === subsequence.length ? found : null;
}

/** Whether a query filters at all (else the list shows every run, in order). */
export function queryFilters(query: ListQuery): boolean {
  return Boolean(query.statuses || query.model || query.stuck !== 'off') || searchTerms(query.search).length > 0;
}

/** The list as the store holds it: all runs, them in order, and the ones the query shows (a subsequence of `sorted`). */
export interface OrderedList {
  runs: readonly Run[];
  sorted: readonly Run[];
  visible: readonly Run[];
}

/**
 * The list with `runs` in place of `list.runs`, when `runs` only appends to them: the new runs are
 * sorted and filtered alone and merged into `sorted` and `visible`, which gives what sorting and
 * filtering all of them gives. `query` is the one `list` was made with, at `nowSeconds`. Null when
 * the runs do not extend the old ones (a run replaced in place, or removed), or the order has no
 * recorded keys for this sort: then the caller sorts everything.
 */
export function withAppendedRuns(list: OrderedList, runs: readonly Run[], query: ListQuery, nowSeconds: number, modelMap: ModelMap): {sorted: Run[]; visible: Run[]} | null {
  const record = sortRecord(list.sorted);
  const keys = record?.keys;
  if (!record || !keys || record.base !== list.runs) return null;
  if (keys.sort !== query.sort || keys.descending !== query.descending || keys.modelMap !== modelMap) return null;
  if (keys.nowSeconds !== nowSeconds && sortDependsOnClock(query.sort)) return null;
  if (!extendsRuns(list.runs, runs)) return null;
  const count = list.runs.length;
  const added = runs.slice(count);
  const addedSorted = new SortScan(added, query.sort, query.descending, nowSeconds, modelMap).finish();
  const addedRecord = sortRecord(addedSorted)!;
  const addedPositions = addedRecord.positions.map((position) => position + count);
  const joined = joinedKeys(keys, count, addedRecord.keys!, added.length, nowSeconds);
  const compare = keyComparator(joined, runs);
  const sorted = mergeOrders(list.sorted, record.positions, addedSorted, addedPositions, compare);
  recordOrder(sorted.runs, {base: runs, positions: sorted.positions, keys: joined});
  if (!queryFilters(query)) return {sorted: sorted.runs, visible: sorted.runs};
  // The filters test one run at a time, so the new runs' matches merge into the old ones' in order.
  const shownPositions = subsequencePositions(list.sorted, record.positions, list.visible);
  if (!shownPositions) return null;
  const addedVisible = filterRuns(addedSorted, query, nowSeconds);
  const addedVisiblePositions = subsequencePositions(addedSorted, addedPositions, addedVisible)!;
  const visible = mergeOrders(list.visible, shownPositions, addedVisible, addedVisiblePositions, compare);
  return {sorted: sorted.runs, visible: visible.runs};
}

/** Whether two queries select the same runs (they may order them differently). */
export function sameFilters(a: ListQuery, b: ListQuery): boolean {
  return sameStatuses(a, b) && a.model === b.model && a.search === b.search && a.stuck === b.stuck && a.stalledAfterSeconds === b.stalledAfterSeconds;
}

/** Three arrays of places for orderAtClock, kept from tick to tick (it runs inside one call, never two at once). */
let places: [Int32Array, Int32Array, Int32Array] | null = null;

function scratchPlaces(count: number): [Int32Array, Int32Array, Int32Array] {
  if (!places || places[0].length < count) places = [new Int32Array(count), new Int32Array(count), new Int32Array(count)];
  return places;
}

/** Whether `positions` is in order by `compare`: the one order it can be in, as the rule breaks every tie. */
function inOrder(positions: Int32Array, compare: (a: number, b: number) => number): boolean {
  for (let at = 1; at < positions.length; at += 1) if (compare(positions[at - 1]!, positions[at]!) > 0) return false;
  return true;
}

/**
 * The order of `list.sorted` (sorted by the clock: waiting or duration) at a later clock. Only active
 * runs' values move: waiting time grows alike for all of them, so their order holds; a running
 * run's duration grows while a finished one's stays, so the two groups, each still in order, are
 * merged again. Either is checked, not assumed (a start in the future counts 0 until it passes,
 * and times need not be whole seconds): the order is re-read in one pass over typed arrays, and
 * only a group found out of order is sorted again. The same array when the order holds; null
 * when the order has no keys to check it by.
 */
export function orderAtClock(list: Pick<OrderedList, 'runs' | 'sorted'>, query: ListQuery, nowSeconds: number, modelMap: ModelMap): readonly Run[] | null {
  const record = sortRecord(list.sorted);
  const keys = record?.keys;
  if (!record || !keys?.since || !keys.numbers || record.base !== list.runs) return null;
  if (keys.sort !== query.sort || keys.descending !== query.descending || keys.modelMap !== modelMap) return null;
  if (keys.nowSeconds === nowSeconds) return list.sorted;
  const {runs} = list;
  const count = runs.length;
  const {since, sort, numbers} = keys;
  // The new values from the times kept with the keys: no run object is read. Written over the old
  // ones (a copy each tick was 8 MB outside the heap at a million runs, and V8 answers that with
  // collections of the whole heap): the old order loses its keys, so nothing merges by them again.
  recordOrder(list.sorted, {base: runs, positions: record.positions, keys: null});
  for (let position = 0; position < count; position += 1) {
    const start = since[position]!;
    if (start === start) numbers[position] = clockValue(sort, start, nowSeconds);
  }
  const now = {...keys, nowSeconds};
  const compare = keyComparator(now, runs);
  const previous = record.positions;
  // Waiting times of whole seconds at whole-second clocks all grow by exactly the same amount, so
  // every comparison, ties included, comes out as before: the order holds without reading it (a
  // pass over a million runs in sorted order is a cache miss a run, 0.3 s here).
  const exact = sort === 'waiting' && keys.wholeSeconds && Number.isInteger(nowSeconds) && Number.isInteger(keys.nowSeconds);
  if (exact || inOrder(previous, compare)) {
    // Still in order: the same array, its keys now those of the new clock (state.nowSeconds says which).
    recordOrder(list.sorted, {base: runs, positions: previous, keys: now});
    return list.sorted;
  }
  // Places in the old order of the runs that did not move and of the ones that did, each group still in its order.
  const [still, moving, merged] = scratchPlaces(count);
  let stillCount = 0;
  let movingCount = 0;
  for (let at = 0; at < count; at += 1) {
    const start = since[previous[at]!]!;
    if (start === start) moving[movingCount++] = at;
    else still[stillCount++] = at;
  }
  const byPlace = (a: number, b: number) => compare(previous[a]!, previous[b]!);
  let movers = moving.subarray(0, movingCount);
  if (!inOrder(movers, byPlace)) movers = movers.slice().sort(byPlace);
  // The new order as places in the old one; only the stretch that changed is written anew.
  let out = 0;
  const stills = still.subarray(0, stillCount);
  gallopMerge(
    stills,
    movers,
    byPlace,
    (from, to) => {
      for (let at = from; at < to; at += 1) merged[out++] = stills[at]!;
    },
    (at) => {
      merged[out++] = movers[at]!;
    },
  );
  let first = 0;
  while (first < count && merged[first] === first) first += 1;
  let last = count - 1;
  while (last > first && merged[last] === last) last -= 1;
  const order = list.sorted.slice();
  const positions = previous.slice();
  for (let at = first; at <= last; at += 1) {
    order[at] = list.sorted[merged[at]!]!;
    positions[at] = previous[merged[at]!]!;
  }
  recordOrder(order, {base: runs, positions, keys: now});
  return order;
}

/** Runs not yet stalled that may stall as the clock goes on, earliest first: kept with the result of the stalled view they may join. */
interface StallWatch {
  base: readonly Run[];
  query: ListQuery;
  nowSeconds: number;
  /** Positions in `base` of the runs that pass every other filter and will count as stalled once they wait long enough, by waiting time, longest first. */
  pending: Int32Array;
}

const stallWatches = new WeakMap<readonly Run[], StallWatch>();

/** The runs of `sorted` (positions in `record`) that are not in `visible` but pass the query's other filters and can stall, longest waiting first. */
function pendingStalls(sorted: readonly Run[], positions: Int32Array, visible: readonly Run[], query: ListQuery, nowSeconds: number): Int32Array {
  const others = {...query, stuck: 'off' as const};
  const terms = searchTerms(query.search);
  const found: number[] = [];
  const since: number[] = [];
  let shown = 0;
  for (let at = 0; at < sorted.length; at += 1) {
    const run = sorted[at]!;
    if (run === visible[shown]) {
      shown += 1;
      continue;
    }
    const waitingFrom = waitingSince(run);
    if (waitingFrom === null || run.status === 'requires_action' || !isActiveStatus(run.status)) continue;
    if (!matchesQuery(run, others, nowSeconds, terms)) continue;
    found.push(positions[at]!);
    since.push(waitingFrom);
  }
  const order = Int32Array.from(found.keys()).sort((a, b) => since[a]! - since[b]!);
  return Int32Array.from(order, (index) => found[index]!);
}

/**
 * The stalled view's result at a later clock: a run only ever stalls as time goes on, so the runs
 * shown stay and the ones that stalled since join them, read off the front of the runs waiting to
 * stall (kept, earliest first, with the result). Null when the clock went back or the result has
 * no record to go on from.
 */
function stalledAtClock(list: OrderedList, order: readonly Run[], query: ListQuery, previousNow: number, nowSeconds: number): readonly Run[] | null {
  if (nowSeconds < previousNow) return null;
  const before = sortRecord(list.sorted);
  const after = sortRecord(order);
  if (!before || !after || before.base !== list.runs || after.base !== list.runs) return null;
  let watch = stallWatches.get(list.visible);
  if (!watch || watch.base !== list.runs || watch.nowSeconds !== previousNow || !sameFilters(watch.query, query)) {
    watch = {base: list.runs, query, nowSeconds: previousNow, pending: pendingStalls(list.sorted, before.positions, list.visible, query, previousNow)};
  }
  // Longest waiting first: the runs that stalled since are a run of the front.
  let stalled = 0;
  while (stalled < watch.pending.length && isStalled(list.runs[watch.pending[stalled]!]!, nowSeconds, query.stalledAfterSeconds)) stalled += 1;
  const next = {...watch, nowSeconds, pending: watch.pending.subarray(stalled)};
  if (stalled === 0 && order === list.sorted) {
    stallWatches.set(list.visible, next);
    return list.visible;
  }
  // Shown now: the runs shown before and the ones that stalled, in the order of `order`.
  const shown = shownMarks(list, before.positions);
  if (!shown) return null;
  for (const position of watch.pending.subarray(0, stalled)) shown[position] = 1;
  const visible = inOrderOf(order, after.positions, shown);
  stallWatches.set(visible, next);
  return visible;
}

/**
 * A mark for each position of `list.runs` shown in `list.visible` (`sortedPositions`: the sorted
 * order's), or null when the shown runs are not a subsequence of the sorted ones.
 */
function shownMarks(list: OrderedList, sortedPositions: Int32Array): Uint8Array | null {
  const shownPositions = subsequencePositions(list.sorted, sortedPositions, list.visible);
  if (!shownPositions) return null;
  const shown = new Uint8Array(list.runs.length);
  for (const position of shownPositions) shown[position] = 1;
  return shown;
}

/** The runs of `order` whose position is marked in `marked`, in that order. */
function inOrderOf(order: readonly Run[], positions: Int32Array, marked: Uint8Array): Run[] {
  const picked: Run[] = [];
  for (let at = 0; at < order.length; at += 1) if (marked[positions[at]!]) picked.push(order[at]!);
  return picked;
}

/**
 * The list at a later clock, for a sort or a view that reads it (waiting, duration, the stalled
 * view), without sorting or filtering all runs again: the order re-checked (orderAtClock), the
 * result the same runs in it, the stalled view's grown by the runs that stalled since. `query`
 * is the one `list` was made with at `previousNow`; null when the caller must sort and filter.
 */
export function listAtClock(list: OrderedList, query: ListQuery, previousNow: number, nowSeconds: number, modelMap: ModelMap): {sorted: readonly Run[]; visible: readonly Run[]} | null {
  const sorted = sortDependsOnClock(query.sort) ? orderAtClock(list, query, nowSeconds, modelMap) : list.sorted;
  if (!sorted) return null;
  if (query.stuck === 'stalled') {
    const visible = stalledAtClock(list, sorted, query, previousNow, nowSeconds);
    return visible ? {sorted, visible} : null;
  }
  // The other filters do not read the clock: the same runs, in the new order.
  if (sorted === list.sorted) return {sorted, visible: list.visible};
  if (list.visible === list.sorted) return {sorted, visible: sorted};
  const before = sortRecord(list.sorted);
  const after = sortRecord(sorted);
  const shown = before && shownMarks(list, before.positions);
  if (!after || !shown) return null;
  return {sorted, visible: inOrderOf(sorted, after.positions, shown)};
}
