/**
 * A pane's content laid out for a terminal width, as the rows a scrolling view shows: text wrapped
 * into lines, and each table as the rows ink-table draws it in (the TUI draws the table itself, in
 * its own tree, and shows the rows in view; see components/PaneTable.tsx).
 */
import stringWidth from 'string-width';
import {textPieces, textWidth} from '../format/textWidth.js';
import type {Line, PaneContent, TableBlock} from './content.js';
import {wrapLines} from './wrap.js';

/** One row of a table as drawn: row `row` of the `height` rows the table takes. */
export interface TableRow {
  table: TableBlock;
  row: number;
  height: number;
  /** The columns this row may show (see tableClipWidths). */
  clip: number;
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
  return columnWidths(block).reduce((sum, columnWidth) => sum + columnWidth + 1, 1);
}

/** Each column's width as ink-table sizes it: its widest cell or heading, by string length, and a space either side. */
function columnWidths(block: TableBlock): number[] {
  const data = tableData(block);
  return block.columns.map((column) => 2 + Math.max(column.length, ...data.map((row) => (row[column] ?? '').length)));
}

/** A data row of a table as ink-table writes it: each cell padded to its column by string length, with a space either side, between borders. */
function tableRowText(block: TableBlock, row: Record<string, string>, widths: readonly number[]): string {
  return `│${block.columns.map((column, index) => ` ${(row[column] ?? '').padEnd(widths[index]! - 2)} `).join('│')}│`;
}

/**
 * The columns each drawn row of a table may show at `width`, a `…` included where it is cut. The
 * terminal cuts by string-width's count, which is narrower than terminals draw some emoji (see
 * textWidth); a data row holding such emoji is cut where textWidth says it reaches the edge, as
 * print mode's cutToWidth cuts it, so no row reaches past the edge. Borders and headings (no run
 * text) keep the whole width.
 */
export function tableClipWidths(block: TableBlock, width: number): number[] {
  const room = Math.max(1, width);
  const clips = new Array<number>(tableHeight(block)).fill(room);
  const widths = columnWidths(block);
  tableData(block).forEach((row, index) => {
    const text = tableRowText(block, row, widths);
    if (textWidth(text) <= room) return;
    // The longest start of the row that leaves a column for the `…`, in string-width's columns.
    let shown = 0;
    let drawn = 0;
    for (const piece of textPieces(text)) {
      const pieceWidth = textWidth(piece);
      if (drawn + pieceWidth > room - 1) break;
      drawn += pieceWidth;
      shown += stringWidth(piece);
    }
    // Data row `index` is drawn below the top border, the headings and its rule.
    clips[3 + 2 * index] = shown + 1;
  });
  return clips;
}

/** The content as the rows a terminal of `width` columns shows: text wrapped, tables whole (cut at the edge, never wrapped). */
export function scrollRows(content: PaneContent, width: number): ScrollRow[] {
  const out: ScrollRow[] = [];
  for (const block of content) {
    if (block.kind === 'lines') {
      for (const line of wrapLines(block.lines, width)) out.push(line);
    } else {
      const clips = tableClipWidths(block, width);
      for (let row = 0; row < clips.length; row += 1) out.push({table: block, row, height: clips.length, clip: clips[row]!});
    }
  }
  return out;
}
