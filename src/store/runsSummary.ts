/**
 * What the TUI derives from every run (counts per status, the widest status, model and cost, the
 * active runs' stuck tally, the finished runs' tool rounds), kept up as the runs grow. A streaming
 * load hands the app a longer list of runs for every piece it reads; measuring all of them again
 * for each piece made the load's cost grow faster than the file (at 100,000 runs, 0.5 s of a 4 s
 * load went to the widths and their prices alone). When the new list begins with exactly the runs
 * measured before (the same objects, in the same places), only the runs after them are measured;
 * anything else (a copy replaced in place, runs removed, another model map) is measured again from
 * the start. The store keeps one RunsSummary and hands its measures to the views (`remeasured`).
 */
import {ContentMeasure, costCanShow, type ColumnKey, type ColumnView} from '../format/runColumns.js';
import {beginsWith, type JoinedItems} from '../model/itemKinds.js';
import {NO_MODEL_MAP, type ModelMap} from '../model/cost.js';
import type {Run} from '../model/run.js';
import {StuckTally, summarizeTally, type ActiveRunsTally, type StuckSummary} from '../triage/stuck.js';
import {inStatusOrder} from './listView.js';
import {finishedRounds} from './stepLoader.js';

export interface RunsMeasures {
  /** As `countByStatus`. */
  counts: Map<string, number>;
  /** As `measureContent`; in the store's measures unpriced (cost 0), as `shownContentWidths` tells. */
  contentWidths: Partial<Record<ColumnKey, number>>;
  /** What `summarizeStuck` reads of the active runs: `summarizeTally(active, now)` is its answer at any time. */
  active: ActiveRunsTally;
  /** As `finishedToolRounds`: the same map until a run's entry is added. */
  rounds: ReadonlyMap<string, number>;
}

const NO_ROUNDS: ReadonlyMap<string, number> = new Map();

export class RunsSummary {
  /** The runs measured so far, in order: what the next list must begin with. */
  private measured: Run[] = [];
  private modelMap: ModelMap = NO_MODEL_MAP;
  private counts = new Map<string, number>();
  private content = new ContentMeasure(NO_MODEL_MAP);
  private tally = new StuckTally();
  /** The steps the rounds were counted from: other steps count them again. */
  private steps: JoinedItems['byRun']['steps'] | null = null;
  private rounds = NO_ROUNDS;

  /** How many of the runs measured have been priced too (the first `pricedTo`). */
  private pricedTo = 0;

  /**
   * The measures of `runs` (with their steps in `joined`, for the rounds), new objects each call.
   * Without `prices` the runs are not priced and the cost width says 0 (no COST column): the caller
   * asks for prices only where the column could show (`costCanShow`); asked later, the runs
   * measured before are priced then.
   */
  of(runs: readonly Run[], modelMap: ModelMap = NO_MODEL_MAP, prices = true, joined?: JoinedItems): RunsMeasures {
    if (modelMap !== this.modelMap || !beginsWith(runs, this.measured, this.measured.length)) this.restart(modelMap);
    const steps = joined?.byRun.steps ?? null;
    let countFrom = this.measured.length;
    if (steps !== this.steps) {
      this.steps = steps;
      this.rounds = NO_ROUNDS;
      countFrom = 0;
    }
    for (let index = this.measured.length; index < runs.length; index += 1) {
      const run = runs[index]!;
      this.measured.push(run);
      this.counts.set(run.status, (this.counts.get(run.status) ?? 0) + 1);
      this.content.addShape(run);
      this.tally.add(run);
    }
    if (prices) {
      for (let index = this.pricedTo; index < this.measured.length; index += 1) this.content.addPrice(this.measured[index]!);
      this.pricedTo = this.measured.length;
    }
    if (joined && steps!.size > 0) this.countRounds(runs, countFrom, joined);
    const widths = this.content.widths();
    return {counts: inStatusOrder(this.counts), contentWidths: prices ? widths : {...widths, cost: 0}, active: this.tally.tally(), rounds: this.rounds};
  }

  /** Adds the rounds of `runs` from `from` on, into a new map when any has some (the one handed out stays as it was). */
  private countRounds(runs: readonly Run[], from: number, joined: JoinedItems): void {
    let rounds: Map<string, number> | null = null;
    for (let index = from; index < runs.length; index += 1) {
      const run = runs[index]!;
      const count = finishedRounds(run, joined);
      if (count > 1) (rounds ??= new Map(this.rounds)).set(run.id, count);
    }
    if (rounds) this.rounds = rounds;
  }

  private restart(modelMap: ModelMap): void {
    this.measured = [];
    this.pricedTo = 0;
    this.modelMap = modelMap;
    this.counts = new Map();
    this.content = new ContentMeasure(modelMap);
    this.tally = new StuckTally();
    this.steps = null;
    this.rounds = NO_ROUNDS;
  }
}

/** The parts of the store's state the measures follow and where it keeps them. */
export interface MeasuredState {
  runs: readonly Run[];
  modelMap: ModelMap;
  joined: JoinedItems;
  nowSeconds: number;
  /** The store's RunsSummary: one per store, whatever state it is in. */
  measuring: RunsSummary;
  /** What the header and the list show of all runs. */
  measures: RunsMeasures;
  /** `summarizeStuck` of the runs at `nowSeconds`, for the header's badge. */
  stuck: StuckSummary;
}

/** The measures and stuck summary of a new state, for its runs and clock. */
export function measuresOf(state: Omit<MeasuredState, 'measures' | 'stuck'>): Pick<MeasuredState, 'measures' | 'stuck'> {
  const measures = state.measuring.of(state.runs, state.modelMap, false, state.joined);
  return {measures, stuck: summarizeTally(measures.active, state.nowSeconds)};
}

/**
 * `next` with its measures brought up to date when its runs, steps or model map are not those of
 * `before` (only the runs appended are measured), and its stuck summary when the clock moved too
 * (a few binary searches, so the clock's tick costs the same at any size).
 */
export function remeasured<S extends MeasuredState>(before: MeasuredState, next: S): S {
  if (next.runs !== before.runs || next.joined !== before.joined || next.modelMap !== before.modelMap) return {...next, ...measuresOf(next)};
  if (next.nowSeconds !== before.nowSeconds) return {...next, stuck: summarizeTally(next.measures.active, next.nowSeconds)};
  return next;
}

/**
 * The column widths the list lays out at `width`: the store's, unpriced, unless a COST column could
 * get room there; then the runs are priced (those not priced before only) for its width.
 */
export function shownContentWidths(state: MeasuredState, width: number, view: ColumnView): Partial<Record<ColumnKey, number>> {
  const unpriced = state.measures.contentWidths;
  return costCanShow(width, unpriced, view) ? state.measuring.of(state.runs, state.modelMap, true, state.joined).contentWidths : unpriced;
}
