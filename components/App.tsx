import {Box, Text, useStdout} from 'ink';
import {useCallback, useEffect, useMemo, useReducer} from 'react';
import type {TimeOptions} from '../src/format/time.js';
import {isActiveStatus, type Run} from '../src/model/run.js';
import type {LoadWarning} from '../src/sources/parseRunText.js';
import type {StepsView} from '../src/panes/paneContext.js';
import {countByStatus, type ListQuery} from '../src/store/listView.js';
import {measureContent} from '../src/format/runColumns.js';
import {statusCountLines} from '../src/format/statusCounts.js';
import {confirmPrompt, createInitialState, keyContext, openRun, outputFormBody, runStoreReducer} from '../src/store/runStore.js';
import type {EditText} from '../src/editor/externalEditor.js';
import {outputReviewLines} from '../src/panes/outputReview.js';
import {wrapLines} from '../src/panes/wrap.js';
import {formatStuckBadge, summarizeStuck} from '../src/triage/stuck.js';
import type {ToolOutput} from '../src/triage/unstick.js';
import {DisplayContext, type DisplayOptions} from './DisplayContext.js';
import type {LiveStatus} from './Header.js';
import {Footer} from './Footer.js';
import {Header} from './Header.js';
import {HelpView} from './HelpView.js';
import {RunDetail} from './RunDetail.js';
import {RunList} from './RunList.js';
import {useRunInput} from './useRunInput.js';
import {useTerminalSize} from './useTerminalSize.js';
import {WarningsView} from './WarningsView.js';
import {OutputForm} from './OutputForm.js';
import {ScrolledLinesView} from './ScrolledLinesView.js';
import {paneLines} from './paneLines.js';
import {computeRunStats} from '../src/stats/runStats.js';
import {buildStatsPane, statsOptionsFor} from '../src/stats/statsPane.js';
import {threadsPane} from '../src/stats/threads.js';

/** Everything the TUI shows, loaded before it starts. */
export interface AppProps {
  runs: readonly Run[];
  warnings: readonly LoadWarning[];
  sources: readonly string[];
  display: DisplayOptions;
  time: TimeOptions;
  /** The clock in milliseconds; injected so tests are deterministic. */
  now?: () => number;
  /** The instant `--now` set the clock to (Unix ms), which the header names. */
  clockPinnedAt?: number;
  /** How often countdowns tick; 0 turns the clock off (tests). */
  tickMilliseconds?: number;
  /** Filters from the command line. */
  initialQuery?: Partial<ListQuery>;
  /** Live data: when it was loaded, why the last refresh failed, whether it is watched. */
  live?: LiveStatus;
  /** Turns watching on or off (the `w` key); absent when the sources cannot be reloaded (stdin). */
  onToggleWatch?: () => void;
  /** The steps of the open run, as LiveApp has them (API sources); absent: not available. */
  steps?: StepsView;
  /** Told which run's steps are on screen (the Steps pane of an open run), or null; LiveApp loads them. */
  onStepsWanted?: (run: Run | null) => void;
  /** Cancel and submit for runs read from an API (`c`, `o`); absent: the keys say why not. */
  actions?: RunActions;
  /** Opens the external editor for the output form (Ctrl-E); absent: the form says none is available. */
  editText?: EditText;
}

/** The writes the TUI can make, injected (main.ts): each resolves to the run as the server answered. */
export interface RunActions {
  cancel: (threadId: string, runId: string) => Promise<{status: string}>;
  submit: (threadId: string, runId: string, outputs: readonly ToolOutput[]) => Promise<{status: string}>;
  /** The API root the requests go to, for the review's `POST` line. */
  baseUrl?: string;
}

const FOOTER_ROWS = 1;
// One row short of the terminal: a frame as tall as the screen makes Ink clear and redraw
// the whole screen on each update, which flickers and wipes scrollback.
const SPARE_ROWS = 1;

