/**
 * The kinds of item runlens reads, as data: one table from an object's `object` field
 * (`thread.run`, `thread.run.step`, `thread.message`) to the field its items are kept under, its
 * normalizer, and how it joins to runs. Every loader (documents, arrays, list envelopes, JSON
 * Lines, transcripts, URLs, APIs) sorts what it reads with `itemKindOf`, and the store joins the
 * kinds beside runs with `joinItems`; neither names a kind. The table lives in model/ because it
 * names only model things (types and normalizers) and every layer above reads it.
 *
 * A new kind is one field of ItemTypes, one entry of ITEM_KINDS and its normalizer beside
 * runStep.ts; loaders, the feed and the store carry it from there.
 */
import type {LoadWarning} from './loadWarning.js';
import {looksLikeRun, normalizeRun} from './normalize.js';
import type {FieldProblem, Run, SourceLocation} from './run.js';
import {looksLikeResponseItem, normalizeResponse, normalizeResponseItem, type LoadedResponseItem} from './response.js';
import {normalizeRunStep, type RunStep} from './runStep.js';
import {normalizeThreadMessage, type ThreadMessage} from './threadMessage.js';

/** Each kind of item, by the field its items are kept under. */
export interface ItemTypes {
  runs: Run;
  steps: RunStep;
  messages: ThreadMessage;
  /** A response's input items and a conversation's items (Responses API): they answer responses' calls. */
  responseItems: LoadedResponseItem;
}

export type ItemKey = keyof ItemTypes;
/** The kinds kept beside the runs (not listed themselves), joined to runs by id. */
export type SideKey = Exclude<ItemKey, 'runs'>;

/** Items of the side kinds, each list present when the input held some. */
export type SideItems = {[K in SideKey]?: ItemTypes[K][]};
/** The same, read only: as the feed and the store hold them. */
export type SideItemsView = {readonly [K in SideKey]?: readonly ItemTypes[K][]};

/** What one text, file or page held, by kind, and what was wrong in it. */
export interface ParsedItems extends SideItems {
  runs: Run[];
  warnings: LoadWarning[];
  /** Messages known to be new to their file (see FreshRange). */
  freshMessages?: FreshRange;
}

/**
 * The messages [from, to) of a ParsedItems: their ids differ from each other and from those of
 * every earlier message of `stream` that came the same way (a file's message lines checked on the
 * load's worker thread, which kept their ids: sources/messageLines.ts). A collection need not
 * index each of them to tell a later copy (sources/runCollection.ts).
 */
export interface FreshRange {
  stream: object;
  from: number;
  to: number;
}

/** What every item has, whatever its kind. */
interface AnyItem {
  id: string;
  problems: FieldProblem[];
}

/** How a side kind's items belong to runs and threads. */
export interface ItemJoin<T> {
  runId: (item: T) => string | null;
  threadId: (item: T) => string | null;
  /** Items of one run or thread are ordered by this time, then by the order they were read. */
  createdAt: (item: T) => number | null;
}

/** One kind: where its items go, how an object becomes one, and (beside runs) how it joins them. */
export interface ItemKind<K extends ItemKey> {
  key: K;
  /** What a warning calls one: `run`, `step`, `message`. */
  noun: string;
  /** The normalizer: never throws, `fallbackId` names an item without an id. */
  read: (record: Record<string, unknown>, source: SourceLocation, fallbackId: string) => ItemTypes[K] & AnyItem;
  join?: ItemJoin<ItemTypes[K]>;
  /**
   * Whether an item is in a state it never leaves: a later copy that is not (the first stream of
   * a run read after its submit-tool-outputs stream) does not replace it.
   */
  isFinal?: (item: ItemTypes[K]) => boolean;
}

/** Statuses a step or message never leaves. */
const FINAL_ITEM_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled', 'expired', 'incomplete']);

type KindTable = {[object: string]: {[K in ItemKey]: ItemKind<K>}[ItemKey]};

/** The kinds by their `object`. Objects without `object` are runs when they look like one (`looksLikeRun`). */
export const ITEM_KINDS = {
  'thread.run': {key: 'runs', noun: 'run', read: normalizeRun},
  'thread.run.step': {
    key: 'steps',
    noun: 'step',
    read: (record, source, fallbackId) => normalizeRunStep(record, fallbackId, source),
    join: {runId: (step) => step.runId, threadId: (step) => step.threadId, createdAt: (step) => step.createdAt},
    isFinal: (step) => FINAL_ITEM_STATUSES.has(step.status),
  },
  'thread.message': {
    key: 'messages',
    noun: 'message',
    read: (record, source, fallbackId) => normalizeThreadMessage(record, fallbackId, source),
    join: {runId: (message) => message.runId, threadId: (message) => message.threadId, createdAt: (message) => message.createdAt},
    isFinal: (message) => message.status !== null && FINAL_ITEM_STATUSES.has(message.status),
  },
  // A Responses API response is a run in every view (see response.ts).
  response: {key: 'runs', noun: 'response', read: normalizeResponse},
  // Conversation items, when a server marks them; the API's own carry no `object` (see itemKindOf).
  'conversation.item': {
    key: 'responseItems',
    noun: 'item',
    read: normalizeResponseItem,
    // Items name neither their response nor their conversation: they answer calls by call_id (responseWaits.ts).
    join: {runId: () => null, threadId: () => null, createdAt: () => null},
  },
} as const satisfies KindTable;

