import {describe, it, expect} from 'vitest';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {chooseBucket, computeRunStats, durationHistogram, nearestRank} from '../src/stats/runStats.js';
import {NOW, statRun, syntheticRuns} from './stats.fixtures.js';
import {EXAMPLE_COUNT, exampleCountsByStatus, EXAMPLE_UNFINISHED} from './helpers/examples.js';

describe('nearestRank', () => {
  it('is the value at rank ceil(p/100 * n), never interpolated', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRank(ten, 50)).toBe(5);
    expect(nearestRank(ten, 95)).toBe(10);
    expect(nearestRank(ten, 100)).toBe(10);
    expect(nearestRank(ten, 0)).toBe(1);
    const twenty = Array.from({length: 20}, (_, index) => index + 1);
    expect(nearestRank(twenty, 95)).toBe(19);
    expect(nearestRank(twenty, 50)).toBe(10);
    expect(nearestRank([10, 20, 30, 40], 50)).toBe(20);
    expect(nearestRank([7], 50)).toBe(7);
    expect(nearestRank([7], 95)).toBe(7);
    expect(nearestRank([], 50)).toBeNull();
  });
});

describe('durationHistogram', () => {
  it('bins on the fixed edges and trims empty bins at both ends only', () => {
    expect(durationHistogram([3, 4, 700])).toEqual([
      {from: 2, to: 5, count: 2},
      {from: 5, to: 10, count: 0},
      {from: 10, to: 30, count: 0},
      {from: 30, to: 60, count: 0},
      {from: 60, to: 120, count: 0},
      {from: 120, to: 300, count: 0},
      {from: 300, to: 600, count: 0},
      {from: 600, to: 1800, count: 1},
    ]);
    expect(durationHistogram([0, 1_000_000])).toHaveLength(16);
    expect(durationHistogram([1_000_000])).toEqual([{from: 604_800, to: null, count: 1}]);
    expect(durationHistogram([])).toEqual([]);
  });
});

describe('queue and run times', () => {
  const runs = Array.from({length: 20}, (_, index) => statRun({id: `run_${index}`, created: NOW - 1000 + index, queued: index, ran: (index + 1) * 10}));

  it('computes count, min, p50, p95, max and mean', () => {
    const stats = computeRunStats(runs, NOW);
    expect(stats.queueTime).toMatchObject({count: 20, min: 0, p50: 9, p95: 18, max: 19, mean: 9.5, negative: 0});
    expect(stats.runTime).toMatchObject({count: 20, min: 10, p50: 100, p95: 190, max: 200, mean: 105, negative: 0});
  });

  it('draws histograms from the first to the last non-empty bin', () => {
    const stats = computeRunStats(runs, NOW);
    expect(stats.queueTime.histogram).toEqual([
      {from: 0, to: 1, count: 1},
      {from: 1, to: 2, count: 1},
      {from: 2, to: 5, count: 3},
      {from: 5, to: 10, count: 5},
      {from: 10, to: 30, count: 10},
    ]);
    expect(stats.runTime.histogram).toEqual([
      {from: 10, to: 30, count: 2},
      {from: 30, to: 60, count: 3},
      {from: 60, to: 120, count: 6},
      {from: 120, to: 300, count: 9},
    ]);
  });

  it('leaves out runs without both ends, and runs whose end is before the start', () => {
    const stats = computeRunStats(
      [
        statRun({id: 'a', queued: 5, ran: 20}),
        statRun({id: 'b', status: 'queued', queued: null, ran: null}),
        statRun({id: 'c', status: 'in_progress', queued: 2, ran: null}),
        statRun({id: 'd', queued: -5, ran: 10}),
        statRun({id: 'e', created: null, queued: 1, ran: 3}),
        statRun({id: 'f', status: 'failed', queued: 1, ran: -2}),
      ],
      NOW,
    );
    expect(stats.queueTime).toMatchObject({count: 3, p50: 2, max: 5, negative: 1});
    expect(stats.runTime).toMatchObject({count: 3, min: 3, max: 20, negative: 1});
  });
});

