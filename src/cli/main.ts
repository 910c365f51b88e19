import {openSync} from 'node:fs';
import {createRequire} from 'node:module';
import {ReadStream} from 'node:tty';
import type {Readable, Writable} from 'node:stream';
import {formatWarning} from '../sources/parseRunText.js';
import {loadRunsFromSources, type LoadedRuns} from '../sources/loadSources.js';
import {wantsApiSource} from '../sources/api/cliFlags.js';
import {loadCliSources, resolveCliApiRequest, type CliLoad} from './loadCliSources.js';
import {StepLoader} from '../sources/stepLoader.js';
import type {AssistantsApi} from '../sources/api/loadRunsFromApi.js';
import {RunFeed} from '../sources/runFeed.js';
import {createEditorLauncher, interruptBelongsToEditor} from '../editor/externalEditor.js';
import {isUrlSource} from '../sources/sourceKind.js';
import {DEFAULT_QUERY, filterRuns, selectRuns, SORT_DESCENDING_BY_DEFAULT, type ListQuery} from '../store/listView.js';
import {DEFAULT_WATCH_SECONDS, EXIT_FAILURE, EXIT_OK, EXIT_STUCK, EXIT_USAGE, modelHint, parseCli, USAGE, UsageError, type CliOptions} from './args.js';
import {printRunList} from './printRuns.js';
import {listsInReadOrder, streamRunList} from './streamRunList.js';
import {printStuckRuns} from './printStuck.js';
import {printStats} from './printStats.js';
import {safeJson} from '../format/ansi.js';
import {safeInline, safeMultiline} from '../format/sanitize.js';

/** The process facts the CLI reads, injected so tests drive it without a real terminal. */
export interface CliIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  stdin: Readable & {isTTY?: boolean};
  stdout: Writable & {isTTY?: boolean; columns?: number};
  stderr: Writable;
  now: () => number;
}

// esbuild inlines package.json's version at build time (see build.mjs); tests run the source.
declare const __RUNLENS_VERSION__: string | undefined;
const VERSION = typeof __RUNLENS_VERSION__ === 'string' ? __RUNLENS_VERSION__ : (createRequire(import.meta.url)('../../package.json') as {version: string}).version;

/** NO_COLOR (any non-empty value), --no-color, TERM=dumb and pipes turn colour off; --color forces it. */
export function colorEnabled(options: CliOptions, io: CliIo): boolean {
  if (options.color !== null) return options.color;
  if (io.env['NO_COLOR']) return false;
  if (io.env['FORCE_COLOR'] !== undefined) return io.env['FORCE_COLOR'] !== '0';
  if (io.env['TERM'] === 'dumb') return false;
  return Boolean(io.stdout.isTTY);
}

/**
 * Whether the locale says the terminal cannot show Unicode (`LANG=C`, `POSIX`, `en_US.ISO-8859-1`):
 * then glyphs, bars and box lines fall back to ASCII as with `--ascii`. No locale at all is taken
 * as Unicode, as nearly every terminal is today.
 */
export function localeLacksUnicode(env: NodeJS.ProcessEnv): boolean {
  const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'];
  return Boolean(locale) && !/utf-?8/i.test(locale!);
}

/** `RUNLENS_NOW` (Unix seconds or an ISO date) pins the clock, for reproducible screenshots and tests. */
export function clockFrom(io: CliIo): () => number {
  const pinned = io.env['RUNLENS_NOW'];
  if (!pinned) return io.now;
  const value = /^\d+(\.\d+)?$/.test(pinned) ? Number(pinned) * 1000 : Date.parse(pinned);
  if (Number.isNaN(value)) throw new UsageError(`RUNLENS_NOW must be Unix seconds or an ISO date, not '${pinned}'`);
  return () => value;
}

export function queryFrom(options: CliOptions): ListQuery {
  const sort = options.sort ?? DEFAULT_QUERY.sort;
  const descending = SORT_DESCENDING_BY_DEFAULT[sort] !== options.reverse;
  return {
    ...DEFAULT_QUERY,
    statuses: options.statuses,
    model: options.model,
    search: options.search ?? '',
    sort,
    descending,
  };
}

function defaultSources(options: CliOptions, io: CliIo): string[] {
  if (options.sources.length > 0) return options.sources;
  if (wantsApiSource(options.api)) return [];
  // Data piped in with no source named: read it, as `jq` does.
  if (!io.stdin.isTTY) return ['-'];
  throw new UsageError('no source given: name a run file, a folder, a URL, - (stdin), or --thread ID');
}

function reportWarnings(loaded: LoadedRuns, io: CliIo): void {
  for (const warning of loaded.warnings) io.stderr.write(`runlens: ${safeInline(formatWarning(warning))}\n`);
}

/** Opens the controlling terminal for keys when stdin carries data (`cat runs.json | runlens -`). */
function keyboardInput(io: CliIo): NodeJS.ReadStream | undefined {
  if (io.stdin.isTTY) return io.stdin as NodeJS.ReadStream;
  try {
    return new ReadStream(openSync('/dev/tty', 'r')) as unknown as NodeJS.ReadStream;
  } catch {
    return undefined;
  }
}

