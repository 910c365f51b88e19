/**
 * The Conversation pane in the terminal UI: a saved thread (runs, steps and messages as separate
 * files) opened on a run tells its story in order, read from the frame.
 */
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {readFileSync} from 'node:fs';
import {LiveApp} from '../../components/LiveApp.js';
import {normalizeRun} from '../../src/model/normalize.js';
import {normalizeRunStep} from '../../src/model/runStep.js';
import {normalizeThreadMessage} from '../../src/model/threadMessage.js';
import {loadRunsFromSources} from '../../src/sources/loadSources.js';
import {RunFeed} from '../../src/sources/runFeed.js';
import {MessageLoader} from '../../src/store/messageLoader.js';
import {StepLoader} from '../../src/store/stepLoader.js';
import {appElement, KEYS, plainLines, renderSized, waitForText, type TestInstance} from './helpers.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
// The story fixture's clock: its waiting run has waited 1m 38s and expires in 8m 20s.
const NOW_MS = 1_796_301_100_000;

let instance: TestInstance | undefined;
afterEach(() => instance?.unmount());

/** Opens `runId` of the fixture folder and goes to its Conversation pane (Shift-Tab from the first pane). */
async function conversation(folder: string | string[], runId: string): Promise<string[]> {
  const loaded = await loadRunsFromSources((Array.isArray(folder) ? folder : [folder]).map((name) => path.join(FIXTURES, name)));
  instance = renderSized(appElement(loaded.runs, {items: loaded, now: () => NOW_MS, initialQuery: {search: runId}}), {columns: 100, rows: 120});
  await waitForText(instance, runId);
  instance.stdin.write(KEYS.enter);
  await waitForText(instance, '1 Overview');
  instance.stdin.write(KEYS.shiftTab);
  return plainLines(await waitForText(instance, `run ${runId}  `));
}

/** Each text is on a line of the frame, in this order. */
function expectInOrder(lines: readonly string[], texts: readonly string[]): void {
  const at = texts.map((text) => lines.findIndex((line) => line.includes(text)));
  expect(at.every((index) => index >= 0), lines.join('\n')).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
}

describe('the Conversation pane (Shift-Tab from Overview)', () => {
  it('tells a saved run in order: question, tool calls with arguments and outputs by round, answer, end', async () => {
    const lines = await conversation('story', 'run_storyRounds01');
    expect(lines.some((line) => /\bConversation \(2 rounds\)|Chat \(2 rounds\)/.test(line))).toBe(true);
    expectInOrder(lines, [
      'Where is my order A7?',
      'round 1 · tool calls',
      '"order_id": "A7"',
      '{"status":"lost in transit","total":40}',
      'round 2 · tool calls',
      '"amount": "forty"',
      '{"refunded":40}',
      'file_search  call_storySearch1',
      'I refunded 40 EUR [1]',
      'ended ✓ completed',
    ]);
  });

  it('a run waiting for outputs shows the waiting round and the earlier turns collapsed', async () => {
    const lines = await conversation('story', 'run_storyWaiting1');
    expectInOrder(lines, ['Earlier in the thread (3 messages, one line each)', 'Refund the shipping too.', 'round 1 · tool calls  ● in_progress', 'output: not submitted yet', 'waiting for tool outputs for 1m 38s', 'now ! requires_action']);
  });
});

describe('the thread view (t) from a run', () => {
  it('opens the whole thread as one conversation across its runs, below the thread summary', async () => {
    const loaded = await loadRunsFromSources([path.join(FIXTURES, 'thread')]);
    instance = renderSized(appElement(loaded.runs, {items: loaded, now: () => NOW_MS, initialQuery: {search: 'run_storySecond1'}}), {columns: 100, rows: 120});
    await waitForText(instance, 'run_storySecond1');
    instance.stdin.write(KEYS.enter);
    await waitForText(instance, '1 Overview');
    instance.stdin.write('t');
    const lines = plainLines(await waitForText(instance, 'thread thread_storyWeather01  2 runs, 4 messages'));
    expectInOrder(lines, ['What is the weather in Oslo?', 'run run_storyFirst01', '{"temp_c":-3,"sky":"snow"}', 'snowing in Oslo [1]', 'And now?', 'run run_storySecond1', 'Still snowing in Oslo.']);
  });
});

describe('the Conversation pane of a transcript pair', () => {
  it('joins the requires-action stream and the submit-tool-outputs stream of one run into one story', async () => {
    const lines = await conversation(['sse/requires-action.sse', 'sse/requires-action-submit.sse'], 'run_Qm3xT8vLk2PzR7nB4cW9yHdE');
    expectInOrder(lines, [
      'Let me look up order A-1042',
      'round 1 · tool calls  ✓ completed',
      'a. lookup_order  call_EruwaWHfnyI45dfNoqV3cjp6',
      '"order_id": "A-1042"',
      '{"order_id":"A-1042","status":"shipped"',
      'b. get_shipping_quote',
      '{"carrier":"UPS","price_usd":7.9}',
      'Order A-1042 has shipped',
      'ended ✓ completed',
    ]);
  });
});

describe('the Conversation pane of an API thread', () => {
  it('asks the loaders for the steps of the run and the messages of its thread once, then tells the story', async () => {
    const folder = path.join(FIXTURES, 'story');
    const api = {kind: 'api' as const, file: 'api:thread_storyOrders01'};
    const runs = (JSON.parse(readFileSync(path.join(folder, 'runs.json'), 'utf8')) as Array<Record<string, unknown>>).map((raw) => normalizeRun(raw, api));
    const steps = (JSON.parse(readFileSync(path.join(folder, 'steps.json'), 'utf8')) as {data: Array<Record<string, unknown>>}).data.map((raw) => normalizeRunStep(raw));
    const messages = readFileSync(path.join(folder, 'messages.jsonl'), 'utf8').trim().split('\n').map((line) => normalizeThreadMessage(JSON.parse(line) as Record<string, unknown>));
    const loaded = {runs, warnings: [], sources: ['api'], files: []};
    const feed = new RunFeed(loaded, {load: async () => loaded, now: () => NOW_MS, watchSeconds: 5, watching: false, files: [], remote: true});
    const asked: string[] = [];
    const stepLoader = new StepLoader(async (run) => {
      asked.push(`steps ${run.id}`);
      return {steps: steps.filter((step) => step.runId === run.id).reverse(), warnings: []};
    });
    const messageLoader = new MessageLoader(async (threadId) => {
      asked.push(`messages ${threadId}`);
      return {messages: [...messages].reverse(), warnings: []};
    });
    instance = renderSized(
      <LiveApp feed={feed} canWatch steps={stepLoader} messages={messageLoader} display={{color: false, ascii: false}} time={{utc: true}} now={() => NOW_MS} tickMilliseconds={0} initialQuery={{search: 'run_storyRounds01'}} />,
      {columns: 100, rows: 120},
    );
    await waitForText(instance, 'run_storyRounds01');
    instance.stdin.write(KEYS.enter);
    await waitForText(instance, '1 Overview');
    instance.stdin.write(KEYS.shiftTab);
    const lines = plainLines(await waitForText(instance, 'I refunded 40 EUR [1]'));
    expectInOrder(lines, ['Where is my order A7?', 'round 1 · tool calls', '{"status":"lost in transit","total":40}', 'round 2 · tool calls', '{"refunded":40}', 'I refunded 40 EUR [1]', 'ended ✓ completed']);
    expect(asked).toEqual(['steps run_storyRounds01', 'messages thread_storyOrders01']);
    feed.stop();
  });
});
