/**
 * Small text charts for the statistics view: horizontal bars, a column chart and a sparkline.
 * Pure: numbers in, `Line`s (or a string) out. Every chart fits in the width it is given, has the
 * label and the number written next to each bar (so it reads with no colour), and has an ASCII
 * form (`ascii: true`) that uses only printable ASCII.
 *
 * No chart library is used: the terminal chart packages either draw line plots rather than bars,
 * render React components (the pane content here is React-free), depend on a colour library, or
 * have no ASCII mode; the drawing below is a few dozen lines.
 */
import {groupedCount} from '../format/count.js';
import {textWidth} from '../format/textWidth.js';
import type {Line, Segment} from '../panes/content.js';
import type {Tone} from '../format/theme.js';
import {cutToWidth, fitCell} from '../format/runColumns.js';

/** Horizontal bar ends by eighths of a cell: index = eighths (1..8). */
const BAR_EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'] as const;
/** Column and sparkline cells by eighths (1..8); index 0 is an empty cell. */
const COLUMN_EIGHTHS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
/** ASCII sparkline levels, lowest first (a blank is zero). */
const ASCII_LEVELS = '.:-=+*#%@';

/** Cuts text to at most `width` columns, ending in `…` (ASCII: `~`) when it had to cut. */
export function fitText(text: string, width: number, ascii = false): string {
  return cutToWidth(text, width, ascii).text;
}

/** Fits text into exactly `width` columns: cut when longer, padded when shorter. */
export function padText(text: string, width: number, align: 'left' | 'right' = 'left', ascii = false): string {
  return fitCell(text, Math.max(0, width), align, ascii);
}

/** Width of a line of segments. */
function lineWidth(line: Line): number {
  let width = 0;
  for (const segment of line) width += textWidth(segment.text);
  return width;
}

/** Cuts a line of segments to `width` columns (tones kept), `…`/`~` marking a cut. */
export function fitLine(line: Line, width: number, ascii = false): Line {
  if (lineWidth(line) <= width) return line;
  const out: Line = [];
  let room = Math.max(0, width);
  for (const segment of line) {
    const segmentWidth = textWidth(segment.text);
    if (segmentWidth < room || (segmentWidth === room && segment === line[line.length - 1])) {
      out.push(segment);
      room -= segmentWidth;
      continue;
    }
    const text = fitText(segment.text, room, ascii);
    if (text) out.push(segment.tone ? {text, tone: segment.tone} : {text});
    break;
  }
  return out;
}

function seg(text: string, tone?: Tone): Segment {
  return tone ? {text, tone} : {text};
}

/**
 * A horizontal bar for `value` out of `max` in at most `cells` columns. Any value above zero shows
 * at least a sliver, so a rare status never looks like none.
 */
