/**
 * What the app shows from its source besides the list: warnings, source names and where live data
 * stands. A feed's snapshot reaches the store as one action, from the feed's listener.
 */
import {sideItemsOf, type SideItemsView} from '../model/itemKinds.js';
import type {LoadWarning} from '../model/loadWarning.js';
import type {FeedSnapshot, LoadingState} from '../sources/runFeed.js';
import type {Run} from '../model/run.js';

/** Where live data stands (`--watch`, and a first load still reading). */
export interface LiveStatus {
  refreshedAt: number;
  error: string | null;
  watchSeconds: number | null;
  loading?: LoadingState | null;
}

/** Everything a source hands the app at once: the runs, the items beside them (steps, messages), warnings. */
export interface FeedData extends SideItemsView {
  runs: readonly Run[];
  warnings: readonly LoadWarning[];
  sources: readonly string[];
  live?: LiveStatus | undefined;
}

/** Something the app can read data from and be told when it changes (a RunFeed, or fixed data). */
export interface DataSource {
  subscribe: (listener: () => void) => () => void;
  /** The same object until the data changes. */
  snapshot: () => FeedData;
}

const fromSnapshots = new WeakMap<FeedSnapshot, FeedData>();

/** A feed's snapshot as the app's data: one object per snapshot, so "changed" is a comparison. */
export function feedData(snapshot: FeedSnapshot): FeedData {
  let data = fromSnapshots.get(snapshot);
  if (!data) {
    const {runs, warnings, sources, refreshedAt, error, watchSeconds, loading} = snapshot;
    data = {...sideItemsOf(snapshot), runs, warnings, sources, live: {refreshedAt, error, watchSeconds, loading}};
    fromSnapshots.set(snapshot, data);
  }
  return data;
}

/** Data that never changes: its source never calls back. */
export function fixedSource(data: FeedData): DataSource {
  return {subscribe: () => () => {}, snapshot: () => data};
}
