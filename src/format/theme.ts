/**
 * Semantic styling tokens, one place for every colour. Each status colour comes with a glyph and a
 * word, so the UI reads the same with NO_COLOR or on a monochrome terminal.
 */
import {safeInline} from './sanitize.js';

/** What a piece of text means; the renderer picks the colour (or none). */
export type Tone = 'plain' | 'dim' | 'strong' | 'good' | 'bad' | 'warn' | 'attention' | 'info' | 'accent' | 'label';

/** The terminal colour of each tone (Ink / chalk colour names). */
export const TONE_COLORS: Record<Tone, string | undefined> = {
  plain: undefined,
  dim: 'gray',
  strong: undefined,
  good: 'green',
  bad: 'red',
  warn: 'yellow',
  attention: 'magenta',
  info: 'cyan',
  accent: 'blue',
  label: 'cyan',
};

export interface StatusStyle {
  glyph: string;
  /** ASCII stand-in for terminals that cannot show the glyph. */
  asciiGlyph: string;
  tone: Tone;
}

const STATUS_STYLES: Record<string, StatusStyle> = {
  queued: {glyph: '○', asciiGlyph: 'o', tone: 'dim'},
  in_progress: {glyph: '●', asciiGlyph: '*', tone: 'warn'},
  requires_action: {glyph: '!', asciiGlyph: '!', tone: 'attention'},
  cancelling: {glyph: '⊘', asciiGlyph: '/', tone: 'warn'},
  cancelled: {glyph: '-', asciiGlyph: '-', tone: 'dim'},
  failed: {glyph: '✗', asciiGlyph: 'X', tone: 'bad'},
  completed: {glyph: '✓', asciiGlyph: 'v', tone: 'good'},
  incomplete: {glyph: '◐', asciiGlyph: '~', tone: 'warn'},
  expired: {glyph: '⊗', asciiGlyph: 'x', tone: 'bad'},
};

/** A status the API may add later is still shown, with a neutral mark. */
const UNKNOWN_STATUS_STYLE: StatusStyle = {glyph: '?', asciiGlyph: '?', tone: 'accent'};

export function statusStyle(status: string): StatusStyle {
  return STATUS_STYLES[status] ?? UNKNOWN_STATUS_STYLE;
}

/** The status's glyph, or its ASCII stand-in. */
export function statusGlyph(status: string, ascii = false): string {
  const style = statusStyle(status);
  return ascii ? style.asciiGlyph : style.glyph;
}

/** `✓ completed` in the status's tone — glyph and word, so the status reads without colour. */
export function statusSegment(status: string, ascii = false): {text: string; tone: Tone} {
  return {text: `${statusGlyph(status, ascii)} ${safeInline(status)}`, tone: statusStyle(status).tone};
}

/** The run marked to compare (`m`): a glyph in a column of its own before the status, shown only while a run is marked. */
export const MARK_STYLE: StatusStyle = {glyph: '◆', asciiGlyph: '#', tone: 'accent'};
