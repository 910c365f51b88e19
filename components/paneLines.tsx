import {Table} from '@alcalzone/ink-table';
import {renderToString} from 'ink';
import {stripVTControlCharacters} from 'node:util';
import type {Line, PaneContent, TableBlock} from '../src/panes/content.js';
import {wrapLines} from '../src/panes/wrap.js';
import {cutToWidth} from '../src/format/runColumns.js';

const ASCII_BOX: Record<string, string> = {'┌': '+', '┬': '+', '┐': '+', '├': '+', '┼': '+', '┤': '+', '└': '+', '┴': '+', '┘': '+', '─': '-', '│': '|'};

/**
 * Renders a table block with ink-table to plain lines. Its header styling is stripped and put back
 * as a tone, so tables scroll, wrap and lose colour exactly like the text around them.
 *
 * `renderToString` runs a React tree of its own: call this outside a render of the live app (print
 * mode, or deferred as `useTableLines` does), never from a component's render.
 */
export function tableLines(block: TableBlock, ascii = false): Line[] {
  // ink-table needs at least one row to know its columns.
  const data = block.rows.length > 0 ? block.rows : [Object.fromEntries(block.columns.map((column) => [column, '']))];
  const text = renderToString(<Table data={data} columns={block.columns} />, {columns: 10_000});
  let plain = stripVTControlCharacters(text);
  if (ascii) plain = plain.replace(/[┌┬┐├┼┤└┴┘─│]/g, (char) => ASCII_BOX[char] ?? char);
  return plain.split('\n').map((line, index) => [{text: line, tone: index === 1 ? 'strong' : undefined}]);
}

/** How a table block becomes lines; the TUI passes a cache filled outside its render. */
export type TableRenderer = (block: TableBlock) => Line[];

/**
 * A pane's blocks as the lines a terminal of `width` columns shows: text wrapped, tables cut at
 * the edge (a wrapped table is unreadable).
 */
export function paneLines(content: PaneContent, width: number, renderTable: TableRenderer = (block) => tableLines(block)): Line[] {
  const out: Line[] = [];
  for (const block of content) {
    if (block.kind === 'lines') for (const line of wrapLines(block.lines, width)) out.push(line);
    else {
      for (const line of renderTable(block)) {
        const text = line[0]?.text ?? '';
        out.push([{text: cutToWidth(text, width).text, tone: line[0]?.tone}]);
      }
    }
  }
  return out;
}
