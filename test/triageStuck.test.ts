import {describe, it, expect} from 'vitest';
import {waitingSince} from '../src/model/runFacts.js';
import {findStuckRuns, formatStuckBadge, summarizeStuck} from '../src/triage/stuck.js';
import {isActiveStatus} from '../src/model/run.js';
import {T0, call, makeRun} from './fixtures/triage/runs.js';

const weatherCall = (id: string) => call(id, 'get_weather', {city: 'Paris'});

describe('waitingSince', () => {
  it('uses started_at, else created_at', () => {
    expect(waitingSince(makeRun({createdAt: T0, startedAt: T0 + 5}))).toBe(T0 + 5);
    expect(waitingSince(makeRun({status: 'queued', createdAt: T0}))).toBe(T0);
    expect(waitingSince(makeRun({createdAt: T0, startedAt: null}))).toBe(T0);
  });
});

describe('findStuckRuns', () => {
  it('lists waiting runs longest first with countdowns, pending functions and problems', () => {
    const now = T0 + 1000;
    const runs = [
      makeRun({id: 'run_new', createdAt: T0 + 900, startedAt: T0 + 901, calls: [weatherCall('call_a'), call('call_b', 'get_time', {timezone: 'UTC'})]}),
      makeRun({id: 'run_done', status: 'completed'}),
      makeRun({id: 'run_old', createdAt: T0 + 100, startedAt: T0 + 110, calls: [call('call_c', 'get_wether', {city: 'Oslo'})]}),
      makeRun({id: 'run_mid', createdAt: T0 + 500, startedAt: T0 + 520, calls: [call('call_d', 'get_weather', '{"city": ')]}),
      makeRun({id: 'run_failed', status: 'failed'}),
    ];
    const stuck = findStuckRuns(runs, now);
    expect(stuck.map((s) => [s.run.id, s.kind, s.waitingSeconds, s.expiresInSeconds, s.expiredWhileWaiting])).toEqual([
      ['run_old', 'waiting', 890, -300, true],
      ['run_mid', 'waiting', 480, 100, false],
      ['run_new', 'waiting', 99, 500, false],
    ]);
    expect(stuck[2]?.pendingFunctions).toEqual(['get_weather', 'get_time']);
    expect(stuck[2]?.problems).toEqual([]);
    expect(stuck[0]?.problems).toEqual(["get_wether (call_c): unknown function 'get_wether'"]);
    expect(stuck[1]?.problems).toEqual(['get_weather (call_d): invalid JSON at line 1, column 10: Unexpected end of JSON input']);
  });

  it('marks runs whose expires_at passed while still waiting', () => {
    const run = makeRun({createdAt: T0, expiresAt: T0 + 600, calls: [weatherCall('call_1')]});
    expect(findStuckRuns([run], T0 + 599)[0]).toMatchObject({expiresInSeconds: 1, expiredWhileWaiting: false});
    expect(findStuckRuns([run], T0 + 600)[0]).toMatchObject({expiresInSeconds: 0, expiredWhileWaiting: true});
    expect(findStuckRuns([run], T0 + 1600)[0]).toMatchObject({expiresInSeconds: -1000, expiredWhileWaiting: true});
    const noExpiry = makeRun({expiresAt: null, calls: [weatherCall('call_1')]});
    expect(findStuckRuns([noExpiry], T0 + 99999)[0]).toMatchObject({expiresInSeconds: null, expiredWhileWaiting: false});
  });

  it('lists stalled queued / in_progress / cancelling runs only with includeStalled, past the threshold', () => {
    const now = T0 + 2000;
    const runs = [
      makeRun({id: 'run_wait', createdAt: T0 + 1900, calls: [weatherCall('call_1')]}),
      makeRun({id: 'run_queued_old', status: 'queued', createdAt: T0}),
      makeRun({id: 'run_queued_young', status: 'queued', createdAt: T0 + 1500}),
      makeRun({id: 'run_progress_old', status: 'in_progress', createdAt: T0 + 100, startedAt: T0 + 1000}),
      makeRun({id: 'run_cancelling', status: 'cancelling', createdAt: T0 + 300, startedAt: T0 + 300}),
      makeRun({id: 'run_completed_old', status: 'completed', createdAt: T0}),
    ];
    expect(findStuckRuns(runs, now).map((s) => s.run.id)).toEqual(['run_wait']);
    const withStalled = findStuckRuns(runs, now, {includeStalled: true});
    expect(withStalled.map((s) => [s.run.id, s.kind, s.waitingSeconds])).toEqual([
      ['run_queued_old', 'stalled', 2000],
      ['run_cancelling', 'stalled', 1700],
      ['run_progress_old', 'stalled', 1000],
      ['run_wait', 'waiting', 99],
    ]);
    expect(withStalled[0]).toMatchObject({pendingFunctions: [], problems: [], expiredWhileWaiting: false, expiresInSeconds: -1400});
    const lowThreshold = findStuckRuns(runs, now, {includeStalled: true, stalledAfterSeconds: 400});
    expect(lowThreshold.map((s) => s.run.id)).toContain('run_queued_young');
    const highThreshold = findStuckRuns(runs, now, {includeStalled: true, stalledAfterSeconds: 1800});
    expect(highThreshold.map((s) => s.run.id)).toEqual(['run_queued_old', 'run_wait']);
  });

  it('filters by olderThanSeconds and puts runs of unknown age last', () => {
    const noTimes = makeRun({id: 'run_notimes', calls: [weatherCall('call_1')]});
    delete noTimes.raw['created_at'];
    const unknown = {...noTimes, createdAt: null, startedAt: null};
    const runs = [
      unknown,
      makeRun({id: 'run_b', createdAt: T0, startedAt: T0, calls: [weatherCall('call_1')]}),
      makeRun({id: 'run_a', createdAt: T0 + 50, startedAt: T0 + 50, calls: [weatherCall('call_1')]}),
    ];
    expect(findStuckRuns(runs, T0 + 100).map((s) => [s.run.id, s.waitingSeconds])).toEqual([
      ['run_b', 100],
      ['run_a', 50],
      ['run_notimes', null],
    ]);
    expect(findStuckRuns(runs, T0 + 100, {olderThanSeconds: 60}).map((s) => s.run.id)).toEqual(['run_b']);
  });

  it('breaks ties in waiting time by the soonest expiry, then by id', () => {
    const runs = [
      makeRun({id: 'run_z', createdAt: T0, expiresAt: T0 + 600, calls: [weatherCall('c')]}),
      makeRun({id: 'run_y', createdAt: T0, expiresAt: T0 + 300, calls: [weatherCall('c')]}),
      makeRun({id: 'run_x', createdAt: T0, expiresAt: T0 + 600, calls: [weatherCall('c')]}),
    ];
    expect(findStuckRuns(runs, T0 + 10).map((s) => s.run.id)).toEqual(['run_y', 'run_x', 'run_z']);
  });

  it('flags requires_action without tool calls, and can skip the checks', () => {
    const empty = makeRun({id: 'run_empty', calls: []});
    const bad = makeRun({id: 'run_bad', calls: [call('call_1', 'nope', {})]});
    expect(findStuckRuns([empty], T0 + 10)[0]?.problems).toEqual(['requires_action without tool calls']);
    expect(findStuckRuns([bad], T0 + 10, {withProblems: false})[0]?.problems).toEqual([]);
    expect(findStuckRuns([bad], T0 + 10)[0]?.problems).toEqual(["nope (call_1): unknown function 'nope'"]);
  });

  it('never reports a negative wait when the run starts after "now" (clock skew)', () => {
    expect(findStuckRuns([makeRun({createdAt: T0 + 30, calls: [weatherCall('c')]})], T0)[0]?.waitingSeconds).toBe(0);
  });
});

