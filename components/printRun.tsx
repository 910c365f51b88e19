/**
 * `runlens show`: every pane of one run as text, with the same content (and the same ink-table
 * tables) as the terminal UI's panes.
 */
import {lineToText} from '../src/panes/ansi.js';
import {buildPane} from '../src/panes/runPanes.js';
import {statusSegment} from '../src/format/theme.js';
import {PANES} from '../src/panes/paneIds.js';
import type {PaneContext} from '../src/panes/paneContext.js';
import type {Run} from '../src/model/run.js';
import {safeInline} from '../src/format/sanitize.js';
import {paneLines, tableLines} from './paneLines.js';
import {cutToWidth} from '../src/format/runColumns.js';

export function runAsText(run: Run, context: PaneContext, options: {width: number; color: boolean}): string {
  const width = Math.max(40, options.width);
  const out: string[] = [];
  const title = cutToWidth(`${statusSegment(run.status, context.ascii).text}  ${safeInline(run.id)}`, width).text;
  out.push(lineToText([{text: title, tone: 'strong'}], options.color));
  for (const pane of PANES) {
    out.push('', lineToText([{text: `── ${pane.title} ${'─'.repeat(Math.max(0, width - pane.title.length - 4))}`, tone: 'info'}], options.color));
    const lines = paneLines(buildPane(pane.id, run, {...context, width}), width, (block) => tableLines(block, context.ascii ?? false));
    for (const line of lines) out.push(lineToText(line, options.color).trimEnd());
  }
  return `${out.join('\n')}\n`;
}
