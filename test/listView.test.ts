import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {normalizeRun} from '../src/model/normalize.js';
import type {Run} from '../src/model/run.js';
import {runDurationSeconds} from '../src/model/runFacts.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {countByStatus, filterRuns, matchesQuery, narrowRuns, queryNarrows, searchTerms, selectRuns, SORT_DESCENDING_BY_DEFAULT, statusesPresent} from '../src/store/listView.js';
import {createListWindow, listReducer} from '../src/store/listWindow.js';
import {DEFAULT_QUERY, SORT_KEYS, type ListQuery, type SortKey} from '../src/model/listQuery.js';
import {EXAMPLE_COUNT, exampleStatusCount, EXAMPLE_WAITING} from './helpers/examples.js';

const NOW = Math.floor(Date.parse('2026-11-25T12:00:00Z') / 1000);

function run(raw: Record<string, unknown>): Run {
  return normalizeRun({object: 'thread.run', ...raw}, {file: 'test.json'});
}

function query(overrides: Partial<ListQuery> = {}): ListQuery {
  return {...DEFAULT_QUERY, ...overrides};
}

const ids = (runs: readonly Run[]) => runs.map((r) => r.id);

/**
 * A set of runs where every sort key has distinct values, one missing value (sorted last either
 * way) and one tie (broken by created, newest first, then id).
 */
const RUNS: Run[] = [
  run({id: 'run_a', status: 'completed', model: 'gpt-4o', created_at: NOW - 500, started_at: NOW - 499, completed_at: NOW - 400, usage: {prompt_tokens: 1, completion_tokens: 1, total_tokens: 300}}),
  run({id: 'run_b', status: 'failed', model: 'gpt-4.1', created_at: NOW - 400, started_at: NOW - 398, failed_at: NOW - 390, usage: {prompt_tokens: 1, completion_tokens: 1, total_tokens: 100}}),
  run({id: 'run_c', status: 'requires_action', model: 'o3-mini', created_at: NOW - 300, started_at: NOW - 290, usage: null}),
  run({id: 'run_d', status: 'queued', model: null, created_at: NOW - 200}),
  run({id: 'run_e', status: 'in_progress', model: 'gpt-4o', created_at: NOW - 100, started_at: NOW - 50, usage: {prompt_tokens: 1, completion_tokens: 1, total_tokens: 100}}),
  run({id: 'run_f', status: 'expired', model: 'gpt-4o-mini', created_at: null, started_at: null}),
];

function sorted(sort: SortKey, descending: boolean): string[] {
  return ids(selectRuns(RUNS, query({sort, descending}), NOW));
}

