/**
 * The Conversation pane and the thread story, built from saved threads as the API lists them:
 * test/fixtures/thread (two runs of one question each) and test/fixtures/story (a run of two tool
 * rounds with code_interpreter, file_search and annotated answers, and a run waiting for outputs),
 * each runs.json, steps.json (a list envelope, newest first) and messages.jsonl (newest first).
 */
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {paneLines} from '../src/cli/paneText.js';
import {itemsOfRun, itemsOfThread, joinItems} from '../src/model/itemKinds.js';
import {normalizeRun} from '../src/model/normalize.js';
import {toolRounds} from '../src/model/runFacts.js';
import {normalizeRunStep} from '../src/model/runStep.js';
import {normalizeThreadMessage} from '../src/model/threadMessage.js';
import {lineText} from '../src/panes/content.js';
import {buildConversationPane, buildThreadConversation, referencedText} from '../src/panes/conversation.js';
import type {PaneContext} from '../src/panes/paneContext.js';
import {paneBadge} from '../src/panes/paneIds.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {messagesViewOf, threadMessagesView} from '../src/store/messageLoader.js';
import {stepsViewOf} from '../src/store/stepLoader.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const NOW = 1_796_301_100;
const CONTEXT: PaneContext = {nowSeconds: NOW, time: {utc: true}, width: 100};

async function story(folder: string, runId: string): Promise<string[]> {
  const loaded = await loadRunsFromSources([path.join(FIXTURES, folder)]);
  expect(loaded.warnings).toEqual([]);
  const joined = joinItems(loaded);
  const run = loaded.runs.find((candidate) => candidate.id === runId)!;
  const steps = stepsViewOf(run, joined);
  const messages = messagesViewOf(run, joined);
  return paneLines(buildConversationPane(run, {...CONTEXT, ...(steps ? {steps} : {}), ...(messages ? {messages} : {})}), 100).map(lineText);
}

