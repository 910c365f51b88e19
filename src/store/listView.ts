/**
 * Filtering and sorting of the run list: pure functions over runs, shared by the TUI's store and
 * print mode, so `runlens list --sort tokens` and the `s` key order runs the same way.
 */
import {NO_MODEL_MAP, runCost, type ModelMap} from '../model/cost.js';
import {isActiveStatus, KNOWN_STATUSES, type Run} from '../model/run.js';
import type {ListQuery, SortKey, StuckMode} from '../model/listQuery.js';
import {isStuck, runDurationSeconds, waitingSince} from '../model/runFacts.js';

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

/** The default direction of each sort: newest, slowest, costliest and longest-waiting first. */
export const SORT_DESCENDING_BY_DEFAULT: Record<SortKey, boolean> = {
  created: true,
  status: false,
  duration: true,
  tokens: true,
  cost: true,
  model: false,
  id: false,
  waiting: true,
};

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

export function matchesQuery(run: Run, query: ListQuery, nowSeconds: number, terms = searchTerms(query.search)): boolean {
  if (query.statuses && !query.statuses.includes(run.status)) return false;
  if (query.model && run.model !== query.model) return false;
  if (query.stuck !== 'off' && !isStuck(run, nowSeconds, {includeStalled: query.stuck === 'stalled', stalledAfterSeconds: query.stalledAfterSeconds})) return false;
  for (const term of terms) if (!run.searchText.includes(term)) return false;
  return true;
}

type SortValue = number | string | null;

function sortValue(run: Run, key: SortKey, nowSeconds: number, modelMap: ModelMap): SortValue {
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
  const keyed = runs.map((run) => ({run, value: sortValue(run, sort, nowSeconds, modelMap), created: run.createdAt ?? -Infinity}));
  const direction = descending ? -1 : 1;
  keyed.sort((a, b) => {
    if (a.value !== b.value) {
      if (a.value === null) return 1;
      if (b.value === null) return -1;
      if (a.value < b.value) return -direction;
      if (a.value > b.value) return direction;
    }
    if (a.created !== b.created) return b.created - a.created;
    return a.run.id < b.run.id ? -1 : a.run.id > b.run.id ? 1 : 0;
  });
  return keyed.map((entry) => entry.run);
}

/**
 * All runs' search text in one string, so a search scans one contiguous block with `indexOf`
 * instead of visiting 100,000 scattered strings: several times faster per keystroke.
 */
interface SearchIndex {
  text: string;
  /** Offset in `text` where each run's text starts, ascending. */
  starts: Int32Array;
  position: Map<Run, number>;
}

const searchIndexes = new WeakMap<readonly Run[], SearchIndex>();

function searchIndexFor(runs: readonly Run[]): SearchIndex {
  let index = searchIndexes.get(runs);
  if (index) return index;
  const starts = new Int32Array(runs.length);
  const position = new Map<Run, number>();
  const parts: string[] = [];
  let offset = 0;
  runs.forEach((run, at) => {
    starts[at] = offset;
    position.set(run, at);
    parts.push(run.searchText);
    // The separator never occurs in search terms (they are split on whitespace), so no match spans two runs.
    offset += run.searchText.length + 1;
  });
  index = {text: parts.join('\n'), starts, position};
  searchIndexes.set(runs, index);
  return index;
}

/** Which runs (by position in the indexed array) contain every term. */
function searchMask(index: SearchIndex, terms: readonly string[]): Uint8Array {
  const count = index.starts.length;
  let mask: Uint8Array | null = null;
  for (const term of terms) {
    const hits = new Uint8Array(count);
    // Hits come in order, so the run holding each is found by walking forward from the last one.
    let run = 0;
    for (let at = index.text.indexOf(term); at !== -1; ) {
      // The run whose text holds this offset: the last start at or before it.
      while (run + 1 < count && index.starts[run + 1]! <= at) run += 1;
      hits[run] = 1;
      // Skip to the next run: one hit per run is enough.
      const next = run + 1 < count ? index.starts[run + 1]! : index.text.length;
      at = index.text.indexOf(term, next);
    }
    if (mask) for (let i = 0; i < count; i += 1) mask[i]! &= hits[i]!;
    else mask = hits;
  }
  return mask ?? new Uint8Array(count).fill(1);
}

