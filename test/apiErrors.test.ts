import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {inspect} from 'node:util';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {APIError, NotFoundError} from 'openai';
import {createAssistantsApi} from '../src/sources/api/assistantsApi.js';
import {loadRunsFromApi, type ApiLoadOptions} from '../src/sources/api/loadRunsFromApi.js';
import {describeApiError, redactSecrets, type ApiSourceError} from '../src/sources/api/apiErrors.js';
import {createApiClient} from '../src/sources/api/apiClient.js';
import {FakeAssistantsServer, makeRun, makeRuns} from './fakeServer/fakeAssistantsServer.js';

const CANARY = 'sk-canary-XYZ123';
let server: FakeAssistantsServer;
/** Every message produced in this file, checked for the canary at the end of each test. */
let seen: string[] = [];

beforeEach(async () => {
  // The server expects another key, so every request with the canary is a 401 that quotes it.
  server = await FakeAssistantsServer.start({apiKey: CANARY});
  seen = [];
});
afterEach(async () => {
  for (const text of seen) expect(text).not.toContain(CANARY);
  await server.close();
});

async function load(options: Partial<ApiLoadOptions> & {connection?: ApiLoadOptions['connection']} = {}) {
  const loaded = await loadRunsFromApi({
    threads: ['thread_a'],
    env: {OPENAI_API_KEY: CANARY},
    ...options,
    connection: {baseUrl: server.baseUrl, maxRetries: 0, timeoutMs: 5000, ...options.connection},
  });
  seen.push(JSON.stringify(loaded.warnings), JSON.stringify(loaded.failures), JSON.stringify(loaded.connection), inspect(loaded, {depth: 10}));
  return loaded;
}

function onlyMessage(loaded: {warnings: Array<{message: string}>}): string {
  expect(loaded.warnings).toHaveLength(1);
  return loaded.warnings[0]!.message;
}

