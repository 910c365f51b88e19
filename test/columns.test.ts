import fc from 'fast-check';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {normalizeRun} from '../src/model/normalize.js';
import type {Run} from '../src/model/run.js';
import {cellFor, COLUMN_GAP, COLUMN_SPECS, costCanShow, cutToWidth, fitCell, fitPieces, layoutColumns, measureContent, runNote, tailToWidth, type ColumnKey} from '../src/format/runColumns.js';
import {groupedCount} from '../src/format/count.js';
import {textWidth} from '../src/format/textWidth.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';

const NOW = Math.floor(Date.parse('2026-11-25T12:00:00Z') / 1000);
const DISPLAY_ORDER: ColumnKey[] = ['status', 'id', 'model', 'thread', 'created', 'duration', 'tokens', 'note'];

function run(raw: Record<string, unknown>): Run {
  return normalizeRun({object: 'thread.run', ...raw}, {file: 'test.json'});
}

function rowWidth(width: number, contentWidths?: Partial<Record<ColumnKey, number>>): number {
  const columns = layoutColumns(width, contentWidths);
  return columns.reduce((sum, column) => sum + column.size, 0) + COLUMN_GAP * Math.max(0, columns.length - 1);
}

describe('layoutColumns', () => {
  it('never lays out a row wider than the terminal, for every width from 1 to 300', () => {
    for (let width = 1; width <= 300; width += 1) {
      expect(rowWidth(width), `width ${width}`).toBeLessThanOrEqual(width);
    }
  });

  it('never lays out a row wider than the terminal whatever the content widths (property)', () => {
    const contentArb = fc.record({status: fc.integer({min: 0, max: 60}), model: fc.integer({min: 0, max: 60})}, {requiredKeys: []});
    fc.assert(fc.property(fc.integer({min: 1, max: 400}), contentArb, (width, content) => rowWidth(width, content) <= width));
  });

  it('keeps every column within its own bounds and in display order', () => {
    for (const width of [20, 40, 60, 80, 100, 120, 160, 200, 300]) {
      const columns = layoutColumns(width);
      const keys = columns.map((column) => column.key);
      expect(keys).toEqual(DISPLAY_ORDER.filter((key) => keys.includes(key)));
      for (const column of columns) {
        expect(column.size).toBeGreaterThanOrEqual(column.minWidth);
        if (column.key !== 'note') expect(column.size).toBeLessThanOrEqual(column.width);
      }
    }
  });

  it('drops the least useful columns first as the terminal narrows', () => {
    const byPriority = [...COLUMN_SPECS].sort((a, b) => a.priority - b.priority).map((spec) => spec.key);
    expect(byPriority.slice(0, 4)).toEqual(['status', 'id', 'created', 'note']);
    expect(layoutColumns(300).map((column) => column.key)).toEqual(DISPLAY_ORDER);
    expect(layoutColumns(40).map((column) => column.key)).toEqual(['status', 'id']);
    expect(layoutColumns(80).map((column) => column.key)).toEqual(['status', 'id', 'created', 'note']);
    // Status (the symbol and word) is always there once it fits at all.
    expect(layoutColumns(17).map((column) => column.key)).toEqual(['status']);
    for (let width = 17; width <= 300; width += 1) expect(layoutColumns(width)[0]?.key).toBe('status');
  });

  it('in the stuck view, cuts the id before it drops the wait/expiry note (every width, property)', () => {
    const content = {status: 17, model: 12};
    const size = (columns: ReturnType<typeof layoutColumns>, key: ColumnKey) => columns.find((column) => column.key === key)?.size;
    fc.assert(
      fc.property(fc.integer({min: 1, max: 300}), (width) => {
        const columns = layoutColumns(width, content, 'stuck');
        const keys = columns.map((column) => column.key);
        expect(keys).toEqual(DISPLAY_ORDER.filter((key) => keys.includes(key)));
        expect(columns.reduce((sum, column) => sum + column.size, 0) + COLUMN_GAP * Math.max(0, columns.length - 1)).toBeLessThanOrEqual(width);
        // Where a whole id would fit beside the status, the id is cut only to make room for the note.
        const id = size(columns, 'id');
        if (id !== undefined && id < 28 && width >= 17 + COLUMN_GAP + 28) expect(size(columns, 'note')).toBeGreaterThanOrEqual(20);
        if (width >= 17 + 14 + 20 + 2 * COLUMN_GAP) expect(size(columns, 'note')).toBeGreaterThanOrEqual(20);
      }),
      {numRuns: 300},
    );
    // At 60 columns the plain list keeps the whole id and drops the note; the stuck view cuts the id.
    expect(layoutColumns(60, content).map((column) => [column.key, column.size])).toEqual([['status', 17], ['id', 28], ['created', 8]]);
    expect(layoutColumns(60, content, 'stuck').map((column) => [column.key, column.size])).toEqual([['status', 17], ['id', 19], ['note', 20]]);
    // Wide enough for everything, both views are the same.
    expect(layoutColumns(200, content, 'stuck')).toEqual(layoutColumns(200, content));
  });

  it('the note column takes the room that is left', () => {
    for (const width of [80, 100, 200]) {
      const columns = layoutColumns(width);
      if (columns.some((column) => column.key === 'note')) expect(rowWidth(width)).toBe(width);
    }
  });

  it('sizes the status and model columns to the data', async () => {
    const {runs} = await loadRunsFromSources(['examples']);
    const content = measureContent(runs);
    // "? paused_for_review" is the widest status cell; "gpt-4-1106-preview" the widest model.
    expect(content.status).toBe(stringWidth('? paused_for_review'));
    expect(content.model).toBe('gpt-4-1106-preview'.length);
    const columns = layoutColumns(200, content);
    expect(columns.find((column) => column.key === 'status')?.size).toBe(19);
    expect(columns.find((column) => column.key === 'model')?.size).toBe(18);
    const short = measureContent([run({id: 'run_1', status: 'failed', model: 'o3'})]);
    const narrow = layoutColumns(200, short);
    // Never narrower than the header.
    expect(narrow.find((column) => column.key === 'model')?.size).toBe('MODEL'.length);
    expect(narrow.find((column) => column.key === 'status')?.size).toBe('STATUS'.length + 2);
  });
});

