/**
 * Foundry's list of a project's responses (`GET {project}/openai/v1/responses`, filters
 * `agent_name` and `conversation_id`), against the fake server: the shared Foundry spec is the
 * Agent Service (classic) one and has no such route. `--all-responses` lists them (paginated, up
 * to `--limit`, `--agent` filtering), `--conversation` on Foundry lists the conversation's
 * responses, and a server without the list says so in one line and loads the rest.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {FakeAssistantsServer} from './fakeServer/fakeAssistantsServer.js';
import {OutputCollector} from './helpers/outputCollector.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const NOW_SECONDS = NOW / 1000;
const TOKEN = 'raw-token-abc123';

type Json = Record<string, unknown>;

/** A stored response of the project, by an agent, maybe in a conversation; with `call`, it ends waiting for it. */
function storedResponse(index: number, agent: string, options: {conversation?: string; call?: string; previous?: string} = {}): Json {
  return {
    id: `resp_f${String(index).padStart(3, '0')}`,
    object: 'response',
    created_at: NOW_SECONDS - 3_600 + index,
    status: 'completed',
    completed_at: NOW_SECONDS - 3_600 + index + 2,
    model: 'gpt-4.1',
    agent: {type: 'agent_id', name: agent, version: '3'},
    conversation: options.conversation ? {id: options.conversation} : null,
    previous_response_id: options.previous ?? null,
    output: options.call
      ? [{type: 'function_call', id: `fc_${index}`, call_id: options.call, name: 'lookup_order', arguments: '{"order_id":"ORD-1"}', status: 'completed'}]
      : [{type: 'message', id: `msg_${index}`, role: 'assistant', status: 'completed', content: [{type: 'output_text', text: 'Done.', annotations: []}]}],
    tools: [{type: 'function', name: 'lookup_order', parameters: {type: 'object', properties: {order_id: {type: 'string'}}, required: ['order_id']}, strict: false}],
  };
}

let server: FakeAssistantsServer;
let configDir: string;
beforeEach(async () => {
  server = await FakeAssistantsServer.start({foundry: {tokens: [TOKEN]}, maxPageSize: 100});
  configDir = mkdtempSync(path.join(tmpdir(), 'runlens-foundry-responses-'));
});
afterEach(async () => {
  await server.close();
});

async function cli(argv: string[]) {
  const stdout = new OutputCollector(false);
  const stderr = new OutputCollector(false);
  const stdin = Object.assign(new PassThrough(), {isTTY: true});
  const code = await runCli({argv, env: {RUNLENS_CONFIG_DIR: configDir, RUNLENS_NOW: '2026-11-25T12:00:00Z', MY_TOKEN: TOKEN}, stdin, stdout, stderr, now: () => NOW});
  return {code, stdout: stdout.text, stderr: stderr.text};
}

const foundry = () => ['--project-endpoint', server.projectEndpoint, '--token-env', 'MY_TOKEN'];
/** Id and status of each TSV line. */
const listed = (stdout: string) => stdout.split('\n').filter(Boolean).map((line) => line.split('\t').slice(0, 2));

describe("Foundry's list of responses", () => {
  it('--all-responses lists the project\'s responses page by page, newest first, up to --limit', async () => {
    const responses = Array.from({length: 230}, (_, index) => storedResponse(index, index % 2 === 0 ? 'support' : 'billing'));
    server.setResponses(responses);
    const result = await cli(['list', ...foundry(), '--all-responses', '--limit', '150', '--sort', 'created']);
    expect(result.stderr).toContain('more than 150 responses; the newest 150 were read (--limit)');
    expect(result.code).toBe(0);
    const rows = listed(result.stdout);
    expect(rows).toHaveLength(150);
    expect(rows[0]).toEqual(['resp_f229', 'completed']);
    expect(rows.at(-1)).toEqual(['resp_f080', 'completed']);
    // Two pages (100, then 50), each on the /openai/v1 route with its own api-version, newest first.
    const requests = server.requestsTo('/openai/v1/responses');
    expect(requests.map((request) => [request.query['limit'], request.query['after'] ?? null, request.query['order'], request.query['api-version']])).toEqual([
      ['100', null, 'desc', 'v1'],
      ['50', 'resp_f130', 'desc', 'v1'],
    ]);
    expect(requests[0]!.headers['authorization']).toBe(`Bearer ${TOKEN}`);
  });

  it('--agent NAME is the agent_name filter, and a waiting response shows as waiting', async () => {
    server.setResponses([storedResponse(1, 'support', {call: 'call_1'}), storedResponse(2, 'billing'), storedResponse(3, 'support')]);
    const result = await cli(['list', ...foundry(), '--all-responses', '--agent', 'support', '--sort', 'created']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(listed(result.stdout)).toEqual([
      ['resp_f003', 'completed'],
      ['resp_f001', 'requires_action'],
    ]);
    expect(server.requestsTo('/openai/v1/responses')[0]!.query['agent_name']).toBe('support');
    const stuck = await cli(['stuck', ...foundry(), '--all-responses', '--exit-status']);
    expect(stuck.code).toBe(8);
  });

  it('--conversation on Foundry lists the conversation\'s responses (conversation_id), which its items answer', async () => {
    server.setResponses([storedResponse(1, 'support', {conversation: 'conv_a', call: 'call_a'}), storedResponse(2, 'support', {conversation: 'conv_b', call: 'call_b'})]);
    server.setConversationItems('conv_a', [{id: 'fco_a', type: 'function_call_output', call_id: 'call_a', output: '{"status":"shipped"}'}]);
    const result = await cli(['list', ...foundry(), '--conversation', 'conv_a']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(listed(result.stdout)).toEqual([['resp_f001', 'completed']]);
    expect(server.requestsTo('/openai/v1/responses')[0]!.query['conversation_id']).toBe('conv_a');
  });

  it('a server without the list (404) gives a one-line note, not an error, and the rest still loads', async () => {
    // Responses, but no list of them: the fake answers the list with 404, as a server without it does.
    server.setResponses([storedResponse(1, 'support', {call: 'call_1'})], {listed: false});
    const result = await cli(['list', ...foundry(), '--all-responses', '--response', 'resp_f001']);
    expect(result.code).toBe(0);
    expect(listed(result.stdout)).toEqual([['resp_f001', 'requires_action']]);
    expect(result.stderr.trim().split('\n')).toEqual(['runlens: api:/openai/v1/responses: this server has no list of responses (HTTP 404); give them with --response ID']);
    server.setConversationItems('conv_c', [{id: 'msg_c', type: 'message', role: 'user', content: [{type: 'input_text', text: 'hi'}]}]);
    const conversation = await cli(['list', ...foundry(), '--conversation', 'conv_c', '--response', 'resp_f001']);
    expect(conversation.stdout, conversation.stderr).not.toBe('');
    expect(conversation.code).toBe(0);
    expect(conversation.stderr).toContain('this server has no list of responses (HTTP 404)');
    expect(conversation.stderr).toContain('none naming its response: give the conversation\'s responses with --response ID');
  });

  it('--all-responses needs a Foundry project, and --agent needs --all-responses', async () => {
    const other = await cli(['list', '--base-url', server.baseUrl, '--all-responses']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("--all-responses lists a Foundry project's responses: give --project-endpoint URL");
    const agent = await cli(['list', ...foundry(), '--all-threads', '--agent', 'support']);
    expect(agent.code).toBe(2);
    expect(agent.stderr).toContain('--agent filters the list of --all-responses');
  });
});