const RUN_KIND: ItemKind<'runs'> = ITEM_KINDS['thread.run'];
const BY_OBJECT = new Map<string, KindTable[string]>(Object.entries(ITEM_KINDS));

/** The side kinds, in the table's order. */
export const SIDE_KINDS = (Object.values(ITEM_KINDS) as Array<KindTable[string]>).filter(
  (kind): kind is {[K in SideKey]: ItemKind<K>}[SideKey] => kind.key !== 'runs',
);

/**
 * The kind of a parsed JSON value, or null (an assistant, a list, a number…): a run as
 * `looksLikeRun` says (a PowerShell `Object`, a run without `object`), else the table's entry for
 * its `object`, else a Responses API item by its `type`.
 */
export function itemKindOf(value: unknown): KindTable[string] | null {
  if (looksLikeRun(value)) return RUN_KIND;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const object = (value as Record<string, unknown>)['object'];
  if (typeof object === 'string') return BY_OBJECT.get(object) ?? null;
  // Input and conversation items have no `object`: their `type` tells them (`function_call_output`, …).
  return looksLikeResponseItem(value) ? ITEM_KINDS['conversation.item'] : null;
}

/** An empty ParsedItems (side kinds absent until one is read). */
export function emptyItems(): ParsedItems {
  return {runs: [], warnings: []};
}

/** Of two copies of one side item, read in this order, the one to keep: the later, unless only the earlier is final. */
export function laterSideCopy<K extends SideKey>(key: K, held: ItemTypes[K], incoming: ItemTypes[K]): ItemTypes[K] {
  const isFinal = (SIDE_KINDS.find((kind) => kind.key === key) as ItemKind<K> | undefined)?.isFinal;
  return isFinal && isFinal(held) && !isFinal(incoming) ? held : incoming;
}

/** Adds one side item to `out` under its kind's key. */
export function addSideItem<K extends SideKey>(out: SideItems, key: K, item: ItemTypes[K]): void {
  ((out[key] ??= []) as ItemTypes[K][]).push(item);
}

/** Empties every list of `items` (a parse whose items were taken), warnings included. */
export function clearItems(items: ParsedItems): void {
  items.runs.length = 0;
  items.warnings.length = 0;
  if (items.freshMessages) items.freshMessages = undefined;
  for (const {key} of SIDE_KINDS) if (items[key]) items[key].length = 0;
}

/**
 * Every side list absent: spread before a new load's items, so a kind the new load no longer has
 * (a file rewritten without its steps) goes rather than staying from the load before.
 */
export const NO_SIDE_ITEMS: SideItems = Object.fromEntries(SIDE_KINDS.map(({key}) => [key, undefined]));

/** The side lists of `items` alone, each kind present when `items` has it: the same arrays, or copies (for a view of a load that goes on adding to its own). */
export function sideItemsOf(items: SideItemsView, copy = false): SideItems {
  const side: Record<string, unknown> = {};
  for (const {key} of SIDE_KINDS) {
    const list = items[key];
    if (list) side[key] = copy ? list.slice() : list;
  }
  return side as SideItems;
}

/** Side items grouped by the run (`byRun`) and the thread (`byThread`) they belong to, each group in order. */
export interface JoinedItems {
  byRun: {readonly [K in SideKey]: ReadonlyMap<string, readonly ItemTypes[K][]>};
  byThread: {readonly [K in SideKey]: ReadonlyMap<string, readonly ItemTypes[K][]>};
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | null, createdAt: (item: T) => number | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) continue;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(item);
  }
  for (const group of groups.values()) inTimeOrder(group, createdAt);
  return groups;
}

/**
 * By time, then as read (the sort is stable); an item without a time goes last. The API lists
 * messages newest first, so the order read alone would often be backwards.
 */
function inTimeOrder<T>(group: T[], createdAt: (item: T) => number | null): T[] {
  const at = (item: T) => createdAt(item) ?? Number.POSITIVE_INFINITY;
  return group.sort((a, b) => at(a) - at(b));
}

/**
 * `groups` with `added` (read after the items grouped there) joined in: the same map when none
 * joins, else a new one where each group an item joins is a new array (a view kept for a group's
 * array sees the change; the groups handed out before stay as they were). A group's old items,
 * in order, merged with its new ones by time (old first at the same time) is the order a join of
 * all of them gives.
 */
