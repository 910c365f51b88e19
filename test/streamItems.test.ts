/**
 * Messages and run steps assembled from a stream transcript's events. requires-action.sse is a
 * run streamed until it asks for two tool outputs; requires-action-submit.sse is the stream of its
 * submit_tool_outputs call: the same run id, the tool-call step finished with its outputs, then
 * the answer. Together they tell the run's story.
 */
import {copyFile, mkdtemp, rm} from 'node:fs/promises';
import {readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {itemsOfRun, joinItems} from '../src/model/itemKinds.js';
import type {StepToolCall} from '../src/model/runStep.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {parseRunText} from '../src/sources/parseRunText.js';
import {mergeDelta} from '../src/sources/streamItems.js';

const SSE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/sse');
const FIRST = 'requires-action.sse';
const SUBMIT = 'requires-action-submit.sse';
const RUN = 'run_Qm3xT8vLk2PzR7nB4cW9yHdE';
const TOOL_STEP = 'step_Ty7mK3pW9xQz2LbN5cVh8RdA';
const fixture = (name: string) => readFileSync(path.join(SSE, name), 'utf8');

/** The text without the events named (each event is its `event:` line, its `data:` line and a blank line). */
function without(text: string, name: string, id: string): string {
  return text.replace(new RegExp(`event: ${name.replace(/\./g, '\\.')}\\ndata: \\{"id":"${id}"[^\\n]*\\n\\n?`, 'g'), '');
}

const calls = (toolCalls: readonly StepToolCall[]) => toolCalls.map((call) => (call.type === 'function' ? [call.name, call.arguments, call.output] : [call.type]));

const ARGUMENTS = ['{"order_id":"A-1042","include_items":true}', '{"postcode":"94110","weight_kg":2.5}'];
const OUTPUTS = ['{"order_id":"A-1042","status":"shipped","items":[{"sku":"MUG-01","qty":2}]}', '{"carrier":"UPS","price_usd":7.9}'];

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'runlens-stream-items-'));
});
afterAll(async () => {
  await rm(tmp, {recursive: true, force: true});
});

describe('a stream that ends in requires_action', () => {
  it('yields its message and its two steps beside the run, the tool calls assembled from their deltas', () => {
    const text = fixture(FIRST);
    const parsed = parseRunText(text, FIRST);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.messages?.map((message) => [message.id, message.status, message.content])).toEqual([
      ['msg_Vb8nQ2xK5pLt9RzW3cYh6JdM', 'completed', [{type: 'text', text: 'Let me look up order A-1042 and a shipping quote.', annotations: []}]],
    ]);
    expect(parsed.steps?.map((step) => [step.id, step.type, step.status])).toEqual([
      ['step_Hn4kP8wQ2zLx6VbT1cRy9JsE', 'message_creation', 'completed'],
      [TOOL_STEP, 'tool_calls', 'in_progress'],
    ]);
    // No event carries the whole tool-call step after its deltas: the calls are what the deltas said.
    expect(calls(parsed.steps![1]!.toolCalls)).toEqual([
      ['lookup_order', ARGUMENTS[0], null],
      ['get_shipping_quote', ARGUMENTS[1], null],
    ]);
    const lastLine = text.split('\n').reduce((last, line, index) => (line.includes(`"id":"${TOOL_STEP}"`) ? index + 1 : last), 0);
    expect(parsed.steps![1]!.source).toEqual({file: FIRST, line: lastLine});
  });

  it('assembles the message text from its deltas by content index when the completed event is missing', () => {
    const text = without(fixture(FIRST), 'thread.message.completed', 'msg_Vb8nQ2xK5pLt9RzW3cYh6JdM');
    expect(text).not.toContain('thread.message.completed');
    const parsed = parseRunText(text, FIRST);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.messages?.map((message) => [message.status, message.content])).toEqual([
      ['in_progress', [{type: 'text', text: 'Let me look up order A-1042 and a shipping quote.', annotations: []}]],
    ]);
  });
});

