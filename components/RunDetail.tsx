import {Box, Text} from 'ink';
import type {Run} from '../src/model/run.js';
import {useMemo} from 'react';
import type {ScrollRow} from '../src/panes/scrollRows.js';
import type {StepsView} from '../src/panes/paneContext.js';
import {PANES, type PaneId} from '../src/panes/paneIds.js';
import {layoutPaneTabs, TAB_MARKS} from '../src/panes/paneTabs.js';
import {paneBadge} from '../src/panes/paneIds.js';
import {statusSegment} from '../src/format/theme.js';
import {safeInline} from '../src/format/sanitize.js';
import {fitPieces} from '../src/format/runColumns.js';
import {useDisplay} from './DisplayContext.js';
import {ScrollView} from './ScrollView.js';
import {toneProps} from './StyledLine.js';

/** Props of one run's detail view. */
export interface RunDetailProps {
  run: Run;
  pane: PaneId;
  /** The pane's lines (see usePaneLines), worked out by the app, which also sizes the scroll with them. */
  lines: readonly ScrollRow[];
  scroll: number;
  width: number;
  height: number;
  /** The run's steps as loaded by the feed (API sources); absent: not available. */
  steps?: StepsView;
}

/** Rows the pane's content gets (the position line included) in a detail view `height` rows tall: the title, tabs and rule take three. */
export function paneRows(height: number): number {
  return Math.max(2, height - 3);
}

/** Pane tabs (numbered, with a count of what is inside) above the scrolled pane content. */
export function RunDetail({run, pane, lines, scroll, width, height, steps}: RunDetailProps) {
  const {color, ascii} = useDisplay();
  const bodyHeight = paneRows(height);
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
