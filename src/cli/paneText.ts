/**
 * Pane content as text lines, for print mode (`runlens show`, `runlens stats`): text wrapped, each
 * table drawn once by the TUI's own table component (ink-table) and cut at the edge.
 */
import {renderToString} from 'ink';
import {stripVTControlCharacters} from 'node:util';
import {createElement} from 'react';
import {PaneTable} from '../../components/PaneTable.js';
import {cutToWidth} from '../format/runColumns.js';
import type {Line, PaneContent, TableBlock} from '../panes/content.js';
import {wrapLines} from '../panes/wrap.js';

/**
 * A table block as ink-table draws it, as plain lines. Its heading's style is stripped and put back
 * as a tone, so print mode colours it like the text around it. `renderToString` runs a React tree
 * of its own: print mode only, never inside the live app's render.
 */
export function tableLines(block: TableBlock, ascii = false): Line[] {
  const text = renderToString(createElement(PaneTable, {block, ascii}), {columns: 10_000});
  return stripVTControlCharacters(text)
    .split('\n')
    .map((line, index) => [{text: line, tone: index === 1 ? 'strong' : undefined}]);
}

/** A pane's blocks as the lines of `width` columns: text wrapped, tables cut at the edge (a wrapped table is unreadable). */
export function paneLines(content: PaneContent, width: number, ascii = false): Line[] {
  const out: Line[] = [];
  for (const block of content) {
    if (block.kind === 'lines') for (const line of wrapLines(block.lines, width)) out.push(line);
    else {
      for (const line of tableLines(block, ascii)) {
        const text = line[0]?.text ?? '';
        out.push([{text: cutToWidth(text, width).text, tone: line[0]?.tone}]);
      }
    }
  }
  return out;
}