describe('selectRuns sorting', () => {
  it('created: newest first by default, missing last either way', () => {
    expect(SORT_DESCENDING_BY_DEFAULT.created).toBe(true);
    expect(sorted('created', true)).toEqual(['run_e', 'run_d', 'run_c', 'run_b', 'run_a', 'run_f']);
    expect(sorted('created', false)).toEqual(['run_a', 'run_b', 'run_c', 'run_d', 'run_e', 'run_f']);
  });

  it('status: runs that need a person first, unknown statuses last', () => {
    const withUnknown = [...RUNS, run({id: 'run_g', status: 'paused_for_review', created_at: NOW - 10})];
    expect(ids(selectRuns(withUnknown, query({sort: 'status', descending: false}), NOW))).toEqual([
      'run_c',
      'run_f',
      'run_b',
      'run_e',
      'run_d',
      'run_a',
      'run_g',
    ]);
    expect(ids(selectRuns(withUnknown, query({sort: 'status', descending: true}), NOW))).toEqual([
      'run_g',
      'run_a',
      'run_d',
      'run_e',
      'run_b',
      'run_f',
      'run_c',
    ]);
  });

  it('duration: ended runs by their run time, active ones until now, the rest last', () => {
    // a: 99s, b: 8s, c: 290s (waiting, still counting), e: 50s (running); d never started; f has no times.
    expect(sorted('duration', true)).toEqual(['run_c', 'run_a', 'run_e', 'run_b', 'run_d', 'run_f']);
    expect(sorted('duration', false)).toEqual(['run_b', 'run_e', 'run_a', 'run_c', 'run_d', 'run_f']);
  });

  it('tokens: ties broken newest first, missing usage last', () => {
    expect(sorted('tokens', true)).toEqual(['run_a', 'run_e', 'run_b', 'run_d', 'run_c', 'run_f']);
    expect(sorted('tokens', false)).toEqual(['run_e', 'run_b', 'run_a', 'run_d', 'run_c', 'run_f']);
  });

  it('model: alphabetical, ties newest first, no model last', () => {
    expect(sorted('model', false)).toEqual(['run_b', 'run_e', 'run_a', 'run_f', 'run_c', 'run_d']);
    expect(sorted('model', true)).toEqual(['run_c', 'run_f', 'run_e', 'run_a', 'run_b', 'run_d']);
  });

  it('id: alphabetical either way', () => {
    expect(sorted('id', false)).toEqual(['run_a', 'run_b', 'run_c', 'run_d', 'run_e', 'run_f']);
    expect(sorted('id', true)).toEqual(['run_f', 'run_e', 'run_d', 'run_c', 'run_b', 'run_a']);
  });

  it('waiting: only unfinished runs have a wait; longest first by default', () => {
    // c waits since started (290s), d since created (200s), e since started (50s).
    expect(sorted('waiting', true)).toEqual(['run_c', 'run_d', 'run_e', 'run_b', 'run_a', 'run_f']);
    expect(sorted('waiting', false)).toEqual(['run_e', 'run_d', 'run_c', 'run_b', 'run_a', 'run_f']);
  });

  it('ties with no created time fall back to the id', () => {
    const runs = [run({id: 'run_z', status: 'completed'}), run({id: 'run_m', status: 'completed'}), run({id: 'run_q', status: 'completed'})];
    for (const sort of SORT_KEYS) {
      for (const descending of [true, false]) {
        const order = ids(selectRuns(runs, query({sort, descending}), NOW));
        if (sort === 'id') continue;
        expect(order, `${sort} ${descending ? 'desc' : 'asc'}`).toEqual(['run_m', 'run_q', 'run_z']);
      }
    }
  });

  it('is deterministic whatever the input order (property)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(RUNS), fc.constantFrom(...SORT_KEYS), fc.boolean(), (subset, sort, descending) => {
        const forward = ids(selectRuns(subset, query({sort, descending}), NOW));
        const backward = ids(selectRuns([...subset].reverse(), query({sort, descending}), NOW));
        return JSON.stringify(forward) === JSON.stringify(backward);
      }),
    );
  });

  it('puts missing values last in both directions for every key (property)', () => {
    const arbitraryRun = fc
      .record({
        id: fc.integer({min: 0, max: 1000}).map((n) => `run_${n}`),
        created: fc.option(fc.integer({min: NOW - 10_000, max: NOW}), {nil: null}),
        tokens: fc.option(fc.integer({min: 0, max: 1000}), {nil: null}),
        model: fc.option(fc.constantFrom('a', 'b', 'c'), {nil: null}),
        status: fc.constantFrom('completed', 'in_progress', 'failed'),
      })
      .map((spec) =>
        run({
          id: spec.id,
          status: spec.status,
          model: spec.model,
          created_at: spec.created,
          started_at: spec.created,
          completed_at: spec.status === 'completed' && spec.created !== null ? spec.created + 5 : null,
          usage: spec.tokens === null ? null : {prompt_tokens: 0, completion_tokens: spec.tokens, total_tokens: spec.tokens},
        }),
      );
    const missing = (r: Run, sort: SortKey): boolean => {
      switch (sort) {
        case 'created':
          return r.createdAt === null;
        case 'tokens':
          return r.usage?.totalTokens == null;
        case 'model':
          return r.model === null;
        case 'duration':
          return runDurationSeconds(r, NOW) === null;
        case 'waiting':
          return r.status !== 'in_progress' || r.createdAt === null;
        default:
          return false;
      }
    };
    fc.assert(
      fc.property(fc.array(arbitraryRun, {maxLength: 20}), fc.constantFrom(...SORT_KEYS), fc.boolean(), (runs, sort, descending) => {
        const order = selectRuns(runs, query({sort, descending}), NOW);
        const firstMissing = order.findIndex((r) => missing(r, sort));
        return firstMissing === -1 || order.slice(firstMissing).every((r) => missing(r, sort));
      }),
    );
  });
});

