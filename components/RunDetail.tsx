import {Box, Text} from 'ink';
import {useEffect, useMemo} from 'react';
import type {TimeOptions} from '../src/format/time.js';
import type {Run} from '../src/model/run.js';
import type {StepsView} from '../src/panes/paneContext.js';
import {PANES, type PaneId} from '../src/panes/paneIds.js';
import {layoutPaneTabs, TAB_MARKS} from '../src/panes/paneTabs.js';
import {buildPane, paneBadge, paneShowsClock} from '../src/panes/runPanes.js';
import {statusSegment} from '../src/format/theme.js';
import {safeInline} from '../src/format/sanitize.js';
import {fitPieces} from '../src/format/runColumns.js';
import {useDisplay} from './DisplayContext.js';
import {paneLines} from './paneLines.js';
import {useTableLines} from './useTableLines.js';
import {ScrollView} from './ScrollView.js';
import {toneProps} from './StyledLine.js';

/** Props of one run's detail view. */
export interface RunDetailProps {
  run: Run;
  pane: PaneId;
  scroll: number;
  width: number;
  height: number;
  nowSeconds: number;
  time: TimeOptions;
  /** Reports how many lines the pane has and how many fit, so the store can clamp scrolling. */
  onMetrics: (lines: number, height: number) => void;
  /** The run's steps as loaded by the feed (API sources); absent: not available. */
  steps?: StepsView;
}

/** Pane tabs (numbered, with a count of what is inside) above the scrolled pane content. */
export function RunDetail({run, pane, scroll, width, height, nowSeconds, time, onMetrics, steps}: RunDetailProps) {
  const {color, ascii} = useDisplay();
  // The clock ticks every second; only panes that show relative times are rebuilt for it, so a
  // long Raw JSON or Instructions pane is not re-wrapped once a second.
  const clock = paneShowsClock(pane) ? nowSeconds : null;
  const content = useMemo(
    () => buildPane(pane, run, {nowSeconds, time, ascii, width, ...(steps ? {steps} : {})}),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [pane, run, clock, time, ascii, width, steps],
  );
  const renderTable = useTableLines(content, ascii);
  const lines = useMemo(() => paneLines(content, width, renderTable), [content, width, renderTable]);
  const bodyHeight = Math.max(2, height - 3);
  useEffect(() => {
    onMetrics(lines.length, bodyHeight - 1);
  }, [lines.length, bodyHeight, onMetrics]);
  const status = statusSegment(run.status, ascii);
  const bar = useMemo(() => {
    const badges = Object.fromEntries(PANES.map((entry) => [entry.id, paneBadge(entry.id, run, steps)]));
    return layoutPaneTabs(badges, pane, width);
  }, [run, steps, pane, width]);
  const marks = ascii ? TAB_MARKS.ascii : TAB_MARKS.unicode;
  const [statusText, idText, modelText] = fitPieces([status.text, `  ${safeInline(run.id)}`, run.model ? `  ${safeInline(run.model)}` : ''], width, ascii);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text {...toneProps(status.tone, color)}>{statusText}</Text>
        <Text bold>{idText}</Text>
        <Text dimColor>{modelText}</Text>
      </Text>
      <Text wrap="truncate-end">
        {bar.hiddenBefore ? <Text dimColor>{marks.before}</Text> : null}
        {bar.tabs.map((tab, index) => (
          <Text key={tab.id}>
            {index > 0 ? bar.gap : ''}
            {tab.id === pane ? (
              <Text inverse bold>{tab.text}</Text>
            ) : (
              <Text dimColor>{tab.text}</Text>
            )}
          </Text>
        ))}
        {bar.hiddenAfter ? <Text dimColor>{marks.after}</Text> : null}
      </Text>
      <Text dimColor>{'─'.repeat(Math.max(0, width))}</Text>
      <ScrollView lines={lines} scroll={scroll} height={bodyHeight} />
    </Box>
  );
}
