/**
 * `npm run bench`: how runlens holds up on big files, against bare JSON.parse, jq and VisiData.
 *
 * Generates deterministic JSON Lines files (10k and 100k runs by default) in a temp folder, then:
 *   1. load + normalize (loadRunsFromSources, in a child process) vs bare JSON.parse of the same lines
 *   2. `runlens list --status requires_action --json` vs `jq -c 'select(...)'` (same count checked):
 *      wall time, CPU time, and runlens's peak RSS against the file size
 *   3. process start → first frame with rows, and → whole file loaded, in tmux, vs VisiData
 *   4. key → next frame latency (↓, PgDn, G, a search keystroke) of the real App at the largest size
 *   5. peak RSS of loading the largest file vs its size
 * Prints a table and writes bench/results.json. Not a test: nothing fails on a missed target.
 *
 * Environment: BENCH_SIZES=1000[,…] (run counts), BENCH_QUICK=1 (one repetition each),
 * BENCH_SKIP_TERMINAL=1 (no tmux / VisiData), BENCH_SKIP_STORY=1 (no load with 3 messages a run, 1b), BENCH_PROFILE=1 (CPU profile of the largest load),
 * BENCH_KEY_SAMPLES=N (presses per key in figure 4), BENCH_INK_INCREMENTAL=1 (figure 4 with Ink's incrementalRendering),
 * BENCH_MILLION=1 (adds the 1,000,000-run case, 2.1 GB in the temp folder, deleted after; about 15 minutes more), BENCH_ONLY_LOAD=1 (only the load's
 * figures 1, 1b, 3 and 5: no jq, no keys), BENCH_ONLY_LIST=1 (only figure 2, list against jq and node -e 0), BENCH_OUT=path (results file).
 */
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import {join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {cliPlugins} from '../build.mjs';
import type {KeysReport} from './workers/keys.js';
import {BENCH_NOW_ISO, DEFAULT_SEED, writeJsonLines, type DatasetInfo} from './generate.js';
import {
  CLI,
  findProgram,
  formatTable,
  machineFacts,
  makeRow,
  measureStartup,
  median,
  percentile,
  REPO_ROOT,
  round,
  runProcess,
  RUNLENS_ROW,
  TmuxScreen,
  type BenchRow,
  type MachineFacts,
  type StartupTimes,
  type Target,
} from './measure.js';

/** The largest case (BENCH_MILLION=1): the issue's 1M-run file. */
const MILLION = 1_000_000;

/** Messages written beside each run for the story case (1b): 100,000 runs give 300,000. */
const MESSAGES_PER_RUN = 3;

export interface BenchOptions {
  sizes: number[];
  /** One repetition of everything (and fewer key samples). */
  quick: boolean;
  /** Skip figure 3 (tmux and VisiData). */
  skipTerminal: boolean;
  /** Only the load's figures (1, 1b, 3 and 5): no list against jq (2), no keys (4). BENCH_ONLY_LOAD=1, for the million-run case. */
  onlyLoad?: boolean;
  /** Only figure 2, print mode's `list` against jq and `node -e 0`. BENCH_ONLY_LIST=1. */
  onlyList?: boolean;
  /** CPU-profile one load of the largest file (adds one load). */
  profile: boolean;
  /** Presses per key for figure 4 (60; 20 with BENCH_QUICK). */
  keySamples: number;
  outFile: string;
  seed: number;
  log: (line: string) => void;
}

export interface BenchResults {
  generatedAt: string;
  durationMs: number;
  machine: MachineFacts;
  options: {sizes: number[]; quick: boolean; skipTerminal: boolean; profile: boolean; keySamples: number; seed: number; now: string};
  datasets: Array<Omit<DatasetInfo, 'file'>>;
  rows: BenchRow[];
  details: Record<string, unknown>;
  /** What was skipped and why. */
  skipped: string[];
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const million = env['BENCH_MILLION'] !== undefined && env['BENCH_MILLION'] !== '' && env['BENCH_MILLION'] !== '0';
  const sizes = (env['BENCH_SIZES'] ?? '10000,100000')
    .split(',')
    .map((text) => Number(text.trim().replace(/_/g, '')))
    .filter((size) => Number.isInteger(size) && size > 0);
  const flag = (name: string) => env[name] !== undefined && env[name] !== '' && env[name] !== '0';
  return {
    // BENCH_MILLION=1 adds the 1,000,000-run case (2.1 GB, generated into the temp folder): about 15 minutes more.
    sizes: [...(sizes.length > 0 ? sizes : [10000, 100000]), ...(million ? [MILLION] : [])],
    quick: flag('BENCH_QUICK'),
    skipTerminal: flag('BENCH_SKIP_TERMINAL'),
    onlyLoad: flag('BENCH_ONLY_LOAD'),
    onlyList: flag('BENCH_ONLY_LIST'),
    profile: flag('BENCH_PROFILE'),
    keySamples: Number(env['BENCH_KEY_SAMPLES']) > 0 ? Number(env['BENCH_KEY_SAMPLES']) : flag('BENCH_QUICK') ? 20 : 60,
    outFile: env['BENCH_OUT'] ?? join(REPO_ROOT, 'bench', 'results.json'),
    seed: DEFAULT_SEED,
    log: (line) => process.stdout.write(`${line}\n`),
  };
}

/** The environment of every child: no CI variables (Ink draws no frames on CI), the pinned clock. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env, RUNLENS_NOW: BENCH_NOW_ISO, ...extra};
  delete env['CI'];
  delete env['CONTINUOUS_INTEGRATION'];
  delete env['NODE_OPTIONS'];
  return env;
}

/** Bundles the worker scripts the way build.mjs bundles the CLI (its plugins, chunks at dynamic imports, production React). */
export async function bundleWorkers(outdir: string): Promise<{load: string; keys: string; startup: string}> {
  await build({
    entryPoints: {load: join(REPO_ROOT, 'bench/workers/load.ts'), keys: join(REPO_ROOT, 'bench/workers/keys.ts'), startup: join(REPO_ROOT, 'bench/workers/startup.ts'), messageWorker: join(REPO_ROOT, 'src/sources/messageWorker.ts')},
    outdir,
    outExtension: {'.js': '.mjs'},
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: cliPlugins,
    define: {'process.env.NODE_ENV': '"production"', __RUNLENS_VERSION__: '"bench"'},
    banner: {js: "import {createRequire as __benchCreateRequire} from 'node:module';\nconst require = __benchCreateRequire(import.meta.url);"},
    logLevel: 'warning',
  });
  return {load: join(outdir, 'load.mjs'), keys: join(outdir, 'keys.mjs'), startup: join(outdir, 'startup.mjs')};
}

/** Runs a worker and returns the JSON it reports on its `BENCH_RESULT` line. */
export async function runWorker<T>(args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string} = {}): Promise<T> {
  const result = await runProcess(process.execPath, args, {env: options.env ?? childEnv(), cwd: options.cwd});
  const line = result.stdout
    .toString()
    .split('\n')
    .find((candidate) => candidate.startsWith('BENCH_RESULT '));
  if (result.code !== 0 || !line) throw new Error(`worker ${args.join(' ')} failed (exit ${result.code}): ${result.stderr.slice(-2000)}`);
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as T;
}