describe('filters', () => {
  it('status, model and search combine', () => {
    expect(ids(selectRuns(RUNS, query({statuses: ['completed', 'in_progress']}), NOW))).toEqual(['run_e', 'run_a']);
    expect(ids(selectRuns(RUNS, query({model: 'gpt-4o'}), NOW))).toEqual(['run_e', 'run_a']);
    expect(ids(selectRuns(RUNS, query({model: 'gpt-4o', statuses: ['completed']}), NOW))).toEqual(['run_a']);
    expect(ids(selectRuns(RUNS, query({search: 'GPT-4O'}), NOW))).toEqual(['run_e', 'run_a', 'run_f']);
    expect(ids(selectRuns(RUNS, query({search: 'gpt-4o mini'}), NOW))).toEqual(['run_f']);
  });

  it('stuck: waiting keeps requires_action; stalled adds old queued/in_progress runs', () => {
    expect(ids(selectRuns(RUNS, query({stuck: 'waiting'}), NOW))).toEqual(['run_c']);
    expect(ids(selectRuns(RUNS, query({stuck: 'stalled', stalledAfterSeconds: 100}), NOW))).toEqual(['run_d', 'run_c']);
    expect(ids(selectRuns(RUNS, query({stuck: 'stalled', stalledAfterSeconds: 50}), NOW))).toEqual(['run_e', 'run_d', 'run_c']);
    expect(matchesQuery(RUNS[3]!, query({stuck: 'stalled', stalledAfterSeconds: 100}), NOW - 150)).toBe(false);
  });

  it('search through the index finds exactly the runs whose text holds every term, in any order given (property)', () => {
    const word = fc.constantFrom('ab', 'ba', 'a', 'b', 'abc', 'c', 'run', 'gpt');
    const runsArbitrary = fc.array(
      fc.record({n: fc.nat(50), words: fc.array(word, {maxLength: 4}), status: fc.constantFrom('completed', 'failed')}),
      {maxLength: 30},
    );
    fc.assert(
      fc.property(runsArbitrary, fc.array(word, {minLength: 1, maxLength: 3}), fc.boolean(), fc.boolean(), (specs, terms, sortedView, withStatus) => {
        const base = specs.map((spec, at) => run({id: `run_${at}x${spec.n}`, status: spec.status, created_at: NOW - spec.n, metadata: {note: spec.words.join(' ')}}));
        // The store filters its sorted array against an index built over the unsorted one.
        const view = sortedView ? [...base].reverse() : base;
        const search = terms.join(' ');
        const statuses = withStatus ? ['failed'] : null;
        const found = ids(filterRuns(view, query({search, statuses}), NOW, base));
        const expected = ids(view.filter((candidate) => terms.every((term) => candidate.searchText.includes(term)) && (!statuses || statuses.includes(candidate.status))));
        expect(found).toEqual(expected);
        // Asked twice (the second time from the cached positions), the same answer.
        expect(ids(filterRuns(view, query({search, statuses}), NOW, base))).toEqual(expected);
      }),
      {numRuns: 300},
    );
  });

  it('searchTerms lower-cases and splits on any whitespace', () => {
    expect(searchTerms('  Foo\tBAR\nbaz  ')).toEqual(['foo', 'bar', 'baz']);
    expect(searchTerms('')).toEqual([]);
  });

  it('an empty filter returns a copy, never the input array', () => {
    const result = selectRuns(RUNS, query({sort: 'id', descending: false}), NOW);
    expect(result).not.toBe(RUNS);
    expect(result).toHaveLength(RUNS.length);
  });
});

describe('runDurationSeconds', () => {
  it('is end − start for a finished run', () => {
    expect(runDurationSeconds(RUNS[0]!, NOW)).toBe(99);
    expect(runDurationSeconds(RUNS[1]!, NOW)).toBe(8);
  });

  it('counts until now while the run is active', () => {
    expect(runDurationSeconds(RUNS[2]!, NOW)).toBe(290);
    expect(runDurationSeconds(RUNS[4]!, NOW)).toBe(50);
    expect(runDurationSeconds(RUNS[4]!, NOW + 10)).toBe(60);
  });

  it('is null without a start, or for a final run that has no end', () => {
    expect(runDurationSeconds(RUNS[3]!, NOW)).toBeNull();
    expect(runDurationSeconds(run({id: 'run_x', status: 'expired', started_at: NOW - 10}), NOW)).toBeNull();
    expect(runDurationSeconds(run({id: 'run_y', status: 'paused_for_review', started_at: NOW - 10}), NOW)).toBeNull();
  });

  it('is never negative (clock skew)', () => {
    expect(runDurationSeconds(run({id: 'run_s', status: 'completed', started_at: NOW, completed_at: NOW - 5}), NOW)).toBe(0);
    expect(runDurationSeconds(run({id: 'run_t', status: 'in_progress', started_at: NOW + 30}), NOW)).toBe(0);
  });

});

