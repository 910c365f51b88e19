/**
 * Live data for the TUI (`--watch` and the `w` key): reloads the sources every few seconds and
 * hands the new runs to whoever subscribed. A refresh that fails keeps the last good runs and
 * reports why, so a flaky server never empties the screen.
 */
import {stat} from 'node:fs/promises';
import type {LoadedRuns, LoadProgress, PartialLoad} from './loadSources.js';
import {NO_SIDE_ITEMS, sideItemsOf} from '../model/itemKinds.js';
import {formatWarning} from '../model/loadWarning.js';

export interface FeedSnapshot extends LoadedRuns {
  /** When the runs shown were loaded (ms). */
  refreshedAt: number;
  /** Why the last refresh failed, while the runs shown are older. */
  error: string | null;
  /** Seconds between refreshes; null when not watching. */
  watchSeconds: number | null;
  /** While the first load is still reading: how far it is. */
  loading: LoadingState | null;
}

/** What a reload hands the feed. */
export interface FeedLoad extends LoadedRuns {
  /**
   * Set when part of the sources could not be read again: their runs are the ones from before
   * (a watch tick that polls an API keeps each run it could not read), and the header says why.
   */
  keptAfterError?: string;
}

/** A first load under way. */
export interface LoadingState extends LoadProgress {
  /** When it began (ms), for the rate. */
  startedAt: number;
}

/**
 * Runs the first load hands out are shown this often at most, and less often as they grow: each
 * set is sorted, filtered and counted again, and at 100,000 runs showing them every 400 ms made
 * more garbage than the load itself (peak memory). 1 ms for every 40 runs: 2.5 s at 100,000.
 */
const PARTIAL_RUNS_EVERY_MS = 400;
const RUNS_PER_MS_BETWEEN_SHOWINGS = 40;
/**
 * The progress bar moves this often at most: each move redraws the whole frame (20–30 ms at
 * 100,000 runs), and at 100 ms those redraws were a quarter of the load.
 */
const PROGRESS_EVERY_MS = 250;

export interface RunFeedOptions {
  /**
   * Reloads the sources (files, URLs, API), given what is on screen so that a watch tick can read
   * only what can have changed. Must not throw for bad data; may throw for the unexpected.
   */
  load: (current: LoadedRuns) => Promise<FeedLoad>;
  /** The clock (ms). */
  now: () => number;
  /** Refresh period when watching; `watching` starts it at once. */
  watchSeconds: number;
  watching: boolean;
  /**
   * Files whose modification times decide whether a reload is needed; URLs and API sources are
   * always reloaded. Empty when every source is remote.
   */
  files: readonly string[];
  /** Whether remote sources (URLs, API) are part of the load: then every tick reloads. */
  remote: boolean;
}

type Listener = () => void;

export class RunFeed {
  private snapshotValue: FeedSnapshot;
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private modified = new Map<string, number>();

  constructor(
    initial: LoadedRuns,
    private readonly options: RunFeedOptions,
  ) {
    this.snapshotValue = {...initial, refreshedAt: options.now(), error: null, watchSeconds: null, loading: null};
    void this.recordModificationTimes();
    if (options.watching) this.setWatching(true);
  }

  /** The current data; a new object after every change (for useSyncExternalStore). */
  readonly snapshot = (): FeedSnapshot => this.snapshotValue;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get watching(): boolean {
    return this.timer !== null;
  }

  setWatching(on: boolean): void {
    if (on === this.watching) return;
    if (on) {
      this.timer = setInterval(() => void this.refresh(), this.options.watchSeconds * 1000);
      // A watch timer alone must not keep the process alive after the UI has gone.
      this.timer.unref();
    } else if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    this.update({watchSeconds: on ? this.options.watchSeconds : null});
  }

  stop(): void {
    this.setWatching(false);
    this.listeners.clear();
  }

