import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {normalizeResponse as normalizeRun, normalizeResponseItem} from '../src/model/response.js';
import {settleResponses} from '../src/model/responseWaits.js';
import type {Run} from '../src/model/run.js';
import {isStalled} from '../src/model/runFacts.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {checkToolCalls} from '../src/triage/toolCallChecks.js';
import {findStuckRuns} from '../src/triage/stuck.js';
import {continuingResponseBody, continuingResponseCurl, unstickRequest} from '../src/triage/unstick.js';

const FIXTURES = 'test/fixtures/responses';
const read = (name: string): unknown => JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8'));
const chain = () => (read('waiting-chain.json') as Array<Record<string, unknown>>).map((raw, index) => normalizeRun(raw, {file: 'waiting-chain.json', line: index + 1}));
const byId = (runs: readonly Run[], id: string) => runs.find((run) => run.id === id)!;

describe('a response read as a run', () => {
  it('maps the response fields onto the run, and keeps the object whole in raw', () => {
    const run = normalizeRun(read('conversation-waiting.json') as Record<string, unknown>, {file: 'c.json'});
    expect(run.kind).toBe('response');
    expect(run.model).toBe('gpt-4.1-2025-04-14');
    expect(run.createdAt).toBe(1796249100);
    expect(run.completedAt).toBe(1796249102);
    expect(run.usage).toEqual({promptTokens: 328, completionTokens: 52, totalTokens: 380, cachedTokens: 128, reasoningTokens: 0});
    expect(run.instructions).toBe('You are a weather assistant.');
    expect(run.response).toMatchObject({apiStatus: 'completed', background: false, serviceTier: 'default', previousResponseId: null, conversationId: 'conv_689667905b048191b4740501625afd940c7533ace33a2dab'});
    expect(run.tools.map((tool) => [tool.type, tool.name, tool.strict])).toEqual([
      ['function', 'get_weather', true],
      ['web_search_preview', null, false],
    ]);
    expect(run.raw['status']).toBe('completed');
    expect(run.problems).toEqual([]);
  });

  it('waits for its function calls and approval requests: requires_action, with the calls in output order', () => {
    const run = normalizeRun(read('conversation-waiting.json') as Record<string, unknown>, {file: 'c.json'});
    expect(run.status).toBe('requires_action');
    expect(run.requiredAction).toEqual({
      type: 'function_call_output',
      toolCalls: [
        {id: 'call_lisbon', type: 'function', functionName: 'get_weather', arguments: '{"city":"Lisbon","unit":"c"}'},
        {id: 'mcpr_31', type: 'mcp_approval_request', functionName: 'ask_question', arguments: '{"repoName":"openai/codex","question":"What is it?"}'},
      ],
    });
  });

  it('reads failed, incomplete and queued responses with their error, reason and background flag', () => {
    const list = read('other-states.json') as {data: Array<Record<string, unknown>>};
    const [queued, failed, incomplete] = list.data.map((raw) => normalizeRun(raw, {file: 'o.json'}));
    expect(queued!.status).toBe('queued');
    expect(queued!.response!.background).toBe(true);
    expect(failed!.lastError).toEqual({code: 'server_error', message: 'The server had an error while processing your request.'});
    expect(incomplete!.incompleteReason).toBe('max_output_tokens');
    expect(incomplete!.response!.output.map((item) => item.text)).toEqual(['The forecast for the next ten days is']);
    expect(incomplete!.requiredAction).toBeNull();
  });

  it('normalizes output items of every kind in order, messages with their text and reasoning with its summary', () => {
    const run = byId(chain(), 'resp_02chainwaits');
    expect(run.response!.output.map((item) => [item.type, item.text ?? item.summary?.join(' ') ?? item.callId])).toEqual([
      ['reasoning', 'Two cities left to look up.'],
      ['message', 'Paris is 14 °C. Looking up the others.'],
      ['function_call', 'call_rome'],
      ['function_call', 'call_oslo'],
    ]);
  });

  it('reports a field of the wrong type by its path and still reads the rest', () => {
    const raw = {...(read('conversation-waiting.json') as Record<string, unknown>), created_at: 'yesterday', output: [{type: 'function_call', call_id: 42, name: 'get_weather', arguments: '{}'}, null]};
    const run = normalizeRun(raw, {file: 'c.json'});
    expect(run.problems.map((problem) => problem.field)).toEqual(['output.0.call_id', 'output.1', 'created_at']);
    expect(run.model).toBe('gpt-4.1-2025-04-14');
    expect(run.response!.output).toHaveLength(1);
  });
});

