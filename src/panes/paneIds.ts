/**
 * The panes of a run by id and by number, read from the registry (registry.ts): what the tab bar,
 * the help, the store and `runlens show` ask of it.
 */
import {PANE_KEYS} from '../keys.js';
import type {Run} from '../model/run.js';
import type {PaneContent} from './content.js';
import type {PaneContext, StepsView} from './paneContext.js';
import {PANE_REGISTRY, type PaneEntry, type PaneId} from './registry.js';

export type {PaneEntry, PaneId} from './registry.js';

/** The panes in Tab order. */
export const PANES = PANE_REGISTRY;

/** The same, each as a PaneEntry (not every entry has a badge or a copy). */
const ENTRIES: readonly PaneEntry<PaneId>[] = PANE_REGISTRY;

/** A pane's entry. */
export function paneEntry(id: PaneId): PaneEntry<PaneId> {
  return ENTRIES.find((pane) => pane.id === id) ?? ENTRIES[0]!;
}

/**
 * The pane a number key opens, if any: `1`–`9` the first nine, `0` the tenth (see PANE_KEYS);
 * with fewer than ten panes, `0` opens the last, so it always reaches the end of the bar.
 */
export function paneForKey(key: string): PaneId | undefined {
  const index = (PANE_KEYS as readonly string[]).indexOf(key);
  if (index < 0) return undefined;
  return (PANES[index] ?? (index === PANE_KEYS.length - 1 ? PANES[PANES.length - 1] : undefined))?.id;
}

/** The number key of the pane at `index` ('' past the tenth). */
export function paneNumberKey(index: number): string {
  return PANE_KEYS[index] ?? '';
}

/** The pane `delta` places from `id`, round the end. */
export function paneAfter(id: PaneId, delta: number): PaneId {
  const index = PANES.findIndex((pane) => pane.id === id);
  return PANES[(((index + delta) % PANES.length) + PANES.length) % PANES.length]!.id;
}

/**
 * How prose in a pane points to another pane: its title and the number key that opens it (Tab past
 * the tenth), read from the registry when the pane is built, so a pane moved or renamed is named right.
 */
export function paneReference(id: string): string {
  const index = PANES.findIndex((pane) => pane.id === id);
  if (index < 0) return id;
  const key = paneNumberKey(index);
  return `${PANES[index]!.title}, ${key ? `key ${key}` : 'Tab'}`;
}

/** The content of one pane of a run. */
export function buildPane(id: PaneId, run: Run, context: PaneContext): PaneContent {
  return paneEntry(id).build(run, context, paneReference);
}

/** A short marker for the pane's tab: how much there is to see in it. */
export function paneBadge(id: PaneId, run: Run, steps?: StepsView): string {
  return paneEntry(id).badge?.(run, steps ? {steps} : {}) ?? '';
}

/** Whether a pane shows times relative to now (so it must be rebuilt as the clock moves). */
export function paneShowsClock(id: PaneId): boolean {
  return paneEntry(id).showsClock;
}
