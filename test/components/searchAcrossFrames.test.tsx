/**
 * A search too big for one frame, in the app: the keystroke's frame says "searching…" and shows the
 * matches among the first runs; the whole result follows without another key, and a result for a
 * query typed over since never shows. The pace is made small so the examples take many steps.
 */
import {stripVTControlCharacters} from 'node:util';
import {describe, expect, it} from 'vitest';
import type {FilterPace} from '../../src/store/listView.js';
import {EXAMPLE_COUNT} from '../helpers/examples.js';
import {footerLine, press, typeText, useSizedApp, waitForText} from './helpers.js';

const SLOW: FilterPace = {syncWork: 0, headRuns: 3, eachRuns: 2, gatherRuns: 2};
const plain = (frame: string) => stripVTControlCharacters(frame);

describe('a search across frames', () => {
  const {start} = useSizedApp();

  it('says searching… while it goes on, then shows the whole result without another key', async () => {
    const app = start(120, 30, {filterPace: SLOW});
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    await press(app, '/', (frame) => footerLine(frame).startsWith('/'));
    const before = app.frames.length;
    await typeText(app, 'o3-mini');
    const done = await waitForText(app, `4 of ${EXAMPLE_COUNT} runs`);
    expect(plain(done)).not.toContain('searching');
    // Frames drawn while it went on said so, in the header and under the list (or in its place).
    const drawn = app.frames.slice(before).map(plain);
    expect(drawn.some((frame) => new RegExp(`searching ${EXAMPLE_COUNT} runs… \\d+%`).test(frame))).toBe(true);
    expect(drawn.some((frame) => /so far {3}searching… \d+%|Searching… \d+%/.test(frame))).toBe(true);
    expect(plain(done)).toContain('search: o3-mini');
  });

  it('typed over in one burst, only the last query\'s result shows', async () => {
    const app = start(120, 30, {filterPace: SLOW});
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    await press(app, '/', (frame) => footerLine(frame).startsWith('/'));
    // Each letter replaces the scan going on; the burst ends on a query nothing matches.
    app.stdin.write('o3-minizq');
    const done = await waitForText(app, `0 of ${EXAMPLE_COUNT} runs`);
    expect(plain(done)).toContain('No runs match the current filter.');
    // Back to a query with matches: the earlier scans' answers are not taken for it.
    app.stdin.write('\u007f\u007f');
    const back = await waitForText(app, `4 of ${EXAMPLE_COUNT} runs`);
    expect(footerLine(back)).toMatch(/^\/o3-mini /);
  });
});
