import {describe, expect, it} from 'vitest';
import {paneLines} from '../src/cli/paneText.js';
import {normalizeRun} from '../src/model/normalize.js';
import {normalizeRunStep, type RunStep} from '../src/model/runStep.js';
import {lineText} from '../src/panes/content.js';
import type {PaneContext, StepsView} from '../src/panes/paneContext.js';
import {buildPane, paneBadge} from '../src/panes/paneIds.js';
import {buildStepsPane, STEPS_NEED_API} from '../src/panes/stepsPane.js';
import {StepLoader} from '../src/store/stepLoader.js';

const NOW = Math.floor(Date.parse('2026-11-25T12:00:00Z') / 1000);
const CONTEXT: PaneContext = {nowSeconds: NOW, time: {utc: true}};
const CREATED = NOW - 120;

const RAW_STEPS: Array<Record<string, unknown>> = [
  {
    id: 'step_1',
    object: 'thread.run.step',
    type: 'tool_calls',
    status: 'completed',
    run_id: 'run_api',
    thread_id: 'thread_a',
    created_at: CREATED,
    completed_at: CREATED + 5,
    usage: {prompt_tokens: 1200, completion_tokens: 30, total_tokens: 1230},
    last_error: null,
    step_details: {
      type: 'tool_calls',
      tool_calls: [
        {id: 'call_f1', type: 'function', function: {name: 'lookup_order', arguments: '{"order_id":"A1"}', output: '{"status":"shipped"}'}},
        {id: 'call_f2', type: 'function', function: {name: 'lookup_order', arguments: '{broken', output: null}},
        {id: 'call_ci', type: 'code_interpreter', code_interpreter: {input: 'print(6*7)', outputs: [{type: 'logs', logs: '42\n'}, {type: 'image', image: {file_id: 'file_img'}}]}},
        {id: 'call_fs', type: 'file_search', file_search: {results: [{}, {}, {}]}},
        {id: 'call_fs2', type: 'file_search', file_search: {}},
      ],
    },
  },
  {
    id: 'step_2',
    object: 'thread.run.step',
    type: 'message_creation',
    status: 'failed',
    run_id: 'run_api',
    created_at: CREATED + 6,
    failed_at: CREATED + 9,
    usage: null,
    last_error: {code: 'server_error', message: 'tool \u001b[31mcrashed'},
    step_details: {type: 'message_creation', message_creation: {message_id: 'msg_1'}},
  },
];

function steps(): RunStep[] {
  return RAW_STEPS.map((raw) => normalizeRunStep(raw));
}

function text(view: StepsView | undefined): string {
  return paneLines(buildStepsPane(view, CONTEXT), 100).map(lineText).join('\n');
}

const apiRun = normalizeRun({object: 'thread.run', id: 'run_api', thread_id: 'thread_a', status: 'requires_action', created_at: CREATED}, {kind: 'api', file: 'api:thread_a'});
const fileRun = normalizeRun({object: 'thread.run', id: 'run_file', thread_id: 'thread_a', status: 'completed', created_at: CREATED}, {file: 'runs.json'});

