/**
 * The panes that hold tables (Tools, Usage, Metadata) in the TUI.
 *
 * Regression: the tables used to be drawn with Ink's `renderToString` inside RunDetail's render,
 * which broke the frame and then crashed Yoga ("table index is out of bounds"). ink-table's
 * component is now drawn inside the app's own tree (components/PaneTable.tsx, ScrollView).
 */
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import type {PaneId} from '../../src/panes/paneIds.js';
import {PaneDetail, useExamples, waitForText} from './helpers.js';

const {runs, mount} = useExamples();

async function renderPane(id: string, pane: PaneId): Promise<string> {
  const run = runs.find((candidate) => candidate.id === id)!;
  const instance = mount(render(<PaneDetail run={run} pane={pane} width={100} height={60} />));
  return stripVTControlCharacters(await waitForText(instance, '┌'));
}

describe('table panes in the TUI', () => {
  it('Tools (3) shows the ink-table of the tools', async () => {
    const frame = await renderPane('run_fbjG5CJOvUfeNO1F3Ehy9c7t', 'tools');
    expect(frame).toMatch(/┌───┬/);
    expect(frame).toMatch(/│ # │ type +│ name +│ strict │ description/);
    expect(frame).toMatch(/│ 2 │ function │ schedule_callback │ no +│/);
  });

  it('Usage (4) shows the usage table with the share of each limit', async () => {
    const frame = await renderPane('run_NJurMaysqo1GEvrPbHZ8WbVL', 'usage');
    expect(frame).toMatch(/│ tokens +│ used +│ limit +│ share of limit │/);
    expect(frame).toMatch(/│ completion │ 300 +│ 300 +│ 100\.0% +│/);
  });

  it('Metadata (7) shows the key/value table', async () => {
    const frame = await renderPane('run_fbjG5CJOvUfeNO1F3Ehy9c7t', 'metadata');
    expect(frame).toMatch(/│ key +│ value +│/);
    expect(frame).toMatch(/│ ticket +│ SUP-1234 +│/);
  });

  it('the text after a table is still there (what the tests above can rely on)', async () => {
    const frame = await renderPane('run_fbjG5CJOvUfeNO1F3Ehy9c7t', 'tools');
    expect(frame).toContain('1. lookup_order');
    expect(frame).toContain('parameters:');
  });
});
