import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {LiveApp} from '../../components/LiveApp.js';
import {normalizeRun} from '../../src/model/normalize.js';
import {normalizeRunStep} from '../../src/model/runStep.js';
import {loadRunsFromSources} from '../../src/sources/loadSources.js';
import {RunFeed} from '../../src/sources/runFeed.js';
import {StepLoader} from '../../src/store/stepLoader.js';
import type {Run} from '../../src/model/run.js';
import {appElement, FIXED_NOW_MS, KEYS, plainLines, renderSized, waitForText, type TestInstance} from './helpers.js';

const CREATED = Math.floor(FIXED_NOW_MS / 1000) - 60;

function apiRun(): Run {
  return normalizeRun(
    {object: 'thread.run', id: 'run_api', thread_id: 'thread_a', status: 'completed', created_at: CREATED, completed_at: CREATED + 9, model: 'gpt-4o'},
    {kind: 'api', file: 'api:thread_a'},
  );
}

const STEP = normalizeRunStep({
  id: 'step_1',
  type: 'tool_calls',
  status: 'completed',
  created_at: CREATED + 1,
  completed_at: CREATED + 3,
  usage: {prompt_tokens: 10, completion_tokens: 2, total_tokens: 12},
  step_details: {type: 'tool_calls', tool_calls: [{id: 'call_1', type: 'function', function: {name: 'get_weather', arguments: '{"city":"Oslo"}', output: 'rain'}}]},
});

let instance: TestInstance | undefined;
afterEach(() => instance?.unmount());

describe('the Steps pane (9)', () => {
  it('shows the steps LiveApp loads through the injected loader, once', async () => {
    const run = apiRun();
    const feed = new RunFeed({runs: [run], warnings: [], sources: ['api'], files: []}, {load: async () => ({runs: [run], warnings: [], sources: ['api'], files: []}), now: () => FIXED_NOW_MS, watchSeconds: 5, watching: false, files: [], remote: true});
    const requested: string[] = [];
    const steps = new StepLoader(async (target) => {
      requested.push(target.id);
      return {steps: [STEP], warnings: []};
    });
    instance = renderSized(
      <LiveApp feed={feed} canWatch steps={steps} display={{color: false, ascii: false}} time={{utc: true}} now={() => FIXED_NOW_MS} tickMilliseconds={0} />,
      {columns: 100, rows: 30},
    );
    await waitForText(instance, 'run_api');
    instance.stdin.write(KEYS.enter);
    await waitForText(instance, '1 Overview');
    expect(requested).toEqual([]); // nothing fetched until the pane is shown
    instance.stdin.write('9');
    const frame = await waitForText(instance, 'a. function get_weather  call_1');
    const lines = plainLines(frame);
    expect(lines.some((line) => line.includes('9 Steps (1)'))).toBe(true);
    expect(lines).toContain('1. tool_calls  ✓ completed  step_1');
    expect(lines).toContain('   usage        10 prompt + 2 completion = 12 tokens');
    expect(frame).toContain('"city": "Oslo"');
    expect(requested).toEqual(['run_api']);
    feed.stop();
  });

  it('for a file source says the steps need the API', async () => {
    const run = normalizeRun({object: 'thread.run', id: 'run_file', status: 'completed', created_at: CREATED}, {file: 'runs.json'});
    instance = renderSized(appElement([run]), {columns: 100, rows: 30});
    await waitForText(instance, 'run_file');
    instance.stdin.write(KEYS.enter);
    await waitForText(instance, '1 Overview');
    instance.stdin.write('9');
    await waitForText(instance, 'Steps are only available from the API');
  });
});

describe('the Steps pane (9) with steps loaded from files', () => {
  const THREAD = fileURLToPath(new URL('../fixtures/thread', import.meta.url));

  it('shows the steps of the open run from the files, oldest first, and asks the API loader for nothing', async () => {
    const loaded = await loadRunsFromSources([THREAD]);
    const feed = new RunFeed(loaded, {load: async () => loaded, now: () => FIXED_NOW_MS, watchSeconds: 5, watching: false, files: [], remote: false});
    const requested: string[] = [];
    const steps = new StepLoader(async (target) => {
      requested.push(target.id);
      return {steps: [], warnings: []};
    });
    instance = renderSized(
      <LiveApp feed={feed} canWatch steps={steps} display={{color: false, ascii: false}} time={{utc: true}} now={() => FIXED_NOW_MS} tickMilliseconds={0} initialQuery={{sort: 'created', descending: false}} />,
      {columns: 100, rows: 40},
    );
    await waitForText(instance, 'run_storyFirst01');
    instance.stdin.write(KEYS.enter);
    await waitForText(instance, '1 Overview');
    instance.stdin.write('9');
    const frame = await waitForText(instance, 'a. function get_weather  call_storyWeather1');
    const lines = plainLines(frame);
    expect(lines.some((line) => line.includes('9 Steps (2)'))).toBe(true);
    expect(lines).toContain('2 steps, oldest first');
    const calls = lines.findIndex((line) => line.includes('1. tool_calls  ✓ completed  step_storyCalls001'));
    const answer = lines.findIndex((line) => line.includes('2. message_creation  ✓ completed  step_storyAnswer01'));
    expect(calls).toBeGreaterThan(-1);
    expect(answer).toBeGreaterThan(calls);
    expect(frame).toContain('"city": "Oslo"');
    expect(frame).not.toContain('only available from the API');
    expect(requested).toEqual([]);
    feed.stop();
  });

  it('a run of the same files without steps says they need the API', async () => {
    const loaded = await loadRunsFromSources([THREAD]);
    const lonely = normalizeRun({object: 'thread.run', id: 'run_storyNoSteps', thread_id: 'thread_storyWeather01', status: 'completed', created_at: CREATED}, {file: 'runs.json'});
    instance = renderSized(appElement([...loaded.runs, lonely], {items: loaded, initialQuery: {search: 'run_storyNoSteps'}}), {columns: 100, rows: 30});
    await waitForText(instance, 'run_storyNoSteps');
    instance.stdin.write(KEYS.enter);
    await waitForText(instance, '1 Overview');
    instance.stdin.write('9');
    await waitForText(instance, 'Steps are only available from the API');
  });
});
