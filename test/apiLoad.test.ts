import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {loadRunsFromApi} from '../src/sources/api/loadRunsFromApi.js';
import {createApiClient, resolveBaseUrl} from '../src/sources/api/apiClient.js';
import {OFFICIAL_BASE_URL} from '../src/triage/unstick.js';
import {FakeAssistantsServer, makeRun, makeRuns} from './fakeServer/fakeAssistantsServer.js';

const KEY = 'sk-test-0123456789';
let server: FakeAssistantsServer;

beforeEach(async () => {
  server = await FakeAssistantsServer.start({apiKey: KEY});
});
afterEach(async () => {
  await server.close();
});

function load(threads: string[], extra: Partial<Parameters<typeof loadRunsFromApi>[0]> = {}) {
  return loadRunsFromApi({
    threads,
    connection: {baseUrl: server.baseUrl, maxRetries: 0, timeoutMs: 5000},
    env: {OPENAI_API_KEY: KEY},
    ...extra,
  });
}

describe('loadRunsFromApi: listing', () => {
  it('pages through 250 runs (server pages of 100) newest first', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 250));
    const loaded = await load(['thread_a']);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.failures).toEqual([]);
    expect(loaded.runs).toHaveLength(250);
    const created = loaded.runs.map((run) => run.createdAt!);
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(loaded.runs[0]!.id).toBe('run_a_0249');
    expect(loaded.runs[249]!.id).toBe('run_a_0000');
    expect(loaded.runs[0]!.source).toEqual({kind: 'api', file: 'api:thread_a'});
    expect(loaded.sources).toEqual(['api:thread_a']);
    expect(loaded.files).toEqual(['api:thread_a']);

    const lists = server.requestsTo('/threads/thread_a/runs');
    expect(lists.map((request) => request.query)).toEqual([
      {limit: '100', order: 'desc'},
      {limit: '100', order: 'desc', after: 'run_a_0150'},
      {limit: '100', order: 'desc', after: 'run_a_0050'},
    ]);
  });

  it('stops at the limit and says the thread has more', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 250));
    const loaded = await load(['thread_a'], {limit: 120});
    expect(loaded.runs).toHaveLength(120);
    expect(loaded.runs[119]!.id).toBe('run_a_0130');
    const lists = server.requestsTo('/threads/thread_a/runs');
    expect(lists.map((request) => request.query['limit'])).toEqual(['100', '20']);
    expect(loaded.warnings).toEqual([
      {location: 'api:thread_a', message: 'showing the newest 120 runs; the thread has more (raise --limit)'},
    ]);
  });

  it('does not warn when the limit is exactly the number of runs', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 100));
    const loaded = await load(['thread_a'], {limit: 100});
    expect(loaded.runs).toHaveLength(100);
    expect(loaded.warnings).toEqual([]);
  });

  it('loads 5 threads with at most `concurrency` requests at once, in the order given', async () => {
    const threads = ['thread_1', 'thread_2', 'thread_3', 'thread_4', 'thread_5'];
    await server.close();
    server = await FakeAssistantsServer.start({apiKey: KEY, listDelayMs: 40});
    for (const thread of threads) server.addRuns(thread, makeRuns(thread, 3));
    const loaded = await load(threads, {concurrency: 2});
    expect(loaded.runs).toHaveLength(15);
    expect(server.maxInFlight).toBe(2);
    expect([...new Set(loaded.runs.map((run) => run.source.file))]).toEqual(threads.map((thread) => `api:${thread}`));

    server.maxInFlight = 0;
    const again = await load(threads);
    expect(again.runs).toHaveLength(15);
    expect(server.maxInFlight).toBe(4);
  });

  it('sends the key, OpenAI-Beta: assistants=v2, organization, project and profile headers', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 1));
    await loadRunsFromApi({
      threads: ['thread_a'],
      connection: {
        maxRetries: 0,
        org: 'org_1',
        profile: {name: 'self', baseUrl: server.baseUrl, project: 'proj_1', headers: {'X-Trace': 'abc', 'X-Gateway-Token': 'env:GATEWAY_TOKEN'}},
      },
      env: {OPENAI_API_KEY: KEY, GATEWAY_TOKEN: 'gw-secret-1'},
    });
    const [request] = server.requests;
    expect(request!.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(request!.headers['openai-beta']).toBe('assistants=v2');
    expect(request!.headers['openai-organization']).toBe('org_1');
    expect(request!.headers['openai-project']).toBe('proj_1');
    expect(request!.headers['x-trace']).toBe('abc');
    expect(request!.headers['x-gateway-token']).toBe('gw-secret-1');
  });

  it('reads the key from the env variable the profile names', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 2));
    const loaded = await loadRunsFromApi({
      threads: ['thread_a'],
      connection: {maxRetries: 0, profile: {name: 'self', baseUrl: server.baseUrl, apiKeyEnv: 'SELF_HOSTED_KEY'}},
      env: {SELF_HOSTED_KEY: KEY, OPENAI_API_KEY: 'sk-wrong-key-000'},
    });
    expect(loaded.runs).toHaveLength(2);
  });

  it('loads out-of-spec runs: an empty object field, missing fields', async () => {
    server.addRuns('thread_a', [
      {id: 'run_min', object: '', status: 'in_progress', created_at: 1_700_000_100},
      {id: 'run_noobj', status: 'queued', created_at: 1_700_000_050},
      {id: 'msg_1', object: 'thread.message', created_at: 1_700_000_000},
    ]);
    const loaded = await load(['thread_a']);
    expect(loaded.runs.map((run) => [run.id, run.status, run.model])).toEqual([
      ['run_min', 'in_progress', null],
      ['run_noobj', 'queued', null],
    ]);
    // A message in the listing is kept beside the runs (once warned about as "not a run").
    expect(loaded.warnings).toEqual([]);
    expect(loaded.messages?.map((message) => [message.id, message.source])).toEqual([['msg_1', {kind: 'api', file: 'api:thread_a'}]]);
  });

  it('keeps paging when a server leaves has_more out and pages are full', async () => {
    await server.close();
    server = await FakeAssistantsServer.start({apiKey: KEY, omitHasMore: true, maxPageSize: 100});
    server.addRuns('thread_a', makeRuns('thread_a', 230));
    const loaded = await load(['thread_a']);
    expect(loaded.runs).toHaveLength(230);
    expect(server.requestsTo('/threads/thread_a/runs')).toHaveLength(3);
  });

  it('stops when a server ignores the after cursor', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 150));
    const page = {object: 'list', data: makeRuns('thread_a', 100).reverse(), has_more: true};
    server.fail({path: '/threads/thread_a/runs', failure: {status: 200, body: page}});
    const loaded = await load(['thread_a']);
    expect(loaded.runs).toHaveLength(100);
    expect(loaded.warnings).toEqual([
      {location: 'api:thread_a', message: 'the server sent the same page again (it ignores the "after" cursor); stopped after 100 items'},
    ]);
  });

  it('retrieves one run with --run, from whichever thread has it', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 3));
    server.addRuns('thread_b', makeRuns('thread_b', 3));
    const loaded = await load(['thread_a', 'thread_b'], {runId: 'run_b_0001'});
    expect(loaded.runs.map((run) => run.id)).toEqual(['run_b_0001']);
    expect(loaded.warnings).toEqual([]);
    expect(server.requestsTo('/threads/thread_b/runs/run_b_0001')).toHaveLength(1);
    expect(server.requestsTo('/threads/thread_b/runs')).toHaveLength(0);
  });

  it('with --run, reports the run missing from every thread', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 1));
    const loaded = await load(['thread_a'], {runId: 'run_nope'});
    expect(loaded.runs).toEqual([]);
    expect(loaded.warnings).toEqual([
      {location: 'api:thread_a', message: `fetching run run_nope of thread thread_a: run run_nope not found in thread thread_a at ${server.host} (HTTP 404)`},
    ]);
  });

  it('keeps the threads that loaded when one fails', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 2));
    const loaded = await load(['thread_a', 'thread_missing']);
    expect(loaded.runs).toHaveLength(2);
    expect(loaded.files).toEqual(['api:thread_a']);
    expect(loaded.failures).toEqual([
      {
        threadId: 'thread_missing',
        kind: 'not-found',
        status: 404,
        message: `listing the runs of thread thread_missing: thread thread_missing not found at ${server.host} (HTTP 404)`,
      },
    ]);
  });

  it('stops trying other threads after a rejected key, with one message', async () => {
    for (const thread of ['thread_1', 'thread_2', 'thread_3', 'thread_4', 'thread_5', 'thread_6']) server.addRuns(thread, makeRuns(thread, 1));
    const loaded = await loadRunsFromApi({
      threads: ['thread_1', 'thread_2', 'thread_3', 'thread_4', 'thread_5', 'thread_6'],
      concurrency: 1,
      connection: {baseUrl: server.baseUrl, maxRetries: 0},
      env: {OPENAI_API_KEY: 'sk-wrong-key-000'},
    });
    expect(loaded.runs).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(loaded.warnings.map((warning) => warning.location)).toEqual(['api:thread_1', 'api']);
    expect(loaded.warnings[1]!.message).toBe('not loaded after the error above: thread_2, thread_3, thread_4, thread_5, thread_6');
  });

  it('skips blank and duplicate thread ids', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 1));
    const loaded = await load(['thread_a', ' ', 'thread_a']);
    expect(loaded.runs).toHaveLength(1);
    expect(loaded.sources).toEqual(['api:thread_a']);
    expect(loaded.warnings).toEqual([{location: 'api', message: "' ' is not a thread id; skipped"}]);
  });

  it('stops when the signal aborts', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 1));
    server.fail({path: '/threads/thread_a/runs', failure: {hang: true}});
    const controller = new AbortController();
    const pending = load(['thread_a'], {signal: controller.signal});
    setTimeout(() => controller.abort(), 50);
    const loaded = await pending;
    expect(loaded.failures[0]!.kind).toBe('cancelled');
    expect(loaded.warnings[0]!.message).toBe('listing the runs of thread thread_a: cancelled');
  });
});

