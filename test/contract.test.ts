/**
 * Contract test: runlens against a mock served by Prism from the published OpenAI spec
 * (../shared/openai-openapi.yaml beside the repository, as on CI).
 *
 * Prism answers 422 to any request that breaks the spec (a missing required field, a query
 * parameter of the wrong type), so a request of ours that is not answered 422 conforms to it; a
 * deliberately malformed request proves that the check is live. Its answers are the schema's
 * placeholders (ids "string", timestamps 0, a queued run with a required_action), which runlens
 * must show without crashing. Prism does not know our path parameters: it answers every run id
 * with the run "string".
 *
 * One Prism for the whole file: it takes about 12 s to read the spec (30 s and more on a loaded
 * 2-core machine), so its set-up (usePrismSuite) polls it for up to 90 s. It runs in a process group of its own,
 * killed whole in afterAll.
 */
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {createAssistantsApi, type AssistantsApi} from '../src/sources/api/assistantsApi.js';
import type {ToolOutput} from '../src/triage/unstick.js';
import {OutputCollector as Collect} from './helpers/outputCollector.js';
import {usePrismSuite, type Exchange} from './helpers/prism.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SPEC = path.resolve(REPO_ROOT, '../shared/openai-openapi.yaml');
const HAVE_SPEC = existsSync(SPEC);
if (!HAVE_SPEC) console.warn(`contract tests skipped: the published spec is not at ${SPEC} (CI keeps a copy of shared/ beside the repository)`);

const KEY = 'sk-contract-test-key';
const THREAD = 'thread_contract';
const NOW = Date.parse('2026-11-25T12:00:00Z');

