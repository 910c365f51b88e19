import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createAssistantsApi} from '../src/sources/api/assistantsApi.js';
import {normalizeRunStep} from '../src/model/runStep.js';
import {FakeAssistantsServer, makeRun} from './fakeServer/fakeAssistantsServer.js';

const KEY = 'sk-test-steps-1';
let server: FakeAssistantsServer;

beforeEach(async () => {
  server = await FakeAssistantsServer.start({apiKey: KEY});
});
afterEach(async () => {
  await server.close();
});

function api() {
  return createAssistantsApi({baseUrl: server.baseUrl, maxRetries: 0}, {OPENAI_API_KEY: KEY});
}

function step(index: number, overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    id: `step_${index}`,
    object: 'thread.run.step',
    created_at: 1_700_000_000 + index,
    assistant_id: 'asst_1',
    thread_id: 'thread_a',
    run_id: 'run_a_0000',
    type: 'tool_calls',
    status: 'completed',
    cancelled_at: null,
    completed_at: 1_700_000_100 + index,
    expired_at: null,
    failed_at: null,
    last_error: null,
    usage: {prompt_tokens: 3, completion_tokens: 2, total_tokens: 5},
    ...overrides,
  };
}

const STEPS = [
  step(1, {type: 'message_creation', step_details: {type: 'message_creation', message_creation: {message_id: 'msg_1'}}}),
  step(2, {
    status: 'in_progress',
    completed_at: null,
    usage: null,
    step_details: {
      type: 'tool_calls',
      tool_calls: [
        {id: 'call_f1', type: 'function', function: {name: 'lookup', arguments: '{"q":"x"}', output: null}},
        {id: 'call_f2', type: 'function', function: {name: 'lookup', arguments: '{bad', output: '{"ok":true}'}},
      ],
    },
  }),
  step(3, {
    step_details: {
      type: 'tool_calls',
      tool_calls: [
        {
          id: 'call_ci',
          type: 'code_interpreter',
          code_interpreter: {input: 'print(1)', outputs: [{type: 'logs', logs: '1\n'}, {type: 'image', image: {file_id: 'file_img'}}]},
        },
        {id: 'call_fs', type: 'file_search', file_search: {ranking_options: {ranker: 'auto', score_threshold: 0}, results: [{file_id: 'f1', file_name: 'a', score: 0.5}, {file_id: 'f2', file_name: 'b', score: 0.4}]}},
        {id: 'call_fs2', type: 'file_search', file_search: {}},
        {id: 'call_new', type: 'web_browser', web_browser: {url: 'https://example.com'}},
      ],
    },
  }),
  step(4, {
    status: 'failed',
    failed_at: 1_700_000_200,
    completed_at: null,
    last_error: {code: 'server_error', message: 'tool crashed'},
    step_details: {type: 'tool_calls', tool_calls: []},
  }),
];

