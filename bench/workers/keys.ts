/**
 * Child process of the benchmark (bundled by bench/run.ts): key → next frame latency of the real
 * `App`, through Ink's real input path. It loads FILE, renders App with a fake terminal (a stdin
 * that is a TTY, a 120x40 stdout), writes each key's bytes into stdin and times until stdout gets
 * the next frame. Reports one line `BENCH_RESULT {json}` on stdout.
 *
 *   keys FILE SAMPLES
 *
 * BENCH_KEYS_ONLY=down,pageDown,bottom,search,sort presses only those groups; BENCH_KEYS_PROFILE=FILE
 * writes a CPU profile of the presses alone (not the load) to FILE.
 *
 * Ink draws at most `maxFps` (30) frames a second: the first render after a quiet spell is drawn at
 * once, later ones wait for the next slot. Keys are therefore spaced (GAP_MS) so each measures the
 * work a key costs, not the frame-rate cap. Run it without CI in the environment: Ink draws no
 * frames at all when it thinks it is on CI.
 */
import {writeFileSync} from 'node:fs';
import {Session} from 'node:inspector/promises';
import {render} from 'ink';
import {createElement} from 'react';
import {App} from '../../components/App.js';
import {BENCH_NOW_ISO} from '../generate.js';
import {loadRunsFromSources} from '../../src/sources/loadSources.js';
import {FakeStderr, FakeStdin, FakeStdout} from './fakeTerminal.js';

/** What the worker reports on its `BENCH_RESULT` line: per key, each press's time to the next frame and the CPU time it used. */
export interface KeysReport {
  runs: number;
  loadMs: number;
  firstRenderMs: number;
  gapMs: number;
  missed: number;
  frames: number;
  latencies: Record<string, number[]>;
  cpuTimes: Record<string, number[]>;
}

const GAP_MS = 50;
const FRAME_TIMEOUT_MS = 10_000;

const sleep = (milliseconds: number) => new Promise<void>((done) => setTimeout(done, milliseconds));

const KEYS = {
  down: '\u001b[B',
  pageDown: '\u001b[6~',
  bottom: 'G',
  top: 'g',
  search: '/',
  backspace: '\u007f',
  escape: '\u001b',
  sort: 's',
} as const;

