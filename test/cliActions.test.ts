import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {FakeAssistantsServer, makeRun} from './fakeServer/fakeAssistantsServer.js';
import {OutputCollector as Collect} from './helpers/outputCollector.js';

const CANARY = 'sk-canary-ACT987';
const NOW = Date.parse('2026-11-25T12:00:00Z');
const RUN = 'run_a_0000';
const SUBMIT_PATH = `/threads/thread_a/runs/${RUN}/submit_tool_outputs`;


let server: FakeAssistantsServer;
let dir: string;

async function cli(argv: string[], env: Record<string, string> = {}) {
  const stdout = new Collect();
  const stderr = new Collect();
  const stdin = Object.assign(new PassThrough(), {isTTY: true});
  const code = await runCli({
    argv: [...argv, '--base-url', server.baseUrl, '--max-retries', '0'],
    env: {OPENAI_API_KEY: CANARY, RUNLENS_CONFIG_DIR: dir, ...env},
    stdin,
    stdout,
    stderr,
    now: () => NOW,
  });
  const all = stdout.text + stderr.text;
  expect(all).not.toContain(CANARY);
  return {code, stdout: stdout.text, stderr: stderr.text};
}

function waitingRun(callIds: string[] = ['call_1', 'call_2']) {
  return makeRun('thread_a', 0, {
    status: 'requires_action',
    completed_at: null,
    required_action: {
      type: 'submit_tool_outputs',
      submit_tool_outputs: {tool_calls: callIds.map((id) => ({id, type: 'function', function: {name: 'lookup', arguments: '{}'}}))},
    },
  });
}

beforeEach(async () => {
  server = await FakeAssistantsServer.start({apiKey: CANARY});
  dir = mkdtempSync(path.join(tmpdir(), 'runlens-actions-'));
});
afterEach(async () => {
  await server.close();
});