/** `1234567` as a pattern that also accepts `1,234,567`, `1 234 567`, `1.234.567`. */
function countPattern(count: number): string {
  const digits = String(count);
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return groups.join('[,.\\u00a0\\u202f ]?');
}

const VISIDATA_ROW = /^\s*run_[A-Za-z0-9]{4,}/m;

function runlensLoaded(total: number): (screen: string) => boolean {
  // The header (first lines) shows "N runs" once everything is in; a streaming loader will show
  // a smaller count (or a progress indicator) until then.
  const pattern = new RegExp(`(^|[^\\d,.])${countPattern(total)}\\s+runs\\b`);
  return (screen) => screen.split('\n').slice(0, 3).some((line) => pattern.test(line));
}

function visidataLoaded(total: number): (screen: string) => boolean {
  // VisiData's bottom line reads "… 349 rows  •0   38% reading…" while loading and
  // "… 100000 rows  •0" once done: the full count and no progress.
  const pattern = new RegExp(`(^|[^\\d,.])${countPattern(total)} rows\\b`);
  return (screen) => {
    const lines = screen.split('\n').filter((line) => line.trim() !== '');
    const status = lines[lines.length - 1] ?? '';
    return pattern.test(status) && !/\d+%|…\s*$/.test(status);
  };
}

function simplePath(path: string): string {
  if (!/^[\w@%+=:,./-]+$/.test(path)) throw new Error(`the bench needs a path without spaces or quotes: ${path}`);
  return path;
}

