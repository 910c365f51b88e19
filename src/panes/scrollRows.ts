/**
 * A pane's content laid out for a terminal width, as the rows a scrolling view shows: text wrapped
 * into lines, and each table as the rows ink-table draws it in (the TUI draws the table itself, in
 * its own tree, and shows the rows in view; see components/PaneTable.tsx).
 */
import stringWidth from 'string-width';
import {textWidth} from '../format/textWidth.js';
import type {Line, PaneContent, TableBlock} from './content.js';
import {wrapLines} from './wrap.js';

/** One row of a table as drawn: row `row` of the `height` rows the table takes. */
export interface TableRow {
  table: TableBlock;
  row: number;
  height: number;
}

/** One row of a scrolling view: a line of text, or a row of a table. */
export type ScrollRow = Line | TableRow;

/** Whether a row is a table's. */
export function isTableRow(row: ScrollRow): row is TableRow {
  return !Array.isArray(row);
}

/**
 * The data ink-table is given for a block: it needs at least one row to know its columns, so an
 * empty table gets one blank row.
 */
export function tableData(block: TableBlock): Array<Record<string, string>> {
  return block.rows.length > 0 ? block.rows : [Object.fromEntries(block.columns.map((column) => [column, '']))];
}

/**
 * The rows ink-table draws a table in: a top border, the headings, a rule and a row per data row,
 * and a bottom border. Worked out here, without drawing it, so the view can scroll through it
 * (a test holds it to what ink-table draws).
 */
export function tableHeight(block: TableBlock): number {
  return 3 + 2 * tableData(block).length;
}

/**
 * The columns ink-table draws a table in: each column as wide as its widest cell or heading (by
 * string length, as ink-table counts) with a space either side, and a border between and around.
 */
export function tableWidth(block: TableBlock): number {
  const data = tableData(block);
  return block.columns.reduce((sum, column) => sum + 1 + 2 + Math.max(column.length, ...data.map((row) => String(row[column] ?? '').length)), 1);
}

/**
 * The columns a table may show at `width`: the terminal cuts it by string-width's count, which is
 * narrower than terminals draw some emoji (see textWidth); a table whose cells hold such emoji is
 * cut as many columns earlier as its worst row needs, so no row reaches past the edge.
 */
export function tableClipWidth(block: TableBlock, width: number): number {
  let excess = 0;
  for (const row of block.rows) {
    let rowExcess = 0;
    for (const column of block.columns) {
      const cell = row[column] ?? '';
      rowExcess += Math.max(0, textWidth(cell) - stringWidth(cell));
    }
    excess = Math.max(excess, rowExcess);
  }
  return Math.max(1, width - excess);
}

/** The content as the rows a terminal of `width` columns shows: text wrapped, tables whole (cut at the edge, never wrapped). */
export function scrollRows(content: PaneContent, width: number): ScrollRow[] {
  const out: ScrollRow[] = [];
  for (const block of content) {
    if (block.kind === 'lines') {
      for (const line of wrapLines(block.lines, width)) out.push(line);
    } else {
      const height = tableHeight(block);
      for (let row = 0; row < height; row += 1) out.push({table: block, row, height});
    }
  }
  return out;
}