export function App({runs, warnings, sources, display, time, now = Date.now, clockPinnedAt, tickMilliseconds = 1000, initialQuery, live, onToggleWatch, steps, onStepsWanted, actions, editText}: AppProps) {
  const {columns, rows} = useTerminalSize();
  const [state, dispatch] = useReducer(runStoreReducer, undefined, () =>
    ({...createInitialState({runs, nowSeconds: Math.floor(now() / 1000), query: initialQuery}), loadingRuns: Boolean(live?.loading)}),
  );
  useRunInput(state, dispatch);

  useEffect(() => {
    if (tickMilliseconds <= 0) return;
    const timer = setInterval(() => dispatch({type: 'tick', nowSeconds: Math.floor(now() / 1000)}), tickMilliseconds);
    return () => clearInterval(timer);
  }, [now, tickMilliseconds]);

  useEffect(() => {
    if (runs !== state.runs) dispatch({type: 'setRuns', runs, loading: Boolean(live?.loading)});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runs]);

  const counts = useMemo(() => countByStatus(state.runs), [state.runs]);
  const contentWidths = useMemo(() => measureContent(state.runs), [state.runs]);
  // Only unfinished runs can be stuck: filter them once per data change, not on every clock tick.
  const activeRuns = useMemo(() => state.runs.filter((candidate) => isActiveStatus(candidate.status)), [state.runs]);
  const stuck = useMemo(() => summarizeStuck(activeRuns, state.nowSeconds), [activeRuns, state.nowSeconds]);
  const width = Math.max(20, columns);
  const headerRows = 2 + statusCountLines(counts, width, display.ascii).length + (formatStuckBadge(stuck) ? 1 : 0);
  const bodyRows = Math.max(3, rows - SPARE_ROWS - headerRows - FOOTER_ROWS);
  // The list's own column header and position line take two rows.
  const pageSize = Math.max(1, bodyRows - 2);
  useEffect(() => {
    if (pageSize !== state.pageSize) dispatch({type: 'resize', pageSize});
  }, [pageSize, state.pageSize]);

  useEffect(() => {
    if (state.watchToggles === 0) return;
    if (onToggleWatch) onToggleWatch();
    else dispatch({type: 'flash', message: 'Watching needs sources that can be read again (files, URLs, --thread); stdin cannot.'});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.watchToggles]);

  useEffect(() => {
    dispatch({type: 'setCanAct', canAct: Boolean(actions)});
  }, [actions]);

  // Side effects stay out of the reducer: it records the confirmed action, this sends it once.
  useEffect(() => {
    const request = state.actionRequest;
    if (!request || !actions) return;
    const sent =
      request.kind === 'cancel'
        ? actions.cancel(request.threadId, request.runId)
        : actions.submit(request.threadId, request.runId, request.body?.tool_outputs ?? []);
    const count = request.body?.tool_outputs.length ?? 0;
    const what = request.kind === 'cancel' ? 'Cancel requested' : `Submitted ${count} tool output${count === 1 ? '' : 's'}`;
    sent.then(
      (run) => dispatch({type: 'actionDone', message: `${what}: ${request.runId} is now ${run.status}`}),
      (error: unknown) =>
        dispatch({type: 'actionDone', message: `${request.kind === 'cancel' ? 'Cancel' : 'Submit'} failed: ${error instanceof Error ? error.message.split('\n')[0]! : String(error)}`}),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.actionRequest?.sequence]);

  // The editor runs with the app suspended; it has drawn over the screen, so Ink's `write` (which
  // redraws the whole last frame after what it writes) puts the app back before the answer shows.
  const {stdout, write} = useStdout();
  useEffect(() => {
    const request = state.editorRequest;
    if (!request) return;
    if (!editText) {
      dispatch({type: 'editorFailed', message: 'No editor here: runlens was started without a terminal to run one on.'});
      return;
    }
    editText(request.text, request.name).then(
      (edited) => {
        write('');
        dispatch({type: 'editorDone', text: edited.text, label: edited.label});
      },
      (error: unknown) => {
        write('');
        dispatch({type: 'editorFailed', message: error instanceof Error ? error.message.split('\n')[0]! : String(error)});
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.editorRequest?.sequence]);

  // OSC 52 asks the terminal to put text on the clipboard; terminals that do not support it ignore it.
  useEffect(() => {
    if (state.clipboard) stdout.write(`\u001b]52;c;${Buffer.from(state.clipboard.text).toString('base64')}\u0007`);
  }, [state.clipboard, stdout]);

  const onMetrics = useCallback((lines: number, height: number) => dispatch({type: 'scrollMetrics', lines, height}), []);
  const run = state.mode === 'detail' ? openRun(state) : undefined;
  const stepsRun = run && state.pane === 'steps' ? run : null;
  useEffect(() => {
    onStepsWanted?.(stepsRun);
  }, [stepsRun, onStepsWanted]);
  // The thread view opened from a run shows that run's thread only.
  const openRunForThreads = state.openRunId !== null ? openRun(state) : undefined;

  // Statistics and threads follow the current filter and search; computed only while shown.
  const showing = state.mode;
  const stats = useMemo(
    () => (showing === 'stats' ? computeRunStats(state.visible, state.nowSeconds, statsOptionsFor({nowSeconds: state.nowSeconds, time})) : null),
    // The clock is left out on purpose: recomputing 100,000 runs every second is not worth a ticking "locked for".
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [showing, state.visible, time],
  );
  const overlayLines = useMemo(() => {
    if (showing === 'stats' && stats) return paneLines(buildStatsPane(stats, {width, nowSeconds: state.nowSeconds, ascii: display.ascii, time}), width);
    if (showing === 'threads') {
      const threadId = state.previousMode === 'detail' ? openRunForThreads?.threadId ?? undefined : undefined;
      return paneLines(threadsPane(state.visible, {width, nowSeconds: state.nowSeconds, ascii: display.ascii, ...(threadId ? {threadId} : {})}), width);
    }
    return null;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [showing, stats, state.visible, width, display.ascii, time]);

  const form = state.outputForm;
  const reviewLines = useMemo(
    () => (form?.stage === 'review' ? wrapLines(outputReviewLines({runId: form.runId, threadId: form.threadId, body: outputFormBody(form), ...(actions?.baseUrl ? {baseUrl: actions.baseUrl} : {})}), width) : null),
    [form, actions?.baseUrl, width],
  );

  let body;
  if (reviewLines) {
    body = <ScrolledLinesView lines={reviewLines} height={bodyRows} scroll={state.scroll} onMetrics={onMetrics} />;
  } else if (form) {
    body = <OutputForm form={form} width={width} height={bodyRows} />;
  } else if (overlayLines) {
    body = <ScrolledLinesView lines={overlayLines} height={bodyRows} scroll={state.scroll} onMetrics={onMetrics} />;
  } else if (state.mode === 'help') {
    body = <HelpView width={width} height={bodyRows} scroll={state.scroll} onMetrics={onMetrics} />;
  } else if (state.mode === 'warnings') {
    body = <WarningsView warnings={warnings} width={width} height={bodyRows} scroll={state.scroll} onMetrics={onMetrics} />;
  } else if (run) {
    body = (
      <RunDetail
        run={run}
        pane={state.pane}
        scroll={state.scroll}
        width={width}
        height={bodyRows}
        nowSeconds={state.nowSeconds}
        time={time}
        onMetrics={onMetrics}
        {...(steps ? {steps} : {})}
      />
    );
  } else if (state.visible.length === 0) {
    body = (
      <Box flexDirection="column" height={bodyRows}>
        <Text>{state.runs.length === 0 ? (live?.loading ? 'Loading runs…' : 'No runs loaded.') : 'No runs match the current filter.'}</Text>
        <Text dimColor>{state.runs.length === 0 ? (live?.loading ? 'q stops.' : 'Press W to see why.') : 'Esc clears the search and filters.'}</Text>
      </Box>
    );
  } else {
    body = (
      <RunList
        runs={state.visible}
        cursor={state.cursor}
        offset={state.offset}
        height={pageSize}
        width={width}
        nowSeconds={state.nowSeconds}
        contentWidths={contentWidths}
        view={state.query.stuck === 'off' ? 'all' : 'stuck'}
      />
    );
  }

  return (
    <DisplayContext.Provider value={display}>
      <Box flexDirection="column" width={width}>
        <Header
          sources={sources}
          total={state.runs.length}
          shown={state.visible.length}
          counts={counts}
          warnings={warnings.length}
          query={state.query}
          stuck={stuck}
          live={live}
          time={time}
          width={width}
          {...(clockPinnedAt !== undefined ? {clockPinnedAt} : {})}
        />
        {body}
        <Footer context={keyContext(state)} searching={state.searching} search={state.query.search} flash={state.confirm ? confirmPrompt(state.confirm) : state.flash} width={width} />
      </Box>
    </DisplayContext.Provider>
  );
}
