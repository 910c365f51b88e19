import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {measureContent} from '../src/format/runColumns.js';
import {parseModelMap} from '../src/model/cost.js';
import {normalizeRun} from '../src/model/normalize.js';
import type {Run} from '../src/model/run.js';
import {joinItems, type JoinedItems} from '../src/model/itemKinds.js';
import {normalizeRunStep, type RunStep} from '../src/model/runStep.js';
import {countByStatus} from '../src/store/listView.js';
import {RunsSummary, shownContentWidths} from '../src/store/runsSummary.js';
import {finishedToolRounds} from '../src/store/stepLoader.js';
import {createInitialState, updateRunStore} from '../src/store/runStore.js';
import {summarizeStuck, summarizeTally} from '../src/triage/stuck.js';

const STATUSES = ['requires_action', 'completed', 'failed', 'in_progress', 'queued', 'paused_for_review', 'weird_status'];
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1-2025-04-14', 'my-deployment', 'o3-mini', ''];

function makeRun(id: number, status: string, model: string, tokens: number, response: boolean): Run {
  const usage = {prompt_tokens: tokens, completion_tokens: tokens * 2, total_tokens: tokens * 3};
  const raw = response
    ? {id: `resp_${id}`, object: 'response', created_at: 1_764_000_000 + id, status, model, usage: {input_tokens: tokens, output_tokens: tokens, total_tokens: tokens * 2}, output: []}
    : {id: `run_${id}`, object: 'thread.run', created_at: 1_764_000_000 + id, thread_id: `thread_${id % 5}`, status, model, usage};
  return normalizeRun(raw, {file: 'summary.jsonl', line: id + 1});
}

const runArb = fc.record({status: fc.constantFrom(...STATUSES), model: fc.constantFrom(...MODELS), tokens: fc.integer({min: 0, max: 5_000_000}), response: fc.boolean()});

/** What a streaming load does to its list between two frames. */
const stepArb = fc.oneof(
  fc.record({kind: fc.constant('append' as const), runs: fc.array(runArb, {maxLength: 6})}),
  fc.record({kind: fc.constant('replace' as const), at: fc.nat(), run: runArb}),
  fc.record({kind: fc.constant('truncate' as const), keep: fc.nat()}),
  fc.record({kind: fc.constant('mutateInPlace' as const), run: runArb}),
  fc.record({kind: fc.constant('modelMap' as const), mapped: fc.boolean()}),
);

describe('RunsSummary', () => {
  it('gives countByStatus and measureContent of the whole list after every step of a load, priced or not as asked (property)', () => {
    const mapped = parseModelMap(['my-deployment=gpt-4o']).map;
    fc.assert(
      // Whether each step asks for prices: the COST column may get room (or lose it) when the terminal is resized.
      fc.property(fc.array(stepArb, {minLength: 1, maxLength: 25}), fc.array(fc.boolean(), {minLength: 1, maxLength: 25}), (steps, pricing) => {
        const summary = new RunsSummary();
        let runs: Run[] = [];
        let shared: Run[] = runs;
        let modelMap: ReturnType<typeof parseModelMap>['map'] | undefined;
        let next = 0;
        for (const [index, step] of steps.entries()) {
          if (step.kind === 'append') runs = [...runs, ...step.runs.map((spec) => makeRun(next++, spec.status, spec.model, spec.tokens, spec.response))];
          else if (step.kind === 'replace' && runs.length > 0) {
            const at = step.at % runs.length;
            runs = runs.map((run, index) => (index === at ? makeRun(next++, step.run.status, step.run.model, step.run.tokens, step.run.response) : run));
          } else if (step.kind === 'truncate') runs = runs.slice(0, step.keep % (runs.length + 1));
          else if (step.kind === 'mutateInPlace' && shared.length > 0) {
            // The feed may hand over the same array with a copy replaced in it.
            shared[0] = makeRun(next++, step.run.status, step.run.model, step.run.tokens, step.run.response);
            runs = shared;
          } else if (step.kind === 'modelMap') modelMap = step.mapped ? mapped : undefined;
          shared = runs;
          const prices = pricing[index % pricing.length]!;
          const measured = summary.of(runs, modelMap, prices);
          expect(measured.counts).toEqual(countByStatus(runs));
          expect([...measured.counts.keys()]).toEqual([...countByStatus(runs).keys()]);
          // Unpriced, the cost width says 0: no COST column.
          expect(measured.contentWidths).toEqual(prices ? measureContent(runs, modelMap) : {...measureContent(runs, modelMap), cost: 0});
        }
      }),
      {numRuns: 300},
    );
  });

  it('measures only the runs appended since the last call when the list grows', () => {
    let touched = 0;
    const watched = (run: Run) =>
      new Proxy(run, {
        get(target, key, receiver) {
          touched += 1;
          return Reflect.get(target, key, receiver);
        },
      });
    const summary = new RunsSummary();
    const first = Array.from({length: 3}, (_unused, index) => watched(makeRun(index, 'completed', 'gpt-4o', 10, false)));
    summary.of(first);
    expect(touched).toBeGreaterThan(0);
    touched = 0;
    const measured = summary.of([...first, makeRun(3, 'failed', 'gpt-4.1', 10, false)]);
    expect(measured.counts.get('failed')).toBe(1);
    expect(measured.counts.get('completed')).toBe(3);
    // The three runs measured before are not read again.
    expect(touched).toBe(0);
  });
});

