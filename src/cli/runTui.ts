/**
 * The terminal UI started from the command line: the feed that loads (and reloads) the runs, the
 * steps cache and the actions of an API session, the keyboard and the alternate screen.
 */
import {createEditorLauncher} from '../editor/externalEditor.js';
import type {RunKind} from '../model/run.js';
import type {ResponsesApi} from '../sources/api/responsesApi.js';
import {wantsApiSource} from '../sources/api/cliFlags.js';
import {loadRunsFromSources, type LoadedRuns} from '../sources/loadSources.js';
import {RunFeed} from '../sources/runFeed.js';
import {isUrlSource} from '../sources/sourceKind.js';
import {StepLoader} from '../store/stepLoader.js';
import {MessageLoader} from '../store/messageLoader.js';
import {unstickTargetOf, type ToolApproval, type ToolOutput} from '../triage/unstick.js';
import {DEFAULT_WATCH_SECONDS, EXIT_FAILURE, EXIT_OK, queryFrom, type CliOptions} from './args.js';
import {clockFrom, keyboardInput, reportNothingLoaded, type CliIo} from './cliIo.js';
import {apiSession, loadCliSources, resolveCliApiRequest, type CliLoad} from './loadCliSources.js';
import type {Run} from '../model/run.js';
import {wholeRun} from '../sources/itemBodies.js';

/** The Responses API session for the TUI's actions on responses, or null when none can be made. */
async function responsesSession(options: CliOptions, io: CliIo): Promise<ResponsesApi | null> {
  try {
    const {ResponsesApi} = await import('../sources/api/responsesApi.js');
    return ResponsesApi.create((await resolveCliApiRequest(options, io)).request.connection, io.env);
  } catch {
    return null;
  }
}

/** What the TUI starts with: everything loaded already (API, URLs), or files still to be read while it shows them. */
export type TuiStart = {loaded: CliLoad} | {streamFiles: true};

/** Runs the TUI until it quits; the exit code. */
export async function runTui(options: CliOptions, start: TuiStart, io: CliIo, color: boolean, sources: readonly string[]): Promise<number> {
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
  // A response goes to the Responses API over the same connection: continued, or cancelled when in
  // the background. The app says which by the run's kind, never by the spelling of its id.
  const responses = api && (options.api.responses?.length || options.api.conversations?.length || options.api.allResponses) ? await responsesSession(options, io) : null;
  const messages = new MessageLoader(api ? (threadId) => api.loadThreadMessages(threadId) : null);
  const actions = api
    ? {
        cancel: async (threadId: string, runId: string, kind: RunKind) =>
          responses && kind === 'response' ? (await import('../sources/api/responsesApi.js')).cancelBackgroundResponse(responses, runId) : api.cancelRun(threadId, runId),
        submit: async (threadId: string, runId: string, outputs: readonly ToolOutput[], kind: RunKind) =>
          responses && kind === 'response' ? (await (await import('../sources/api/responsesApi.js')).continueWaitingResponse(responses, runId, outputs)).created : api.submitToolOutputs(threadId, runId, outputs),
        submitApprovals: (threadId: string, runId: string, approvals: readonly ToolApproval[]) => api.submitToolApprovals(threadId, runId, approvals),
        baseUrl: api.connection.baseUrl,
        unstick: unstickTargetOf(api.connection),
      }
    : undefined;
  const stdout = io.stdout as NodeJS.WriteStream;
  // Checked already by runCli, so this does not throw.
  const clock = clockFrom(io, options.now);
  // The output form's editor runs on the terminal the keys come from.
  const editText = createEditorLauncher({env: io.env, stdin, stdout});
  // The alternate screen keeps the user's scrollback as it was once runlens quits.
  // Enter the alternate screen, clear it and start at the top: some terminals keep the cursor row.
  stdout.write('\u001b[?1049h\u001b[2J\u001b[H');
  const restore = () => stdout.write('\u001b[?1049l\u001b[?25h');
  let nothingLoaded: LoadedRuns | null = null;
  let forgetSignal: (() => void) | undefined;
  try {
    const instance = render(
      liveAppElement({
        feed,
        canWatch,
        steps,
        messages,
        ...(actions ? {actions} : {}),
        editText,
        // `x`: the report of panes/exportReport.ts, its conversation from the steps and messages loaded (the files', else the API's), written here.
        writeReport: async (run: Run, file: string) => {
          const {exportStory, writeRunReport} = await import('./printExport.js');
          return writeRunReport(wholeRun(run), file, exportStory(feed.snapshot(), {steps: (one) => steps.view(one), messages: (one) => messages.view(one)}), Math.floor(clock.now() / 1000), options.models);
        },
        display: {color, ascii: options.ascii},
        time: {utc: options.utc},
        now: clock.now,
        ...(clock.pinnedAt !== null ? {clockPinnedAt: clock.pinnedAt} : {}),
        initialQuery: queryFrom(options),
        // Every cost the TUI shows is priced with the map worked out from the profile and --model-map.
        ...(options.models ? {modelMap: options.models} : {}),
        // A run kept small is read back from its file when it is opened or its Raw JSON copied.
        readBody: wholeRun,
      }),
      {stdout, stdin, stderr: io.stderr as NodeJS.WriteStream, patchConsole: true},
    );
    // Ended by a signal, Ink unmounts here, its last frame on the alternate screen; left to the
    // process's exit, it drew that frame onto the user's screen after bin.ts had left this one.
    forgetSignal = io.beforeSignalExit?.(() => instance.unmount());
    uiDrawn();
    // A load that ends with no run at all leaves the screen and says why, as print mode does.
    void firstLoad?.then((loaded) => {
      if (loaded.runs.length > 0 || abort.signal.aborted) return;
      nothingLoaded = loaded;
      instance.unmount();
    });
    await instance.waitUntilExit();
  } finally {
    forgetSignal?.();
    // Quitting while the files load stops reading them.
    abort.abort();
    feed.stop();
    restore();
    if (stdin !== io.stdin) stdin.destroy();
  }
  if (nothingLoaded) return reportNothingLoaded(nothingLoaded, io);
  return EXIT_OK;
}
