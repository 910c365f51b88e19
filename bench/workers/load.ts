/**
 * Child process of the benchmark (bundled by bench/run.ts, or run with `node --import tsx`):
 * loads one JSON Lines file and reports timings as one line `BENCH_RESULT {json}` on stdout.
 *
 *   compare FILE REPS   loadRunsFromSources([FILE]) as the TUI loads, against bare JSON.parse of the same lines, in
 *                       this one process, alternating, with a full GC before each; then one pass
 *                       timed phase by phase (read, decode, split, JSON.parse, normalize, dedupe; not with
 *                       BENCH_LOAD_PHASES=0, for A/B pairs of the load alone)
 *   rss FILE            one load as the TUI loads, then process.resourceUsage().maxRSS
 *   rss-parse FILE      the same for bare JSON.parse of every line, the values kept (the floor)
 *   profile FILE        one load under the V8 sampling profiler, summarized by where time went
 */
import {readFileSync} from 'node:fs';
import {open, readFile, stat} from 'node:fs/promises';
import {Session} from 'node:inspector/promises';
import {PerformanceObserver} from 'node:perf_hooks';
import {looksLikeRun, normalizeRun} from '../../src/model/normalize.js';
import {itemKindOf} from '../../src/model/itemKinds.js';
import {loadRunsFromSources} from '../../src/sources/loadSources.js';
import {decodeRunFile} from '../../src/sources/sniff.js';
import {RunCollection} from '../../src/sources/runCollection.js';

const gcEntries: Array<{start: number; duration: number}> = [];
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcEntries.push({start: entry.startTime, duration: entry.duration});
});
observer.observe({entryTypes: ['gc']});

/** The largest file timed phase by phase (one string of it is decoded). */
const PHASES_MAX_BYTES = 400 * 2 ** 20;

const settle = () => new Promise<void>((done) => setTimeout(done, 30));

/**
 * The load as the TUI does it (src/cli/runTui.ts): piece by piece with progress, runs other than
 * those waiting for tool outputs kept small and read again from the file when opened.
 */
const TUI_LOAD = {detachRuns: true, onProgress: () => {}};

/** GC pause time (ms) recorded between two `performance.now()` readings. */
async function gcBetween(start: number, end: number): Promise<number> {
  await settle();
  let total = 0;
  for (const entry of gcEntries) if (entry.start >= start && entry.start < end) total += entry.duration;
  return total;
}

function collectGarbage(): void {
  const gc = (globalThis as {gc?: () => void}).gc;
  if (gc) {
    gc();
    gc();
  }
}

/** Bytes read at a time by the baseline: files past 2 GiB cannot be read whole, nor decoded as one string. */
const PIECE_BYTES = 16 * 2 ** 20;

/**
 * Each line of the file, read piece by piece: a piece's complete lines are decoded as one string
 * and split at newlines; the bytes after its last newline start the next piece.
 */
async function forEachLine(file: string, each: (line: string) => void): Promise<void> {
  const handle = await open(file, 'r');
  try {
    let carry = Buffer.alloc(0);
    for (;;) {
      const piece = Buffer.allocUnsafe(PIECE_BYTES);
      const {bytesRead} = await handle.read(piece, 0, PIECE_BYTES, null);
      const bytes = carry.length > 0 ? Buffer.concat([carry, piece.subarray(0, bytesRead)]) : piece.subarray(0, bytesRead);
      const last = bytesRead === 0 ? bytes.length - 1 : bytes.lastIndexOf(0x0a);
      const text = bytes.toString('utf8', 0, last + 1);
      carry = Buffer.from(bytes.subarray(last + 1));
      let start = 0;
      while (start < text.length) {
        let end = text.indexOf('\n', start);
        if (end === -1) end = text.length;
        if (end > start) each(text.slice(start, end));
        start = end + 1;
      }
      if (bytesRead === 0) return;
    }
  } finally {
    await handle.close();
  }
}

/** The baseline: what any loader must do at least. Read, decode, split into lines, JSON.parse each. */
async function bareParse(file: string): Promise<number> {
  let count = 0;
  await forEachLine(file, (line) => {
    JSON.parse(line);
    count++;
  });
  return count;
}