describe('waiting for tool outputs across what was loaded', () => {
  it('a response continued by a later one of its chain no longer waits; the last one of the chain does', () => {
    const settled = settleResponses(chain());
    expect(byId(settled, 'resp_01chainstart')).toMatchObject({status: 'completed', requiredAction: null});
    expect(byId(settled, 'resp_01chainstart').response!.answeredBy).toBe('continued by resp_02chainwaits');
    expect(byId(settled, 'resp_02chainwaits').status).toBe('requires_action');
    expect(byId(settled, 'resp_02chainwaits').requiredAction!.toolCalls.map((call) => call.id)).toEqual(['call_rome', 'call_oslo']);
  });

  it('a response naming itself as its previous one still waits', () => {
    const [waiting] = chain();
    const selfish = normalizeRun({...waiting!.raw, previous_response_id: 'resp_02chainwaits'}, {file: 'x.json'});
    expect(settleResponses([selfish])[0]!.status).toBe('requires_action');
  });

  it('a failed later response proves nothing: the call still waits', () => {
    const [waiting, first] = chain();
    const failedNext = normalizeRun({...waiting!.raw, id: 'resp_03failed', status: 'failed', output: [], error: {code: 'server_error', message: 'boom'}}, {file: 'x.json'});
    expect(byId(settleResponses([first!, failedNext]), 'resp_01chainstart').status).toBe('requires_action');
  });

  it('a function_call_output among conversation items answers its call; an approval still waits until answered', () => {
    const run = normalizeRun(read('conversation-waiting.json') as Record<string, unknown>, {file: 'c.json'});
    const items = (read('conversation-items.json') as {data: Array<Record<string, unknown>>}).data.map((raw, index) => normalizeResponseItem(raw, {file: 'items.json'}, `item ${index}`));
    const [partly] = settleResponses([run], items);
    expect(partly!.status).toBe('requires_action');
    expect(partly!.requiredAction!.toolCalls.map((call) => call.id)).toEqual(['mcpr_31']);
    const [answered] = settleResponses([run], [...items, {type: 'mcp_approval_response', id: null, status: null, approvalRequestId: 'mcpr_31', approve: true}]);
    expect(answered).toMatchObject({status: 'completed', requiredAction: null});
  });

  it('loading the chain saved newest first settles the older response, in every load', async () => {
    const loaded = await loadRunsFromSources([`${FIXTURES}/waiting-chain.json`, `${FIXTURES}/answered-chain.jsonl`]);
    expect(loaded.runs.map((run) => [run.id, run.status])).toEqual([
      ['resp_02chainwaits', 'requires_action'],
      ['resp_01chainstart', 'completed'],
      ['resp_11answered', 'completed'],
      ['resp_12final', 'completed'],
    ]);
    expect(loaded.warnings).toEqual([]);
  });
});

