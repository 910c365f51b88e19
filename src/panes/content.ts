/**
 * What a detail pane shows, as data: lines of styled segments and small tables. Built without
 * React, so the TUI and `runlens show` print the same content. Every string from a run goes
 * through `safeInline`/`safeMultiline` on its way in here; renderers trust these segments.
 */
import {groupedCount} from '../format/count.js';
import {safeInline, safeMultiline} from '../format/sanitize.js';
import type {Tone} from '../format/theme.js';

export interface Segment {
  text: string;
  tone?: Tone;
}

export type Line = Segment[];

/** A table: printed with ink-table, cells already made safe. */
export interface TableBlock {
  kind: 'table';
  columns: string[];
  rows: Array<Record<string, string>>;
}

export interface LinesBlock {
  kind: 'lines';
  lines: Line[];
}

export type Block = LinesBlock | TableBlock;

/** A pane's content. */
export type PaneContent = Block[];

/** One segment of untrusted text, control characters made visible. */
export function untrusted(text: string, tone?: Tone): Segment {
  return tone ? {text: safeInline(text), tone} : {text: safeInline(text)};
}

/**
 * The most characters of one string a pane shows. A run can carry megabytes in one field (50 MB of
 * instructions took minutes and gigabytes to wrap); past a few screens a terminal is not where
 * anyone reads it, and `runlens show RUN_ID --json` prints every character.
 */
export const SHOWN_CHARACTERS = 100_000;

/** What stands for the characters past SHOWN_CHARACTERS. */
function notShownNote(hidden: number): string {
  return `… ${groupedCount(hidden)} more characters not shown (runlens show RUN_ID --json prints them)`;
}

/** Untrusted multi-line text as lines (newlines kept, every other control made visible), cut after `limit` characters. */
export function untrustedLines(text: string, tone?: Tone, limit = SHOWN_CHARACTERS): Line[] {
  const shown = text.length > limit ? text.slice(0, limit) : text;
  const lines: Line[] = safeMultiline(shown)
    .split('\n')
    .map((line) => [tone ? {text: line, tone} : {text: line}]);
  if (shown !== text) lines.push([{text: notShownNote(text.length - shown.length), tone: 'dim'}]);
  return lines;
}

/** Pretty JSON as lines, every string value made safe (escapes inside JSON strings stay JSON). */
export function jsonLines(value: unknown): Line[] {
  let text: string;
  try {
    // A long string is cut inside its JSON string, so the fields after it still show.
    const cutLongStrings = (_key: string, field: unknown) =>
      typeof field === 'string' && field.length > SHOWN_CHARACTERS ? `${field.slice(0, SHOWN_CHARACTERS)}${notShownNote(field.length - SHOWN_CHARACTERS)}` : field;
    text = JSON.stringify(value, cutLongStrings, 2) ?? String(value);
  } catch {
    // Nesting deeper than the stack allows: say so rather than fail the whole pane.
    return [[{text: '(too deeply nested to show as JSON)', tone: 'warn'}]];
  }
  // JSON.stringify escapes C0 controls already; safeMultiline catches C1, bidi and zero-width.
  // Its long strings are cut already; the whole text is not, or the fields after them would go.
  return untrustedLines(text, undefined, Number.POSITIVE_INFINITY);
}

/** Builds a pane's blocks line by line. */
export class PaneBuilder {
  private readonly blocks: Block[] = [];
  private current: Line[] = [];

  line(...segments: Array<Segment | string>): this {
    this.current.push(segments.map((segment) => (typeof segment === 'string' ? {text: segment} : segment)));
    return this;
  }

  lines(lines: Line[]): this {
    // One at a time: a spread of a megabyte's worth of lines would overflow the call stack.
    for (const line of lines) this.current.push(line);
    return this;
  }

  blank(): this {
    if (this.current.length > 0 || this.blocks.length > 0) this.current.push([]);
    return this;
  }

  heading(text: string): this {
    return this.line({text, tone: 'strong'});
  }

  /** `label      value`, labels padded to `width`. */
  field(label: string, value: Segment | Segment[] | string, width = 14): this {
    const values = typeof value === 'string' ? [{text: value}] : Array.isArray(value) ? value : [value];
    return this.line({text: label.padEnd(width), tone: 'label'}, ...values);
  }

  table(columns: string[], rows: Array<Record<string, string>>): this {
    this.flush();
    this.blocks.push({kind: 'table', columns, rows});
    return this;
  }

  private flush(): void {
    if (this.current.length > 0) this.blocks.push({kind: 'lines', lines: this.current});
    this.current = [];
  }

  build(): PaneContent {
    this.flush();
    return this.blocks;
  }
}

/** Plain text of a line, for print mode without colour and for tests. */
export function lineText(line: Line): string {
  return line.map((segment) => segment.text).join('');
}
