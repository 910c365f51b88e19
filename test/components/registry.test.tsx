/**
 * Every pane and every overlay opens from its key, as its registry entry says, and shows what its
 * entry builds; a table reads the same in the TUI and in `runlens show`.
 */
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {keyText} from '../../src/keys.js';
import {lineText} from '../../src/panes/content.js';
import {EXAMPLE_COUNT} from '../helpers/examples.js';
import {buildPane, paneNumberKey, PANES} from '../../src/panes/paneIds.js';
import {OVERLAYS, type OverlayData} from '../../src/stats/overlays.js';
import {DEFAULT_QUERY} from '../../src/model/listQuery.js';
import {selectRuns} from '../../src/store/listView.js';
import {paneLines, tableLines} from '../../src/cli/paneText.js';
import {runAsText} from '../../src/cli/printRun.js';
import {tableHeight} from '../../src/panes/scrollRows.js';
import type {TableBlock} from '../../src/panes/content.js';
import {FIXED_NOW_SECONDS, KEYS, PaneDetail, footerLine, press, useSizedApp, waitForText, openRunById} from './helpers.js';

const COLUMNS = 200;
const RUN_ID = 'run_fbjG5CJOvUfeNO1F3Ehy9c7t';
const CONTEXT = {nowSeconds: FIXED_NOW_SECONDS, time: {utc: true}, ascii: false, width: COLUMNS};
const plain = (frame: string) => stripVTControlCharacters(frame);
const tui = useSizedApp();

/** The first line a view's content shows at COLUMNS, as print mode lays it out. */
function firstLine(lines: ReturnType<typeof paneLines>): string {
  return lineText(lines.find((line) => lineText(line).trim() !== '')!).trimEnd();
}

describe('the pane registry', () => {
  it('each pane opens from its number key, on its own tab, with the content its entry builds', async () => {
    const run = tui.runs().find((candidate) => candidate.id === RUN_ID)!;
    const app = tui.start(COLUMNS, 60);
    await openRunById(app, RUN_ID);
    for (const [index, pane] of PANES.entries()) {
      const key = paneNumberKey(index);
      const expected = firstLine(paneLines(buildPane(pane.id, run, CONTEXT), COLUMNS));
      const frame = plain(await press(app, key, (current) => plain(current).includes(expected)));
      // The tenth tab shows no number though `0` opens it (see paneTabs.ts).
      expect(frame, pane.id).toContain(index < 9 ? ` ${key} ${pane.title}` : `   ${pane.title}`);
    }
  });

  it('0 opens the last pane while there are fewer than ten, and Tab goes round them all in registry order', async () => {
    const app = tui.start(COLUMNS, 60);
    await openRunById(app, RUN_ID);
    const run = tui.runs().find((candidate) => candidate.id === RUN_ID)!;
    const last = PANES[PANES.length - 1]!;
    await press(app, '0', (frame) => plain(frame).includes(firstLine(paneLines(buildPane(last.id, run, CONTEXT), COLUMNS))));
    for (const pane of PANES) {
      const expected = firstLine(paneLines(buildPane(pane.id, run, CONTEXT), COLUMNS));
      await press(app, KEYS.tab, (frame) => plain(frame).includes(expected));
    }
  });
});

describe('the overlay registry', () => {
  it('each overlay opens from its key over the list, shows what its entry builds, and its key again goes back', async () => {
    const runs = tui.runs();
    const shown = selectRuns(runs, DEFAULT_QUERY, FIXED_NOW_SECONDS);
    // The compare overlay shows the marked run against the one under the cursor: the first two.
    const data: OverlayData = {runs: shown, warnings: [], nowSeconds: FIXED_NOW_SECONDS, time: {utc: true}, compare: {a: shown[0]!, b: shown[1]!}};
    const app = tui.start(COLUMNS, 60);
    await waitForText(app, 'STATUS');
    await press(app, keyText('markRun'), (frame) => footerLine(frame).startsWith('Marked'));
    await press(app, 'j', (frame) => plain(frame).includes(`2/${EXAMPLE_COUNT}`));
    for (const overlay of OVERLAYS) {
      const prepared = 'prepare' in overlay ? overlay.prepare(data) : undefined;
      const expected = firstLine(paneLines(overlay.build(prepared as never, data, {width: COLUMNS, ascii: false}), COLUMNS));
      await press(app, keyText(overlay.command), (frame) => plain(frame).includes(expected));
      await press(app, keyText(overlay.command), (frame) => plain(frame).includes('STATUS'));
    }
  });
});

describe('one table renderer', () => {
  const tableOf = (text: string) => {
    const lines = text.split('\n');
    const start = lines.findIndex((line) => line.startsWith('┌'));
    const end = lines.findIndex((line, index) => index > start && line.startsWith('└'));
    return lines.slice(start, end + 1).map((line) => line.trimEnd());
  };

  it.each(['tools', 'usage', 'metadata'] as const)('the %s table reads the same in the TUI as in runlens show', async (id) => {
    const runs = tui.runs();
    const run = runs.find((candidate) => candidate.id === (id === 'usage' ? 'run_NJurMaysqo1GEvrPbHZ8WbVL' : RUN_ID))!;
    const instance = render(<PaneDetail run={run} pane={id} width={100} height={60} />);
    try {
      const frame = plain(await waitForText(instance, '└'));
      const shown = runAsText(run, {nowSeconds: FIXED_NOW_SECONDS, time: {utc: true}}, {width: 100, color: false});
      const section = shown.slice(shown.indexOf(`── ${PANES.find((pane) => pane.id === id)!.title} ─`));
      const table = tableOf(frame);
      expect(table.length).toBeGreaterThan(3);
      expect(table).toEqual(tableOf(section));
    } finally {
      instance.unmount();
    }
  });

  it('a table takes the rows the TUI reserves for it, empty or not, in ASCII too', () => {
    const blocks: TableBlock[] = [
      {kind: 'table', columns: ['key', 'value'], rows: []},
      {kind: 'table', columns: ['key', 'value'], rows: [{key: 'a', value: 'b'}]},
      {kind: 'table', columns: ['#', 'name'], rows: [{'#': '1', name: 'x'}, {'#': '2', name: 'y'}, {'#': '3', name: 'z'}]},
    ];
    for (const block of blocks) {
      expect(tableLines(block).length).toBe(tableHeight(block));
      const ascii = tableLines(block, true).map(lineText);
      expect(ascii.length).toBe(tableHeight(block));
      expect(ascii.join('')).toMatch(/^[\x20-\x7e]*$/);
    }
  });
});
