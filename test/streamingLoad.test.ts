/**
 * Loading while showing: JSON Lines read piece by piece (files, named pipes, stdin), progress,
 * stopping early, and the feed and store that show a first load as it goes.
 */
import {mkdtempSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {normalizeRun} from '../src/model/normalize.js';
import {loadRunsFromSources, type LoadProgress, type PartialLoad} from '../src/sources/loadSources.js';
import {JsonLinesReader, parseJsonLinesBuffer} from '../src/sources/parseRunText.js';
import type {ParsedItems} from '../src/model/itemKinds.js';
import {RunFeed} from '../src/sources/runFeed.js';
import {createInitialState, selectedRun} from '../src/store/runStore.js';
import {runStoreReducer} from './helpers/storeHarness.js';
import {formatLoadProgress} from '../src/stats/loadProgress.js';

const runLine = (id: string, createdAt: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({object: 'thread.run', id, status: 'completed', created_at: createdAt, thread_id: 'thread_a', ...extra});

function summary(out: ParsedItems) {
  return {
    runs: out.runs.map((run) => ({id: run.id, line: run.source.line, raw: run.raw})),
    warnings: out.warnings,
  };
}

function tempFile(name: string, text: string | Buffer): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'runlens-stream-')), name);
  writeFileSync(file, text);
  return file;
}

describe('JsonLinesReader', () => {
  const line = fc.oneof(
    fc.record({id: fc.string({minLength: 1, maxLength: 8}), text: fc.string({unit: 'binary', maxLength: 12})}).map(({id, text}) => runLine(`run_${id}`, 1, {instructions: text})),
    fc.constant(''),
    fc.constant('   '),
    fc.constant('{"object":"thread.run","id":"run_cut",'),
    fc.constant('[1, 2]'),
    fc.constant('{"object":"thread.run","id":"run_é€😀","status":"queued"}'),
  );

  it('finds the same runs and warnings wherever the pieces are cut, even inside a character', () => {
    fc.assert(
      fc.property(
        fc.array(line, {maxLength: 8}),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), {maxLength: 6}),
        (lines, bom, crlf, finalNewline, cuts) => {
          const text = lines.join(crlf ? '\r\n' : '\n') + (finalNewline ? '\n' : '');
          const bytes = Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text)]);
          const whole: ParsedItems = {runs: [], warnings: []};
          parseJsonLinesBuffer(bytes, 'runs.jsonl', whole);

          const pieces: ParsedItems = {runs: [], warnings: []};
          const reader = new JsonLinesReader('runs.jsonl', pieces);
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          let start = 0;
          for (const point of [...points, bytes.length]) {
            reader.push(bytes.subarray(start, point));
            start = point;
          }
          reader.end();
          expect(summary(pieces)).toEqual(summary(whole));
          expect(reader.bytesRead).toBe(bytes.length);
        },
      ),
      {numRuns: 300},
    );
  });

  it('cuts every byte apart: one byte a piece reads the same as the whole', () => {
    const bytes = Buffer.from(`\ufeff${runLine('run_a', 1, {instructions: 'naïve 日本 😀'})}\r\n\n{broken\n${runLine('run_b', 2)}`);
    const whole: ParsedItems = {runs: [], warnings: []};
    parseJsonLinesBuffer(bytes, 'f.jsonl', whole);
    const pieces: ParsedItems = {runs: [], warnings: []};
    const reader = new JsonLinesReader('f.jsonl', pieces);
    for (let index = 0; index < bytes.length; index += 1) reader.push(bytes.subarray(index, index + 1));
    reader.end();
    expect(summary(pieces)).toEqual(summary(whole));
    expect(pieces.runs.map((run) => run.id)).toEqual(['run_a', 'run_b']);
    expect(pieces.runs[0]!.instructions).toBe('naïve 日本 😀');
    expect(pieces.warnings.map((warning) => warning.location)).toEqual(['f.jsonl:3:2']);
  });

  it('counts lines right in inputs shorter than a byte order mark', () => {
    const out: ParsedItems = {runs: [], warnings: []};
    parseJsonLinesBuffer(Buffer.from('\n1'), 'tiny.jsonl', out);
    expect(out.warnings).toEqual([{location: 'tiny.jsonl:2', message: 'the value is a number, not a run; skipped'}]);
  });
});

