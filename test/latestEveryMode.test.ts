/**
 * A run read more than once shows its latest state in every mode, whatever order files and lines
 * are read in: `list` (JSON and TSV, streaming and sorted), `show`, `stuck`, `stats` and the TUI's
 * load, on files of each shape the issue names (test/fixtures/latest/):
 *
 * - snapshots/: two list exports; snapshot-10.json is the later one but sorts first, so the older
 *   copies were read last and won (a queued run showed queued everywhere);
 * - out-of-order.jsonl: a poll log whose lines came out of order (`list` showed the first copy,
 *   in_progress, and `show` the last, queued);
 * - transcript/: a stream transcript that ends in requires_action beside a later snapshot in which
 *   the run completed (the transcript, read later, won);
 * - tie/: two exports in the same state (status and times) that differ otherwise: the one read
 *   later wins, and a warning names both.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {fileURLToPath} from 'node:url';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {parseCli, queryFrom} from '../src/cli/args.js';
import {runCli} from '../src/cli/main.js';
import {isDetached} from '../src/model/detachedRun.js';
import {wholeRun} from '../src/sources/itemBodies.js';
import type {Run} from '../src/model/run.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';
import {formatWarning} from '../src/model/loadWarning.js';
import {safeInline} from '../src/format/sanitize.js';
import {RunFeed} from '../src/sources/runFeed.js';
import {filterRuns} from '../src/store/listView.js';
import {createInitialState} from '../src/store/runStore.js';
import {OutputCollector} from './helpers/outputCollector.js';
import {streamList} from './helpers/streamList.js';

const LATEST = fileURLToPath(new URL('./fixtures/latest/', import.meta.url));
const fixture = (name: string) => path.join(LATEST, name);
const NOW_ISO = '2026-11-25T12:00:00Z';
const NOW_MS = Date.parse(NOW_ISO);

const scratch = mkdtempSync(path.join(tmpdir(), 'runlens-latest-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], stdinText?: string): Promise<CliResult> {
  const stdin: PassThrough & {isTTY?: boolean} = Object.assign(new PassThrough(), {isTTY: false});
  stdin.end(stdinText ?? '');
  const stdout = new OutputCollector(false);
  const stderr = new OutputCollector(false);
  const code = await runCli({argv, env: {RUNLENS_NOW: NOW_ISO}, stdin, stdout, stderr, now: () => NOW_MS});
  return {code, stdout: stdout.text, stderr: stderr.text};
}

type Raw = Record<string, unknown> & {id: string; status: string};
const byId = (runs: readonly Raw[]) => [...runs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const statuses = (runs: readonly Raw[]) => Object.fromEntries(byId(runs).map((run) => [run.id, run.status]));

/** The TUI's first load, as runTui does it: streamed into a RunFeed, runs kept small (DetachedRun). */
async function tuiRuns(sources: string[]): Promise<readonly Run[]> {
  const feed = new RunFeed({runs: [], warnings: [], sources, files: []}, {load: () => Promise.reject(new Error('unused')), now: () => NOW_MS, watchSeconds: 5, watching: false, files: [], remote: false});
  await feed.stream((onProgress) => loadRunsFromSources(sources, {onProgress, detachRuns: true}));
  feed.stop();
  const state = createInitialState({runs: feed.snapshot().runs, nowSeconds: NOW_MS / 1000});
  return state.visible;
}

/** Every mode's view of the runs in `sources`; each must be the same. */
async function everyMode(sources: string[]) {
  const streamed = await cli(['list', ...sources, '--json']);
  expect(streamed.code).toBe(0);
  const streamedRuns = JSON.parse(streamed.stdout) as Raw[];
  const tsv = await cli(['list', ...sources]);
  const tsvStatuses = Object.fromEntries(tsv.stdout.split('\n').filter(Boolean).map((row) => row.split('\t').slice(0, 2)));
  const sorted = await cli(['list', ...sources, '--sort', 'id', '--json']);
  const sortedRuns = JSON.parse(sorted.stdout) as Raw[];
  const shown: Raw[] = [];
  for (const run of streamedRuns) shown.push(JSON.parse((await cli(['show', run.id, ...sources, '--json'])).stdout) as Raw);
  const stuck = JSON.parse((await cli(['stuck', ...sources, '--json'])).stdout) as Array<{id: string; status: string}>;
  const stats = JSON.parse((await cli(['stats', ...sources, '--json'])).stdout) as {runs: number; by_status: Array<{status: string; runs: number}>};
  const tui = await tuiRuns(sources);
  return {streamed, streamedRuns, tsvStatuses, sortedRuns, shown, stuck, stats, tui};
}

