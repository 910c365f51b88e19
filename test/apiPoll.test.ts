import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {parseCli} from '../src/cli/args.js';
import {loadCliSources} from '../src/cli/loadCliSources.js';
import {loadRunsFromApi} from '../src/sources/api/loadRunsFromApi.js';
import {pollRunsFromApi, POLL_PAGE_SIZE} from '../src/sources/api/pollRunsFromApi.js';
import {RunFeed} from '../src/sources/runFeed.js';
import {createInitialState, selectedRun} from '../src/store/runStore.js';
import {runStoreReducer} from './helpers/storeHarness.js';
import {FakeAssistantsServer, makeRun, makeRuns} from './fakeServer/fakeAssistantsServer.js';

const KEY = 'sk-test-0123456789';
let server: FakeAssistantsServer;

beforeEach(async () => {
  server = await FakeAssistantsServer.start({apiKey: KEY});
});
afterEach(async () => {
  await server.close();
});

const connection = () => ({baseUrl: server.baseUrl, maxRetries: 0, timeoutMs: 5000});
const env = {OPENAI_API_KEY: KEY};

/** Thread a: 30 completed runs, then one in_progress and one requires_action (the newest); thread b: 3 completed. */
function seed(): void {
  server.addRuns('thread_a', [
    ...makeRuns('thread_a', 30),
    makeRun('thread_a', 30, {status: 'in_progress', completed_at: null}),
    makeRun('thread_a', 31, {status: 'requires_action', completed_at: null}),
  ]);
  server.addRuns('thread_b', makeRuns('thread_b', 3));
}

/** What a tick over the seeded threads asks: one list page per thread, one retrieve per unfinished run. */
const TICK_OF_SEED = {
  'GET /threads/thread_a/runs': 1,
  'GET /threads/thread_b/runs': 1,
  'GET /threads/thread_a/runs/run_a_0030': 1,
  'GET /threads/thread_a/runs/run_a_0031': 1,
};

async function firstLoad() {
  const loaded = await loadRunsFromApi({threads: ['thread_a', 'thread_b'], connection: connection(), env});
  expect(loaded.runs).toHaveLength(35);
  return loaded;
}

describe('pollRunsFromApi: a watch tick reads only what can change', () => {
  it('with nothing new: one short list page per thread and one retrieve per unfinished run, no final run read again', async () => {
    seed();
    const loaded = await firstLoad();
    const before = server.requests.length;
    const polled = await pollRunsFromApi({threads: ['thread_a', 'thread_b'], connection: connection(), env, known: loaded.runs});
    expect(server.requestCounts(before)).toEqual(TICK_OF_SEED);
    expect(server.requestsTo('/threads/thread_a/runs').at(-1)!.query).toEqual({limit: String(POLL_PAGE_SIZE), order: 'desc'});
    expect(polled.failures).toEqual([]);
    expect(polled.runs.map((run) => run.id)).toEqual(loaded.runs.map((run) => run.id));
  });

  it('a run that turned completed is updated in place, new runs appear first, and the next tick no longer reads the finished run', async () => {
    seed();
    const loaded = await firstLoad();
    Object.assign(server.run('thread_a', 'run_a_0030')!, {status: 'completed', completed_at: 1_700_000_400});
    server.addRuns('thread_a', [makeRun('thread_a', 32, {status: 'queued', started_at: null, completed_at: null}), makeRun('thread_a', 33)]);
    const before = server.requests.length;
    const polled = await pollRunsFromApi({threads: ['thread_a', 'thread_b'], connection: connection(), env, known: loaded.runs});
    expect(server.requestCounts(before)).toEqual(TICK_OF_SEED);
    const ids = polled.runs.map((run) => run.id);
    expect(ids.slice(0, 4)).toEqual(['run_a_0033', 'run_a_0032', 'run_a_0031', 'run_a_0030']);
    expect(ids).toHaveLength(37);
    expect(polled.runs.find((run) => run.id === 'run_a_0030')!.status).toBe('completed');
    // A final run is the very object loaded before: not read again.
    expect(polled.runs.find((run) => run.id === 'run_a_0005')).toBe(loaded.runs.find((run) => run.id === 'run_a_0005'));

    const next = server.requests.length;
    await pollRunsFromApi({threads: ['thread_a', 'thread_b'], connection: connection(), env, known: polled.runs});
    expect(server.requestCounts(next)).toEqual({
      'GET /threads/thread_a/runs': 1,
      'GET /threads/thread_b/runs': 1,
      'GET /threads/thread_a/runs/run_a_0031': 1,
      'GET /threads/thread_a/runs/run_a_0032': 1,
    });
  });

  it('more new runs than a page: pages on (with after) until the first known run', async () => {
    seed();
    const loaded = await firstLoad();
    server.addRuns('thread_b', Array.from({length: POLL_PAGE_SIZE + 5}, (_, index) => makeRun('thread_b', 100 + index)));
    const before = server.requests.length;
    const polled = await pollRunsFromApi({threads: ['thread_b'], connection: connection(), env, known: loaded.runs});
    const lists = server.requests.slice(before).filter((request) => request.path === '/threads/thread_b/runs');
    expect(lists.map((request) => request.query)).toEqual([
      {limit: String(POLL_PAGE_SIZE), order: 'desc'},
      {limit: String(POLL_PAGE_SIZE), order: 'desc', after: `run_b_0${100 + 5}`},
    ]);
    expect(polled.runs).toHaveLength(POLL_PAGE_SIZE + 5 + 3);
  });

  it('unfinished runs are retrieved at most `concurrency` requests at a time', async () => {
    await server.close();
    server = await FakeAssistantsServer.start({apiKey: KEY, runDelayMs: 30});
    server.addRuns('thread_a', Array.from({length: 12}, (_, index) => makeRun('thread_a', index, {status: 'in_progress', completed_at: null})));
    const loaded = await loadRunsFromApi({threads: ['thread_a'], connection: connection(), env});
    server.maxInFlight = 0;
    const before = server.requests.length;
    await pollRunsFromApi({threads: ['thread_a'], connection: connection(), env, known: loaded.runs, concurrency: 3});
    expect(Object.keys(server.requestCounts(before)).filter((key) => key.startsWith('GET /threads/thread_a/runs/'))).toHaveLength(12);
    expect(server.maxInFlight).toBe(3);
  });

  it('a 500 keeps the runs as they were and reports the failure', async () => {
    seed();
    const loaded = await firstLoad();
    server.fail({failure: {status: 500}});
    const polled = await pollRunsFromApi({threads: ['thread_a', 'thread_b'], connection: connection(), env, known: loaded.runs});
    expect(polled.runs.map((run) => `${run.id}:${run.status}`)).toEqual(loaded.runs.map((run) => `${run.id}:${run.status}`));
    expect(polled.failures.length).toBeGreaterThan(0);
    expect(polled.failures[0]!.status).toBe(500);
  });
});

