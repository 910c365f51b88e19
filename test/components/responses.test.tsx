import {afterEach, describe, expect, it} from 'vitest';
import type {Run} from '../../src/model/run.js';
import {loadRunsFromSources} from '../../src/sources/loadSources.js';
import {appElement, KEYS, plainLines, renderSized, waitFor, waitForText, type TestInstance} from './helpers.js';

let instance: TestInstance | undefined;
afterEach(() => instance?.unmount());

async function runsAndResponses(): Promise<Run[]> {
  return (await loadRunsFromSources(['examples/stuck', 'examples/responses'])).runs;
}

describe('responses in the terminal UI', () => {
  it('the list shows a KIND column once runs and responses are both loaded, and a waiting response as requires_action', async () => {
    instance = renderSized(appElement(await runsAndResponses(), {sources: ['examples/stuck', 'examples/responses']}), {columns: 170, rows: 30});
    // 170 columns: COST (these responses have prices) stands before THREAD, the first column to go when narrow.
    // The RUN column fits 28 characters of the longer response ids.
    const frame = await waitForText(instance, 'resp_6920a1f0e9d8c7b6a5f4e3');
    const lines = plainLines(frame);
    expect(lines.some((line) => /STATUS\s+KIND\s+RUN/.test(line))).toBe(true);
    const waiting = lines.find((line) => line.includes('resp_6920a1f0e9d8c7b6a5f4e3'))!;
    expect(waiting).toMatch(/! requires_action\s+response\s+resp_6920a1f0/);
    expect(waiting).toContain('9m · 2 calls · wait');
    expect(lines.find((line) => line.includes('resp_6920a1b2c3d4e5f6a7b8c9'))).toMatch(/✓ completed\s+response/);
    expect(lines.find((line) => line.includes('run_'))).toMatch(/\s+run\s+run_/);
    // A response's conversation stands in the THREAD column.
    expect(lines.find((line) => line.includes('resp_6920d1aa11bb22cc33dd44'))).toContain('conv_6920d0');
  });

  it("a response's Steps pane lists its output items, its waiting calls marked, and Action holds the continuing request", async () => {
    const runs = (await runsAndResponses()).filter((run) => run.id === 'resp_6920a1f0e9d8c7b6a5f4e3d2c1b0a9f8');
    instance = renderSized(appElement(runs, {sources: ['examples/responses']}), {columns: 100, rows: 60});
    await waitForText(instance, 'resp_6920a1f0');
    instance.stdin.write(KEYS.enter);
    await waitForText(instance, '1 Overview');
    instance.stdin.write('9');
    const steps = plainLines(await waitForText(instance, '4 output items, in order'));
    expect(steps).toContain('3. function_call  refund  call_Rf7nB2  waits for its output');
    expect(steps).toContain('2. message assistant');
    instance.stdin.write('2');
    const action = plainLines(await waitForText(instance, 'POST /responses'));
    expect(action).toContain('  "previous_response_id": "resp_6920a1f0e9d8c7b6a5f4e3d2c1b0a9f8",');
    expect(action.some((line) => line.includes('/amount_cents must be integer'))).toBe(true);
  });
});

/** Opens the waiting response `id`, answers its two calls `ok` and `{}` in the output form, and returns the review screen's lines. */
async function answerBothCalls(shown: TestInstance, id: string): Promise<string[]> {
  await waitForText(shown, id.slice(0, 12));
  shown.stdin.write(KEYS.enter);
  await waitForText(shown, '1 Overview');
  shown.stdin.write('o');
  await waitForText(shown, `Tool outputs for ${id}: 2 calls`);
  shown.stdin.write('ok');
  await waitForText(shown, /output\s+ok/);
  shown.stdin.write(KEYS.tab);
  shown.stdin.write('{}');
  await waitForText(shown, /output\s+\{\}/);
  shown.stdin.write(KEYS.enter);
  return plainLines(await waitForText(shown, 'POST http://127.0.0.1:4010/v1/responses'));
}

describe('the output form on a response read from the API', () => {
  it('reviews the continuing POST /responses and, on y, hands the outputs for the response to the actions once', async () => {
    const waiting = (await runsAndResponses()).find((run) => run.id === 'resp_6920a1f0e9d8c7b6a5f4e3d2c1b0a9f8')!;
    const fromApi = {...waiting, source: {kind: 'api' as const, file: 'api:resp_6920a1f0e9d8c7b6a5f4e3d2c1b0a9f8'}};
    const sent: Array<[string, string, unknown]> = [];
    const actions = {
      cancel: async () => ({status: 'cancelled'}),
      submit: async (threadId: string, runId: string, outputs: unknown) => {
        sent.push([threadId, runId, outputs]);
        return {status: 'in_progress'};
      },
      baseUrl: 'http://127.0.0.1:4010/v1',
    };
    instance = renderSized(appElement([fromApi], {sources: ['api'], actions}), {columns: 120, rows: 60});
    const review = await answerBothCalls(instance, 'resp_6920a1f0e9d8c7b6a5f4e3d2c1b0a9f8');
    expect(review).toContain('  "previous_response_id": "resp_6920a1f0e9d8c7b6a5f4e3d2c1b0a9f8",');
    expect(review).toContain('      "call_id": "call_Rf7nB2",');
    expect(review).toContain('      "output": "ok"');
    instance.stdin.write('y');
    await waitFor(() => sent.length === 1);
    expect(sent).toEqual([['', 'resp_6920a1f0e9d8c7b6a5f4e3d2c1b0a9f8', [{tool_call_id: 'call_Rf7nB2', output: 'ok'}, {tool_call_id: 'call_Lk9xP4', output: '{}'}]]]);
  });
});

describe('actions on a response are routed by its kind', () => {
  it('a response whose id is spelt without resp_ reaches submit as a response', async () => {
    const loaded = await runsAndResponses();
    const waiting = loaded.find((run) => run.id === 'resp_6920a1f0e9d8c7b6a5f4e3d2c1b0a9f8')!;
    // A compatible server may spell its ids its own way: the object read says what it is, not the id.
    const renamed = {...waiting, id: 'rsp_compat_1', source: {kind: 'api' as const, file: 'api:rsp_compat_1'}};
    const sent: Array<[string, string, string | undefined]> = [];
    const actions = {
      cancel: async (_threadId: string, runId: string, kind?: string) => {
        sent.push(['cancel', runId, kind]);
        return {status: 'cancelled'};
      },
      submit: async (_threadId: string, runId: string, _outputs: unknown, kind?: string) => {
        sent.push(['submit', runId, kind]);
        return {status: 'in_progress'};
      },
      baseUrl: 'http://127.0.0.1:4010/v1',
    };
    instance = renderSized(appElement([renamed], {sources: ['api'], actions}), {columns: 120, rows: 60});
    await answerBothCalls(instance, 'rsp_compat_1');
    instance.stdin.write('y');
    await waitFor(() => sent.length === 1);
    expect(sent).toEqual([['submit', 'rsp_compat_1', 'response']]);
  });
});
