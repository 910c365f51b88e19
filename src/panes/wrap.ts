import {textPieces, textWidth} from '../format/textWidth.js';
import type {Line, Segment} from './content.js';

/**
 * Wraps a line of segments to `width` terminal columns, breaking at spaces where it can and
 * inside long words (ids, JSON, URLs) where it must. Widths count wide characters as two.
 */
export function wrapLine(line: Line, width: number): Line[] {
  const max = Math.max(1, width);
  const total = line.reduce((sum, segment) => sum + textWidth(segment.text), 0);
  if (total <= max) return [line];

  const rows: Line[] = [];
  let row: Segment[] = [];
  let rowWidth = 0;
  const push = (text: string, tone: Segment['tone']) => {
    if (text === '') return;
    const last = row[row.length - 1];
    if (last && last.tone === tone) last.text += text;
    else row.push(tone ? {text, tone} : {text});
  };
  const newRow = () => {
    rows.push(row);
    row = [];
    rowWidth = 0;
  };
  for (const segment of line) {
    // Words keep their trailing space so a break happens after it.
    const words = segment.text.match(/\S+\s*|\s+/g) ?? [];
    for (const word of words) {
      const wordWidth = textWidth(word);
      const trimmedWidth = textWidth(word.trimEnd());
      if (rowWidth + trimmedWidth <= max) {
        push(word, segment.tone);
        rowWidth += wordWidth;
        continue;
      }
      if (trimmedWidth <= max && rowWidth > 0) {
        newRow();
        push(word, segment.tone);
        rowWidth = wordWidth;
        continue;
      }
      // By cluster, not by code point: ❤️ apart (❤ and VS16) would count a column short.
      for (const char of textPieces(word)) {
        const charWidth = textWidth(char);
        if (rowWidth + charWidth > max && rowWidth > 0) {
          if (char === ' ') continue;
          newRow();
        }
        push(char, segment.tone);
        rowWidth += charWidth;
      }
    }
  }
  if (row.length > 0) rows.push(row);
  // Trailing spaces at a break are invisible; drop them so a row never exceeds the width.
  for (const segments of rows) trimLineEnd(segments);
  return rows;
}

/** Drops the spaces at the end of a line (in place), and the segments they empty. */
export function trimLineEnd(line: Segment[]): void {
  while (line.length > 0) {
    const last = line[line.length - 1]!;
    const trimmed = last.text.trimEnd();
    if (trimmed !== '') {
      last.text = trimmed;
      return;
    }
    line.pop();
  }
}

export function wrapLines(lines: readonly Line[], width: number): Line[] {
  const out: Line[] = [];
  // No spread: a megabyte-long line wraps to more rows than a call can take as arguments.
  for (const line of lines) for (const row of wrapLine(line, width)) out.push(row);
  return out;
}