/** The index of the first line containing each text, in order; fails when one is missing or out of order. */
function expectInOrder(lines: readonly string[], texts: readonly string[]): void {
  let from = 0;
  for (const text of texts) {
    const at = lines.findIndex((line, index) => index >= from && line.includes(text));
    expect(at, `'${text}' after line ${from} in:\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0);
    from = at + 1;
  }
}

describe('the Conversation pane of a saved thread', () => {
  it('tells the first run: the question, the tool call with arguments and output, the answer with its reference, the end', async () => {
    const lines = await story('thread', 'run_storyFirst01');
    expectInOrder(lines, [
      'thread thread_storyWeather01  4 messages, 1 before this run',
      'user  ',
      'What is the weather in Oslo?',
      'attached file-storyForecast1 for file_search',
      'run run_storyFirst01  ✓ completed',
      'round 1 · tool calls  ✓ completed',
      'a. get_weather  call_storyWeather1',
      'checks ✓ known function  ✓ valid JSON  ✓ matches schema',
      'arguments:',
      '"city": "Oslo"',
      'output:',
      '{"temp_c":-3,"sky":"snow"}',
      'waited for outputs 2s',
      'assistant  ',
      'It is -3 °C and snowing in Oslo [1].',
      '[1] file_citation file-storyForecast1',
      'ended ✓ completed',
      '2 later messages in the thread (t shows the whole thread)',
    ]);
    // Messages after the run (the second turn) are not part of its story.
    expect(lines.join('\n')).not.toContain('And now?');
  });

  it('collapses the turns before the run to a line each with their run id, and shows its own question in full', async () => {
    const lines = await story('thread', 'run_storySecond1');
    const earlier = lines.indexOf('Earlier in the thread (2 messages, one line each)');
    expect(earlier).toBeGreaterThan(-1);
    expect(lines[earlier + 1]).toMatch(/^ {2}user {7}What is the weather in Oslo\?$/);
    expect(lines[earlier + 2]).toMatch(/^ {2}assistant {2}run_storyFirst01 {2}It is -3 °C and snowing in Oslo \[1\]\.$/);
    expectInOrder(lines, ['msg_storyAsk00002', 'And now?', 'run run_storySecond1', 'msg_storyAnswer02', 'Still snowing in Oslo.', 'ended ✓ completed']);
  });
});

describe('rounds, waits and content', () => {
  it('counts two tool rounds after a submit, with every call checked, and shows code_interpreter and file_search', async () => {
    const lines = await story('story', 'run_storyRounds01');
    expectInOrder(lines, [
      'Where is my order A7? \\x1b[31mIt is late.\\x1b[0m',
      'image https://example.com/receipt.png  detail low',
      'attached file-storyReceipt for file_search',
      'round 1 · tool calls',
      'a. lookup_order  call_storyLook01',
      '{"status":"lost in transit","total":40}',
      'waited for outputs 1m',
      'round 2 · tool calls',
      'a. refund  call_storyRefund1',
      '✗ matches schema',
      '/amount must be number',
      '"amount": "forty"',
      '{"error":"amount must be a number"}',
      'b. refund  call_storyRefund2',
      '{"refunded":40}',
      'code_interpreter  call_storyCode001',
      'print(40 * 1.0)',
      '40.0',
      'image: file-storyChart01',
      'file_search  call_storySearch1  1 result',
      '1. refund-policy.pdf  file-storyPolicy1  score 0.91',
      'Refunds within 30 days.',
      'Order A7 was lost, so I refunded 40 EUR [1]. Receipt: [2]',
      '[1] file_citation file-storyPolicy1',
      '[2] file_path file-storyRefundCsv  sandbox:/mnt/data/refund.csv',
      'image file file-storyChart01  detail auto',
      'ended ✓ completed',
    ]);
    expect(lines.find((line) => line.includes('ended ✓ completed'))).toMatch(/ran 3m 9s {2}2 tool rounds$/);
    // Escape sequences from the run never reach the terminal raw.
    expect(lines.join('\n')).not.toContain('\u001b');
    // The code_interpreter and file_search steps are no rounds: the server ran them.
    expect(lines.filter((line) => line.includes('round 3'))).toEqual([]);
  });

  it('a run waiting for outputs says so, for how long and until when, with the calls it waits on checked', async () => {
    const lines = await story('story', 'run_storyWaiting1');
    expectInOrder(lines, [
      'Earlier in the thread (3 messages, one line each)',
      'assistant  run_storyOld00001  refusal: I cannot do that alone.',
      'msg_storyAgain01',
      'Refund the shipping too.',
      'round 1 · tool calls  ● in_progress',
      'a. refund  call_storyWait01',
      "missing required property 'amount'",
      'output: not submitted yet',
      'waiting for tool outputs for 1m 38s (since the step began)  expires in 8m 20s',
      'now ! requires_action  1 tool round',
    ]);
  });

  it('without steps, the round a run waits in comes from its required_action, and the pane says steps are missing', () => {
    const run = normalizeRun(
      {
        object: 'thread.run',
        id: 'run_alone',
        thread_id: 'thread_alone',
        status: 'requires_action',
        created_at: NOW - 90,
        started_at: NOW - 88,
        expires_at: NOW + 60,
        tools: [{type: 'function', function: {name: 'lookup', parameters: {type: 'object', properties: {q: {type: 'string'}}, required: ['q']}}}],
        required_action: {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [{id: 'call_x', type: 'function', function: {name: 'lookup', arguments: '{"q":1}'}}]}},
      },
      {file: 'run.json'},
    );
    const lines = paneLines(buildConversationPane(run, CONTEXT), 100).map(lineText);
    expectInOrder(lines, [
      'No messages of this thread are loaded.',
      'No steps loaded for this run',
      'round 1 · tool calls  ! requires_action  (from the run: no step read shows this round)',
      'a. lookup  call_x',
      '/q must be string',
      'output: not submitted yet',
      'waiting for tool outputs for at most 1m 28s (since the run started)  expires in 1m',
      'now ! requires_action  1 tool round',
    ]);
  });

  it('a failed run ends with its error; an incomplete message says why', () => {
    const run = normalizeRun(
      {object: 'thread.run', id: 'run_f', thread_id: 'thread_f', status: 'failed', created_at: NOW - 50, started_at: NOW - 49, failed_at: NOW - 40, last_error: {code: 'server_error', message: 'boom \u001b]52;c;x\u0007'}},
      {file: 'run.json'},
    );
    const message = normalizeThreadMessage({id: 'msg_i', object: 'thread.message', thread_id: 'thread_f', run_id: 'run_f', role: 'assistant', created_at: NOW - 45, status: 'incomplete', incomplete_details: {reason: 'max_tokens'}, content: [{type: 'text', text: {value: 'Half an ans', annotations: []}}]});
    const lines = paneLines(buildConversationPane(run, {...CONTEXT, messages: {state: 'loaded', threadId: 'thread_f', messages: [message], warnings: []}}), 100).map(lineText);
    expectInOrder(lines, ['run run_f  ✗ failed', 'Half an ans', 'incomplete: max_tokens', 'ended ✗ failed', 'last error server_error: boom \\x1b]52;c;x\\x07']);
    expect(lines.join('\n')).not.toMatch(/[\u0007\u001b]/);
  });

  it('numbers annotations by where their text is, even when the indexes are off', () => {
    const text = 'See 【1】 and 【2】.';
    const annotations = [
      {type: 'file_citation', text: '【1】', fileId: 'f1', startIndex: 4, endIndex: 7},
      {type: 'file_path', text: '【2】', fileId: 'f2', startIndex: 0, endIndex: 3},
    ];
    expect(referencedText(text, annotations)).toBe('See [1] and [2].');
    expect(referencedText('no markers', annotations)).toBe('no markers');
  });
});

describe('tool rounds', () => {
  const step = (id: string, status: string, calls: unknown[]) =>
    normalizeRunStep({id, object: 'thread.run.step', type: 'tool_calls', status, run_id: 'r', step_details: {type: 'tool_calls', tool_calls: calls}});
  const fn = {id: 'c', type: 'function', function: {name: 'f', arguments: '{}', output: null}};
  it('counts function-call steps, and the round a run waits in when no step shows it', () => {
    expect(toolRounds({status: 'completed'}, [step('a', 'completed', [fn]), step('b', 'completed', [{id: 'x', type: 'code_interpreter', code_interpreter: {input: '', outputs: []}}]), step('c', 'completed', [fn])])).toBe(2);
    expect(toolRounds({status: 'requires_action'}, [step('a', 'completed', [fn])])).toBe(2);
    expect(toolRounds({status: 'requires_action'}, [step('a', 'completed', [fn]), step('b', 'in_progress', [fn])])).toBe(2);
    expect(toolRounds({status: 'completed'}, [])).toBe(0);
  });

  it('the tab badge names the rounds of a run that took more than one', async () => {
    const loaded = await loadRunsFromSources([path.join(FIXTURES, 'story')]);
    const joined = joinItems(loaded);
    const [rounds, waiting] = ['run_storyRounds01', 'run_storyWaiting1'].map((id) => loaded.runs.find((run) => run.id === id)!);
    expect(paneBadge('conversation', rounds!, stepsViewOf(rounds!, joined))).toBe('2 rounds');
    expect(paneBadge('conversation', waiting!, stepsViewOf(waiting!, joined))).toBe('');
  });
});

describe('the thread as one conversation', () => {
  it('interleaves every run with the messages that led to it, in time order', async () => {
    const loaded = await loadRunsFromSources([path.join(FIXTURES, 'thread')]);
    const joined = joinItems(loaded);
    const threadId = 'thread_storyWeather01';
    const content = buildThreadConversation(
      {threadId, runs: loaded.runs, messages: threadMessagesView(threadId, joined), stepsOf: (run) => stepsViewOf(run, joined)},
      CONTEXT,
    );
    const lines = paneLines(content, 100).map(lineText);
    expect(itemsOfThread(joined, 'messages', threadId)).toHaveLength(4);
    expect(itemsOfRun(joined, 'steps', 'run_storyFirst01')).toHaveLength(2);
    expectInOrder(lines, [
      'thread thread_storyWeather01  2 runs, 4 messages',
      'What is the weather in Oslo?',
      'run run_storyFirst01',
      'a. get_weather  call_storyWeather1',
      '{"temp_c":-3,"sky":"snow"}',
      'It is -3 °C and snowing in Oslo [1].',
      'ended ✓ completed',
      'And now?',
      'run run_storySecond1',
      'Still snowing in Oslo.',
      'ended ✓ completed',
    ]);
  });
});
