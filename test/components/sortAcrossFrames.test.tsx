/**
 * A sort too big for one frame, in the app: the key's frame keeps the order shown under its own
 * name and says which sort is coming; the new order follows without another key. Every sort is
 * sent across frames here (syncSortRuns 0), so the examples show it.
 */
import {stripVTControlCharacters} from 'node:util';
import {describe, expect, it} from 'vitest';
import {DEFAULT_FILTER_PACE} from '../../src/store/listView.js';
import {EXAMPLE_COUNT} from '../helpers/examples.js';
import {plainLines, press, useSizedApp, waitForText} from './helpers.js';

const plain = (frame: string) => stripVTControlCharacters(frame);
/** The list's rows: the lines after the column header, up to the position line. */
const rows = (frame: string) => {
  const lines = plainLines(frame);
  const header = lines.findIndex((line) => line.startsWith('STATUS'));
  return lines.slice(header + 1, lines.findIndex((line, index) => index > header && /\d+\/\d+/.test(line) && !/^\S+ +(run|response) /.test(line)));
};

describe('a sort across frames', () => {
  const {start} = useSizedApp();

  it('says sorting… over the old order, then shows the new one under its name', async () => {
    const app = start(120, 30, {filterPace: {...DEFAULT_FILTER_PACE, syncSortRuns: 0}});
    const first = await waitForText(app, `${EXAMPLE_COUNT} runs`);
    expect(plain(first)).toContain('sort: created ↓');
    const before = app.frames.length;
    const done = await press(app, 's', (frame) => plain(frame).includes('sort: status ↑') && !plain(frame).includes('sorting'));
    // Status order puts the runs waiting for tool outputs first, then the expired ones.
    expect(rows(done).length).toBeGreaterThan(10);
    expect(rows(done)).not.toEqual(rows(first));
    expect(rows(done).slice(0, 10).every((row) => row.startsWith('! requires_action'))).toBe(true);
    const drawn = app.frames.slice(before).map(plain);
    const waiting = drawn.filter((frame) => /sort: created ↓ {3}sorting by status ↑… \d+%/.test(frame));
    expect(waiting.length).toBeGreaterThan(0);
    // While it sorted, the rows were the ones shown before, in their order.
    for (const frame of waiting) expect(rows(frame)).toEqual(rows(first));
    // No frame named the new sort over rows in another order.
    for (const frame of drawn.filter((one) => one.includes('sort: status ↑'))) expect(rows(frame)).toEqual(rows(done));
  });
});
