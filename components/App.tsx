import {Box, Text, useApp, useStdout} from 'ink';
import {useEffect, useLayoutEffect, useMemo, useRef} from 'react';
import type {TimeOptions} from '../src/format/time.js';
import {keyText} from '../src/keys.js';
import {runKind, type Run, type RunKind} from '../src/model/run.js';
import type {SideItemsView} from '../src/model/itemKinds.js';
import type {LoadWarning} from '../src/model/loadWarning.js';
import type {MessagesView, StepsView} from '../src/panes/paneContext.js';
import {fixedSource, type DataSource, type LiveStatus} from '../src/store/feed.js';
import {type FilterPace} from '../src/store/listView.js';
import {shownContentWidths} from '../src/store/runsSummary.js';
import type {ListQuery} from '../src/model/listQuery.js';
import {windowStart} from '../src/store/listWindow.js';
import {createFilterRunner, type RunnerClock} from '../src/store/filterRunner.js';
import {comparedRuns, confirmPrompt, createInitialState, formBody, keyContext, openRun, viewKey} from '../src/store/runStore.js';
import {type Viewport} from '../src/store/storeActions.js';
import {shownScroll} from '../src/store/scroll.js';
import {stepsViewOf} from '../src/store/stepLoader.js';
import {messagesViewOf} from '../src/store/messageLoader.js';
import type {EditText} from '../src/editor/externalEditor.js';
import type {ModelMap} from '../src/model/cost.js';
import {outputReviewLines} from '../src/panes/outputReview.js';
import {wrapLines} from '../src/panes/wrap.js';
import {scrollRows} from '../src/panes/scrollRows.js';
import {overlayEntry, type OverlayData, type ThreadStoryInputs} from '../src/stats/overlays.js';
import type {ToolApproval, ToolOutput, UnstickTarget} from '../src/triage/unstick.js';
import {DisplayContext, type DisplayOptions} from './DisplayContext.js';
import {Footer} from './Footer.js';
import {Header, headerLayout} from './Header.js';
import {paneRows, RunDetail} from './RunDetail.js';
import {RunList} from './RunList.js';
import {usePaneLines} from './usePaneLines.js';
import {useRunInput} from './useRunInput.js';
import {useRunStore, type EffectHandlers} from './useRunStore.js';
import {useTerminalSize} from './useTerminalSize.js';
import {OutputForm} from './OutputForm.js';
import {contentRows, ScrollView} from './ScrollView.js';

// Where live data stands: the type the header and the store share.
export type {LiveStatus} from '../src/store/feed.js';

/** How the app runs, whatever its data comes from. */
export interface AppOptions {
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
  /** Turns watching on or off (the `w` key); absent when the sources cannot be reloaded (stdin). Read once, when the app starts. */
  onToggleWatch?: () => void;
  /** The steps of the open run, as LiveApp has them (API sources); absent: not available. */
  steps?: StepsView;
  /** The messages of the open run's thread, as LiveApp's loader has them (API sources); absent: not read. */
  messages?: MessagesView;
  /** Told which run's steps are on screen (the Steps pane of an open run), or null; LiveApp loads them. */
  onStepsWanted?: (run: Run | null) => void;
  /** Cancel and submit for runs read from an API (`c`, `o`); absent: the keys say why not. Whether there are any is read once, when the app starts. */
  actions?: RunActions;
  /** Opens the external editor for the output form (Ctrl-E); absent: the form says none is available. */
  editText?: EditText;
  /** Writes the run's report (`x`, as `runlens export`) to `file`; resolves to the path written. Absent: `x` says reports are not written here. */
  writeReport?: (run: Run, file: string) => Promise<string>;
  /** Deployment name → model for every cost the app shows (`--model-map`, a profile's `modelMap`); read once, when the app starts. */
  modelMap?: ModelMap;
  /** How much a filter does inside a keystroke's frame and per step after (DEFAULT_FILTER_PACE); tests make it small. Read once. */
  filterPace?: FilterPace;
  /**
   * The run with its body: a run kept small (model/detachedRun.ts) read back from its file, as runTui
   * gives it (src/sources/itemBodies.ts). Called for the open run and for a copy of its Raw JSON;
   * absent: runs are shown as they are.
   */
  readBody?: (run: Run) => Run;
}