describe('costCanShow (runs are priced only where the COST column could show)', () => {
  it('says so wherever a COST column of any real width is laid out, whatever the other columns (property)', () => {
    const contentArb = fc.record({status: fc.integer({min: 4, max: 25}), model: fc.integer({min: 1, max: 40}), kind: fc.option(fc.constant(8), {nil: undefined})});
    fc.assert(
      fc.property(fc.integer({min: 1, max: 300}), contentArb, fc.integer({min: 6, max: 14}), fc.constantFrom('all' as const, 'stuck' as const), (width, content, cost, view) => {
        const shown = layoutColumns(width, {...content, cost}, view).some((column) => column.key === 'cost');
        if (shown) expect(costCanShow(width, content, view)).toBe(true);
      }),
      {numRuns: 2000},
    );
  });

  it('leaves prices out at 120 columns beside long model names, keeps them on a wide terminal', () => {
    const content = {status: 19, model: 24};
    expect(costCanShow(120, content)).toBe(false);
    expect(costCanShow(200, content)).toBe(true);
    expect(costCanShow(40, content, 'stuck')).toBe(false);
  });
});

describe('groupedCount', () => {
  it("writes numbers as toLocaleString('en-US') does (property)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat(), fc.maxSafeNat(), fc.integer(), fc.double({noNaN: false})), (value) => {
        expect(groupedCount(value)).toBe(value.toLocaleString('en-US'));
      }),
      {numRuns: 3000},
    );
    for (const value of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 123_456_789]) expect(groupedCount(value)).toBe(value.toLocaleString('en-US'));
  });
});

describe('cutToWidth and fitCell', () => {
  it('leaves text that fits alone', () => {
    expect(cutToWidth('abc', 3)).toEqual({text: 'abc', width: 3});
    expect(fitCell('abc', 5, 'left')).toBe('abc  ');
    expect(fitCell('abc', 5, 'right')).toBe('  abc');
  });

  it('cuts with an ellipsis, counting wide characters as two columns', () => {
    expect(cutToWidth('abcdef', 4)).toEqual({text: 'abc…', width: 4});
    expect(cutToWidth('東京東京', 5)).toEqual({text: '東京…', width: 5});
    expect(cutToWidth('東京東京', 4)).toEqual({text: '東…', width: 3});
    expect(fitCell('東京東京', 4, 'left')).toBe('東… ');
    expect(cutToWidth('abc', 0)).toEqual({text: '', width: 0});
  });

  it('always returns exactly `size` columns (property)', () => {
    fc.assert(
      fc.property(fc.string({unit: fc.constantFrom('a', 'é', '東', '✓', ' ', '😀')}), fc.integer({min: 1, max: 30}), fc.boolean(), (text, size, right) => {
        return stringWidth(fitCell(text, size, right ? 'right' : 'left')) === size;
      }),
    );
  });
});

