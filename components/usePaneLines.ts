import {useMemo} from 'react';
import type {TimeOptions} from '../src/format/time.js';
import type {Run} from '../src/model/run.js';
import type {Line, PaneContent} from '../src/panes/content.js';
import type {PaneId} from '../src/panes/paneIds.js';
import {buildPane, paneShowsClock} from '../src/panes/runPanes.js';
import type {MessagesView, StepsView} from '../src/panes/paneContext.js';
import {paneLines} from './paneLines.js';
import {useTableLines} from './useTableLines.js';

const NO_CONTENT: PaneContent = [];

/** What a run's pane shows, as lines at `width`: the app works them out once, to draw and to size the scroll. */
export interface PaneLinesOptions {
  width: number;
  nowSeconds: number;
  time: TimeOptions;
  ascii: boolean;
  steps?: StepsView | undefined;
  messages?: MessagesView | undefined;
}

/**
 * The lines of `run`'s pane (none without a run). The clock ticks every second; only panes that
 * show relative times are rebuilt for it, so a long Raw JSON or Instructions pane is not re-wrapped
 * once a second. Tables are drawn just after the render (see useTableLines).
 */
export function usePaneLines(run: Run | undefined, pane: PaneId, {width, nowSeconds, time, ascii, steps, messages}: PaneLinesOptions): Line[] {
  const clock = paneShowsClock(pane) ? nowSeconds : null;
  const content = useMemo(
    () => (run ? buildPane(pane, run, {nowSeconds, time, ascii, width, ...(steps ? {steps} : {}), ...(messages ? {messages} : {})}) : NO_CONTENT),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [pane, run, clock, time, ascii, width, steps, messages],
  );
  const renderTable = useTableLines(content, ascii);
  return useMemo(() => paneLines(content, width, renderTable), [content, width, renderTable]);
}
