/**
 * What the run list asks for: which runs (statuses, model, search, stuck), in which order. Plain
 * data below every layer that reads it: print mode's line prefilter (sources), the store's list
 * (store/listView.ts, which filters and sorts by it) and the command line's flags.
 */
import {DEFAULT_STALLED_AFTER_SECONDS} from './runFacts.js';

export const SORT_KEYS = ['created', 'status', 'duration', 'tokens', 'cost', 'model', 'id', 'waiting'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

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

/** `off`: every run; `waiting`: requires_action only; `stalled`: also queued/in_progress/cancelling runs older than the threshold. */
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
  stalledAfterSeconds: DEFAULT_STALLED_AFTER_SECONDS,
  sort: 'created',
  descending: true,
};
