/**
 * The views laid over the list or a run (help, load warnings, statistics, threads, two runs compared), as data: one
 * entry each, with the command of the key table that opens it (again: closes it) and how its
 * content is built. The store's view reducer and key input, the help and the TUI read this list;
 * a new overlay is one entry here, its id a context of the key table (src/keys.ts).

 */
import type {Command, KeyContext} from '../keys.js';
import type {TimeOptions} from '../format/time.js';
import type {ModelMap} from '../model/cost.js';
import type {Run} from '../model/run.js';
import type {PaneContent} from '../panes/content.js';
import {compareRuns, comparisonContent, type RunComparison} from '../panes/compare.js';
import {buildThreadConversation, type ThreadStory} from '../panes/conversation.js';
import type {MessagesView, StepsView} from '../panes/paneContext.js';
import {helpPane} from '../panes/helpPane.js';
import {warningsPane} from '../panes/warningsPane.js';
import type {LoadWarning} from '../model/loadWarning.js';
import {computeRunStats} from './runStats.js';
import {buildStatsPane, statsOptionsFor} from './statsPane.js';
import {threadsPane} from './threads.js';

/** What an overlay is built from: the runs shown (filter and search applied), the load's warnings, the clock. */
export interface OverlayData {
  runs: readonly Run[];
  warnings: readonly LoadWarning[];
  nowSeconds: number;
  time: TimeOptions;
  /** Opened from a run: its thread (the threads view shows that thread only). */
  threadId?: string | undefined;
  /** The marked run (A) and the one `=` was pressed on (B), for the compare view. */
  compare?: {a: Run; b: Run} | undefined;
  /** Deployment name → model for the statistics' cost figures; absent: none mapped. */
  modelMap?: ModelMap;
  /** Opened from a run (with `threadId`): what its whole thread's conversation is built from. */
  story?: ThreadStoryInputs | undefined;
}

/**
 * The items joined to the runs, as the threads view needs them for one thread's conversation:
 * every run loaded (filter and search aside: the thread is shown whole), the thread's messages,
 * and each run's steps.
 */
export interface ThreadStoryInputs {
  allRuns: readonly Run[];
  messages: MessagesView | undefined;
  stepsOf: (run: Run) => StepsView | undefined;
}

/** The thread's story picked out of the inputs: once per change of data, not per width or clock tick. */
function threadStoryOf(data: OverlayData): ThreadStory | null {
  if (!data.threadId || !data.story) return null;
  const threadId = data.threadId;
  return {threadId, runs: data.story.allRuns.filter((run) => run.threadId === threadId), messages: data.story.messages, stepsOf: data.story.stepsOf};
}

/** How it is drawn: the width and the glyphs. */
export interface OverlayLayout {
  width: number;
  ascii: boolean;
}

/** One overlay. */
export interface OverlayEntry<Id extends KeyContext = KeyContext> {
  id: Id;
  /** The key table's command that opens it; pressed again, it goes back. */
  command: Command;
  /**
   * The work done once per change of data, not per width or clock tick (the statistics over
   * 100,000 runs); its result is what `build` is given. Absent: `build` is given the data.
   */
  prepare?: (data: OverlayData) => unknown;
  build: (prepared: unknown, data: OverlayData, layout: OverlayLayout) => PaneContent;
}

/** Every overlay. */
export const OVERLAYS = [
  {id: 'help', command: 'help', build: () => helpPane()},
  {id: 'warnings', command: 'warnings', build: (_prepared, data) => warningsPane(data.warnings)},
  {
    id: 'stats',
    command: 'stats',
    // The clock is left out on purpose: recomputing 100,000 runs every second is not worth a ticking "locked for".
    prepare: (data) => computeRunStats(data.runs, data.nowSeconds, statsOptionsFor({nowSeconds: data.nowSeconds, time: data.time, stats: data.modelMap ? {modelMap: data.modelMap} : {}})),
    build: (prepared, data, layout) => buildStatsPane(prepared as ReturnType<typeof computeRunStats>, {...layout, nowSeconds: data.nowSeconds, time: data.time}),
  },
  {
    id: 'threads',
    command: 'threads',
    prepare: threadStoryOf,
    build: (prepared, data, layout) => {
      const summary = threadsPane(data.runs, {...layout, nowSeconds: data.nowSeconds, ...(data.threadId ? {threadId: data.threadId} : {})});
      const story = prepared as ThreadStory | null;
      if (!story) return summary;
      // Opened from a run: its whole thread as one conversation across its runs, below the summary.
      return [...summary, {kind: 'lines', lines: [[]]}, ...buildThreadConversation(story, {nowSeconds: data.nowSeconds, time: data.time, ...layout})];
    },
  },
  {
    id: 'compare',
    command: 'compare',
    // The same comparison `runlens diff` prints, worked out once per pair (not per width or tick).
    prepare: (data) => (data.compare ? compareRuns(data.compare.a, data.compare.b, data.nowSeconds, data.modelMap) : null),
    build: (prepared, _data, layout) => (prepared ? comparisonContent(prepared as RunComparison, layout.width) : [{kind: 'lines', lines: [[{text: 'No runs to compare.', tone: 'dim'}]]}]),
  },
] as const satisfies readonly OverlayEntry[];

/** Views laid over the list or a run; Esc (or their key again) returns to where they were opened. */
export type OverlayMode = (typeof OVERLAYS)[number]['id'];

/** The overlay of a mode, if it is one. */
export function overlayEntry(mode: string): OverlayEntry<OverlayMode> | undefined {
  return (OVERLAYS as readonly OverlayEntry<OverlayMode>[]).find((entry) => entry.id === mode);
}

/** The overlay a command opens, if it opens one. */
export function overlayFor(command: Command): OverlayEntry<OverlayMode> | undefined {
  return (OVERLAYS as readonly OverlayEntry<OverlayMode>[]).find((entry) => entry.command === command);
}
