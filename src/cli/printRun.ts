/**
 * `runlens show`: every pane of one run as text, with the same content (and the same ink-table
 * tables) as the terminal UI's panes.
 */
import {lineToText} from '../panes/ansi.js';
import {buildPane, PANES} from '../panes/paneIds.js';
import type {PaneContext} from '../panes/paneContext.js';
import type {Run} from '../model/run.js';
import {statusSegment} from '../format/theme.js';
import {safeInline} from '../format/sanitize.js';
import {cutToWidth} from '../format/runColumns.js';
import {paneLines} from './paneText.js';

/** Every pane of a run, in the registry's order, as text (ANSI colours when `color`). */
export function runAsText(run: Run, context: PaneContext, options: {width: number; color: boolean}): string {
  const width = Math.max(40, options.width);
  const out: string[] = [];
  const title = cutToWidth(`${statusSegment(run.status, context.ascii).text}  ${safeInline(run.id)}`, width).text;
  out.push(lineToText([{text: title, tone: 'strong'}], options.color));
  for (const pane of PANES) {
    out.push('', lineToText([{text: `── ${pane.title} ${'─'.repeat(Math.max(0, width - pane.title.length - 4))}`, tone: 'info'}], options.color));
    const lines = paneLines(buildPane(pane.id, run, {...context, width}), width, context.ascii ?? false);
    for (const line of lines) out.push(lineToText(line, options.color).trimEnd());
  }
  return `${out.join('\n')}\n`;
}
