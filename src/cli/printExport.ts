/**
 * `runlens export RUN_ID`: one run (or, with `--thread T`, every loaded run of that thread, oldest
 * first) as a Markdown report or JSON, with its conversation as loaded, to standard output or
 * `-o FILE`; and the TUI's `x`, which writes the same report of the run it is on.
 */
import {writeFileSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {safeInline} from '../format/sanitize.js';
import {joinItems, type SideItemsView} from '../model/itemKinds.js';
import type {ModelMap} from '../model/cost.js';
import type {Run} from '../model/run.js';
import type {MessagesView, StepsView} from '../panes/paneContext.js';
import {exportRuns, type ExportStory} from '../panes/exportReport.js';
import {messagesViewOf} from '../store/messageLoader.js';
import {stepsViewOf} from '../store/stepLoader.js';
import {EXIT_FAILURE, EXIT_OK, type CliOptions} from './args.js';

/** What an API read when the files had none (the TUI's loaders), by run. */
export interface StoryFromApi {
  steps?: (run: Run) => StepsView | undefined;
  messages?: (run: Run) => MessagesView | undefined;
}

/** A view still being read is not in a report: it says they are not loaded rather than "loading…" forever. */
function settled<V extends {state: string}>(view: V | undefined): V | undefined {
  return view?.state === 'loading' ? undefined : view;
}

/** The story of the runs from the steps and messages loaded beside them, else from what an API read. */
export function exportStory(items: SideItemsView, fromApi: StoryFromApi = {}): ExportStory {
  const joined = joinItems(items);
  return {
    steps: (run) => stepsViewOf(run, joined, settled(fromApi.steps?.(run))),
    messages: (run) => messagesViewOf(run, joined, settled(fromApi.messages?.(run))),
  };
}

/**
 * The TUI's `x`: the run's report, as `runlens export` writes it (its conversation included), to
 * `file`; resolves to the path written, rejects with why it could not be.
 */
export async function writeRunReport(run: Run, file: string, story: ExportStory, nowSeconds: number, modelMap?: ModelMap): Promise<string> {
  await writeFile(file, exportRuns([run], run.id, {format: 'md', redact: false, nowSeconds, story, ...(modelMap ? {modelMap} : {})}));
  return path.resolve(file);
}

/**
 * Writes the export; the exit code (1 when the run or thread is not loaded, or the file cannot be
 * written). `storyItems` gives the steps and messages of the runs chosen (from the files, else their API).
 */
export async function printExport(
  runs: readonly Run[],
  options: CliOptions,
  io: {stdout: {write(text: string): unknown}; stderr: {write(text: string): unknown}},
  context: {nowSeconds: number; sources: readonly string[]; storyItems: (runs: readonly Run[], threadId: string | null) => Promise<SideItemsView>},
): Promise<number> {
  const run = runs.find((candidate) => candidate.id === options.runId);
  if (!run) {
    io.stderr.write(`runlens: no run with id '${safeInline(options.runId ?? '')}' in ${context.sources.map(safeInline).join(', ')}\n`);
    return EXIT_FAILURE;
  }
  const thread = options.api.threads?.[0] ?? null;
  const chosen = thread === null ? [run] : runs.filter((candidate) => candidate.threadId === thread).sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0));
  const story = exportStory(await context.storyItems(chosen, thread ?? run.threadId));
  const text = exportRuns(chosen, thread === null ? run.id : `thread ${thread}`, {
    format: options.format,
    redact: options.redact,
    keep: options.redactKeep,
    nowSeconds: context.nowSeconds,
    story,
    ...(thread === null ? {} : {thread}),
    ...(options.models ? {modelMap: options.models} : {}),
  });
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
