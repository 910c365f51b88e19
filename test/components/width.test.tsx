/**
 * No line of any frame is wider than the terminal, at 40, 80 and 200 columns: lines wider than the
 * terminal wrap and break the layout of a full-screen UI.
 */
import {stripVTControlCharacters} from 'node:util';
import {Box} from 'ink';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {RunList} from '../../components/RunList.js';
import {measureContent} from '../../src/format/runColumns.js';
import type {PaneId} from '../../src/panes/paneIds.js';
import {selectRuns} from '../../src/store/listView.js';
import {DEFAULT_QUERY} from '../../src/model/listQuery.js';
import {
  appElement,
  FIXED_NOW_SECONDS,
  PaneDetail,
  footerLine,
  KEYS,
  maxLineWidth,
  plainLines,
  press,
  renderSized,
  pressUntil,
  waitForText,
  useExamples,
} from './helpers.js';
import {EXAMPLE_COUNT, EXAMPLE_STALLED, EXAMPLE_WAITING} from '../helpers/examples.js';

const {runs, mount} = useExamples();

const plain = (frame: string) => stripVTControlCharacters(frame);

// Every pane, the table panes (3, 4, 7) included.
const TEXT_PANES = ['1', '2', '3', '4', '5', '6', '7', '8'];

/** The number of the highlighted pane tab, from the frame's pane content. */
function selectedTab(frame: string): string | undefined {
  const text = plain(frame);
  if (/^Status {8}/m.test(text)) return '1';
  if (/type {10}submit_tool_outputs|No action required\.|carries no required_action/.test(text)) return '2';
  if (/No error\.|code {10}|incomplete {4}/.test(text)) return '5';
  if (/\d characters|No instructions\./.test(text)) return '6';
  // The table panes: only once their table (drawn after the first frame) is on screen.
  if (/│ # │ type|This run has no tools\.|The run object has no tools list\./.test(text)) return '3';
  if (/│ tokens +│ used|not finished: the API reports usage|no usage recorded/.test(text)) return '4';
  if (/│ key +│ value|No metadata\./.test(text)) return '7';
  if (text.includes('"object": "thread.run"')) return '8';
  return undefined;
}
const NOTABLE = ['run_fbjG5CJOvUfeNO1F3Ehy9c7t', 'run_QcO9H0pyUlfnsXPCQt94epuj', 'run_RAD97k4iu8FzIHd7sqV5paIH', 'run_vhqQ0ec6KaVvj14xtKKq8O6N', 'run_tdzZYGDwMQLqLxSGM9B5wCYA'];

function expectFits(frame: string, width: number, what: string): void {
  const widest = maxLineWidth(frame);
  if (widest > width) {
    const offending = plainLines(frame).filter((line) => maxLineWidth(line) > width);
    throw new Error(`${what}: a line is ${widest} columns wide at ${width}:\n${offending.join('\n')}`);
  }
  expect(widest).toBeLessThanOrEqual(width);
}

describe.each([40, 80, 200])('at %i columns', (width) => {
  it('the list, its filters, the search prompt and an empty result fit', async () => {
    const warnings = [{location: 'examples/some/very/long/path/to/a/file/that/goes/on.jsonl:12:7', message: 'x'.repeat(300)}];
    const app = mount(renderSized(appElement(runs, {warnings}), {columns: width, rows: 40}));
    expectFits(await waitForText(app, 'runlens'), width, 'list');
    expectFits(await press(app, 'G', (frame) => plain(frame).includes(`${EXAMPLE_COUNT}/${EXAMPLE_COUNT}`)), width, 'list bottom');
    expectFits(await press(app, '!', (frame) => plain(frame).includes(`of ${EXAMPLE_COUNT}`)), width, 'stuck');
    expectFits(await press(app, '!', (frame) => plain(frame).includes(`${EXAMPLE_WAITING + EXAMPLE_STALLED} of ${EXAMPLE_COUNT}`)), width, 'stuck + stalled');
    expectFits(await press(app, KEYS.escape, (frame) => !plain(frame).includes('stuck:')), width, 'cleared');
    expectFits(await press(app, 'f', (frame) => plain(frame).includes('status:')), width, 'status filter');
    expectFits(await press(app, '/', (frame) => footerLine(frame).includes('Enter keeps the filter')), width, 'search prompt');
    app.stdin.write('a-search-text-that-is-much-longer-than-the-narrowest-terminal-is-wide');
    expectFits(await waitForText(app, 'No runs match'), width, 'empty result with a long search');
    expectFits(await press(app, KEYS.enter, (frame) => !footerLine(frame).includes('Enter keeps the filter')), width, 'kept search');
    expectFits(await press(app, 'W', (frame) => plain(frame).includes('1 warning while loading')), width, 'warnings');
    expectFits(await press(app, '?', (frame) => plain(frame).includes('Keys')), width, 'help');
    expectFits(await pressUntil(app, 'G', (frame) => plain(frame).includes('leaves this help')), width, 'help bottom');
  });

  it.each(NOTABLE)('every text pane of %s fits', async (id) => {
    const app = mount(renderSized(appElement(runs), {columns: width, rows: 40}));
    await waitForText(app, 'runlens');
    await press(app, '/', (frame) => footerLine(frame).includes('Enter keeps the filter'));
    app.stdin.write(id);
    await waitForText(app, `1 of ${EXAMPLE_COUNT}`);
    await press(app, KEYS.enter, (frame) => !footerLine(frame).includes('Enter keeps the filter'));
    await press(app, KEYS.enter, (frame) => plain(frame).includes(' 1 Overview'));
    for (const key of TEXT_PANES) {
      const top = await press(app, key, (frame) => selectedTab(frame) === key);
      expectFits(top, width, `${id} pane ${key}`);
      // At the bottom the position line has nothing below (or there is no position line at all).
      const bottom = await pressUntil(app, 'G', (frame) => !/▼ \d+ below/.test(plain(frame)));
      expectFits(bottom, width, `${id} pane ${key} bottom`);
      await pressUntil(app, 'g', (frame) => !/▲ \d+ above/.test(plain(frame)));
    }
  });
});

describe('the search prompt on a narrow terminal', () => {
  // BUG (components/Footer.tsx): the search prompt is one <Text wrap="truncate-start"> holding
  // "/", the typed text, the cursor and the hint "   Enter keeps the filter · Esc clears it". When
  // it does not fit, the start is cut, so the typed text goes and the static hint stays: at 40
  // columns even "/" with nothing typed is cut ("… Enter keeps the filter · Esc clears it"), and
  // what the user types never shows. Expected: the prompt and the typed text stay visible (cut
  // the hint first).
  it('at 40 columns the prompt shows what is typed', async () => {
    const app = mount(renderSized(appElement(runs), {columns: 40, rows: 30}));
    await waitForText(app, 'runlens');
    await press(app, '/', (frame) => footerLine(frame).includes('Enter keeps the filter'));
    app.stdin.write('run_QcO9');
    const frame = await waitForText(app, `1 of ${EXAMPLE_COUNT}`);
    expect(footerLine(frame)).toContain('/run_QcO9');
  });

  it('at 80 columns a short search shows in full', async () => {
    const app = mount(renderSized(appElement(runs), {columns: 80, rows: 30}));
    await waitForText(app, 'runlens');
    await press(app, '/', (frame) => footerLine(frame).includes('Enter keeps the filter'));
    app.stdin.write('run_QcO9');
    const frame = await waitForText(app, `1 of ${EXAMPLE_COUNT}`);
    expect(footerLine(frame)).toMatch(/^\/run_QcO9 {4}Enter keeps the filter · Esc clears it$/);
  });
});

describe('the pieces, given a width', () => {
  it.each([40, 60, 80])('RunList at %i columns', async (width) => {
    const sorted = selectRuns(runs, DEFAULT_QUERY, FIXED_NOW_SECONDS);
    const instance = mount(render(<RunList runs={sorted} cursor={3} offset={2} height={10} width={width} nowSeconds={FIXED_NOW_SECONDS} contentWidths={measureContent(runs)} />));
    const frame = await waitForText(instance, 'STATUS');
    expectFits(frame, width, 'RunList');
    expect(plain(frame)).toContain('▲ 2 more');
    expect(plain(frame)).toContain(`4/${EXAMPLE_COUNT}`);
  });

  it.each([
    [40, 'overview'],
    [40, 'action'],
    [40, 'raw'],
    [80, 'instructions'],
    [80, 'error'],
  ] as Array<[number, PaneId]>)('RunDetail at %i columns, %s pane', async (width, pane) => {
    const run = runs.find((candidate) => candidate.id === 'run_fbjG5CJOvUfeNO1F3Ehy9c7t')!;
    // RunDetail fills the box it is given (the App gives it the terminal's width).
    const instance = mount(
      render(
        <Box width={width} flexDirection="column">
          <PaneDetail run={run} pane={pane} width={width} height={30} />
        </Box>,
      ),
    );
    // The title line: the tab bar scrolls, so the Overview tab is not on it for every pane.
    const frame = await waitForText(instance, 'run_fbjG5CJOvUfeNO1F');
    expectFits(frame, width, `RunDetail ${pane}`);
  });
});