/** The API session the Steps pane and the actions go through, when the runs came from an API (--thread, --profile). */
async function apiSession(options: CliOptions, loaded: CliLoad, io: CliIo): Promise<AssistantsApi | null> {
  if (!loaded.connection || !wantsApiSource(options.api)) return null;
  try {
    const {createAssistantsApi} = await import('../sources/api/loadRunsFromApi.js');
    return createAssistantsApi((await resolveCliApiRequest(options, io)).request.connection, io.env);
  } catch {
    return null;
  }
}

/** What the TUI starts with: everything loaded already (API, URLs), or files still to be read while it shows them. */
type TuiStart = {loaded: CliLoad} | {streamFiles: true};

async function runTui(options: CliOptions, start: TuiStart, io: CliIo, color: boolean, sources: readonly string[]): Promise<number> {
  const stdin = keyboardInput(io);
  if (!stdin) {
    io.stderr.write('runlens: no terminal to read keys from; use `runlens list` to print instead\n');
    return EXIT_FAILURE;
  }
  // Files are read as the UI shows them: the first rows show after the first piece of the file
  // instead of after all of it.
  const streaming = 'streamFiles' in start;
  const abort = new AbortController();
  const initial: LoadedRuns = streaming ? {runs: [], warnings: [], sources: [...sources], files: []} : start.loaded;
  // stdin cannot be read twice, so a session with `-` cannot reload.
  const canWatch = !sources.includes('-');
  const feed = new RunFeed(initial, {
    // The first load read everything; each refresh polls an API for what can change (files and URLs are read again).
    load: (current) => loadCliSources(options, sources, io, current.runs, {detachRuns: true}),
    now: io.now,
    watchSeconds: options.watchSeconds ?? DEFAULT_WATCH_SECONDS,
    watching: canWatch && options.watchSeconds !== null,
    files: sources.filter((source) => !isUrlSource(source) && source !== '-'),
    remote: sources.some(isUrlSource) || wantsApiSource(options.api),
  });
  // The first piece of the files is read and parsed while Ink and React load; the rest waits for
  // the first frame. Read on meanwhile, each piece parsed stood between the import's steps, and
  // the first frame came after a dozen pieces (0.8 s) instead of one.
  let uiDrawn = () => {};
  const uiReady = new Promise<void>((resolve) => (uiDrawn = resolve));
  const firstLoad = streaming
    ? feed.stream((onProgress) =>
        loadRunsFromSources(sources, {
          stdin: io.stdin,
          onProgress: (progress, partial) => {
            onProgress(progress, partial);
            return uiReady;
          },
          signal: abort.signal,
          detachRuns: true,
        }),
      )
    : null;
  // Ink and React load only here, in a chunk of their own: print mode never pays for them.
  const [{render}, {liveAppElement}] = await Promise.all([import('ink'), import('../../components/LiveApp.js')]);
  const api = streaming ? null : await apiSession(options, start.loaded, io);
  const steps = new StepLoader(api ? (run) => api.loadRunSteps(run.threadId ?? '', run.id) : null);
  const actions = api
    ? {
        cancel: (threadId: string, runId: string) => api.cancelRun(threadId, runId),
        submit: (threadId: string, runId: string, outputs: ReadonlyArray<{tool_call_id: string; output: string}>) => api.submitToolOutputs(threadId, runId, outputs),
        baseUrl: api.connection.baseUrl,
      }
    : undefined;
  const stdout = io.stdout as NodeJS.WriteStream;
  // The output form's editor runs on the terminal the keys come from.
  const editText = createEditorLauncher({env: io.env, stdin, stdout});
  // The alternate screen keeps the user's scrollback as it was once runlens quits.
  // Enter the alternate screen, clear it and start at the top: some terminals keep the cursor row.
  stdout.write('\u001b[?1049h\u001b[2J\u001b[H');
  const restore = () => stdout.write('\u001b[?1049l\u001b[?25h');
  let nothingLoaded: LoadedRuns | null = null;
  try {
    const instance = render(
      liveAppElement({
        feed,
        canWatch,
        steps,
        ...(actions ? {actions} : {}),
        editText,
        display: {color, ascii: options.ascii},
        time: {utc: options.utc},
        now: clockFrom(io),
        initialQuery: queryFrom(options),
      }),
      {stdout, stdin, stderr: io.stderr as NodeJS.WriteStream, patchConsole: true},
    );
    uiDrawn();
    // A load that ends with no run at all leaves the screen and says why, as print mode does.
    void firstLoad?.then((loaded) => {
      if (loaded.runs.length > 0 || abort.signal.aborted) return;
      nothingLoaded = loaded;
      instance.unmount();
    });
    await instance.waitUntilExit();
  } finally {
    // Quitting while the files load stops reading them.
    abort.abort();
    feed.stop();
    restore();
    if (stdin !== io.stdin) stdin.destroy();
  }
  if (nothingLoaded) return reportNothingLoaded(nothingLoaded, io);
  return EXIT_OK;
}

