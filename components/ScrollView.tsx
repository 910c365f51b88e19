import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {isTableRow, tableWidth, type ScrollRow} from '../src/panes/scrollRows.js';
import {useDisplay} from './DisplayContext.js';
import {PaneTable} from './PaneTable.js';
import {StyledLine} from './StyledLine.js';

/** Props of a scrolled view over laid-out rows (see scrollRows). */
export interface ScrollViewProps {
  lines: readonly ScrollRow[];
  scroll: number;
  /** Rows available, the position line included. */
  height: number;
}

/** Lines of content a scroll view `height` rows tall shows: one row is the position line. */
export function contentRows(height: number): number {
  return Math.max(1, height - 1);
}

/**
 * The rows in view as elements: lines one by one; neighbouring rows of one table (cut at the same
 * column) together, as the table
 * itself drawn by ink-table in a box that shows only those rows (scrolled part-way into it, the
 * box starts that many rows down the table) and cuts it at the right edge, with a `…` on each row.
 */
function visibleRows(rows: readonly ScrollRow[], scroll: number, ascii: boolean): ReactNode[] {
  const out: ReactNode[] = [];
  for (let index = 0; index < rows.length; ) {
    const row = rows[index]!;
    if (!isTableRow(row)) {
      out.push(<StyledLine key={scroll + index} line={row} />);
      index += 1;
      continue;
    }
    let count = 1;
    for (let next = rows[index + count]; next && isTableRow(next) && next.table === row.table && next.clip === row.clip; next = rows[index + count]) count += 1;
    // Cut at the edge as print mode cuts its lines (cutToWidth): the columns that fit, less one for a `…`.
    const clip = row.clip;
    const cut = tableWidth(row.table) > clip;
    out.push(
      <Box key={scroll + index} height={count} flexDirection="row">
        <Box height={count} width={cut ? clip - 1 : clip} overflow="hidden" flexDirection="column">
          <Box marginTop={-row.row} flexShrink={0} flexDirection="column" width={tableWidth(row.table)}>
            <PaneTable block={row.table} ascii={ascii} />
          </Box>
        </Box>
        {cut ? <Text>{Array.from({length: count}, () => '…').join('\n')}</Text> : null}
      </Box>,
    );
    index += count;
  }
  return out;
}

/** Shows `height - 1` rows from `scroll`, and a line that says where in the content the view is. */
export function ScrollView({lines, scroll, height}: ScrollViewProps) {
  const {ascii} = useDisplay();
  const rows = contentRows(height);
  const visible = lines.slice(scroll, scroll + rows);
  const below = Math.max(0, lines.length - scroll - visible.length);
  return (
    <Box flexDirection="column">
      {visibleRows(visible, scroll, ascii)}
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