describe.skipIf(!HAVE_SPEC)('contract: runlens against a Prism mock of the published OpenAI spec', () => {
  const mock = usePrismSuite({spec: SPEC, probe: {path: `/threads/${THREAD}/runs`, headers: {Authorization: `Bearer ${KEY}`, 'OpenAI-Beta': 'assistants=v2'}}, tempPrefix: 'runlens-contract-'});
  /** The exchanges made while `action` ran. */
  const recorded = mock.recorded;

  function expectConforming(made: Exchange[], expected: Array<[string, RegExp]>) {
    expect(made.map(({method, path: requestPath}) => [method, requestPath])).toEqual(
      expected.map(([method, pattern]) => [method, expect.stringMatching(pattern)]),
    );
    // 422 would mean the request broke the spec; anything but 2xx would be a failure of ours.
    for (const exchange of made) {
      expect(exchange.status, `${exchange.method} ${exchange.path}: ${exchange.body ?? ''}`).not.toBe(422);
      expect(exchange.status, `${exchange.method} ${exchange.path}: ${exchange.body ?? ''}`).toBeGreaterThanOrEqual(200);
      expect(exchange.status).toBeLessThan(300);
    }
  }

  async function cli(argv: string[]) {
    const stdout = new Collect();
    const stderr = new Collect();
    const stdin = Object.assign(new PassThrough(), {isTTY: true});
    const code = await runCli({argv, env: {OPENAI_API_KEY: KEY, RUNLENS_CONFIG_DIR: mock.dir}, stdin, stdout, stderr, now: () => NOW});
    return {code, stdout: stdout.text, stderr: stderr.text};
  }

  let api: AssistantsApi;
  beforeAll(() => {
    api = createAssistantsApi({baseUrl: mock.baseUrl, maxRetries: 0}, {OPENAI_API_KEY: KEY});
  });

  describe('runlens list and show (the CLI)', () => {
    it('list --thread: a conforming request, and the placeholder run printed', async () => {
      const {result, made} = await recorded(() => cli(['list', '--thread', THREAD, '--base-url', mock.baseUrl, '--max-retries', '0']));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expectConforming(made, [['GET', new RegExp(`^/threads/${THREAD}/runs\\?(?=.*\\blimit=100\\b)(?=.*\\border=desc\\b)`)]]);
      const rows = result.stdout.trim().split('\n').map((line) => line.split('\t'));
      expect(rows).toHaveLength(1);
      // id, status, model, thread, created (timestamp 0 is 1970), …
      expect(rows[0]!.slice(0, 5)).toEqual(['string', 'queued', 'string', 'string', '1970-01-01T00:00:00Z']);
    });

    it('list --json: the run object as the mock sent it', async () => {
      const result = await cli(['list', '--json', '--thread', THREAD, '--base-url', mock.baseUrl, '--max-retries', '0']);
      expect(result.code).toBe(0);
      const runs = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({id: 'string', object: 'thread.run', status: 'queued', required_action: {type: 'submit_tool_outputs'}});
    });

    it('show: every pane of the placeholder run, its odd required_action checked, without crashing', async () => {
      const {result, made} = await recorded(() => cli(['show', 'string', '--thread', THREAD, '--base-url', mock.baseUrl, '--max-retries', '0']));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      // Then its steps and its thread's messages, for the Conversation (the mock's run names thread "string").
      expectConforming(made, [
        ['GET', new RegExp(`^/threads/${THREAD}/runs/string$`)],
        ['GET', /^\/threads\/string\/runs\/string\/steps\?(?=.*\border=asc\b)/],
        ['GET', /^\/threads\/string\/messages\?(?=.*\border=asc\b)/],
      ]);
      for (const pane of ['── Overview', '── Required action', '── Raw JSON', '── Conversation']) expect(result.stdout).toContain(pane);
      // A queued run with a required_action whose call names an undeclared function with arguments that are no JSON.
      expect(result.stdout).toContain('✗ known function');
      // The request for the server the run came from: its base URL, not the path alone.
      expect(result.stdout).toContain(`POST ${mock.baseUrl}/threads/string/runs/string/submit_tool_outputs`);
      expect(result.stdout).toContain('1970-01-01');
    });

    it('show with another id: the request conforms, and the mock answering run "string" is "not found" (exit 1)', async () => {
      const {result, made} = await recorded(() => cli(['show', 'run_abc123', '--thread', THREAD, '--base-url', mock.baseUrl, '--max-retries', '0']));
      expectConforming(made, [['GET', new RegExp(`^/threads/${THREAD}/runs/run_abc123$`)]]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("no run with id 'run_abc123'");
    });

    it('stuck --include-stalled over the placeholder run (timestamps 0) does not crash', async () => {
      const result = await cli(['stuck', '--include-stalled', '--thread', THREAD, '--base-url', mock.baseUrl, '--max-retries', '0']);
      expect(result.code).toBe(0);
      expect(result.stdout.split('\t')[0]).toBe('string');
    });
  });

  describe('the API session (createAssistantsApi)', () => {
    it('listRuns and retrieveRun', async () => {
      const {result, made} = await recorded(async () => [await api.listRuns(THREAD), await api.retrieveRun(THREAD, 'run_abc123')] as const);
      expectConforming(made, [
        ['GET', new RegExp(`^/threads/${THREAD}/runs\\?`)],
        ['GET', new RegExp(`^/threads/${THREAD}/runs/run_abc123$`)],
      ]);
      const [listed, retrieved] = result;
      expect(listed.runs.map((run) => `${run.id}:${run.status}`)).toEqual(['string:queued']);
      expect(listed.truncated).toBe(false);
      expect(retrieved.runs[0]?.requiredAction?.toolCalls.map((call) => call.functionName)).toEqual(['string']);
    });

    it('loadRunSteps', async () => {
      const {result, made} = await recorded(() => api.loadRunSteps(THREAD, 'run_abc123'));
      expectConforming(made, [['GET', new RegExp(`^/threads/${THREAD}/runs/run_abc123/steps\\?(?=.*\\border=asc\\b)`)]]);
      expect(result.steps.length).toBeGreaterThan(0);
    });

    it('loadThreadMessages', async () => {
      const {result, made} = await recorded(() => api.loadThreadMessages(THREAD));
      expectConforming(made, [['GET', new RegExp(`^/threads/${THREAD}/messages\\?(?=.*\\border=asc\\b)`)]]);
      expect(result.messages.length).toBeGreaterThan(0);
      expect(result.messages[0]!.source?.kind).toBe('api');
    });

    it('submitToolOutputs sends a body the spec accepts', async () => {
      // Prism answers every run id with the run "string"; a reply about another run than the one
      // asked is refused, so the writes ask about "string".
      const {result, made} = await recorded(() =>
        api.submitToolOutputs(THREAD, 'string', [
          {tool_call_id: 'call_1', output: '{"temperature": 21}'},
          {tool_call_id: 'call_2', output: ''},
        ]),
      );
      expectConforming(made, [['POST', new RegExp(`^/threads/${THREAD}/runs/string/submit_tool_outputs$`)]]);
      expect(result.id).toBe('string');
      expect(result.status).toBe('queued');
    });

    it('cancelRun', async () => {
      const {result, made} = await recorded(() => api.cancelRun(THREAD, 'string'));
      expectConforming(made, [['POST', new RegExp(`^/threads/${THREAD}/runs/string/cancel$`)]]);
      expect(result.id).toBe('string');
      expect(result.raw['object']).toBe('thread.run');
    });
  });

  describe('the Responses API (--response, --conversation, the continuing request, cancel)', () => {
    const RESPONSE = 'resp_contract';
    const CONVERSATION = 'conv_contract';

    it('list --response: the response and its input items, each request conforming', async () => {
      const {result, made} = await recorded(() => cli(['list', '--json', '--response', RESPONSE, '--base-url', mock.baseUrl, '--max-retries', '0']));
      expect(result.code).toBe(0);
      expect(made.length).toBeGreaterThanOrEqual(2);
      expect(made.slice(0, 2).map(({method, path: requestPath}) => [method, requestPath])).toEqual([
        ['GET', `/responses/${RESPONSE}`],
        ['GET', expect.stringMatching(new RegExp(`^/responses/${RESPONSE}/input_items\\?(?=.*\\blimit=100\\b)(?=.*\\border=asc\\b)`))],
      ]);
      expectConforming(made, made.map(({method, path: requestPath}) => [method, new RegExp(`^${requestPath.replace(/[?.*+()[\]\\^$]/g, '\\$&')}$`)]));
      const objects = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
      expect(objects.length).toBeGreaterThan(0);
      expect(objects.every((object) => object['object'] === 'response')).toBe(true);
    });

    it('list --conversation: its items, paginated, conforming; items naming no response load no run, and say so', async () => {
      const {result, made} = await recorded(() => cli(['list', '--conversation', CONVERSATION, '--base-url', mock.baseUrl, '--max-retries', '0']));
      expect(result.stderr).toContain(`api:${CONVERSATION}/items: `);
      expect(result.stderr).toContain('give the conversation\'s responses with --response ID');
      expect(made[0]).toMatchObject({method: 'GET', path: expect.stringMatching(new RegExp(`^/conversations/${CONVERSATION}/items\\?(?=.*\\blimit=100\\b)`))});
      expectConforming(made.slice(0, 1), [['GET', new RegExp(`^/conversations/${CONVERSATION}/items\\?`)]]);
    });

    it('the continuing request (previous_response_id and function_call_output items) and cancel conform', async () => {
      const {ResponsesApi} = await import('../src/sources/api/responsesApi.js');
      const {normalizeResponse: normalizeRun} = await import('../src/model/response.js');
      const {continuingResponseBody} = await import('../src/triage/unstick.js');
      const [waitingRaw] = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/responses/waiting-chain.json'), 'utf8')) as Array<Record<string, unknown>>;
      const waiting = normalizeRun(waitingRaw!, {file: 'waiting-chain.json'});
      const body = continuingResponseBody(waiting, [{tool_call_id: 'call_rome', output: '{"temperature":21}'}, {tool_call_id: 'call_oslo', output: '{"temperature":3}'}])!;
      const session = ResponsesApi.create({baseUrl: mock.baseUrl, maxRetries: 0}, {OPENAI_API_KEY: KEY});
      const {result, made} = await recorded(async () => [await session.createContinuing(waiting, body), await session.cancel(RESPONSE)] as const);
      expectConforming(made, [
        ['POST', /^\/responses$/],
        ['POST', new RegExp(`^/responses/${RESPONSE}/cancel$`)],
      ]);
      expect(result.map((run) => run.kind)).toEqual(['response', 'response']);
    });

    it('submit resp_…: the response retrieved (conforming), and refused as the mock answers one that waits for nothing', async () => {
      const {result, made} = await recorded(() => cli(['submit', RESPONSE, '--output', 'call_x=1', '--base-url', mock.baseUrl, '--max-retries', '0']));
      expectConforming(made, [['GET', new RegExp(`^/responses/${RESPONSE}$`)]]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/not requires_action; nothing submitted/);
    });

    it('Prism refuses a continuing request with fields of the wrong type: the check is live for responses too', async () => {
      const headers = {Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json'};
      const response = await fetch(`${mock.prismUrl}/responses`, {method: 'POST', headers, body: JSON.stringify({model: 'gpt-4.1', previous_response_id: 42, temperature: 'hot', input: [{type: 'function_call_output', output: 'x'}]})});
      expect(response.status).toBe(422);
      await response.body?.cancel();
    });
  });

  describe('the check is live: Prism refuses what breaks the spec with 422', () => {
    const headers = {Authorization: `Bearer ${KEY}`, 'OpenAI-Beta': 'assistants=v2', 'Content-Type': 'application/json'};

    it('a submit_tool_outputs body without tool_outputs', async () => {
      const response = await fetch(`${mock.prismUrl}/threads/${THREAD}/runs/run_abc123/submit_tool_outputs`, {method: 'POST', headers, body: JSON.stringify({outputs: []})});
      expect(response.status).toBe(422);
      const problem = (await response.json()) as {validation?: Array<{message: string}>};
      expect(problem.validation?.map((entry) => entry.message).join('\n')).toMatch(/tool_outputs/);
    });

    it('a list query whose limit is not an integer', async () => {
      const response = await fetch(`${mock.prismUrl}/threads/${THREAD}/runs?limit=many`, {headers});
      expect(response.status).toBe(422);
      await response.body?.cancel();
    });

    it('through the API session, a refused request is an error naming the status', async () => {
      // A tool_call_id that is no string, which only a caller ignoring the types could send: it
      // shows that a 422 from the mock surfaces, so the checks above mean something.
      const outputs = [{tool_call_id: 42, output: 'x'}] as unknown as ToolOutput[];
      const {made} = await recorded(() => expect(api.submitToolOutputs(THREAD, 'run_abc123', outputs)).rejects.toMatchObject({status: 422, kind: 'bad-request', message: expect.stringContaining('422')}));
      expect(made.map((exchange) => exchange.status)).toEqual([422]);
      expect(made[0]!.body).toMatch(/tool_call_id/);
    });
  });
});
