/**
 * Estimated cost over many runs: the total, and per model, per thread and per day (UTC), with the
 * runs that have no price counted apart (never as zero) and what every estimate leaves out.
 */
import {describeGaps, mergeGaps, runCost, type CostGaps, type ModelMap} from '../model/cost.js';
import type {Run} from '../model/run.js';

/** One group's estimate. */
export interface CostGroup {
  /** The model as written, the thread id, or the day (YYYY-MM-DD, UTC); null: runs without one. */
  key: string | null;
  /** US dollars over the priced runs of the group. */
  usd: number;
  priced: number;
  /** Runs of the group with usage but no price (an unknown model, a deployment not mapped). */
  unpriced: number;
}

export interface CostStats {
  usd: number;
  /** Runs with a price. */
  priced: number;
  /** Runs with usage and a model but no price. */
  unpriced: number;
  /** Why runs had no price, most runs first: `'my-deploy' is not in the price data` and the like. */
  unpricedReasons: Array<{reason: string; runs: number}>;
  /** What the priced estimates leave out, each once (see CostEstimate's `missing`). */
  missing: string[];
  /** Costliest first; ties by key. Groups with neither priced nor unpriced runs are left out. */
  byModel: CostGroup[];
  byThread: CostGroup[];
  /** Oldest first. */
  byDay: CostGroup[];
}

function ranked(groups: Map<string | null, CostGroup>): CostGroup[] {
  return [...groups.values()].sort((a, b) => b.usd - a.usd || b.priced - a.priced || String(a.key ?? '\uffff').localeCompare(String(b.key ?? '\uffff')));
}

/** The cost figures of `runs`, each priced with `modelMap` (the stats options', set from the CLI). */
export function computeCostStats(runs: readonly Run[], modelMap: ModelMap): CostStats {
  const byModel = new Map<string | null, CostGroup>();
  const byThread = new Map<string | null, CostGroup>();
  const byDay = new Map<string | null, CostGroup>();
  const reasons = new Map<string, number>();
  const gaps: CostGaps[] = [];
  let usd = 0;
  let priced = 0;
  let unpriced = 0;
  const add = (groups: Map<string | null, CostGroup>, key: string | null, cost: number | null) => {
    const group = groups.get(key) ?? {key, usd: 0, priced: 0, unpriced: 0};
    if (cost === null) group.unpriced += 1;
    else {
      group.usd += cost;
      group.priced += 1;
    }
    groups.set(key, group);
  };
  for (const run of runs) {
    const estimate = runCost(run, modelMap);
    // Runs without usage (unfinished) or without a model have nothing to price: not counted either way.
    if (estimate.kind === 'none' && (estimate.reason === 'no usage' || estimate.reason === 'no model')) continue;
    const cost = estimate.kind === 'priced' ? estimate.total : null;
    if (estimate.kind === 'priced') {
      usd += estimate.total;
      priced += 1;
      gaps.push(estimate.gaps);
    } else {
      unpriced += 1;
      reasons.set(estimate.reason, (reasons.get(estimate.reason) ?? 0) + 1);
    }
    add(byModel, run.model, cost);
    add(byThread, run.threadId, cost);
    add(byDay, run.createdAt === null ? null : new Date(run.createdAt * 1000).toISOString().slice(0, 10), cost);
  }
  return {
    usd,
    priced,
    unpriced,
    unpricedReasons: [...reasons.entries()].map(([reason, count]) => ({reason, runs: count})).sort((a, b) => b.runs - a.runs || a.reason.localeCompare(b.reason)),
    missing: priced > 0 ? describeGaps(mergeGaps(gaps)) : [],
    byModel: ranked(byModel),
    byThread: ranked(byThread),
    byDay: [...byDay.values()].sort((a, b) => String(a.key ?? '\uffff').localeCompare(String(b.key ?? '\uffff'))),
  };
}