const NOW = 1_764_000_000;
const ACTIVE_AND_FINISHED = ['requires_action', 'queued', 'in_progress', 'cancelling', 'completed', 'failed', 'expired', 'paused_for_review'];

/** A run as the stuck summary reads it: its status, times (some unknown, some fractional), thread and the action it waits for. */
const stuckRunArb = fc.record({
  status: fc.constantFrom(...ACTIVE_AND_FINISHED),
  createdAgo: fc.option(fc.integer({min: -50, max: 3000}), {nil: null}),
  startedAfter: fc.option(fc.constantFrom(0, 1, 2.5, 30), {nil: null}),
  expiresIn: fc.option(fc.integer({min: -900, max: 900}), {nil: null}),
  thread: fc.option(fc.integer({min: 0, max: 4}), {nil: null}),
  approval: fc.boolean(),
  calls: fc.integer({min: 0, max: 2}),
});

type StuckSpec = typeof stuckRunArb extends fc.Arbitrary<infer T> ? T : never;

function makeStuckRun(id: number, spec: StuckSpec): Run {
  const created = spec.createdAgo === null ? null : NOW - spec.createdAgo;
  const calls = Array.from({length: spec.calls}, (_unused, index) => ({id: `call_${id}_${index}`, type: 'function', function: {name: `tool_${index}`, arguments: '{}'}}));
  const action =
    spec.status !== 'requires_action'
      ? null
      : spec.approval
        ? {type: 'submit_tool_approval', submit_tool_approval: {tool_calls: calls.map((call) => ({id: call.id, type: 'mcp', name: call.function.name, arguments: '{}', server_label: 'srv'}))}}
        : {type: 'submit_tool_outputs', submit_tool_outputs: {tool_calls: calls}};
  const raw = {
    id: `run_${id}`,
    object: 'thread.run',
    status: spec.status,
    thread_id: spec.thread === null ? null : `thread_${spec.thread}`,
    ...(created === null ? {} : {created_at: created}),
    started_at: created === null || spec.startedAfter === null ? null : created + spec.startedAfter,
    expires_at: spec.expiresIn === null ? null : NOW + spec.expiresIn,
    required_action: action,
  };
  return normalizeRun(raw, {file: 'stuck.jsonl', line: id + 1});
}

/** `count` steps of one run, each a round of function calls, as a steps file holds them. */
function toolSteps(runId: string, count: number, from: number): RunStep[] {
  return Array.from({length: count}, (_unused, index) =>
    normalizeRunStep({
      id: `step_${from + index}`,
      object: 'thread.run.step',
      run_id: runId,
      thread_id: 'thread_0',
      type: 'tool_calls',
      status: 'completed',
      created_at: NOW + from + index,
      step_details: {type: 'tool_calls', tool_calls: [{id: `call_s${from + index}`, type: 'function', function: {name: 'lookup', arguments: '{}', output: 'ok'}}]},
    }),
  );
}

/** What a streaming load (and the clock) does between two frames. */
const loadStepArb = fc.oneof(
  {weight: 4, arbitrary: fc.record({kind: fc.constant('append' as const), runs: fc.array(stuckRunArb, {maxLength: 8})})},
  fc.record({kind: fc.constant('replace' as const), at: fc.nat(), run: stuckRunArb}),
  fc.record({kind: fc.constant('truncate' as const), keep: fc.nat()}),
  fc.record({kind: fc.constant('mutateInPlace' as const), run: stuckRunArb}),
  {weight: 3, arbitrary: fc.record({kind: fc.constant('clock' as const), by: fc.integer({min: -30, max: 1200})})},
  fc.record({kind: fc.constant('steps' as const), at: fc.nat(), count: fc.integer({min: 1, max: 3})}),
);

const optionsArb = fc.record({expiringWithinSeconds: fc.integer({min: -10, max: 900}), stalledAfterSeconds: fc.integer({min: -10, max: 1500})}, {requiredKeys: []});

