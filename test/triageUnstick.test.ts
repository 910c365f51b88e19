import {execFileSync} from 'node:child_process';
import {describe, it, expect} from 'vitest';
import fc from 'fast-check';
import {shellQuote, submitToolOutputsBody, submitToolOutputsCurl, submitToolOutputsUrl} from '../src/triage/unstick.js';
import {call, makeRun} from './fixtures/triage/runs.js';

/** The argv a POSIX shell makes of `command` (with `curl` replaced by printing each argument). */
function shellWords(command: string): string[] {
  expect(command.startsWith('curl ')).toBe(true);
  const script = `set -- ${command.slice('curl '.length)}\nfor a in "$@"; do printf '%s\\0' "$a"; done`;
  const out = execFileSync('sh', ['-c', script], {env: {PATH: process.env['PATH'] ?? '', OPENAI_API_KEY: 'sk-test-123'}, encoding: 'utf8'});
  return out.split('\0').slice(0, -1);
}

const waiting = () =>
  makeRun({
    id: 'run_Ab12',
    threadId: 'thread_Xy34',
    calls: [call('call_first', 'get_weather', {city: 'Paris'}), call('call_second', 'get_time', {timezone: 'UTC'}), call('call_third', 'nope', '{')],
  });

describe('submitToolOutputsBody', () => {
  it('has one empty output per tool call, in call order, even for calls that fail their checks', () => {
    expect(submitToolOutputsBody(waiting())).toEqual({
      tool_outputs: [
        {tool_call_id: 'call_first', output: ''},
        {tool_call_id: 'call_second', output: ''},
        {tool_call_id: 'call_third', output: ''},
      ],
    });
  });

  it('is null when nothing is pending', () => {
    expect(submitToolOutputsBody(makeRun({status: 'completed'}))).toBeNull();
    expect(submitToolOutputsBody(makeRun({status: 'requires_action', calls: []}))).toBeNull();
  });
});

describe('submitToolOutputsCurl', () => {
  it('builds the exact command for the default base URL', () => {
    expect(submitToolOutputsCurl(waiting())).toBe(
      `curl 'https://api.openai.com/v1/threads/thread_Xy34/runs/run_Ab12/submit_tool_outputs'` +
        ` -H "Authorization: Bearer $OPENAI_API_KEY" -H "OpenAI-Beta: assistants=v2" -H "Content-Type: application/json"` +
        ` -d '{"tool_outputs":[{"tool_call_id":"call_first","output":""},{"tool_call_id":"call_second","output":""},{"tool_call_id":"call_third","output":""}]}'`,
    );
  });

  it('is parsed by a shell into the intended arguments, the key coming from the environment', () => {
    const words = shellWords(submitToolOutputsCurl(waiting())!);
    expect(words).toEqual([
      'https://api.openai.com/v1/threads/thread_Xy34/runs/run_Ab12/submit_tool_outputs',
      '-H',
      'Authorization: Bearer sk-test-123',
      '-H',
      'OpenAI-Beta: assistants=v2',
      '-H',
      'Content-Type: application/json',
      '-d',
      JSON.stringify(submitToolOutputsBody(waiting())),
    ]);
  });

  it("escapes a quote in the thread id (and in tool call ids)", () => {
    const run = makeRun({id: 'run_1', threadId: "thread_it's", calls: [call("call_o'neil", 'get_time', {timezone: 'UTC'})]});
    const command = submitToolOutputsCurl(run)!;
    expect(command).toContain(`curl 'https://api.openai.com/v1/threads/thread_it'\\''s/runs/run_1/submit_tool_outputs'`);
    expect(command).toContain(`-d '{"tool_outputs":[{"tool_call_id":"call_o'\\''neil","output":""}]}'`);
    const words = shellWords(command);
    expect(words[0]).toBe("https://api.openai.com/v1/threads/thread_it's/runs/run_1/submit_tool_outputs");
    expect(JSON.parse(words[8]!)).toEqual({tool_outputs: [{tool_call_id: "call_o'neil", output: ''}]});
  });

  it('uses a custom base URL, percent-encodes ids that would break the path, and can span lines', () => {
    const run = makeRun({id: 'run_1', threadId: 'thread/with space', calls: [call('call_1', 'get_time', {timezone: 'UTC'})]});
    expect(submitToolOutputsUrl(run, 'http://localhost:8080/v1/')).toBe('http://localhost:8080/v1/threads/thread%2Fwith%20space/runs/run_1/submit_tool_outputs');
    expect(submitToolOutputsCurl(run, 'http://localhost:8080/v1/')).toMatch(/^curl 'http:\/\/localhost:8080\/v1\/threads\/thread%2Fwith%20space\/runs\/run_1\/submit_tool_outputs' -H /);
    const multiline = submitToolOutputsCurl(run, {baseUrl: 'http://localhost:8080/v1', multiline: true})!;
    expect(multiline.split('\n')).toHaveLength(5);
    expect(multiline.split('\n').slice(0, -1).every((line) => line.endsWith(' \\'))).toBe(true);
    expect(shellWords(multiline)).toEqual(shellWords(submitToolOutputsCurl(run, 'http://localhost:8080/v1')!));
  });

  it('is null without a thread id or without pending calls', () => {
    expect(submitToolOutputsCurl(makeRun({threadId: null, calls: [call('call_1', 'get_time', {})]}))).toBeNull();
    expect(submitToolOutputsCurl(makeRun({status: 'queued'}))).toBeNull();
  });
});

describe('shellQuote', () => {
  it('round-trips any text through sh', () => {
    fc.assert(
      fc.property(fc.array(fc.string({unit: 'grapheme-ascii'}).map((s) => s.replace(/\0/g, '')), {minLength: 1, maxLength: 8}), (texts) => {
        expect(shellWords(`curl ${texts.map(shellQuote).join(' ')}`)).toEqual(texts);
      }),
      {numRuns: 40},
    );
  });
});
