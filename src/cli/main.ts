/**
 * `runCli`: the command line, dispatched. Profile and config commands, usage and version, the
 * writes (`submit`, `cancel`), the TUI, and print mode (`list`, `show`, `stuck`, `stats`), each
 * with its exit code. The process around it (signals, uncaught errors, the exit) is bin.ts.
 *
 * Each command's modules are imported when it runs (test/startupGraph.test.ts holds this): print
 * mode's `list` of a file never loads Ink, React or the panes, and `--version` loads no command at
 * all. Loading them all up front cost `runlens --version` ~130 ms of a 210 ms start (issue #16).
 */
import {createRequire} from 'node:module';
import {safeInline} from '../format/sanitize.js';
import {wantsApiSource} from '../sources/api/cliFlags.js';
import {isUrlSource} from '../sources/sourceKind.js';
import {EXIT_FAILURE, EXIT_OK, parseCli, queryFrom, UsageError, type CliOptions} from './args.js';
import {clockFrom, colorEnabled, localeLacksUnicode, reportUsageError, type CliIo} from './cliIo.js';

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
  if (options.modelMap.length === 0 && !options.api.profile) {
    // Nothing to map: the price data's module (a large one) is not loaded for it.
    options.models = new Map();
    return null;
  }
  const {parseModelMap} = await import('../model/cost.js');
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
    const {USAGE} = await import('./usage.js');
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
    const {runTui} = await import('./runTui.js');
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
    const {streamRunList} = await import('./streamRunList.js');
    return streamRunList(sources, {options, query: queryFrom(options), nowSeconds, time, target, stdout: io.stdout, stderr: io.stderr, stdin: io.stdin});
  }

  const {runLoadedCommand} = await import('./printLoaded.js');
  return runLoadedCommand({options, command, sources, nowSeconds, time, target, color}, io);
}