describe('loadRunsFromSources with progress', () => {
  // About 3 MB: a small first piece, then pieces of 2 MB.
  const lines = Array.from({length: 6000}, (_, index) => runLine(`run_${String(index).padStart(5, '0')}`, 1_700_000_000 + index, {instructions: 'x'.repeat(400)}));
  const file = tempFile('big.jsonl', `${lines.join('\n')}\n`);

  it('reports growing byte counts against the file size, with the runs so far, and ends with the same runs as a plain load', async () => {
    const reports: Array<{progress: LoadProgress; runs: number}> = [];
    const loaded = await loadRunsFromSources([file], {onProgress: (progress, partial) => void reports.push({progress, runs: partial.runs.length})});
    const plain = await loadRunsFromSources([file]);
    expect(loaded.runs.map((run) => run.id)).toEqual(plain.runs.map((run) => run.id));
    expect(loaded.runs).toHaveLength(6000);
    const size = statSync(file).size;
    expect(reports.length).toBeGreaterThanOrEqual(3);
    expect(reports.every((report) => report.progress.totalBytes === size)).toBe(true);
    const bytes = reports.map((report) => report.progress.bytesRead);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(bytes.at(-1)).toBe(size);
    // The first report comes after a small first piece, long before the end.
    expect(reports[0]!.runs).toBeGreaterThan(0);
    expect(reports[0]!.runs).toBeLessThan(500);
  });

  it('stops between pieces when told to, keeping the runs read so far', async () => {
    const abort = new AbortController();
    const loaded = await loadRunsFromSources([file], {onProgress: () => abort.abort(), signal: abort.signal});
    expect(loaded.runs.length).toBeGreaterThan(0);
    expect(loaded.runs.length).toBeLessThan(500);
  });

  it('hands out runs from stdin as lines arrive, before the stream ends', async () => {
    const stdin = new PassThrough();
    const seen: PartialLoad[] = [];
    let sawFirstRun!: () => void;
    const firstRun = new Promise<void>((resolve) => (sawFirstRun = resolve));
    const done = loadRunsFromSources(['-'], {
      stdin,
      onProgress: (_progress, partial) => {
        seen.push({runs: [...partial.runs], warnings: [...partial.warnings], revision: partial.revision});
        if (partial.runs.length > 0) sawFirstRun();
      },
    });
    const second = runLine('run_second', 2);
    stdin.write(`${runLine('run_first', 1)}\n${second.slice(0, 30)}`);
    await firstRun;
    expect(seen.at(-1)!.runs.map((run) => run.id)).toEqual(['run_first']);
    stdin.end(`${second.slice(30)}\n`);
    const loaded = await done;
    expect(loaded.runs.map((run) => run.id)).toEqual(['run_first', 'run_second']);
    expect(loaded.warnings).toEqual([]);
  });

  it('reads stdin that is one pretty-printed document whole, as before', async () => {
    const stdin = new PassThrough();
    stdin.end(JSON.stringify({object: 'list', data: [JSON.parse(runLine('run_x', 1)), JSON.parse(runLine('run_y', 2))]}, null, 2));
    const loaded = await loadRunsFromSources(['-'], {stdin, onProgress: () => {}});
    expect(loaded.runs.map((run) => run.id)).toEqual(['run_x', 'run_y']);
    expect(loaded.warnings).toEqual([]);
  });
});

