/**
 * The tool output form (`o`) rendered, against the fake Assistants API: what is typed is what the
 * review shows and what the server receives; the editor path with a fake launcher. On a Foundry
 * run waiting for MCP tool approvals, the same form takes a (approve) or d (deny) per call.
 */
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {LiveApp} from '../../components/LiveApp.js';
import type {RunActions} from '../../components/App.js';
import type {EditText} from '../../src/editor/externalEditor.js';
import type {ApiConnectionOptions} from '../../src/sources/api/apiClient.js';
import {AssistantsApi} from '../../src/sources/api/assistantsApi.js';
import {loadRunsFromApi} from '../../src/sources/api/loadRunsFromApi.js';
import {RunFeed} from '../../src/sources/runFeed.js';
import {FakeAssistantsServer, makeApprovalRun, makeWaitingRun} from '../fakeServer/fakeAssistantsServer.js';
import {unstickTargetOf} from '../../src/triage/unstick.js';
import {FIXED_NOW_MS, KEYS, footerLine, plainLines, renderSized, waitFor, waitForFrame, waitForText, type TestInstance} from './helpers.js';

const KEY = 'sk-test-form';
const RUN_ID = 'run_a_0000';
let server: FakeAssistantsServer;
let instance: TestInstance | undefined;

beforeEach(async () => {
  server = await FakeAssistantsServer.start({apiKey: KEY});
  server.addRuns('thread_a', [
    makeWaitingRun('thread_a', 0, [
      ['call_weather', 'get_weather', '{"city":"Paris"}'],
      ['call_time', 'get_time', '{"tz":"Europe/Paris\u001b[2J"}'],
      ['call_order', 'lookup_order', '{"order_id":42}'],
    ]),
  ]);
});
afterEach(async () => {
  instance?.unmount();
  instance = undefined;
  await server.close();
});