describe('loadRunSteps', () => {
  it('returns the steps raw and normalized, oldest first', async () => {
    server.addRuns('thread_a', [makeRun('thread_a', 0)]);
    server.setSteps('thread_a', 'run_a_0000', [...STEPS].reverse());
    const loaded = await api().loadRunSteps('thread_a', 'run_a_0000');
    expect(loaded.warnings).toEqual([]);
    expect(loaded.raw).toEqual(STEPS);
    expect(server.requests[0]!.query).toEqual({limit: '100', order: 'asc'});
    expect(server.requests[0]!.headers['openai-beta']).toBe('assistants=v2');

    const [creation, functions, tools, failed] = loaded.steps;
    expect(creation).toMatchObject({id: 'step_1', type: 'message_creation', status: 'completed', messageId: 'msg_1', toolCalls: [], runId: 'run_a_0000'});
    expect(creation!.usage).toEqual({promptTokens: 3, completionTokens: 2, totalTokens: 5});
    expect(functions).toMatchObject({status: 'in_progress', completedAt: null, usage: null, createdAt: 1_700_000_002});
    expect(functions!.toolCalls).toEqual([
      {type: 'function', id: 'call_f1', name: 'lookup', arguments: '{"q":"x"}', output: null},
      {type: 'function', id: 'call_f2', name: 'lookup', arguments: '{bad', output: '{"ok":true}'},
    ]);
    expect(tools!.toolCalls).toEqual([
      {type: 'code_interpreter', id: 'call_ci', input: 'print(1)', outputs: [{type: 'logs', logs: '1\n'}, {type: 'image', fileId: 'file_img'}]},
      {type: 'file_search', id: 'call_fs', resultCount: 2},
      {type: 'file_search', id: 'call_fs2', resultCount: null},
      {type: 'other', id: 'call_new', toolType: 'web_browser', raw: STEPS[2]!['step_details'] && (STEPS[2]!['step_details'] as {tool_calls: unknown[]}).tool_calls[3]},
    ]);
    expect(failed).toMatchObject({status: 'failed', failedAt: 1_700_000_200, lastError: {code: 'server_error', message: 'tool crashed'}});
  });

  it('pages through long step lists', async () => {
    server.addRuns('thread_a', [makeRun('thread_a', 0)]);
    server.setSteps('thread_a', 'run_a_0000', Array.from({length: 150}, (_, index) => step(index, {step_details: {type: 'tool_calls', tool_calls: []}})));
    const loaded = await api().loadRunSteps('thread_a', 'run_a_0000');
    expect(loaded.steps.map((entry) => entry.id)).toEqual(Array.from({length: 150}, (_, index) => `step_${index}`));
    expect(server.requests.map((request) => request.query['after'] ?? null)).toEqual([null, 'step_99']);
  });

  it('reports wrongly typed fields and keeps the rest', async () => {
    server.addRuns('thread_a', [makeRun('thread_a', 0)]);
    server.setSteps('thread_a', 'run_a_0000', [step(1, {created_at: 'yesterday', step_details: {type: 'tool_calls', tool_calls: [{id: 'c', type: 'function', function: {name: 7, arguments: '{}', output: null}}]}})]);
    const loaded = await api().loadRunSteps('thread_a', 'run_a_0000');
    expect(loaded.steps[0]).toMatchObject({id: 'step_1', createdAt: null, status: 'completed'});
    expect(loaded.steps[0]!.toolCalls).toEqual([{type: 'function', id: 'c', name: null, arguments: '{}', output: null}]);
    expect(loaded.warnings).toEqual([
      {location: 'api:thread_a/run_a_0000', message: 'step_1: field step_details.tool_calls.0.function.name: Invalid input: expected string, received number'},
      {location: 'api:thread_a/run_a_0000', message: 'step_1: field created_at: Invalid input: expected number, received string'},
    ]);
  });

  it('normalizeRunStep never throws on junk', () => {
    expect(normalizeRunStep({}).id).toBe('(no id)');
    expect(normalizeRunStep({step_details: 'x', usage: 3, last_error: []}).problems.map((problem) => problem.field)).toEqual(['id', 'usage', 'last_error', 'step_details']);
  });
});

describe('submitToolOutputs and cancelRun', () => {
  it('submits the outputs and returns the queued run', async () => {
    server.addRuns('thread_a', [
      makeRun('thread_a', 0, {
        status: 'requires_action',
        required_action: {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [{id: 'call_1', type: 'function', function: {name: 'f', arguments: '{}'}}]}},
      }),
    ]);
    const run = await api().submitToolOutputs('thread_a', 'run_a_0000', [{tool_call_id: 'call_1', output: '{"temp": 21}'}]);
    expect(run.status).toBe('queued');
    expect(run.requiredAction).toBeNull();
    expect(run.source).toEqual({kind: 'api', file: 'api:thread_a'});
    const [request] = server.requestsTo('/threads/thread_a/runs/run_a_0000/submit_tool_outputs', 'POST');
    expect(request!.body).toEqual({tool_outputs: [{tool_call_id: 'call_1', output: '{"temp": 21}'}]});
    expect(request!.headers['openai-beta']).toBe('assistants=v2');
    expect(request!.headers['content-type']).toMatch(/^application\/json/);
    expect(server.run('thread_a', 'run_a_0000')!['status']).toBe('queued');
  });

  it('cancels a run', async () => {
    server.addRuns('thread_a', [makeRun('thread_a', 0, {status: 'in_progress', completed_at: null})]);
    const run = await api().cancelRun('thread_a', 'run_a_0000');
    expect(run.status).toBe('cancelling');
    const [request] = server.requestsTo('/threads/thread_a/runs/run_a_0000/cancel', 'POST');
    expect(request!.body).toBeUndefined();
    expect(request!.headers['authorization']).toBe(`Bearer ${KEY}`);
  });
});