/**
 * The runs that match the query's filters, in the order given. `searchBase` is the array the
 * search index is built over (the store passes its unsorted runs, so re-sorting keeps the index).
 */
export function filterRuns(runs: readonly Run[], query: ListQuery, nowSeconds: number, searchBase: readonly Run[] = runs): Run[] {
  const terms = searchTerms(query.search);
  const otherFilters = Boolean(query.statuses || query.model || query.stuck !== 'off');
  if (!otherFilters && terms.length === 0) return [...runs];
  if (terms.length === 0) return runs.filter((run) => matchesQuery(run, query, nowSeconds, terms));
  const index = searchIndexFor(searchBase);
  const mask = searchMask(index, terms);
  const positions = positionsIn(index, runs);
  const out: Run[] = [];
  for (let at = 0; at < runs.length; at += 1) {
    const run = runs[at]!;
    const position = positions[at]!;
    if (position === -1 ? !terms.every((term) => run.searchText.includes(term)) : mask[position] !== 1) continue;
    if (!otherFilters || matchesQuery(run, query, nowSeconds, [])) out.push(run);
  }
  return out;
}

/**
 * Whether every run `next` selects is among those `previous` selected, so filtering the previous
 * result gives what filtering all runs would: the same filters other than search, and each
 * previous search term inside some term of the next (typing on, or adding a word). The stuck
 * filters are left out: they read the clock, which may have moved since the previous result.
 */
export function queryNarrows(previous: ListQuery, next: ListQuery): boolean {
  if (next.stuck !== 'off' || previous.stuck !== 'off' || previous.model !== next.model) return false;
  if (previous.statuses !== next.statuses && (previous.statuses === null || next.statuses === null || previous.statuses.join('\n') !== next.statuses.join('\n'))) return false;
  const nextTerms = searchTerms(next.search);
  return searchTerms(previous.search).every((term) => nextTerms.some((longer) => longer.includes(term)));
}

/**
 * Below this share of all runs, a narrowed search tests each remaining run's text on its own;
 * above it the full filter's one scan of the index is cheaper than visiting that many scattered strings.
 */
const NARROW_SCAN_SHARE = 0.125;

/**
 * The runs `query` selects, given that `previous` (the result of `previousQuery` over the same
 * runs and order) holds all of them (see `queryNarrows`): a search keystroke that extends the
 * query tests only the runs still shown, and only the terms they were not tested for already.
 * Null when the query does not narrow the previous one, or too many runs remain for it to pay.
 */
export function narrowRuns(previous: readonly Run[], previousQuery: ListQuery, query: ListQuery, searchBase: readonly Run[]): Run[] | null {
  if (!queryNarrows(previousQuery, query)) return null;
  const tested = new Set(searchTerms(previousQuery.search));
  const terms = searchTerms(query.search).filter((term) => !tested.has(term));
  if (terms.length === 0) return [...previous];
  if (previous.length > searchBase.length * NARROW_SCAN_SHARE) return null;
  return previous.filter((run) => terms.every((term) => run.searchText.includes(term)));
}

const positionCache = new WeakMap<readonly Run[], {index: SearchIndex; positions: Int32Array}>();

/**
 * Where each of `runs` sits in the index (-1: not in it), worked out once per order: looking
 * each run up in the index's Map on every keystroke was most of a search's 60 ms at 100,000 runs.
 */
function positionsIn(index: SearchIndex, runs: readonly Run[]): Int32Array {
  const cached = positionCache.get(runs);
  if (cached && cached.index === index) return cached.positions;
  const positions = new Int32Array(runs.length);
  for (let at = 0; at < runs.length; at += 1) positions[at] = index.position.get(runs[at]!) ?? -1;
  positionCache.set(runs, {index, positions});
  return positions;
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
  return new Map([...counts.entries()].sort(([a], [b]) => statusRank(a) - statusRank(b) || (a < b ? -1 : 1)));
}
