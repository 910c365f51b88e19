/**
 * The threads overlay builds a run's whole-thread conversation itself, from the joined items it is
 * handed (OverlayData.story): picked out once in `prepare`, drawn at any width by `build`.
 */
import {describe, expect, it} from 'vitest';
import {lineText} from '../src/panes/content.js';
import {paneLines} from '../src/cli/paneText.js';
import {joinItems, itemsOfRun, itemsOfThread} from '../src/model/itemKinds.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {overlayEntry, type OverlayData} from '../src/stats/overlays.js';

const THREAD = 'thread_storyWeather01';

async function threadData(): Promise<OverlayData> {
  const loaded = await loadRunsFromSources(['test/fixtures/thread']);
  const joined = joinItems(loaded);
  const second = loaded.runs.find((run) => run.id === 'run_storySecond1')!;
  return {
    // The list shows one run (a search); the conversation still has the whole thread.
    runs: [second],
    warnings: [],
    nowSeconds: Math.floor(Date.parse('2026-11-25T12:00:00Z') / 1000),
    time: {utc: true},
    threadId: THREAD,
    story: {
      allRuns: loaded.runs,
      messages: {state: 'loaded', threadId: THREAD, messages: itemsOfThread(joined, 'messages', THREAD), warnings: []},
      stepsOf: (run) => ({state: 'loaded', runId: run.id, steps: itemsOfRun(joined, 'steps', run.id), warnings: []}),
    },
  };
}

const text = (content: ReturnType<NonNullable<ReturnType<typeof overlayEntry>>['build']>, width: number) => paneLines(content, width, false).map((line) => lineText(line));

describe('the threads overlay opened from a run', () => {
  it('prepares the thread once and draws the summary, then the conversation across all its runs, at each width', async () => {
    const data = await threadData();
    const entry = overlayEntry('threads')!;
    const prepared = entry.prepare!(data);
    expect((prepared as {runs: {id: string}[]}).runs.map((run) => run.id).sort()).toEqual(['run_storyFirst01', 'run_storySecond1']);
    for (const width of [80, 120]) {
      const lines = text(entry.build(prepared, data, {width, ascii: false}), width);
      const summary = lines.findIndex((line) => line.includes(THREAD));
      const story = lines.findIndex((line) => line.includes(`thread ${THREAD}  2 runs, 4 messages`));
      expect(summary).toBeGreaterThanOrEqual(0);
      expect(story).toBeGreaterThan(summary);
      expect(lines.slice(story).some((line) => line.includes('run run_storyFirst01'))).toBe(true);
    }
  });

  it('without a story (opened from the list) it is the summary alone', async () => {
    const {story: _story, ...data} = await threadData();
    const entry = overlayEntry('threads')!;
    const lines = text(entry.build(entry.prepare!(data), data, {width: 100, ascii: false}), 100);
    expect(lines.some((line) => line.includes('2 runs, 4 messages'))).toBe(false);
  });
});