describe('summarizeStuck', () => {
  const now = T0 + 1000;
  const runs = [
    // Waiting 14m 30s, expires in 2m 30s.
    makeRun({id: 'run_1', threadId: 'thread_1', createdAt: now - 871, startedAt: now - 870, expiresAt: now + 150, calls: [weatherCall('c')]}),
    // Waiting 3m, expires in 7m: not soon.
    makeRun({id: 'run_2', threadId: 'thread_2', createdAt: now - 180, startedAt: now - 180, expiresAt: now + 420, calls: [weatherCall('c')]}),
    // Waiting 5m, expired 10s ago.
    makeRun({id: 'run_3', threadId: 'thread_3', createdAt: now - 300, startedAt: now - 300, expiresAt: now - 10, calls: [weatherCall('c')]}),
    // Stalled on thread_1 too: the same thread, counted once.
    makeRun({id: 'run_4', threadId: 'thread_1', status: 'queued', createdAt: now - 900}),
    // Young in-progress run.
    makeRun({id: 'run_5', threadId: 'thread_5', status: 'in_progress', createdAt: now - 20, startedAt: now - 19}),
    // Final runs do not lock anything.
    makeRun({id: 'run_6', threadId: 'thread_6', status: 'completed', createdAt: now - 5000}),
    makeRun({id: 'run_7', threadId: 'thread_7', status: 'expired', createdAt: now - 5000}),
  ];

  it('counts waiting, oldest, expiring soon, expired, stalled and locked threads', () => {
    expect(summarizeStuck(runs, now)).toEqual({
      waiting: 3,
      oldestWaitingSeconds: 870,
      expiringSoon: 1,
      soonestExpirySeconds: 150,
      expiredWhileWaiting: 1,
      active: 5,
      stalled: 1,
      lockedThreads: 4,
    });
  });

  it('agrees with findStuckRuns', () => {
    const stuck = findStuckRuns(runs, now, {includeStalled: true});
    const summary = summarizeStuck(runs, now);
    expect(stuck.filter((s) => s.kind === 'waiting')).toHaveLength(summary.waiting);
    expect(stuck.filter((s) => s.kind === 'stalled')).toHaveLength(summary.stalled);
    expect(stuck.filter((s) => s.expiredWhileWaiting)).toHaveLength(summary.expiredWhileWaiting);
    expect(stuck[0]?.waitingSeconds).toBe(900);
  });

  it('moves with the injected clock', () => {
    const later = summarizeStuck(runs, now + 200);
    expect(later).toMatchObject({waiting: 3, oldestWaitingSeconds: 1070, expiringSoon: 1, expiredWhileWaiting: 2, soonestExpirySeconds: 220});
    expect(summarizeStuck(runs, now, {expiringWithinSeconds: 600}).expiringSoon).toBe(2);
  });

  it('gives the same answers for the active runs alone', () => {
    const active = runs.filter((r) => isActiveStatus(r.status));
    expect(active).toHaveLength(5);
    expect(summarizeStuck(active, now)).toEqual(summarizeStuck(runs, now));
    expect(findStuckRuns(active, now, {includeStalled: true})).toEqual(findStuckRuns(runs, now, {includeStalled: true}));
  });

  it('is empty for no runs', () => {
    expect(summarizeStuck([], now)).toEqual({
      waiting: 0,
      oldestWaitingSeconds: null,
      expiringSoon: 0,
      soonestExpirySeconds: null,
      expiredWhileWaiting: 0,
      active: 0,
      stalled: 0,
      lockedThreads: 0,
    });
  });

  it('formats the header badge', () => {
    expect(formatStuckBadge(summarizeStuck(runs, now))).toBe('3 waiting for tool outputs · oldest 14m · 1 expires in 2m · 1 expired while waiting · 1 stalled');
    expect(formatStuckBadge(summarizeStuck(runs.slice(0, 2), now))).toBe('2 waiting for tool outputs · oldest 14m · 1 expires in 2m');
    expect(formatStuckBadge(summarizeStuck(runs.slice(0, 2), now, {expiringWithinSeconds: 600}))).toBe(
      '2 waiting for tool outputs · oldest 14m · 2 expire soon, next in 2m',
    );
    expect(formatStuckBadge(summarizeStuck(runs.slice(4), now))).toBeNull();
  });

  it('stays a single cheap pass over 100,000 runs', () => {
    const many = Array.from({length: 100_000}, (_, i) =>
      i % 1000 === 0
        ? makeRun({id: `run_${i}`, threadId: `thread_${i}`, createdAt: now - i, calls: [weatherCall('c')]})
        : {...runs[5]!, id: `run_${i}`},
    );
    const summary = summarizeStuck(many, now);
    expect(summary).toMatchObject({waiting: 100, oldestWaitingSeconds: 99_000 - 1, lockedThreads: 100});
    const stuck = findStuckRuns(many, now);
    expect(stuck).toHaveLength(100);
    expect(stuck[0]?.run.id).toBe('run_99000');
  });
});