/** Checks that every mode shows exactly `expected` (id → status), the same run objects, and returns the streamed list's stderr. */
async function expectEveryMode(sources: string[], expected: Record<string, string>): Promise<string> {
  const modes = await everyMode(sources);
  expect(statuses(modes.streamedRuns)).toEqual(expected);
  expect(modes.tsvStatuses).toEqual(expected);
  expect(byId(modes.sortedRuns)).toEqual(byId(modes.streamedRuns));
  expect(byId(modes.shown)).toEqual(byId(modes.streamedRuns));
  const waiting = Object.entries(expected).filter(([, status]) => status === 'requires_action').map(([id]) => id);
  expect(modes.stuck.map((run) => run.id).sort()).toEqual(waiting.sort());
  const counts: Record<string, number> = {};
  for (const status of Object.values(expected)) counts[status] = (counts[status] ?? 0) + 1;
  expect(Object.fromEntries(modes.stats.by_status.filter((row) => row.runs > 0).map((row) => [row.status, row.runs]))).toEqual(counts);
  // The TUI: the same runs, and a run kept small reads the winning copy again from its file.
  expect(statuses(modes.tui.map((run) => ({...wholeRun(run).raw, id: run.id, status: run.status})))).toEqual(expected);
  expect(byId(modes.tui.map((run) => wholeRun(run).raw as Raw))).toEqual(byId(modes.streamedRuns));
  return modes.streamed.stderr;
}

const SNAPSHOTS = {
  run_SnapA1queued00000000001: 'completed',
  run_SnapB2waiting000000002: 'completed',
  run_SnapC3running000000003: 'in_progress',
  run_SnapD4new0000000000004: 'queued',
  run_SnapE5queued00000000005: 'requires_action',
};
const LOG = {
  run_LogP1running0000000001: 'in_progress',
  run_LogQ2done000000000002: 'completed',
  run_LogR3single00000000003: 'failed',
};

/** out-of-order.jsonl with the earlier copies first: the single run, then run_LogQ2's and run_LogP1's copies interleaved. */
function reorderedLog(): string {
  const lines = readFileSync(fixture('out-of-order.jsonl'), 'utf8').trimEnd().split('\n');
  const file = path.join(scratch, 'reordered.jsonl');
  writeFileSync(file, [lines[4], lines[3], lines[1], lines[2], lines[0]].join('\n'));
  return file;
}