/** Everything the TUI shows, loaded before it starts. */
export interface AppProps extends AppOptions {
  runs: readonly Run[];
  /** The items beside the runs (steps, messages), as a load has them. */
  items?: SideItemsView;
  warnings: readonly LoadWarning[];
  sources: readonly string[];
  /** Live data: when it was loaded, why the last refresh failed, whether it is watched. */
  live?: LiveStatus;
}

/** The writes the TUI can make, injected (main.ts): each resolves to the run as the server answered. */
export interface RunActions {
  /** `kind` is the run's (`runKind`): a response is cancelled through the Responses API. */
  cancel: (threadId: string, runId: string, kind: RunKind) => Promise<{status: string}>;
  /** `kind` is the run's (`runKind`): a waiting response is continued through the Responses API. */
  submit: (threadId: string, runId: string, outputs: readonly ToolOutput[], kind: RunKind) => Promise<{status: string}>;
  /** Answers MCP tool approvals (Foundry); absent when the source takes none. */
  submitApprovals?: (threadId: string, runId: string, approvals: readonly ToolApproval[]) => Promise<{status: string}>;
  /** The API root the requests go to, for the review's `POST` line. */
  baseUrl?: string;
  /** Where the API runs came from, for the exact unstick request in the Action pane. */
  unstick?: UnstickTarget;
}

/** The TUI over data read from a source that tells it of changes (LiveApp's feed). */
export interface RunsAppProps extends AppOptions {
  source: DataSource;
  /** The server changed this run (after `c` or `o`): read it again. */
  onReload?: (runId: string) => void;
}

const FOOTER_ROWS = 1;
// One row short of the terminal: a frame as tall as the screen makes Ink clear and redraw
// the whole screen on each update, which flickers and wipes scrollback.
const SPARE_ROWS = 1;

/** Said by `x` in an app given nowhere to write reports. */
export const REPORTS_NEED_A_WRITER = 'Reports are written by the runlens command; this app was started without a place to write them.';

/** The filter runner's clock: slices run after the keys and frames waiting (setImmediate), so input is read between them. */
const BETWEEN_FRAMES: RunnerClock = {
  now: () => performance.now(),
  later: (work) => {
    const handle = setImmediate(work);
    return () => clearImmediate(handle);
  },
};

/** Runs given whole (tests, the benchmark): nothing to read back. */
const asTheyAre = (run: Run) => run;

/** The first line of an error's message, for the footer. */
function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/** The TUI over data given once (tests, the benchmark); LiveApp feeds RunsApp from a RunFeed instead. */
export function App({runs, items, warnings, sources, live, ...options}: AppProps) {
  const source = useMemo(() => fixedSource({...items, runs, warnings, sources, live}), [runs, items, warnings, sources, live]);
  return <RunsApp source={source} {...options} />;
}