interface Rep {
  baselineMs: number;
  loadMs: number;
  /** CPU time (user + system, all threads of this process): steadier than wall time on a busy machine. */
  baselineCpuMs: number;
  loadCpuMs: number;
  /** The load's CPU time on the main thread alone (null where /proc is not there). */
  loadMainCpuMs: number | null;
  baselineGcMs: number;
  loadGcMs: number;
  parsed: number;
  runs: number;
  warnings: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/**
 * CPU time (user + system, ms) of the main thread alone, from Linux's /proc (its task id is the
 * process id); null elsewhere. The load's worker thread (src/sources/messageChecker.ts) runs
 * beside it: process.cpuUsage counts both, this one only the thread that draws.
 */
function mainThreadCpuMs(): number | null {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, fields 14 and 15 of stat (11 and 12 after the name), in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

async function timeBaseline(file: string): Promise<{ms: number; cpuMs: number; gcMs: number; parsed: number}> {
  collectGarbage();
  await settle();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const parsed = await bareParse(file);
  const end = performance.now();
  const cpuUsed = cpuMs(cpu);
  return {ms: end - start, cpuMs: cpuUsed, gcMs: await gcBetween(start, end), parsed};
}

async function timeLoad(file: string): Promise<{ms: number; cpuMs: number; mainCpuMs: number | null; gcMs: number; runs: number; warnings: number}> {
  collectGarbage();
  await settle();
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpuMs();
  const start = performance.now();
  const loaded = await loadRunsFromSources([file], TUI_LOAD);
  const end = performance.now();
  const cpuUsed = cpuMs(cpu);
  const mainCpuAfter = mainThreadCpuMs();
  return {ms: end - start, cpuMs: cpuUsed, mainCpuMs: mainCpu === null || mainCpuAfter === null ? null : mainCpuAfter - mainCpu, gcMs: await gcBetween(start, end), runs: loaded.runs.length, warnings: loaded.warnings.length};
}

/**
 * The load again, phase by phase, with the same building blocks the loader uses (decodeRunFile,
 * normalizeRun, RunCollection). Each phase keeps its output so the next one works on real data.
 */
async function phases(file: string): Promise<Record<string, {ms: number; cpuMs: number; gcMs: number}>> {
  collectGarbage();
  await settle();
  const out: Record<string, {ms: number; cpuMs: number; gcMs: number}> = {};
  const spans: Array<[string, number, number, number]> = [];
  const time = async <T>(name: string, work: () => T | Promise<T>): Promise<T> => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = await work();
    spans.push([name, start, performance.now(), cpuMs(cpu)]);
    return result;
  };
  const bytes = await time('read', () => readFile(file));
  const text = await time('decode', () => decodeRunFile(bytes));
  const lines = await time('split', () => {
    const found: Array<[string, number]> = [];
    let lineNumber = 0;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      lineNumber++;
      const line = text.slice(start, end).trim();
      if (line) found.push([line, lineNumber]);
      start = end + 1;
    }
    return found;
  });
  const values = await time('JSON.parse', () => lines.map(([line]) => JSON.parse(line) as unknown));
  // Runs, and the messages of the story case (1b) by their kind's normalizer.
  const runs = await time('normalize (zod)', () =>
    values.flatMap((value, index) => {
      if (looksLikeRun(value)) return [normalizeRun(value, {file, line: lines[index]![1]})];
      const kind = itemKindOf(value);
      if (!kind) throw new Error(`line ${lines[index]![1]} is neither a run nor a step or message`);
      kind.read(value as Record<string, unknown>, {file, line: lines[index]![1]}, '(no id)');
      return [];
    }),
  );
  await time('dedupe', () => {
    const collection = new RunCollection();
    for (const run of runs) collection.add(run);
    return collection.runs.length;
  });
  await settle();
  for (const [name, start, end, cpuUsed] of spans) out[name] = {ms: end - start, cpuMs: cpuUsed, gcMs: await gcBetween(start, end)};
  return out;
}

interface ProfileNode {
  id: number;
  callFrame: {functionName: string; url: string; lineNumber: number};
  children?: number[];
}

/** Sorts a sample into where its time went, by the source file of the function on top. */
function category(node: ProfileNode): string {
  const {functionName, url} = node.callFrame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle (waiting for I/O)';
  if (functionName === '(program)') return 'V8 / native (other)';
  if (url.includes('/node_modules/zod/')) return 'zod';
  if (url.includes('/src/model/normalize')) return 'normalize.ts (own code)';
  // JSON.parse is a builtin: its samples land on the function that calls it.
  if (functionName === 'parseJson' || (url === '' && functionName === 'parse')) return 'JSON.parse';
  if (url.includes('/src/sources/') || url.includes('/src/format/jsonError')) return 'sources (split, glue, dedupe)';
  if (url.startsWith('node:buffer') || functionName === 'slice' || functionName === 'toString') return 'decode (Buffer → string)';
  if (url.startsWith('node:')) return `node internals (${url.replace('node:', '')})`;
  if (url === '') return `native ${functionName || '(anonymous)'}`;
  return url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/');
}