describe('the latest state of a run wins, in every mode', () => {
  it('a folder of snapshots, the older one read last', async () => {
    const stderr = await expectEveryMode([fixture('snapshots')], SNAPSHOTS);
    // Earlier states are not bad input.
    expect(stderr).toBe('');
  });

  it('a JSON Lines poll log whose lines are out of order', async () => {
    const stderr = await expectEveryMode([fixture('out-of-order.jsonl')], LOG);
    expect(stderr).toBe('');
    // The TUI keeps these runs small; the one whose latest copy is the first line reads that line again.
    const tui = await tuiRuns([fixture('out-of-order.jsonl')]);
    const done = tui.find((run) => run.id === 'run_LogQ2done000000000002')!;
    expect(isDetached(done)).toBe(true);
    expect(done.source.line).toBe(3);
    expect(wholeRun(done).raw['status']).toBe('completed');
  });

  it('a stream transcript beside a later snapshot of its run', async () => {
    const stderr = await expectEveryMode([fixture('transcript')], {run_SseT1stream0000000001: 'completed'});
    expect(stderr).toBe('');
    // Named the other way round, the same.
    await expectEveryMode([fixture('transcript/stream.sse'), fixture('transcript/later.json')], {run_SseT1stream0000000001: 'completed'});
  });

  it('a true tie: the copy read later wins, and the warning names both places', async () => {
    const a = fixture('tie/export-a.json');
    const b = fixture('tie/export-b.json');
    const stderr = await expectEveryMode([fixture('tie')], {run_TieX1same000000000001: 'completed'});
    expect(stderr).toBe(`runlens: ${b}: run_TieX1same000000000001 also appears in ${a} with different content; showing this one\n`);
    const listed = JSON.parse((await cli(['list', a, b, '--json'])).stdout) as Array<{metadata: {channel: string}}>;
    expect(listed.map((run) => run.metadata.channel)).toEqual(['email']);
    const reversed = await cli(['list', b, a, '--json']);
    expect((JSON.parse(reversed.stdout) as Array<{metadata: {channel: string}}>).map((run) => run.metadata.channel)).toEqual(['web']);
    expect(reversed.stderr).toBe(`runlens: ${a}: run_TieX1same000000000001 also appears in ${b} with different content; showing this one\n`);
  });

  it('every shape together, in either order', async () => {
    const all = ['snapshots', 'out-of-order.jsonl', 'transcript', 'tie'].map(fixture);
    const expected = {...SNAPSHOTS, ...LOG, run_SseT1stream0000000001: 'completed', run_TieX1same000000000001: 'completed'};
    for (const sources of [all, [...all].reverse()]) {
      const modes = await everyMode(sources);
      expect(statuses(modes.streamedRuns)).toEqual(expected);
      expect(statuses(modes.sortedRuns)).toEqual(expected);
      expect(statuses(modes.tui.map((run) => wholeRun(run).raw as Raw))).toEqual(expected);
    }
  });
});

describe('streaming list and the filter', () => {
  it('filters the latest state: a copy that cannot match is still read, and hides earlier ones that would', async () => {
    const log = fixture('out-of-order.jsonl');
    // run_LogQ2's latest copy (line 3) holds no "requires_action", which the prefilter looks for;
    // its earlier copy (line 4) does.
    const waiting = await cli(['list', log, '--status', 'requires_action', '--json']);
    expect(waiting.stdout).toBe('[]\n');
    const queued = await cli(['list', log, '--status', 'queued']);
    expect(queued.stdout).toBe('');
    const running = await cli(['list', log, '--status', 'in_progress,failed', '--json']);
    expect((JSON.parse(running.stdout) as Raw[]).map((run) => `${run.id} ${run.status}`)).toEqual(['run_LogP1running0000000001 in_progress', 'run_LogR3single00000000003 failed']);
    // Sorted, the same.
    const sorted = await cli(['list', log, '--status', 'requires_action', '--sort', 'id', '--json']);
    expect(sorted.stdout).toBe('[]\n');
    const searched = await cli(['list', log, '--search', 'run_logq2', '--json']);
    expect((JSON.parse(searched.stdout) as Raw[]).map((run) => run.status)).toEqual(['completed']);
  });

  it('prints a run read once where it is, and a run read more than once where its last copy is', async () => {
    const log = fixture('out-of-order.jsonl');
    const listed = await cli(['list', log]);
    expect(listed.stdout.split('\n').filter(Boolean).map((row) => row.split('\t')[0])).toEqual(['run_LogP1running0000000001', 'run_LogQ2done000000000002', 'run_LogR3single00000000003']);
    const reordered = await cli(['list', reorderedLog()]);
    expect(reordered.stdout.split('\n').filter(Boolean).map((row) => row.split('\t').slice(0, 2).join(' '))).toEqual([
      'run_LogR3single00000000003 failed',
      'run_LogQ2done000000000002 completed',
      'run_LogP1running0000000001 in_progress',
    ]);
  });

  it('stdin as JSON Lines, and a pretty-printed document on stdin, beside a file', async () => {
    const log = readFileSync(fixture('out-of-order.jsonl'), 'utf8');
    const piped = await cli(['list', '-', '--json'], log);
    expect(statuses(JSON.parse(piped.stdout) as Raw[])).toEqual(LOG);
    // A snapshot on stdin, pretty-printed (read whole), with a later copy in a file named after it.
    const snapshot = readFileSync(fixture('snapshots/snapshot-9.json'), 'utf8');
    const both = await cli(['list', '-', fixture('snapshots/snapshot-10.json'), '--status', 'requires_action', '--json'], snapshot);
    expect((JSON.parse(both.stdout) as Raw[]).map((run) => run.id)).toEqual(['run_SnapE5queued00000000005']);
    const reversed = await cli(['list', fixture('snapshots/snapshot-10.json'), '-', '--status', 'requires_action', '--json'], snapshot);
    expect(reversed.stdout).toBe(both.stdout);
  });

  it('a copy written byte for byte like the one held counts as read later, as the loader has it', async () => {
    const line = (model: string) => JSON.stringify({id: 'run_same', object: 'thread.run', status: 'completed', created_at: 1_764_000_000, started_at: 1_764_000_001, completed_at: 1_764_000_009, model});
    const file = path.join(scratch, 'repeats.jsonl');
    writeFileSync(file, [line('gpt-4o'), line('gpt-4o'), line('o3'), line('o3')].join('\n'));
    const listed = await cli(['list', file, '--json']);
    expect((JSON.parse(listed.stdout) as Array<{model: string}>).map((run) => run.model)).toEqual(['o3']);
    // The tie is with the second line, the later of two same copies.
    const warning = `runlens: ${file}:3: run_same also appears in ${file}:2 with different content; showing this one\n`;
    expect(listed.stderr).toBe(warning);
    expect((await cli(['show', 'run_same', file, '--json'])).stderr).toBe(warning);
  });

  it('--limit counts runs, not copies', async () => {
    const limited = await cli(['list', reorderedLog(), '--limit', '2']);
    expect(limited.stdout.split('\n').filter(Boolean).map((row) => row.split('\t').slice(0, 2).join(' '))).toEqual(['run_LogR3single00000000003 failed', 'run_LogQ2done000000000002 completed']);
  });
});

