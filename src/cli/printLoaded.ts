/**
 * Print mode over sources loaded whole (URLs, the API, `show`, `thread`, `stuck`, `stats`,
 * `export`, `diff`, and `list` on a terminal's table or sorted): the sources loaded, then the
 * command's output (the TUI's too, for URLs and the API, which load first). main.ts imports this
 * module only for those commands, so `list` of a file, the TUI on files and `--version` never load
 * what is here (the table, the loaders of URLs and the API, the story's steps and messages).
 */
import {safeInline, safeJson} from '../format/sanitize.js';
import {joinItems, itemsOfRun, itemsOfThread, type SideItems} from '../model/itemKinds.js';
import type {Run} from '../model/run.js';
import {filterRuns, selectRuns} from '../store/listView.js';
import {finishedToolRounds, stepsViewOf} from '../store/stepLoader.js';
import {messagesViewOf} from '../store/messageLoader.js';
import {unstickTargetOf} from '../triage/unstick.js';
import {EXIT_FAILURE, EXIT_OK, EXIT_STUCK, listsInReadOrder, modelHint, queryFrom, UsageError, type CliOptions} from './args.js';
import {reportNothingLoaded, reportUsageError, reportWarnings, type CliIo} from './cliIo.js';
import {apiSession, loadCliSources, type CliLoad} from './loadCliSources.js';
import {printRunList, type PrintTarget} from './printRuns.js';
import type {TimeOptions} from '../format/time.js';

/**
 * The steps and messages print mode's story needs (`show`, `thread`), the load's own first: for
 * runs read from an API, what the load has none of is read from it (each run's steps, the
 * thread's messages). A failed read is a line on stderr; the story is told without it.
 */
async function storyItems(options: CliOptions, loaded: CliLoad, io: CliIo, runs: readonly Run[], threadId: string | null): Promise<SideItems> {
  const items: SideItems = {steps: [...(loaded.steps ?? [])], messages: [...(loaded.messages ?? [])]};
  const api = await apiSession(options, loaded, io);
  if (!api) return items;
  const joined = joinItems(loaded);
  const fail = (error: unknown) => void io.stderr.write(`runlens: ${safeInline(error instanceof Error ? error.message.split('\n')[0]! : String(error))}\n`);
  for (const run of runs) {
    if (run.threadId === null || itemsOfRun(joined, 'steps', run.id).length > 0) continue;
    await api.loadRunSteps(run.threadId, run.id).then((read) => void items.steps!.push(...read.steps), fail);
  }
  if (threadId !== null && itemsOfThread(joined, 'messages', threadId).length === 0) {
    await api.loadThreadMessages(threadId).then((read) => void items.messages!.push(...read.messages), fail);
  }
  return items;
}

/** What main.ts worked out before loading: the command, its sources, the clock and where output goes. */
export interface LoadedCommand {
  options: CliOptions;
  command: CliOptions['command'];
  sources: string[];
  nowSeconds: number;
  time: TimeOptions;
  target: PrintTarget;
  color: boolean;
}

/**
 * Loads the sources whole and runs the command on what was loaded (the TUI too, for URLs and the
 * API, which load first); the exit code.
 */
