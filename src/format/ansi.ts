/** Styled lines as text for print mode: ANSI colours on a colour terminal, plain text otherwise. */
import {styleText} from 'node:util';
import type {Line} from '../panes/content.js';
import {TONE_COLORS, type Tone} from './theme.js';

type StyleName = Parameters<typeof styleText>[0];

function styleFor(tone: Tone | undefined): StyleName | null {
  if (!tone || tone === 'plain') return null;
  if (tone === 'strong') return 'bold';
  if (tone === 'dim') return 'gray';
  const color = TONE_COLORS[tone];
  return (color as StyleName | undefined) ?? null;
}

export function toneText(text: string, tone: Tone | undefined, color: boolean): string {
  if (!color || text === '') return text;
  const style = styleFor(tone);
  // styleText itself would drop colour when stdout is not a TTY; the caller has already decided.
  return style ? styleText(style, text, {validateStream: false}) : text;
}

export function lineToText(line: Line, color: boolean): string {
  return line.map((segment) => toneText(segment.text, segment.tone, color)).join('');
}

/**
 * JSON for stdout that is safe to show in a terminal: `JSON.stringify` leaves C1 controls, bidi
 * overrides and zero-width characters raw inside strings; written as \\u escapes they stay the same
 * JSON value but cannot act on the terminal.
 */
export function safeJson(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(
    // The last alternative is the tag characters U+E0000–U+E007F, as UTF-16 surrogate pairs.
    /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g,
    (text) => {
      // JSON writes characters outside the BMP as two \\u escapes, one per UTF-16 unit.
      let escaped = '';
      for (let index = 0; index < text.length; index += 1) escaped += `\\u${text.charCodeAt(index).toString(16).padStart(4, '0')}`;
      return escaped;
    },
  );
}
