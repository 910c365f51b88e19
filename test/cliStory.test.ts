/**
 * The run's story in print mode, through runCli on saved threads (test/fixtures/thread and
 * test/fixtures/story: runs, steps and messages as separate files): `show` includes the
 * conversation, `thread` prints a thread in order (or as read with --json), and the list names the
 * tool rounds of a finished run that took more than one.
 */
import path from 'node:path';
import {Readable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {OutputCollector} from './helpers/outputCollector.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const THREAD = path.join(FIXTURES, 'thread');
const STORY = path.join(FIXTURES, 'story');
const NOW_MS = 1_796_301_100_000;

async function cli(argv: string[], tty = false): Promise<{code: number; stdout: string; stderr: string}> {
  const stdout = new OutputCollector(tty, tty ? 120 : undefined);
  const stderr = new OutputCollector(false, undefined);
  const stdin = Object.assign(Readable.from([]), {isTTY: true});
  const code = await runCli({argv, env: {RUNLENS_NOW: String(NOW_MS / 1000), NO_COLOR: '1'}, stdin, stdout, stderr, now: () => NOW_MS});
  return {code, stdout: stdout.text, stderr: stderr.text};
}

function positions(text: string, needles: readonly string[]): number[] {
  return needles.map((needle) => text.indexOf(needle));
}

function expectInOrder(text: string, needles: readonly string[]): void {
  const at = positions(text, needles);
  expect(at.every((index) => index >= 0), `${JSON.stringify(needles)} in\n${text}`).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
}

describe('runlens show RUN_ID', () => {
  it('includes the conversation: question, tool call with arguments and output, answer', async () => {
    const {code, stdout} = await cli(['show', 'run_storyFirst01', THREAD, '--utc']);
    expect(code).toBe(0);
    const story = stdout.slice(stdout.indexOf('── Conversation'));
    expectInOrder(story, ['What is the weather in Oslo?', 'round 1 · tool calls', 'get_weather', '"city": "Oslo"', '{"temp_c":-3,"sky":"snow"}', 'It is -3 °C and snowing in Oslo [1].', 'ended ✓ completed']);
  });
});

describe('runlens thread THREAD_ID', () => {
  it('prints the runs and messages of a thread in order, as text', async () => {
    const {code, stdout} = await cli(['thread', 'thread_storyWeather01', THREAD, '--utc']);
    expect(code).toBe(0);
    expectInOrder(stdout, ['thread thread_storyWeather01  2 runs, 4 messages', 'What is the weather in Oslo?', 'run run_storyFirst01', '{"temp_c":-3,"sky":"snow"}', 'snowing in Oslo [1]', 'And now?', 'run run_storySecond1', 'Still snowing in Oslo.']);
  });

  it('--json prints the thread as read: its runs, messages and steps in order, escaped', async () => {
    const {code, stdout} = await cli(['thread', 'thread_storyOrders01', STORY, '--json']);
    expect(code).toBe(0);
    const thread = JSON.parse(stdout) as {thread_id: string; runs: Array<{id: string}>; messages: Array<{id: string; content: unknown}>; steps: Array<{id: string}>};
    expect(thread.thread_id).toBe('thread_storyOrders01');
    expect(thread.runs.map((run) => run.id)).toEqual(['run_storyRounds01', 'run_storyWaiting1']);
    expect(thread.messages.map((message) => message.id)).toEqual(['msg_storyRefusal', 'msg_storyQuestion', 'msg_storyAnswer1', 'msg_storyAgain01']);
    expect(thread.steps.map((step) => step.id)).toEqual(['step_storyR1call', 'step_storyR2call', 'step_storyCode001', 'step_storySearch1', 'step_storyAnswer1', 'step_storyW1call']);
    // The escape in the question stays in the JSON, as \u sequences that cannot act on a terminal.
    expect(stdout).not.toContain('\u001b');
    expect(JSON.stringify(thread.messages[1]!.content)).toContain('\\u001b[31m');
  });

  it('a thread with nothing loaded is an error naming it', async () => {
    const {code, stderr} = await cli(['thread', 'thread_nope', THREAD]);
    expect(code).toBe(1);
    expect(stderr).toContain("no run or message of thread 'thread_nope'");
  });

  it('needs a THREAD_ID', async () => {
    const {code, stderr} = await cli(['thread']);
    expect(code).toBe(2);
    expect(stderr).toContain('thread needs a THREAD_ID');
  });
});

describe('runlens list', () => {
  it('names the tool rounds of a finished run that took more than one, on a terminal and sorted', async () => {
    const table = await cli(['list', STORY, THREAD], true);
    expect(table.stdout.split('\n').find((line) => line.includes('run_storyRounds01'))).toMatch(/2 tool rounds$/);
    expect(table.stdout.split('\n').find((line) => line.includes('run_storyFirst01'))).not.toContain('round');
    const sorted = await cli(['list', STORY, '--sort', 'created']);
    expect(sorted.stdout.split('\n').find((line) => line.startsWith('run_storyRounds01'))!.split('\t').at(-3)).toBe('2 tool rounds'); // the note, before the kind and the cost
  });
});
