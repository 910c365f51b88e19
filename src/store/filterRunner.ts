/**
 * Runs a filter too big for one frame (a search over a million runs), or a sort, a slice at a time, between
 * frames, so keys are read and drawn while it goes on. The store hands it the scan as an effect
 * (`filter`); it answers with actions, which the store takes only while the scan is still the
 * current query's. No React and no timers of its own: the app gives it a clock and a way to run
 * a function later, tests a hand-driven one.
 */
import {SortScan, type FilterScan} from './listView.js';
import type {ListAction} from './listWindow.js';

/** How the runner waits between slices and reads the time. */
export interface RunnerClock {
  /** Milliseconds, for the slices' budget. */
  now(): number;
  /** Runs `work` after the frames and keys waiting now (the app: setImmediate); returns a cancel. */
  later(work: () => void): () => void;
}

/**
 * The work done between two looks at the input: a key pressed meanwhile waits at most this long,
 * plus its own frame, which keeps search keystrokes under a frame at 60 Hz at p50.
 */
export const SLICE_MS = 8;
/** How often the footer's "searching… N%" is told how far the scan is. */
export const PROGRESS_EVERY_MS = 100;

/** The runner of one kind of scan (the app has one for filters, one for sorts): at most one goes on; a new one (or null) stops the last. */
export interface FilterRunner {
  run(scan: FilterScan | SortScan | null, dispatch: (action: ListAction) => void): void;
  stop(): void;
}

/** The action a scan ends with: a filter's result, or a sort's (taken from the scan by the store). */
function doneAction(scan: FilterScan | SortScan): ListAction {
  return scan instanceof SortScan ? {type: 'sortDone', scan} : {type: 'filterDone', scan, visible: scan.result()};
}

/** The action that says how far a scan is. */
function progressAction(scan: FilterScan | SortScan): ListAction {
  return scan instanceof SortScan ? {type: 'sortProgress', scan, fraction: scan.fraction} : {type: 'filterProgress', scan, fraction: scan.fraction};
}

export function createFilterRunner(clock: RunnerClock): FilterRunner {
  let cancel: (() => void) | null = null;
  const stop = () => {
    cancel?.();
    cancel = null;
  };
  return {
    stop,
    run(scan, dispatch) {
      stop();
      if (!scan) return;
      let reported = clock.now();
      const slice = () => {
        cancel = null;
        const until = clock.now() + SLICE_MS;
        // At least one step per slice, so a slow clock cannot stall the scan.
        do scan.step();
        while (!scan.done && clock.now() < until);
        if (scan.done) {
          dispatch(doneAction(scan));
          return;
        }
        if (clock.now() - reported >= PROGRESS_EVERY_MS) {
          reported = clock.now();
          dispatch(progressAction(scan));
        }
        cancel = clock.later(slice);
      };
      cancel = clock.later(slice);
    },
  };
}
