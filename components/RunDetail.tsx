import {Box, Text} from 'ink';
import type {Run} from '../src/model/run.js';
import type {Line} from '../src/panes/content.js';
import type {StepsView} from '../src/sources/stepLoader.js';
import {PANES, type PaneId} from '../src/panes/paneIds.js';
import {paneBadge, statusSegment} from '../src/panes/runPanes.js';
import {safeInline} from '../src/format/sanitize.js';
import {useDisplay} from './DisplayContext.js';
import {ScrollView} from './ScrollView.js';
import {toneProps} from './StyledLine.js';

/** Props of one run's detail view. */
export interface RunDetailProps {
  run: Run;
  pane: PaneId;
  /** The pane's lines (see usePaneLines), worked out by the app, which also sizes the scroll with them. */
  lines: readonly Line[];
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
