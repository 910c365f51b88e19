/**
 * Filtering and sorting of the run list: pure functions over runs, shared by the TUI's store and
 * print mode, so `runlens list --sort tokens` and the `s` key order runs the same way.
 */
import {NO_MODEL_MAP, runCost, type ModelMap} from '../model/cost.js';
import {searchTextOf} from '../model/detachedRun.js';
import {isActiveStatus, KNOWN_STATUSES, type Run} from '../model/run.js';
import type {ListQuery, SortKey, StuckMode} from '../model/listQuery.js';
import {isStuck, runDurationSeconds, runStartSeconds, waitingSince} from '../model/runFacts.js';

/** How each sort reads, for the header and `--sort`'s help. */
export const SORT_LABELS: Record<SortKey, string> = {
  created: 'created',
  status: 'status',
  duration: 'duration',
  tokens: 'tokens',
  cost: 'estimated cost',
  model: 'model',
  id: 'id',
  waiting: 'waiting time',
};

/** The default direction of each sort (kept with the sort keys, which the command line reads without the store). */
export {SORT_DESCENDING_BY_DEFAULT} from '../model/listQuery.js';

const STATUS_ORDER = new Map<string, number>(
  // Runs that need a person first, then the ones that are running, then the finished.
  ['requires_action', 'expired', 'failed', 'incomplete', 'cancelling', 'in_progress', 'queued', 'cancelled', 'completed'].map(
    (status, index) => [status, index],
  ),
);

function statusRank(status: string): number {
  return STATUS_ORDER.get(status) ?? KNOWN_STATUSES.length + 1;
}

/** Search terms: every word must appear (case-insensitive) somewhere in the run's searchable text. */
export function searchTerms(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter(Boolean);
}

export function matchesQuery(run: Run, query: ListQuery, nowSeconds: number, terms: readonly string[] = searchTerms(query.search)): boolean {
  if (query.statuses && !query.statuses.includes(run.status)) return false;
  if (query.model && run.model !== query.model) return false;
  if (query.stuck !== 'off' && !isStuck(run, nowSeconds, {includeStalled: query.stuck === 'stalled', stalledAfterSeconds: query.stalledAfterSeconds})) return false;
  return holdsTerms(run, terms);
}

/** Whether the run's search text holds every term (built once for all of them: a run kept small builds it on each ask). */
function holdsTerms(run: Run, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const text = searchTextOf(run);
  for (const term of terms) if (!text.includes(term)) return false;
  return true;
}

type SortValue = number | string | null;

/** The value a run sorts by: a number, text, or null when it has none (sorted last either way). */
export function sortValue(run: Run, key: SortKey, nowSeconds: number, modelMap: ModelMap = NO_MODEL_MAP): SortValue {
  switch (key) {
    case 'created':
      return run.createdAt;
    case 'status':
      return statusRank(run.status);
    case 'duration':
      return runDurationSeconds(run, nowSeconds);
    case 'tokens':
      return run.usage?.totalTokens ?? null;
    case 'cost': {
      // A run without a price sorts last, like any missing value: never as if it were free.
      const estimate = runCost(run, modelMap);
      return estimate.kind === 'priced' ? estimate.total : null;
    }
    case 'model':
      return run.model;
    case 'id':
      return run.id;
    case 'waiting': {
      if (!isActiveStatus(run.status)) return null;
      const since = waitingSince(run);
      return since === null ? null : nowSeconds - since;
    }
  }
}

/**
 * The runs in sort order. Missing values sort last in either direction; ties keep newest first,
 * then id, so the order is stable across refreshes. `modelMap` prices runs for the cost sort.
 */
export function sortRuns(runs: readonly Run[], sort: SortKey, descending: boolean, nowSeconds: number, modelMap: ModelMap = NO_MODEL_MAP): Run[] {
  // One ordering rule, SortScan's, whether the sort goes on between frames or runs at once
  // (at once it is also the faster: 57–89 ms against 90–134 ms for an object per run, at 100,000).
  return new SortScan(runs, sort, descending, nowSeconds, modelMap).finish();
}

/**
 * Runs a step of a SortScan handles: keyed, sorted as one block, or merged. 16,384 is a few ms a
 * step here, so a sort of a million runs goes on between frames and keys are read between steps.
 */
const SORT_STEP = 16_384;

/** Sorts whose values are text (the rest are numbers). */
const TEXT_SORTS: ReadonlySet<SortKey> = new Set<SortKey>(['model', 'id']);

/**
 * The values a sort compares, by position in the array it sorted: kept with its order (sortRecord),
 * so runs appended later are merged in, and a clock tick checks the order, without keying every
 * run again. Typed arrays, not an object per run.
 */
export interface SortKeys {
  readonly sort: SortKey;
  readonly descending: boolean;
  /** The clock the values were read at (they depend on it for the waiting and duration sorts). */
  readonly nowSeconds: number;
  readonly modelMap: ModelMap;
  /** Each run's value: a number, or text for the model and id sorts; `missing` marks none. */
  readonly numbers: Float64Array | null;
  readonly texts: Array<string | null> | null;
  readonly missing: Uint8Array;
  /** Each run's creation time (-Infinity when unknown), the first tie-break. */
  readonly created: Float64Array;
  /**
   * For a sort by the clock, when each run's value starts counting (clockValue gives it at any
   * clock); NaN for a run whose value does not move with the clock. Null for the other sorts.
   */
  readonly since: Float64Array | null;
  /** Whether every time in `since` is a whole number of seconds (then clock arithmetic on them is exact). */
  wholeSeconds: boolean;
}

