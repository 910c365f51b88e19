import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {measureContent} from '../src/format/runColumns.js';
import {parseModelMap} from '../src/model/cost.js';
import {normalizeRun} from '../src/model/normalize.js';
import type {Run} from '../src/model/run.js';
import {countByStatus} from '../src/store/listView.js';
import {RunsSummary} from '../src/store/runsSummary.js';

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