export async function runLoadedCommand({options, command, sources, nowSeconds, time, target, color}: LoadedCommand, io: CliIo): Promise<number> {
  let loaded: CliLoad;
  try {
    loaded = await loadCliSources(options, sources, io);
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError(error, io);
    const {SettingsError} = await import('../config/settings.js');
    if (error instanceof SettingsError) {
      io.stderr.write(`runlens: ${safeInline(error.message)}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  if (loaded.runs.length === 0) return reportNothingLoaded(loaded, io);
  if (command === 'tui') return (await import('./runTui.js')).runTui(options, {loaded}, io, color, sources);

  // Print mode: warnings go to stderr so stdout stays clean for pipes.
  reportWarnings(loaded, io);
  const hint = command === 'show' || command === 'diff' || command === 'export' ? null : modelHint(options.model, loaded.runs.map((run) => run.model));
  if (hint) io.stderr.write(`runlens: ${safeInline(hint)}\n`);

  if (command === 'show') {
    const run = loaded.runs.find((candidate) => candidate.id === options.runId);
    if (!run) {
      io.stderr.write(`runlens: no run with id '${safeInline(options.runId ?? '')}' in ${loaded.sources.map(safeInline).join(', ')}\n`);
      return EXIT_FAILURE;
    }
    if (options.json) {
      io.stdout.write(`${safeJson(run.raw, 2)}\n`);
      return EXIT_OK;
    }
    const {runAsText} = await import('./printRun.js');
    // Steps and messages read with the run (files, transcripts; else from its API) show in its Steps and Conversation panes.
    const joined = joinItems(await storyItems(options, loaded, io, [run], run.threadId));
    const steps = stepsViewOf(run, joined);
    const messages = messagesViewOf(run, joined);
    const unstick = loaded.connection ? unstickTargetOf(loaded.connection) : undefined;
    io.stdout.write(runAsText(run, {nowSeconds, time, ascii: options.ascii, ...(options.models ? {modelMap: options.models} : {}), ...(steps ? {steps} : {}), ...(messages ? {messages} : {}), ...(unstick ? {unstick} : {})}, {width: target.isTerminal ? target.columns : 100, color}));
    return EXIT_OK;
  }

  if (command === 'thread') {
    const {threadAsJson, threadAsText, threadFound} = await import('./printThread.js');
    const threadId = options.threadId ?? '';
    const input = {threadId, runs: loaded.runs, items: await storyItems(options, loaded, io, loaded.runs.filter((run) => run.threadId === threadId), threadId)};
    if (!threadFound(input)) {
      io.stderr.write(`runlens: no run or message of thread '${safeInline(input.threadId)}' in ${loaded.sources.map(safeInline).join(', ')}\n`);
      return EXIT_FAILURE;
    }
    io.stdout.write(options.json ? threadAsJson(input) : threadAsText(input, {nowSeconds, time, ascii: options.ascii}, {width: target.isTerminal ? target.columns : 100, color}));
    return EXIT_OK;
  }

  if (command === 'export') {
    const {printExport} = await import('./printExport.js');
    return printExport(loaded.runs, options, io, {nowSeconds, sources: loaded.sources, storyItems: (runs, threadId) => storyItems(options, loaded, io, runs, threadId)});
  }

  if (command === 'diff') {
    const {printDiff} = await import('./printDiff.js');
    return printDiff(loaded.runs, {a: options.runId ?? '', b: options.otherRunId ?? ''}, target, {json: options.json, nowSeconds, ascii: options.ascii, sources: loaded.sources, stderr: io.stderr, modelMap: options.models});
  }

  if (command === 'stuck') {
    const {printStuckRuns} = await import('./printStuck.js');
    const found = printStuckRuns(loaded.runs, target, {
      json: options.json,
      nowSeconds,
      time,
      ascii: options.ascii,
      olderThanSeconds: options.olderThanSeconds,
      includeStalled: options.includeStalled,
      query: queryFrom(options),
      limit: options.limit,
    });
    return options.exitStatus && found > 0 ? EXIT_STUCK : EXIT_OK;
  }

  if (command === 'stats') {
    const {printStats} = await import('./printStats.js');
    printStats(selectRuns(loaded.runs, queryFrom(options), nowSeconds, options.models), target, {json: options.json, nowSeconds, ascii: options.ascii, time, ...(options.models ? {stats: {modelMap: options.models}} : {})});
    return EXIT_OK;
  }

  // The same order rule as the streaming path: JSON and TSV in the order read unless --sort is given.
  const query = queryFrom(options);
  let runs = listsInReadOrder(options, target.isTerminal) ? filterRuns(loaded.runs, query, nowSeconds) : selectRuns(loaded.runs, query, nowSeconds, options.models);
  if (options.limit !== null) runs = runs.slice(0, options.limit);
  printRunList(runs, target, {json: options.json, nowSeconds, time, ascii: options.ascii, rounds: finishedToolRounds(runs, joinItems(loaded)), modelMap: options.models});
  return EXIT_OK;
}
