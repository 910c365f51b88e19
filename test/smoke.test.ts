import {describe, expect, it} from 'vitest';
import {runKind} from '../src/model/run.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {EXAMPLE_COUNT, EXAMPLE_RESPONSES_BY_STATUS, EXAMPLE_RUNS_BY_STATUS} from './helpers/examples.js';

/** Runs of one kind, counted by status. */
function byStatus(runs: ReadonlyArray<{status: string; kind?: 'run' | 'response'}>, kind: 'run' | 'response'): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const run of runs) if (runKind(run) === kind) counts[run.status] = (counts[run.status] ?? 0) + 1;
  return counts;
}

describe('examples/', () => {
  it('loads every bundled example without a warning, one run per id', async () => {
    const loaded = await loadRunsFromSources(['examples']);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.runs.length).toBe(EXAMPLE_COUNT);
    expect(new Set(loaded.runs.map((run) => run.id)).size).toBe(loaded.runs.length);
    const statuses = new Set(loaded.runs.map((run) => run.status));
    for (const status of ['queued', 'in_progress', 'requires_action', 'cancelling', 'cancelled', 'failed', 'completed', 'incomplete', 'expired']) {
      expect(statuses).toContain(status);
    }
  });

  it('holds what test/helpers/examples.ts says it does, run by run and response by response', async () => {
    const {runs} = await loadRunsFromSources(['examples']);
    expect(byStatus(runs, 'run')).toEqual(EXAMPLE_RUNS_BY_STATUS);
    expect(byStatus(runs, 'response')).toEqual(EXAMPLE_RESPONSES_BY_STATUS);
  });
});
