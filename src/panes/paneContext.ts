/** What every pane of a run is built from, besides the run: the clock, the width, the steps as read. */
import type {TimeOptions} from '../format/time.js';
import type {RunStep} from '../model/runStep.js';
import type {ThreadMessage} from '../model/threadMessage.js';
import type {LoadWarning} from '../model/loadWarning.js';
import type {ModelMap} from '../model/cost.js';
import type {UnstickTarget} from '../triage/unstick.js';

/** What the Steps pane can show for a run. */
export type StepsView =
  | {state: 'unavailable'; runId: string; reason: string}
  | {state: 'loading'; runId: string}
  | {state: 'loaded'; runId: string; steps: readonly RunStep[]; warnings: readonly LoadWarning[]}
  | {state: 'error'; runId: string; message: string};

/** The messages of a thread, as the Conversation pane can show them. */
export type MessagesView =
  | {state: 'unavailable'; threadId: string; reason: string}
  | {state: 'loading'; threadId: string}
  | {state: 'loaded'; threadId: string; messages: readonly ThreadMessage[]; warnings: readonly LoadWarning[]}
  | {state: 'error'; threadId: string; message: string};

export interface PaneContext {
  nowSeconds: number;
  time: TimeOptions;
  /** Use ASCII stand-ins for glyphs. */
  ascii?: boolean;
  /** Columns available, for drawings such as the timeline (default 80). */
  width?: number;
  /** The run's steps as the StepLoader has them (TUI with an API source); absent: not available. */
  steps?: StepsView;
  /** Where the API runs came from (base URL, Foundry's api-version), for the exact unstick request. */
  unstick?: UnstickTarget;
  /** The messages of the run's thread, in order (files, transcripts, or read from the API); absent: none loaded. */
  messages?: MessagesView;
  /** Deployment name → model for the cost estimate (`--model-map`, a profile's `modelMap`); absent: none mapped. */
  modelMap?: ModelMap;
}