describe('loadRunsFromApi: Azure', () => {
  it('talks to {endpoint}/openai with api-version and the api-key header', async () => {
    server.addRuns('thread_a', makeRuns('thread_a', 2));
    const loaded = await loadRunsFromApi({
      threads: ['thread_a'],
      connection: {maxRetries: 0, azure: {endpoint: server.origin, apiVersion: '2024-05-01-preview'}},
      env: {AZURE_OPENAI_API_KEY: KEY, OPENAI_BASE_URL: 'http://127.0.0.1:1/ignored'},
    });
    expect(loaded.warnings).toEqual([]);
    expect(loaded.runs).toHaveLength(2);
    expect(loaded.connection).toMatchObject({azure: true, keyEnv: 'AZURE_OPENAI_API_KEY', baseUrl: `${server.origin}/openai`});
    const [request] = server.requests;
    expect(request!.query['api-version']).toBe('2024-05-01-preview');
    expect(request!.headers['api-key']).toBe(KEY);
    expect(request!.headers['authorization']).toBeUndefined();
    expect(request!.headers['openai-beta']).toBe('assistants=v2');
  });

  it('needs an API version', () => {
    expect(() => createApiClient({azure: {endpoint: server.origin, apiVersion: ''}}, {AZURE_OPENAI_API_KEY: KEY})).toThrow(
      'Azure OpenAI needs an API version: set azure.apiVersion in the profile or OPENAI_API_VERSION',
    );
  });
});