describe('runlens submit', () => {
  it('retrieves the run, then posts every output in the order of the calls, and prints the new status', async () => {
    server.addRuns('thread_a', [waitingRun()]);
    const result = await cli(['submit', RUN, '--thread', 'thread_a', '--output', 'call_2={"ok":true}', '--output', 'call_1=a=b']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${RUN}: queued (2 tool outputs submitted)\n`);
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET /threads/thread_a/runs/${RUN}`, `POST ${SUBMIT_PATH}`]);
    expect(server.requestsTo(SUBMIT_PATH, 'POST')[0]!.body).toEqual({
      tool_outputs: [
        {tool_call_id: 'call_1', output: 'a=b'},
        {tool_call_id: 'call_2', output: '{"ok":true}'},
      ],
    });
  });

  it('reads outputs from a file, in either shape, and with --output', async () => {
    server.addRuns('thread_a', [waitingRun(['call_1', 'call_2', 'call_3'])]);
    const envelope = path.join(dir, 'envelope.json');
    writeFileSync(envelope, JSON.stringify({tool_outputs: [{tool_call_id: 'call_3', output: 'three'}, {tool_call_id: 'call_1', output: ''}]}));
    const result = await cli(['submit', RUN, '--thread', 'thread_a', '--outputs-file', envelope, '--output', 'call_2=two']);
    expect(result.code).toBe(0);
    expect(server.requestsTo(SUBMIT_PATH, 'POST')[0]!.body).toEqual({
      tool_outputs: [
        {tool_call_id: 'call_1', output: ''},
        {tool_call_id: 'call_2', output: 'two'},
        {tool_call_id: 'call_3', output: 'three'},
      ],
    });

    server.addRuns('thread_b', [makeRun('thread_b', 0, {...waitingRun(['call_x']), id: 'run_b', thread_id: 'thread_b'})]);
    const map = path.join(dir, 'map.json');
    writeFileSync(map, JSON.stringify({call_x: 'ex'}));
    const second = await cli(['submit', 'run_b', '--thread', 'thread_b', '--outputs-file', map, '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({id: 'run_b', status: 'queued'});
    expect(server.requestsTo('/threads/thread_b/runs/run_b/submit_tool_outputs', 'POST')[0]!.body).toEqual({tool_outputs: [{tool_call_id: 'call_x', output: 'ex'}]});
  });

  it('refuses a run that is not in requires_action, without posting', async () => {
    server.addRuns('thread_a', [makeRun('thread_a', 0)]);
    const result = await cli(['submit', RUN, '--thread', 'thread_a', '--output', 'call_1=x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`runlens: run ${RUN} is completed, not requires_action; nothing submitted\n`);
    expect(server.requestsTo(/submit_tool_outputs/, 'POST')).toEqual([]);
  });

  it('refuses an output for a call the run does not wait for', async () => {
    server.addRuns('thread_a', [waitingRun()]);
    const result = await cli(['submit', RUN, '--thread', 'thread_a', '--output', 'call_1=x', '--output', 'call_2=y', '--output', 'call_9=z']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`runlens: run ${RUN} does not wait for call_9 (it waits for call_1, call_2); nothing submitted\n`);
    expect(server.requestsTo(/submit_tool_outputs/, 'POST')).toEqual([]);
  });

  it('refuses when a call is left without output', async () => {
    server.addRuns('thread_a', [waitingRun()]);
    const result = await cli(['submit', RUN, '--thread', 'thread_a', '--output', 'call_1=x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no output for call_2');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(server.requestsTo(/submit_tool_outputs/, 'POST')).toEqual([]);
  });

  it('refuses a call id given twice, a bad file and a malformed --output before any request', async () => {
    server.addRuns('thread_a', [waitingRun()]);
    const twice = await cli(['submit', RUN, '--thread', 'thread_a', '--output', 'call_1=x', '--output', 'call_1=y']);
    expect(twice).toMatchObject({code: 1, stderr: 'runlens: two outputs for call_1; give one\n'});
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"call_1": 3}');
    expect((await cli(['submit', RUN, '--thread', 'thread_a', '--outputs-file', bad])).stderr).toContain("the output of 'call_1' must be a string");
    expect((await cli(['submit', RUN, '--thread', 'thread_a', '--outputs-file', path.join(dir, 'none.json')])).code).toBe(1);
    const malformed = await cli(['submit', RUN, '--thread', 'thread_a', '--output', 'call_1']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--output takes CALL_ID=TEXT');
    expect(server.requests).toEqual([]);
  });

  it('a run that does not exist: one line naming it, exit 1', async () => {
    server.addRuns('thread_a', [waitingRun()]);
    const result = await cli(['submit', 'run_missing', '--thread', 'thread_a', '--output', 'call_1=x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('404');
    expect(result.stderr).toContain('run_missing');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a rejected key: one line, exit 1, the key never printed', async () => {
    server.addRuns('thread_a', [waitingRun()]);
    const result = await cli(['submit', RUN, '--thread', 'thread_a', '--output', 'call_1=x', '--output', 'call_2=y'], {OPENAI_API_KEY: 'sk-canary-wrong-555'});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('401');
    expect(result.stderr).not.toContain('sk-canary-wrong-555');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a server error on submit is one line and exit 1', async () => {
    server.addRuns('thread_a', [waitingRun(['call_1'])]);
    server.fail({method: 'POST', path: SUBMIT_PATH, failure: {status: 500}});
    const result = await cli(['submit', RUN, '--thread', 'thread_a', '--output', 'call_1=x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('500');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(server.requestsTo(SUBMIT_PATH, 'POST')).toHaveLength(1); // never retried
  });

  it('usage: a RUN_ID and a thread are needed', async () => {
    expect((await cli(['submit', '--thread', 'thread_a'])).code).toBe(2);
    expect((await cli(['submit', RUN, '--output', 'call_1=x'])).stderr).toContain('submit needs --thread');
    expect((await cli(['list', '--thread', 'thread_a', '--output', 'call_1=x'])).code).toBe(2);
  });
});

describe('runlens cancel', () => {
  it('posts the cancel and prints the new status', async () => {
    server.addRuns('thread_a', [waitingRun()]);
    const result = await cli(['cancel', RUN, '--thread', 'thread_a']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${RUN}: cancelling (cancel requested)\n`);
    const [request] = server.requestsTo(`/threads/thread_a/runs/${RUN}/cancel`, 'POST');
    expect(request).toBeDefined();
    expect(server.run('thread_a', RUN)!['status']).toBe('cancelling');
  });

  it('finds the run among several threads', async () => {
    server.addRuns('thread_a', [makeRun('thread_a', 0)]);
    server.addRuns('thread_b', [makeRun('thread_b', 0, {status: 'in_progress'})]);
    const result = await cli(['cancel', 'run_b_0000', '--thread', 'thread_a', '--thread', 'thread_b']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('run_b_0000: cancelling (cancel requested)\n');
    expect(server.requestsTo('/threads/thread_b/runs/run_b_0000/cancel', 'POST')).toHaveLength(1);
  });

  it('a finished run: the server refuses, one line, exit 1', async () => {
    server.addRuns('thread_a', [makeRun('thread_a', 0)]);
    const result = await cli(['cancel', RUN, '--thread', 'thread_a']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Cannot cancel run with status 'completed'");
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('404: one line naming the run, exit 1', async () => {
    server.addRuns('thread_a', [makeRun('thread_a', 0)]);
    const result = await cli(['cancel', 'run_nope', '--thread', 'thread_a']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('404');
    expect(result.stderr).toContain('run_nope');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