describe('the Steps pane builder', () => {
  it("lists each step's type, status, times, usage, error and tool calls", () => {
    const shown = text({state: 'loaded', runId: 'run_api', steps: steps(), warnings: []});
    const lines = shown.split('\n');
    expect(lines[0]).toBe('2 steps, oldest first');
    for (const expected of [
      '1. tool_calls  ✓ completed  step_1',
      '   created      2026-11-25 11:58:00 UTC (2m ago)',
      '   completed    2026-11-25 11:58:05 UTC (1m 55s ago)',
      '   usage        1,200 prompt + 30 completion = 1,230 tokens',
      '   tool calls   5',
      '   a. function lookup_order  call_f1',
      '          "order_id": "A1"',
      '      output:',
      '        {"status":"shipped"}',
      '   b. function lookup_order  call_f2',
      '        {broken',
      '        (not valid JSON)',
      '        none yet (not submitted)',
      '   c. code_interpreter  call_ci',
      '        print(6*7)',
      '      outputs: 2',
      '          42',
      '        image: file_img',
      '   d. file_search  call_fs  3 results',
      '   e. file_search  call_fs2  results not included (the API sends them only when asked)',
      '2. message_creation  ✗ failed  step_2',
      '   failed       2026-11-25 11:58:09 UTC (1m 51s ago)',
      '   usage        —',
      '   last_error   server_error: tool \\x1b[31mcrashed',
      '   message      msg_1',
    ]) {
      expect(lines).toContain(expected);
    }
    expect(shown).toContain('          42\n        image: file_img');
    // No raw escape reaches the screen.
    expect(shown).not.toContain('\u001b');
  });

  it('says why there are no steps: file source, loading, error, none yet', () => {
    expect(text(undefined)).toBe(STEPS_NEED_API);
    expect(text({state: 'unavailable', runId: 'r', reason: STEPS_NEED_API})).toBe(STEPS_NEED_API);
    expect(text({state: 'loading', runId: 'r'})).toBe('Loading the run steps…');
    expect(text({state: 'error', runId: 'r', message: 'listing steps: HTTP 404'})).toBe('Could not load the run steps: listing steps: HTTP 404');
    expect(text({state: 'loaded', runId: 'r', steps: [], warnings: [{location: 'api:thread_a/r', message: 'odd'}]})).toContain('No steps yet.');
  });

  it('is pane 9 of a run, fed only the steps of that run, with a count on its tab', () => {
    const view: StepsView = {state: 'loaded', runId: 'run_api', steps: steps(), warnings: []};
    const forRun = paneLines(buildPane('steps', apiRun, {...CONTEXT, steps: view}), 100).map(lineText);
    expect(forRun[0]).toBe('2 steps, oldest first');
    const otherRun = paneLines(buildPane('steps', fileRun, {...CONTEXT, steps: view}), 100).map(lineText);
    expect(otherRun).toEqual([STEPS_NEED_API]);
    expect(paneBadge('steps', apiRun, view)).toBe('2');
    expect(paneBadge('steps', fileRun, view)).toBe('');
  });
});

describe('StepLoader', () => {
  it('loads once per run, caches, and tells subscribers', async () => {
    const calls: string[] = [];
    const loader = new StepLoader(async (run) => {
      calls.push(run.id);
      return {steps: steps(), warnings: []};
    });
    let notified = 0;
    loader.subscribe(() => (notified += 1));
    loader.request(apiRun);
    expect(loader.snapshot().get('run_api')).toEqual({state: 'loading', runId: 'run_api'});
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(loader.snapshot().get('run_api')).toMatchObject({state: 'loaded', steps: [{id: 'step_1'}, {id: 'step_2'}]});
    loader.request(apiRun);
    expect(calls).toEqual(['run_api']);
    expect(notified).toBe(2);
    // A new state of an unfinished run (a reload) reads them again.
    loader.request({...apiRun});
    expect(calls).toEqual(['run_api', 'run_api']);
  });

  it('keeps a failure as a one-line message; file runs and no API are unavailable without a request', async () => {
    const loader = new StepLoader(async () => {
      throw new Error('listing the steps of run_api: HTTP 500\nmore');
    });
    loader.request(apiRun);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(loader.snapshot().get('run_api')).toEqual({state: 'error', runId: 'run_api', message: 'listing the steps of run_api: HTTP 500'});
    let called = false;
    const files = new StepLoader(async () => {
      called = true;
      return {steps: [], warnings: []};
    });
    files.request(fileRun);
    expect(files.view(fileRun)).toEqual({state: 'unavailable', runId: 'run_file', reason: STEPS_NEED_API});
    expect(new StepLoader(null).view(apiRun).state).toBe('unavailable');
    expect(called).toBe(false);
  });
});
