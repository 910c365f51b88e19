/**
 * The run's story from an API thread: the fake Assistants server on 127.0.0.1 holds the saved
 * thread of test/fixtures/story (runs, steps, messages), and `show`, `thread` and the TUI's
 * Conversation pane read its steps and messages from there, telling it in order.
 */
import {readFileSync} from 'node:fs';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runCli} from '../src/cli/main.js';
import {FakeAssistantsServer} from './fakeServer/fakeAssistantsServer.js';
import {OutputCollector} from './helpers/outputCollector.js';

const STORY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/story');
const KEY = 'sk-story-canary-42';
const NOW_MS = 1_796_301_100_000;
const THREAD = 'thread_storyOrders01';

type Json = Record<string, unknown>;
let server: FakeAssistantsServer;
let configDir: string;

beforeEach(async () => {
  server = await FakeAssistantsServer.start({apiKey: KEY});
  configDir = mkdtempSync(path.join(tmpdir(), 'runlens-story-'));
  const runs = JSON.parse(readFileSync(path.join(STORY, 'runs.json'), 'utf8')) as Json[];
  const steps = (JSON.parse(readFileSync(path.join(STORY, 'steps.json'), 'utf8')) as {data: Json[]}).data;
  const messages = readFileSync(path.join(STORY, 'messages.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Json);
  server.addRuns(THREAD, runs);
  for (const run of runs) server.setSteps(THREAD, run['id'] as string, steps.filter((step) => step['run_id'] === run['id']));
  server.setMessages(THREAD, messages);
});
afterEach(async () => {
  await server.close();
});

async function cli(argv: string[]) {
  const stdout = new OutputCollector();
  const stderr = new OutputCollector();
  const stdin = Object.assign(new PassThrough(), {isTTY: true});
  const code = await runCli({argv: [...argv, '--base-url', server.baseUrl, '--utc'], env: {OPENAI_API_KEY: KEY, RUNLENS_CONFIG_DIR: configDir, RUNLENS_NOW: String(NOW_MS / 1000)}, stdin, stdout, stderr, now: () => NOW_MS});
  return {code, stdout: stdout.text, stderr: stderr.text};
}

function expectInOrder(text: string, needles: readonly string[]): void {
  const at = needles.map((needle) => text.indexOf(needle));
  expect(at.every((index) => index >= 0), `${JSON.stringify(needles)} in\n${text}`).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
}

const ROUNDS_STORY = ['Where is my order A7?', 'round 1 · tool calls', '"order_id": "A7"', '{"status":"lost in transit","total":40}', 'round 2 · tool calls', '{"refunded":40}', 'I refunded 40 EUR [1]', 'ended ✓ completed'];

describe('an API thread', () => {
  it('show RUN_ID --thread reads the run, its steps and its thread messages, and tells the story in order', async () => {
    const {code, stdout, stderr} = await cli(['show', 'run_storyRounds01', '--thread', THREAD]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expectInOrder(stdout.slice(stdout.indexOf('── Conversation')), ROUNDS_STORY);
    expect(stdout).not.toContain(KEY);
    const paths = server.requests.map((request) => request.path);
    expect(paths).toContain(`/threads/${THREAD}/messages`);
    expect(paths).toContain(`/threads/${THREAD}/runs/run_storyRounds01/steps`);
  });

  it('thread THREAD_ID with no source reads the thread from the API', async () => {
    const {code, stdout, stderr} = await cli(['thread', THREAD]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expectInOrder(stdout, [`thread ${THREAD}  2 runs, 4 messages`, ...ROUNDS_STORY, 'Refund the shipping too.', 'run run_storyWaiting1', 'output: not submitted yet']);
  });
});
