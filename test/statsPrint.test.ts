import {describe, it, expect} from 'vitest';
import stringWidth from 'string-width';
import {stripVTControlCharacters} from 'node:util';
import {printStats, STATS_JSON_SCHEMA, statsToJson, type StatsJson} from '../src/cli/printStats.js';
import type {PrintTarget} from '../src/cli/printRuns.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {computeRunStats} from '../src/stats/runStats.js';
import {STATS_SECTIONS} from '../src/stats/statsPane.js';
import {NOW, statRun} from './stats.fixtures.js';
import {EXAMPLE_COUNT, exampleStatusCount, EXAMPLE_UNFINISHED} from './helpers/examples.js';

function capture(options: Partial<PrintTarget> = {}): PrintTarget & {text: () => string} {
  let out = '';
  return {write: (text) => void (out += text), isTerminal: true, color: false, columns: 100, ...options, text: () => out};
}

const examples = loadRunsFromSources(['examples']).then((loaded) => loaded.runs);

describe('printStats text', () => {
  it('prints every section, fitted to the terminal, without colour when colour is off', async () => {
    const target = capture({columns: 90});
    printStats(await examples, target, {json: false, nowSeconds: NOW, ascii: false});
    const text = target.text();
    expect(text).not.toContain('\u001b');
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(90);
    for (const section of STATS_SECTIONS) expect(lines.some((line) => line.startsWith(section))).toBe(true);
    expect(lines[0]).toBe(`${EXAMPLE_COUNT} runs  ·  ${EXAMPLE_UNFINISHED} unfinished  ·  31 threads  ·  12 locked`);
    for (const line of lines) expect(line).toBe(line.trimEnd());
  });

  it('colours by tone when asked, with the same text underneath', async () => {
    const plain = capture();
    const coloured = capture({color: true});
    printStats(await examples, plain, {json: false, nowSeconds: NOW, ascii: false});
    printStats(await examples, coloured, {json: false, nowSeconds: NOW, ascii: false});
    expect(coloured.text()).toContain('\u001b[');
    expect(stripVTControlCharacters(coloured.text())).toBe(plain.text());
  });

  it('takes an explicit width, 80 columns when piped, and ASCII on request', async () => {
    const narrow = capture();
    printStats(await examples, narrow, {json: false, nowSeconds: NOW, ascii: true, width: 40});
    for (const line of narrow.text().trimEnd().split('\n')) {
      expect(stringWidth(line)).toBeLessThanOrEqual(40);
      expect(line).not.toMatch(/[^\x20-\x7e]/);
    }
    const piped = capture({isTerminal: false, columns: 300});
    printStats(await examples, piped, {json: false, nowSeconds: NOW, ascii: false});
    for (const line of piped.text().trimEnd().split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
  });

  it('reads sensibly with no runs and with one', () => {
    const empty = capture();
    printStats([], empty, {json: false, nowSeconds: NOW, ascii: false});
    expect(empty.text()).toBe('No runs to summarize.\n');
    const one = capture();
    printStats([statRun({id: 'run_1', created: NOW - 60})], one, {json: false, nowSeconds: NOW, ascii: false});
    expect(one.text()).toContain('1 run  ·  1 thread');
    expect(one.text()).not.toMatch(/NaN|undefined|Infinity/);
  });
});

describe('printStats --json', () => {
  it('prints the documented object', async () => {
    const target = capture();
    printStats(await examples, target, {json: true, nowSeconds: NOW, ascii: false});
    const json = JSON.parse(target.text()) as StatsJson;
    expect(Object.keys(json)).toEqual([
      'schema',
      'now',
      'percentile_method',
      'runs',
      'unfinished_runs',
      'by_status',
      'over_time',
      'queue_time',
      'run_time',
      'tokens',
      'cost',
      'errors',
      'incomplete',
      'threads',
      'locked_threads',
    ]);
    expect(json.schema).toBe(STATS_JSON_SCHEMA);
    expect(json.now).toBe(NOW);
    expect(json.runs).toBe(EXAMPLE_COUNT);
    expect(json.unfinished_runs).toBe(EXAMPLE_UNFINISHED);
    expect(json.by_status[0]).toEqual({status: 'queued', runs: exampleStatusCount('queued'), share: Number((exampleStatusCount('queued') / EXAMPLE_COUNT).toFixed(6))});
    expect(json.queue_time).toMatchObject({runs: 47, p50_s: 1, p95_s: 2, max_s: 4});
    expect(json.tokens.total).toBe(116_807);
    expect(json.tokens.by_model[0]).toEqual({model: 'gpt-4.1', runs: 15, runs_with_usage: 11, prompt: 50_365, completion: 2_537, total: 52_902, share: 0.452901});
    expect(json.errors.ranked[0]).toMatchObject({key: 'rate_limit_exceeded', runs: 2, share: 0.4});
    expect(json.locked_threads.count).toBe(12);
    expect(json.locked_threads.threads[0]).toMatchObject({thread_id: 'thread_Lr6rFz0U544KuIyZ4EM1iyW8', expired: true, unfinished_runs: 1});
    expect(json.over_time.buckets.reduce((sum, bucket) => sum + bucket.runs, 0)).toBe(EXAMPLE_COUNT);
  });

  it('has known figures for a small set, and stays the same for the same input', () => {
    const runs = [
      statRun({id: 'a', created: NOW - 100, queued: 1, ran: 10, usage: [30, 10]}),
      statRun({id: 'b', created: NOW - 50, queued: 3, ran: 20, status: 'failed', error: 'server_error', usage: [10, 0]}),
    ];
    const json = statsToJson(computeRunStats(runs, NOW));
    expect(json.queue_time).toEqual({
      runs: 2,
      min_s: 1,
      p50_s: 1,
      p95_s: 3,
      max_s: 3,
      mean_s: 2,
      negative: 0,
      histogram: [
        {from_s: 1, to_s: 2, runs: 1},
        {from_s: 2, to_s: 5, runs: 1},
      ],
    });
    expect(json.over_time).toEqual({
      bucket: 'minute',
      bucket_seconds: 60,
      first_created_at: NOW - 100,
      last_created_at: NOW - 50,
      without_created_at: 0,
      buckets: [
        {start: NOW - 120, end: NOW - 60, runs: 1, unsuccessful: 0},
        {start: NOW - 60, end: NOW, runs: 1, unsuccessful: 1},
      ],
    });
    expect(json.tokens.by_model).toEqual([{model: 'gpt-4o', runs: 2, runs_with_usage: 2, prompt: 40, completion: 10, total: 50, share: 1}]);
    expect(json.errors).toEqual({runs: 1, ranked: [{key: 'server_error', runs: 1, share: 1, last_run_id: 'b', last_created_at: NOW - 50}]});
    expect(JSON.stringify(statsToJson(computeRunStats(runs, NOW)))).toBe(JSON.stringify(json));
  });

  it('escapes terminal controls inside strings', () => {
    const target = capture();
    printStats([statRun({id: 'run_\u009b2J', thread: 'thread_\u202eevil', status: 'failed', error: 'bad\u001b]0;x'})], target, {json: true, nowSeconds: NOW, ascii: false});
    expect(target.text()).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    const json = JSON.parse(target.text()) as StatsJson;
    expect(json.errors.ranked[0]!.key).toBe('bad\u001b]0;x');
    expect(json.threads.busiest[0]!.thread_id).toBe('thread_\u202eevil');
    const text = capture({color: false});
    printStats([statRun({id: 'run_\u009b2J', thread: 'thread_\u202eevil', status: 'failed', error: 'bad\u001b]0;x', model: 'gpt\u0007'})], text, {json: false, nowSeconds: NOW, ascii: false});
    expect(text.text()).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text.text()).toContain('thread_\\u202eevil');
  });
});
