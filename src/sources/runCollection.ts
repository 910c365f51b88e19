/**
 * One copy of each run, and of each step and message, out of everything read: the rule that
 * picks a run's latest state among its copies (`keepLatestCopy`), the collection every loader
 * gathers into (files, URLs, APIs, the command line's sources together), and a deep equality for
 * telling copies apart.
 */
import {laterSideCopy, SIDE_KINDS, type FreshRange, type ItemTypes, type SideItems, type SideItemsView, type SideKey} from '../model/itemKinds.js';
import {compareRunStates} from '../model/latestRun.js';
import type {LoadWarning} from '../model/loadWarning.js';
import type {ResponseItem} from '../model/responseItem.js';
import {ResponseWaits} from '../model/responseWaits.js';
import type {Run} from '../model/run.js';
import {wholeRun} from './itemBodies.js';

/** Where a run was read, as warnings name it: `file` or `file:line`. */
export function placeOf(run: Run): string {
  return `${run.source.file}${run.source.line ? `:${run.source.line}` : ''}`;
}

/**
 * Of two copies of one run, read in this order, the one to show: the later state by
 * `compareRunStates`, and on a true tie the one read later. Copies in different states are
 * silent (a run's states over time are not bad input); a true tie whose content differs is a
 * warning naming both places, as the choice then rests on the reading order alone.
 */
export function keepLatestCopy(held: Run, incoming: Run, warn: (warning: LoadWarning) => void, heldPlace = placeOf(held)): Run {
  const order = compareRunStates(incoming, held);
  if (order < 0) return held;
  // Runs kept small are told apart by their bodies, read back: a true tie is rare but for repeats of one copy.
  if (order === 0 && !sameJson(wholeRun(held).raw, wholeRun(incoming).raw)) {
    warn({location: placeOf(incoming), message: `${incoming.id} also appears in ${heldPlace} with different content; showing this one`});
  }
  return incoming;
}

/**
 * Keeps one run per id, in the order first seen, each in its latest state (`keepLatestCopy`): a
 * later copy replaces an earlier one in place unless the earlier one is the later state.
 */
export class RunCollection {
  private readonly byId = new Map<string, number>();
  readonly runs: Run[] = [];
  readonly warnings: LoadWarning[] = [];
  /**
   * Bumped whenever `runs` changes, a run added or replaced: a viewer of the shared array (the
   * TUI's streaming load) tells by it that a copy was replaced, which the length does not show.
   */
  revision = 0;

  /** What answers the calls of responses loaded (see responseWaits.ts): a response is settled as it comes. */
  private readonly waits = new ResponseWaits();
  /** The side kinds (steps, messages): each id once per kind, in the order first seen. */
  readonly side: SideItems = {};
  /** Where each side item is in its list, by id, a map per kind (a joined key string per item cost a tenth of a load of 300,000 messages). */
  private readonly sideIndex: {[K in SideKey]?: Map<string, number>} = {};
  /**
   * Side items at the end of their list that are in no index yet: fresh ones of one stream (see
   * FreshRange), from `from` on. Indexed when anything else comes (`indexAll`). An entry of a Map
   * for each of 300,000 messages was a tenth of the load on the thread that draws.
   */
  private readonly unindexed: {[K in SideKey]?: {stream: object; from: number}} = {};

  /**
   * A step, a message…: a later copy of one replaces the earlier in place, unless only the earlier
   * is final (`laterSideCopy`: a run's first stream read after its submit-tool-outputs stream).
   */
  addSide<K extends SideKey>(key: K, item: ItemTypes[K]): void {
    // A response's input items and a conversation's items answer the calls of responses (responseWaits.ts).
    if (key === 'responseItems') this.answerWith([item as ItemTypes['responseItems']]);
    this.indexAll(key);
    const list = (this.side[key] ??= []) as ItemTypes[K][];
    const indexOf = (this.sideIndex[key] ??= new Map());
    const index = indexOf.get(item.id);
    if (index === undefined) {
      indexOf.set(item.id, list.length);
      list.push(item);
    } else {
      const kept = laterSideCopy(key, list[index]!, item);
      if (kept !== item) return;
      list[index] = item;
    }
    this.revision += 1;
  }

