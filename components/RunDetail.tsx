import {Box, Text} from 'ink';
import {useEffect, useMemo} from 'react';
import type {TimeOptions} from '../src/format/time.js';
import type {Run} from '../src/model/run.js';
import type {StepsView} from '../src/panes/paneContext.js';
import {PANES, type PaneId} from '../src/panes/paneIds.js';
import {buildPane, paneBadge, paneShowsClock} from '../src/panes/runPanes.js';
import {statusSegment} from '../src/format/theme.js';
import {safeInline} from '../src/format/sanitize.js';
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
  // Full pane titles when they fit, short ones on narrower terminals.
  const fullWidth = PANES.reduce((sum, entry, index) => sum + entry.title.length + paneBadge(entry.id, run, steps).length + 8 + (index > 0 ? 1 : 0), 0);
  const compactTabs = fullWidth > width;
  // ` N name (badge) ` per tab, one space between: when even the short names do not fit (nine tabs
  // at 100 columns), drop the space between tabs (each keeps its padding) rather than cut the last.
  const compactWidth = PANES.reduce((sum, entry, index) => {
    const badge = paneBadge(entry.id, run, steps);
    return sum + String(index + 1).length + entry.short.length + (badge ? badge.length + 3 : 0) + 3 + (index > 0 ? 1 : 0);
  }, 0);
  const gap = compactTabs && compactWidth > width ? '' : ' ';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text {...toneProps(status.tone, color)}>{status.text}</Text>
        <Text bold>{`  ${safeInline(run.id)}`}</Text>
        <Text dimColor>{run.model ? `  ${safeInline(run.model)}` : ''}</Text>
      </Text>
      <Text wrap="truncate-end">
        {PANES.map((entry, index) => {
          const badge = paneBadge(entry.id, run, steps);
          const label = `${index + 1} ${compactTabs ? entry.short : entry.title}${badge ? ` (${badge})` : ''}`;
          return (
            <Text key={entry.id}>
              {index > 0 ? gap : ''}
              {entry.id === pane ? (
                <Text inverse bold>{` ${label} `}</Text>
              ) : (
                <Text dimColor>{` ${label} `}</Text>
              )}
            </Text>
          );
        })}
      </Text>
      <Text dimColor>{'─'.repeat(Math.max(0, width))}</Text>
      <ScrollView lines={lines} scroll={scroll} height={bodyHeight} />
    </Box>
  );
}
