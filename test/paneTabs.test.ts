import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {textWidth} from '../src/format/textWidth.js';
import {PANES, type PaneId} from '../src/panes/paneIds.js';
import {layoutPaneTabs} from '../src/panes/paneTabs.js';

const IDS = PANES.map((pane) => pane.id);

/** The bar as drawn: marks, tabs and gaps. */
function drawn(layout: ReturnType<typeof layoutPaneTabs>): string {
  return `${layout.hiddenBefore ? '‹' : ''}${layout.tabs.map((tab) => tab.text).join(layout.gap)}${layout.hiddenAfter ? '›' : ''}`;
}

describe('layoutPaneTabs', () => {
  it('keeps the active tab, consecutive tabs and the width; marks say what is hidden (property)', () => {
    const badge = fc.constantFrom('', '4', '!', '12', '3 failed');
    fc.assert(
      fc.property(fc.constantFrom(...IDS), fc.integer({min: 30, max: 220}), fc.tuple(badge, badge, badge, badge, badge), (active, width, [action, tools, meta, steps, error]) => {
        const badges: Partial<Record<PaneId, string>> = {action, tools, metadata: meta, steps, error};
        const layout = layoutPaneTabs(badges, active, width);
        const ids = layout.tabs.map((tab) => tab.id);
        expect(ids).toContain(active);
        const first = IDS.indexOf(ids[0]!);
        expect(ids).toEqual(IDS.slice(first, first + ids.length));
        expect(layout.hiddenBefore).toBe(first > 0);
        expect(layout.hiddenAfter).toBe(first + ids.length < IDS.length);
        expect(textWidth(drawn(layout))).toBeLessThanOrEqual(width);
      }),
      {numRuns: 400},
    );
  });

  it('full titles when they fit, short ones, then short ones without gaps, then scrolling', () => {
    expect(drawn(layoutPaneTabs({}, 'overview', 200))).toBe(' 1 Overview   2 Required action   3 Tools   4 Usage   5 Last error   6 Instructions   7 Metadata   8 Raw JSON   9 Steps   Conversation ');
    expect(drawn(layoutPaneTabs({}, 'overview', 90))).toBe(' 1 Overview  2 Action  3 Tools  4 Usage  5 Error  6 Instr  7 Meta  8 Raw  9 Steps  Chat ');
    const busy = {action: '4', tools: '4', metadata: '4'};
    expect(drawn(layoutPaneTabs(busy, 'overview', 100))).toBe(' 1 Overview  2 Action (4)  3 Tools (4)  4 Usage  5 Error  6 Instr  7 Meta (4)  8 Raw  9 Steps  Chat ');
    expect(drawn(layoutPaneTabs(busy, 'overview', 80))).toBe(' 1 Overview  2 Action (4)  3 Tools (4)  4 Usage  5 Error  6 Instr  7 Meta (4) ›');
    // The last panes: the bar starts as far left as it can with the active one still on it; the
    // tenth, past the number keys, has no number.
    expect(drawn(layoutPaneTabs(busy, 'steps', 80))).toBe('‹ 3 Tools (4)  4 Usage  5 Error  6 Instr  7 Meta (4)  8 Raw  9 Steps  Chat ');
    expect(drawn(layoutPaneTabs(busy, 'conversation', 80))).toBe('‹ 3 Tools (4)  4 Usage  5 Error  6 Instr  7 Meta (4)  8 Raw  9 Steps  Chat ');
  });
});