describe('triage of a waiting response', () => {
  it('checks its calls against the flat function tools, strictly for a strict function', () => {
    const reports = checkToolCalls(byId(settleResponses(chain()), 'resp_02chainwaits'));
    expect(reports.map((report) => [report.call.id, report.ok])).toEqual([
      ['call_rome', true],
      ['call_oslo', false],
    ]);
    expect(reports[1]!.checks[2]!.details.join(' ')).toMatch(/unit/);
  });

  it('does not check approval requests as function calls', () => {
    const run = normalizeRun(read('conversation-waiting.json') as Record<string, unknown>, {file: 'c.json'});
    expect(checkToolCalls(run).map((report) => report.call.id)).toEqual(['call_lisbon']);
  });

  it('lists a waiting response in stuck, and a background response queued too long as stalled', () => {
    const list = read('other-states.json') as {data: Array<Record<string, unknown>>};
    const runs = [...settleResponses(chain()), ...list.data.map((raw) => normalizeRun(raw, {file: 'o.json'}))];
    const now = 1796248000 + 3600;
    expect(isStalled(byId(runs, 'resp_21background'), now)).toBe(true);
    const stuck = findStuckRuns(runs, now, {includeStalled: true});
    expect(stuck.map((entry) => [entry.run.id, entry.kind])).toEqual([
      ['resp_21background', 'stalled'],
      ['resp_02chainwaits', 'waiting'],
    ]);
    expect(stuck[1]!.pendingFunctions).toEqual(['get_weather', 'get_weather']);
  });

  it('builds the continuing request: previous_response_id, one function_call_output per call, the tools again', () => {
    const run = byId(settleResponses(chain()), 'resp_02chainwaits');
    const body = continuingResponseBody(run)!;
    expect(body.previous_response_id).toBe('resp_02chainwaits');
    expect(body.model).toBe('gpt-4.1-2025-04-14');
    expect(body.input).toEqual([
      {type: 'function_call_output', call_id: 'call_rome', output: ''},
      {type: 'function_call_output', call_id: 'call_oslo', output: ''},
    ]);
    expect(body.tools).toHaveLength(2);
    expect(unstickRequest(run)).toMatchObject({path: '/responses', label: 'the continuing response request'});
    expect(continuingResponseCurl(run)).toMatch(/^curl 'https:\/\/api\.openai\.com\/v1\/responses' -H "Authorization: Bearer \$OPENAI_API_KEY" -H "Content-Type: application\/json" -d '\{/);
  });

  it('continues a response in a conversation through the conversation, approvals denied until the user says otherwise', () => {
    const run = normalizeRun(read('conversation-waiting.json') as Record<string, unknown>, {file: 'c.json'});
    const body = continuingResponseBody(run)!;
    expect(body.previous_response_id).toBeUndefined();
    expect(body.conversation).toBe('conv_689667905b048191b4740501625afd940c7533ace33a2dab');
    expect(body.input[1]).toEqual({type: 'mcp_approval_response', approval_request_id: 'mcpr_31', approve: false});
    expect(continuingResponseBody(byId(settleResponses(chain()), 'resp_01chainstart'))).toBeNull();
  });
});

describe('Responses stream transcripts', () => {
  it('puts a streamed response back together from its events; the completed state wins and its call waits', async () => {
    const loaded = await loadRunsFromSources([`${FIXTURES}/stream-waiting.sse`]);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.runs).toHaveLength(1);
    const run = loaded.runs[0]!;
    expect(run).toMatchObject({id: 'resp_51streamed', kind: 'response', status: 'requires_action', completedAt: 1796249503});
    expect(run.source).toEqual({file: `${FIXTURES}/stream-waiting.sse`, line: 41});
    expect(run.requiredAction!.toolCalls).toEqual([{id: 'call_madrid', type: 'function', functionName: 'get_weather', arguments: '{"city":"Madrid","unit":"c"}'}]);
    expect(run.usage!.totalTokens).toBe(110);
  });

  it('reads a stream cut short, without event lines and out of order, from its deltas by sequence number', async () => {
    const loaded = await loadRunsFromSources([`${FIXTURES}/stream-cut-short.txt`]);
    expect(loaded.warnings).toEqual([]);
    const run = loaded.runs[0]!;
    expect(run).toMatchObject({id: 'resp_52cutshort', status: 'in_progress', requiredAction: null});
    expect(run.response!.output.map((item) => [item.type, item.text ?? item.arguments])).toEqual([
      ['message', 'Checking Madrid.'],
      ['function_call', '{"city":"Madrid","unit":"c"}'],
    ]);
  });

  it('reads a stream piped in under any name by its first data line', async () => {
    const text = readFileSync(`${FIXTURES}/stream-cut-short.txt`, 'utf8');
    const {Readable} = await import('node:stream');
    const loaded = await loadRunsFromSources(['-'], {stdin: Readable.from([text])});
    expect(loaded.runs.map((run) => run.id)).toEqual(['resp_52cutshort']);
  });
});