export function barText(value: number, max: number, cells: number, ascii = false): string {
  if (cells <= 0 || value <= 0 || max <= 0) return '';
  const ratio = Math.min(1, value / max);
  if (ascii) return '#'.repeat(Math.max(1, Math.round(ratio * cells)));
  const eighths = Math.max(1, Math.round(ratio * cells * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + BAR_EIGHTHS[eighths % 8];
}

export interface BarRow {
  label: string;
  value: number;
  /** What is written for the value (default: the value with thousands separators). */
  valueText?: string;
  /** A second figure after the value, e.g. a share `48.8%`. */
  note?: string;
  labelTone?: Tone;
  barTone?: Tone;
}

export interface BarChartOptions {
  /** The lines are never wider than this. */
  width: number;
  ascii?: boolean;
  /** Columns before each line (default 2). */
  indent?: number;
  /** Labels are cut beyond this (default 28). */
  maxLabelWidth?: number;
  /** Bars are at most this long, so numbers stay near their labels on wide terminals (default 40). */
  maxBarWidth?: number;
  /** The value that fills a bar (default: the largest value). */
  max?: number;
  barTone?: Tone;
}

/**
 * Labelled horizontal bars:
 * `  completed   ████████▌     20  48.8%`
 * Label column, bar column, right-aligned value and note columns. When the width is short the
 * label is cut first, then the bar shrinks, then disappears; the numbers stay.
 */
export function barChart(rows: readonly BarRow[], options: BarChartOptions): Line[] {
  const ascii = options.ascii ?? false;
  const width = Math.max(1, options.width);
  const values = rows.map((row) => row.valueText ?? formatCount(row.value));
  const notes = rows.map((row) => row.note ?? '');
  const valueWidth = Math.max(0, ...values.map((text) => textWidth(text)));
  const noteWidth = Math.max(0, ...notes.map((text) => textWidth(text)));
  const numbersWidth = valueWidth + (noteWidth > 0 ? noteWidth + 2 : 0);
  let indent = Math.max(0, options.indent ?? 2);
  let labelWidth = Math.min(options.maxLabelWidth ?? 28, Math.max(0, ...rows.map((row) => textWidth(row.label))));
  const maxBar = Math.max(1, options.maxBarWidth ?? 40);
  const barRoom = () => width - indent - labelWidth - numbersWidth - 2;
  // Give the bar at least a quarter of the line (or 6 cells) by cutting labels, down to 6 columns.
  const wantedBar = Math.min(maxBar, Math.max(6, Math.floor(width / 4)));
  if (barRoom() < wantedBar) labelWidth = Math.max(Math.min(labelWidth, 6), labelWidth - (wantedBar - barRoom()));
  if (barRoom() < 1 && indent > 0) indent = Math.max(0, indent - (1 - barRoom()));
  const barWidth = Math.max(0, Math.min(maxBar, barRoom()));
  const max = options.max ?? Math.max(0, ...rows.map((row) => row.value));
  return rows.map((row, index) => {
    const line: Line = [seg(' '.repeat(indent)), seg(padText(row.label, labelWidth, 'left', ascii), row.labelTone), seg(' ')];
    if (barWidth > 0) {
      const bar = barText(row.value, max, barWidth, ascii);
      line.push(seg(bar, row.barTone ?? options.barTone ?? 'info'), seg(' '.repeat(barWidth - textWidth(bar) + 1)));
    }
    line.push(seg(padText(values[index]!, valueWidth, 'right', ascii)));
    if (noteWidth > 0) line.push(seg(`  ${padText(notes[index]!, noteWidth, 'right', ascii)}`, 'dim'));
    return fitLine(trimLine(line), width, ascii);
  });
}

function trimLine(line: Line): Line {
  const out = line.filter((segment) => segment.text !== '');
  while (out.length > 0) {
    const last = out[out.length - 1]!;
    const trimmed = last.text.trimEnd();
    if (trimmed !== '') {
      out[out.length - 1] = last.tone ? {text: trimmed, tone: last.tone} : {text: trimmed};
      break;
    }
    out.pop();
  }
  return out;
}

/** `12,345`. */
export function formatCount(value: number): string {
  return groupedCount(Math.round(value));
}

/** `48.8%` (one decimal; `<0.1%` for a non-zero share that would read as zero). */
export function formatShare(share: number): string {
  if (share > 0 && share < 0.0005) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}

/**
 * Sums consecutive values `factor` at a time so that at most `width` remain; returns the factor
 * used, so a caption can say what one column stands for.
 */
export function fitValues(values: readonly number[], width: number): {values: number[]; factor: number} {
  const room = Math.max(1, Math.floor(width));
  if (values.length <= room) return {values: [...values], factor: 1};
  const factor = Math.ceil(values.length / room);
  const out: number[] = [];
  for (let index = 0; index < values.length; index += factor) {
    let sum = 0;
    for (let inner = index; inner < Math.min(values.length, index + factor); inner++) sum += values[inner]!;
    out.push(sum);
  }
  return {values: out, factor};
}

/**
 * One character per value, `▁`…`█` (ASCII `.:-=+*#%@`), a blank for zero and at least the lowest
 * level for anything above zero. Longer input is summed to fit `width` (see fitValues).
 */
export function sparkline(values: readonly number[], options: {width?: number; ascii?: boolean; max?: number} = {}): string {
  const fitted = options.width === undefined ? [...values] : fitValues(values, options.width).values;
  const max = options.max ?? Math.max(0, ...fitted);
  const levels = options.ascii ? ASCII_LEVELS.length : 8;
  let out = '';
  for (const value of fitted) {
    if (value <= 0 || max <= 0) {
      out += ' ';
      continue;
    }
    const level = Math.max(1, Math.min(levels, Math.round((value / max) * levels)));
    out += options.ascii ? ASCII_LEVELS[level - 1]! : COLUMN_EIGHTHS[level]!;
  }
  return out;
}

export interface ColumnChartOptions {
  width: number;
  /** Rows of columns (default 5). */
  height?: number;
  ascii?: boolean;
  indent?: number;
  /** Written under the first and the last column. */
  startLabel?: string;
  endLabel?: string;
  tone?: Tone;
}

export interface ColumnChart {
  lines: Line[];
  /** How many values each column sums (1 when they all fit). */
  factor: number;
  /** The column values drawn. */
  values: number[];
  /** Where the first column is, in columns from the left: for lining up a sparkline under it. */
  plotOffset: number;
}

/**
 * A column chart (vertical bars, eighth-cell tops) with the maximum written on the axis, the axis,
 * and start and end labels under it:
 * ```
 *   12 ┤   █
 *      ┤ ▃ █▅
 *    0 ┤▁█▆█▇█
 *      └──────
 *      11:00  12:00
 * ```
 */
export function columnChart(values: readonly number[], options: ColumnChartOptions): ColumnChart {
  const ascii = options.ascii ?? false;
  const width = Math.max(1, options.width);
  const height = Math.max(1, options.height ?? 5);
  const indent = Math.max(0, options.indent ?? 2);
  const axis = ascii ? '|' : '┤';
  // The axis label is the largest column, which grows when values are summed to fit: widen and refit.
  let gutter = formatCount(Math.max(0, ...values)).length + 2;
  let fitted = fitValues(values, Math.max(1, width - indent - gutter));
  let max = Math.max(0, ...fitted.values);
  while (formatCount(max).length + 2 > gutter) {
    gutter = formatCount(max).length + 2;
    fitted = fitValues(values, Math.max(1, width - indent - gutter));
    max = Math.max(0, ...fitted.values);
  }
  const lines: Line[] = [];
  for (let row = height - 1; row >= 0; row--) {
    const label = row === height - 1 ? formatCount(max) : row === 0 ? '0' : '';
    let cells = '';
    for (const value of fitted.values) {
      const eighths = value <= 0 || max <= 0 ? 0 : Math.max(1, Math.round((value / max) * height * 8));
      const fill = Math.max(0, Math.min(8, eighths - row * 8));
      if (ascii) cells += fill >= 4 || (row === 0 && fill > 0) ? (fill >= 4 ? '#' : '.') : ' ';
      else cells += COLUMN_EIGHTHS[fill]!;
    }
    lines.push(
      fitLine(
        trimLine([seg(' '.repeat(indent)), seg(`${label.padStart(gutter - 2)} ${axis}`, 'dim'), seg(cells, options.tone ?? 'info')]),
        width,
        ascii,
      ),
    );
  }
  const pad = ' '.repeat(indent + gutter - 1);
  lines.push(fitLine([seg(pad), seg((ascii ? '+' : '└') + (ascii ? '-' : '─').repeat(fitted.values.length), 'dim')], width, ascii));
  const start = options.startLabel ?? '';
  const end = options.endLabel ?? '';
  if (start || end) {
    const room = width - indent - gutter;
    const span = Math.max(fitted.values.length, textWidth(start) + textWidth(end) + 2);
    let text: string;
    if (end && textWidth(start) + textWidth(end) + 2 <= room) {
      text = start + ' '.repeat(Math.min(room, span) - textWidth(start) - textWidth(end)) + end;
    } else text = fitText(start || end, room, ascii);
    lines.push(fitLine(trimLine([seg(' '.repeat(indent + gutter)), seg(text, 'dim')]), width, ascii));
  }
  return {lines, factor: fitted.factor, values: fitted.values, plotOffset: indent + gutter};
}

export interface TextColumn {
  header: string;
  align?: 'left' | 'right';
  /** Lower is kept longer when the width is short (default: column order). */
  priority?: number;
  /**
   * Cells are cut to no less than this; a column that does not fit at this width is dropped
   * instead (default: the header's width, at least 4). Set it to the full width to never cut ids.
   */
  minWidth?: number;
}

export interface TextCell {
  text: string;
  tone?: Tone;
}

/**
 * An aligned table as lines (a header in `strong`, two spaces between columns), fitted to `width`:
 * columns are dropped by priority (highest number first; the first column and priority 0 stay)
 * until the rest fit at their minimum widths, then the widest are cut down towards their minimum. Plain text, so it works in print
 * mode, in ASCII mode and with no colour, unlike a boxed table.
 */
export function textTable(columns: readonly TextColumn[], rows: ReadonlyArray<ReadonlyArray<string | TextCell>>, options: {width: number; ascii?: boolean; indent?: number}): Line[] {
  const ascii = options.ascii ?? false;
  const indent = Math.max(0, options.indent ?? 2);
  const cell = (row: ReadonlyArray<string | TextCell>, index: number): TextCell => {
    const value = row[index] ?? '';
    return typeof value === 'string' ? {text: value} : value;
  };
  const natural = columns.map((column, index) => Math.max(textWidth(column.header), ...rows.map((row) => textWidth(cell(row, index).text))));
  const minimum = columns.map((column, index) => Math.min(natural[index]!, column.minWidth ?? Math.max(4, textWidth(column.header))));
  const kept = columns.map((_, index) => index);
  const total = (widths: number[]) => indent + kept.reduce((sum, index, position) => sum + widths[index]! + (position > 0 ? 2 : 0), 0);
  const widths = [...natural];
  const priority = (index: number) => columns[index]!.priority ?? index;
  // The least important column that may go: never the first one; priority 0 only when `all`.
  const dropOne = (all: boolean): boolean => {
    let drop = -1;
    for (let position = 1; position < kept.length; position++) {
      const index = kept[position]!;
      if (!all && priority(index) <= 0) continue;
      if (drop < 0 || priority(index) >= priority(kept[drop]!)) drop = position;
    }
    if (drop < 0) return false;
    kept.splice(drop, 1);
    return true;
  };
  // Drop the least important columns while the rest do not fit even cut to their minimum…
  while (total(minimum) > options.width && dropOne(false));
  // …then cut the widest columns down to their minimum, and as a last resort drop more.
  for (;;) {
    let excess = total(widths) - options.width;
    if (excess <= 0) break;
    const cuttable = kept.filter((index) => widths[index]! > minimum[index]!).sort((a, b) => widths[b]! - widths[a]!);
    for (const index of cuttable) {
      const cut = Math.min(excess, widths[index]! - minimum[index]!);
      widths[index]! -= cut;
      excess -= cut;
      if (excess <= 0) break;
    }
    if (excess <= 0 || !dropOne(true)) break;
    for (const index of kept) widths[index] = natural[index]!;
  }
  const render = (cells: TextCell[], header: boolean): Line => {
    const line: Line = [seg(' '.repeat(indent))];
    kept.forEach((index, position) => {
      const column = columns[index]!;
      const value = cells[index]!;
      const text = padText(value.text, widths[index]!, column.align ?? 'left', ascii);
      line.push(seg((position > 0 ? '  ' : '') + text, header ? 'strong' : value.tone));
    });
    return fitLine(trimLine(line), options.width, ascii);
  };
  return [
    render(columns.map((column) => ({text: column.header})), true),
    ...rows.map((row) => render(columns.map((_, index) => cell(row, index)), false)),
  ];
}
