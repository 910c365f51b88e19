/**
 * The detail view's tab bar, laid out for a width: which tabs show, with which names, and whether
 * it is scrolled. The active pane's tab is always among those shown.
 */
import {textWidth} from '../format/textWidth.js';
import {paneNumberKey, PANES, type PaneId} from './paneIds.js';

/** One tab as drawn: ` N name (badge) `, padding included. */
export interface LaidOutTab {
  id: PaneId;
  text: string;
}

/** The tabs that fit, in order, and what is left out on either side. */
export interface TabBarLayout {
  tabs: LaidOutTab[];
  /** Between two tabs: a space while there is room for it. */
  gap: string;
  /** Tabs before the first shown (the bar starts with a marker), and after the last. */
  hiddenBefore: boolean;
  hiddenAfter: boolean;
}

/** Marks drawn where tabs are scrolled out of sight (one column each). */
export const TAB_MARKS = {unicode: {before: '‹', after: '›'}, ascii: {before: '<', after: '>'}} as const;

/** ` N name (badge) `; past the ninth a tab shows no number (Tab and Shift-Tab reach it, `0` opens the tenth). */
function label(index: number, name: string, badge: string): string {
  // The tenth tab shows no number although \`0\` opens it (the help says so): the bar of ten then
  // still fits 100 columns, and a number there would read as "pane zero".
  const key = index < 9 ? paneNumberKey(index) : '';
  return ` ${key ? `${key} ` : ''}${name}${badge ? ` (${badge})` : ''} `;
}

function rowWidth(tabs: readonly LaidOutTab[], gap: string): number {
  return tabs.reduce((sum, tab, index) => sum + textWidth(tab.text) + (index > 0 ? gap.length : 0), 0);
}

/**
 * Full pane titles when they fit, short ones on narrower terminals, then short ones without the
 * space between tabs (each keeps its padding: nine tabs at 100 columns). Narrower still (80
 * columns, with counts), the bar scrolls: it shows a run of tabs that holds the active one, as
 * far left as it can start, with a mark on each side where tabs are hidden.
 */
export function layoutPaneTabs(badges: Readonly<Partial<Record<PaneId, string>>>, active: PaneId, width: number): TabBarLayout {
  const full = PANES.map((pane, index) => ({id: pane.id, text: label(index, pane.title, badges[pane.id] ?? '')}));
  if (rowWidth(full, ' ') <= width) return {tabs: full, gap: ' ', hiddenBefore: false, hiddenAfter: false};
  const short = PANES.map((pane, index) => ({id: pane.id, text: label(index, pane.short, badges[pane.id] ?? '')}));
  for (const gap of [' ', '']) if (rowWidth(short, gap) <= width) return {tabs: short, gap, hiddenBefore: false, hiddenAfter: false};

  const at = Math.max(0, short.findIndex((tab) => tab.id === active));
  const widths = short.map((tab) => textWidth(tab.text));
  const span = (first: number, last: number) => {
    let sum = (first > 0 ? 1 : 0) + (last < short.length - 1 ? 1 : 0);
    for (let index = first; index <= last; index += 1) sum += widths[index]!;
    return sum;
  };
  // The first tab shown: the leftmost from which the active one still fits.
  let first = 0;
  while (first < at && span(first, at) > width) first += 1;
  let last = at;
  while (last + 1 < short.length && span(first, last + 1) <= width) last += 1;
  return {tabs: short.slice(first, last + 1), gap: '', hiddenBefore: first > 0, hiddenAfter: last < short.length - 1};
}