  /**
   * A message whose id its stream never had before (see FreshRange): added without an index entry
   * unless an item of another stream, or one indexed, has its id.
   */
  private addFreshMessage(item: ItemTypes['messages'], stream: object): void {
    const held = this.unindexed.messages;
    if (held && held.stream !== stream) this.indexAll('messages');
    if (this.sideIndex.messages?.has(item.id)) {
      this.addSide('messages', item);
      return;
    }
    const list = (this.side.messages ??= []);
    this.unindexed.messages ??= {stream, from: list.length};
    list.push(item);
    this.revision += 1;
  }

  /** Puts the side items of `key` that are in no index yet into it. */
  private indexAll(key: SideKey): void {
    const held = this.unindexed[key];
    if (!held) return;
    this.unindexed[key] = undefined;
    const list = this.side[key]!;
    const indexOf = (this.sideIndex[key] ??= new Map());
    for (let index = held.from; index < list.length; index += 1) indexOf.set(list[index]!.id, index);
  }

  /** Adds every item of a load or a parse: runs by `add`, the rest by `addSide` (fresh messages by `addFreshMessage`). */
  addItems(items: {readonly runs: readonly Run[]; readonly freshMessages?: FreshRange} & SideItemsView): void {
    for (const run of items.runs) this.add(run);
    const fresh = items.freshMessages;
    for (const {key} of SIDE_KINDS) {
      const list = items[key] ?? [];
      for (let index = 0; index < list.length; index += 1) {
        if (key === 'messages' && fresh && index >= fresh.from && index < fresh.to) this.addFreshMessage(list[index] as ItemTypes['messages'], fresh.stream);
        else this.addSide(key, list[index]!);
      }
    }
  }

  add(added: Run): void {
    const run = this.waits.settle(added);
    for (const id of this.waits.note(run)) this.settleAgain(id);
    const index = this.byId.get(run.id);
    if (index === undefined) {
      this.byId.set(run.id, this.runs.length);
      this.runs.push(run);
      this.revision += 1;
      return;
    }
    const previous = this.runs[index]!;
    const kept = keepLatestCopy(previous, run, (warning) => this.warnings.push(warning));
    if (kept === previous) return;
    this.runs[index] = kept;
    this.revision += 1;
  }

  /** Input or conversation items (see responseWaits.ts): the responses whose calls they answer are settled. */
  answerWith(items: readonly ResponseItem[]): void {
    for (const id of this.waits.noteItems(items)) this.settleAgain(id);
  }

  /** A loaded response answered by what came after it: its settled copy in its place. */
  private settleAgain(id: string): void {
    const index = this.byId.get(id);
    if (index === undefined) return;
    const settled = this.waits.settle(this.runs[index]!);
    if (settled === this.runs[index]) return;
    this.runs[index] = settled;
    this.revision += 1;
  }
}

/**
 * Whether two parsed JSON values are equal, key order aside. Not JSON.stringify: it recurses, and
 * a run nested some thousands of levels deep overflowed the stack; this walks with its own stack.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  const pending: Array<[unknown, unknown]> = [[a, b]];
  for (let pair = pending.pop(); pair; pair = pending.pop()) {
    const [left, right] = pair;
    if (left === right) continue;
    if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
    if (Array.isArray(left) !== Array.isArray(right)) return false;
    const leftKeys = Object.keys(left);
    if (leftKeys.length !== Object.keys(right).length) return false;
    for (const key of leftKeys) {
      if (!Object.hasOwn(right, key)) return false;
      pending.push([(left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]]);
    }
  }
  return true;
}

