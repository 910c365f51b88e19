/**
 * `runCli`: the command line, dispatched. Profile and config commands, usage and version, the
 * writes (`submit`, `cancel`), the TUI, and print mode (`list`, `show`, `stuck`, `stats`), each
 * with its exit code. The process around it (signals, uncaught errors, the exit) is bin.ts.
 */
import {createRequire} from 'node:module';
import {safeInline, safeJson} from '../format/sanitize.js';
import {parseModelMap} from '../model/cost.js';
import {wantsApiSource} from '../sources/api/cliFlags.js';
import {isUrlSource} from '../sources/sourceKind.js';
import {joinItems} from '../model/itemKinds.js';
import {filterRuns, selectRuns} from '../store/listView.js';
import {unstickTargetOf} from '../triage/unstick.js';
import {finishedToolRounds, stepsViewOf} from '../store/stepLoader.js';
import {messagesViewOf} from '../store/messageLoader.js';
import {EXIT_FAILURE, EXIT_OK, EXIT_STUCK, modelHint, parseCli, queryFrom, USAGE, UsageError, type CliOptions} from './args.js';
import {clockFrom, colorEnabled, localeLacksUnicode, reportNothingLoaded, reportUsageError, reportWarnings, type CliIo} from './cliIo.js';
import {apiSession, loadCliSources, type CliLoad} from './loadCliSources.js';
import {itemsOfRun, itemsOfThread, type SideItems} from '../model/itemKinds.js';
import type {Run} from '../model/run.js';
import {printRunList} from './printRuns.js';
import {printStats} from './printStats.js';
import {printStuckRuns} from './printStuck.js';
import {runTui} from './runTui.js';
import {listsInReadOrder, streamRunList} from './streamRunList.js';

// esbuild inlines package.json's version at build time (see build.mjs); tests run the source.
declare const __RUNLENS_VERSION__: string | undefined;
const VERSION = typeof __RUNLENS_VERSION__ === 'string' ? __RUNLENS_VERSION__ : (createRequire(import.meta.url)('../../package.json') as {version: string}).version;

function defaultSources(options: CliOptions, io: CliIo): string[] {
  if (options.sources.length > 0) return options.sources;
  if (wantsApiSource(options.api)) return [];
  // Data piped in with no source named: read it, as `jq` does.
  if (!io.stdin.isTTY) return ['-'];
  throw new UsageError('no source given: name a run file, a folder, a URL, - (stdin), or --thread ID');
}

/**
 * Works out the model map the cost estimates use (into `options.models`, which every printer and the TUI read): the profile's `modelMap` (`--profile`, else the
 * default profile, when a settings file exists), then `--model-map` pairs over it. Returns an
 * exit code when a pair is malformed, else null.
 */
async function applyModelMap(options: CliOptions, io: CliIo): Promise<number | null> {
  const {map, errors} = parseModelMap(options.modelMap);
  if (errors.length > 0) return reportUsageError(new UsageError(`--model-map: ${errors.join('; ')}`), io);
  let fromProfile: Record<string, string> = {};
  if (options.api.profile) {
    try {
      const {Settings, settingsDirFromEnv} = await import('../config/settings.js');
      fromProfile = new Settings({cwd: settingsDirFromEnv(io.env)}).resolveProfile(options.api.profile)?.modelMap ?? {};
    } catch {
      // A profile that cannot be read is reported where the API source reads it; the map stays the flags'.
    }
  }
  options.models = new Map([...Object.entries(fromProfile), ...map]);
  return null;
}

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

/** Runs one command line; the exit code. */
export async function runCli(io: CliIo): Promise<number> {
  const first = io.argv[0];
  if (first === 'profile' || first === 'config') {
    const [{Settings, settingsDirFromEnv}, {runProfileCommand}] = await Promise.all([
      import('../config/settings.js'),
      import('../config/profileCommands.js'),
    ]);
    let settings: InstanceType<typeof Settings>;
    try {
      settings = new Settings({cwd: settingsDirFromEnv(io.env)});
    } catch (error) {
      io.stderr.write(`runlens: ${safeInline(error instanceof Error ? error.message : String(error))}\n`);
      return EXIT_FAILURE;
    }
    return runProfileCommand(io.argv, {stdout: io.stdout, stderr: io.stderr, env: io.env}, settings);
  }
  let options: CliOptions;
  try {
    options = parseCli(io.argv);
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError(error, io);
    throw error;
  }
  if (localeLacksUnicode(io.env)) options.ascii = true;
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (options.version) {
    io.stdout.write(`runlens ${VERSION}\n`);
    return EXIT_OK;
  }
  for (const notice of options.notices) io.stderr.write(`runlens: ${safeInline(notice)}\n`);
  const priced = await applyModelMap(options, io);
  if (priced !== null) return priced;
  // `thread T` without a source reads the thread from the API, as `--thread T` would.
  if (options.command === 'thread' && options.threadId && options.sources.length === 0 && io.stdin.isTTY && !(options.api.threads ?? []).includes(options.threadId)) {
    options.api = {...options.api, threads: [...(options.api.threads ?? []), options.threadId]};
  }
  let sources: string[];
  let now: () => number;
  try {
    sources = defaultSources(options, io);
    now = clockFrom(io, options.now).now;
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError(error, io);
    throw error;
  }

  if (options.command === 'submit' || options.command === 'cancel') {
    const {runAction} = await import('./runActions.js');
    return runAction(options, io);
  }

  // `show RUN_ID --thread T` needs only that run from the API.
  if (options.command === 'show' && options.runId && wantsApiSource(options.api) && !options.api.runId) {
    options.api = {...options.api, runId: options.runId};
  }
  const color = colorEnabled(options, io);
  const command = options.command === 'tui' && !io.stdout.isTTY ? 'list' : options.command;
  // Files (and stdin) open in the TUI at once and fill it as they are read; URLs and the API load first.
  if (command === 'tui' && !sources.some(isUrlSource) && !wantsApiSource(options.api)) {
    return runTui(options, {streamFiles: true}, io, color, sources);
  }
  const nowSeconds = Math.floor(now() / 1000);
  const time = {utc: options.utc};
  const target = {
    write: (text: string) => void io.stdout.write(text),
    isTerminal: Boolean(io.stdout.isTTY),
    color,
    columns: io.stdout.columns || 100,
  };
  // Files and stdin are listed as they are read; URLs and the API take the loading path below.
  if (command === 'list' && !wantsApiSource(options.api) && !sources.some(isUrlSource)) {
    return streamRunList(sources, {options, query: queryFrom(options), nowSeconds, time, target, stdout: io.stdout, stderr: io.stderr, stdin: io.stdin});
  }

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
  if (command === 'tui') return runTui(options, {loaded}, io, color, sources);

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