async function profile(file: string): Promise<unknown> {
  collectGarbage();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', {interval: 200});
  await session.post('Profiler.start');
  const start = performance.now();
  const loaded = await loadRunsFromSources([file], TUI_LOAD);
  const wallMs = performance.now() - start;
  const {profile: result} = (await session.post('Profiler.stop')) as unknown as {
    profile: {nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]};
  };
  session.disconnect();
  const byId = new Map(result.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of result.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfByCategory = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  // Inclusive time of a few functions that mark phases (counted once per sample, even if recursive).
  const marks = ['parseRunText', 'parseJsonLines', 'parseJson', 'collectRuns', 'normalizeRun', 'buildSearchText', 'safeParse', 'add', 'decodeRunFile', 'readFile'];
  const inclusive = new Map<string, number>(marks.map((mark) => [mark, 0]));
  let totalUs = 0;
  result.samples.forEach((id, index) => {
    const delta = result.timeDeltas[index] ?? 0;
    totalUs += delta;
    const node = byId.get(id);
    if (!node) return;
    const cat = category(node);
    selfByCategory.set(cat, (selfByCategory.get(cat) ?? 0) + delta);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^file:\/\/.*?\/(node_modules|src)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + delta);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const fn = byId.get(at)?.callFrame.functionName ?? '';
      if (inclusive.has(fn) && !seen.has(fn)) {
        seen.add(fn);
        inclusive.set(fn, inclusive.get(fn)! + delta);
      }
    }
  });
  const toMs = (map: Map<string, number>, limit: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({name, ms: Math.round(us / 1000), share: Math.round((1000 * us) / totalUs) / 10}));
  return {
    wallMs: Math.round(wallMs),
    sampledMs: Math.round(totalUs / 1000),
    runs: loaded.runs.length,
    byCategory: toMs(selfByCategory, 30),
    topFunctions: toMs(selfByFunction, 25),
    inclusive: toMs(inclusive, marks.length),
  };
}

async function main(): Promise<void> {
  const [mode, file, repsText] = process.argv.slice(2);
  if (!file) throw new Error('usage: load.js compare|rss|profile FILE [REPS]');
  let result: unknown;
  if (mode === 'compare') {
    const reps: Rep[] = [];
    const count = Math.max(1, Number(repsText ?? 3));
    for (let rep = 0; rep < count; rep++) {
      // Alternate which goes first, so neither always inherits the other's heap.
      const first = rep % 2 === 0 ? 'baseline' : 'load';
      let baseline: Awaited<ReturnType<typeof timeBaseline>>;
      let load: Awaited<ReturnType<typeof timeLoad>>;
      if (first === 'baseline') {
        baseline = await timeBaseline(file);
        load = await timeLoad(file);
      } else {
        load = await timeLoad(file);
        baseline = await timeBaseline(file);
      }
      reps.push({
        baselineMs: baseline.ms,
        loadMs: load.ms,
        baselineCpuMs: baseline.cpuMs,
        loadCpuMs: load.cpuMs,
        loadMainCpuMs: load.mainCpuMs,
        baselineGcMs: baseline.gcMs,
        loadGcMs: load.gcMs,
        parsed: baseline.parsed,
        runs: load.runs,
        warnings: load.warnings,
      });
    }
    // The phases hold the whole file as one string, which V8 cannot make past about 512 MB.
    result = {reps, phases: process.env['BENCH_LOAD_PHASES'] !== '0' && (await stat(file)).size <= PHASES_MAX_BYTES ? await phases(file) : {}};
  } else if (mode === 'rss') {
    const loaded = await loadRunsFromSources([file], TUI_LOAD);
    const usage = process.resourceUsage();
    result = {runs: loaded.runs.length, maxRssKB: usage.maxRSS, heapUsedMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20)};
  } else if (mode === 'rss-parse') {
    // The floor for a loader that keeps every run's parsed object (as `raw` does): read, split,
    // JSON.parse each line, keep the values.
    const values: unknown[] = [];
    await forEachLine(file, (line) => values.push(JSON.parse(line)));
    result = {runs: values.length, maxRssKB: process.resourceUsage().maxRSS, heapUsedMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20)};
  } else if (mode === 'profile') {
    result = await profile(file);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  observer.disconnect();
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