/**
 * Each array's creation times, by position (keyRun writes them, the same values every time): one
 * array for all sorts of the same runs, as each is 8 MB at a million runs.
 */
const createdTimes = new WeakMap<readonly Run[], Float64Array>();

/** Empty keys for the runs of a sort, filled by keyRun. */
function emptySortKeys(runs: readonly Run[], sort: SortKey, descending: boolean, nowSeconds: number, modelMap: ModelMap): SortKeys {
  const count = runs.length;
  let created = createdTimes.get(runs);
  if (!created || created.length !== count) {
    created = new Float64Array(count);
    createdTimes.set(runs, created);
  }
  const text = TEXT_SORTS.has(sort);
  return {
    sort,
    descending,
    nowSeconds,
    modelMap,
    numbers: text ? null : new Float64Array(count),
    // Grown by appending, never made as new Array(n): V8 makes an array of a million holes a dictionary.
    texts: text ? [] : null,
    missing: new Uint8Array(count),
    created,
    since: sortDependsOnClock(sort) ? new Float64Array(count) : null,
    wholeSeconds: true,
  };
}

/** Keys the run at `at` (texts are pushed, so runs are keyed in order). */
function keyRun(keys: SortKeys, at: number, run: Run): void {
  const value = sortValue(run, keys.sort, keys.nowSeconds, keys.modelMap);
  // -0 compares equal to 0; NaN (never normalized, but a number all the same) counts as missing.
  const missing = value === null || (typeof value === 'number' && Number.isNaN(value));
  keys.missing[at] = missing ? 1 : 0;
  if (keys.numbers) keys.numbers[at] = typeof value === 'number' && !missing ? value + 0 : 0;
  else keys.texts!.push(typeof value === 'string' ? value : null);
  keys.created[at] = run.createdAt ?? -Infinity;
  if (keys.since) {
    const since = clockStart(run, keys.sort);
    keys.since[at] = since;
    if (since === since && !Number.isInteger(since)) keys.wholeSeconds = false;
  }
}

/** When the run's value for a sort by the clock starts counting; NaN when it does not move with the clock (sortValue's cases). */
function clockStart(run: Run, sort: SortKey): number {
  // Waiting and duration read the clock only for a run that is not final, a duration only until it ended.
  if (!isActiveStatus(run.status)) return NaN;
  if (sort === 'waiting') return waitingSince(run) ?? NaN;
  return run.endedAt === null ? (runStartSeconds(run) ?? NaN) : NaN;
}

/** The value at `nowSeconds` of a run whose clock sort value counts from `since`: as sortValue computes it, to the last bit. */
export function clockValue(sort: SortKey, since: number, nowSeconds: number): number {
  return sort === 'waiting' ? nowSeconds - since : Math.max(0, nowSeconds - since);
}

/**
 * The order of two positions of `base` by `keys`: missing values last either way, ties newest
 * first, then by id, then as given. The one ordering rule of every sort, merge and re-check.
 */
export function keyComparator(keys: SortKeys, base: readonly Run[]): (a: number, b: number) => number {
  const {numbers, texts, missing, created} = keys;
  const direction = keys.descending ? -1 : 1;
  return (a, b) => {
    const missingA = missing[a]!;
    const missingB = missing[b]!;
    if (missingA !== missingB) return missingA ? 1 : -1;
    if (!missingA) {
      const valueA = numbers ? numbers[a]! : texts![a]!;
      const valueB = numbers ? numbers[b]! : texts![b]!;
      if (valueA < valueB) return -direction;
      if (valueA > valueB) return direction;
    }
    const createdA = created[a]!;
    const createdB = created[b]!;
    if (createdA !== createdB) return createdB - createdA;
    const idA = base[a]!.id;
    const idB = base[b]!.id;
    if (idA !== idB) return idA < idB ? -1 : 1;
    // A whole tie keeps the order given, as a stable sort does.
    return a - b;
  };
}

/** What a sort recorded about an order it made: the array it sorted, where each run sits in it, and the keys it compared. */
export interface SortRecord {
  base: readonly Run[];
  positions: Int32Array;
  /** Absent for an order recorded without its keys. */
  keys: SortKeys | null;
}

/** Where each run of an order sortRuns made sits in the array it sorted, and its keys: recorded as it sorts. */
const sortedPositions = new WeakMap<readonly Run[], SortRecord>();

/** What the sort that made `order` recorded, if a sort made it. */
export function sortRecord(order: readonly Run[]): SortRecord | undefined {
  return sortedPositions.get(order);
}

/** Records how `order` was made from `base`: a merge or a re-check that makes an order without SortScan says so too. */
export function recordOrder(order: readonly Run[], record: SortRecord): void {
  sortedPositions.set(order, record);
  if (record.keys && record.keys.created.length === record.base.length) createdTimes.set(record.base, record.keys.created);
  // Newest first is the tie order itself (missing times last, then id): kept for the array's next sort.
  if (record.keys?.sort === 'created' && record.keys.descending) tieOrders.set(record.base, record.positions);
}

/** Tie orders (positions by creation, newest first, then id, then as given) of the arrays sorted so far: the same for every sort of one array. */
const tieOrders = new WeakMap<readonly Run[], Int32Array>();

