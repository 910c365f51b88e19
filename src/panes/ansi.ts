/** Styled lines as text for print mode: ANSI colours on a colour terminal, plain text otherwise. */
import {styleText} from 'node:util';
import {TONE_COLORS, type Tone} from '../format/theme.js';
import type {Line} from './content.js';

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
