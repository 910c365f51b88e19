/**
 * What the TUI's header and list measure over every run (counts per status, the widest status,
 * model and cost), kept up as the runs grow. A streaming load hands the app a longer list of runs
 * for every piece it reads; measuring all of them again for each piece made the load's cost grow
 * faster than the file (at 100,000 runs, 0.5 s of a 4 s load went to the widths and their prices
 * alone). When the new list begins with exactly the runs measured before (the same objects, in
 * the same places), only the runs after them are measured; anything else (a copy replaced in place,
 * runs removed, another model map) is measured again from the start.
 */
import {ContentMeasure, type ColumnKey} from '../format/runColumns.js';
import {NO_MODEL_MAP, type ModelMap} from '../model/cost.js';
import type {Run} from '../model/run.js';
import {inStatusOrder} from './listView.js';

export interface RunsMeasures {
  /** As `countByStatus`. */
  counts: Map<string, number>;
  /** As `measureContent`. */
  contentWidths: Partial<Record<ColumnKey, number>>;
}

export class RunsSummary {
  /** The runs measured so far, in order: what the next list must begin with. */
  private measured: Run[] = [];
  private modelMap: ModelMap = NO_MODEL_MAP;
  private counts = new Map<string, number>();
  private content = new ContentMeasure(NO_MODEL_MAP);

  /** How many of the runs measured have been priced too (the first `pricedTo`). */
  private pricedTo = 0;

  /**
   * The measures of `runs`, new objects each call. Without `prices` the runs are not priced and the
   * cost width says 0 (no COST column): the caller asks for prices only where the column could show
   * (`costCanShow`); asked later, the runs measured before are priced then.
   */
  of(runs: readonly Run[], modelMap: ModelMap = NO_MODEL_MAP, prices = true): RunsMeasures {
    if (modelMap !== this.modelMap || !this.continues(runs)) this.restart(modelMap);
    for (let index = this.measured.length; index < runs.length; index += 1) {
      const run = runs[index]!;
      this.measured.push(run);
      this.counts.set(run.status, (this.counts.get(run.status) ?? 0) + 1);
      this.content.addShape(run);
    }
    if (prices) {
      for (let index = this.pricedTo; index < this.measured.length; index += 1) this.content.addPrice(this.measured[index]!);
      this.pricedTo = this.measured.length;
    }
    const widths = this.content.widths();
    return {counts: inStatusOrder(this.counts), contentWidths: prices ? widths : {...widths, cost: 0}};
  }

  /** Whether `runs` begins with the runs measured, each the same object (a pointer test per run). */
  private continues(runs: readonly Run[]): boolean {
    const measured = this.measured;
    if (runs.length < measured.length) return false;
    for (let index = 0; index < measured.length; index += 1) if (runs[index] !== measured[index]) return false;
    return true;
  }

  private restart(modelMap: ModelMap): void {
    this.measured = [];
    this.pricedTo = 0;
    this.modelMap = modelMap;
    this.counts = new Map();
    this.content = new ContentMeasure(modelMap);
  }
}