/** A double's bits as two unsigned halves whose order is the numbers' order (one buffer, read both ways). */
const floatScratch = new Float64Array(1);
const floatHalves = new Uint32Array(floatScratch.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW_HALF = LITTLE_ENDIAN ? 0 : 1;
const HIGH_HALF = 1 - LOW_HALF;

/** Writes into `floatHalves` the bits of `value` made so that unsigned order is number order: the sign bit set for positives, all bits flipped for negatives. */
function sortableHalves(value: number): void {
  floatScratch[0] = value;
  if (floatHalves[HIGH_HALF]! & 0x80000000) {
    floatHalves[HIGH_HALF] = ~floatHalves[HIGH_HALF]!;
    floatHalves[LOW_HALF] = ~floatHalves[LOW_HALF]!;
  } else {
    floatHalves[HIGH_HALF] = floatHalves[HIGH_HALF]! | 0x80000000;
  }
}

/** Positions and the two halves of their keys, side by side, as a radix pass reads and writes them. */
interface RadixArrays {
  high: Uint32Array;
  low: Uint32Array;
  positions: Int32Array;
}

/** The arrays a radix sort works in: two sets of positions and keys (each pass reads one, writes the other) and the digit counts. */
interface RadixScratch {
  capacity: number;
  sets: [RadixArrays, RadixArrays];
  /** Made by the first sort that counts digits (a sort of few entries needs none). */
  counts: Uint32Array | null;
}

/**
 * The scratch of the last numeric sort that ended, for the next: at a million runs a sort's 24 MB
 * of arrays outside the heap made V8 collect the whole heap of runs (a second or more) every sort
 * or two. Only a sort that is done gives it back, so no two sorts ever share it.
 */
let spareScratch: RadixScratch | null = null;

function takeScratch(count: number): RadixScratch {
  const spare = spareScratch;
  if (spare && spare.capacity >= count) {
    spareScratch = null;
    return spare;
  }
  const set = (): RadixArrays => ({high: new Uint32Array(count), low: new Uint32Array(count), positions: new Int32Array(count)});
  return {capacity: count, sets: [set(), set()], counts: null};
}

function giveBackScratch(scratch: RadixScratch): void {
  if (!spareScratch || spareScratch.capacity < scratch.capacity) spareScratch = scratch;
}

/**
 * Below `radixFrom` entries a numeric sort compares instead of counting digits. Tests set it to 0
 * to hold the radix sort itself to a comparison sort on small arrays.
 */
export const SORT_TUNING = {radixFrom: 512};

/** Radix digits of 16 bits: four passes over a 64-bit key, each bucket table 256 KB, which stays in cache. */
const DIGIT_BITS = 16;
const DIGIT_VALUES = 1 << DIGIT_BITS;

/**
 * A sort of `runs` done one step at a time, so the store can spread the sort of a million runs
 * across frames (filterRunner.ts runs it) and still give the one ordering rule. A numeric sort
 * (all but model and id) is a least-significant-digit radix sort over typed arrays: the runs are
 * first put in their tie order (newest first, then id: the same for every sort of one array, so it
 * is kept), then those with a value are sorted by its 64 bits, sixteen at a time, stably, and
 * those without follow. No comparison per pair of runs and no object per run: a comparison merge
 * sort took 1.9 s for a million runs. Text sorts compare: blocks of a step's runs are sorted,
 * then merged in pairs, the merged width doubling each pass.
 */
export class SortScan {
  /** The values compared, by position in `runs`; recorded with the order for later merges. */
  private readonly keys: SortKeys;
  private readonly compare: (a: number, b: number) => number;
  /** Positions in `runs`, in order within each sorted block or merged run; `spare` is written by a merge pass. */
  private indices: Int32Array;
  private spare: Int32Array;
  private keyedTo = 0;
  private blocksTo = 0;
  /** Width of the sorted runs being merged in pairs; the pass is done when `mergeLow` reaches the end. */
  private width: number;
  private mergeLow = 0;
  private left = 0;
  private right = 0;
  private out = 0;
  /** The result as it is written out, after the last merge. */
  private readonly order: Run[] = [];
  private placedTo = 0;
  private sorted: Run[] | null = null;
  /** The numeric sort's work, stepped by step(); null for a text sort. */
  private readonly numeric: Generator<void, void, void> | null;
  /** Runs handled in the current step, and in all (for `fraction`), by the numeric sort. */
  private spent = 0;
  private handled = 0;
  private readonly workTotal: number;

  constructor(
    readonly runs: readonly Run[],
    readonly sort: SortKey,
    readonly descending: boolean,
    readonly nowSeconds: number,
    modelMap: ModelMap = NO_MODEL_MAP,
    /** Runs a step handles (SORT_STEP); tests make it small to merge many blocks. */
    private readonly stepRuns: number = SORT_STEP,
  ) {
    const count = runs.length;
    this.width = stepRuns;
    this.keys = emptySortKeys(runs, sort, descending, nowSeconds, modelMap);
    this.compare = keyComparator(this.keys, runs);
    const text = TEXT_SORTS.has(sort);
    this.indices = new Int32Array(text ? count : 0);
    this.spare = new Int32Array(text ? count : 0);
    this.numeric = text ? null : this.numericSort();
    // Keying, tie order (when not kept: its keys, two radix passes and the ties), the split, the histogram, four passes, writing out.
    this.workTotal = count * (1 + (tieOrders.has(runs) ? 0 : 4) + 1 + 1 + 4 + 1);
    this.startPair();
  }

  /** Whether the runs are in order (result() holds them). */
  get done(): boolean {
    return this.sorted !== null;
  }

  /** Roughly how much is done, 0 to 1: keying, the blocks and writing the result out count as a pass each, as each merge pass does. */
  get fraction(): number {
    const count = this.runs.length;
    if (this.sorted) return 1;
    if (this.numeric) return Math.min(1, this.handled / Math.max(1, this.workTotal));
    const passes = Math.max(0, Math.ceil(Math.log2(Math.max(1, count / this.stepRuns))));
    const total = (3 + passes) * count;
    const merged = this.width >= count ? passes * count : Math.log2(this.width / this.stepRuns) * count + this.out;
    return Math.min(1, (this.keyedTo + this.blocksTo + merged + this.placedTo) / total);
  }

  /** Does one step of the work; returns whether the sort is done. */
  step(): boolean {
    const count = this.runs.length;
    if (this.sorted) return true;
    if (this.numeric) {
      this.spent = 0;
      this.numeric.next();
      return this.sorted !== null;
    }
    if (this.keyedTo < count) {
      const end = Math.min(count, this.keyedTo + this.stepRuns);
      for (let at = this.keyedTo; at < end; at += 1) {
        keyRun(this.keys, at, this.runs[at]!);
        this.indices[at] = at;
      }
      this.keyedTo = end;
    } else if (this.blocksTo < count) {
      const end = Math.min(count, this.blocksTo + this.stepRuns);
      this.indices.subarray(this.blocksTo, end).sort(this.compare);
      this.blocksTo = end;
    } else if (this.width < count) {
      this.merge(this.stepRuns);
    } else {
      // The runs in order, a step at a time too: a million at once is a frame or more.
      const end = Math.min(count, this.placedTo + this.stepRuns);
      for (let at = this.placedTo; at < end; at += 1) this.order.push(this.runs[this.indices[at]!]!);
      this.placedTo = end;
      if (end >= count) {
        // Where each sorted run sits in `runs` is the sorted positions themselves.
        recordOrder(this.order, {base: this.runs, positions: this.indices, keys: this.keys});
        this.sorted = this.order;
      }
    }
    return this.sorted !== null;
  }

  /** Calls `work(from, to)` over 0..count in pieces, pausing (a step ends) each time a step's worth of runs is handled. */
  private *spread(count: number, work: (from: number, to: number) => void): Generator<void, void, void> {
    for (let from = 0; from < count; ) {
      const to = Math.min(count, from + Math.max(1, this.stepRuns - this.spent));
      work(from, to);
      this.spent += to - from;
      this.handled += to - from;
      from = to;
      if (this.spent >= this.stepRuns) yield;
    }
  }

  /**
   * Stable LSD radix sort of the first `count` entries of `scratch.sets[0]` (positions and their
   * unsigned 64-bit keys, `high` and `low`), 16 bits a pass; a pass whose digit is the same for
   * every entry is skipped (whole-second times leave their low bits empty). Returns the set that
   * holds the result.
   */
  private *radix(scratch: RadixScratch, count: number): Generator<void, RadixArrays, void> {
    if (count < SORT_TUNING.radixFrom) return this.fewSorted(scratch, count);
    const counts = (scratch.counts ??= new Uint32Array(4 * DIGIT_VALUES)).fill(0);
    const mask = DIGIT_VALUES - 1;
    const {high, low} = scratch.sets[0];
    yield* this.spread(count, (from, to) => {
      for (let at = from; at < to; at += 1) {
        const lowBits = low[at]!;
        const highBits = high[at]!;
        counts[lowBits & mask]! += 1;
        counts[DIGIT_VALUES + (lowBits >>> DIGIT_BITS)]! += 1;
        counts[2 * DIGIT_VALUES + (highBits & mask)]! += 1;
        counts[3 * DIGIT_VALUES + (highBits >>> DIGIT_BITS)]! += 1;
      }
    });
    let [from, to] = scratch.sets;
    for (let digit = 0; digit < 4; digit += 1) {
      const table = counts.subarray(digit * DIGIT_VALUES, (digit + 1) * DIGIT_VALUES);
      const shift = digit % 2 === 0 ? 0 : DIGIT_BITS;
      const first = digit < 2 ? from.low[0]! : from.high[0]!;
      if (count === 0 || table[(first >>> shift) & mask] === count) {
        this.handled += count;
        continue;
      }
      // Where each digit's entries start, then each entry to its place: stable, in the order read.
      let start = 0;
      for (let value = 0; value < DIGIT_VALUES; value += 1) {
        const many = table[value]!;
        table[value] = start;
        start += many;
      }
      const source = from;
      const target = to;
      const keyOf = digit < 2 ? source.low : source.high;
      yield* this.spread(count, (begin, end) => {
        for (let at = begin; at < end; at += 1) {
          const place = table[(keyOf[at]! >>> shift) & mask]!++;
          target.high[place] = source.high[at]!;
          target.low[place] = source.low[at]!;
          target.positions[place] = source.positions[at]!;
        }
      });
      from = target;
      to = source;
    }
    return from;
  }

  /**
   * What `radix` gives, for a few entries: a stable comparison sort by the two halves of the key,
   * counted as the histogram and four passes would be. The radix sort's fixed cost (1 MB of digit
   * counts cleared, four 65,536-entry prefix sums) was 6–30 ms for the first frame's one screen of runs.
   */
  private fewSorted(scratch: RadixScratch, count: number): RadixArrays {
    const [from, to] = scratch.sets;
    const order = Array.from({length: count}, (_, at) => at);
    order.sort((a, b) => from.high[a]! - from.high[b]! || from.low[a]! - from.low[b]! || a - b);
    order.forEach((at, place) => {
      to.high[place] = from.high[at]!;
      to.low[place] = from.low[at]!;
      to.positions[place] = from.positions[at]!;
    });
    this.spent += 5 * count;
    this.handled += 5 * count;
    return to;
  }

  /** The runs' tie order: by creation time, newest first (unknown last), then by id, then as given. */
  private *tieOrder(scratch: RadixScratch): Generator<void, Int32Array, void> {
    const {runs} = this;
    const count = runs.length;
    const {created} = this.keys;
    const {high, low, positions} = scratch.sets[0];
    yield* this.spread(count, (from, to) => {
      for (let at = from; at < to; at += 1) {
        // Newest first: the sortable bits of the time, inverted.
        sortableHalves(created[at]!);
        high[at] = ~floatHalves[HIGH_HALF]! >>> 0;
        low[at] = ~floatHalves[LOW_HALF]! >>> 0;
        positions[at] = at;
      }
    });
    // Kept for every later sort of these runs: out of the scratch.
    const byTime = (yield* this.radix(scratch, count)).positions.slice(0, count);
    // Runs created in the same second, by id, then as given.
    const byId = (a: number, b: number) => {
      const idA = runs[a]!.id;
      const idB = runs[b]!.id;
      return idA < idB ? -1 : idA > idB ? 1 : a - b;
    };
    let next = 0;
    yield* this.spread(count, (_from, to) => {
      while (next < to) {
        const time = created[byTime[next]!]!;
        let end = next + 1;
        while (end < count && created[byTime[end]!] === time) end += 1;
        if (end - next > 1) byTime.subarray(next, end).sort(byId);
        next = end;
      }
    });
    return byTime;
  }

  /** The numeric sort, a step's worth of runs at a time (see the class). */
  private *numericSort(): Generator<void, void, void> {
    const {runs, keys} = this;
    const count = runs.length;
    yield* this.spread(count, (from, to) => {
      for (let at = from; at < to; at += 1) keyRun(keys, at, runs[at]!);
    });
    const scratch = takeScratch(count);
    let ties = tieOrders.get(runs);
    if (!ties) {
      ties = yield* this.tieOrder(scratch);
      tieOrders.set(runs, ties);
    }
    // Runs with a value, in tie order with their sortable bits, then those without, in tie order.
    const {numbers, missing} = keys;
    let present = 0;
    for (let at = 0; at < count; at += 1) present += missing[at]! ? 0 : 1;
    const {high, low} = scratch.sets[0];
    const valuedPositions = scratch.sets[0].positions;
    const positions = new Int32Array(count);
    const invert = this.descending;
    let valued = 0;
    let unvalued = present;
    const order = ties;
    yield* this.spread(count, (from, to) => {
      for (let at = from; at < to; at += 1) {
        const position = order[at]!;
        if (missing[position]) {
          positions[unvalued++] = position;
          continue;
        }
        sortableHalves(numbers![position]!);
        const highBits = floatHalves[HIGH_HALF]!;
        const lowBits = floatHalves[LOW_HALF]!;
        high[valued] = invert ? ~highBits >>> 0 : highBits;
        low[valued] = invert ? ~lowBits >>> 0 : lowBits;
        valuedPositions[valued++] = position;
      }
    });
    positions.set((yield* this.radix(scratch, present)).positions.subarray(0, present));
    giveBackScratch(scratch);
    yield* this.spread(count, (from, to) => {
      for (let at = from; at < to; at += 1) this.order.push(runs[positions[at]!]!);
    });
    recordOrder(this.order, {base: runs, positions, keys});
    this.sorted = this.order;
  }
  /** Merges up to `budget` positions of the current pass, pair after pair; a pass ends with the arrays swapped. */
  private merge(budget: number): void {
    const count = this.runs.length;
    const {indices, spare, compare} = this;
    let left = this.left;
    let right = this.right;
    let out = this.out;
    const stop = Math.min(count, out + budget);
    while (out < stop) {
      const middle = Math.min(count, this.mergeLow + this.width);
      const high = Math.min(count, this.mergeLow + 2 * this.width);
      while (out < stop && out < high) {
        if (right >= high || (left < middle && compare(indices[left]!, indices[right]!) <= 0)) spare[out++] = indices[left++]!;
        else spare[out++] = indices[right++]!;
      }
      if (out === high) {
        this.mergeLow = high;
        if (high >= count) {
          // The pass is done: the merged runs are twice as wide.
          this.indices = spare;
          this.spare = indices;
          this.width *= 2;
          this.mergeLow = 0;
          this.startPair();
          return;
        }
        left = this.mergeLow;
        right = Math.min(count, this.mergeLow + this.width);
      }
    }
    this.left = left;
    this.right = right;
    this.out = out;
  }

  private startPair(): void {
    this.left = this.mergeLow;
    this.right = Math.min(this.runs.length, this.mergeLow + this.width);
    this.out = this.mergeLow;
  }

  /** Runs every step left and returns the runs in order. */
  finish(): Run[] {
    while (!this.step());
    return this.sorted!;
  }

  /** The runs in order, once done; null before. */
  result(): Run[] | null {
    return this.sorted;
  }
}

/**
 * Runs per piece of the search index. All runs' search text joined into a few large strings lets a
 * search scan contiguous blocks with `indexOf` instead of visiting 100,000 scattered strings (ten
 * times faster here: 6–27 ms against 60–340 ms at 100,000 runs). Pieces of 8,192 runs (about
 * 1.7 MB of text, 0.5–2 ms a term) are joined the first time a search reaches them, so no single
 * step of a search, the first included, joins the text of a million runs at once.
 */
const INDEX_PIECE_RUNS = 8192;

/** One piece of the search index: its runs' text, and where each run's text starts in it. */
interface IndexPiece {
  text: string;
  starts: Int32Array;
}

/** The search index over one array of runs (the store's unsorted runs), its pieces joined on demand. */
interface SearchIndex {
  base: readonly Run[];
  pieces: Array<IndexPiece | undefined>;
  /** Run → position in `base`, built only for an array whose positions sortRuns did not record. */
  position: Map<Run, number> | null;
}

const searchIndexes = new WeakMap<readonly Run[], SearchIndex>();

function searchIndexFor(runs: readonly Run[]): SearchIndex {
  let index = searchIndexes.get(runs);
  if (!index) {
    index = {base: runs, pieces: new Array<IndexPiece | undefined>(Math.ceil(runs.length / INDEX_PIECE_RUNS)), position: null};
    searchIndexes.set(runs, index);
  }
  return index;
}

function indexPiece(index: SearchIndex, number: number): IndexPiece {
  const cached = index.pieces[number];
  if (cached) return cached;
  const first = number * INDEX_PIECE_RUNS;
  const end = Math.min(index.base.length, first + INDEX_PIECE_RUNS);
  const starts = new Int32Array(end - first);
  const parts: string[] = [];
  let offset = 0;
  for (let at = first; at < end; at += 1) {
    const text = searchTextOf(index.base[at]!);
    starts[at - first] = offset;
    parts.push(text);
    // The separator never occurs in search terms (they are split on whitespace), so no match spans two runs.
    offset += text.length + 1;
  }
  const piece = {text: parts.join('\n'), starts};
  index.pieces[number] = piece;
  return piece;
}

/**
 * Counts, in `matched` (by position in the index), the terms each run of one piece holds: a run's
 * count goes from t to t + 1 when it holds term t, so after all terms it equals their number only
 * for runs that hold every one.
 */
function matchPiece(index: SearchIndex, number: number, terms: readonly string[], matched: Uint16Array): void {
  const piece = indexPiece(index, number);
  const first = number * INDEX_PIECE_RUNS;
  const count = piece.starts.length;
  terms.forEach((term, termIndex) => {
    // Hits come in order, so the run holding each is found by walking forward from the last one.
    let run = 0;
    for (let at = piece.text.indexOf(term); at !== -1; ) {
      // The run whose text holds this offset: the last start at or before it.
      while (run + 1 < count && piece.starts[run + 1]! <= at) run += 1;
      if (matched[first + run] === termIndex) matched[first + run] = termIndex + 1;
      // Skip to the next run: one hit per run is enough.
      if (run + 1 >= count) break;
      at = piece.text.indexOf(term, piece.starts[run + 1]!);
    }
  });
}

/** Positions positionsIn worked out for an order no sort recorded against the index's array. */
const foundPositions = new WeakMap<readonly Run[], SortRecord>();

/**
 * Where each of `runs` sits in the index (-1: not in it), worked out once per order: looking
 * each run up in a Map on every keystroke was most of a search's 60 ms at 100,000 runs, and building
 * that Map for a million runs takes longer than a frame, so every order a sort, a merge or a re-check
 * makes records its positions (recordOrder), and the Map is built only for an order none made.
 */
function positionsIn(index: SearchIndex, runs: readonly Run[]): Int32Array {
  const cached = sortedPositions.get(runs) ?? foundPositions.get(runs);
  if (cached && cached.base === index.base) return cached.positions;
  const positions = new Int32Array(runs.length);
  if (runs === index.base) {
    for (let at = 0; at < runs.length; at += 1) positions[at] = at;
  } else {
    if (!index.position) {
      index.position = new Map();
      index.base.forEach((run, at) => index.position!.set(run, at));
    }
    for (let at = 0; at < runs.length; at += 1) positions[at] = index.position.get(runs[at]!) ?? -1;
  }
  // Kept apart from what a sort recorded: the order's own record (its keys) stays for later merges.
  foundPositions.set(runs, {base: index.base, positions, keys: null});
  return positions;
}

/**
 * The term counts of the last scan that ended, for the next one over as many runs: at a million
 * runs each search keystroke made 2 MB of counts outside the heap, which V8 answers, every few
 * dozen keystrokes, with a full collection of the whole heap of runs (pauses of 100–250 ms).
 * Only a scan that is done gives its counts back, so no two scans ever share them.
 */
let spareCounts: Uint16Array | null = null;

function termCounts(runs: number): Uint16Array {
  const spare = spareCounts;
  if (spare === null || spare.length !== runs) return new Uint16Array(runs);
  spareCounts = null;
  return spare.fill(0);
}

/** How much a filter does at once: the most work inside a keystroke's frame, and the runs of each step after it. */
export interface FilterPace {
  /** The most work (FilterScan.work) a query change filters inside its frame; above it the filter goes on across frames. */
  syncWork: number;
  /** Runs the first step tests one by one, before the index: a screen of matches in most searches, so the keystroke's frame shows the top of the result. */
  headRuns: number;
  /** Runs a step tests one by one, reading each run's own text. */
  eachRuns: number;
  /** Runs a step reads in the order shown, taking the index's answers. */
  gatherRuns: number;
  /** The most runs a key sorts inside its frame (DEFAULT_SYNC_SORT_RUNS); above it the sort goes on across frames. */
  syncSortRuns?: number;
}

/**
 * A numeric sort of 100,000 runs takes 25–55 ms of CPU here and one of a million 0.3–0.9 s (the
 * radix sort; a comparison sort of a million took 1.7 s, bench:keys `sortDone`), text sorts more: a
 * key's sort of more runs than this goes on across frames (SortScan), as a search does.
 */
export const DEFAULT_SYNC_SORT_RUNS = 25_000;

/**
 * Measured here at 100,000 runs: 50,000 units of work are about 4 ms (25,000 runs through the
 * index for one term or by status, 5,000 runs' own text tested); 2,048 runs tested one by one about 1 ms;
 * a step of 4,096 runs tested one by one 2–3 ms, of 65,536 runs gathered about 1 ms.
 */
export const DEFAULT_FILTER_PACE: FilterPace = {syncWork: 50_000, headRuns: 2048, eachRuns: 4096, gatherRuns: 65_536};

/**
 * A filter of `source` by a query, done one step at a time, so the store can spread a search over
 * a million runs across frames (filterRunner.ts) and still give the same answer as doing it at once:
 * `filterRuns` runs the same scan to its end. With search terms it first counts each piece of the
 * index (in index order), then reads the runs in `source`'s order; without, or when it narrows an
 * earlier result (`eachRun`), it tests each run's own text, in order.
 */
export class FilterScan {
  private readonly found: Run[];
  private readonly index: SearchIndex | null;
  /** Per run of the index, how many terms it holds; handed back for the next scan when this one is done. */
  private matched: Uint16Array | null;
  private piece = 0;
  private at: number;

  /**
   * `from`: the runs of `source` before it were tested already and `found` holds their matches.
   * `eachRun`: test these terms against each run's text (the other filters hold already) instead of
   * the whole query through the index. `head`: the first step tests the first runs one by one
   * (`pace.headRuns`), so it has the top of the result before the index is read.
   */
  constructor(
    readonly source: readonly Run[],
    private readonly query: ListQuery,
    private readonly nowSeconds: number,
    private readonly searchBase: readonly Run[] = source,
    options: {from?: number; found?: readonly Run[]; eachRun?: readonly string[]; head?: boolean; pace?: FilterPace} = {},
  ) {
    this.pace = options.pace ?? DEFAULT_FILTER_PACE;
    this.at = options.from ?? 0;
    this.head = Boolean(options.head);
    this.found = [...(options.found ?? [])];
    this.eachTerms = options.eachRun ?? null;
    this.terms = searchTerms(query.search);
    this.otherFilters = Boolean(query.statuses || query.model || query.stuck !== 'off');
    const indexed = this.eachTerms === null && this.terms.length > 0;
    this.index = indexed ? searchIndexFor(searchBase) : null;
    this.matched = indexed ? termCounts(searchBase.length) : null;
  }

  private readonly eachTerms: readonly string[] | null;
  private head: boolean;
  private readonly pace: FilterPace;
  private readonly terms: readonly string[];
  private readonly otherFilters: boolean;

  /** Whether every run has been tested. */
  get done(): boolean {
    return this.at >= this.source.length;
  }

  /** Roughly how much of the work is done, 0 to 1 (for "searching… 40%"). */
  get fraction(): number {
    const pieces = this.index?.pieces.length ?? 0;
    // Counting the index costs about as much as reading the runs in order after it.
    const total = pieces + this.source.length / INDEX_PIECE_RUNS;
    return total === 0 ? 1 : Math.min(1, (this.piece + this.at / INDEX_PIECE_RUNS) / total);
  }

  /** The work a step does at most, in runs visited: what the store weighs before doing it all at once. */
  static work(source: readonly Run[], query: ListQuery, searchBase: readonly Run[], eachRun: readonly string[] | null = null): number {
    // Testing a run's own text costs about ten times a run's share of an index scan (see INDEX_PIECE_RUNS);
    // testing only its status, model or wait about twice.
    if (eachRun !== null) return source.length * 10;
    const terms = searchTerms(query.search).length;
    return terms === 0 ? source.length * 2 : searchBase.length * terms + source.length;
  }

  /** Does one step of the work; returns whether the scan is done. */
  step(): boolean {
    if (this.head) {
      this.head = false;
      const end = Math.min(this.source.length, this.at + this.pace.headRuns);
      this.testEach(end, this.eachTerms);
      return this.done;
    }
    if (this.done) return true;
    if (this.index && this.matched && this.piece < this.index.pieces.length) {
      matchPiece(this.index, this.piece, this.terms, this.matched);
      this.piece += 1;
      return false;
    }
    if (this.index && this.matched) {
      const {source, found} = this;
      const positions = positionsIn(this.index, source);
      const end = Math.min(source.length, this.at + this.pace.gatherRuns);
      const need = this.terms.length;
      for (let at = this.at; at < end; at += 1) {
        const run = source[at]!;
        const position = positions[at]!;
        if (position === -1 ? !holdsTerms(run, this.terms) : this.matched[position] !== need) continue;
        if (!this.otherFilters || matchesQuery(run, this.query, this.nowSeconds, [])) found.push(run);
      }
      this.at = end;
    } else {
      this.testEach(Math.min(this.source.length, this.at + this.pace.eachRuns), this.eachTerms);
    }
    if (this.done && this.matched) {
      // Done: nothing reads the counts again, so the next scan over as many runs takes them.
      spareCounts = this.matched;
      this.matched = null;
    }
    return this.done;
  }

  /** Tests each run up to `end` on its own: for `terms` only (the other filters hold), or for the whole query. */
  private testEach(end: number, terms: readonly string[] | null): void {
    const {source, found} = this;
    for (let at = this.at; at < end; at += 1) {
      const run = source[at]!;
      if (terms ? holdsTerms(run, terms) : matchesQuery(run, this.query, this.nowSeconds, this.terms)) found.push(run);
    }
    this.at = end;
  }

  /** Runs every step left and returns the result. */
  finish(): Run[] {
    while (!this.step());
    return this.found;
  }

  /** The matches so far, in `source`'s order: the whole result once `done`. */
  result(): Run[] {
    return this.found;
  }
}

/**
 * The runs that match the query's filters, in the order given. `searchBase` is the array the
 * search index is built over (the store passes its unsorted runs, so re-sorting keeps the index).
 */
export function filterRuns(runs: readonly Run[], query: ListQuery, nowSeconds: number, searchBase: readonly Run[] = runs): Run[] {
  const otherFilters = Boolean(query.statuses || query.model || query.stuck !== 'off');
  if (!otherFilters && searchTerms(query.search).length === 0) return [...runs];
  return new FilterScan(runs, query, nowSeconds, searchBase).finish();
}

/** Whether two queries' status filters are the same: none for both, or the same statuses in the same order. */
export function sameStatuses(a: ListQuery, b: ListQuery): boolean {
  return a.statuses === b.statuses || (a.statuses !== null && b.statuses !== null && a.statuses.join('\n') === b.statuses.join('\n'));
}

/**
 * Whether every run `next` selects is among those `previous` selected, so filtering the previous
 * result gives what filtering all runs would: the same filters other than search, and each
 * previous search term inside some term of the next (typing on, or adding a word). The stuck
 * filters are left out: they read the clock, which may have moved since the previous result.
 */
export function queryNarrows(previous: ListQuery, next: ListQuery): boolean {
  if (next.stuck !== 'off' || previous.stuck !== 'off' || previous.model !== next.model) return false;
  if (!sameStatuses(previous, next)) return false;
  const nextTerms = searchTerms(next.search);
  return searchTerms(previous.search).every((term) => nextTerms.some((longer) => longer.includes(term)));
}

/**
 * Below this share of all runs, a narrowed search tests each remaining run's text on its own;
 * above it the full filter's one scan of the index is cheaper than visiting that many scattered strings.
 */
const NARROW_SCAN_SHARE = 0.125;

/**
 * The terms to test each run of `previous` (the complete result of `previousQuery`) for, when the
 * query narrows it (see `queryNarrows`) and few enough runs remain for that to pay; null when the
 * whole query must be filtered again.
 */
export function narrowingTerms(previous: readonly Run[], previousQuery: ListQuery, query: ListQuery, searchBase: readonly Run[]): string[] | null {
  if (!queryNarrows(previousQuery, query)) return null;
  const tested = new Set(searchTerms(previousQuery.search));
  const terms = searchTerms(query.search).filter((term) => !tested.has(term));
  if (terms.length > 0 && previous.length > searchBase.length * NARROW_SCAN_SHARE) return null;
  return terms;
}

/**
 * The runs `query` selects, given that `previous` (the result of `previousQuery` over the same
 * runs and order) holds all of them (see `queryNarrows`): a search keystroke that extends the
 * query tests only the runs still shown, and only the terms they were not tested for already.
 * Null when the query does not narrow the previous one, or too many runs remain for it to pay.
 */
export function narrowRuns(previous: readonly Run[], previousQuery: ListQuery, query: ListQuery, searchBase: readonly Run[]): Run[] | null {
  const terms = narrowingTerms(previous, previousQuery, query, searchBase);
  if (terms === null) return null;
  if (terms.length === 0) return [...previous];
  return new FilterScan(previous, query, 0, searchBase, {eachRun: terms}).finish();
}

/** Whether a sort's order changes as the clock moves. */
export function sortDependsOnClock(sort: SortKey): boolean {
  return sort === 'waiting' || sort === 'duration';
}

/** The runs to show, filtered and sorted (filtering first, so fewer runs are sorted). */
export function selectRuns(runs: readonly Run[], query: ListQuery, nowSeconds: number, modelMap: ModelMap = NO_MODEL_MAP): Run[] {
  return sortRuns(filterRuns(runs, query, nowSeconds), query.sort, query.descending, nowSeconds, modelMap);
}

/** Statuses present in the runs, in the documented order, unknown ones last: what `f` cycles through. */
export function statusesPresent(runs: readonly Run[]): string[] {
  const present = new Set<string>();
  for (const run of runs) present.add(run.status);
  return [...present].sort((a, b) => statusRank(a) - statusRank(b) || (a < b ? -1 : 1));
}

/** Runs per status, for the header: the statuses that need attention first. */
export function countByStatus(runs: readonly Run[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.status, (counts.get(run.status) ?? 0) + 1);
  return inStatusOrder(counts);
}

/** Counts per status in the header's order: by status rank, then by name. */
export function inStatusOrder(counts: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...counts.entries()].sort(([a], [b]) => statusRank(a) - statusRank(b) || (a < b ? -1 : 1)));
}
