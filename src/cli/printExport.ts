/**
 * `runlens export RUN_ID`: one run (or, with `--thread T`, every loaded run of that thread, oldest
 * first) as a Markdown report or JSON, to standard output or `-o FILE`.
 */
import {writeFileSync} from 'node:fs';
import {safeInline} from '../format/sanitize.js';
import type {Run} from '../model/run.js';
import {exportRuns} from '../panes/exportReport.js';
import {EXIT_FAILURE, EXIT_OK, type CliOptions} from './args.js';

/** Writes the export; the exit code (1 when the run or thread is not loaded, or the file cannot be written). */
export function printExport(runs: readonly Run[], options: CliOptions, io: {stdout: {write(text: string): unknown}; stderr: {write(text: string): unknown}}, context: {nowSeconds: number; sources: readonly string[]}): number {
  const run = runs.find((candidate) => candidate.id === options.runId);
  if (!run) {
    io.stderr.write(`runlens: no run with id '${safeInline(options.runId ?? '')}' in ${context.sources.map(safeInline).join(', ')}\n`);
    return EXIT_FAILURE;
  }
  const thread = options.api.threads?.[0] ?? null;
  const chosen = thread === null ? [run] : runs.filter((candidate) => candidate.threadId === thread).sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0));
  const text = exportRuns(chosen, thread === null ? run.id : `thread ${thread}`, {format: options.format, redact: options.redact, keep: options.redactKeep, nowSeconds: context.nowSeconds, ...(options.models ? {modelMap: options.models} : {})});
  if (options.outFile === null) {
    io.stdout.write(text);
    return EXIT_OK;
  }
  try {
    writeFileSync(options.outFile, text);
  } catch (error) {
    io.stderr.write(`runlens: cannot write ${safeInline(options.outFile)}: ${safeInline(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT_FAILURE;
  }
  io.stderr.write(`runlens: wrote ${safeInline(options.outFile)}\n`);
  return EXIT_OK;
}
