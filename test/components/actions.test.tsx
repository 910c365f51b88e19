import {afterEach, describe, expect, it} from 'vitest';
import {LiveApp} from '../../components/LiveApp.js';
import type {RunActions} from '../../components/App.js';
import {normalizeRun} from '../../src/model/normalize.js';
import type {Run} from '../../src/model/run.js';
import {RunFeed} from '../../src/sources/runFeed.js';
import {ACTIONS_NEED_API} from '../../src/store/runStore.js';
import {appElement, FIXED_NOW_MS, KEYS, footerLine, plainLines, renderSized, waitFor, waitForFrame, waitForText, type TestInstance} from './helpers.js';

/** The JSON body on the review screen: the lines from its `{` to its `}`, parsed. */
function reviewBody(frame: string): unknown {
  const lines = plainLines(frame);
  const start = lines.findIndex((line) => line === '{');
  const end = lines.findIndex((line, index) => index > start && line === '}');
  return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

const CREATED = Math.floor(FIXED_NOW_MS / 1000) - 60;

function waitingRun(status = 'requires_action'): Run {
  return normalizeRun(
    {
      object: 'thread.run',
      id: 'run_api',
      thread_id: 'thread_a',
      status,
      created_at: CREATED,
      model: 'gpt-4o',
      required_action:
        status === 'requires_action'
          ? {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: [{id: 'call_1', type: 'function', function: {name: 'f', arguments: '{}'}}]}}
          : null,
    },
    {kind: 'api', file: 'api:thread_a'},
  );
}

let instance: TestInstance | undefined;
afterEach(() => instance?.unmount());

function setup(run: Run) {
  let current = run;
  let reloads = 0;
  const feed = new RunFeed(
    {runs: [run], warnings: [], sources: ['api'], files: []},
    {
      load: async () => {
        reloads += 1;
        return {runs: [current], warnings: [], sources: ['api'], files: []};
      },
      now: () => FIXED_NOW_MS,
      watchSeconds: 5,
      watching: false,
      files: [],
      remote: true,
    },
  );
  const calls: Array<{kind: string; threadId: string; runId: string; outputs?: unknown}> = [];
  let release: (() => void) | null = null;
  const actions: RunActions = {
    cancel: async (threadId, runId) => {
      calls.push({kind: 'cancel', threadId, runId});
      current = waitingRun('cancelling');
      return {status: 'cancelling'};
    },
    submit: (threadId, runId, outputs) => {
      calls.push({kind: 'submit', threadId, runId, outputs});
      return new Promise((resolve) => {
        release = () => {
          current = waitingRun('queued');
          resolve({status: 'queued'});
        };
      });
    },
  };
  instance = renderSized(
    <LiveApp feed={feed} canWatch actions={actions} display={{color: false, ascii: false}} time={{utc: true}} now={() => FIXED_NOW_MS} tickMilliseconds={0} />,
    {columns: 200, rows: 30},
  );
  return {feed, calls, release: () => release?.(), reloads: () => reloads};
}

describe('run actions in the TUI', () => {
  it('o opens the form; Enter reviews the exact body; y submits it once, a second submit in flight is refused, then the feed reloads', async () => {
    const {feed, calls, release, reloads} = setup(waitingRun());
    await waitForText(instance!, 'run_api');
    instance!.stdin.write(KEYS.enter);
    await waitForText(instance!, '1 Overview');
    instance!.stdin.write('o');
    await waitForText(instance!, 'Tool outputs for run_api: 1 call');
    instance!.stdin.write('{"t":21}');
    await waitForText(instance!, 'output    {"t":21}');
    instance!.stdin.write(KEYS.enter);
    const review = await waitForText(instance!, 'POST …/threads/thread_a/runs/run_api/submit_tool_outputs');
    expect(reviewBody(review)).toEqual({tool_outputs: [{tool_call_id: 'call_1', output: '{"t":21}'}]});
    instance!.stdin.write('y');
    await waitForFrame(instance!, (frame) => footerLine(frame).startsWith('Submitting 1 tool output to run_api'));
    await waitFor(() => calls.length > 0);
    expect(calls).toEqual([{kind: 'submit', threadId: 'thread_a', runId: 'run_api', outputs: [{tool_call_id: 'call_1', output: '{"t":21}'}]}]);
    instance!.stdin.write('o');
    await waitForFrame(instance!, (frame) => footerLine(frame).startsWith('Refused: a submit is still in flight'));
    expect(calls).toHaveLength(1);
    release();
    await waitForFrame(instance!, (frame) => footerLine(frame).startsWith('Submitted 1 tool output: run_api is now queued'));
    await waitForText(instance!, 'queued');
    expect(reloads()).toBe(1);
    feed.stop();
  });

  it('c asks y/n; n sends nothing, y cancels', async () => {
    const {feed, calls} = setup(waitingRun());
    await waitForText(instance!, 'run_api');
    instance!.stdin.write(KEYS.enter);
    await waitForText(instance!, '1 Overview');
    instance!.stdin.write('c');
    await waitForFrame(instance!, (frame) => footerLine(frame).startsWith('Cancel run run_api? y/n'));
    instance!.stdin.write('n');
    await waitForFrame(instance!, (frame) => footerLine(frame).startsWith('Nothing sent.'));
    expect(calls).toEqual([]);
    instance!.stdin.write('c');
    await waitForFrame(instance!, (frame) => footerLine(frame).startsWith('Cancel run run_api? y/n'));
    instance!.stdin.write('y');
    await waitForFrame(instance!, (frame) => footerLine(frame).startsWith('Cancel requested: run_api is now cancelling'));
    expect(calls).toEqual([{kind: 'cancel', threadId: 'thread_a', runId: 'run_api'}]);
    feed.stop();
  });

  it('for a file source the keys say actions need an API source', async () => {
    const run = normalizeRun({object: 'thread.run', id: 'run_file', thread_id: 'thread_a', status: 'requires_action', created_at: CREATED}, {file: 'runs.json'});
    instance = renderSized(appElement([run]), {columns: 120, rows: 30});
    await waitForText(instance, 'run_file');
    instance.stdin.write(KEYS.enter);
    await waitForText(instance, '1 Overview');
    instance.stdin.write('c');
    await waitForFrame(instance, (frame) => footerLine(frame).startsWith(ACTIONS_NEED_API));
    instance.stdin.write('o');
    await waitForFrame(instance, (frame) => footerLine(frame).startsWith(ACTIONS_NEED_API));
  });
});
