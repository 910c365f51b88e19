import {useMemo} from 'react';
import type {TimeOptions} from '../src/format/time.js';
import type {Run} from '../src/model/run.js';
import type {PaneContent} from '../src/panes/content.js';
import {buildPane, paneEntry, type PaneId} from '../src/panes/paneIds.js';
import type {MessagesView, StepsView} from '../src/panes/paneContext.js';
import type {UnstickTarget} from '../src/triage/unstick.js';
import type {ModelMap} from '../src/model/cost.js';
import {scrollRows, type ScrollRow} from '../src/panes/scrollRows.js';

const NO_CONTENT: PaneContent = [];

/** What a run's pane shows, as rows at `width`: the app works them out once, to draw and to size the scroll. */
export interface PaneLinesOptions {
  width: number;
  nowSeconds: number;
  time: TimeOptions;
  ascii: boolean;
  steps?: StepsView | undefined;
  unstick?: UnstickTarget | undefined;
  messages?: MessagesView | undefined;
  /** Deployment name → model for the Usage pane's cost. */
  modelMap?: ModelMap | undefined;
}

/**
 * The rows of `run`'s pane (none without a run), built by the pane's registry entry. The clock
 * ticks every second; only panes that show relative times are rebuilt for it, so a long Raw JSON
 * or Instructions pane is not re-wrapped once a second. Tables stay tables: the view draws them.
 */
export function usePaneLines(run: Run | undefined, pane: PaneId, {width, nowSeconds, time, ascii, steps, unstick, messages, modelMap}: PaneLinesOptions): ScrollRow[] {
  const clock = paneEntry(pane).showsClock ? nowSeconds : null;
  const content = useMemo(
    () => (run ? buildPane(pane, run, {nowSeconds, time, ascii, width, ...(steps ? {steps} : {}), ...(unstick ? {unstick} : {}), ...(messages ? {messages} : {}), ...(modelMap ? {modelMap} : {})}) : NO_CONTENT),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [pane, run, clock, time, ascii, width, steps, unstick, messages, modelMap],
  );
  return useMemo(() => scrollRows(content, width), [content, width]);
}
