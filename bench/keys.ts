/**
 * `npm run bench:keys`: figure 4 of the bench alone (key → next frame of the real App), so a change
 * to the list or the search is measured in a minute, at a million runs too, without the rest.
 *
 * Environment: BENCH_KEYS_SIZE=N (runs in the generated file; 100,000), BENCH_KEYS_FILE=path (use
 * this file, generating it there first if it is missing, and keep it: back-to-back A/B runs read the
 * same file), BENCH_KEYS_REPS=N (worker runs; 1), BENCH_KEY_SAMPLES=N (presses per key; 60),
 * BENCH_KEYS_WORKER=path (a keys.mjs bundled before, e.g. from another commit, instead of this tree's).
 */
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import {join} from 'node:path';
import {bundleWorkers, childEnv, runWorker} from './run.js';
import {DEFAULT_SEED, writeJsonLines} from './generate.js';
import {median, percentile, round} from './measure.js';
import type {KeysReport} from './workers/keys.js';

async function main(): Promise<void> {
  const env = process.env;
  const size = Number(env['BENCH_KEYS_SIZE'] ?? 100_000);
  const reps = Math.max(1, Number(env['BENCH_KEYS_REPS'] ?? 1));
  const samples = Math.max(1, Number(env['BENCH_KEY_SAMPLES'] ?? 60));
  const temp = mkdtempSync(join(os.tmpdir(), 'runlens-bench-keys-'));
  const keptFile = env['BENCH_KEYS_FILE'];
  const file = keptFile ?? join(temp, `runs-${size}.jsonl`);
  try {
    if (!existsSync(file)) {
      process.stdout.write(`generating ${size.toLocaleString('en-US')} runs into ${file}\n`);
      writeJsonLines(file, size, DEFAULT_SEED);
    }
    const worker = env['BENCH_KEYS_WORKER'] ?? (await bundleWorkers(join(temp, 'workers'))).keys;
    const cpu: Record<string, number[]> = {};
    const wall: Record<string, number[]> = {};
    for (let rep = 0; rep < reps; rep++) {
      const load = os.loadavg()[0]!;
      const report = await runWorker<KeysReport>([worker, file, String(samples)], {env: childEnv()});
      const line = Object.keys(report.latencies).map((key) => {
        (wall[key] ??= []).push(...report.latencies[key]!);
        (cpu[key] ??= []).push(...report.cpuTimes[key]!);
        const values = report.cpuTimes[key]!;
        return `${key} ${round(percentile(values, 50), 1)}/${round(percentile(values, 99), 1)}`;
      });
      process.stdout.write(`run ${rep + 1}: ${report.runs} runs, load average ${load.toFixed(2)}, CPU p50/p99 ms: ${line.join('  ')}${report.missed ? `; ${report.missed} keys drew no frame` : ''}\n`);
    }
    process.stdout.write(`all runs (${reps}), ms:\n`);
    for (const key of Object.keys(cpu)) {
      const c = cpu[key]!;
      const w = wall[key]!;
      process.stdout.write(
        `  ${key.padEnd(14)} CPU p50 ${round(percentile(c, 50), 1)} p99 ${round(percentile(c, 99), 1)}   wall p50 ${round(percentile(w, 50), 1)} p99 ${round(percentile(w, 99), 1)} median ${round(median(w), 1)}  (n ${c.length})\n`,
      );
    }
    process.stdout.write(`load average at end ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}\n`);
  } finally {
    rmSync(temp, {recursive: true, force: true});
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:keys failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
