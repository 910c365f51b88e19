/**
 * Child process of the benchmark (bundled by bench/run.ts like the CLI, see build.mjs): the
 * in-process figure beside tmux's first frame. It runs `runlens FILE` as bin.ts does, on a fake
 * 120x40 terminal, and reports when the first frame with rows was written, in milliseconds since
 * the process started (performance.now(): Node's own start-up included), as one line
 * `BENCH_RESULT {json}` on stdout, with the CPU time used by then (all threads: steadier than wall
 * time on a busy machine), and the two parts before the CLI runs: Node's own start, and the load
 * of the CLI's modules (the CLI's code is imported after the first line here runs, so the first
 * is Node's alone). No terminal emulator, no screen reads: what is left of tmux's figure is the
 * terminal's share.
 *
 *   startup FILE
 */
import * as nodeModule from 'node:module';
import {stripVTControlCharacters} from 'node:util';
import {RUNLENS_ROW} from '../measure.js';
import {FakeStderr, FakeStdin, FakeStdout} from './fakeTerminal.js';

/** When this process's code first ran: what Node itself took before it. */
const scriptStartedMs = performance.now();

async function main(): Promise<void> {
  const [file] = process.argv.slice(2);
  if (!file) throw new Error('usage: startup.mjs FILE');
  // Imported here, as bin.ts's static import of it would be: its module graph is the CLI's start-up.
  const [{runCli}, {enableCompileCache}] = await Promise.all([import('../../src/cli/main.js'), import('../../src/cli/compileCache.js')]);
  // Where bin.ts turns it on: after the CLI's own modules, before the TUI's chunks (Node 22.1 and later).
  enableCompileCache(nodeModule);
  const modulesLoadedMs = performance.now();
  const stdout = new FakeStdout(120, 40);
  const firstRows = new Promise<{at: number; cpuMs: number}>((resolvePromise) => {
    stdout.onFrame = (text, at) => {
      if (!RUNLENS_ROW.test(stripVTControlCharacters(text))) return;
      const cpu = process.cpuUsage();
      resolvePromise({at, cpuMs: (cpu.user + cpu.system) / 1000});
    };
  });
  void runCli({
    argv: [file],
    env: process.env,
    stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStderr() as unknown as NodeJS.WriteStream,
    now: Date.now,
  });
  const first = await Promise.race([firstRows, new Promise<null>((done) => setTimeout(() => done(null), 30_000))]);
  if (first === null) throw new Error(`no frame with rows within 30 s; last frame: ${stripVTControlCharacters(stdout.last).slice(0, 2000)}`);
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({firstFrameMs: first.at, cpuMs: first.cpuMs, scriptStartedMs, modulesLoadedMs, frames: stdout.frames})}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
