import {describe, it, expect} from 'vitest';
import stringWidth from 'string-width';
import {lineText, type Line} from '../src/panes/content.js';
import {barChart, barText, columnChart, fitLine, fitText, fitValues, formatShare, padText, sparkline, textTable, type BarRow} from '../src/stats/charts.js';

const WIDTHS = [20, 40, 80, 200];
const NON_ASCII = /[^\x20-\x7e]/;

function texts(lines: Line[]): string[] {
  return lines.map(lineText);
}

function expectFits(lines: Line[], width: number): void {
  for (const text of texts(lines)) expect(stringWidth(text), `"${text}" is wider than ${width}`).toBeLessThanOrEqual(width);
}

const statusRows: BarRow[] = [
  {label: '✓ completed', value: 14, note: '34.1%'},
  {label: '! requires_action', value: 6, note: '14.6%'},
  {label: '✗ failed', value: 4, note: '9.8%'},
  {label: '? paused_for_review', value: 1, note: '2.4%'},
  {label: '○ queued', value: 0, note: '0.0%'},
];

describe('barText', () => {
  it('draws eighths of a cell, full cells for the maximum', () => {
    expect(barText(8, 8, 5)).toBe('█████');
    expect(barText(4, 8, 5)).toBe('██▌');
    expect(barText(1, 8, 1)).toBe('▏');
    expect(barText(1, 1000, 10)).toBe('▏');
    expect(barText(0, 8, 5)).toBe('');
    expect(barText(5, 0, 5)).toBe('');
  });

  it('uses # in ASCII, at least one for any value above zero', () => {
    expect(barText(8, 8, 5, true)).toBe('#####');
    expect(barText(4, 8, 5, true)).toBe('###');
    expect(barText(1, 1000, 10, true)).toBe('#');
    expect(barText(0, 8, 5, true)).toBe('');
  });
});

describe('barChart', () => {
  it.each(WIDTHS)('never draws wider than %i columns, Unicode and ASCII', (width) => {
    expectFits(barChart(statusRows, {width}), width);
    const ascii = barChart(statusRows.map((row) => ({...row, label: row.label.replace(/^\S+/, '*')})), {width, ascii: true});
    expectFits(ascii, width);
    for (const text of texts(ascii)) expect(text).not.toMatch(NON_ASCII);
  });

  it('writes the number and the note next to every bar, aligned', () => {
    const lines = texts(barChart(statusRows, {width: 80}));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^ {2}✓ completed +█+ +14 +34\.1%$/);
    expect(lines[3]).toMatch(/^ {2}\? paused_for_review ██▉ + 1 +2\.4%$/);
    // A zero value has no bar but still has its number.
    expect(lines[4]).toMatch(/^ {2}○ queued +0 +0\.0%$/);
    const ends = lines.map((line) => line.length);
    expect(new Set(ends).size).toBe(1);
  });

  it('keeps bars proportional to the largest value', () => {
    const lines = texts(barChart([{label: 'a', value: 10}, {label: 'b', value: 5}], {width: 40, maxBarWidth: 20, indent: 0}));
    expect(lines[0]).toBe(`a ${'█'.repeat(20)} 10`);
    expect(lines[1]).toBe(`b ${'█'.repeat(10)}${' '.repeat(10)}  5`);
  });

  it('cuts long labels before it drops the bar, and keeps the numbers at 20 columns', () => {
    const lines = texts(barChart([{label: 'rate_limit_exceeded', value: 2510, note: '27.6%'}], {width: 20}));
    expect(lines[0]).toContain('2,510');
    expect(lines[0]).toContain('27.6%');
    expect(lines[0]).toContain('…');
  });
});

describe('sparkline and fitValues', () => {
  it('maps values to eight levels with a blank for zero', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7, 8])).toBe(' ▁▂▃▄▅▆▇█');
    expect(sparkline([1, 1000])).toBe('▁█');
    expect(sparkline([0, 0])).toBe('  ');
    expect(sparkline([])).toBe('');
  });

  it('has an ASCII form', () => {
    const text = sparkline([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], {ascii: true});
    expect(text).toBe(' .:-=+*#%@');
    expect(text).not.toMatch(NON_ASCII);
  });

  it('sums neighbours to fit a width', () => {
    expect(fitValues([1, 2, 3, 4, 5], 10)).toEqual({values: [1, 2, 3, 4, 5], factor: 1});
    expect(fitValues([1, 2, 3, 4, 5], 2)).toEqual({values: [6, 9], factor: 3});
    expect(fitValues([1, 2, 3, 4], 2)).toEqual({values: [3, 7], factor: 2});
    for (const width of WIDTHS) expect(stringWidth(sparkline(Array.from({length: 500}, (_, index) => index % 7), {width}))).toBeLessThanOrEqual(width);
  });
});

