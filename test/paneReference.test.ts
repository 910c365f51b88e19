/**
 * Prose in a pane names another pane by its registry entry: with the Required action pane moved to
 * third place, the Overview's pointer to it says key 3, and `runlens show` prints the same.
 */
import {describe, expect, it, vi} from 'vitest';
import {lineText} from '../src/panes/content.js';
import {loadRunsFromSources} from '../src/sources/loadSources.js';

vi.mock('../src/panes/registry.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/panes/registry.js')>();
  const [overview, action, tools, ...rest] = real.PANE_REGISTRY;
  return {...real, PANE_REGISTRY: [overview, tools, action, ...rest]};
});

const {buildPane, paneReference} = await import('../src/panes/paneIds.js');
const {paneLines} = await import('../src/cli/paneText.js');

const NOW = Math.floor(Date.parse('2026-11-25T12:00:00Z') / 1000);
const WAITING = 'run_fbjG5CJOvUfeNO1F3Ehy9c7t';

describe('a pane named in prose', () => {
  it('the Overview points to Required action by the key the registry gives it', async () => {
    const run = (await loadRunsFromSources(['examples'])).runs.find((candidate) => candidate.id === WAITING)!;
    const text = paneLines(buildPane('overview', run, {nowSeconds: NOW, time: {utc: true}}), 120, false).map(lineText).join('\n');
    expect(text).toContain('Waiting for   4 tool outputs (see Required action, key 3)');
    expect(text).not.toContain('key 2');
  });

  it('another pane is named by its title and key; an unknown id as it is', () => {
    expect(paneReference('tools')).toBe('Tools, key 2');
    expect(paneReference('no-such-pane')).toBe('no-such-pane');
  });
});