/** Tries `apt-get install -y visidata` once (root only); returns the path of `vd`, if any. */
async function ensureVisiData(log: (line: string) => void): Promise<string | null> {
  const found = await findProgram('vd');
  if (found) return found;
  if (process.getuid?.() !== 0) return null;
  log('  vd not found: trying `apt-get install -y visidata` once');
  const result = spawnSync('apt-get', ['install', '-y', 'visidata'], {encoding: 'utf8', timeout: 300_000, env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'}});
  if (result.status !== 0) log(`  apt-get install visidata failed: ${(result.stderr || result.stdout || '').trim().split('\n').slice(-2).join(' ')}`);
  return findProgram('vd');
}

function ensureCliBuilt(log: (line: string) => void): void {
  if (existsSync(CLI)) return;
  log('dist/runlens.js is missing: building it (node build.mjs)');
  const result = spawnSync(process.execPath, ['build.mjs'], {cwd: REPO_ROOT, encoding: 'utf8'});
  if (result.status !== 0) throw new Error(`build failed: ${result.stderr}`);
}

const MB = 1024 * 1024;

/** The issue's goal for `list --status … --json` against jq (#16): a tenth of its time. */
const LIST_VS_JQ = 0.1;

/**
 * A child timed from spawn to exit, and, through `/usr/bin/time` when there is one, its CPU time
 * (user + system: on a busy machine wall time waits for a core, CPU time does not) and peak RSS.
 */
async function timedProcess(command: string, args: string[]): Promise<Awaited<ReturnType<typeof runProcess>> & {cpuMs: number | null; peakRssKB: number | null}> {
  if (!existsSync('/usr/bin/time')) return {...(await runProcess(command, args, {env: childEnv()})), cpuMs: null, peakRssKB: null};
  const result = await runProcess('/usr/bin/time', ['-f', 'BENCH_TIME %U %S %M', command, ...args], {env: childEnv()});
  const match = /BENCH_TIME ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(result.stderr);
  return {
    ...result,
    stderr: result.stderr.replace(/BENCH_TIME .*\s*$/, ''),
    cpuMs: match ? (Number(match[1]) + Number(match[2])) * 1000 : null,
    peakRssKB: match ? Number(match[3]) : null,
  };
}

export async function main(options: BenchOptions = optionsFromEnv()): Promise<BenchResults> {
  const {log} = options;
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)}s`;
  const machine = await machineFacts();
  const sizes = [...new Set(options.sizes)].sort((a, b) => a - b);
  const largest = sizes[sizes.length - 1]!;
  const rows: BenchRow[] = [];
  const skipped: string[] = [];
  const details: Record<string, unknown> = {};
  const datasets: DatasetInfo[] = [];
  /**
   * Repetitions: 5 (3 in tmux on big files), so each row has a minimum and a median that a busy
   * moment does not move; one with BENCH_QUICK and at a million runs (a load takes most of a minute).
   */
  const reps = (size: number) => (options.quick || size >= MILLION ? 1 : 5);
  const terminalReps = (size: number) => (options.quick || size >= MILLION ? 1 : size >= 50_000 ? 3 : 5);
  /** The story case and the keys are measured at up to 100,000 runs, and at a million when asked. */
  const storySize = Math.max(...sizes.filter((size) => size < MILLION), sizes[0]!);
  const skip = (what: string) => {
    skipped.push(what);
    log(`  ${what}`);
  };

  log(`runlens bench: sizes ${sizes.join(', ')}${options.quick ? ' (quick: one repetition)' : ''}`);
  log(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.totalMemoryMB} MB, node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')}`);
  if (machine.loadAverageAtStart[0]! > machine.cores) log('  note: the machine is busy (load average above the core count): figures will be slower and noisier');
  ensureCliBuilt(log);

  const temp = mkdtempSync(join(os.tmpdir(), 'runlens-bench-'));
  let screen: TmuxScreen | null = null;
  try {
    const workers = await bundleWorkers(join(temp, 'workers'));
    for (const size of sizes) {
      const file = join(temp, `runs-${size}.jsonl`);
      const generateStarted = performance.now();
      const info = writeJsonLines(file, size, options.seed);
      datasets.push(info);
      log(
        `[${elapsed()}] generated ${size.toLocaleString('en-US')} runs: ${(info.bytes / MB).toFixed(1)} MB, ${info.averageRunBytes} B/run, ` +
          `${info.statusCounts['requires_action'] ?? 0} requires_action, ${info.hugeInstructions} huge instructions (${Math.round(performance.now() - generateStarted)} ms)`,
      );
    }

    // 1. load + normalize vs bare JSON.parse, in one child process per size.
    const phasesBySize: Record<number, unknown> = {};
    if (options.onlyList) skip('BENCH_ONLY_LIST: only figure 2 (list against jq and node -e 0) run');
    for (const info of options.onlyList ? [] : datasets) {
      const count = reps(info.runs);
      log(`[${elapsed()}] 1. load vs JSON.parse, ${info.runs} runs, ${count} repetition(s)`);
      const result = await runWorker<{
        reps: Array<{baselineMs: number; loadMs: number; baselineCpuMs: number; loadCpuMs: number; baselineGcMs: number; loadGcMs: number; parsed: number; runs: number; warnings: number}>;
        phases: Record<string, {ms: number; cpuMs: number; gcMs: number}>;
      }>(['--expose-gc', workers.load, 'compare', info.file, String(count)]);
      const loads = result.reps.map((rep) => rep.loadMs);
      const baselines = result.reps.map((rep) => rep.baselineMs);
      const bad = result.reps.find((rep) => rep.runs !== info.runs || rep.parsed !== info.runs);
      phasesBySize[info.runs] = {
        reps: result.reps.map((rep) => ({
          ...rep,
          baselineMs: round(rep.baselineMs),
          loadMs: round(rep.loadMs),
          baselineCpuMs: round(rep.baselineCpuMs),
          loadCpuMs: round(rep.loadCpuMs),
          baselineGcMs: round(rep.baselineGcMs),
          loadGcMs: round(rep.loadGcMs),
        })),
        phases: Object.fromEntries(Object.entries(result.phases).map(([name, phase]) => [name, {ms: round(phase.ms), cpuMs: round(phase.cpuMs), gcMs: round(phase.gcMs)}])),
      };
      rows.push(
        loadVsParseRow('load + normalize (in-process)', info.runs, loads, baselines,
            `median of per-repetition ratios ${round(median(result.reps.map((rep) => rep.loadMs / rep.baselineMs)), 2)}x; ` +
            `CPU time ${Math.round(median(result.reps.map((rep) => rep.loadCpuMs)))} vs ${Math.round(median(result.reps.map((rep) => rep.baselineCpuMs)))} ms ` +
            `(${round(median(result.reps.map((rep) => rep.loadCpuMs)) / median(result.reps.map((rep) => rep.baselineCpuMs)), 2)}x); ` +
            `GC ${round(median(result.reps.map((rep) => rep.loadGcMs)))} ms of the load` +
            (bad ? `; COUNT MISMATCH: loaded ${bad.runs}, parsed ${bad.parsed}, generated ${info.runs}` : '') +
            (result.reps[0]!.warnings > 0 ? `; ${result.reps[0]!.warnings} load warnings` : ''),
        ),
      );
      const phaseText = Object.entries(result.phases)
        .map(([name, phase]) => `${name} ${Math.round(phase.ms)} ms (CPU ${Math.round(phase.cpuMs)}${phase.gcMs >= 1 ? `, GC ${Math.round(phase.gcMs)}` : ''})`)
        .join(', ');
      log(`    load ${Math.round(median(loads))} ms vs JSON.parse ${Math.round(median(baselines))} ms; one more load, phase by phase (wall ms): ${phaseText}`);
    }
    details['loadPhases'] = phasesBySize;

    // 1b. A thread's story at scale: the storySize file again with three messages a run (100,000 runs,
    // 300,000 messages), loaded as the TUI loads it: runs and messages kept small (model/detachedRun.ts).
    if (process.env['BENCH_SKIP_STORY'] !== '1' && !options.onlyList) {
      const file = join(temp, `story-${storySize}.jsonl`);
      const info = writeJsonLines(file, storySize, options.seed, MESSAGES_PER_RUN);
      const count = reps(storySize);
      log(`[${elapsed()}] 1b. load with messages: ${storySize} runs, ${info.messages} messages, ${(info.bytes / MB).toFixed(1)} MB, ${count} repetition(s)`);
      const result = await runWorker<{reps: Array<{baselineMs: number; loadMs: number; baselineCpuMs: number; loadCpuMs: number; loadMainCpuMs: number | null; parsed: number; runs: number; warnings: number}>}>(['--expose-gc', workers.load, 'compare', info.file, String(count)]);
      const loads = result.reps.map((rep) => rep.loadMs);
      const baselines = result.reps.map((rep) => rep.baselineMs);
      const rss = await runWorker<{maxRssKB: number}>([workers.load, 'rss', info.file]);
      const bad = result.reps.find((rep) => rep.runs !== storySize || rep.parsed !== storySize + info.messages);
      rows.push(
        loadVsParseRow(`load + normalize, ${MESSAGES_PER_RUN} messages a run`, storySize, loads, baselines,
            `${info.messages.toLocaleString('en-US')} messages, ${(info.bytes / MB).toFixed(0)} MB; peak RSS ${Math.round(rss.maxRssKB / 1024)} MB` +
            // The message lines are parsed on the load's worker thread: the CPU of both threads, and of the one that draws.
            `; CPU ${cpuRatio(result.reps, (rep) => rep.loadCpuMs)}x the parse's, main thread ${cpuRatio(result.reps, (rep) => rep.loadMainCpuMs)}x` +
            (bad ? `; COUNT MISMATCH: loaded ${bad.runs} runs, parsed ${bad.parsed} lines` : '') +
            (result.reps[0]!.warnings > 0 ? `; ${result.reps[0]!.warnings} load warnings` : ''),
        ),
      );
      log(`    load ${Math.round(median(loads))} ms vs JSON.parse ${Math.round(median(baselines))} ms, peak RSS ${Math.round(rss.maxRssKB / 1024)} MB`);
      rmSync(file, {force: true});
    }

    // 2. runlens list vs jq.
    if (options.onlyLoad) skip('BENCH_ONLY_LOAD: figures 2 (list vs jq) and 4 (keys) not run');
    const jq = options.onlyLoad ? null : await findProgram('jq');
    machine.tools['jqPath'] = jq;
    const listDetails: Record<number, unknown> = {};
    for (const info of options.onlyLoad ? [] : datasets) {
      const count = reps(info.runs);
      if (!jq) {
        skip('jq not installed; skipped figure 2 (list vs jq)');
        rows.push(makeRow({figure: 2, name: 'list --status requires_action --json', size: info.runs, value: null, unit: 'ms', baseline: null, baselineLabel: 'jq select', targets: [{on: 'ratio', op: '<=', limit: LIST_VS_JQ}], repetitions: 0, skipped: 'jq not installed'}));
        continue;
      }
      log(`[${elapsed()}] 2. list vs jq, ${info.runs} runs, ${count} repetition(s)`);
      const listTimes: number[] = [];
      const jqTimes: number[] = [];
      const listCpu: number[] = [];
      const jqCpu: number[] = [];
      const listRss: number[] = [];
      const listCounts = new Set<number>();
      const jqCounts = new Set<number>();
      const runList = async () => {
        const result = await timedProcess(process.execPath, [CLI, 'list', '--status', 'requires_action', '--json', info.file]);
        if (result.code !== 0) throw new Error(`runlens list failed: ${result.stderr}`);
        listTimes.push(result.ms);
        if (result.cpuMs !== null) listCpu.push(result.cpuMs);
        if (result.peakRssKB !== null) listRss.push(result.peakRssKB);
        listCounts.add((JSON.parse(result.stdout.toString()) as unknown[]).length);
      };
      const runJq = async () => {
        const result = await timedProcess(jq, ['-c', 'select(.status=="requires_action")', info.file]);
        if (result.code !== 0) throw new Error(`jq failed: ${result.stderr}`);
        jqTimes.push(result.ms);
        if (result.cpuMs !== null) jqCpu.push(result.cpuMs);
        const text = result.stdout.toString();
        jqCounts.add(text === '' ? 0 : text.replace(/\n$/, '').split('\n').length);
      };
      for (let rep = 0; rep < count; rep++) {
        if (rep % 2 === 0) {
          await runList();
          await runJq();
        } else {
          await runJq();
          await runList();
        }
      }
      const expected = info.statusCounts['requires_action'] ?? 0;
      const same = listCounts.size === 1 && jqCounts.size === 1 && [...listCounts][0] === [...jqCounts][0] && [...listCounts][0] === expected;
      const cpuNote = listCpu.length > 0 && jqCpu.length > 0 ? `; CPU time ${Math.round(median(listCpu))} vs ${Math.round(median(jqCpu))} ms (${round(median(listCpu) / median(jqCpu), 2)}x)` : '';
      listDetails[info.runs] = {runlensCounts: [...listCounts], jqCounts: [...jqCounts], generated: expected, same, runlensCpuMs: listCpu, jqCpuMs: jqCpu, runlensPeakRssKB: listRss};
      // Wall time, and CPU time, which a busy machine does not distort: the same target on both.
      const versusJq = (name: string, ours: number[], theirs: number[], baselineLabel: string, note: string) =>
        versusRow({figure: 2, name, size: info.runs, ours, theirs, baselineLabel, limit: LIST_VS_JQ, note});
      const countNote = same ? `both select ${expected} runs` : `COUNT MISMATCH: runlens ${[...listCounts].join('/')}, jq ${[...jqCounts].join('/')}, generated ${expected}`;
      rows.push(versusJq('list --status requires_action --json', listTimes, jqTimes, 'jq select', countNote + cpuNote));
      if (info.runs < 50_000) {
        // On a small file the floor is Node's own start: the goal is within 1.5x of a Node that does nothing.
        const nodeTimes: number[] = [];
        for (let rep = 0; rep < count; rep++) nodeTimes.push((await timedProcess(process.execPath, ['-e', '0'])).ms);
        const note = 'the same runs of runlens against the start and exit of a Node that runs nothing';
        rows.push(versusRow({figure: 2, name: 'list --status requires_action --json, vs Node', size: info.runs, ours: listTimes, theirs: nodeTimes, baselineLabel: 'node -e 0', limit: 1.5, note}));
      }
      if (listCpu.length > 0 && jqCpu.length > 0) {
        rows.push(versusJq('list --status requires_action --json, CPU time', listCpu, jqCpu, 'jq select, CPU time', 'user + system time of the process, from /usr/bin/time'));
      }
      if (listRss.length > 0) {
        const fileMB = info.bytes / MB;
        rows.push(
          makeRow({
            figure: 2,
            name: 'list --status requires_action --json, peak RSS',
            size: info.runs,
            value: round(Math.max(...listRss) / 1024),
            unit: 'MB',
            baseline: round(fileMB),
            baselineLabel: 'file size',
            targets: [{on: 'ratio', op: '<=', limit: 1.5}],
            repetitions: listRss.length,
            samples: listRss.map((kb) => round(kb / 1024)),
            note: 'the highest maximum resident set size of the repetitions, from /usr/bin/time',
          }),
        );
      }
      log(
        `    runlens ${Math.round(median(listTimes))} ms vs jq ${Math.round(median(jqTimes))} ms; ${same ? `both select ${expected}` : 'COUNTS DIFFER'}` +
          (listRss.length > 0 ? `; runlens peak RSS ${Math.round(Math.max(...listRss) / 1024)} MB` : ''),
      );
    }
    details['list'] = listDetails;

    const largestInfo = datasets[datasets.length - 1]!;
    /** A figure that fails is reported and skipped; the others still run. */
    const attempt = async (name: string, work: () => Promise<void>) => {
      try {
        await work();
      } catch (error) {
        skip(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };

    // 3a. Start-up in process: the CLI on a fake terminal, no emulator, from the process's start.
    if (!options.onlyList) await attempt('figure 3 (in-process)', async () => {
      const firstFrames: Record<number, number[]> = {};
      for (const info of datasets) {
        const count = reps(info.runs);
        log(`[${elapsed()}] 3. start-up in process, ${info.runs} runs, ${count} repetition(s)`);
        const times: number[] = [];
        const nodeTimes: number[] = [];
        const moduleTimes: number[] = [];
        const cpuTimes: number[] = [];
        for (let rep = 0; rep < count; rep++) {
          const result = await runWorker<{firstFrameMs: number; cpuMs: number; scriptStartedMs: number; modulesLoadedMs: number}>([workers.startup, info.file]);
          times.push(result.firstFrameMs);
          cpuTimes.push(result.cpuMs);
          nodeTimes.push(result.scriptStartedMs);
          moduleTimes.push(result.modulesLoadedMs - result.scriptStartedMs);
        }
        firstFrames[info.runs] = times.map((value) => round(value));
        rows.push(
          makeRow({
            figure: 3,
            name: 'start → first frame with rows, in process',
            size: info.runs,
            value: round(median(times)),
            unit: 'ms',
            baseline: null,
            baselineLabel: '',
            targets: [{on: 'value', op: '<', limit: 200}],
            repetitions: times.length,
            samples: times.map((value) => round(value)),
            note:
              `the CLI's own code on a fake 120x40 terminal, from the process's start; CPU time by then ${Math.round(median(cpuTimes))} ms (fastest ${Math.round(Math.min(...cpuTimes))}); ` +
              `Node took ${Math.round(median(nodeTimes))} ms (median) before the first line of it ran, and loading the CLI's modules ${Math.round(median(moduleTimes))} ms`,
          }),
        );
        log(`    first frame ${Math.round(median(times))} ms (fastest ${Math.round(Math.min(...times))}), CPU ${Math.round(median(cpuTimes))} ms; Node's own start ${Math.round(median(nodeTimes))} ms, the CLI's modules ${Math.round(median(moduleTimes))} ms`);
      }
      details['startupInProcess'] = firstFrames;
    });

    // 3. Start-up in a real terminal, against VisiData.
    if (!options.onlyList) await attempt('figure 3', async () => {
      const startupDetails: Record<string, unknown> = {};
      if (options.skipTerminal) {
        skip('BENCH_SKIP_TERMINAL set; skipped figure 3 (tmux, VisiData)');
      } else if (!(await findProgram('tmux'))) {
        skip('tmux not installed; skipped figure 3');
      } else {
        const vd = await ensureVisiData(log);
        if (vd) machine.tools['vd'] = (await runProcess(vd, ['--version']).catch(() => null))?.stdout.toString().trim() ?? 'unknown';
        else skip('visidata not installed; skipped');
        screen = await TmuxScreen.start({socket: `runlens-bench-${process.pid}`, width: 120, height: 40, cwd: temp, env: {RUNLENS_NOW: BENCH_NOW_ISO, HOME: temp}});
        const size = await screen.paneSize();
        if (size.width !== 120 || size.height !== 40) log(`  note: the pane is ${size.width}x${size.height}, not 120x40`);
        for (const info of datasets) {
          const name = relative(temp, info.file);
          const timeoutMs = 30_000 + info.runs * 1.5;
          const runlensTimes: StartupTimes[] = [];
          const vdTimes: StartupTimes[] = [];
          const count = terminalReps(info.runs);
          // VisiData takes as long as runlens or longer on big files: fewer repetitions there, none at a million (minutes).
          const vdCount = info.runs >= MILLION ? 0 : options.quick ? 1 : info.runs >= 50_000 ? 1 : 3;
          log(`[${elapsed()}] 3. start-up in tmux, ${info.runs} runs: runlens x${count}${vd ? `, VisiData x${vdCount}` : ''}`);
          for (let rep = 0; rep < count; rep++) {
            runlensTimes.push(
              await measureStartup(screen, {
                command: `node ${simplePath(CLI)} ${simplePath(name)}`,
                startFile: join(temp, 'started'),
                firstFrame: (text) => RUNLENS_ROW.test(text),
                loaded: runlensLoaded(info.runs),
                timeoutMs,
              }),
            );
          }
          if (vd) {
            for (let rep = 0; rep < vdCount; rep++) {
              vdTimes.push(
                await measureStartup(screen, {
                  command: `${simplePath(vd)} -f jsonl ${simplePath(name)}`,
                  startFile: join(temp, 'started'),
                  firstFrame: (text) => VISIDATA_ROW.test(text),
                  loaded: visidataLoaded(info.runs),
                  timeoutMs,
                }),
              );
            }
          }
          await screen.respawn('exec sleep 100000');
          const pick = (times: StartupTimes[], key: 'firstFrameMs' | 'loadedMs') => times.map((time) => time[key]).filter((value): value is number => value !== null);
          const timedOut = (times: StartupTimes[], key: 'firstFrameMs' | 'loadedMs') => times.length - pick(times, key).length;
          const medianOrNull = (values: number[]) => (values.length > 0 ? round(median(values)) : null);
          const pollMs = round(median([...runlensTimes, ...vdTimes].map((time) => time.pollIntervalMs)));
          const cpuText = (times: StartupTimes[], key: 'firstFrameMs' | 'loadedMs') => {
            const values = times.map((time) => (key === 'firstFrameMs' ? time.firstFrameCpuMs : time.loadedCpuMs)).filter((value): value is number => value !== null);
            return values.length > 0 ? `${Math.round(median(values))} ms` : 'n/a';
          };
          const vdNote = vd ? `VisiData x${vdTimes.length}${vdTimes.length < 3 ? ' (fewer: it is the slowest)' : ''}` : 'VisiData not installed';
          const firstTargets: Target[] = [
            {on: 'ratio', op: '<=', limit: 0.6},
            {on: 'value', op: '<', limit: 200},
          ];
          for (const [key, label, targets] of [
            ['firstFrameMs', 'start → first frame with rows', firstTargets],
            // At a million runs VisiData is not run (it takes minutes): the goal is 15 s.
            ['loadedMs', 'start → whole file loaded', [info.runs >= MILLION ? {on: 'value', op: '<', limit: 15_000} : {on: 'ratio', op: '<=', limit: 0.15}] as Target[]],
          ] as const) {
            const ours = pick(runlensTimes, key);
            const theirs = pick(vdTimes, key);
            const misses = timedOut(runlensTimes, key) + timedOut(vdTimes, key);
            rows.push(
              makeRow({
                figure: 3,
                name: label,
                size: info.runs,
                value: medianOrNull(ours),
                unit: 'ms',
                baseline: vd ? medianOrNull(theirs) : null,
                baselineLabel: vd ? 'VisiData' : 'VisiData: skipped',
                targets: [...targets],
                repetitions: ours.length,
                baselineRepetitions: theirs.length,
                samples: ours.map((value) => round(value)),
                baselineSamples: theirs.map((value) => round(value)),
                note:
                  `screen read every ~${pollMs} ms (resolution); ${vdNote}` +
                  `; CPU used by then ${cpuText(runlensTimes, key)}${vd ? ` (VisiData ${cpuText(vdTimes, key)})` : ''}` +
                  (misses > 0 ? `; ${misses} run(s) timed out after ${timeoutMs / 1000} s` : ''),
              }),
            );
          }
          startupDetails[info.runs] = {
            runlens: runlensTimes.map(({lastScreen, ...rest}) => ({...rest, firstFrameMs: rest.firstFrameMs && round(rest.firstFrameMs), loadedMs: rest.loadedMs && round(rest.loadedMs), pollIntervalMs: round(rest.pollIntervalMs), ...(rest.loadedMs === null ? {lastScreen} : {})})),
            visidata: vdTimes.map(({lastScreen, ...rest}) => ({...rest, firstFrameMs: rest.firstFrameMs && round(rest.firstFrameMs), loadedMs: rest.loadedMs && round(rest.loadedMs), pollIntervalMs: round(rest.pollIntervalMs), ...(rest.loadedMs === null ? {lastScreen} : {})})),
          };
          const show = (times: StartupTimes[], key: 'firstFrameMs' | 'loadedMs') => {
            const values = pick(times, key);
            return values.length > 0 ? `${Math.round(median(values))} ms` : 'n/a';
          };
          log(`    runlens first frame ${show(runlensTimes, 'firstFrameMs')}, loaded ${show(runlensTimes, 'loadedMs')}` + (vd ? `; VisiData first frame ${show(vdTimes, 'firstFrameMs')}, loaded ${show(vdTimes, 'loadedMs')}` : ''));
        }
        await screen.kill();
        screen = null;
      }
      details['startup'] = {
        detection: {
          start: "bash writes $EPOCHREALTIME to a file right before `exec`ing the program (no fork), in a tmux pane of 120x40 (private socket runlens-bench-<pid>)",
          runlensFirstFrame: `a screen line matching ${RUNLENS_ROW} (status glyph, status, run id)`,
          runlensLoaded: 'the header (first 3 lines) shows "N runs" with N the number of runs in the file',
          visidataFirstFrame: `a screen line matching ${VISIDATA_ROW} (the id column of a row)`,
          visidataLoaded: 'the status line (last non-empty line) shows "N rows" with N the number of runs, and no progress ("38%", "reading…", "processing…")',
          resolution: 'the screen is read with capture-pane through one tmux control-mode client every ~10 ms; each read is stamped at the middle of its round trip',
        },
        ...startupDetails,
      };
    });

    // 4. Key → next frame latency at 100,000 runs (the largest size up to it) and a million, through Ink's input path.
    const keySizes = options.onlyLoad || options.onlyList ? [] : datasets.filter((info) => info.runs === storySize || info.runs >= MILLION);
    const keysDetails: Record<number, unknown> = {};
    for (const keyInfo of keySizes) await attempt(`figure 4 (${keyInfo.runs} runs)`, async () => {
      const samples = options.keySamples;
      log(`[${elapsed()}] 4. key → frame latency, ${keyInfo.runs} runs, ${samples} samples per key`);
      const keys = await runWorker<KeysReport>(
        [workers.keys, keyInfo.file, String(samples)],
        {env: childEnv()},
      );
      // The issue's goals (#16): a move within a frame at 60 Hz, a search keystroke within one at p50.
      // A search too big for one frame goes on between frames: its keystroke's frame (the goal) and the frame with the whole result (no goal: the time a search takes).
      const keyRows: Array<[string, string, number | null, number | null]> = [
        ['down', '↓', 10, 16],
        ['pageDown', 'PgDn', 10, 16],
        ['bottom', 'G', 16, 50],
        ['searchChar', 'search keystroke (/ then a letter)', 16, 50],
        ['searchNarrow', 'search keystroke extending the query', 16, 50],
        ['searchBack', 'search Backspace (widens the query)', 16, 50],
        ['searchCharDone', 'search keystroke → whole result', null, null],
        ['searchNarrowDone', 'search extending → whole result', null, null],
        // A sort too big for one frame goes on between frames as a search does: its key's frame has the goal.
        ['sort', 'sort (s)', 16, 50],
        ['sortDone', 'sort (s) → whole new order', null, null],
      ];
      for (const [key, label, p50Limit, p99Limit] of keyRows) {
        const values = keys.latencies[key] ?? [];
        for (const [which, p, limit] of [
          ['p50', 50, p50Limit],
          ['p99', 99, p99Limit],
        ] as const) {
          rows.push(
            makeRow({
              figure: 4,
              name: `key ${label} → frame ${which}`,
              size: keyInfo.runs,
              value: values.length > 0 ? round(percentile(values, p), 2) : null,
              unit: 'ms',
              baseline: null,
              baselineLabel: '',
              targets: limit === null ? [] : [{on: 'value', op: '<', limit}],
              repetitions: values.length,
              note:
                `CPU time per key ${which} ${round(percentile(keys.cpuTimes[key] ?? [], p), 1)} ms` +
                (which === 'p99' ? `; max ${round(Math.max(...values), 1)} ms` : `; keys ${keys.gapMs} ms apart (Ink's 30 fps cap draws the first key after a pause at once)`),
            }),
          );
        }
      }
      keysDetails[keyInfo.runs] = {
        runs: keys.runs,
        loadMs: round(keys.loadMs),
        firstRenderMs: round(keys.firstRenderMs),
        gapMs: keys.gapMs,
        missedFrames: keys.missed,
        summary: Object.fromEntries(
          Object.entries(keys.latencies).map(([key, values]) => {
            const cpu = keys.cpuTimes[key] ?? [];
            return [
              key,
              {
                n: values.length,
                p50: round(percentile(values, 50), 2),
                p90: round(percentile(values, 90), 2),
                p99: round(percentile(values, 99), 2),
                max: round(Math.max(...values), 2),
                cpuP50: round(percentile(cpu, 50), 2),
                cpuP99: round(percentile(cpu, 99), 2),
              },
            ];
          }),
        ),
      };
      log(
        `    ${Object.entries(keys.latencies)
          .map(([key, values]) => `${key} p50 ${round(percentile(values, 50), 1)} / p99 ${round(percentile(values, 99), 1)} ms (CPU p50 ${round(percentile(keys.cpuTimes[key] ?? [], 50), 1)})`)
          .join('; ')}${keys.missed ? `; ${keys.missed} keys drew no frame` : ''}`,
      );
    });
    details['keys'] = keysDetails;

    // 5. Peak RSS of the largest load.
    if (!options.onlyList) await attempt('figure 5', async () => {
      log(`[${elapsed()}] 5. peak RSS, ${largest} runs`);
      const timeProgram = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
      let rssKB: number;
      let rssHow: string;
      if (timeProgram) {
        const result = await runProcess(timeProgram, ['-v', process.execPath, workers.load, 'rss', largestInfo.file], {env: childEnv()});
        const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
        if (result.code !== 0 || !match) throw new Error(`/usr/bin/time -v failed: ${result.stderr.slice(-1000)}`);
        rssKB = Number(match[1]);
        const self = /BENCH_RESULT (.*)/.exec(result.stdout.toString());
        rssHow = `/usr/bin/time -v of a child that loads the file${self ? ` (its own maxRSS: ${Math.round((JSON.parse(self[1]!) as {maxRssKB: number}).maxRssKB / 1024)} MB)` : ''}`;
      } else {
        const self = await runWorker<{maxRssKB: number}>([workers.load, 'rss', largestInfo.file]);
        rssKB = self.maxRssKB;
        rssHow = 'process.resourceUsage().maxRSS of a child that loads the file';
      }
      // The floor: what merely keeping every line's JSON.parse result costs.
      const floor = await runWorker<{maxRssKB: number}>([workers.load, 'rss-parse', largestInfo.file]).catch(() => null);
      if (floor) rssHow += `; bare JSON.parse keeping every value peaks at ${Math.round(floor.maxRssKB / 1024)} MB`;
      details['rss'] = {loadPeakKB: rssKB, bareParsePeakKB: floor?.maxRssKB ?? null};
      const fileBytes = statSync(largestInfo.file).size;
      rows.push(
        makeRow({
          figure: 5,
          name: 'peak RSS of the load',
          size: largest,
          value: round((rssKB * 1024) / MB),
          unit: 'MB',
          baseline: round(fileBytes / MB),
          baselineLabel: 'file size',
          targets: [{on: 'ratio', op: '<=', limit: largest >= MILLION ? 1 : 1.5}],
          repetitions: 1,
          note: `${rssHow}; one run (peak memory varies little between runs)`,
        }),
      );
      log(`    peak RSS ${Math.round((rssKB * 1024) / MB)} MB for a ${Math.round(fileBytes / MB)} MB file${floor ? ` (bare JSON.parse keeping the values: ${Math.round(floor.maxRssKB / 1024)} MB)` : ''}`);
    });

    if (options.profile && !options.onlyList) {
      await attempt('profile', async () => {
        log(`[${elapsed()}] profile of one load, ${largest} runs (node --import tsx, V8 sampling profiler)`);
        details['profile'] = await runWorker<unknown>(['--import', 'tsx', join(REPO_ROOT, 'bench/workers/load.ts'), 'profile', largestInfo.file], {cwd: REPO_ROOT});
      });
    }
  } finally {
    if (screen) await screen.kill().catch(() => undefined);
    rmSync(temp, {recursive: true, force: true});
  }

  machine.loadAverageAtEnd = os.loadavg().map((value) => round(value, 2));
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    machine,
    options: {sizes, quick: options.quick, skipTerminal: options.skipTerminal, profile: options.profile, keySamples: options.keySamples, seed: options.seed, now: BENCH_NOW_ISO},
    datasets: datasets.map(({file: _file, ...rest}) => rest),
    rows,
    details,
    skipped,
  };
  writeFileSync(options.outFile, `${JSON.stringify(results, null, 2)}\n`);
  log('');
  log(formatTable(rows));
  const notes = rows.filter((row) => row.note).map((row) => `  ${row.figure} ${row.name} (${row.size}): ${row.note}`);
  if (notes.length > 0) log(`\nnotes:\n${notes.join('\n')}`);
  if (skipped.length > 0) log(`\nskipped:\n${skipped.map((line) => `  ${line}`).join('\n')}`);
  log(`\nload average at start ${machine.loadAverageAtStart.join(' ')}, at end ${machine.loadAverageAtEnd.join(' ')}; ${Math.round(results.durationMs / 1000)} s in all`);
  log(`results: ${relative(process.cwd(), options.outFile) || options.outFile}`);
  return results;
}

