/**
 * Compare in the TUI: `m` marks a run (a glyph in the list; again: unmarked), `=` on another opens
 * the two compared as `runlens diff` prints them (side by side when wide, unified when narrow),
 * Esc or q goes back; `=` with nothing marked says how to mark. Across kinds too.
 */
import {stripVTControlCharacters} from 'node:util';
import {describe, expect, it} from 'vitest';
import {loadRunsFromSources} from '../../src/sources/loadSources.js';
import {appElement, footerLine, KEYS, maxLineWidth, plainLines, press, pressUntil, RAW_CONTROL, renderSized, useChalkLevel, useSizedApp, waitForText, type TestInstance} from './helpers.js';

useChalkLevel(0);
const tui = useSizedApp();
const plain = (frame: string) => stripVTControlCharacters(frame);

// The examples' pair: two turns of one thread, the second cut short by its completion limit.
const A = 'run_RAD97k4iu8FzIHd7sqV5paIH';
const B = 'run_NJurMaysqo1GEvrPbHZ8WbVL';
const HOSTILE = 'run_2yWqPbaIuNjlzyW4ZJZXFPL1';

/** Narrows the list to one run by its id (the search kept) so the cursor is on it. */
async function selectRun(app: TestInstance, id: string): Promise<string> {
  await press(app, '/', (frame) => footerLine(frame).includes('Enter keeps the filter'));
  app.stdin.write(id);
  await waitForText(app, '1 of ');
  return press(app, KEYS.enter, (frame) => !footerLine(frame).includes('Enter keeps the filter'));
}

/** Marks run `a`, clears the search and selects run `b`: the cursor on B with A marked. */
async function markThenSelect(app: TestInstance, a: string, b: string): Promise<string> {
  await selectRun(app, a);
  await press(app, 'm', (current) => footerLine(current).startsWith('Marked'));
  await press(app, 'c', (current) => !plain(current).includes('1 of '));
  return selectRun(app, b);
}

/** The list row of run `id`, if it is on screen. */
const rowOf = (frame: string, id: string) => plainLines(frame).find((line) => line.includes(id) && !line.includes('search:'));

describe('mark and compare', () => {
  it('= with nothing marked says how to mark; the footer and the help show both keys', async () => {
    const app = tui.start(120, 30);
    let frame = await waitForText(app, 'STATUS');
    expect(footerLine(frame)).toContain('m mark  = compare');
    frame = await press(app, '=', (current) => footerLine(current).startsWith('Nothing is marked'));
    expect(footerLine(frame)).toBe('Nothing is marked: press m on a run, then = on another to compare the two');
    frame = await press(app, '?', (current) => plain(current).includes('Keys'));
    await pressUntil(app, 'G', (current) => plain(current).includes('two runs compared (=)'));
  });

  it('m marks the run under the cursor with a glyph, m again unmarks it; = on another opens them side by side; Esc goes back', async () => {
    const app = tui.start(140, 40);
    await selectRun(app, A);
    let frame = await press(app, 'm', (current) => footerLine(current).startsWith('Marked'));
    expect(footerLine(frame)).toBe(`Marked ${A}: press = on another run to compare them`);
    expect(rowOf(frame, A)).toMatch(/^◆ . completed/);
    frame = await press(app, 'm', (current) => footerLine(current).startsWith('Unmarked'));
    expect(rowOf(frame, A)).toMatch(/^. completed/);
    expect(plain(frame)).not.toContain('◆');
    await press(app, 'm', (current) => footerLine(current).startsWith('Marked'));

    // On the marked run itself, = says to press it on another one.
    frame = await press(app, '=', (current) => footerLine(current).startsWith('This is the marked run'));
    await press(app, 'c', (current) => !plain(current).includes('1 of '));
    await selectRun(app, B);
    frame = await press(app, '=', (current) => plain(current).includes('The runs differ.'));
    const lines = plainLines(frame);
    expect(lines).toContainEqual(expect.stringMatching(/^A run_RAD97k4iu8FzIHd7sqV5paIH {3}B run_NJurMaysqo1GEvrPbHZ8WbVL/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}max_completion_tokens +— +300/));
    expect(maxLineWidth(frame)).toBeLessThanOrEqual(140);
    expect(footerLine(frame)).toContain('Esc/← back');
    // It scrolls like a pane: the instructions diff is further down.
    frame = await pressUntil(app, 'G', (current) => plain(current).includes('Customer profile (imported from the CRM'));
    frame = await press(app, KEYS.escape, (current) => rowOf(current, B) !== undefined);
    expect(plain(frame)).not.toContain('instructions');
    expect(rowOf(frame, B)).toBeDefined();
    // The mark stays until it is taken off: its column is still there (the marked run is filtered out here).
    expect(rowOf(frame, B)).toMatch(/^ {2}◐ incomplete/);
    // Under the list, the position line names it.
    expect(plainLines(frame).at(-2)).toBe(`1/1   ◆ ${A} marked`);
  });

  it('from a run on a narrow terminal: unified, and q goes back to the run', async () => {
    const app = tui.start(80, 30);
    await markThenSelect(app, A, B);
    await press(app, KEYS.enter, (current) => plain(current).includes(' 1 Overview'));
    let frame = await press(app, '=', (current) => plain(current).includes('The runs differ.'));
    expect(plain(frame)).toContain('  max_completion_tokens\n  - —\n  + 300');
    expect(maxLineWidth(frame)).toBeLessThanOrEqual(80);
    frame = await press(app, 'q', (current) => plain(current).includes(' 1 Overview'));
    expect(plain(frame)).toContain(B);
  });

  it('every string is escaped: a run with hostile instructions compared draws no raw control character', async () => {
    const app = tui.start(120, 60);
    await markThenSelect(app, HOSTILE, A);
    // Tall enough for the whole comparison, the instructions diff included.
    const frame = await press(app, '=', (current) => plain(current).includes('The runs differ.'));
    expect(frame).not.toMatch(RAW_CONTROL);
    // The hostile run's escapes are shown as text.
    expect(plain(frame)).toContain('  + - Display name: "Mara\\x1b[2J\\x1b]0;pwned\\x07 Quint"');
  });

  it('across kinds: a thread.run against a response', async () => {
    const loaded = await loadRunsFromSources(['test/fixtures/compare/before-after.json', 'test/fixtures/responses/waiting-chain.json']);
    const app = renderSized(appElement(loaded.runs), {columns: 120, rows: 40});
    try {
      await markThenSelect(app, 'run_CmpBeforeV1xQ7rLm2Nw8Kd', 'resp_02chainwaits');
      const frame = plain(await press(app, '=', (current) => plain(current).includes('The runs differ.')));
      expect(frame).toContain('A run_CmpBeforeV1xQ7rLm2Nw8Kd (run)   B resp_02chainwaits (response)');
      expect(frame).toMatch(/ {2}status +completed +requires_action/);
    } finally {
      app.unmount();
    }
  });
});