describe('watching an API source (RunFeed + poll + store)', () => {
  it('rows update in place, the selection stays on the same run, a failing tick keeps the data and shows the error', async () => {
    seed();
    // As main.ts wires it: the first load reads everything, each refresh polls.
    const options = parseCli(['--thread', 'thread_a', '--thread', 'thread_b', '--base-url', server.baseUrl, '--max-retries', '0']);
    const io = {argv: [], env: {...env, RUNLENS_CONFIG_DIR: mkdtempSync(path.join(tmpdir(), 'runlens-config-'))}, stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), now: () => 2_000};
    const loaded = await loadCliSources(options, [], io);
    expect(loaded.runs).toHaveLength(35);
    const feed = new RunFeed(loaded, {
      load: (current) => loadCliSources(options, [], io, current.runs),
      now: () => 2_000,
      watchSeconds: 5,
      watching: false,
      files: [],
      remote: true,
    });
    let state = createInitialState({runs: feed.snapshot().runs, nowSeconds: 1_700_001_000});
    // Select the in_progress run (second newest).
    state = runStoreReducer(state, {type: 'key', name: 'j', text: 'j'});
    expect(selectedRun(state)!.id).toBe('run_a_0030');

    Object.assign(server.run('thread_a', 'run_a_0030')!, {status: 'completed'});
    server.addRuns('thread_a', [makeRun('thread_a', 40, {status: 'queued'})]);
    const before = server.requests.length;
    await feed.refresh();
    expect(Object.values(server.requestCounts(before)).reduce((sum, count) => sum + count, 0)).toBe(4);
    state = runStoreReducer(state, {type: 'setRuns', runs: feed.snapshot().runs});
    expect(selectedRun(state)!.id).toBe('run_a_0030');
    expect(selectedRun(state)!.status).toBe('completed');
    expect(state.visible.map((run) => run.id).slice(0, 3)).toEqual(['run_a_0040', 'run_a_0031', 'run_a_0030']);
    expect(feed.snapshot().refreshedAt).toBe(2_000);

    server.fail({failure: {status: 500}});
    const runsBefore = feed.snapshot().runs;
    await feed.refresh();
    expect(feed.snapshot().runs.map((run) => `${run.id}:${run.status}`)).toEqual(runsBefore.map((run) => `${run.id}:${run.status}`));
    expect(feed.snapshot().error).toMatch(/500/);
    feed.stop();
  });
});