describe('columnChart', () => {
  const values = Array.from({length: 60}, (_, index) => (index * 37) % 23);

  it.each(WIDTHS)('fits %i columns with the axis and its labels', (width) => {
    const chart = columnChart(values, {width, startLabel: '2026-11-25 11:00', endLabel: '2026-11-25 12:00'});
    expectFits(chart.lines, width);
    expect(chart.values.reduce((sum, value) => sum + value, 0)).toBe(values.reduce((sum, value) => sum + value, 0));
    const ascii = columnChart(values, {width, ascii: true, startLabel: '11:00', endLabel: '12:00'});
    expectFits(ascii.lines, width);
    for (const text of texts(ascii.lines)) expect(text).not.toMatch(NON_ASCII);
  });

  it('writes the maximum and zero on the axis, and draws eighth-cell tops', () => {
    const chart = columnChart([0, 4, 8, 2], {width: 40, height: 2, indent: 0});
    expect(texts(chart.lines)).toEqual(['8 ┤  █', '0 ┤ ██▄', '  └────']);
    expect(chart.factor).toBe(1);
    expect(chart.plotOffset).toBe(3);
  });

  it('sums columns when they do not fit and says by how much', () => {
    const chart = columnChart(Array.from({length: 60}, () => 1), {width: 20, indent: 0});
    expect(chart.factor).toBe(4);
    expect(chart.values).toEqual(Array.from({length: 15}, () => 4));
  });

  it('puts the start label under the first column and the end label under the last', () => {
    const chart = columnChart(Array.from({length: 30}, () => 1), {width: 80, indent: 0, startLabel: 'from', endLabel: 'to'});
    const labels = lineText(chart.lines[chart.lines.length - 1]!);
    expect(labels.indexOf('from')).toBe(chart.plotOffset);
    expect(labels.lastIndexOf('to') + 2).toBe(chart.plotOffset + 30);
  });
});

describe('textTable', () => {
  const columns = [
    {header: 'thread', minWidth: 31},
    {header: 'runs', align: 'right' as const, priority: 0},
    {header: 'latest run', priority: 2, minWidth: 28},
    {header: 'status', priority: 1},
  ];
  const rows = [
    ['thread_41ogePJdFPW5bAUFxxZwRIpt', '11', 'run_NgumxWPdQdLyL7FmKbnsvsxt', 'cancelling'],
    ['thread_1QWJiNcAAl8DYFyKntkOX39U', '1', 'run_TpMlggIvapmkiXatm85gyg0a', 'requires_action'],
  ];

  it('aligns columns under a header', () => {
    expect(texts(textTable(columns, rows, {width: 200}))).toEqual([
      '  thread                           runs  latest run                    status',
      '  thread_41ogePJdFPW5bAUFxxZwRIpt    11  run_NgumxWPdQdLyL7FmKbnsvsxt  cancelling',
      '  thread_1QWJiNcAAl8DYFyKntkOX39U     1  run_TpMlggIvapmkiXatm85gyg0a  requires_action',
    ]);
  });

  it('drops the least important columns before cutting ids', () => {
    expect(texts(textTable(columns, rows, {width: 60}))).toEqual([
      '  thread                           runs  status',
      '  thread_41ogePJdFPW5bAUFxxZwRIpt    11  cancelling',
      '  thread_1QWJiNcAAl8DYFyKntkOX39U     1  requires_action',
    ]);
  });

  it.each(WIDTHS)('never draws wider than %i columns', (width) => {
    expectFits(textTable(columns, rows, {width}), width);
    for (const text of texts(textTable(columns, rows, {width, ascii: true}))) expect(text).not.toMatch(NON_ASCII);
  });
});

describe('text fitting', () => {
  it('cuts by terminal columns, wide characters counting two', () => {
    expect(fitText('東京都渋谷区', 7)).toBe('東京都…');
    expect(stringWidth(fitText('東京都渋谷区', 7))).toBe(7);
    expect(fitText('abcdef', 4, true)).toBe('abc~');
    expect(fitText('abc', 3)).toBe('abc');
    expect(padText('ab', 4, 'right')).toBe('  ab');
    expect(lineText(fitLine([{text: 'abc'}, {text: 'def', tone: 'bad'}], 5))).toBe('abcd…');
  });

  it('writes shares with one decimal, tiny ones as <0.1%', () => {
    expect(formatShare(0.488)).toBe('48.8%');
    expect(formatShare(1)).toBe('100.0%');
    expect(formatShare(0)).toBe('0.0%');
    expect(formatShare(0.0001)).toBe('<0.1%');
  });
});