describe('cells', () => {
  const waiting = run({
    id: 'run_wait',
    status: 'requires_action',
    thread_id: 'thread_1',
    created_at: NOW - 400,
    started_at: NOW - 294,
    expires_at: NOW + 306,
    required_action: {
      type: 'submit_tool_outputs',
      submit_tool_outputs: {tool_calls: [{id: 'call_1', type: 'function', function: {name: 'f', arguments: '{}'}}]},
    },
  });

  it('a waiting run notes how long it waited, when it expires and how many calls it waits for', () => {
    expect(runNote(waiting, NOW)).toEqual({text: '4m · expires in 5m · 1 call', tone: 'attention'});
    const expired = runNote(waiting, NOW + 1000);
    expect(expired.text).toContain('expired');
    expect(expired.text).toContain('ago');
    expect(expired.tone).toBe('bad');
  });

  it('an unfinished run names the thread it locks; a failed one its error', () => {
    expect(runNote(run({id: 'run_q', status: 'queued', thread_id: 'thread_Q'}), NOW)).toEqual({text: 'locks thread_Q', tone: 'warn'});
    expect(runNote(run({id: 'run_q', status: 'queued'}), NOW).text).toBe('not finished');
    expect(runNote(run({id: 'run_f', status: 'failed', last_error: {code: 'server_error', message: 'Boom'}}), NOW)).toEqual({
      text: 'server_error: Boom',
      tone: 'bad',
    });
    expect(runNote(run({id: 'run_i', status: 'incomplete', incomplete_details: {reason: 'max_prompt_tokens'}}), NOW).text).toBe(
      'incomplete: max_prompt_tokens',
    );
    expect(runNote(run({id: 'run_p', status: 'completed', usage: 'lots'}), NOW).text).toBe('1 invalid field');
    expect(runNote(run({id: 'run_c', status: 'completed'}), NOW)).toEqual({text: ''});
  });

  it('error text in a note is one safe line', () => {
    const note = runNote(run({id: 'run_f', status: 'failed', last_error: {code: 'x', message: 'line1\nline2\u001b[2J\u202e'}}), NOW);
    expect(note.text).toBe('x: line1\\nline2\\x1b[2J\\u202e');
  });

  it('status shows a glyph and the word, in Unicode or ASCII', () => {
    expect(cellFor(waiting, 'status', NOW).text).toBe('! requires_action');
    expect(cellFor(run({id: 'r', status: 'completed'}), 'status', NOW)).toEqual({text: '✓ completed', tone: 'good'});
    expect(cellFor(run({id: 'r', status: 'completed'}), 'status', NOW, true).text).toBe('v completed');
    expect(cellFor(run({id: 'r', status: 'failed'}), 'status', NOW, true).text).toBe('X failed');
    expect(cellFor(run({id: 'r', status: 'paused_for_review'}), 'status', NOW).text).toBe('? paused_for_review');
  });

  it('the other cells', () => {
    const done = run({
      id: 'run_\u001b]0;x\u0007',
      status: 'completed',
      model: 'gpt-4o',
      created_at: NOW - 3600,
      started_at: NOW - 3600,
      completed_at: NOW - 3500,
      usage: {prompt_tokens: 1, completion_tokens: 1, total_tokens: 21_800},
    });
    expect(cellFor(done, 'id', NOW).text).toBe('run_\\x1b]0;x\\x07');
    expect(cellFor(done, 'model', NOW).text).toBe('gpt-4o');
    expect(cellFor(done, 'thread', NOW)).toEqual({text: '—', tone: 'dim'});
    expect(cellFor(done, 'created', NOW).text).toBe('1h ago');
    expect(cellFor(done, 'duration', NOW)).toEqual({text: '1m 40s'});
    expect(cellFor(done, 'tokens', NOW).text).toBe('21,800');
    expect(cellFor(waiting, 'duration', NOW)).toEqual({text: '4m 54s', tone: 'warn'});
    expect(cellFor(waiting, 'tokens', NOW)).toEqual({text: '—', tone: 'dim'});
  });
});

describe('fitPieces and tailToWidth', () => {
  it('cut the pieces of a line to the width as textWidth counts, never inside a cluster (property)', () => {
    const piece = fc.array(fc.constantFrom('a', ' ', '東', '👍🏽', '❤️', '👩‍💻', '🇺🇸', 'é'), {maxLength: 12}).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.array(piece, {maxLength: 6}), fc.integer({min: 0, max: 40}), (pieces, width) => {
        const fitted = fitPieces(pieces, width);
        expect(fitted).toHaveLength(pieces.length);
        expect(textWidth(fitted.join(''))).toBeLessThanOrEqual(width);
        // Whole pieces while they fit: the first one cut ends with … and the rest are empty.
        const first = fitted.findIndex((text, index) => text !== pieces[index]);
        if (first !== -1) for (const rest of fitted.slice(first + 1)) expect(rest).toBe('');
        const tail = tailToWidth(pieces.join(''), width);
        expect(textWidth(tail)).toBeLessThanOrEqual(Math.max(0, width));
      }),
    );
    // 👍🏽 counts 4 (see textWidth): at 34 columns there is no room for it before the …, at 35 there is.
    expect(fitPieces(['! requires_action', '  run_1', '  gpt 👍🏽👍🏽'], 34)).toEqual(['! requires_action', '  run_1', '  gpt …']);
    expect(fitPieces(['! requires_action', '  run_1', '  gpt 👍🏽👍🏽'], 35)).toEqual(['! requires_action', '  run_1', '  gpt 👍🏽…']);
    expect(fitPieces(['abc', 'def', 'ghi'], 5)).toEqual(['abc', 'd…', '']);
  });
});