/** The JSON body on the review screen: the lines from its `{` to its `}`, parsed. */
function reviewBody(frame: string): unknown {
  const lines = plainLines(frame);
  const start = lines.findIndex((line) => line === '{');
  const end = lines.findIndex((line, index) => index > start && line === '}');
  return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

/** The output line of each call in the form, as shown. */
function outputLines(frame: string): string[] {
  return plainLines(frame)
    .filter((line) => line.startsWith('     output'))
    .map((line) => line.replace(/^\s+output\s+/, '').trimEnd());
}

/** The app on the fake server's thread, the run opened and its form open; `foundry`: a Foundry connection instead. */
async function start(editText?: EditText, foundry?: {env: Record<string, string>; connection: ApiConnectionOptions}) {
  const env = foundry?.env ?? {OPENAI_API_KEY: KEY};
  const connection = foundry?.connection ?? {baseUrl: server.baseUrl, maxRetries: 0, timeoutMs: 5000};
  const loaded = await loadRunsFromApi({threads: ['thread_a'], connection, env});
  const feed = new RunFeed(loaded, {load: () => loadRunsFromApi({threads: ['thread_a'], connection, env}), now: () => FIXED_NOW_MS, watchSeconds: 5, watching: false, files: [], remote: true});
  const api = AssistantsApi.create(connection, env);
  const actions: RunActions = {
    cancel: (threadId, runId) => api.cancelRun(threadId, runId),
    submit: (threadId, runId, outputs) => api.submitToolOutputs(threadId, runId, outputs),
    submitApprovals: (threadId, runId, approvals) => api.submitToolApprovals(threadId, runId, approvals),
    baseUrl: api.connection.baseUrl,
    ...(foundry ? {unstick: unstickTargetOf(api.connection)} : {}),
  };
  instance = renderSized(
    <LiveApp feed={feed} canWatch actions={actions} {...(editText ? {editText} : {})} display={{color: false, ascii: false}} time={{utc: true}} now={() => FIXED_NOW_MS} tickMilliseconds={0} />,
    {columns: foundry ? 160 : 140, rows: 40},
  );
  await waitForText(instance, RUN_ID);
  instance.stdin.write(KEYS.enter);
  await waitForText(instance, '1 Overview');
  instance.stdin.write('o');
  await waitForText(instance, foundry ? `Tool approvals for ${RUN_ID}` : `Tool outputs for ${RUN_ID}: 3 calls`);
  return feed;
}

/** Types one key at a time, waiting for each to show in the focused output. */
async function typeInto(text: string, index: number) {
  for (let end = 1; end <= text.length; end += 1) {
    instance!.stdin.write(text[end - 1]!);
    // The frame's lines end trimmed: a space typed last shows with the next key.
    const expected = text.slice(0, end).trimEnd();
    await waitForFrame(instance!, (frame) => outputLines(frame)[index] === expected);
  }
}

const submits = () => server.requestsTo(`/threads/thread_a/runs/${RUN_ID}/submit_tool_outputs`, 'POST');

describe('the tool output form', () => {
  it('shows each call (name, id, sanitized arguments); typed outputs, Tab between calls, q typed as text; the review body is what the API receives', async () => {
    const feed = await start();
    const form = instance!.lastFrame()!;
    expect(plainLines(form)).toContain('› 1. get_weather  call_weather');
    expect(form).toContain('arguments {"city":"Paris"}');
    expect(form).toContain('arguments {"tz":"Europe/Paris\\x1b[2J"}');
    expect(form).not.toContain('\u001b[2J');
    expect(footerLine(form)).toContain('Tab/↓ next call');

    await typeInto('sunny, 21', 0);
    instance!.stdin.write(KEYS.tab);
    await waitForFrame(instance!, (frame) => plainLines(frame).includes('› 2. get_time  call_time'));
    await typeInto('q: 12:00 j/k', 1);
    instance!.stdin.write(KEYS.tab);
    await waitForFrame(instance!, (frame) => plainLines(frame).includes('› 3. lookup_order  call_order'));
    await typeInto('{"status":"shipped"}x', 2);
    instance!.stdin.write(KEYS.backspace);
    await waitForFrame(instance!, (frame) => outputLines(frame)[2] === '{"status":"shipped"}');
    // Still in the form: q typed, nothing quit or moved.
    expect(instance!.lastFrame()).toContain('Tool outputs for');

    instance!.stdin.write(KEYS.enter);
    const review = await waitForText(instance!, `POST ${server.baseUrl}/threads/thread_a/runs/${RUN_ID}/submit_tool_outputs`);
    const shown = reviewBody(review);
    expect(shown).toEqual({
      tool_outputs: [
        {tool_call_id: 'call_weather', output: 'sunny, 21'},
        {tool_call_id: 'call_time', output: 'q: 12:00 j/k'},
        {tool_call_id: 'call_order', output: '{"status":"shipped"}'},
      ],
    });
    // n goes back with the values kept; Enter on the last call reviews again.
    instance!.stdin.write('n');
    const back = await waitForText(instance!, 'Tool outputs for');
    expect(outputLines(back)).toEqual(['sunny, 21', 'q: 12:00 j/k', '{"status":"shipped"}']);
    instance!.stdin.write(KEYS.enter);
    await waitForText(instance!, 'POST ');
    expect(submits()).toHaveLength(0);

    instance!.stdin.write('y');
    await waitForFrame(instance!, (frame) => footerLine(frame).startsWith(`Submitted 3 tool outputs: ${RUN_ID} is now queued`));
    expect(submits()).toHaveLength(1);
    expect(submits()[0]!.body).toEqual(shown);
    // The run refreshes after the submit.
    await waitForFrame(instance!, (frame) => /^○ queued\s+run_a_0000/m.test(plainLines(frame).join('\n')));
    feed.stop();
  });

  it('Esc cancels: nothing is sent and the run is shown again', async () => {
    const feed = await start();
    await typeInto('abc', 0);
    instance!.stdin.write(KEYS.escape);
    await waitForFrame(instance!, (frame) => footerLine(frame).startsWith('Nothing sent.'));
    expect(instance!.lastFrame()).toContain('1 Overview');
    expect(submits()).toHaveLength(0);
    feed.stop();
  });

  it('Ctrl-E opens the editor on the JSON template; an invalid file is reported and the form kept; a valid one goes to the review', async () => {
    const opened: string[] = [];
    const answers = [
      '{"tool_outputs": [\n  {"tool_call_id": "call_weather", "output": "rain"},\n  oops\n]}',
      '{"tool_outputs": [{"tool_call_id": "call_weather", "output": 7}]}',
      JSON.stringify({
        tool_outputs: [
          {tool_call_id: 'call_order', output: 'shipped'},
          {tool_call_id: 'call_weather', output: 'rain'},
          {tool_call_id: 'call_time', output: '12:00'},
        ],
      }),
    ];
    const editText: EditText = async (text, name) => {
      opened.push(text);
      expect(name).toBe(`runlens-outputs-${RUN_ID}`);
      return {text: answers[opened.length - 1]!, label: `${name}.json`};
    };
    const feed = await start(editText);
    await typeInto('sun', 0);
    instance!.stdin.write('\u0005');
    const failed = await waitForText(instance!, `runlens-outputs-${RUN_ID}.json:3:3:`);
    expect(JSON.parse(opened[0]!)).toEqual({
      tool_outputs: [
        {tool_call_id: 'call_weather', output: 'sun'},
        {tool_call_id: 'call_time', output: ''},
        {tool_call_id: 'call_order', output: ''},
      ],
    });
    expect(outputLines(failed)).toEqual(['sun', '(empty)', '(empty)']);

    // The editor reopens on what was saved, not a fresh template.
    instance!.stdin.write('\u0005');
    await waitForText(instance!, `runlens-outputs-${RUN_ID}.json:1:62: tool_outputs[0].output: must be a string`);
    expect(opened[1]).toBe(answers[0]);

    instance!.stdin.write('\u0005');
    const review = await waitForText(instance!, 'POST ');
    expect(reviewBody(review)).toEqual({
      tool_outputs: [
        {tool_call_id: 'call_weather', output: 'rain'},
        {tool_call_id: 'call_time', output: '12:00'},
        {tool_call_id: 'call_order', output: 'shipped'},
      ],
    });
    instance!.stdin.write('y');
    await waitFor(() => submits().length === 1);
    expect(submits()[0]!.body).toEqual(reviewBody(review));
    feed.stop();
  });
});

const TOKEN = 'approval-form-token';
const approvalSubmits = () => server.requestsTo(`/threads/thread_a/runs/${RUN_ID}/submit_tool_outputs`, 'POST');
const answers = (frame: string) => plainLines(frame).filter((line) => line.startsWith('     answer')).map((line) => line.replace(/^\s+answer\s+/, '').trimEnd());

describe('the form on a Foundry run waiting for MCP tool approvals', () => {
  it('takes approve or deny per call, reviews the exact request (project endpoint, api-version), and sends it once', async () => {
    // The Foundry-shaped server in place of the one beforeEach started.
    await server.close();
    server = await FakeAssistantsServer.start({foundry: {tokens: [TOKEN]}});
    server.addRuns('thread_a', [
      makeApprovalRun('thread_a', 0, [
        ['call_search', 'search_issues', '{"q":"bug"}'],
        ['call_create', 'create_issue', '{"title":"x"}'],
      ]),
    ]);
    await start(undefined, {
      env: {FOUNDRY_TOKEN: TOKEN},
      connection: {foundry: {projectEndpoint: server.projectEndpoint, apiVersion: '2025-05-01', credential: {kind: 'token-env', variable: 'FOUNDRY_TOKEN'}}, maxRetries: 0, timeoutMs: 5000},
    });
    const app = instance!;
    const form = await waitForText(app, `Tool approvals for ${RUN_ID}: 2 MCP calls`);
    expect(plainLines(form)).toContain('› 1. github › search_issues  call_search');
    expect(answers(form)).toEqual(['(a approve, d deny)', '(a approve, d deny)']);

    app.stdin.write('a');
    await waitForFrame(app, (frame) => answers(frame)[0] === 'approve');
    // Enter on the first call moves on; the second is still unanswered, so the review is refused.
    app.stdin.write(KEYS.enter);
    await waitForFrame(app, (frame) => plainLines(frame).includes('› 2. github › create_issue  call_create'));
    app.stdin.write(KEYS.enter);
    await waitForText(app, 'POST ');
    app.stdin.write('y');
    await waitForText(app, 'no answer for call_create');
    expect(approvalSubmits()).toHaveLength(0);

    // Back in the form, on the call that was left unanswered.
    expect(plainLines(app.lastFrame()!)).toContain('› 2. github › create_issue  call_create');
    app.stdin.write('d');
    await waitForFrame(app, (frame) => answers(frame)[1] === 'deny');
    app.stdin.write(KEYS.enter);
    const review = await waitForText(app, 'Review: 2 tool approvals');
    const flat = plainLines(review).join('');
    expect(flat).toContain(`POST ${server.projectEndpoint}/threads/thread_a/runs/${RUN_ID}/submit_tool_outputs?api-version=2025-05-01`);
    expect(review).toContain('1 approved, 1 denied');
    expect(review).toContain('"tool_approvals"');

    app.stdin.write('y');
    await waitForFrame(app, (frame) => footerLine(frame).startsWith(`Submitted 2 tool approvals: ${RUN_ID} is now queued`));
    expect(approvalSubmits()).toHaveLength(1);
    expect(approvalSubmits()[0]!.body).toEqual({tool_approvals: [{tool_call_id: 'call_search', approve: true}, {tool_call_id: 'call_create', approve: false}]});
    expect(approvalSubmits()[0]!.headers['authorization']).toBe(`Bearer ${TOKEN}`);
  });
});