describe('runs over time', () => {
  it('picks the smallest bucket size that gives at most 60 buckets', () => {
    const start = NOW;
    expect(chooseBucket(start, start)).toEqual({name: 'minute', seconds: 60});
    expect(chooseBucket(start, start + 3599)).toEqual({name: 'minute', seconds: 60});
    expect(chooseBucket(start, start + 3600)).toEqual({name: '5m', seconds: 300});
    expect(chooseBucket(start, start + 5 * 3600 - 1)).toEqual({name: '5m', seconds: 300});
    expect(chooseBucket(start, start + 5 * 3600)).toEqual({name: '15m', seconds: 900});
    expect(chooseBucket(start, start + 14 * 3600)).toEqual({name: '15m', seconds: 900});
    expect(chooseBucket(start, start + 86_400)).toEqual({name: 'hour', seconds: 3600});
    expect(chooseBucket(start, start + 10 * 86_400)).toEqual({name: '6h', seconds: 21_600});
    expect(chooseBucket(start, start + 30 * 86_400)).toEqual({name: 'day', seconds: 86_400});
    expect(chooseBucket(start, start + 200 * 86_400)).toEqual({name: 'week', seconds: 604_800});
    expect(chooseBucket(start, start + 3 * 365 * 86_400)).toEqual({name: '3w', seconds: 3 * 604_800});
    expect(chooseBucket(start, start + 86_400, 10)).toEqual({name: '6h', seconds: 21_600});
  });

  it('counts runs and unsuccessful runs per bucket, empty buckets included', () => {
    const runs = [
      statRun({id: 'a', created: NOW + 10}),
      statRun({id: 'b', created: NOW + 50, status: 'failed', error: 'server_error'}),
      statRun({id: 'c', created: NOW + 200, status: 'expired', queued: null}),
      statRun({id: 'd', created: NOW + 299, status: 'cancelled'}),
      statRun({id: 'e', created: null}),
    ];
    const over = computeRunStats(runs, NOW).overTime;
    expect(over.bucketName).toBe('minute');
    expect(over.first).toBe(NOW + 10);
    expect(over.last).toBe(NOW + 299);
    expect(over.withoutCreatedAt).toBe(1);
    expect(over.buckets).toEqual([
      {start: NOW, end: NOW + 60, count: 2, unsuccessful: 1},
      {start: NOW + 60, end: NOW + 120, count: 0, unsuccessful: 0},
      {start: NOW + 120, end: NOW + 180, count: 0, unsuccessful: 0},
      {start: NOW + 180, end: NOW + 240, count: 1, unsuccessful: 1},
      {start: NOW + 240, end: NOW + 300, count: 1, unsuccessful: 0},
    ]);
  });

  it('starts weeks on Monday and days at local midnight when given the offset', () => {
    const wednesday = NOW; // 2026-11-25 12:00 UTC
    const weekly = computeRunStats([statRun({id: 'a', created: wednesday}), statRun({id: 'b', created: wednesday + 100 * 86_400})], NOW).overTime;
    expect(weekly.bucketName).toBe('week');
    expect(new Date(weekly.buckets[0]!.start * 1000).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    const daily = computeRunStats([statRun({id: 'a', created: wednesday}), statRun({id: 'b', created: wednesday + 20 * 86_400})], NOW, {utcOffsetSeconds: -5 * 3600}).overTime;
    expect(daily.bucketName).toBe('day');
    // Midnight in UTC-5 is 05:00 UTC.
    expect(new Date(daily.buckets[0]!.start * 1000).toISOString()).toBe('2026-11-25T05:00:00.000Z');
    expect(daily.buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(2);
  });
});

describe('tokens by model', () => {
  it('sums prompt, completion and total per model with shares of all tokens; ties by name', () => {
    const stats = computeRunStats(
      [
        statRun({id: 'a', model: 'gpt-4o', usage: [100, 50]}),
        statRun({id: 'b', model: 'gpt-4o', usage: [200, 150]}),
        statRun({id: 'c', model: 'gpt-4.1', usage: [300, 200]}),
        statRun({id: 'd', model: 'gpt-4.1', usage: null, status: 'in_progress', ran: null}),
        statRun({id: 'e', model: null, usage: [0, 0]}),
        statRun({id: 'f', model: 'o3-mini', usage: null}),
      ],
      NOW,
    );
    expect(stats.tokens).toMatchObject({promptTokens: 600, completionTokens: 400, totalTokens: 1000, runsWithUsage: 4});
    expect(stats.tokens.byModel).toEqual([
      {model: 'gpt-4.1', runs: 2, runsWithUsage: 1, promptTokens: 300, completionTokens: 200, totalTokens: 500, share: 0.5},
      {model: 'gpt-4o', runs: 2, runsWithUsage: 2, promptTokens: 300, completionTokens: 200, totalTokens: 500, share: 0.5},
      {model: 'o3-mini', runs: 1, runsWithUsage: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0, share: 0},
      {model: null, runs: 1, runsWithUsage: 1, promptTokens: 0, completionTokens: 0, totalTokens: 0, share: 0},
    ]);
  });
});

describe('errors and incomplete reasons', () => {
  it('ranks by count, ties A to Z, no code last, with the latest run of each', () => {
    const failed = (id: string, error: string | null, created: number) => statRun({id, status: 'failed', error, created});
    const stats = computeRunStats(
      [
        failed('f1', 'server_error', NOW - 50),
        failed('f2', 'rate_limit_exceeded', NOW - 40),
        failed('f3', null, NOW - 30),
        failed('f4', 'server_error', NOW - 20),
        failed('f5', 'rate_limit_exceeded', NOW - 60),
        failed('f6', null, NOW - 10),
        failed('f7', 'invalid_prompt', NOW - 5),
        statRun({id: 'i1', status: 'incomplete', incomplete: 'max_prompt_tokens'}),
        statRun({id: 'i2', status: 'incomplete', incomplete: 'max_completion_tokens'}),
        statRun({id: 'i3', status: 'incomplete', incomplete: 'max_completion_tokens'}),
      ],
      NOW,
    );
    expect(stats.errors.runs).toBe(7);
    expect(stats.errors.ranked.map((entry) => [entry.key, entry.count, entry.lastRunId])).toEqual([
      ['rate_limit_exceeded', 2, 'f2'],
      ['server_error', 2, 'f4'],
      [null, 2, 'f6'],
      ['invalid_prompt', 1, 'f7'],
    ]);
    expect(stats.errors.ranked[0]!.share).toBeCloseTo(2 / 7);
    expect(stats.incomplete.runs).toBe(3);
    expect(stats.incomplete.ranked.map((entry) => [entry.key, entry.count])).toEqual([
      ['max_completion_tokens', 2],
      ['max_prompt_tokens', 1],
    ]);
  });
});

describe('threads', () => {
  it('lists the busiest threads: most runs, then most recent, then id', () => {
    const stats = computeRunStats(
      [
        statRun({id: 'a1', thread: 'thread_a', created: NOW - 100}),
        statRun({id: 'a2', thread: 'thread_a', created: NOW - 90}),
        statRun({id: 'b1', thread: 'thread_b', created: NOW - 80}),
        statRun({id: 'b2', thread: 'thread_b', created: NOW - 10, status: 'requires_action', ran: null}),
        statRun({id: 'c1', thread: 'thread_c', created: NOW - 10}),
        statRun({id: 'd1', thread: 'thread_d', created: NOW - 10}),
        statRun({id: 'e1', thread: 'thread_e', created: NOW - 500}),
        statRun({id: 'x', thread: null}),
      ],
      NOW,
      {topThreads: 4},
    );
    expect(stats.threads.count).toBe(5);
    expect(stats.threads.withoutThread).toBe(1);
    expect(stats.threads.busiest.map((thread) => [thread.threadId, thread.runs, thread.activeRuns, thread.lastRunId])).toEqual([
      ['thread_b', 2, 1, 'b2'],
      ['thread_a', 2, 0, 'a2'],
      ['thread_c', 1, 0, 'c1'],
      ['thread_d', 1, 0, 'd1'],
    ]);
  });

  it('finds the locked threads, the oldest unfinished run holding each lock', () => {
    const stats = computeRunStats(
      [
        statRun({id: 'q', thread: 'thread_q', status: 'queued', created: NOW - 60, queued: null, ran: null, expires: NOW + 540}),
        statRun({id: 'w1', thread: 'thread_w', status: 'requires_action', created: NOW - 900, ran: null, expires: NOW - 300}),
        statRun({id: 'w2', thread: 'thread_w', status: 'in_progress', created: NOW - 100, ran: null}),
        statRun({id: 'c', thread: 'thread_c', status: 'cancelling', created: NOW - 300, ran: null}),
        statRun({id: 'done', thread: 'thread_q', status: 'completed', created: NOW - 5000}),
        statRun({id: 'free', thread: 'thread_free'}),
      ],
      NOW,
      {lockedThreads: 2},
    );
    expect(stats.active).toBe(4);
    expect(stats.locked.count).toBe(3);
    expect(stats.locked.threads).toEqual([
      {threadId: 'thread_w', runId: 'w1', status: 'requires_action', since: NOW - 900, lockedSeconds: 900, expiresAt: NOW - 300, expired: true, activeRuns: 2},
      {threadId: 'thread_c', runId: 'c', status: 'cancelling', since: NOW - 300, lockedSeconds: 300, expiresAt: null, expired: false, activeRuns: 1},
    ]);
  });
});

describe('computeRunStats', () => {
  it('reads sensibly with no runs', () => {
    const stats = computeRunStats([], NOW);
    expect(stats.total).toBe(0);
    expect(stats.byStatus).toEqual([]);
    expect(stats.overTime).toMatchObject({buckets: [], first: null, last: null, withoutCreatedAt: 0});
    expect(stats.queueTime).toEqual({count: 0, min: null, p50: null, p95: null, max: null, mean: null, histogram: [], negative: 0});
    expect(stats.tokens.byModel).toEqual([]);
    expect(stats.locked).toEqual({count: 0, threads: []});
  });

  it('reads sensibly with one run', () => {
    const stats = computeRunStats([statRun({id: 'only', queued: 2, ran: 40, usage: [10, 5]})], NOW);
    expect(stats.byStatus).toEqual([{status: 'completed', count: 1, share: 1}]);
    expect(stats.overTime.buckets).toHaveLength(1);
    expect(stats.queueTime).toMatchObject({count: 1, p50: 2, p95: 2, max: 2});
    expect(stats.runTime).toMatchObject({count: 1, p50: 40, p95: 40, max: 40});
    expect(stats.tokens.byModel[0]).toMatchObject({model: 'gpt-4o', totalTokens: 15, share: 1});
  });

  it('orders statuses in lifecycle order, unknown ones last', () => {
    const stats = computeRunStats(
      ['paused', 'completed', 'queued', 'failed', 'completed', 'zz_new'].map((status, index) => statRun({id: `r${index}`, status})),
      NOW,
    );
    expect(stats.byStatus.map((entry) => [entry.status, entry.count])).toEqual([
      ['queued', 1],
      ['failed', 1],
      ['completed', 2],
      ['paused', 1],
      ['zz_new', 1],
    ]);
  });

  it('summarizes the bundled examples', async () => {
    const {runs} = await loadRunsFromSources(['examples']);
    const stats = computeRunStats(runs, NOW);
    expect(stats.total).toBe(EXAMPLE_COUNT);
    expect(Object.fromEntries(stats.byStatus.map((entry) => [entry.status, entry.count]))).toEqual(exampleCountsByStatus());
    expect(stats.active).toBe(EXAMPLE_UNFINISHED);
    expect(stats.locked.count).toBe(12);
    expect(stats.tokens.totalTokens).toBe(116_807);
    expect(stats.tokens.byModel[0]).toMatchObject({model: 'gpt-4.1', totalTokens: 52_902});
    expect(stats.errors.ranked[0]).toMatchObject({key: 'rate_limit_exceeded', count: 2});
    expect(stats.overTime.buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(EXAMPLE_COUNT);
    expect(stats.overTime.buckets.length).toBeLessThanOrEqual(60);
  });

  it('handles 100,000 runs quickly', () => {
    const runs = syntheticRuns(100_000);
    // The fastest of three calls: a loaded CI machine adds noise, not a different algorithm.
    let elapsed = Infinity;
    let stats = computeRunStats(runs, NOW);
    for (let attempt = 0; attempt < 3; attempt++) {
      const started = performance.now();
      stats = computeRunStats(runs, NOW);
      elapsed = Math.min(elapsed, performance.now() - started);
    }
    expect(stats.total).toBe(100_000);
    expect(stats.byStatus.reduce((sum, entry) => sum + entry.count, 0)).toBe(100_000);
    expect(stats.overTime.buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(100_000);
    expect(stats.overTime.buckets.length).toBeLessThanOrEqual(60);
    expect(stats.threads.busiest).toHaveLength(10);
    // Tens of milliseconds on an idle machine; the bound only catches an accidental quadratic pass.
    expect(elapsed).toBeLessThan(1500);
  });
});
