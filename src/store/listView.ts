/**
 * Filtering and sorting of the run list: pure functions over runs, shared by the TUI's store and
 * print mode, so `runlens list --sort tokens` and the `s` key order runs the same way.
 */
import {isActiveStatus, KNOWN_STATUSES, type Run} from '../model/run.js';

export const SORT_KEYS = ['created', 'status', 'duration', 'tokens', 'model', 'id', 'waiting'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** How each sort reads, for the header and `--sort`'s help. */
export const SORT_LABELS: Record<SortKey, string> = {
  created: 'created',
  status: 'status',
  duration: 'duration',
  tokens: 'tokens',
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
  model: false,
  id: false,
  waiting: true,
};

/** `off`: every run; `waiting`: requires_action only; `stalled`: also queued/in_progress runs older than the threshold. */
export type StuckMode = 'off' | 'waiting' | 'stalled';

export interface ListQuery {
  statuses: readonly string[] | null;
  model: string | null;
  search: string;
  stuck: StuckMode;
  /** Seconds after which a queued or in_progress run counts as stalled. */
  stalledAfterSeconds: number;
  sort: SortKey;
  descending: boolean;
}

export const DEFAULT_QUERY: ListQuery = {
  statuses: null,
  model: null,
  search: '',
  stuck: 'off',
  stalledAfterSeconds: 600,
  sort: 'created',
  descending: true,
};

/** Seconds the run has taken: until it ended, or until now while it is not final. */
export function runDurationSeconds(run: Run, nowSeconds: number): number | null {
  const start = run.startedAt ?? null;
  if (start === null) return null;
  const end = run.endedAt ?? (isActiveStatus(run.status) ? nowSeconds : null);
  return end === null ? null : Math.max(0, end - start);
}

/**
 * When the run began waiting. The API records no time for entering requires_action, so this is
 * an upper bound: the run started (or was created) no later than it began to wait.
 */
export function waitingSinceSeconds(run: Run): number | null {
  return run.startedAt ?? run.createdAt;
}

const STATUS_ORDER = new Map<string, number>(
  // Runs that need a person first, then the ones that are running, then the finished.
  ['requires_action', 'expired', 'failed', 'incomplete', 'cancelling', 'in_progress', 'queued', 'cancelled', 'completed'].map(
    (status, index) => [status, index],
  ),
);

function statusRank(status: string): number {
  return STATUS_ORDER.get(status) ?? KNOWN_STATUSES.length + 1;
}

function isStuck(run: Run, query: ListQuery, nowSeconds: number): boolean {
  if (run.status === 'requires_action') return true;
  if (query.stuck !== 'stalled') return false;
  if (run.status !== 'queued' && run.status !== 'in_progress') return false;
  const since = run.startedAt ?? run.createdAt;
  return since !== null && nowSeconds - since >= query.stalledAfterSeconds;
}

/** Search terms: every word must appear (case-insensitive) somewhere in the run's searchable text. */
export function searchTerms(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter(Boolean);
}

export function matchesQuery(run: Run, query: ListQuery, nowSeconds: number, terms = searchTerms(query.search)): boolean {
  if (query.statuses && !query.statuses.includes(run.status)) return false;
  if (query.model && run.model !== query.model) return false;
  if (query.stuck !== 'off' && !isStuck(run, query, nowSeconds)) return false;
  for (const term of terms) if (!run.searchText.includes(term)) return false;
  return true;
}

type SortValue = number | string | null;

function sortValue(run: Run, key: SortKey, nowSeconds: number): SortValue {
  switch (key) {
    case 'created':
      return run.createdAt;
    case 'status':
      return statusRank(run.status);
    case 'duration':
      return runDurationSeconds(run, nowSeconds);
    case 'tokens':
      return run.usage?.totalTokens ?? null;
    case 'model':
      return run.model;
    case 'id':
      return run.id;
    case 'waiting': {
      if (!isActiveStatus(run.status)) return null;
      const since = waitingSinceSeconds(run);
      return since === null ? null : nowSeconds - since;
    }
  }
}

/**
 * The runs to show, filtered and sorted. Missing values sort last in either direction; ties keep
 * newest first, then id, so the order is stable across refreshes.
 */
export function selectRuns(runs: readonly Run[], query: ListQuery, nowSeconds: number): Run[] {
  const terms = searchTerms(query.search);
  const matching = runs.filter((run) => matchesQuery(run, query, nowSeconds, terms));
  const keyed = matching.map((run) => ({run, value: sortValue(run, query.sort, nowSeconds), created: run.createdAt ?? -Infinity}));
  const direction = query.descending ? -1 : 1;
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
