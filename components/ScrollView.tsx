import {Box, Text} from 'ink';
import type {Line} from '../src/panes/content.js';
import {StyledLine} from './StyledLine.js';

/** Props of a scrolled view over pre-wrapped lines. */
export interface ScrollViewProps {
  lines: readonly Line[];
  scroll: number;
  /** Rows available, the position line included. */
  height: number;
}

/** Lines of content a scroll view `height` rows tall shows: one row is the position line. */
export function contentRows(height: number): number {
  return Math.max(1, height - 1);
}

/** Shows `height - 1` lines from `scroll`, and a line that says where in the content the view is. */
export function ScrollView({lines, scroll, height}: ScrollViewProps) {
  const rows = contentRows(height);
  const visible = lines.slice(scroll, scroll + rows);
  const below = Math.max(0, lines.length - scroll - visible.length);
  return (
    <Box flexDirection="column">
      {visible.map((line, index) => (
        <StyledLine key={scroll + index} line={line} />
      ))}
      {Array.from({length: rows - visible.length}, (_, index) => (
        <Text key={`pad-${index}`}> </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        {lines.length > rows
          ? `${scroll > 0 ? `▲ ${scroll} above  ` : ''}${below > 0 ? `▼ ${below} below  ` : ''}lines ${scroll + 1}-${scroll + visible.length} of ${lines.length}`
          : ''}
      </Text>
    </Box>
  );
}