  /**
   * The first load, shown while it goes on: the runs read so far replace the snapshot's every
   * PARTIAL_RUNS_EVERY_MS, the progress more often. A refresh asked for meanwhile waits for it.
   */
  stream(load: (onProgress: (progress: LoadProgress, partial: PartialLoad) => void) => Promise<LoadedRuns>): Promise<LoadedRuns> {
    const startedAt = this.options.now();
    let runsShownAt = -Infinity;
    let progressShownAt = -Infinity;
    // The revision of the runs on screen: a later copy of a run replaces the earlier one in place
    // (the latest state wins), so a count that stays the same can still hide a change.
    let shownRevision = -1;
    // Runs held back by the pacing are shown when their turn comes, even if nothing more arrives
    // (a pipe whose writer pauses).
    let pending: {progress: LoadProgress; partial: PartialLoad} | null = null;
    let pendingTimer: NodeJS.Timeout | null = null;
    const showRuns = (progress: LoadProgress, partial: PartialLoad) => {
      runsShownAt = this.options.now();
      progressShownAt = runsShownAt;
      pending = null;
      shownRevision = partial.revision;
      // Copies: the load goes on adding to its own arrays.
      this.update({loading: {...progress, startedAt}, ...sideItemsOf(partial, true), runs: partial.runs.slice(), warnings: [...partial.warnings]});
    };
    const onProgress = (progress: LoadProgress, partial: PartialLoad) => {
      const now = this.options.now();
      const every = Math.max(PARTIAL_RUNS_EVERY_MS, partial.runs.length / RUNS_PER_MS_BETWEEN_SHOWINGS);
      const changed = partial.revision !== shownRevision;
      if (changed && partial.runs.length > 0 && (this.snapshotValue.runs.length === 0 || now - runsShownAt >= every)) {
        showRuns(progress, partial);
        return;
      }
      if (changed) {
        pending = {progress, partial};
        pendingTimer ??= setTimeout(() => {
          pendingTimer = null;
          if (pending && this.snapshotValue.loading) showRuns(pending.progress, pending.partial);
        }, Math.max(0, runsShownAt + every - now));
        pendingTimer.unref();
      }
      if (now - progressShownAt < PROGRESS_EVERY_MS) return;
      progressShownAt = now;
      this.update({loading: {...progress, startedAt}});
    };
    this.update({loading: {bytesRead: 0, totalBytes: null, runs: 0, file: null, startedAt}});
    const done = load(onProgress).finally(() => {
      if (pendingTimer) clearTimeout(pendingTimer);
    }).then(
      (loaded) => {
        this.snapshotValue = {...this.snapshotValue, ...NO_SIDE_ITEMS, ...loaded, refreshedAt: this.options.now(), error: null, loading: null};
        this.emit();
        void this.recordModificationTimes();
        return loaded;
      },
      (error: unknown) => {
        this.update({loading: null, error: error instanceof Error ? error.message.split('\n')[0]! : String(error)});
        throw error;
      },
    );
    this.inFlight = done.then(
      () => undefined,
      () => undefined,
    );
    void this.inFlight.then(() => {
      this.inFlight = null;
    });
    return done;
  }

  /** Reloads now unless a reload is already running (then waits for that one). */
  refresh(): Promise<void> {
    this.inFlight ??= this.reload().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async reload(): Promise<void> {
    if (!this.options.remote && !(await this.filesChanged())) {
      this.update({refreshedAt: this.options.now(), error: null});
      return;
    }
    let loaded: FeedLoad;
    try {
      loaded = await this.options.load(this.snapshotValue);
    } catch (error) {
      this.update({error: error instanceof Error ? error.message.split('\n')[0]! : String(error)});
      return;
    }
    if (loaded.runs.length === 0 && this.snapshotValue.runs.length > 0) {
      // Nothing came back: keep what is on screen and say why.
      const why = loaded.warnings[0] ? formatWarning(loaded.warnings[0]) : 'no runs in the sources any more';
      this.update({error: why});
      return;
    }
    const {keptAfterError, ...runs} = loaded;
    if (keptAfterError !== undefined) {
      // What could be read is shown; the time stays that of the last refresh that read everything.
      this.snapshotValue = {...this.snapshotValue, ...NO_SIDE_ITEMS, ...runs, error: keptAfterError};
    } else {
      this.snapshotValue = {...this.snapshotValue, ...NO_SIDE_ITEMS, ...runs, refreshedAt: this.options.now(), error: null};
    }
    this.emit();
  }

  private update(change: Partial<FeedSnapshot>): void {
    this.snapshotValue = {...this.snapshotValue, ...change};
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }

  private async modificationTimes(): Promise<Map<string, number>> {
    const times = new Map<string, number>();
    // The files named, and those found in folders by the last load.
    const files = new Set([...this.options.files, ...this.snapshotValue.files]);
    await Promise.all(
      [...files].map(async (file) => {
        try {
          times.set(file, (await stat(file)).mtimeMs);
        } catch {
          times.set(file, -1);
        }
      }),
    );
    return times;
  }

  private async recordModificationTimes(): Promise<void> {
    this.modified = await this.modificationTimes();
  }

  private async filesChanged(): Promise<boolean> {
    const times = await this.modificationTimes();
    const changed = [...times].some(([file, time]) => this.modified.get(file) !== time);
    this.modified = times;
    return changed;
  }
}