function groupMore<T>(groups: ReadonlyMap<string, readonly T[]>, added: readonly T[], keyOf: (item: T) => string | null, createdAt: (item: T) => number | null): ReadonlyMap<string, readonly T[]> {
  const fresh = groupBy(added, keyOf, createdAt);
  if (fresh.size === 0) return groups;
  const more = new Map(groups);
  for (const [key, group] of fresh) {
    const held = more.get(key);
    more.set(key, held ? mergeInTimeOrder(held, group, createdAt) : group);
  }
  return more;
}

/** Two groups each in time order as one, `held`'s items before `added`'s at the same time: what the stable sort of both gives, in one pass. */
function mergeInTimeOrder<T>(held: readonly T[], added: readonly T[], createdAt: (item: T) => number | null): T[] {
  const at = (item: T) => createdAt(item) ?? Number.POSITIVE_INFINITY;
  // A load in time order adds only items at or after the group's last.
  if (at(added[0]!) >= at(held[held.length - 1]!)) return held.concat(added);
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < held.length && j < added.length) merged.push(at(added[j]!) < at(held[i]!) ? added[j++]! : held[i++]!);
  while (i < held.length) merged.push(held[i++]!);
  while (j < added.length) merged.push(added[j++]!);
  return merged;
}

/**
 * The items each kind of a JoinedItems was joined from, in order: a list of the join's own, so a
 * caller's list changed in place since cannot pass for one that grew. Lists that grew from one
 * join to the next share one array, each join reading its first `length` items.
 */
const JOINED_FROM = new WeakMap<JoinedItems, Partial<Record<SideKey, {log: unknown[]; length: number}>>>();

/**
 * Whether `list` begins with the `length` items of `log`, each the same object: a pointer test per
 * item (a millisecond or two over a million), which a copy replaced in place fails. The store asks
 * it of runs, this file of side items.
 */
export function beginsWith(list: readonly unknown[], log: readonly unknown[], length: number): boolean {
  if (list.length < length) return false;
  for (let index = 0; index < length; index += 1) if (list[index] !== log[index]) return false;
  return true;
}

/**
 * The side items joined to runs and threads; the store does it once per change of its data. Given
 * the join `before` (the store's last), a kind whose list begins with the items joined there (a
 * streaming load's next piece) joins only the items after them, and a kind whose list is the same
 * keeps its maps: at 100,000 runs and 300,000 messages, joining every message again for each piece
 * was a sixth of the load. Anything else (an item replaced in place, items gone) is joined whole.
 */
export function joinItems(items: SideItemsView, before?: JoinedItems): JoinedItems {
  const byRun: Record<string, ReadonlyMap<string, readonly unknown[]>> = {};
  const byThread: Record<string, ReadonlyMap<string, readonly unknown[]>> = {};
  const from: Partial<Record<SideKey, {log: unknown[]; length: number}>> = {};
  const previous = before && JOINED_FROM.get(before);
  for (const kind of SIDE_KINDS) {
    const key = kind.key;
    const list = (items[key] ?? []) as readonly unknown[];
    const join = kind.join as ItemJoin<unknown> | undefined;
    const held = previous?.[key];
    if (before && held && beginsWith(list, held.log, held.length)) {
      const added = list.slice(held.length);
      byRun[key] = join ? groupMore(before.byRun[key], added, join.runId, join.createdAt) : before.byRun[key];
      byThread[key] = join ? groupMore(before.byThread[key], added, join.threadId, join.createdAt) : before.byThread[key];
      // The log is extended in place while no later join has; else this join takes a copy of its own.
      const log = held.log.length === held.length ? held.log : held.log.slice(0, held.length);
      for (const item of added) log.push(item);
      from[key] = {log, length: list.length};
      continue;
    }
    byRun[key] = join ? groupBy(list, join.runId, join.createdAt) : new Map();
    byThread[key] = join ? groupBy(list, join.threadId, join.createdAt) : new Map();
    from[key] = {log: list.slice(), length: list.length};
  }
  const joined = {byRun, byThread} as unknown as JoinedItems;
  JOINED_FROM.set(joined, from);
  return joined;
}

const NONE: readonly never[] = [];

/** The items of one kind that belong to the run `runId`, in order. */
export function itemsOfRun<K extends SideKey>(joined: JoinedItems, key: K, runId: string): readonly ItemTypes[K][] {
  return (joined.byRun[key].get(runId) ?? NONE) as readonly ItemTypes[K][];
}

/** The items of one kind that belong to the thread `threadId`, in order. */
export function itemsOfThread<K extends SideKey>(joined: JoinedItems, key: K, threadId: string): readonly ItemTypes[K][] {
  return (joined.byThread[key].get(threadId) ?? NONE) as readonly ItemTypes[K][];
}

/** Whether two sets of side items hold other lists (by identity): then they are joined again. */
export function sideItemsChanged(a: SideItemsView, b: SideItemsView): boolean {
  return SIDE_KINDS.some(({key}) => a[key] !== b[key]);
}