function reportNothingLoaded(loaded: LoadedRuns, io: CliIo): number {
  reportWarnings(loaded, io);
  io.stderr.write(`runlens: no runs could be loaded from ${loaded.sources.map(safeInline).join(', ') || 'the sources given'}\n`);
  return EXIT_FAILURE;
}

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
    if (error instanceof UsageError) {
      io.stderr.write(`runlens: ${error.message}\nRun 'runlens --help' for usage.\n`);
      return EXIT_USAGE;
    }
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
  let sources: string[];
  let now: () => number;
  try {
    sources = defaultSources(options, io);
    now = clockFrom(io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`runlens: ${error.message}\nRun 'runlens --help' for usage.\n`);
      return EXIT_USAGE;
    }
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
    if (error instanceof UsageError) {
      io.stderr.write(`runlens: ${error.message}\nRun 'runlens --help' for usage.\n`);
      return EXIT_USAGE;
    }
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
  const hint = command === 'show' ? null : modelHint(options.model, loaded.runs.map((run) => run.model));
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
    const {runAsText} = await import('../../components/printRun.js');
    io.stdout.write(runAsText(run, {nowSeconds, time, ascii: options.ascii}, {width: target.isTerminal ? target.columns : 100, color}));
    return EXIT_OK;
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
    printStats(selectRuns(loaded.runs, queryFrom(options), nowSeconds), target, {json: options.json, nowSeconds, ascii: options.ascii, time});
    return EXIT_OK;
  }

  // The same order rule as the streaming path: JSON and TSV in the order read unless --sort is given.
  const query = queryFrom(options);
  let runs = listsInReadOrder(options, target.isTerminal) ? filterRuns(loaded.runs, query, nowSeconds) : selectRuns(loaded.runs, query, nowSeconds);
  if (options.limit !== null) runs = runs.slice(0, options.limit);
  printRunList(runs, target, {json: options.json, nowSeconds, time, ascii: options.ascii});
  return EXIT_OK;
}

/**
 * Text with the value of every variable named like a secret (`*KEY*`, `*TOKEN*`, `*SECRET*`,
 * `*PASSWORD*`) replaced by `***`: an error's message or stack can quote a header or a URL.
 */
export function hideSecrets(text: string, env: NodeJS.ProcessEnv): string {
  let hidden = text;
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 8 && /KEY|TOKEN|SECRET|PASSWORD/i.test(name)) hidden = hidden.split(value).join('***');
  }
  return hidden;
}

/** Writes to a stream and resolves once it is flushed, so exit codes never cut output short. */
function flush(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0) resolve();
    else stream.once('drain', () => resolve());
  });
}

async function main(): Promise<void> {
  const debug = process.argv.includes('--debug');
  const fail = (error: unknown) => {
    // Leave the alternate screen and show the cursor whatever happened.
    if (process.stdout.isTTY) process.stdout.write('\u001b[?1049l\u001b[?25h');
    const message = hideSecrets(error instanceof Error ? error.message : String(error), process.env);
    // An error of the system (ENOSPC, EIO) is the reason itself; anything else is a bug of ours.
    const systemError = typeof (error as NodeJS.ErrnoException | null)?.code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
    process.stderr.write(`runlens: ${systemError ? '' : 'internal error: '}${safeInline(message)}${debug ? '' : ' (--debug shows more)'}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${safeMultiline(hideSecrets(error.stack, process.env))}\n`);
    process.exit(EXIT_FAILURE);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  const signalNumbers = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15} as const;
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    // Ctrl-C in the TUI is a key (raw mode); these are signals sent by kill or a closing terminal.
    process.on(signal, () => {
      // Ctrl-C meant for the output form's editor (the terminal was in its normal mode) is not for runlens.
      if (signal === 'SIGINT' && interruptBelongsToEditor()) return;
      if (process.stdout.isTTY) process.stdout.write('\u001b[?1049l\u001b[?25h');
      if (process.stdin.isTTY) process.stdin.setRawMode?.(false);
      process.stderr.write(`runlens: stopped by ${signal}\n`);
      process.exit(128 + signalNumbers[signal]);
    });
  }
  // A closed pipe (`runlens list | head`) is a normal end, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_OK);
    fail(error);
  });
  const code = await runCli({
    argv: process.argv.slice(2),
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    now: Date.now,
  });
  await flush(process.stdout);
  // A failed write (a full disk: `runlens list > /dev/full`) is reported a tick later; wait for it
  // rather than exit 0 with the output lost.
  await new Promise((resolve) => setImmediate(resolve));
  process.exit(code);
}

// Run only as the program, not when a test imports runCli.
const invokedAs = process.argv[1] ?? '';
if (/runlens(\.js)?$|main\.ts$/.test(invokedAs)) void main();
