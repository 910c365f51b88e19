/**
 * Narrow terminals: what must stay on screen when there is not room for everything. The pane tab
 * bar scrolls so the active tab shows (80 columns), the footer keeps `?` and `q` (60), and the
 * stuck view keeps the wait/expiry column before it cuts the run id; emoji never make a line wider
 * than the terminal as textWidth counts them (tmux itself is read in test/e2e/narrow.test.ts).
 */
import {fileURLToPath} from 'node:url';
import {stripVTControlCharacters} from 'node:util';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {textWidth} from '../../src/format/textWidth.js';
import {PANE_KEYS} from '../../src/keys.js';
import {PANES} from '../../src/panes/paneIds.js';
import {loadRunsFromSources} from '../../src/sources/loadSources.js';
import {footerLine, KEYS, plainLines, press, useChalkLevel, useSizedApp, waitForText} from './helpers.js';
import {EXAMPLE_COUNT, EXAMPLE_WAITING} from '../helpers/examples.js';

// The active tab is told by its reverse video.
useChalkLevel(3);
const tui = useSizedApp();
const plain = (frame: string) => stripVTControlCharacters(frame);

/** The tab bar: the line under the run's title. */
function tabBar(frame: string): string {
  const lines = plainLines(frame);
  return lines[lines.findIndex((line) => /^\S+ \S+ {2}run_/.test(line)) + 1] ?? '';
}

/** The text of the highlighted (inverse) tab: SGR 7 until the next reset. */
function activeTab(frame: string): string | undefined {
  const line = frame.split('\n').find((row) => /\u001b\[7m/.test(row) && /\d [A-Z]/.test(plain(row)));
  const match = line ? /\u001b\[7m(?:\u001b\[[0-9;]*m)*([^\u001b]*)/.exec(line) : null;
  return match?.[1]?.trim();
}

describe('the pane tab bar at 80 columns', () => {
  it('scrolls so the active tab is always shown, with a mark where tabs are hidden', async () => {
    const app = tui.start(80, 30);
    await waitForText(app, `${EXAMPLE_COUNT} runs`);
    // The second run: 4 calls, 4 tools and 4 metadata keys make the bar too wide for 80 columns.
    await press(app, 'j', (frame) => plain(frame).includes(`2/${EXAMPLE_COUNT}`));
    let frame = await press(app, KEYS.enter, (current) => plain(current).includes('1 Overview'));
    expect(tabBar(frame)).toMatch(/^ 1 Overview .*›$/);
    expect(tabBar(frame)).not.toContain('9 Steps');
    // The first nine, by their number keys (`0`, for the tenth, is tried below by Tab).
    for (const [index, pane] of PANES.slice(0, 9).entries()) {
      frame = await press(app, String(index + 1), (current) => activeTab(current)?.startsWith(`${index + 1} `) ?? false);
      const bar = tabBar(frame);
      expect(activeTab(frame)).toMatch(new RegExp(`^${index + 1} ${pane.short}( \\(\\S+\\))?$`));
      expect(stringWidth(bar), bar).toBeLessThanOrEqual(80);
      expect(bar).toContain(` ${index + 1} ${pane.short}`);
    }
    // On the ninth pane the bar has scrolled: tabs hidden on the left, none on the right.
    expect(tabBar(frame)).toMatch(/^‹ .* 9 Steps {2}Chat $/);
    expect(tabBar(frame)).not.toContain('1 Overview');
    // Tab reaches the tenth, whose tab shows no number.
    frame = await press(app, KEYS.tab, (current) => plain(current).includes('run run_'));
    expect(tabBar(frame)).toMatch(/^‹ .* 9 Steps {2}Chat $/);
    // Tab from the last pane wraps to the first, and the bar scrolls back.
    frame = await press(app, KEYS.tab, (current) => activeTab(current) === '1 Overview');
    expect(tabBar(frame)).toMatch(/^ 1 Overview /);
  });
});

describe('the footer at 60 columns', () => {
  it('keeps ? and q in the list and a run, leaving other hints out from the right', async () => {
    const app = tui.start(60, 30);
    const list = await waitForText(app, `${EXAMPLE_COUNT} runs`);
    expect(footerLine(list)).toBe('↓/j move  ⏎/→ open  / search  s sort  ? help  q quit');
    const detail = await press(app, KEYS.enter, (frame) => plain(frame).includes('1 Overview'));
    expect(footerLine(detail)).toMatch(/^Esc\/← back .* \? help {2}q quit$/);
    for (const frame of [list, detail]) expect(stringWidth(footerLine(frame))).toBeLessThanOrEqual(60);
  });

  it('keeps them down to the narrowest terminal', async () => {
    const app = tui.start(20, 20);
    const list = await waitForText(app, 'runlens');
    expect(footerLine(list)).toBe('? help  q quit');
  });
});

describe('the stuck view on a narrow terminal', () => {
  it('keeps the wait/expiry column and cuts the run id, where the plain list drops the note', async () => {
    const app = tui.start(60, 30);
    const list = plainLines(await waitForText(app, `${EXAMPLE_COUNT} runs`));
    const header = (lines: string[]) => lines.find((line) => line.startsWith('STATUS'))!;
    expect(header(list)).not.toContain('WAITING');
    expect(list.some((line) => line.includes('run_TpMlggIvapmkiXatm85gyg0a'))).toBe(true);
    const stuck = plainLines(await press(app, '!', (frame) => plain(frame).includes(`${EXAMPLE_WAITING} of ${EXAMPLE_COUNT} runs`)));
    expect(header(stuck)).toMatch(/^STATUS\s+RUN\s+WAITING/);
    const rows = stuck.filter((line) => line.startsWith('! requires_action'));
    expect(rows).toHaveLength(EXAMPLE_WAITING);
    for (const row of rows) {
      // A response has no expiry: its calls follow the wait.
      expect(row).toMatch(/ (run_\w+… {2}\d+[smhd] · (expires in \d+[smhd]|expired )|resp_\w+… {2}\d+[smhd] · \d+ calls?)/);
      expect(stringWidth(row)).toBeLessThanOrEqual(60);
    }
  });
});

describe('emoji that terminals draw wider than string-width counts', () => {
  it('no line of the list or of any pane is wider than 80 columns as textWidth counts them', async () => {
    const loaded = await loadRunsFromSources([fileURLToPath(new URL('../fixtures/wide/emoji-runs.json', import.meta.url))]);
    expect(loaded.runs).toHaveLength(3);
    const app = tui.start(80, 24, {runs: loaded.runs, sources: ['runs-👍🏽👩‍💻.json'], warnings: [{location: 'runs-👍🏽.json:1:1', message: '🧑🏿‍🚀'.repeat(60)}]});
    const fits = (frame: string, what: string) => {
      for (const line of plainLines(frame)) expect(textWidth(line), `${what}: ${line}`).toBeLessThanOrEqual(80);
      return frame;
    };
    fits(await waitForText(app, '3 runs'), 'the list');
    for (let index = 0; index < 3; index += 1) {
      await press(app, KEYS.enter, (frame) => plain(frame).includes('Esc/← back'));
      for (let pane = 1; pane <= 9; pane += 1) {
        fits(await press(app, String(pane), (frame) => activeTab(frame)?.startsWith(`${pane} `) ?? false), `pane ${pane}`);
      }
      await press(app, KEYS.escape, (frame) => plain(frame).includes('STATUS'));
      await press(app, 'j', (frame) => plain(frame).includes(`${Math.min(3, index + 2)}/3`));
    }
    fits(await press(app, 'W', (frame) => plain(frame).includes('1 warning while loading')), 'the warnings');
  });
});
