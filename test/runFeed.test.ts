import {mkdtempSync, utimesSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {loadRunsFromSources, type LoadedRuns} from '../src/sources/loadSources.js';
import {RunFeed} from '../src/sources/runFeed.js';

const run = (id: string, status: string) => JSON.stringify({object: 'thread.run', id, status, created_at: 1_764_000_000, thread_id: 'thread_a'});

function folderWith(lines: string[]): {folder: string; file: string} {
  const folder = mkdtempSync(path.join(tmpdir(), 'runlens-feed-'));
  const file = path.join(folder, 'runs.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return {folder, file};
}

describe('RunFeed', () => {
  it('reloads a file that changed, keeps the data when nothing changed, and tells subscribers', async () => {
    const {folder, file} = folderWith([run('run_1', 'in_progress')]);
    const initial = await loadRunsFromSources([folder]);
    let loads = 0;
    let clock = 1_000;
    const feed = new RunFeed(initial, {
      load: () => {
        loads += 1;
        return loadRunsFromSources([folder]);
      },
      now: () => clock,
      watchSeconds: 5,
      watching: false,
      files: [folder, ...initial.files],
      remote: false,
    });
    let notified = 0;
    feed.subscribe(() => {
      notified += 1;
    });
    // Let the feed record the files' modification times.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await feed.refresh();
    expect(loads).toBe(0);
    expect(feed.snapshot().runs.map((entry) => entry.status)).toEqual(['in_progress']);

    writeFileSync(file, `${run('run_1', 'completed')}\n${run('run_2', 'queued')}\n`);
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    clock = 2_000;
    await feed.refresh();
    expect(loads).toBe(1);
    expect(feed.snapshot().runs.map((entry) => `${entry.id}:${entry.status}`)).toEqual(['run_1:completed', 'run_2:queued']);
    expect(feed.snapshot().refreshedAt).toBe(2_000);
    expect(feed.snapshot().error).toBeNull();
    expect(notified).toBeGreaterThanOrEqual(2);
    feed.stop();
  });

  it('a refresh that loads nothing keeps the last good runs and says why', async () => {
    const good: LoadedRuns = await loadRunsFromSources([folderWith([run('run_1', 'queued')]).folder]);
    const feed = new RunFeed(good, {
      load: async () => ({runs: [], warnings: [{location: 'api:thread_a', message: 'cannot connect to 127.0.0.1:9 (connection refused)'}], sources: [], files: []}),
      now: () => 5_000,
      watchSeconds: 5,
      watching: false,
      files: [],
      remote: true,
    });
    await feed.refresh();
    expect(feed.snapshot().runs.map((entry) => entry.id)).toEqual(['run_1']);
    expect(feed.snapshot().error).toBe('api:thread_a: cannot connect to 127.0.0.1:9 (connection refused)');
    feed.stop();
  });

  it('a load that throws is reported in one line; a second refresh while one runs shares it', async () => {
    const good = await loadRunsFromSources([folderWith([run('run_1', 'queued')]).folder]);
    let calls = 0;
    const feed = new RunFeed(good, {
      load: async () => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('server sent HTML\nat line 2');
      },
      now: () => 1,
      watchSeconds: 5,
      watching: false,
      files: [],
      remote: true,
    });
    await Promise.all([feed.refresh(), feed.refresh()]);
    expect(calls).toBe(1);
    expect(feed.snapshot().error).toBe('server sent HTML');
    expect(feed.snapshot().runs).toHaveLength(1);
    feed.stop();
  });

  it('watching turns on and off, and the snapshot says at what period', async () => {
    const good = await loadRunsFromSources([folderWith([run('run_1', 'queued')]).folder]);
    const feed = new RunFeed(good, {load: async () => good, now: () => 1, watchSeconds: 3, watching: true, files: [], remote: true});
    expect(feed.watching).toBe(true);
    expect(feed.snapshot().watchSeconds).toBe(3);
    feed.setWatching(false);
    expect(feed.watching).toBe(false);
    expect(feed.snapshot().watchSeconds).toBeNull();
    feed.stop();
  });
});
