/** The header's per-status counts, laid out so that every count shows with its word. */
import {safeInline} from './sanitize.js';
import {textWidth} from './textWidth.js';
import {statusGlyph, statusStyle, type Tone} from './theme.js';

export interface StatusCountCell {
  status: string;
  text: string;
  tone: Tone;
}

/**
 * Counts as `! requires_action 6` cells on at most two lines of `width` columns. Only when two
 * lines are not enough do the words go (`!6  ⊗4`), so no count is ever cut off.
 */
export function statusCountLines(counts: ReadonlyMap<string, number>, width: number, ascii: boolean): StatusCountCell[][] {
  const cells = (words: boolean) =>
    [...counts.entries()].map(([status, count]) => {
      const glyph = statusGlyph(status, ascii);
      return {status, tone: statusStyle(status).tone, text: words ? `${glyph} ${safeInline(status)} ${count}` : `${glyph}${count}`};
    });
  const pack = (all: StatusCountCell[]) => {
    const lines: StatusCountCell[][] = [[]];
    let used = 0;
    for (const cell of all) {
      const needed = (used > 0 ? 2 : 0) + textWidth(cell.text);
      if (used > 0 && used + needed > width) {
        lines.push([]);
        used = 0;
      }
      lines[lines.length - 1]!.push(cell);
      used += used > 0 ? needed : textWidth(cell.text);
    }
    return lines;
  };
  const withWords = pack(cells(true));
  return withWords.length <= 2 ? withWords : pack(cells(false)).slice(0, 2);
}
