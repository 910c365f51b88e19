/**
 * End to end: the built CLI in tmux against the fake Assistants API (in this process): `o` on a
 * run in requires_action, outputs typed into the form or written by `$EDITOR` (a shell script),
 * the review, `y`, and the body the server received.
 */
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeAll, beforeEach, describe, expect, it, type TestContext} from 'vitest';
import {FakeAssistantsServer, makeWaitingRun} from '../fakeServer/fakeAssistantsServer.js';
import {ensureBuilt, useSessions, type TmuxSession} from './tmux.js';

const sessions = useSessions();
const KEY = 'sk-e2e-actions';
const RUN_ID = 'run_a_0000';
const SUBMIT_PATH = `/threads/thread_a/runs/${RUN_ID}/submit_tool_outputs`;

/** The outputs of each submit the server received, as `[call id, output]` pairs. */
function receivedOutputs(): Array<Array<[string, string]>> {
  return server.requestsTo(SUBMIT_PATH, 'POST').map((request) =>
    (request.body as {tool_outputs: Array<{tool_call_id: string; output: string}>}).tool_outputs.map((output) => [output.tool_call_id, output.output]),
  );
}

beforeAll(ensureBuilt, 120_000);

let server: FakeAssistantsServer;
let folder: string;
beforeEach(async () => {
  server = await FakeAssistantsServer.start({apiKey: KEY});
  server.addRuns('thread_a', [
    makeWaitingRun('thread_a', 0, [
      ['call_weather', 'get_weather', '{"city":"Paris"}'],
      ['call_time', 'get_time', '{}'],
    ]),
  ]);
  folder = mkdtempSync(path.join(tmpdir(), 'runlens-e2e-actions-'));
});
afterEach(async () => {
  await server.close();
  rmSync(folder, {recursive: true, force: true});
});

/** runlens on the fake server's thread, the run opened and its output form shown. */
async function openForm(context: TestContext, env: Record<string, string> = {}): Promise<TmuxSession> {
  const session = await sessions.runlens(context, ['--thread', 'thread_a', '--base-url', server.baseUrl, '--max-retries', '0'], {
    width: 120,
    height: 30,
    env: {OPENAI_API_KEY: KEY, RUNLENS_CONFIG_DIR: folder, ...env},
  });
  await session.waitForReady(RUN_ID);
  await session.sendKeys('Enter');
  await session.waitFor('1 Overview');
  await session.sendKeys('o');
  await session.waitFor(`Tool outputs for ${RUN_ID}: 2 calls`);
  return session;
}

describe('tool outputs from the terminal UI', () => {
  it('typed into the form (q included), reviewed, confirmed: the server receives exactly the reviewed body', async (context) => {
    const session = await openForm(context);
    await session.type('sunny, 21');
    await session.waitFor(/output\s+sunny, 21/);
    await session.sendKeys('Tab');
    await session.waitFor('› 2. get_time  call_time');
    await session.type('q=12:00');
    await session.waitFor(/output\s+q=12:00/);
    await session.sendKeys('Enter');
    const review = await session.waitFor(`POST ${server.baseUrl}${SUBMIT_PATH}`);
    expect(review).toContain('"tool_call_id": "call_weather"');
    expect(server.requestsTo(SUBMIT_PATH, 'POST')).toHaveLength(0);
    await session.sendKeys('y');
    await session.waitFor(`Submitted 2 tool outputs: ${RUN_ID} is now queued`);
    expect(server.requestsTo(SUBMIT_PATH, 'POST')[0]!.body).toEqual({tool_outputs: [{tool_call_id: 'call_weather', output: 'sunny, 21'}, {tool_call_id: 'call_time', output: 'q=12:00'}]});
    expect(receivedOutputs()).toHaveLength(1);
    // Still running, and back on the run.
    await session.waitFor(/^○ queued\s+run_a_0000/m);
  });

  it('Ctrl-E runs $EDITOR (a script that asks on the terminal, then writes the JSON); the app comes back with the review, then y sends it', async (context) => {
    const editor = path.join(folder, 'editor.sh');
    // `read` ends on Enter only in the terminal's normal (cooked) mode: it proves runlens left raw mode for the editor.
    writeFileSync(
      editor,
      [
        '#!/bin/sh',
        `cp "$1" "${folder}/template.json"`,
        "printf 'EDITOR-SCRIPT time? '",
        'read answer',
        `printf '{"tool_outputs":[{"tool_call_id":"call_time","output":"%s"},{"tool_call_id":"call_weather","output":"{\\\\"sky\\\\":\\\\"clear\\\\"}"}]}' "$answer" > "$1"`,
        '',
      ].join('\n'),
    );
    chmodSync(editor, 0o755);
    const session = await openForm(context, {EDITOR: editor});
    await session.type('draft');
    await session.waitFor(/output\s+draft/);
    await session.sendKeys('C-e');
    // The editor has the terminal: runlens's frame is gone (the alternate screen was left).
    const editing = await session.waitFor('EDITOR-SCRIPT time?');
    expect(editing).not.toContain('Tool outputs for');
    await session.type('noon');
    await session.sendKeys('Enter');
    const review = await session.waitFor(`POST ${server.baseUrl}${SUBMIT_PATH}`);
    // The whole frame is back after the editor: header on top, footer at the bottom.
    expect(review).toMatch(/^runlens /);
    expect(review).toMatch(/y send\s+n\/Esc back/);
    expect(JSON.parse(readFileSync(path.join(folder, 'template.json'), 'utf8'))).toEqual({
      tool_outputs: [
        {tool_call_id: 'call_weather', output: 'draft'},
        {tool_call_id: 'call_time', output: ''},
      ],
    });
    await session.sendKeys('y');
    await session.waitFor(`Submitted 2 tool outputs: ${RUN_ID} is now queued`);
    expect(receivedOutputs()).toEqual([
      [
        ['call_weather', '{"sky":"clear"}'],
        ['call_time', 'noon'],
      ],
    ]);
  });

  it('a SIGINT that reaches runlens while the editor runs (Ctrl-C in a terminal in its normal mode) does not quit it', async (context) => {
    const editor = path.join(folder, 'interrupting-editor.sh');
    // The editor's parent is the shell runlens starts it with; that shell's parent is runlens.
    writeFileSync(
      editor,
      [
        '#!/bin/sh',
        'runlens_pid=$(ps -o ppid= -p "$PPID" | tr -d " ")',
        'kill -INT "$runlens_pid"',
        'sleep 0.2',
        `printf '%s' '{"tool_outputs":[{"tool_call_id":"call_weather","output":"a"},{"tool_call_id":"call_time","output":"b"}]}' > "$1"`,
        '',
      ].join('\n'),
    );
    chmodSync(editor, 0o755);
    const session = await openForm(context, {EDITOR: editor});
    await session.sendKeys('C-e');
    const review = await session.waitFor(`POST ${server.baseUrl}${SUBMIT_PATH}`);
    expect(review).not.toContain('stopped by SIGINT');
    // Still running and reading keys.
    await session.sendKeys('n');
    await session.waitFor('Tool outputs for');
  });
});