async function main(): Promise<void> {
  const [file, samplesText] = process.argv.slice(2);
  if (!file) throw new Error('usage: keys.js FILE SAMPLES');
  const samples = Math.max(1, Number(samplesText ?? 60));
  const loadStarted = performance.now();
  const loaded = await loadRunsFromSources([file], {detachRuns: true});
  const loadMs = performance.now() - loadStarted;

  const stdout = new FakeStdout(120, 40);
  const stdin = new FakeStdin();
  const now = Date.parse(BENCH_NOW_ISO);
  const firstFrame = stdout.nextFrame(60_000);
  const renderStarted = performance.now();
  const instance = render(
    createElement(App, {
      runs: loaded.runs,
      warnings: loaded.warnings,
      sources: [file],
      display: {color: true, ascii: false},
      time: {utc: true},
      now: () => now,
      tickMilliseconds: 0,
    }),
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stderr: new FakeStderr() as unknown as NodeJS.WriteStream,
      exitOnCtrlC: false,
      patchConsole: false,
      // BENCH_INK_INCREMENTAL=1: Ink's incremental rendering (only changed lines are written), to compare.
      ...(process.env['BENCH_INK_INCREMENTAL'] === '1' ? {incrementalRendering: true} : {}),
    },
  );
  const first = await firstFrame;
  if (first === null) throw new Error('no first frame: is CI set in the environment? Ink draws nothing on CI');
  const firstRenderMs = first.at - renderStarted;
  // Let effects settle (page size, column widths) before measuring.
  await sleep(300);

  /**
   * Writes `bytes` and returns the time to the next frame and the CPU time this process spent
   * meanwhile (all threads, GC included): null when no frame came within the timeout.
   */
  const press = async (bytes: string): Promise<{ms: number; cpuMs: number} | null> => {
    await sleep(GAP_MS);
    const frame = stdout.nextFrame(FRAME_TIMEOUT_MS);
    const cpu = process.cpuUsage();
    const start = performance.now();
    stdin.write(bytes);
    const drawn = await frame;
    if (drawn === null) return null;
    const used = drawn.cpu.user - cpu.user + (drawn.cpu.system - cpu.system);
    lastPress = {start, cpu};
    return {ms: drawn.at - start, cpuMs: used / 1000};
  };
  let lastPress = {start: 0, cpu: process.cpuUsage()};
  /**
   * After a search (or sort) key's frame: from the key to the first frame that no longer says
   * "searching…" ("sorting by"): a filter or sort too big for one frame goes on between frames, so
   * the whole result is timed too.
   */
  const settled = async (marker = 'searching…'): Promise<{ms: number; cpuMs: number} | null> => {
    const {start, cpu} = lastPress;
    let drawn: {at: number; cpu: NodeJS.CpuUsage} | null = {at: performance.now(), cpu: process.cpuUsage()};
    while (stdout.last.includes(marker)) {
      drawn = await stdout.nextFrame(FRAME_TIMEOUT_MS);
      if (drawn === null) return null;
    }
    const used = drawn.cpu.user - cpu.user + (drawn.cpu.system - cpu.system);
    return {ms: drawn.at - start, cpuMs: used / 1000};
  };

  const names = ['down', 'pageDown', 'bottom', 'top', 'searchOpen', 'searchChar', 'searchCharDone', 'searchNarrow', 'searchNarrowDone', 'searchBack', 'searchBackDone', 'searchClear', 'sort', 'sortDone'];
  const latencies: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const cpuTimes: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  let missed = 0;
  const record = (name: string, value: {ms: number; cpuMs: number} | null) => {
    if (value === null) {
      missed++;
      return;
    }
    latencies[name]!.push(value.ms);
    cpuTimes[name]!.push(value.cpuMs);
  };

  // BENCH_KEYS_ONLY=down,pageDown: only these groups of keys (moves, search) are pressed, e.g. to profile one.
  const only = process.env['BENCH_KEYS_ONLY']?.split(',');
  const wanted = (group: string) => !only || only.includes(group);
  // BENCH_KEYS_PROFILE=file.cpuprofile: a CPU profile of the key presses alone, without the load.
  const profileFile = process.env['BENCH_KEYS_PROFILE'];
  const profiler = profileFile ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }

  if (wanted('down')) for (let i = 0; i < samples; i++) record('down', await press(KEYS.down));
  record('top', await press(KEYS.top));
  if (wanted('pageDown')) for (let i = 0; i < samples; i++) record('pageDown', await press(KEYS.pageDown));
  // G again at the bottom changes nothing (and draws nothing): go back to the top between presses.
  for (let i = 0; wanted('bottom') && i < samples; i++) {
    record('bottom', await press(KEYS.bottom));
    record('top', await press(KEYS.top));
  }
  // A first letter searches every run; each further letter of a word extends the query (and may narrow the last result);
  // each search key is timed to its first frame and to the frame with the whole result (the same one when it fits in a frame).
  const words = ['weather', 'order', 'refund', 'stock', 'flights', 'ticket', 'meeting', 'balance', 'forecast', 'lookup'];
  for (let i = 0; wanted('search') && i < samples; i++) {
    const word = words[i % words.length]!;
    record('searchOpen', await press(KEYS.search));
    record('searchChar', await press(word[0]!));
    record('searchCharDone', await settled());
    for (const letter of word.slice(1, 4)) {
      record('searchNarrow', await press(letter));
      record('searchNarrowDone', await settled());
    }
    // Backspace widens the query: every run is filtered again.
    record('searchBack', await press(KEYS.backspace));
    record('searchBackDone', await settled());
    record('searchClear', await press(KEYS.escape));
  }
  // s goes through every sort key and back to the first (eight presses): each sorts all runs, a second or two at a million, so fewer presses.
  for (let i = 0; wanted('sort') && i < Math.min(samples, 16); i++) {
    record('sort', await press(KEYS.sort));
    record('sortDone', await settled('sorting by'));
  }
  if (profiler && profileFile) {
    const {profile} = await profiler.post('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
  }
  instance.unmount();
  instance.cleanup();
  process.stdout.write(
    `BENCH_RESULT ${JSON.stringify({runs: loaded.runs.length, loadMs, firstRenderMs, gapMs: GAP_MS, missed, frames: stdout.frames, latencies, cpuTimes})}\n`,
  );
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
