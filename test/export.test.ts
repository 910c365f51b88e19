/**
 * `runlens export`: the Markdown report and the JSON of real-shaped runs, a whole thread, -o, and
 * `--redact`: no original string of a redacted field appears anywhere in the output.
 */
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {normalizeRun} from '../src/model/normalize.js';
import {exportRuns} from '../src/panes/exportReport.js';
import {normalizeRunStep} from '../src/model/runStep.js';
import {normalizeThreadMessage} from '../src/model/threadMessage.js';
import {exportStory, writeRunReport} from '../src/cli/printExport.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {cliRun} from './helpers/cliRun.js';

const STUCK = 'examples/stuck/requires-action.json';
const STUCK_ID = 'run_TpMlggIvapmkiXatm85gyg0a';
const scratch = mkdtempSync(path.join(tmpdir(), 'runlens-export-'));

describe('runlens export', () => {
  it('md: status, timeline, usage and cost, tool calls with checks, the unstick request, instructions', async () => {
    const result = await cliRun(['export', STUCK_ID, STUCK]);
    expect(result.code).toBe(0);
    for (const heading of ['# runlens report: run_TpMlggIvapmkiXatm85gyg0a', '### Timeline', '### Usage and cost', '### Tool calls', '### Unstick request', '### Instructions']) {
      expect(result.stdout).toContain(heading);
    }
    expect(result.stdout).toContain('| status | **requires_action** |');
    expect(result.stdout).toContain('valid JSON: FAIL');
    expect(result.stdout).toContain(`/runs/${STUCK_ID}/submit_tool_outputs`);
  });

  it('json: the run as read, whole', async () => {
    const result = await cliRun(['export', STUCK_ID, STUCK, '--format', 'json']);
    const json = JSON.parse(result.stdout) as {schema: string; runs: unknown[]};
    const original = (JSON.parse(readFileSync(STUCK, 'utf8')) as Array<{id: string}>).find((run) => run.id === STUCK_ID);
    expect(json.schema).toBe('runlens.export/1');
    expect(json.runs).toEqual([original]);
  });

  it('--thread T: every loaded run of the thread, oldest first; -o writes the file and says where', async () => {
    const file = path.join(scratch, 'thread.md');
    const result = await cliRun(['export', 'run_RAD97k4iu8FzIHd7sqV5paIH', 'examples/support-desk', '--thread', 'thread_41ogePJdFPW5bAUFxxZwRIpt', '-o', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`wrote ${file}`);
    const text = readFileSync(file, 'utf8');
    const ids = [...text.matchAll(/^## Run `(run_\w+)`/gm)].map((match) => match[1]);
    expect(ids.length).toBeGreaterThan(3);
    expect(ids).toContain('run_RAD97k4iu8FzIHd7sqV5paIH');
  });

  it('escapes what the run wrote: the hostile instructions reach the report as text', async () => {
    const result = await cliRun(['export', 'run_RAD97k4iu8FzIHd7sqV5paIH', 'examples/support-desk']);
    // eslint-disable-next-line no-control-regex
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it('--redact: metadata, instructions, arguments and error text replaced by stable placeholders; ids, names and checks kept', async () => {
    const result = await cliRun(['export', STUCK_ID, STUCK, '--redact']);
    const original = (JSON.parse(readFileSync(STUCK, 'utf8')) as Array<Record<string, unknown>>).find((run) => run['id'] === STUCK_ID)!;
    expect(result.stdout).not.toContain(original['instructions'] as string);
    for (const value of Object.values(original['metadata'] as Record<string, string>)) expect(result.stdout).not.toContain(value);
    expect(result.stdout).toContain('‹instructions-1›');
    expect(result.stdout).toContain('get_weather');
    expect(result.stdout).toContain('valid JSON: FAIL');
    expect(result.stdout).toContain(STUCK_ID);
  });

  it('--redact-keep keeps the fields named', async () => {
    const result = await cliRun(['export', STUCK_ID, STUCK, '--redact', '--redact-keep', 'metadata']);
    const original = (JSON.parse(readFileSync(STUCK, 'utf8')) as Array<Record<string, unknown>>).find((run) => run['id'] === STUCK_ID)!;
    for (const value of Object.values(original['metadata'] as Record<string, string>)) expect(result.stdout).toContain(value);
    expect(result.stdout).not.toContain('‹metadata-');
  });

  it('a run not loaded: exit 1, its id named; export flags elsewhere are usage errors', async () => {
    expect((await cliRun(['export', 'run_nope', STUCK])).code).toBe(1);
    const misuse = await cliRun(['list', STUCK, '--redact']);
    expect(misuse.code).toBe(2);
  });
});

const THREAD = 'test/fixtures/thread';
const FIRST = 'run_storyFirst01';

describe('the conversation in the export', () => {
  it('md: the run\'s conversation as its Conversation pane tells it: the question, the tool round with its output, the answer', async () => {
    const result = await cliRun(['export', FIRST, THREAD]);
    expect(result.code).toBe(0);
    const conversation = result.stdout.slice(result.stdout.indexOf('### Conversation'));
    expect(conversation).toContain('What is the weather in Oslo?');
    expect(conversation).toMatch(/round 1 · tool calls {2}✓ completed/);
    expect(conversation).toContain('a. get_weather  call_storyWeather1');
    expect(conversation).toContain('{"temp_c":-3,"sky":"snow"}');
    expect(conversation).toContain('It is -3 °C and snowing in Oslo [1].');
    // The later turn is another run's: counted, not told.
    expect(conversation).not.toContain('Still snowing in Oslo.');
  });

  it('--thread T: one conversation across the thread\'s runs, after them', async () => {
    const result = await cliRun(['export', FIRST, THREAD, '--thread', 'thread_storyWeather01']);
    const conversation = result.stdout.slice(result.stdout.indexOf('## Conversation'));
    expect(result.stdout.indexOf('## Conversation')).toBeGreaterThan(result.stdout.lastIndexOf('## Run `'));
    expect(result.stdout).not.toContain('### Conversation');
    const order = ['What is the weather in Oslo?', 'run run_storyFirst01', 'It is -3 °C and snowing', 'And now?', 'run run_storySecond1', 'Still snowing in Oslo.'].map((text) => conversation.indexOf(text));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('json: the thread\'s messages and the run\'s steps as read, beside the run', async () => {
    const result = await cliRun(['export', FIRST, THREAD, '--format', 'json']);
    const json = JSON.parse(result.stdout) as {runs: Array<{id: string}>; messages: Array<{id: string}>; steps: Array<{id: string; run_id: string}>};
    expect(json.runs.map((run) => run.id)).toEqual([FIRST]);
    expect(json.messages.map((message) => message.id).sort()).toEqual(['msg_storyAnswer01', 'msg_storyAnswer02', 'msg_storyAsk00001', 'msg_storyAsk00002']);
    expect(json.steps.map((step) => step.id).sort()).toEqual(['step_storyAnswer01', 'step_storyCalls001']);
  });

  it('--redact covers message text and tool outputs in md and json; the conversation keeps its ids, names and shape', async () => {
    for (const format of ['md', 'json']) {
      const result = await cliRun(['export', FIRST, THREAD, '--redact', '--format', format]);
      for (const secret of ['What is the weather in Oslo?', 'snowing', 'Oslo', 'temp_c', 'And now?']) expect(result.stdout, `${format}: ${secret}`).not.toContain(secret);
      expect(result.stdout).toContain('call_storyWeather1');
      expect(result.stdout).toContain('get_weather');
      expect(result.stdout).toContain('‹messages-1›');
      expect(result.stdout).toContain('‹outputs-1›');
    }
    const md = (await cliRun(['export', FIRST, THREAD, '--redact'])).stdout;
    // The arguments keep their JSON, every string in them replaced, so the conversation still checks them.
    expect(md).toContain('"city": "‹arguments-1›"');
    expect(md).toContain('✓ valid JSON');
    const kept = (await cliRun(['export', FIRST, THREAD, '--redact', '--redact-keep', 'messages'])).stdout;
    // The message is kept, but Oslo is also an argument, which is redacted wherever it appears.
    expect(kept).toContain('What is the weather in ‹arguments-1›?');
    expect(kept).not.toContain('temp_c');
  });

  it('a view still being read (an API run whose steps the TUI has not fetched) counts as not loaded, never "loading" in a file', async () => {
    const loaded = await loadRunsFromSources([THREAD]);
    const run = loaded.runs.find((candidate) => candidate.id === FIRST)!;
    const story = exportStory({}, {steps: (one) => ({state: 'loading', runId: one.id}), messages: (one) => ({state: 'loading', threadId: one.threadId ?? ''})});
    expect(story.steps(run)).toBeUndefined();
    const text = exportRuns([run], FIRST, {format: 'md', redact: false, nowSeconds: 1796212900, story});
    expect(text).toContain('No steps loaded for this run');
    expect(text).not.toContain('Loading');
  });

  it("the TUI's x writes the same report, its conversation included, and resolves to the path written", async () => {
    const loaded = await loadRunsFromSources([THREAD]);
    const run = loaded.runs.find((candidate) => candidate.id === FIRST)!;
    const file = path.join(scratch, 'runlens-run_storyFirst01.md');
    const written = await writeRunReport(run, file, exportStory(loaded), 1796212900);
    expect(written).toBe(path.resolve(file));
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# runlens report: run_storyFirst01');
    expect(text).toContain('What is the weather in Oslo?');
    expect(text).toBe(exportRuns([run], FIRST, {format: 'md', redact: false, nowSeconds: 1796212900, story: exportStory(loaded)}));
    await expect(writeRunReport(run, path.join(scratch, 'no-such-folder', 'x.md'), exportStory(loaded), 1796212900)).rejects.toThrow(/ENOENT/);
  });
});

describe('redaction, over random strings', () => {
  const secret = fc.stringMatching(/^[A-Za-z0-9 ]{10,40}$/).filter((text) => text.trim().length >= 10);
  it('no original string of a redacted field appears anywhere, in md or json, the conversation included; the same value, the same placeholder', () => {
    fc.assert(
      fc.property(secret, secret, secret, secret, secret, secret, secret, fc.constantFrom<'md' | 'json'>('md', 'json'), (instructions, metadata, argument, message, question, answer, output, format) => {
        const raw = {
          id: 'run_redact000000000000001',
          object: 'thread.run',
          created_at: 1764064800,
          thread_id: 'thread_redact0001',
          status: 'requires_action',
          model: 'gpt-4o',
          instructions,
          metadata: {a: metadata, b: metadata},
          tools: [{type: 'function', function: {name: 'lookup', parameters: {type: 'object', properties: {q: {type: 'string'}}}}}],
          required_action: {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [{id: 'call_1', type: 'function', function: {name: 'lookup', arguments: JSON.stringify({q: argument})}}]}},
          last_error: {code: 'server_error', message},
          usage: {prompt_tokens: 10, completion_tokens: 2, total_tokens: 12},
        };
        const run = normalizeRun(raw, {file: 'random.json'});
        // Its conversation: the question, a round of tool calls with their output, the answer.
        const thread = {thread_id: 'thread_redact0001', run_id: 'run_redact000000000000001'};
        const messages = [
          {id: 'msg_ask', object: 'thread.message', created_at: 1764064790, role: 'user', ...thread, run_id: null, content: [{type: 'text', text: {value: question, annotations: []}}]},
          {id: 'msg_answer', object: 'thread.message', created_at: 1764064802, role: 'assistant', ...thread, content: [{type: 'text', text: {value: answer, annotations: []}}]},
        ].map((value) => normalizeThreadMessage(value));
        const calls = [{id: 'call_0', type: 'function', function: {name: 'lookup', arguments: JSON.stringify({q: argument}), output}}];
        const steps = [{id: 'step_1', object: 'thread.run.step', created_at: 1764064801, type: 'tool_calls', status: 'completed', ...thread, step_details: {type: 'tool_calls', tool_calls: calls}}].map((value) =>
          normalizeRunStep(value),
        );
        const out = exportRuns([run], run.id, {format, redact: true, nowSeconds: 1764064900, story: exportStory({messages, steps})});
        for (const original of [instructions, metadata, argument, message, question, answer, output]) expect(out).not.toContain(original);
        expect(out).toContain('msg_answer');
        expect(out).toContain('run_redact000000000000001');
        expect(out).toContain('lookup');
        if (format === 'md') expect(out.match(/‹metadata-\d+›/g)).toEqual(['‹metadata-1›', '‹metadata-1›']);
      }),
      {numRuns: 150},
    );
  });
});