describe('item lists from files', () => {
  it("a conversation's items answer the calls of its response, in either order, and are no 'not a run' warnings", async () => {
    for (const order of [['conversation-waiting.json', 'conversation-items.json'], ['conversation-items.json', 'conversation-waiting.json']]) {
      const loaded = await loadRunsFromSources(order.map((name) => `${FIXTURES}/${name}`));
      expect(loaded.warnings).toEqual([]);
      expect(loaded.runs.map((run) => [run.id, run.status])).toEqual([['resp_31conversation', 'requires_action']]);
      expect(loaded.runs[0]!.requiredAction!.toolCalls.map((call) => call.id)).toEqual(['mcpr_31']);
    }
  });

  it('an item of the wrong shape is a warning naming its place; the rest still answer', async () => {
    const {mkdtempSync, writeFileSync} = await import('node:fs');
    const {tmpdir} = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/runlens-items-`);
    const items = read('conversation-items.json') as {data: Array<Record<string, unknown>>};
    items.data.unshift({type: 'function_call', id: 'fc_x', call_id: 7, name: 'get_weather', arguments: '{}'});
    writeFileSync(`${dir}/items.json`, JSON.stringify(items));
    const loaded = await loadRunsFromSources([`${FIXTURES}/conversation-waiting.json`, `${dir}/items.json`]);
    expect(loaded.warnings).toEqual([{location: `${dir}/items.json`, message: 'item fc_x: field call_id: Invalid input: expected string'}]);
    expect(loaded.runs[0]!.requiredAction!.toolCalls.map((call) => call.id)).toEqual(['mcpr_31']);
  });
});

describe('print mode over responses (runCli)', () => {
  async function cli(argv: string[], stdinText?: string) {
    const {runCli} = await import('../src/cli/main.js');
    const {OutputCollector} = await import('./helpers/outputCollector.js');
    const {Readable} = await import('node:stream');
    const stdout = new OutputCollector(false, undefined);
    const stderr = new OutputCollector(false, undefined);
    const stdin = Object.assign(Readable.from(stdinText === undefined ? [] : [Buffer.from(stdinText)]), {isTTY: stdinText === undefined});
    const code = await runCli({argv, env: {RUNLENS_NOW: '2026-12-02T22:30:00Z'}, stdin, stdout, stderr, now: () => Date.parse('2026-12-02T22:30:00Z')});
    return {code, stdout: stdout.text, stderr: stderr.text};
  }

  it('streaming list of JSON Lines answers a response by a later line of its chain or by an item line', async () => {
    const conversation = JSON.stringify(read('conversation-waiting.json'));
    const answer = JSON.stringify({type: 'function_call_output', call_id: 'call_lisbon', output: '19'});
    const approval = JSON.stringify({type: 'mcp_approval_response', approval_request_id: 'mcpr_31', approve: true});
    const chain = readFileSync(`${FIXTURES}/answered-chain.jsonl`, 'utf8');
    const result = await cli(['list', '-'], `${conversation}\n${answer}\n${approval}\n${chain}`);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n').map((line) => line.split('\t')).map((fields) => [fields[0], fields[1], fields[10]])).toEqual([
      ['resp_31conversation', 'completed', 'response'],
      ['resp_11answered', 'completed', 'response'],
      ['resp_12final', 'completed', 'response'],
    ]);
  });

  it('diff of an example run and the response that replaced it: a migration check naming only what moved', async () => {
    const result = await cli(['diff', 'run_wHusDjuFqvKQ3sDZ0rwv2Vhk', 'resp_6920f1aa11bb22cc33dd44ee55ff6688', 'examples', '--json']);
    expect(result.code).toBe(1);
    const diff = JSON.parse(result.stdout) as {same: boolean; differences: Array<{section: string; field: string; a: string; b: string; measured: boolean}>; instructions: {same: boolean}};
    expect(diff.instructions.same).toBe(true);
    expect(diff.differences.filter((entry) => !entry.measured).map(({section, field, a, b}) => [section, field, a, b])).toEqual([
      ['settings', 'model', 'gpt-4o', 'gpt-4o-2024-11-20'],
      ['settings', 'response_format', 'auto', 'text'],
    ]);
  });

  it('stuck --exit-status exits 8 for a waiting response and names its calls', async () => {
    const result = await cli(['stuck', `${FIXTURES}/waiting-chain.json`, '--exit-status', '--json']);
    expect(result.code).toBe(8);
    const stuck = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(stuck.map((entry) => [entry['id'], entry['kind'], entry['pending_functions']])).toEqual([['resp_02chainwaits', 'response', ['get_weather', 'get_weather']]]);
    expect((stuck[0]!['continuing_request'] as {previous_response_id: string}).previous_response_id).toBe('resp_02chainwaits');
  });
});

describe('the thread view groups responses', () => {
  it('by conversation, else by previous_response_id chain, the waiting one marked', async () => {
    const {groupRunsByThread, threadsPane} = await import('../src/stats/threads.js');
    const loaded = await loadRunsFromSources([`${FIXTURES}/waiting-chain.json`, `${FIXTURES}/answered-chain.jsonl`, `${FIXTURES}/conversation-waiting.json`]);
    const groups = groupRunsByThread(loaded.runs);
    expect(groups.map((group) => [group.kind, group.threadId, group.runs.map((run) => run.id)])).toEqual([
      ['conversation', 'conversation conv_689667905b048191b4740501625afd940c7533ace33a2dab', ['resp_31conversation']],
      ['chain', 'chain resp_11answered', ['resp_12final', 'resp_11answered']],
      ['chain', 'chain resp_01chainstart', ['resp_02chainwaits', 'resp_01chainstart']],
    ]);
    const pane = threadsPane(loaded.runs, {width: 120, nowSeconds: 1796250000});
    const text = pane.flatMap((block) => (block.kind === 'lines' ? block.lines : [])).map((line) => line.map((segment) => segment.text).join('')).join('\n');
    expect(text).toContain('chain from resp_01chainstart  2 responses  waits for tool outputs: resp_02chainwaits');
    expect(text).toMatch(/▶ +! +resp_02chainwaits/);
    expect(text).toContain('0 threads  none locked');
  });
});

describe('the terminal UI actions on a response', () => {
  it('c asks to cancel a response read from the API; read from a file, o and c say what they need', async () => {
    const {runActionsReducer, RESPONSE_ACTIONS_NEED_API} = await import('../src/store/runActions.js');
    const waiting = byId(settleResponses(chain()), 'resp_02chainwaits');
    const state = {canAct: true, confirm: null, actionInFlight: null, flash: null};
    const fromApi = runActionsReducer(state, {type: 'askCancel', run: {...waiting, source: {kind: 'api', file: 'api:resp_02chainwaits'}}});
    // The action carries the response's kind, so the app routes it by what it is (not by its id).
    expect(fromApi.state.confirm).toEqual({kind: 'cancel', runId: 'resp_02chainwaits', threadId: '', runKind: 'response', body: null});
    const fromFile = runActionsReducer(state, {type: 'askCancel', run: waiting});
    expect(fromFile.effects).toEqual([]);
    expect(fromFile.state.flash).toBe(RESPONSE_ACTIONS_NEED_API);
    expect(fromFile.state.confirm).toBeNull();
  });

  it('the output form opens on a waiting response, and its review is the continuing POST /responses', async () => {
    const {openOutputForm, outputFormBody} = await import('../src/store/outputForm.js');
    const {outputReviewLines} = await import('../src/panes/outputReview.js');
    const waiting = byId(settleResponses(chain()), 'resp_02chainwaits');
    const form = openOutputForm(waiting);
    if (typeof form === 'string') throw new Error(form);
    expect(form.calls.map((call) => call.id)).toEqual(['call_rome', 'call_oslo']);
    const filled = {...form, values: ['{"t":21}', '{"t":3}']};
    const text = outputReviewLines({runId: form.runId, threadId: form.threadId, body: outputFormBody(filled), baseUrl: 'http://127.0.0.1:4010/v1', response: waiting})
      .map((line) => line.map((segment) => segment.text).join(''))
      .join('\n');
    expect(text).toContain('POST http://127.0.0.1:4010/v1/responses');
    expect(text).toContain('"previous_response_id": "resp_02chainwaits"');
    expect(text).toContain('"call_id": "call_oslo"');
    expect(text).toContain('"output": "{\\"t\\":3}"');
    expect(openOutputForm(byId(settleResponses(chain()), 'resp_01chainstart'))).toMatch(/resp_01chainstart is completed: only a run in requires_action takes tool outputs/);
  });
});

describe('the kinds table', () => {
  it('reads a response by its object, and an input or conversation item by its type, beside the runs', async () => {
    const {itemKindOf} = await import('../src/model/itemKinds.js');
    expect(itemKindOf(read('conversation-waiting.json'))).toMatchObject({key: 'runs', noun: 'response'});
    expect(itemKindOf({type: 'function_call_output', call_id: 'call_1', output: 'x'})).toMatchObject({key: 'responseItems'});
    expect(itemKindOf({type: 'message', role: 'user', content: []})).toMatchObject({key: 'responseItems'});
    expect(itemKindOf({type: 'a_kind_nobody_knows'})).toBeNull();
    const loaded = await loadRunsFromSources([`${FIXTURES}/conversation-items.json`, `${FIXTURES}/conversation-waiting.json`]);
    expect(loaded.responseItems?.map((item) => [item.type, item.id])).toEqual([
      ['message', 'msg_40'],
      ['function_call', 'fc_31'],
      ['function_call_output', 'fco_41'],
    ]);
  });
});

describe('loadResponsesFromApi (the SDK over a stub fetch)', () => {
  const chainRaw = () => (read('waiting-chain.json') as Array<Record<string, unknown>>).map((raw) => ({...raw}));
  /** A stub server: each response by id, its input items in pages of `pageSize`; every request recorded. */
  function stub(pageSize: number, inputItems: Record<string, unknown[]>) {
    const [second, first] = chainRaw();
    const responses: Record<string, unknown> = {resp_01chainstart: first, resp_02chainwaits: second};
    const requests: string[] = [];
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), {status, headers: {'content-type': 'application/json'}});
    const fetchStub = (async (input: string | URL | Request) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      requests.push(`${url.pathname}${url.search}`);
      const items = /^\/v1\/responses\/([^/]+)\/input_items$/.exec(url.pathname);
      if (items) {
        const all = inputItems[items[1]!] ?? [];
        const after = url.searchParams.get('after');
        const start = after ? all.findIndex((item) => (item as {id: string}).id === after) + 1 : 0;
        const data = all.slice(start, start + pageSize);
        return json({object: 'list', data, first_id: null, last_id: null, has_more: start + pageSize < all.length});
      }
      const one = /^\/v1\/responses\/([^/]+)$/.exec(url.pathname);
      if (one && responses[one[1]!]) return json(responses[one[1]!]);
      return json({error: {message: 'No response found', type: 'invalid_request_error'}}, 404);
    }) as typeof fetch;
    return {fetchStub, requests};
  }

  it('reads a response, its input items page by page, and its chain back; the items settle what they answer', async () => {
    const {loadResponsesFromApi} = await import('../src/sources/api/responsesApi.js');
    const answer = [
      {type: 'message', id: 'msg_in', role: 'user', content: [{type: 'input_text', text: 'and Rome?'}]},
      {type: 'function_call_output', id: 'fco_rome', call_id: 'call_rome', output: '21'},
      {type: 'function_call_output', id: 'fco_paris', call_id: 'call_paris', output: '14'},
    ];
    const {fetchStub, requests} = stub(2, {resp_02chainwaits: answer});
    const loaded = await loadResponsesFromApi({connection: {baseUrl: 'http://127.0.0.1:9/v1', maxRetries: 0, fetch: fetchStub}, env: {OPENAI_API_KEY: 'sk-test'}, responses: ['resp_02chainwaits'], conversations: []});
    expect(loaded.failures).toEqual([]);
    expect(requests.map((request) => request.replace(/\?.*$/, (query) => (query.includes('after=') ? '?…after' : '?…')))).toEqual([
      '/v1/responses/resp_02chainwaits',
      '/v1/responses/resp_02chainwaits/input_items?…',
      '/v1/responses/resp_02chainwaits/input_items?…after',
      '/v1/responses/resp_01chainstart',
      '/v1/responses/resp_01chainstart/input_items?…',
    ]);
    expect(loaded.runs.map((run) => [run.id, run.status, run.source.kind])).toEqual([
      ['resp_02chainwaits', 'requires_action', 'api'],
      ['resp_01chainstart', 'completed', 'api'],
    ]);
    expect(byId(loaded.runs, 'resp_02chainwaits').requiredAction!.toolCalls.map((call) => call.id)).toEqual(['call_oslo']);
  });

  it('a watch tick reads only the responses not yet final; a missing one is a warning naming it', async () => {
    const {loadResponsesFromApi} = await import('../src/sources/api/responsesApi.js');
    const {fetchStub, requests} = stub(100, {});
    const known = settleResponses(chain());
    const loaded = await loadResponsesFromApi({connection: {baseUrl: 'http://127.0.0.1:9/v1', maxRetries: 0, fetch: fetchStub}, env: {OPENAI_API_KEY: 'sk-test'}, responses: ['resp_01chainstart', 'resp_missing'], conversations: [], known});
    expect(requests).toEqual(['/v1/responses/resp_missing']);
    expect(loaded.runs.map((run) => run.id)).toEqual(['resp_01chainstart']);
    expect(loaded.warnings.map((warning) => warning.location)).toEqual(['api:resp_missing']);
    expect(loaded.warnings[0]!.message).toMatch(/response resp_missing not found at 127\.0\.0\.1:9 \(HTTP 404\)/);
  });
});

describe('stats over runs and responses', () => {
  it("counts a response's input and output tokens as a run's prompt and completion tokens, per model", async () => {
    const {computeRunStats} = await import('../src/stats/runStats.js');
    const loaded = await loadRunsFromSources(['examples/weather-bot/run_single.json', 'examples/responses/waiting-chain.json']);
    const stats = computeRunStats(loaded.runs, 1796250000);
    const o4 = stats.tokens.byModel.find((entry) => entry.model === 'o4-mini-2025-04-16')!;
    expect(o4).toMatchObject({totalTokens: 786});
    const run = loaded.runs.find((candidate) => candidate.kind !== 'response')!;
    expect(stats.tokens.promptTokens).toBe(690 + 412 + run.usage!.promptTokens!);
    expect(stats.tokens.completionTokens).toBe(96 + 38 + run.usage!.completionTokens!);
  });
});

describe('a hostile stream transcript', () => {
  it('an output_index of a billion, a negative content index and non-object data still read at once, with the items in order', async () => {
    const {mkdtempSync, writeFileSync} = await import('node:fs');
    const {tmpdir} = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/runlens-stream-`);
    const base = {id: 'resp_hostile', object: 'response', created_at: 1796249500, status: 'in_progress', output: [], model: 'gpt-4.1'};
    const events = [
      {type: 'response.created', sequence_number: 0, response: base},
      {type: 'response.output_item.added', sequence_number: 1, output_index: 1e9, item: {type: 'message', id: 'msg_far', role: 'assistant', content: []}},
      {type: 'response.output_text.delta', sequence_number: 2, output_index: 1e9, content_index: -5, delta: 'far \u001b[2J away'},
      {type: 'response.output_item.added', sequence_number: 3, output_index: 0, item: {type: 'function_call', id: 'fc_near', call_id: 'call_near', name: 'f', arguments: ''}},
      {type: 'response.function_call_arguments.delta', sequence_number: 4, output_index: 0, delta: 42},
      'just a string',
    ];
    writeFileSync(`${dir}/hostile.sse`, events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join(''));
    const loaded = await loadRunsFromSources([`${dir}/hostile.sse`]);
    const run = loaded.runs[0]!;
    expect(run.response!.output.map((item) => [item.type, item.id, item.text ?? item.arguments])).toEqual([
      ['function_call', 'fc_near', ''],
      ['message', 'msg_far', 'far \u001b[2J away'],
    ]);
  });
});