const TIMES = [null, 1_764_000_010, 1_764_000_020] as const;
const copySpec = fc.record({
  run: fc.integer({min: 0, max: 4}),
  status: fc.constantFrom('queued', 'in_progress', 'requires_action', 'completed', 'failed', 'paused_for_review'),
  startedAt: fc.constantFrom(...TIMES),
  endedAt: fc.constantFrom(...TIMES),
  model: fc.constantFrom('gpt-4o', 'o3'),
  idFirst: fc.boolean(),
  file: fc.integer({min: 0, max: 1}),
});

describe('streaming list, property', () => {
  it('lists the same runs, in the same state, as loading everything and filtering, however the copies are spread and ordered', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(copySpec, {maxLength: 20}),
        fc.subarray(['queued', 'in_progress', 'requires_action', 'completed', 'failed']),
        fc.option(fc.constantFrom('gpt-4o', 'o3')),
        fc.integer({min: 1, max: 48}),
        async (copies, wanted, model, chunkBytes) => {
          const lines: string[][] = [[], []];
          for (const copy of copies) {
            const body: Record<string, unknown> = {object: 'thread.run', status: copy.status, created_at: 1_764_000_000, model: copy.model, started_at: copy.startedAt};
            if (copy.status === 'completed') body['completed_at'] = copy.endedAt;
            if (copy.status === 'failed') body['failed_at'] = copy.endedAt;
            const id = `run_${copy.run}`;
            // Written as the API does (id first, read without parsing) or not (parsed).
            lines[copy.file]!.push(JSON.stringify(copy.idFirst ? {id, ...body} : {...body, id}));
          }
          const files = [0, 1].map((index) => path.join(scratch, `copies-${index}.jsonl`));
          files.forEach((file, index) => writeFileSync(file, lines[index]!.join('\n')));
          const argv = ['list', ...files, '--json'];
          if (wanted.length > 0) argv.push('--status', wanted.join(','));
          if (model !== null) argv.push('--model', model);
          const options = parseCli(argv);
          const query = queryFrom(options);
          const loaded = await loadRunsFromSources(files);
          const expected = filterRuns(loaded.runs, query, NOW_MS / 1000).map((run) => run.raw as Raw);

          const {stdout, stderr} = await streamList(files, options, NOW_MS / 1000, chunkBytes);
          if (loaded.runs.length === 0) return;
          expect(byId(JSON.parse(stdout) as Raw[])).toEqual(byId(expected));
          // The same warnings, about the same true ties.
          const loadWarnings = loaded.warnings.map((warning) => `runlens: ${formatWarning(warning)}\n`).join('');
          expect(stderr.split('\n').sort()).toEqual(loadWarnings.split('\n').sort());
        },
      ),
      {numRuns: 200},
    );
  });
});

