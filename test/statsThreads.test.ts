import {describe, it, expect} from 'vitest';
import stringWidth from 'string-width';
import {lineText, type PaneContent} from '../src/panes/content.js';
import {wrapLines} from '../src/panes/wrap.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {groupRunsByThread, threadsPane} from '../src/stats/threads.js';
import {NOW, statRun} from './stats.fixtures.js';

function rendered(content: PaneContent, width: number): string[] {
  const out: string[] = [];
  for (const block of content) if (block.kind === 'lines') out.push(...wrapLines(block.lines, width).map(lineText));
  return out;
}

const runs = [
  statRun({id: 'run_a1', thread: 'thread_a', created: NOW - 5000}),
  statRun({id: 'run_a2', thread: 'thread_a', created: NOW - 4000, status: 'failed', error: 'server_error'}),
  statRun({id: 'run_b1', thread: 'thread_b', created: NOW - 900, status: 'requires_action', ran: null, expires: NOW - 300}),
  statRun({id: 'run_b2', thread: 'thread_b', created: NOW - 100, status: 'queued', queued: null, ran: null}),
  statRun({id: 'run_b0', thread: 'thread_b', created: NOW - 2000}),
  statRun({id: 'run_c1', thread: 'thread_c', created: NOW - 3000, usage: [1000, 234]}),
  statRun({id: 'run_x', thread: null, created: NOW - 10}),
];

describe('groupRunsByThread', () => {
  it('groups runs by thread, newest thread first, runs newest first, runs without a thread last', () => {
    const groups = groupRunsByThread(runs);
    expect(groups.map((group) => [group.threadId, group.runs.map((run) => run.id)])).toEqual([
      ['thread_b', ['run_b2', 'run_b1', 'run_b0']],
      ['thread_c', ['run_c1']],
      ['thread_a', ['run_a2', 'run_a1']],
      [null, ['run_x']],
    ]);
  });

  it('marks the oldest unfinished run as the one holding the lock', () => {
    const [b, c] = groupRunsByThread(runs);
    expect(b!.active?.id).toBe('run_b1');
    expect(b!.activeCount).toBe(2);
    expect(c!.active).toBeNull();
    expect(b!.latestAt).toBe(NOW - 100);
  });
});

describe('threadsPane', () => {
  it('lists each thread with its runs and the run holding the lock', () => {
    const text = rendered(threadsPane(runs, {width: 120, nowSeconds: NOW}), 120);
    expect(text[0]).toBe("3 threads  1 locked  ▶ the unfinished run holding a thread's lock");
    const joined = text.join('\n');
    expect(joined).toContain('thread_b  3 runs  locked by run_b1 for 15m  2 unfinished runs (the API allows one)');
    expect(joined).toMatch(/ {2}▶ {2}! {2}run_b1 {2}requires_action +15m ago +14m 59s\+ +gpt-4o/);
    expect(joined).toMatch(/ {5}✓ {2}run_c1 {2}completed +50m ago +10s +gpt-4o +1,234/);
    expect(joined).toContain('(no thread)  1 run');
    expect(text.indexOf('thread_b  3 runs  locked by run_b1 for 15m  2 unfinished runs (the API allows one)')).toBeLessThan(
      text.findIndex((line) => line.startsWith('thread_c')),
    );
  });

  it('shows one thread on request, and cuts long threads', () => {
    const text = rendered(threadsPane(runs, {width: 100, nowSeconds: NOW, threadId: 'thread_b', maxRunsPerThread: 2}), 100);
    expect(text.filter((line) => line.startsWith('thread_'))).toEqual(['thread_b  3 runs  locked by run_b1 for 15m  2 unfinished runs (the API allows one)']);
    expect(text.some((line) => line.includes('run_b0'))).toBe(false);
    expect(text.at(-1)).toBe('    … 1 older run');
    expect(rendered(threadsPane(runs, {width: 100, nowSeconds: NOW, threadId: 'thread_zz'}), 100)).toEqual(['No runs on this thread.']);
    expect(rendered(threadsPane([], {width: 100, nowSeconds: NOW}), 100)).toEqual(['No runs.']);
  });

  it.each([20, 40, 80, 200])('fits %i columns, and ASCII mode is ASCII', async (width) => {
    const {runs: examples} = await loadRunsFromSources(['examples']);
    for (const ascii of [false, true]) {
      const text = rendered(threadsPane(examples, {width, nowSeconds: NOW, ascii}), width);
      for (const line of text) expect(stringWidth(line), `"${line}"`).toBeLessThanOrEqual(width);
      if (ascii) for (const line of text) expect(line).not.toMatch(/[^\x20-\x7e]/);
    }
  });
});
