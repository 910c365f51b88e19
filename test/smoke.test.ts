import {describe, expect, it} from 'vitest';
import {loadRunsFromSources} from '../src/sources/loadSources.js';

describe('examples/', () => {
  it('loads every bundled example without a warning, one run per id', async () => {
    const loaded = await loadRunsFromSources(['examples']);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.runs.length).toBe(41);
    expect(new Set(loaded.runs.map((run) => run.id)).size).toBe(loaded.runs.length);
    const statuses = new Set(loaded.runs.map((run) => run.status));
    for (const status of ['queued', 'in_progress', 'requires_action', 'cancelling', 'cancelled', 'failed', 'completed', 'incomplete', 'expired']) {
      expect(statuses).toContain(status);
    }
  });
});