describe('RunFeed.stream', () => {
  it('shows the first runs at once, later ones at most every 400 ms, progress every 250 ms in between, and everything at the end', async () => {
    let clock = 10_000;
    const feed = new RunFeed({runs: [], warnings: [], sources: ['big.jsonl'], files: []}, {load: () => Promise.reject(new Error('unused')), now: () => clock, watchSeconds: 5, watching: false, files: [], remote: false});
    const runs = Array.from({length: 5}, (_, index) => normalizeRun(JSON.parse(runLine(`run_${index}`, index)) as Record<string, unknown>, {file: 'big.jsonl', line: index + 1}));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const progress = (bytesRead: number, count: number): [LoadProgress, PartialLoad] => [
      {bytesRead, totalBytes: 500, runs: count, file: 'big.jsonl'},
      {runs: runs.slice(0, count), warnings: [], revision: count},
    ];
    const done = feed.stream(async (onProgress) => {
      expect(feed.snapshot().loading).toMatchObject({bytesRead: 0, startedAt: 10_000});
      onProgress(...progress(100, 1));
      expect(feed.snapshot().runs.map((run) => run.id)).toEqual(['run_0']);
      clock += 100;
      onProgress(...progress(150, 1));
      // Too soon for the progress bar to move.
      expect(feed.snapshot().loading?.bytesRead).toBe(100);
      clock += 200;
      onProgress(...progress(200, 2));
      // Progress moves, the runs shown wait.
      expect(feed.snapshot().loading?.bytesRead).toBe(200);
      expect(feed.snapshot().runs).toHaveLength(1);
      clock += 150;
      onProgress(...progress(300, 3));
      expect(feed.snapshot().runs).toHaveLength(3);
      await finished;
      return {runs, warnings: [], sources: ['big.jsonl'], files: ['big.jsonl']};
    });
    // A refresh asked for during the load waits for it rather than starting another.
    let refreshed = false;
    const refresh = feed.refresh().then(() => (refreshed = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(refreshed).toBe(false);
    finish();
    await done;
    await refresh;
    expect(feed.snapshot().loading).toBeNull();
    expect(feed.snapshot().runs).toHaveLength(5);
    expect(feed.snapshot().files).toEqual(['big.jsonl']);
  });
});

describe('RunFeed.stream when input pauses', () => {
  it('shows runs held back by the pacing once their turn comes, though nothing more arrives', async () => {
    let clock = 10_000;
    const feed = new RunFeed({runs: [], warnings: [], sources: ['pipe'], files: []}, {load: () => Promise.reject(new Error('unused')), now: () => clock, watchSeconds: 5, watching: false, files: [], remote: false});
    const runs = [0, 1].map((index) => normalizeRun(JSON.parse(runLine(`run_${index}`, index)) as Record<string, unknown>, {file: 'pipe', line: index + 1}));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const done = feed.stream(async (onProgress) => {
      onProgress({bytesRead: 100, totalBytes: null, runs: 1, file: 'pipe'}, {runs: runs.slice(0, 1), warnings: [], revision: 1});
      clock += 100;
      onProgress({bytesRead: 200, totalBytes: null, runs: 2, file: 'pipe'}, {runs, warnings: [], revision: 2});
      expect(feed.snapshot().runs).toHaveLength(1);
      await finished;
      return {runs, warnings: [], sources: ['pipe'], files: []};
    });
    // The writer is silent now; the second run still shows, 300 ms later (400 ms after the first).
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(feed.snapshot().runs.map((run) => run.id)).toEqual(['run_0', 'run_1']);
    expect(feed.snapshot().loading).not.toBeNull();
    finish();
    await done;
  });
});

describe('RunFeed.stream when a later copy replaces a run', () => {
  it('shows the replacement, though the number of runs stays the same and nothing more arrives', async () => {
    let clock = 10_000;
    const feed = new RunFeed({runs: [], warnings: [], sources: ['poll.jsonl'], files: []}, {load: () => Promise.reject(new Error('unused')), now: () => clock, watchSeconds: 5, watching: false, files: [], remote: false});
    const queued = normalizeRun(JSON.parse(runLine('run_0', 0, {status: 'queued'})) as Record<string, unknown>, {file: 'poll.jsonl', line: 1});
    const done = normalizeRun(JSON.parse(runLine('run_0', 0, {completed_at: 30})) as Record<string, unknown>, {file: 'poll.jsonl', line: 2});
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const loading = feed.stream(async (onProgress) => {
      onProgress({bytesRead: 100, totalBytes: null, runs: 1, file: 'poll.jsonl'}, {runs: [queued], warnings: [], revision: 1});
      clock += 100;
      // The load's array, with the copy replaced in place: one run still.
      onProgress({bytesRead: 200, totalBytes: null, runs: 1, file: 'poll.jsonl'}, {runs: [done], warnings: [], revision: 2});
      expect(feed.snapshot().runs.map((run) => run.status)).toEqual(['queued']);
      await finished;
      return {runs: [done], warnings: [], sources: ['poll.jsonl'], files: []};
    });
    // Before the revision, a replacement that kept the count was never shown while the load went on.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(feed.snapshot().runs.map((run) => run.status)).toEqual(['completed']);
    expect(feed.snapshot().loading).not.toBeNull();
    finish();
    await loading;
  });
});

describe('the store during a first load', () => {
  const make = (id: string, createdAt: number) => normalizeRun(JSON.parse(runLine(id, createdAt)) as Record<string, unknown>, {file: 'f'});
  const early = [make('run_old', 100), make('run_mid', 200)];
  const later = [...early, make('run_new', 300), make('run_oldest', 50)];

  it('keeps an untouched cursor on the top row as newer runs arrive, then on the same run once loaded', () => {
    let state = {...createInitialState({runs: [], nowSeconds: 1000}), loadingRuns: true};
    state = runStoreReducer(state, {type: 'setRuns', runs: early, loading: true});
    expect(selectedRun(state)?.id).toBe('run_mid');
    state = runStoreReducer(state, {type: 'setRuns', runs: later, loading: false});
    expect(selectedRun(state)?.id).toBe('run_new');
    // Loaded: a refresh with a newer run keeps the selection where it is.
    state = runStoreReducer(state, {type: 'setRuns', runs: [...later, make('run_newest', 400)]});
    expect(selectedRun(state)?.id).toBe('run_new');
  });

  it('keeps a run the user moved to selected while the load goes on', () => {
    let state = {...createInitialState({runs: [], nowSeconds: 1000}), loadingRuns: true};
    state = runStoreReducer(state, {type: 'setRuns', runs: early, loading: true});
    state = runStoreReducer(state, {type: 'key', name: 'down', text: ''});
    expect(selectedRun(state)?.id).toBe('run_old');
    state = runStoreReducer(state, {type: 'setRuns', runs: later, loading: false});
    expect(selectedRun(state)?.id).toBe('run_old');
  });
});

describe('formatLoadProgress', () => {
  const loading = {bytesRead: 96 * 1024 * 1024, totalBytes: 215 * 1024 * 1024, runs: 45_000, file: 'big.jsonl', startedAt: 0};

  it('draws a bar, the share, the bytes and the rate', () => {
    expect(formatLoadProgress(loading, 2000, {ascii: false})).toBe('loading ▕███████▏        ▏ 44%  96 MB of 215 MB  48 MB/s');
    expect(formatLoadProgress(loading, 2000, {ascii: true})).toBe('loading [#######         ] 44%  96 MB of 215 MB  48 MB/s');
  });

  it('shows only bytes when the size is unknown (stdin), and no rate in the first moments', () => {
    expect(formatLoadProgress({...loading, bytesRead: 300 * 1024, totalBytes: null}, 100, {ascii: false})).toBe('loading 300 KB');
  });
});