/** The TUI: the store, its effects, the layout worked out once per frame, and the views. */
export function RunsApp({source, display, time, now = Date.now, tickMilliseconds = 1000, initialQuery, onToggleWatch, steps, messages, onStepsWanted, actions, editText, writeReport, onReload, clockPinnedAt, modelMap, filterPace, readBody = asTheyAre}: RunsAppProps) {
  const {columns, rows} = useTerminalSize();
  const {exit} = useApp();
  // The editor runs with the app suspended; it has drawn over the screen, so Ink's `write` (which
  // redraws the whole last frame after what it writes) puts the app back before the answer shows.
  const {stdout, write} = useStdout();

  // OSC 52 asks the terminal to put text on the clipboard; terminals that do not support it ignore it.
  const copyText = (text: string) => stdout.write(`\u001b]52;c;${Buffer.from(text).toString('base64')}\u0007`);
  // A filter too big for one frame goes on between frames; one runner per app, stopped when it ends.
  const filterRunner = useMemo(() => createFilterRunner(BETWEEN_FRAMES), []);
  useEffect(() => () => filterRunner.stop(), [filterRunner]);
  // A sort too big for one frame goes on between frames too, beside a filter (a search typed meanwhile filters the order shown).
  const sortRunner = useMemo(() => createFilterRunner(BETWEEN_FRAMES), []);
  useEffect(() => () => sortRunner.stop(), [sortRunner]);
  // Each effect the store returns, run once, after the frame it came with.
  const handlers: EffectHandlers = {
    filter: ({scan}, dispatch) => filterRunner.run(scan, dispatch),
    sort: ({scan}, dispatch) => sortRunner.run(scan, dispatch),
    quit: () => exit(),
    copy: ({text}) => copyText(text),
    copyRunJson: ({run}) => copyText(JSON.stringify(readBody(run).raw, null, 2)),
    // The report is built and written by the handler runlens gives (src/cli); the footer says where, or why not.
    writeReport: ({run, file}, dispatch) => {
      if (!writeReport) {
        dispatch({type: 'flash', message: REPORTS_NEED_A_WRITER});
        return;
      }
      writeReport(run, file).then(
        (written) => dispatch({type: 'flash', message: `Wrote the report of ${run.id} to ${written}`}),
        (error: unknown) => dispatch({type: 'flash', message: `Could not write ${file}: ${firstLine(error)}`}),
      );
    },
    toggleWatch: () => onToggleWatch?.(),
    readSteps: ({run}) => onStepsWanted?.(run),
    reload: ({runId}) => onReload?.(runId),
    runAction: ({action}, dispatch) => {
      if (!actions) return;
      const body = action.body;
      const approvals = body && 'tool_approvals' in body ? body.tool_approvals : null;
      const outputs = body && 'tool_outputs' in body ? body.tool_outputs : [];
      const sent =
        action.kind === 'cancel'
          ? actions.cancel(action.threadId, action.runId, runKind({kind: action.runKind}))
          : approvals
            ? (actions.submitApprovals?.(action.threadId, action.runId, approvals) ?? Promise.reject(new Error('this source takes no tool approvals')))
            : actions.submit(action.threadId, action.runId, outputs, runKind({kind: action.runKind}));
      const count = approvals ? approvals.length : outputs.length;
      const what = action.kind === 'cancel' ? 'Cancel requested' : `Submitted ${count} tool ${approvals ? 'approval' : 'output'}${count === 1 ? '' : 's'}`;
      sent.then(
        (run) => dispatch({type: 'actionDone', message: `${what}: ${action.runId} is now ${run.status}`, runId: action.runId}),
        (error: unknown) => dispatch({type: 'actionDone', message: `${action.kind === 'cancel' ? 'Cancel' : 'Submit'} failed: ${firstLine(error)}`}),
      );
    },
    openEditor: ({text, name}, dispatch) => {
      if (!editText) {
        dispatch({type: 'editorFailed', message: 'No editor here: runlens was started without a terminal to run one on.'});
        return;
      }
      editText(text, name).then(
        (edited) => {
          write('');
          dispatch({type: 'editorDone', text: edited.text, label: edited.label});
        },
        (error: unknown) => {
          write('');
          dispatch({type: 'editorFailed', message: firstLine(error)});
        },
      );
    },
  };
  // The screen as last drawn: it goes with every action.
  const drawn = useRef<Viewport | null>(null);
  const [state, dispatch] = useRunStore(
    source,
    (data) => createInitialState({...data, nowSeconds: Math.floor(now() / 1000), query: initialQuery, canAct: Boolean(actions), canWatch: Boolean(onToggleWatch), ...(modelMap ? {modelMap} : {}), ...(filterPace ? {filterPace} : {})}),
    handlers,
    drawn,
  );

  useEffect(() => {
    if (tickMilliseconds <= 0) return;
    const timer = setInterval(() => dispatch({type: 'tick', nowSeconds: Math.floor(now() / 1000)}), tickMilliseconds);
    return () => clearInterval(timer);
  }, [dispatch, now, tickMilliseconds]);

  // Counts, column widths, tool rounds and the stuck badge are the store's (src/store/runsSummary.ts):
  // measured for the runs a streaming load appends, the badge's clock a few binary searches a tick.
  // Runs are priced only when this terminal leaves the COST column room (pricing loads the price data).
  const {counts, rounds} = state.measures;
  const stuck = state.stuck;
  const width = Math.max(20, columns);
  const columnView = state.query.stuck === 'off' ? 'all' : 'stuck';
  const contentWidths = useMemo(
    () => shownContentWidths(state, width, columnView),
    // The store makes new measures whenever the runs, their steps or the model map change: the rest of the state is left out on purpose.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [state.measures, width, columnView],
  );
  const header = useMemo(() => headerLayout(counts, stuck, width, display.ascii), [counts, stuck, width, display.ascii]);
  const bodyRows = Math.max(3, rows - SPARE_ROWS - header.rows - FOOTER_ROWS);
  // The list's own column header and position line take two rows.
  const pageSize = Math.max(1, bodyRows - 2);

  // The open run with its body (read back from its file when it was kept small; the reader keeps a few).
  const opened = state.mode === 'detail' ? openRun(state) : undefined;
  // Read once per opened run, not on every frame (the clock redraws the pane each second).
  const run = useMemo(() => opened && readBody(opened), [opened, readBody]);
  // The thread view opened from a run shows that run's thread only.
  const openRunForThreads = state.openRunId !== null ? openRun(state) : undefined;
  const threadId = state.previousMode === 'detail' ? openRunForThreads?.threadId ?? undefined : undefined;

  // The threads view opened from a run draws that thread's conversation: its inputs, the items joined to the
  // runs, are handed over only then, so no other overlay is prepared again when steps or messages arrive.
  const story = useMemo<ThreadStoryInputs | undefined>(
    () =>
      state.mode === 'threads' && threadId && openRunForThreads
        ? {
            allRuns: state.runs,
            messages: messagesViewOf(openRunForThreads, state.joined, messages?.threadId === threadId ? messages : undefined),
            stepsOf: (candidate) => stepsViewOf(candidate, state.joined, steps?.runId === candidate.id ? steps : undefined),
          }
        : undefined,
    [state.mode, threadId, openRunForThreads, state.runs, state.joined, steps, messages],
  );
  // An overlay (an entry of the overlay registry) follows the current filter and search; built only while shown.
  const overlay = overlayEntry(state.mode);
  const compared = useMemo(() => comparedRuns(state.compared, state.runs), [state.compared, state.runs]);
  const overlayData = useMemo(
    () => {
      if (!overlay) return null;
      const data: OverlayData = {runs: state.visible, warnings: state.warnings, nowSeconds: state.nowSeconds, time, threadId, compare: compared, modelMap: state.modelMap, story};
      return {data, prepared: overlay.prepare?.(data)};
    },
    // The clock is left out on purpose: an overlay is not rebuilt once a second (the statistics of 100,000 runs).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [overlay, state.visible, state.warnings, time, threadId, compared, state.modelMap, story],
  );
  const overlayLines = useMemo(() => {
    if (!overlay || !overlayData) return null;
    const content = overlay.build(overlayData.prepared, overlayData.data, {width, ascii: display.ascii});
    return scrollRows(content, width);
  }, [overlay, overlayData, width, display.ascii]);

  const form = state.outputForm;
  const reviewLines = useMemo(
    () => {
      if (form?.stage !== 'review') return null;
      const response = state.runs.find((candidate) => candidate.id === form.runId && candidate.kind === 'response');
      return wrapLines(
        outputReviewLines({
          runId: form.runId,
          threadId: form.threadId,
          body: formBody(form),
          ...(actions?.baseUrl ? {baseUrl: actions.baseUrl} : {}),
          ...(actions?.unstick ? {target: actions.unstick} : {}),
          ...(response ? {response} : {}),
        }),
        width,
      );
    },
    [form, actions?.baseUrl, actions?.unstick, width, state.runs],
  );
  const shownSteps = run ? stepsViewOf(run, state.joined, steps) : undefined;
  const shownMessages = run ? messagesViewOf(run, state.joined, messages?.threadId === run.threadId ? messages : undefined) : undefined;
  const detailLines = usePaneLines(run, state.pane, {width, nowSeconds: state.nowSeconds, time, ascii: display.ascii, steps: shownSteps, messages: shownMessages, unstick: actions?.unstick, modelMap: state.modelMap});

  // What the body shows; a view that scrolls gets its rows worked out here, and its size goes with each action.
  const view = reviewLines ? 'review' : form ? 'form' : overlayLines ? 'overlay' : run ? 'detail' : 'list';
  const scrolled =
    view === 'review' ? {lines: reviewLines!, height: bodyRows}
    : view === 'overlay' ? {lines: overlayLines!, height: bodyRows}
    : view === 'detail' ? {lines: detailLines, height: paneRows(bodyRows)}
    : null;
  const scroll = scrolled ? shownScroll(state, scrolled.lines.length, contentRows(scrolled.height)) : 0;
  const viewport: Viewport = {
    pageSize,
    scroll: scrolled ? {view: viewKey(state), lines: scrolled.lines.length, height: contentRows(scrolled.height)} : null,
  };
  useLayoutEffect(() => {
    drawn.current = viewport;
  });
  useRunInput(dispatch);

  let body;
  if (view === 'form' && form) {
    body = <OutputForm form={form} width={width} height={bodyRows} />;
  } else if (view === 'detail' && run) {
    body = <RunDetail run={run} pane={state.pane} lines={detailLines} scroll={scroll} width={width} height={bodyRows} {...(shownSteps ? {steps: shownSteps} : {})} />;
  } else if (scrolled) {
    body = <ScrollView lines={scrolled.lines} scroll={scroll} height={scrolled.height} />;
  } else if (state.visible.length === 0 && state.filtering) {
    body = (
      <Box flexDirection="column" height={bodyRows}>
        <Text>Searching… {Math.floor(state.filtering.fraction * 100)}%</Text>
        <Text dimColor>No match among the first runs; the rest are being read.</Text>
      </Box>
    );
  } else if (state.visible.length === 0) {
    const loading = Boolean(state.live?.loading);
    body = (
      <Box flexDirection="column" height={bodyRows}>
        <Text>{state.runs.length === 0 ? (loading ? 'Loading runs…' : 'No runs loaded.') : 'No runs match the current filter.'}</Text>
        <Text dimColor>
          {state.runs.length === 0
            ? loading
              ? `${keyText('quit')} stops.`
              : `Press ${keyText('warnings')} to see why.`
            : `${keyText('clearFilters')} clears the search and filters.`}
        </Text>
      </Box>
    );
  } else {
    body = (
      <RunList
        runs={state.visible}
        cursor={state.cursor}
        // A terminal resized since the last action: the window the store keeps once the next action brings the new size.
        offset={windowStart(state.cursor, state.offset, pageSize, state.visible.length)}
        height={pageSize}
        width={width}
        nowSeconds={state.nowSeconds}
        contentWidths={contentWidths}
        view={columnView}
        rounds={rounds}
        marked={state.markedRunId}
        modelMap={state.modelMap}
        searching={state.filtering?.fraction}
      />
    );
  }

  return (
    <DisplayContext.Provider value={display}>
      <Box flexDirection="column" width={width}>
        <Header
          sources={state.sources}
          total={state.runs.length}
          shown={state.visible.length}
          layout={header}
          warnings={state.warnings.length}
          query={state.query}
          live={state.live}
          time={time}
          width={width}
          {...(clockPinnedAt !== undefined ? {clockPinnedAt} : {})}
          searching={state.filtering?.fraction}
          {...(state.sorting ? {sorting: {sort: state.sorting.scan.sort, descending: state.sorting.scan.descending, fraction: state.sorting.fraction}} : {})}
        />
        {body}
        <Footer context={keyContext(state)} searching={state.searching} search={state.query.search} flash={state.confirm ? confirmPrompt(state.confirm) : state.flash} width={width} />
      </Box>
    </DisplayContext.Provider>
  );
}
