/**
 * A smoke run of `npm run bench` at 1,000 runs, one repetition, without tmux/VisiData: it runs,
 * writes its results, and every ratio is value / baseline. No timing thresholds: the figures
 * depend on the machine.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {DEFAULT_SEED, generateJsonLines, GENERATED_STATUSES} from '../bench/generate.js';
import {main, optionsFromEnv, type BenchResults} from '../bench/run.js';
import {makeRow} from '../bench/measure.js';

const folder = mkdtempSync(join(tmpdir(), 'runlens-bench-test-'));
afterAll(() => rmSync(folder, {recursive: true, force: true}));

describe('bench data', () => {
  it('is deterministic and covers every status, tool calls, schemas, metadata and usage', () => {
    const text = generateJsonLines(1000, DEFAULT_SEED);
    expect(generateJsonLines(1000, DEFAULT_SEED)).toBe(text);
    expect(generateJsonLines(50, DEFAULT_SEED + 1)).not.toBe(generateJsonLines(50, DEFAULT_SEED));
    const runs = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(runs).toHaveLength(1000);
    expect(new Set(runs.map((run) => run['id'])).size).toBe(1000);
    const statuses = new Set(runs.map((run) => run['status']));
    for (const status of GENERATED_STATUSES.filter((status) => status !== 'paused_for_review')) expect(statuses).toContain(status);
    const waiting = runs.filter((run) => run['status'] === 'requires_action');
    expect(waiting.every((run) => ((run['required_action'] as {submit_tool_outputs: {tool_calls: unknown[]}}).submit_tool_outputs.tool_calls.length > 0))).toBe(true);
    expect(runs.some((run) => (run['tools'] as Array<{function?: {parameters?: unknown}}>).some((tool) => tool.function?.parameters))).toBe(true);
    expect(runs.some((run) => Object.keys(run['metadata'] as object).length > 0)).toBe(true);
    expect(runs.some((run) => run['usage'] !== null && run['usage'] !== undefined)).toBe(true);
    const huge = runs.filter((run) => (run['instructions'] as string).length >= 50_000);
    expect(huge.length).toBeGreaterThanOrEqual(1);
    // About 2 KB a run on average, the huge instructions included.
    const average = Buffer.byteLength(text) / runs.length;
    expect(average).toBeGreaterThan(1500);
    expect(average).toBeLessThan(3000);
  });
});

describe('makeRow', () => {
  it('computes the ratio as value / baseline and checks every target', () => {
    const row = makeRow({figure: 1, name: 'x', size: 1, value: 3, unit: 'ms', baseline: 2, baselineLabel: 'b', targets: [{on: 'ratio', op: '<=', limit: 1.3}], repetitions: 1});
    expect(row.ratio).toBe(1.5);
    expect(row.met).toBe(false);
    const both = makeRow({figure: 3, name: 'y', size: 1, value: 100, unit: 'ms', baseline: null, baselineLabel: '', targets: [{on: 'ratio', op: '<=', limit: 0.5}, {on: 'value', op: '<', limit: 200}], repetitions: 1});
    expect(both.ratio).toBeNull();
    // The value target holds, the ratio one cannot be checked: unknown.
    expect(both.met).toBeNull();
    const slow = makeRow({...both, value: 300});
    // One target fails: not met, whatever the other.
    expect(slow.met).toBe(false);
  });
});

describe('npm run bench (1,000 runs, quick, no terminal)', () => {
  it('runs, writes results, and computes each ratio as value / baseline', async () => {
    const outFile = join(folder, 'results.json');
    const lines: string[] = [];
    const returned = await main({
      sizes: [1000],
      quick: true,
      skipTerminal: true,
      profile: false,
      keySamples: 3,
      outFile,
      seed: DEFAULT_SEED,
      log: (line) => lines.push(line),
    });
    const results = JSON.parse(readFileSync(outFile, 'utf8')) as BenchResults;
    expect(results.rows).toEqual(returned.rows);
    expect(results.machine.node).toBe(process.version);
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.cpuModel).toBeTruthy();
    expect(results.datasets).toEqual([expect.objectContaining({runs: 1000})]);
    expect(results.skipped.join('\n')).toContain('figure 3');

    const figures = new Set(results.rows.map((row) => row.figure));
    for (const figure of [1, 2, 4, 5]) expect(figures).toContain(figure);
    for (const row of results.rows) {
      if (row.skipped) continue;
      expect(row.value, `${row.name} has a value`).toEqual(expect.any(Number));
      if (row.baseline === null) {
        expect(row.ratio).toBeNull();
      } else {
        expect(row.ratio).toBe(row.value! / row.baseline);
      }
    }
    // Both tools select the same runs.
    const list = results.rows.find((row) => row.figure === 2)!;
    if (!list.skipped) {
      expect(list.note).toMatch(/^both select \d+ runs/);
      expect((results.details['list'] as Record<string, {same: boolean}>)['1000']!.same).toBe(true);
    }
    const load = results.rows.find((row) => row.figure === 1)!;
    expect(load.note).not.toContain('MISMATCH');
    // The printed table has every row.
    const table = lines.join('\n');
    for (const row of results.rows) expect(table).toContain(row.name);
    // Each row notes the machine's load when it was measured, and its fastest sample beside the median.
    for (const row of results.rows) {
      expect(row.loadAverage, row.name).toEqual(expect.any(Number));
      if (row.samples && row.samples.length > 0) expect(row.min, row.name).toBe(Math.min(...row.samples));
    }
    // The in-process first frame stands beside tmux's (which this run skips).
    const inProcess = results.rows.find((row) => row.figure === 3 && row.name.includes('in process'));
    expect(inProcess?.value).toEqual(expect.any(Number));
    expect(inProcess!.value!).toBeGreaterThan(0);
  }, 120_000);

  it('measures only the load with BENCH_ONLY_LOAD (figures 1, 1b, 3, 5), saying what it left out', async () => {
    const outFile = join(folder, 'load-only.json');
    const {rows, skipped} = await main({sizes: [1000], quick: true, skipTerminal: true, onlyLoad: true, profile: false, keySamples: 3, outFile, seed: DEFAULT_SEED, log: () => {}});
    expect([...new Set(rows.map((row) => row.figure))].sort()).toEqual([1, 3, 5]);
    expect(rows.filter((row) => row.figure === 1).map((row) => row.name)).toEqual(['load + normalize (in-process)', 'load + normalize, 3 messages a run']);
    expect(skipped.join('\n')).toContain('figures 2 (list vs jq) and 4 (keys) not run');
  }, 120_000);

  it('measures only print mode with BENCH_ONLY_LIST (figure 2: list against jq and against node -e 0)', async () => {
    const outFile = join(folder, 'list-only.json');
    const {rows, skipped} = await main({...optionsFromEnv({BENCH_ONLY_LIST: '1', BENCH_QUICK: '1', BENCH_SIZES: '1000', BENCH_SKIP_TERMINAL: '1'}), outFile, log: () => {}});
    expect([...new Set(rows.map((row) => row.figure))]).toEqual([2]);
    const names = rows.map((row) => row.name);
    expect(names).toContain('list --status requires_action --json');
    if (!skipped.some((line) => line.includes('jq not installed'))) expect(names).toContain('list --status requires_action --json, vs Node');
    expect(skipped.join('\n')).toContain('BENCH_ONLY_LIST');
  }, 120_000);
});
