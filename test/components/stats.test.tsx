/**
 * The statistics (i) and thread (t) views in the TUI, and the timeline in Overview: read from
 * frames at several widths.
 */
import {stripVTControlCharacters} from 'node:util';
import {describe, expect, it} from 'vitest';
import {KEYS, maxLineWidth, press, useSizedApp, waitForText} from './helpers.js';
import {EXAMPLE_COUNT, EXAMPLE_UNFINISHED} from '../helpers/examples.js';

const tui = useSizedApp();

const plain = (frame: string) => stripVTControlCharacters(frame);

describe.each([40, 80, 120])('at %i columns', (width) => {
  it('i shows the statistics of the runs, within the width; Esc goes back', async () => {
    const app = tui.start(width, 40);
    await waitForText(app, 'runlens');
    const frame = plain(await press(app, 'i', (text) => plain(text).includes('Runs by status')));
    expect(frame).toMatch(new RegExp(`${EXAMPLE_COUNT} runs\\s+·\\s+${EXAMPLE_UNFINISHED} unfinished`));
    expect(frame).toMatch(/requires_action.*6/);
    expect(maxLineWidth(frame)).toBeLessThanOrEqual(width);
    const back = plain(await press(app, KEYS.escape, (text) => plain(text).includes('STATUS')));
    expect(back).not.toContain('Runs by status');
  });

  it('the statistics follow the search', async () => {
    const app = tui.start(width, 40);
    await waitForText(app, 'runlens');
    await press(app, '/', (text) => plain(text).includes('Enter keeps'));
    await press(app, 'o3-mini', (text) => plain(text).includes(`of ${EXAMPLE_COUNT} runs`));
    await press(app, KEYS.enter, (text) => !plain(text).includes('Enter keeps'));
    const frame = plain(await press(app, 'i', (text) => plain(text).includes('Runs by status')));
    expect(frame).toMatch(/^4 runs/m);
  });

  it('t groups the runs by thread and marks the run that locks each', async () => {
    const app = tui.start(width, 40);
    await waitForText(app, 'runlens');
    const frame = plain(await press(app, 't', (text) => /\d+ threads?/.test(plain(text)) && plain(text).includes('locked')));
    expect(frame).toContain('thread_');
    expect(maxLineWidth(frame)).toBeLessThanOrEqual(width);
  });

  it('the Overview pane draws the run timeline within the width', async () => {
    const app = tui.start(width, 60);
    await waitForText(app, 'runlens');
    const frame = plain(await press(app, KEYS.enter, (text) => plain(text).includes('Timeline')));
    const lines = frame.split('\n');
    const at = lines.findIndex((line) => line === 'Timeline');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/[├|]/);
    expect(lines.slice(at, at + 4).join('\n')).toMatch(/created/);
    expect(maxLineWidth(frame)).toBeLessThanOrEqual(width);
  });
});
