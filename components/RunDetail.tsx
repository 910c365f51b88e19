import {Box, Text} from 'ink';
import {useEffect, useMemo} from 'react';
import type {TimeOptions} from '../src/format/time.js';
import type {Run} from '../src/model/run.js';
import {PANES, type PaneId} from '../src/panes/paneIds.js';
import {buildPane, paneBadge, statusSegment} from '../src/panes/runPanes.js';
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
}

/** Pane tabs (numbered, with a count of what is inside) above the scrolled pane content. */
export function RunDetail({run, pane, scroll, width, height, nowSeconds, time, onMetrics}: RunDetailProps) {
  const {color, ascii} = useDisplay();
  const content = useMemo(() => buildPane(pane, run, {nowSeconds, time, ascii, width}), [pane, run, nowSeconds, time, ascii, width]);
  const renderTable = useTableLines(content, ascii);
  const lines = useMemo(() => paneLines(content, width, renderTable), [content, width, renderTable]);
  const bodyHeight = Math.max(2, height - 3);
  useEffect(() => {
    onMetrics(lines.length, bodyHeight - 1);
  }, [lines.length, bodyHeight, onMetrics]);
  const status = statusSegment(run.status, ascii);
  // Full pane titles when they fit, short ones on narrower terminals.
  const fullWidth = PANES.reduce((sum, entry, index) => sum + entry.title.length + paneBadge(entry.id, run).length + 8 + (index > 0 ? 1 : 0), 0);
  const compactTabs = fullWidth > width;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text {...toneProps(status.tone, color)}>{status.text}</Text>
        <Text bold>{`  ${safeInline(run.id)}`}</Text>
        <Text dimColor>{run.model ? `  ${safeInline(run.model)}` : ''}</Text>
      </Text>
      <Text wrap="truncate-end">
        {PANES.map((entry, index) => {
          const badge = paneBadge(entry.id, run);
          const label = `${index + 1} ${compactTabs ? entry.short : entry.title}${badge ? ` (${badge})` : ''}`;
          return (
            <Text key={entry.id}>
              {index > 0 ? ' ' : ''}
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
