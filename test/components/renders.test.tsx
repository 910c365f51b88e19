/**
 * How often the app renders for one change: a feed refresh and a key press, counted with React's
 * Profiler (one call per commit of the tree under it). A refresh that reaches the store through
 * props and an effect commits twice; straight from the feed's listener, once.
 */
import {Profiler} from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {LiveApp} from '../../components/LiveApp.js';
import {normalizeRun} from '../../src/model/normalize.js';
import type {Run} from '../../src/model/run.js';
import {RunFeed} from '../../src/sources/runFeed.js';
import {FIXED_NOW_MS, positionOf, renderSized, waitForFrame, waitForText, type TestInstance} from './helpers.js';

const CREATED = Math.floor(FIXED_NOW_MS / 1000) - 600;

function fileRun(id: string, offset: number): Run {
  return normalizeRun({object: 'thread.run', id, thread_id: 'thread_a', status: 'completed', created_at: CREATED + offset, model: 'gpt-4o'}, {file: 'runs.json'});
}

let instance: TestInstance | undefined;
afterEach(() => {
  instance?.unmount();
  instance = undefined;
});

describe('renders per change', () => {
  it('a feed refresh commits the app once, and so does a key press', async () => {
    const first = [fileRun('run_first', 0), fileRun('run_second', 10)];
    const later = [...first, fileRun('run_third', 20)];
    const feed = new RunFeed(
      {runs: first, warnings: [], sources: ['runs.json'], files: []},
      {load: async () => ({runs: later, warnings: [], sources: ['runs.json'], files: []}), now: () => FIXED_NOW_MS, watchSeconds: 5, watching: false, files: [], remote: true},
    );
    let commits = 0;
    instance = renderSized(
      <Profiler id="app" onRender={() => (commits += 1)}>
        <LiveApp feed={feed} canWatch display={{color: false, ascii: false}} time={{utc: true}} now={() => FIXED_NOW_MS} tickMilliseconds={0} />
      </Profiler>,
      {columns: 120, rows: 30},
    );
    await waitForText(instance, '2 runs');
    // A key press settles whatever the first render left to do (React runs pending effects before
    // the next update), so the counts below start from a quiet app.
    instance.stdin.write('j');
    await waitForFrame(instance, (frame) => positionOf(frame) === '2/2');
    instance.stdin.write('k');
    await waitForFrame(instance, (frame) => positionOf(frame) === '1/2');

    commits = 0;
    await feed.refresh();
    // The header counts the store's runs: "3 runs" shows once the new runs are in the store.
    await waitForText(instance, '3 runs');
    expect(commits).toBe(1);
    // The selection stayed on run_second, now the second row.
    instance.stdin.write('k');
    await waitForFrame(instance, (frame) => positionOf(frame) === '1/3');
    expect(commits).toBe(2);
    feed.stop();
  });
});
