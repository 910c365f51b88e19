/**
 * Runs for the sort's property tests, and the order they must come out in, written the plain way
 * (an object per run and one comparison sort), so SortScan, the merge of appended runs and the
 * clock tick's re-check are each held against a sort that shares none of their code.
 */
import fc from 'fast-check';
import {NO_MODEL_MAP, type ModelMap} from '../../src/model/cost.js';
import type {SortKey} from '../../src/model/listQuery.js';
import {normalizeRun} from '../../src/model/normalize.js';
import type {Run} from '../../src/model/run.js';
import {sortValue} from '../../src/store/listView.js';

export const NOW = Math.floor(Date.parse('2026-11-25T12:00:00Z') / 1000);
const STATUSES = ['completed', 'failed', 'requires_action', 'queued', 'in_progress', 'expired', 'cancelled', 'paused_for_review'];
const MODELS = ['gpt-4o', 'gpt-4.1', 'o3-mini', null];
/** Words in the runs' metadata, for searches. */
export const TOPICS = ['alpha', 'beta', 'gamma'];

export const ids = (runs: readonly Run[]) => runs.map((run) => run.id);

/** One generated run: few distinct values per key, so ties and missing values are common. */
export const runRowArbitrary = fc.record({
  id: fc.integer({min: 0, max: 400}),
  status: fc.constantFrom(...STATUSES),
  model: fc.constantFrom(...MODELS),
  created: fc.option(fc.integer({min: -5, max: 20}), {nil: null}),
  started: fc.option(fc.integer({min: -5, max: 20}), {nil: null}),
  ran: fc.option(fc.integer({min: 0, max: 3}), {nil: null}),
  tokens: fc.option(fc.integer({min: 0, max: 5}), {nil: null}),
  topic: fc.constantFrom(...TOPICS),
});

export type RunRow = typeof runRowArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** The run a row describes; `index` keeps ids apart but for a few that repeat (each row its own object). */
export function runOf(row: RunRow, index: number): Run {
  const ended = row.ran !== null && !['queued', 'in_progress', 'requires_action'].includes(row.status);
  return normalizeRun(
    {
      object: 'thread.run',
      // Ids repeat now and then: a whole tie keeps the order given. Times a little in the future too (clock skew).
      id: `run_${row.id % 7 === 0 ? row.id : `${row.id}_${index}`}`,
      status: row.status,
      model: row.model,
      created_at: row.created === null ? null : NOW - row.created * 60,
      started_at: row.started === null ? null : NOW - row.started * 30,
      completed_at: ended && row.started !== null ? NOW - row.started * 30 + row.ran! * 40 : null,
      usage: row.tokens === null ? null : {prompt_tokens: row.tokens, completion_tokens: 1, total_tokens: row.tokens * 100 + 1},
      metadata: {topic: row.topic},
    },
    {file: 'runs.json'},
  );
}

export const runsArbitrary = fc.array(runRowArbitrary, {maxLength: 300, size: 'max'}).map((rows) => rows.map(runOf));

/**
 * The runs in order, the plain way: missing values last either way, ties newest first, then by id,
 * then as given (Array.prototype.sort is stable).
 */
export function plainSort(runs: readonly Run[], sort: SortKey, descending: boolean, nowSeconds: number, modelMap: ModelMap = NO_MODEL_MAP): Run[] {
  const rows = runs.map((run, index) => ({run, index, value: sortValue(run, sort, nowSeconds, modelMap)}));
  rows.sort((a, b) => {
    if ((a.value === null) !== (b.value === null)) return a.value === null ? 1 : -1;
    if (a.value !== null && b.value !== null && a.value !== b.value) return (a.value < b.value ? -1 : 1) * (descending ? -1 : 1);
    const createdA = a.run.createdAt ?? -Infinity;
    const createdB = b.run.createdAt ?? -Infinity;
    if (createdA !== createdB) return createdB > createdA ? 1 : -1;
    if (a.run.id !== b.run.id) return a.run.id < b.run.id ? -1 : 1;
    return 0;
  });
  return rows.map((row) => row.run);
}

/** Whether two orders hold the same run objects in the same places. */
export function sameRuns(a: readonly Run[], b: readonly Run[]): boolean {
  return a.length === b.length && a.every((run, at) => run === b[at]);
}
