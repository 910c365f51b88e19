/**
 * The Conversation pane in the terminal UI: a saved thread (runs, steps and messages as separate
 * files) opened on a run tells its story in order, read from the frame.
 */
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {loadRunsFromSources} from '../../src/sources/loadSources.js';
import {appElement, KEYS, plainLines, renderSized, waitForText, type TestInstance} from './helpers.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
// The story fixture's clock: its waiting run has waited 1m 38s and expires in 8m 20s.
const NOW_MS = 1_796_301_100_000;

let instance: TestInstance | undefined;
afterEach(() => instance?.unmount());

/** Opens `runId` of the fixture folder and goes to its Conversation pane (Shift-Tab from the first pane). */
async function conversation(folder: string, runId: string): Promise<string[]> {
  const loaded = await loadRunsFromSources([path.join(FIXTURES, folder)]);
  instance = renderSized(appElement(loaded.runs, {items: loaded, now: () => NOW_MS, initialQuery: {search: runId}}), {columns: 100, rows: 120});
  await waitForText(instance, runId);
  instance.stdin.write(KEYS.enter);
  await waitForText(instance, '1 Overview');
  instance.stdin.write(KEYS.shiftTab);
  return plainLines(await waitForText(instance, `run ${runId}  `));
}

function order(lines: readonly string[], texts: readonly string[]): number[] {
  return texts.map((text) => lines.findIndex((line) => line.includes(text)));
}

describe('the Conversation pane (Shift-Tab from Overview)', () => {
  it('tells a saved run in order: question, tool calls with arguments and outputs by round, answer, end', async () => {
    const lines = await conversation('story', 'run_storyRounds01');
    expect(lines.some((line) => /\bConversation \(2 rounds\)|Chat \(2 rounds\)/.test(line))).toBe(true);
    const at = order(lines, [
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
    expect(at.every((index) => index >= 0), lines.join('\n')).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('a run waiting for outputs shows the waiting round and the earlier turns collapsed', async () => {
    const lines = await conversation('story', 'run_storyWaiting1');
    const at = order(lines, ['Earlier in the thread (3 messages, one line each)', 'Refund the shipping too.', 'round 1 · tool calls  ● in_progress', 'output: not submitted yet', 'waiting for tool outputs for 1m 38s', 'now ! requires_action']);
    expect(at.every((index) => index >= 0), lines.join('\n')).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});
