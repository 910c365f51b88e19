/**
 * The detail panes of a run, as data: one entry each. The order here is the Tab order and gives
 * the number keys (`1`–`9`, then `0`; see PANE_KEYS); the tab bar, the help, the store's pane
 * moves, `y` and `runlens show` all read this list. A new pane is one entry here (and the file
 * that builds its content).
 *
 * Only data and the functions it names: code that looks entries up reads `PANE_REGISTRY` where
 * it is used, so a registry with one more entry (a test's) reaches every reader.
 */
import type {Run} from '../model/run.js';
import {unstickRequest} from '../triage/unstick.js';
import {buildOutputPane} from './responsePanes.js';
import type {PaneContent} from './content.js';
import type {PaneContext} from './paneContext.js';
import {
  actionBadge,
  actionPane,
  errorBadge,
  errorPane,
  instructionsPane,
  metadataBadge,
  metadataPane,
  overviewPane,
  rawPane,
  toolsBadge,
  toolsPane,
  usagePane,
} from './runPanes.js';
import {buildStepsPane, stepsBadge} from './stepsPane.js';
import {buildConversationPane, conversationBadge} from './conversation.js';

/** What `y` copies on a pane: text and how the footer names it, or the run's body as read (Raw JSON), which a loader reads. */
export type PaneCopy = {text: string; label: string} | {body: 'raw'; label: string};

/** One pane of a run. */
export interface PaneEntry<Id extends string = string> {
  id: Id;
  /** The tab's name where there is room, and in the help and `runlens show`. */
  title: string;
  /** The tab's name on narrower terminals. */
  short: string;
  /**
   * The pane's content for a run. `paneRef` names another pane for its prose (title and number
   * key, as `paneReference` in paneIds.ts reads them from the registry), so no key is written here.
   */
  build: (run: Run, context: PaneContext, paneRef: (id: string) => string) => PaneContent;
  /** A short marker on the tab (a count, `!`, `?`), or ''. */
  badge?: (run: Run, context: Pick<PaneContext, 'steps'>) => string;
  /** The pane shows times relative to now: it is rebuilt as the clock moves (the others are not, so a long pane is not re-wrapped once a second). */
  showsClock: boolean;
  /** What `y` copies here; absent or null: the run id. */
  copy?: (run: Run) => PaneCopy | null;
}

/** The steps the context holds, when they are this run's. */
const stepsOf = (run: Run, context: Pick<PaneContext, 'steps'>) => (context.steps?.runId === run.id ? context.steps : undefined);

/** Every pane of a run, in Tab order. */
export const PANE_REGISTRY = [
  {id: 'overview', title: 'Overview', short: 'Overview', build: (run, context, paneRef) => overviewPane(run, context, paneRef('action')), showsClock: true},
  {
    id: 'action',
    title: 'Required action',
    short: 'Action',
    build: actionPane,
    badge: actionBadge,
    showsClock: true,
    copy: (run) => {
      const request = unstickRequest(run);
      return request ? {text: JSON.stringify(request.body, null, 2), label: request.label} : null;
    },
  },
  {id: 'tools', title: 'Tools', short: 'Tools', build: toolsPane, badge: toolsBadge, showsClock: false},
  {id: 'usage', title: 'Usage', short: 'Usage', build: usagePane, showsClock: false},
  {id: 'error', title: 'Last error', short: 'Error', build: errorPane, badge: errorBadge, showsClock: true},
  {id: 'instructions', title: 'Instructions', short: 'Instr', build: instructionsPane, showsClock: false},
  {id: 'metadata', title: 'Metadata', short: 'Meta', build: metadataPane, badge: metadataBadge, showsClock: false},
  {id: 'raw', title: 'Raw JSON', short: 'Raw', build: rawPane, showsClock: false, copy: () => ({body: 'raw', label: 'the run JSON'})},
  {
    id: 'steps',
    title: 'Steps',
    short: 'Steps',
    // A response's steps are its output items, all in the object itself.
    build: (run, context) => (run.kind === 'response' ? buildOutputPane(run) : buildStepsPane(stepsOf(run, context), context)),
    badge: (run, context) => (run.kind === 'response' ? (run.response?.output.length ? String(run.response.output.length) : '') : stepsBadge(stepsOf(run, context))),
    showsClock: true,
  },
  {
    id: 'conversation',
    title: 'Conversation',
    short: 'Chat',
    build: buildConversationPane,
    badge: (run, context) => conversationBadge(run, context),
    showsClock: true,
  },
] as const satisfies readonly PaneEntry[];

/** A pane's id. */
export type PaneId = (typeof PANE_REGISTRY)[number]['id'];
