/**
 * The list's order kept up to date without sorting every run again. A streaming load hands the
 * store the runs read so far, each piece the last one with more runs after it: only the new runs
 * are sorted, and merged into the order the store has (sortRuns' order exactly, by the keys its
 * sort recorded). Re-sorting everything loaded so far on every piece made a load grow faster than
 * its file: 6.1 s of a million-run load went to it.
 */
import type {ModelMap} from '../model/cost.js';
import type {ListQuery} from '../model/listQuery.js';
import type {Run} from '../model/run.js';
import {filterRuns, keyComparator, recordOrder, searchTerms, sortDependsOnClock, sortRecord, SortScan, type SortKeys} from './listView.js';

/** Whether `runs` begins with every run of `previous`: the same objects at the same positions. */
export function extendsRuns(previous: readonly Run[], runs: readonly Run[]): boolean {
  if (runs.length < previous.length) return false;
  // A scan of pointers (a millisecond or two over a million runs): a run replaced in place fails it.
  for (let at = 0; at < previous.length; at += 1) if (runs[at] !== previous[at]) return false;
  return true;
}

/** An order of runs and, for each, its position in the array the keys describe. */
export interface PlacedOrder {
  runs: Run[];
  positions: Int32Array;
}

/**
 * Merges two orders sorted by `compare` (over positions), `a` long and `b` short or long: each run of
 * `b` finds its place in `a` by galloping from the last one, and the runs of `a` between two places
 * are copied, so merging k runs into n costs about k·log(n/k) comparisons, not n.
 */
export function mergeOrders(aRuns: readonly Run[], aPositions: Int32Array, bRuns: readonly Run[], bPositions: Int32Array, compare: (a: number, b: number) => number): PlacedOrder {
  const total = aRuns.length + bRuns.length;
  const positions = new Int32Array(total);
  const runs: Run[] = [];
  const aCount = aRuns.length;
  let from = 0;
  let out = 0;
  for (let next = 0; next < bRuns.length; next += 1) {
    const placed = bPositions[next]!;
    // The first run of `a` at or after `from` that sorts after `placed`: gallop, then halve.
    let low = from;
    let step = 1;
    let high = from;
    while (high < aCount && compare(aPositions[high]!, placed) < 0) {
      low = high + 1;
      high = from + step;
      step *= 2;
    }
    if (high > aCount) high = aCount;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compare(aPositions[middle]!, placed) < 0) low = middle + 1;
      else high = middle;
    }
    positions.set(aPositions.subarray(from, low), out);
    for (let at = from; at < low; at += 1) runs.push(aRuns[at]!);
    out += low - from;
    positions[out++] = placed;
    runs.push(bRuns[next]!);
    from = low;
  }
  positions.set(aPositions.subarray(from), out);
  for (let at = from; at < aCount; at += 1) runs.push(aRuns[at]!);
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
  };
}

/** Where each run of `subsequence` (runs of `order`, in its order) sits, read from `order`'s positions; null if it is not one. */
export function subsequencePositions(order: readonly Run[], positions: Int32Array, subsequence: readonly Run[]): Int32Array | null {
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
