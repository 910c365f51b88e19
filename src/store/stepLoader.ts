/**
 * Run steps for the terminal UI's Steps pane, fetched on demand through an injected `loadSteps`
 * and cached per run id, so components never fetch: LiveApp asks for the open run's steps and
 * re-renders when subscribers are told something changed. A run whose status has changed since
 * its steps were read (or, while unfinished, any new state of it) is read again; a failure is kept
 * (with its one-line message) until then.
 */
import {itemsOfRun, type JoinedItems} from '../model/itemKinds.js';
import {isActiveStatus, sourceKindOf, type Run} from '../model/run.js';
import {toolRounds} from '../model/runFacts.js';
import type {RunStep} from '../model/runStep.js';
import type {StepsView} from '../panes/paneContext.js';
import {STEPS_NEED_API} from '../panes/stepsPane.js';
import type {LoadWarning} from '../model/loadWarning.js';

/** The steps of a run, or a thrown error with a one-line message (ApiSourceError). */
export type LoadSteps = (run: Run) => Promise<{steps: RunStep[]; warnings: LoadWarning[]}>;

/** Whether a run was read from an API thread. */
function isApiRun(run: Run): boolean {
  return sourceKindOf(run.source) === 'api' && run.threadId !== null;
}

type Listener = () => void;

const FILE_VIEWS = new WeakMap<readonly RunStep[], StepsView>();

/**
 * What the Steps pane shows for a run: the steps already loaded for it (files, transcripts: they
 * need no API) when there are any, else what the StepLoader has (`fromLoader`; absent without an
 * API source, when the pane says steps need one). One view object per list of steps, so the pane
 * is not rebuilt while they stay the same.
 */
export function stepsViewOf(run: Run, joined: JoinedItems, fromLoader?: StepsView): StepsView | undefined {
  const steps = itemsOfRun(joined, 'steps', run.id);
  if (steps.length === 0) return fromLoader;
  let view = FILE_VIEWS.get(steps);
  if (!view) FILE_VIEWS.set(steps, (view = {state: 'loaded', runId: run.id, steps, warnings: []}));
  return view;
}

/**
 * The tool rounds of every finished run that took more than one, by run id, from the steps loaded
 * with the runs: the list's note names them. Only runs with steps are looked at.
 */
export function finishedToolRounds(runs: readonly Run[], joined: JoinedItems): Map<string, number> {
  const rounds = new Map<string, number>();
  if (joined.byRun.steps.size === 0) return rounds;
  for (const run of runs) {
    const count = finishedRounds(run, joined);
    if (count > 1) rounds.set(run.id, count);
  }
  return rounds;
}

/** One run's entry of `finishedToolRounds`: its tool rounds when it is finished and has steps, else 0. */
export function finishedRounds(run: Run, joined: JoinedItems): number {
  if (isActiveStatus(run.status)) return 0;
  const steps = itemsOfRun(joined, 'steps', run.id);
  return steps.length > 1 ? toolRounds(run, steps) : 0;
}

/** Whether the run's steps must be read (by the StepLoader): none were loaded with it. */
export function stepsNeedReading(run: Run, joined: JoinedItems): boolean {
  return itemsOfRun(joined, 'steps', run.id).length === 0;
}

export class StepLoader {
  private views = new Map<string, StepsView>();
  /** The run object each cached view was read for. */
  private readFor = new Map<string, Run>();
  private readonly listeners = new Set<Listener>();
  private generation = 0;

  /** `loadSteps` null: no API source, every run is `unavailable`. */
  constructor(private readonly loadSteps: LoadSteps | null) {}

  /** The views by run id; a new Map after every change (for useSyncExternalStore). */
  readonly snapshot = (): ReadonlyMap<string, StepsView> => this.views;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The view of a run, without fetching. */
  view(run: Run): StepsView {
    return this.views.get(run.id) ?? (this.loadSteps && isApiRun(run) ? {state: 'loading', runId: run.id} : {state: 'unavailable', runId: run.id, reason: STEPS_NEED_API});
  }

  /** Makes sure the run's steps are (being) read: cached unless the run's status changed. */
  request(run: Run): void {
    if (!this.loadSteps || !isApiRun(run)) {
      if (!this.views.has(run.id)) this.set(run.id, {state: 'unavailable', runId: run.id, reason: STEPS_NEED_API});
      return;
    }
    const previous = this.readFor.get(run.id);
    // Read again when a reload brought a new state of the run: always while it is unfinished
    // (steps are being added), else only when its status changed.
    if (previous && (previous === run || (previous.status === run.status && !isActiveStatus(run.status)))) return;
    this.start(run);
  }

  /** Reads the run's steps again (after an action), keeping the old ones on screen meanwhile. */
  refresh(run: Run): void {
    if (this.loadSteps && isApiRun(run)) this.start(run);
  }

  private start(run: Run): void {
    const load = this.loadSteps!;
    this.readFor.set(run.id, run);
    const generation = ++this.generation;
    this.pending.set(run.id, generation);
    if (!this.views.has(run.id) || this.views.get(run.id)!.state === 'error') this.set(run.id, {state: 'loading', runId: run.id});
    load(run).then(
      (loaded) => {
        if (this.pending.get(run.id) !== generation) return;
        this.set(run.id, {state: 'loaded', runId: run.id, steps: loaded.steps, warnings: loaded.warnings});
      },
      (error: unknown) => {
        if (this.pending.get(run.id) !== generation) return;
        this.set(run.id, {state: 'error', runId: run.id, message: error instanceof Error ? error.message.split('\n')[0]! : String(error)});
      },
    );
  }

  private readonly pending = new Map<string, number>();

  private set(runId: string, view: StepsView): void {
    this.views = new Map(this.views).set(runId, view);
    for (const listener of this.listeners) listener();
  }
}