/** The error a promise rejects with (failing the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<ApiSourceError> {
  try {
    await promise;
  } catch (error) {
    return error as ApiSourceError;
  }
  throw new Error('expected a rejection');
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const {port} = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('API errors: one line each, never the key', () => {
  beforeEach(() => {
    server.addRuns('thread_a', makeRuns('thread_a', 3));
  });

  it('no key: names the env variable (and the profile)', async () => {
    const loaded = await load({env: {}});
    expect(onlyMessage(loaded)).toBe('no API key: the environment variable OPENAI_API_KEY is not set');
    expect(loaded.failures[0]!.kind).toBe('config');
    expect(server.requests).toHaveLength(0);

    const withProfile = await load({env: {}, connection: {profile: {name: 'work', apiKeyEnv: 'WORK_KEY'}}});
    expect(onlyMessage(withProfile)).toBe("no API key: the environment variable WORK_KEY is not set (profile 'work')");
  });

  it('a key passed where the env variable name goes is not repeated', async () => {
    const loaded = await load({connection: {apiKeyEnv: CANARY}});
    expect(onlyMessage(loaded)).toBe('--api-key-env takes the NAME of an environment variable (like OPENAI_API_KEY), not a key');
  });

  it('401: names the env variable and the profile; the server quoting the key is scrubbed', async () => {
    server.clearFailures();
    const wrong = await FakeAssistantsServer.start({apiKey: 'sk-the-right-one-999'});
    try {
      wrong.addRuns('thread_a', makeRuns('thread_a', 1));
      const loaded = await load({connection: {baseUrl: wrong.baseUrl, profile: {name: 'work'}}});
      expect(onlyMessage(loaded)).toBe(
        `listing the runs of thread thread_a: ${wrong.host} rejected the API key in OPENAI_API_KEY (profile 'work') (HTTP 401) (server: Incorrect API key provided: ***. You can find your API key at https://platform.openai.com/account/api-keys.)`,
      );
      expect(loaded.failures[0]).toMatchObject({kind: 'auth', status: 401});
    } finally {
      await wrong.close();
    }
  });

  it('403: names the env variable', async () => {
    server.fail({path: '/threads/thread_a/runs', failure: {status: 403, body: {error: {message: `Project mismatch for ${CANARY}`}}}});
    const loaded = await load({connection: {apiKeyEnv: 'TEAM_KEY'}, env: {TEAM_KEY: CANARY}});
    expect(onlyMessage(loaded)).toBe(
      `listing the runs of thread thread_a: ${server.host} refused access (HTTP 403): the API key in TEAM_KEY lacks permission for this thread, project or organization (server: Project mismatch for ***)`,
    );
  });

  it('404: names the thread', async () => {
    const loaded = await load({threads: ['thread_gone']});
    expect(onlyMessage(loaded)).toBe(`listing the runs of thread thread_gone: thread thread_gone not found at ${server.host} (HTTP 404)`);
  });

  it('404 at api.openai.com: says the hosted Assistants API was shut down', async () => {
    // The official base URL, answered by the fake server.
    const redirect: typeof fetch = (input, init) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      return fetch(`${server.baseUrl}${url.pathname.replace(/^\/v1/, '')}${url.search}`, init);
    };
    const loaded = await load({threads: ['thread_old'], connection: {baseUrl: 'https://api.openai.com/v1', fetch: redirect}});
    expect(onlyMessage(loaded)).toBe(
      'listing the runs of thread thread_old: thread thread_old not found at api.openai.com (HTTP 404): OpenAI shut its hosted Assistants API down on 2026-08-26; open saved run files instead, or a compatible server (Azure OpenAI Assistants, self-hosted) with --base-url or a profile',
    );
  });

  it('before the shutdown date the note is in the future tense', () => {
    const error = new NotFoundError(404, {message: 'No thread found'}, undefined, new Headers());
    const message = describeApiError(error, {
      operation: 'list-runs',
      threadId: 'thread_x',
      connection: {baseUrl: 'https://api.openai.com/v1', host: 'api.openai.com', keyEnv: 'OPENAI_API_KEY', profileName: null, official: true, azure: false, timeoutMs: 30000, maxRetries: 2},
      now: Date.parse('2026-01-01T00:00:00Z'),
    });
    expect(message).toContain('OpenAI shuts its hosted Assistants API down on 2026-08-26');
  });

  it('429 once, then success: the SDK retries', async () => {
    server.fail({path: '/threads/thread_a/runs', times: 1, failure: {status: 429, headers: {'retry-after-ms': '10'}}});
    const loaded = await load({connection: {maxRetries: 1}});
    expect(loaded.warnings).toEqual([]);
    expect(loaded.runs).toHaveLength(3);
    expect(server.requestsTo('/threads/thread_a/runs')).toHaveLength(2);
  });

  it('429 after the retries: the status and the retries', async () => {
    server.fail({
      path: '/threads/thread_a/runs',
      failure: {status: 429, headers: {'retry-after-ms': '10'}, body: {error: {message: 'Rate limit reached for requests'}}},
    });
    const loaded = await load({connection: {maxRetries: 1}});
    expect(onlyMessage(loaded)).toBe(
      `listing the runs of thread thread_a: ${server.host} is rate limiting requests (HTTP 429), still after 1 retry; wait and try again (server: Rate limit reached for requests)`,
    );
    expect(server.requestsTo('/threads/thread_a/runs')).toHaveLength(2);
  });

  it('5xx after the retries, the key scrubbed from what the server said', async () => {
    server.fail({
      path: '/threads/thread_a/runs',
      failure: {status: 502, headers: {'retry-after-ms': '5'}, body: {error: {message: `upstream failed (Authorization: Bearer ${CANARY})`}}},
    });
    const loaded = await load({connection: {maxRetries: 2}});
    expect(onlyMessage(loaded)).toBe(
      `listing the runs of thread thread_a: server error at ${server.host} (HTTP 502), still after 2 retries (server: upstream failed (Authorization: Bearer ***)`,
    );
    expect(server.requestsTo('/threads/thread_a/runs')).toHaveLength(3);
  });

  it('5xx with a non-JSON body and an HTML error page', async () => {
    server.fail({path: '/threads/thread_a/runs', times: 1, failure: {status: 503, body: 'Service Unavailable'}});
    expect(onlyMessage(await load())).toBe(`listing the runs of thread thread_a: server error at ${server.host} (HTTP 503) (server: Service Unavailable)`);
    server.fail({path: '/threads/thread_a/runs', times: 1, failure: {status: 500, body: '<!DOCTYPE html><html><body>oops</body></html>'}});
    expect(onlyMessage(await load())).toBe(`listing the runs of thread thread_a: server error at ${server.host} (HTTP 500)`);
  });

  it('timeout: the host, the time and the attempts', async () => {
    server.fail({path: '/threads/thread_a/runs', failure: {hang: true}});
    const loaded = await load({connection: {timeoutMs: 200, maxRetries: 1}});
    expect(onlyMessage(loaded)).toBe(
      `listing the runs of thread thread_a: no answer from ${server.host} within 0.2s (2 attempts); raise --timeout or check the server`,
    );
    expect(loaded.failures[0]!.kind).toBe('timeout');
  });

  it('connection refused: names host:port', async () => {
    const port = await freePort();
    const loaded = await load({connection: {baseUrl: `http://127.0.0.1:${port}/v1`}});
    expect(onlyMessage(loaded)).toBe(`listing the runs of thread thread_a: cannot connect to 127.0.0.1:${port} (connection refused); is the server running?`);
    expect(loaded.failures[0]!.kind).toBe('connection');
  });

  it('a port fetch refuses', async () => {
    const loaded = await load({connection: {baseUrl: 'http://127.0.0.1:6000/v1'}});
    expect(onlyMessage(loaded)).toBe('listing the runs of thread thread_a: cannot connect to 127.0.0.1:6000: fetch refuses this port (a "bad port"); use another one');
  });

  it('connection dropped mid-request', async () => {
    server.fail({path: '/threads/thread_a/runs', failure: {destroy: true}});
    const loaded = await load();
    expect(onlyMessage(loaded)).toBe(`listing the runs of thread thread_a: the connection to ${server.host} was closed before an answer came`);
  });

  it('invalid JSON from the server', async () => {
    server.fail({path: '/threads/thread_a/runs', failure: {invalidJson: '{"object": "list", "data": [ {"id": '}});
    const loaded = await load();
    expect(onlyMessage(loaded)).toBe(`listing the runs of thread thread_a: ${server.host} sent invalid JSON (Unexpected end of JSON input)`);
    expect(loaded.failures[0]!.kind).toBe('invalid-response');
  });

  it('an HTML page instead of JSON (a proxy login page)', async () => {
    server.fail({path: '/threads/thread_a/runs', failure: {html: '<html><body>Sign in</body></html>'}});
    const loaded = await load();
    expect(onlyMessage(loaded)).toBe(`listing the runs of thread thread_a: ${server.host} answered HTTP 200 with content-type text/html instead of JSON`);
  });

  it('a list without a data array', async () => {
    server.fail({path: '/threads/thread_a/runs', failure: {status: 200, body: {object: 'list', data: {}}}});
    expect(onlyMessage(await load())).toBe(`listing the runs of thread thread_a: ${server.host} answered without a "data" array`);
  });

  it('a header taken from an unset env variable', async () => {
    const loaded = await load({connection: {headers: {'X-Token': 'env:MISSING_TOKEN'}}});
    expect(onlyMessage(loaded)).toBe('header X-Token takes its value from the environment variable MISSING_TOKEN, which is not set');
  });

  it('a bad base URL', async () => {
    const loaded = await load({connection: {baseUrl: 'ftp://example.com'}});
    expect(onlyMessage(loaded)).toBe("the base URL 'ftp://example.com' must start with http:// or https://");
  });

  it('the SDK logs nothing, even with OPENAI_LOG=debug', async () => {
    const previous = process.env['OPENAI_LOG'];
    process.env['OPENAI_LOG'] = 'debug';
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => undefined));
    try {
      server.fail({path: '/threads/thread_a/runs', times: 1, failure: {status: 500}});
      await load({connection: {maxRetries: 1, headers: {'X-Custom-Secret': 'env:CUSTOM'}}, env: {OPENAI_API_KEY: CANARY, CUSTOM: 'custom-secret-value'}});
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
      if (previous === undefined) delete process.env['OPENAI_LOG'];
      else process.env['OPENAI_LOG'] = previous;
    }
  });

  it('the session and its errors do not carry the key', async () => {
    const api = createAssistantsApi({baseUrl: server.baseUrl, maxRetries: 0}, {OPENAI_API_KEY: 'sk-canary-other-1'});
    seen.push(inspect(api, {depth: 10, showHidden: true}), JSON.stringify(api));
    expect(inspect(api, {depth: 10, showHidden: true})).not.toContain('sk-canary-other-1');
    const error = await rejection(api.cancelRun('thread_a', 'run_x'));
    const text = inspect(error, {depth: 10, showHidden: true});
    seen.push(text);
    expect(text).not.toContain('sk-canary-other-1');
    expect((error as Error).message).toBe(
      `cancelling run run_x: ${server.host} rejected the API key in OPENAI_API_KEY (HTTP 401) (server: Incorrect API key provided: ***. You can find your API key at https://platform.openai.com/account/api-keys.)`,
    );
  });

  it('describeApiError never repeats the key, whatever the SDK error holds', () => {
    const connection = createApiClient({baseUrl: server.baseUrl}, {OPENAI_API_KEY: CANARY}).connection;
    const errors = [
      new APIError(400, {message: `bad key ${CANARY}`}, undefined, new Headers()),
      new APIError(418, undefined, `${CANARY} teapot`, new Headers()),
      new Error(`boom ${CANARY}`),
      new SyntaxError(`Unexpected token 's', "${CANARY}" is not valid JSON`),
      `plain ${CANARY}`,
    ];
    for (const error of errors) {
      const message = describeApiError(error, {operation: 'list-runs', threadId: 'thread_a', connection, secrets: [CANARY]});
      seen.push(message);
      expect(message).not.toContain(CANARY);
      expect(message).not.toContain('\n');
    }
    // Even without being told the secret, key-shaped text is masked.
    expect(redactSecrets(`key ${CANARY} and Bearer abc.def`)).toBe('key sk-*** and Bearer ***');
  });
});

describe('submit and cancel errors', () => {
  it('400 when the run does not wait for outputs, or has ended', async () => {
    server.addRuns('thread_a', [makeRun('thread_a', 0)]);
    const api = createAssistantsApi({baseUrl: server.baseUrl, maxRetries: 0}, {OPENAI_API_KEY: CANARY});
    const submit = await rejection(api.submitToolOutputs('thread_a', 'run_a_0000', [{tool_call_id: 'call_1', output: 'x'}]));
    expect(submit.message).toBe(
      `submitting tool outputs to run run_a_0000: ${server.host} refused the request (HTTP 400) (server: Runs in status "completed" do not accept tool outputs.)`,
    );
    expect(submit).toMatchObject({kind: 'bad-request', status: 400});
    const cancel = await rejection(api.cancelRun('thread_a', 'run_a_0000'));
    expect(cancel.message).toBe(
      `cancelling run run_a_0000: ${server.host} refused the request (HTTP 400) (server: Cannot cancel run with status 'completed'.)`,
    );
    seen.push(submit.message, cancel.message);
  });

  it('404 names the run and the thread', async () => {
    server.addRuns('thread_a', [makeRun('thread_a', 0)]);
    const api = createAssistantsApi({baseUrl: server.baseUrl, maxRetries: 0}, {OPENAI_API_KEY: CANARY});
    const error = await rejection(api.cancelRun('thread_a', 'run_nope'));
    expect(error.message).toBe(`cancelling run run_nope: run run_nope not found in thread thread_a at ${server.host} (HTTP 404)`);
    const steps = await rejection(api.loadRunSteps('thread_zzz', 'run_nope'));
    expect(steps.message).toBe(`listing the steps of run run_nope: thread thread_zzz not found at ${server.host} (HTTP 404)`);
  });

  it('submit is not retried (a retry after a lost answer would submit twice)', async () => {
    server.addRuns('thread_a', [makeRun('thread_a', 0, {status: 'requires_action'})]);
    server.fail({method: 'POST', path: /submit_tool_outputs$/, failure: {status: 500}});
    const api = createAssistantsApi({baseUrl: server.baseUrl, maxRetries: 2}, {OPENAI_API_KEY: CANARY});
    const error = await rejection(api.submitToolOutputs('thread_a', 'run_a_0000', [{tool_call_id: 'call_1', output: 'x'}]));
    expect(error).toMatchObject({kind: 'server', status: 500});
    expect(error.message).toBe(`submitting tool outputs to run run_a_0000: server error at ${server.host} (HTTP 500) (server: fake failure 500)`);
    expect(server.requestsTo(/submit_tool_outputs$/, 'POST')).toHaveLength(1);
  });
});