// Run when started as a script (`tsx bench/run.ts`), not when a test imports main().
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

/** A row of our times against a baseline's (milliseconds, medians of the repetitions), with a goal on the ratio. */
function versusRow(row: {figure: number; name: string; size: number; ours: readonly number[]; theirs: readonly number[]; baselineLabel: string; limit: number; note: string}): BenchRow {
  return makeRow({
    figure: row.figure,
    name: row.name,
    size: row.size,
    value: round(median(row.ours)),
    unit: 'ms',
    baseline: round(median(row.theirs)),
    baselineLabel: row.baselineLabel,
    targets: [{on: 'ratio', op: '<=', limit: row.limit}],
    repetitions: row.ours.length,
    samples: row.ours.map((value) => round(value)),
    baselineSamples: row.theirs.map((value) => round(value)),
    note: row.note,
  });
}

/** The median over repetitions of a load's CPU time (`of`) against the bare parse's, or `?` where it was not measured. */
function cpuRatio<R extends {baselineCpuMs: number}>(reps: readonly R[], of: (rep: R) => number | null): string {
  const ratios = reps.flatMap((rep) => {
    const ms = of(rep);
    return ms === null ? [] : [ms / rep.baselineCpuMs];
  });
  return ratios.length === 0 ? '?' : String(round(median(ratios), 2));
}

/** Figure 1's row: the load against read + split + JSON.parse of the same file; the fastest of each beside the medians. */
function loadVsParseRow(name: string, size: number, loads: readonly number[], baselines: readonly number[], note: string): BenchRow {
  const fastest = `fastest ${Math.round(Math.min(...loads))} vs ${Math.round(Math.min(...baselines))} ms (${round(Math.min(...loads) / Math.min(...baselines), 2)}x)`;
  return versusRow({figure: 1, name, size, ours: loads, theirs: baselines, baselineLabel: 'read+split+JSON.parse', limit: 1.2, note: `${fastest}; ${note}`});
}