describe('the stream of its submit_tool_outputs call', () => {
  it('joins the same run: one run, completed, with its three steps and two messages in order', async () => {
    const folder = await mkdtemp(path.join(tmp, 'pair-'));
    await copyFile(path.join(SSE, FIRST), path.join(folder, FIRST));
    await copyFile(path.join(SSE, SUBMIT), path.join(folder, SUBMIT));
    // Whichever is read first (a folder reads the submit stream first, by name), the latest state wins.
    for (const sources of [[folder], [path.join(folder, FIRST), path.join(folder, SUBMIT)]]) {
      const loaded = await loadRunsFromSources(sources);
      expect(loaded.warnings).toEqual([]);
      expect(loaded.runs.map((run) => [run.id, run.status])).toEqual([[RUN, 'completed']]);
      const joined = joinItems(loaded);
      const steps = itemsOfRun(joined, 'steps', RUN);
      expect(steps.map((step) => [step.id, step.type, step.status])).toEqual([
        ['step_Hn4kP8wQ2zLx6VbT1cRy9JsE', 'message_creation', 'completed'],
        [TOOL_STEP, 'tool_calls', 'completed'],
        ['step_Wc5nR8kT2mQx7LzP4vBh9JdF', 'message_creation', 'completed'],
      ]);
      expect(calls(steps[1]!.toolCalls)).toEqual([
        ['lookup_order', ARGUMENTS[0], OUTPUTS[0]],
        ['get_shipping_quote', ARGUMENTS[1], OUTPUTS[1]],
      ]);
      expect(itemsOfRun(joined, 'messages', RUN).map((message) => message.content[0])).toEqual([
        {type: 'text', text: 'Let me look up order A-1042 and a shipping quote.', annotations: []},
        {type: 'text', text: 'Order A-1042 has shipped (2 × MUG-01). Shipping to 94110 costs $7.90 with UPS.', annotations: []},
      ]);
    }
  });

  it('recorded as one transcript without the finished step: arguments from the first stream and outputs from the second, joined by index', () => {
    const text = without(fixture(FIRST) + '\n' + fixture(SUBMIT), 'thread.run.step.completed', TOOL_STEP);
    const parsed = parseRunText(text, 'both.sse');
    expect(parsed.warnings).toEqual([]);
    const step = parsed.steps?.find((candidate) => candidate.id === TOOL_STEP);
    expect(step?.status).toBe('in_progress');
    expect(calls(step!.toolCalls)).toEqual([
      ['lookup_order', ARGUMENTS[0], OUTPUTS[0]],
      ['get_shipping_quote', ARGUMENTS[1], OUTPUTS[1]],
    ]);
    expect(parsed.runs.map((run) => run.status)).toEqual(['completed']);
  });
});

describe('bad step and message events', () => {
  const event = (name: string, data: unknown) => `event: ${name}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

  it('warn with the line and keep every other piece and event', () => {
    const text = [
      event('thread.message.created', {id: 'msg_b', object: 'thread.message', role: 'assistant', content: []}),
      event('thread.message.delta', {id: 'msg_b', object: 'thread.message.delta', delta: {content: [{index: 0, type: 'text', text: {value: 'Hel'}}]}}),
      event('thread.message.delta', {id: 'msg_b', object: 'thread.message.delta', delta: {content: [{type: 'text', text: {value: '??'}}]}}),
      event('thread.message.delta', {id: 'msg_b', object: 'thread.message.delta', delta: {content: [{index: 0, text: {value: 7}}]}}),
      event('thread.message.delta', {id: 'msg_b', object: 'thread.message.delta', delta: {content: [{index: 0, text: {value: 'lo'}}]}}),
      event('thread.message.delta', {id: 'msg_b', object: 'thread.message.delta'}),
      event('thread.message.completed', {id: 'run_x', object: 'thread.run', status: 'completed'}),
    ].join('');
    const parsed = parseRunText(text, 'bad.sse');
    expect(parsed.warnings.map((warning) => `${warning.location}: ${warning.message}`)).toEqual([
      'bad.sse:8: thread.message.delta content[0]: a piece without a whole-number "index"; skipped',
      'bad.sse:11: thread.message.delta content[0].text.value: a number cannot join the string before it; that piece skipped',
      'bad.sse:17: thread.message.delta data is not a delta (an "id" and a "delta" object); skipped',
      'bad.sse:20: thread.message.completed data is not a message (no "object": "thread.message"); skipped',
    ]);
    expect(parsed.messages?.map((message) => message.content)).toEqual([[{type: 'text', text: 'Hello', annotations: []}]]);
  });

  it('mergeDelta concatenates text, merges by index, appends a new index, and replaces index and type', () => {
    const into: Record<string, unknown> = {content: [{index: 0, type: 'text', text: {value: 'a', annotations: []}}], n: 1};
    expect(mergeDelta(into, {content: [{index: 0, type: 'text', text: {value: 'b', annotations: [{index: 0, type: 'file_path', text: 'x'}]}}, {index: 1, type: 'image_file', image_file: {file_id: 'f'}}], n: 2})).toEqual([]);
    expect(into).toEqual({
      content: [
        {index: 0, type: 'text', text: {value: 'ab', annotations: [{index: 0, type: 'file_path', text: 'x'}]}},
        {index: 1, type: 'image_file', image_file: {file_id: 'f'}},
      ],
      n: 3,
    });
  });
});