describe('RunsSummary: the stuck tally and the tool rounds', () => {
  it('gives summarizeStuck and finishedToolRounds of the whole list after every step of a load and every clock move (property)', () => {
    fc.assert(
      fc.property(fc.array(loadStepArb, {minLength: 1, maxLength: 30}), optionsArb, (steps, options) => {
        const summary = new RunsSummary();
        let runs: Run[] = [];
        let shared: Run[] = runs;
        let now = NOW;
        let stepItems: RunStep[] = [];
        let joined: JoinedItems = joinItems({});
        let next = 0;
        for (const step of steps) {
          if (step.kind === 'append') runs = [...runs, ...step.runs.map((spec) => makeStuckRun(next++, spec))];
          else if (step.kind === 'replace' && runs.length > 0) {
            const at = step.at % runs.length;
            runs = runs.map((run, index) => (index === at ? makeStuckRun(next++, step.run) : run));
          } else if (step.kind === 'truncate') runs = runs.slice(0, step.keep % (runs.length + 1));
          else if (step.kind === 'mutateInPlace' && shared.length > 0) {
            shared[shared.length - 1] = makeStuckRun(next++, step.run);
            runs = shared;
          } else if (step.kind === 'clock') now += step.by;
          else if (step.kind === 'steps' && runs.length > 0) {
            stepItems = [...stepItems, ...toolSteps(runs[step.at % runs.length]!.id, step.count, stepItems.length)];
            joined = joinItems({steps: stepItems});
          }
          shared = runs;
          const measured = summary.of(runs, undefined, true, joined);
          expect(summarizeTally(measured.active, now)).toStrictEqual(summarizeStuck(runs, now));
          expect(summarizeTally(measured.active, now, options)).toStrictEqual(summarizeStuck(runs, now, options));
          expect(measured.rounds).toEqual(finishedToolRounds(runs, joined));
        }
      }),
      {numRuns: 400},
    );
  });

  it('keeps the same tally, and the same rounds, while no run is added', () => {
    const summary = new RunsSummary();
    const runs = [makeStuckRun(0, {status: 'requires_action', createdAgo: 100, startedAfter: 1, expiresIn: 60, thread: 1, approval: false, calls: 1})];
    const joined = joinItems({steps: toolSteps('run_0', 2, 0)});
    const first = summary.of(runs, undefined, true, joined);
    const again = summary.of(runs, undefined, true, joined);
    expect(again.active).toBe(first.active);
    expect(again.rounds).toBe(first.rounds);
    expect(summarizeTally(again.active, NOW)).toMatchObject({waiting: 1, active: 1, lockedThreads: 1, expiringSoon: 1, soonestExpirySeconds: 60, oldestWaitingSeconds: 99});
  });
});

describe('the store keeps the measures', () => {
  it('follows the feed and the clock: the stuck badge is summarizeStuck of the runs now, and a tick measures nothing again (property)', () => {
    fc.assert(
      fc.property(fc.array(loadStepArb, {minLength: 1, maxLength: 20}), (steps) => {
        let state = createInitialState({runs: [], nowSeconds: NOW});
        let runs: Run[] = [];
        let next = 0;
        for (const step of steps) {
          const before = state;
          if (step.kind === 'clock') {
            state = updateRunStore(state, {type: 'tick', nowSeconds: state.nowSeconds + step.by}).state;
            expect(state.measures).toBe(before.measures);
          } else {
            if (step.kind === 'append') runs = [...runs, ...step.runs.map((spec) => makeStuckRun(next++, spec))];
            else if (step.kind === 'replace' && runs.length > 0) runs = runs.map((run, index) => (index === step.at % runs.length ? makeStuckRun(next++, step.run) : run));
            else if (step.kind === 'truncate') runs = runs.slice(0, step.keep % (runs.length + 1));
            state = updateRunStore(state, {type: 'feed', data: {runs, warnings: [], sources: ['stuck.jsonl']}}).state;
          }
          expect(state.stuck).toStrictEqual(summarizeStuck(state.runs, state.nowSeconds));
          expect(state.measures.counts).toEqual(countByStatus(state.runs));
        }
      }),
      {numRuns: 150},
    );
  });
});

describe('shownContentWidths', () => {
  it('prices the runs only where a COST column could get room, and then gives measureContent of them', () => {
    const runs = [makeRun(0, 'completed', 'gpt-4o', 20_000, false), makeRun(1, 'requires_action', 'gpt-4o-mini', 10, false)];
    const state = createInitialState({runs, nowSeconds: NOW});
    expect(state.measures.contentWidths.cost).toBe(0);
    const wide = shownContentWidths(state, 220, 'all');
    expect(wide).toEqual(measureContent(runs));
    expect(wide.cost).toBeGreaterThan(0);
    expect(shownContentWidths(state, 40, 'all').cost).toBe(0);
  });
});