/**
 * Ids as a line's bytes may spell them: the same id plain and escaped (`run_\u0031` is `run_1`),
 * outside ASCII, astral (a pair of surrogates, raw or escaped), lone surrogates (which UTF-8 would
 * write alike), and broken UTF-8 (`\xff` and `\xfe` both read as U+FFFD, as does the character
 * itself): the first read tells copies apart by these bytes, the loader by the parsed text.
 */
const ID_SPELLINGS: readonly Buffer[] = [
  Buffer.from('"run_0"'),
  Buffer.from('"run_1"'),
  Buffer.from('"run_\\u0031"'),
  Buffer.from('"run_é"'),
  Buffer.from('"run_\\u00e9"'),
  Buffer.from('"run_😀"'),
  Buffer.from('"run_\\ud83d\\ude00"'),
  Buffer.from('"run_\\ud800"'),
  Buffer.from('"run_\\udbff"'),
  Buffer.from([0x22, ...Buffer.from('run_'), 0xff, 0x22]),
  Buffer.from([0x22, ...Buffer.from('run_'), 0xfe, 0x22]),
  Buffer.from('"run_\ufffd"'),
];

describe('streaming list, property: ids spelled in every way bytes can', () => {
  it('tells copies apart as the loader does, whatever bytes spell their ids', async () => {
    const copy = fc.record({
      spelling: fc.integer({min: 0, max: ID_SPELLINGS.length - 1}),
      status: fc.constantFrom('queued', 'requires_action', 'completed', 'failed'),
      startedAt: fc.constantFrom(...TIMES),
      idFirst: fc.boolean(),
      file: fc.integer({min: 0, max: 1}),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(copy, {maxLength: 16}), fc.subarray(['queued', 'requires_action', 'completed', 'failed']), fc.integer({min: 1, max: 48}), async (copies, wanted, chunkBytes) => {
        const lines: Buffer[][] = [[], []];
        for (const spec of copies) {
          const body = JSON.stringify({object: 'thread.run', status: spec.status, created_at: 1_764_000_000, model: 'gpt-4o', started_at: spec.startedAt});
          const id = ID_SPELLINGS[spec.spelling]!;
          lines[spec.file]!.push(
            spec.idFirst ? Buffer.concat([Buffer.from('{"id":'), id, Buffer.from(`,${body.slice(1)}`)]) : Buffer.concat([Buffer.from(`${body.slice(0, -1)},"id":`), id, Buffer.from('}')]),
          );
        }
        const files = [0, 1].map((index) => path.join(scratch, `spelled-${index}.jsonl`));
        files.forEach((file, index) => writeFileSync(file, Buffer.concat(lines[index]!.flatMap((line) => [line, Buffer.from('\n')]))));
        const argv = ['list', ...files, '--json'];
        if (wanted.length > 0) argv.push('--status', wanted.join(','));
        const options = parseCli(argv);
        const loaded = await loadRunsFromSources(files);
        const expected = filterRuns(loaded.runs, queryFrom(options), NOW_MS / 1000).map((run) => run.raw as Raw);

        const {stdout, stderr} = await streamList(files, options, NOW_MS / 1000, chunkBytes);
        if (loaded.runs.length === 0) return;
        expect(byId(JSON.parse(stdout) as Raw[])).toEqual(byId(expected));
        // Print mode writes a warning made safe for a terminal, in UTF-8 (where a lone surrogate is U+FFFD).
        const loadWarnings = Buffer.from(loaded.warnings.map((warning) => `runlens: ${safeInline(formatWarning(warning))}\n`).join('')).toString();
        expect(stderr.split('\n').sort()).toEqual(loadWarnings.split('\n').sort());
      }),
      {numRuns: 200},
    );
  });
});