describe('base URL precedence', () => {
  const profile = {name: 'p', baseUrl: 'http://profile.example/v1'};
  it('flag, then OPENAI_BASE_URL, then the profile, then the official endpoint', () => {
    expect(resolveBaseUrl({baseUrl: 'http://flag.example/v1', profile}, {OPENAI_BASE_URL: 'http://env.example/v1'})).toBe('http://flag.example/v1');
    expect(resolveBaseUrl({profile}, {OPENAI_BASE_URL: 'http://env.example/v1'})).toBe('http://env.example/v1');
    expect(resolveBaseUrl({profile}, {})).toBe('http://profile.example/v1');
    expect(resolveBaseUrl({}, {OPENAI_BASE_URL: ''})).toBe(OFFICIAL_BASE_URL);
  });

  it('describes the connection without the key', () => {
    const {connection} = createApiClient({profile: {...profile, apiKeyEnv: 'P_KEY'}}, {P_KEY: 'sk-canary-XYZ123'});
    expect(connection).toEqual({
      baseUrl: 'http://profile.example/v1',
      host: 'profile.example',
      keyEnv: 'P_KEY',
      profileName: 'p',
      official: false,
      azure: false,
      timeoutMs: 30000,
      maxRetries: 2,
    });
    expect(JSON.stringify(connection)).not.toContain('sk-canary');
  });
});

describe('run normalization from the API', () => {
  it('keeps the raw object and reads required_action', async () => {
    server.addRuns('thread_a', [
      makeRun('thread_a', 0, {
        status: 'requires_action',
        required_action: {
          type: 'submit_tool_outputs',
          submit_tool_outputs: {tool_calls: [{id: 'call_1', type: 'function', function: {name: 'lookup', arguments: '{"q":1}'}}]},
        },
      }),
    ]);
    const loaded = await load(['thread_a']);
    expect(loaded.runs[0]!.requiredAction).toEqual({
      type: 'submit_tool_outputs',
      toolCalls: [{id: 'call_1', type: 'function', functionName: 'lookup', arguments: '{"q":1}'}],
    });
    expect(loaded.runs[0]!.raw['object']).toBe('thread.run');
  });
});