describe('countByStatus and statusesPresent', () => {
  it('counts every status, unknown ones included', () => {
    const counts = countByStatus([...RUNS, run({id: 'run_g', status: 'completed'}), run({id: 'run_h', status: 'paused_for_review'})]);
    expect(Object.fromEntries(counts)).toEqual({
      completed: 2,
      failed: 1,
      requires_action: 1,
      queued: 1,
      in_progress: 1,
      expired: 1,
      paused_for_review: 1,
    });
    expect(countByStatus([]).size).toBe(0);
  });

  it('lists statuses in triage order, unknown last (alphabetically)', () => {
    expect(statusesPresent([...RUNS, run({id: 'run_u', status: 'zeta'}), run({id: 'run_v', status: 'alpha'})])).toEqual([
      'requires_action',
      'expired',
      'failed',
      'in_progress',
      'queued',
      'completed',
      'alpha',
      'zeta',
    ]);
  });

  it('on examples/: every run and response counted once, the waiting ones as requires_action', async () => {
    const {runs} = await loadRunsFromSources(['examples']);
    const counts = countByStatus(runs);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(EXAMPLE_COUNT);
    expect(counts.get('requires_action')).toBe(EXAMPLE_WAITING);
    expect(counts.get('completed')).toBe(exampleStatusCount('completed'));
    expect(counts.get('paused_for_review')).toBe(1);
  });
});

describe('a search typed on narrows the previous result', () => {
  it('queryNarrows: a term typed on or a word added narrows; a word removed, another filter or the stuck view does not', () => {
    expect(queryNarrows(query({search: 'wea'}), query({search: 'weat'}))).toBe(true);
    expect(queryNarrows(query({search: 'wea'}), query({search: 'weather gpt'}))).toBe(true);
    expect(queryNarrows(query({search: ''}), query({search: 'a'}))).toBe(true);
    expect(queryNarrows(query({search: 'weat'}), query({search: 'wea'}))).toBe(false);
    expect(queryNarrows(query({search: 'wea gpt'}), query({search: 'weat'}))).toBe(false);
    expect(queryNarrows(query({search: 'a', statuses: ['failed']}), query({search: 'ab'}))).toBe(false);
    expect(queryNarrows(query({search: 'a', statuses: ['failed']}), query({search: 'ab', statuses: ['failed']}))).toBe(true);
    expect(queryNarrows(query({search: 'a', stuck: 'waiting'}), query({search: 'ab', stuck: 'waiting'}))).toBe(false);
  });

  it('equals a full filter for any sequence of keystrokes and filters (property)', async () => {
    const {runs} = await loadRunsFromSources(['examples', 'examples-responses']);
    // Keystrokes: letters of the runs' own text (so searches find something), a space, backspace, and now and then a filter.
    const texts = runs.map((r) => r.searchText);
    const letters = [...new Set(texts.join('').replace(/\s/g, ''))].slice(0, 40);
    const step = fc.oneof(
      {arbitrary: fc.constantFrom(...letters).map((letter) => ({kind: 'type' as const, letter})), weight: 8},
      {arbitrary: fc.constant({kind: 'type' as const, letter: ' '}), weight: 1},
      {arbitrary: fc.constant({kind: 'backspace' as const}), weight: 2},
      {arbitrary: fc.nat({max: texts.length - 1}).chain((at) => fc.nat({max: 20}).map((start) => ({kind: 'paste' as const, text: texts[at]!.slice(start, start + 3)}))), weight: 2},
      {arbitrary: fc.constantFrom({kind: 'cycleStatusFilter' as const}, {kind: 'cycleStuck' as const}, {kind: 'clearFilters' as const}), weight: 1},
    );
    let narrowed = 0;
    fc.assert(
      fc.property(fc.array(step, {minLength: 1, maxLength: 25}), (steps) => {
        let state = createListWindow({runs, nowSeconds: NOW, pageSize: 10});
        for (const action of steps) {
          const search = state.query.search;
          const next =
            action.kind === 'type'
              ? listReducer(state, {type: 'setSearch', text: search + action.letter})
              : action.kind === 'backspace'
                ? listReducer(state, {type: 'setSearch', text: search.slice(0, -1)})
                : action.kind === 'paste'
                  ? listReducer(state, {type: 'setSearch', text: search + action.text})
                  : listReducer(state, {type: action.kind});
          if (narrowRuns(state.visible, state.query, next.query, runs) !== null) narrowed += 1;
          state = next;
          expect(ids(state.visible)).toEqual(ids(filterRuns(state.sorted, state.query, NOW, runs)));
        }
      }),
      {numRuns: 300},
    );
    // The narrowing path was taken, not only the full filter.
    expect(narrowed).toBeGreaterThan(100);
  });
});
