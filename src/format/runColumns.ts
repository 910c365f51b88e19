/**
 * The run list's columns: what each cell says and which columns fit a given width. Shared by the
 * TUI list and the printed table, so both read the same and drop the same columns when narrow.
 */
import {textPieces, textWidth} from './textWidth.js';
import {isActiveStatus, pendingCallCount, runKind, type Run} from '../model/run.js';
import {runDurationSeconds, waitingSince} from '../model/runFacts.js';
import {NO_MODEL_MAP, runCost, type ModelMap} from '../model/cost.js';
import {groupedCount} from './count.js';
import {costCellText, formatUsd} from './cost.js';
import {safeInline} from './sanitize.js';
import {statusSegment, type Tone} from './theme.js';
import {formatDuration, formatDurationShort, formatRelative} from './time.js';

export type ColumnKey = 'status' | 'kind' | 'id' | 'model' | 'thread' | 'created' | 'duration' | 'tokens' | 'cost' | 'note';

export interface ColumnSpec {
  key: ColumnKey;
  header: string;
  /** Columns this wide at most (the id and thread columns fit a whole id). */
  width: number;
  /** Narrower than this and the column is dropped rather than squeezed. */
  minWidth: number;
  /** Lower is kept longer when the terminal is narrow. */
  priority: number;
  align: 'left' | 'right';
}

export const COLUMN_SPECS: readonly ColumnSpec[] = [
  {key: 'status', header: 'STATUS', width: 19, minWidth: 17, priority: 0, align: 'left'},
  {key: 'id', header: 'RUN', width: 28, minWidth: 14, priority: 1, align: 'left'},
  // Only when runs and responses are both loaded (see measureContent); kept before the model.
  {key: 'kind', header: 'KIND', width: 8, minWidth: 8, priority: 3.5, align: 'left'},
  {key: 'created', header: 'CREATED', width: 8, minWidth: 7, priority: 2, align: 'right'},
  {key: 'note', header: 'WAITING / NOTE', width: 40, minWidth: 14, priority: 3, align: 'left'},
  {key: 'model', header: 'MODEL', width: 24, minWidth: 8, priority: 4, align: 'left'},
  {key: 'duration', header: 'DURATION', width: 8, minWidth: 8, priority: 5, align: 'right'},
  {key: 'tokens', header: 'TOKENS', width: 8, minWidth: 6, priority: 6, align: 'right'},
  {key: 'cost', header: 'COST', width: 9, minWidth: 8, priority: 6.5, align: 'right'},
  {key: 'thread', header: 'THREAD', width: 31, minWidth: 14, priority: 7, align: 'left'},
];

/** Display order, left to right. */
const ORDER: readonly ColumnKey[] = ['status', 'kind', 'id', 'model', 'thread', 'created', 'duration', 'tokens', 'cost', 'note'];

export const COLUMN_GAP = 2;

export interface LaidOutColumn extends ColumnSpec {
  /** The width given on this terminal. */
  size: number;
}

/** Which list the columns are for: the stuck view (`!`) is read for its waits and expiries. */
export type ColumnView = 'all' | 'stuck';

/** In the stuck view the note is placed early and at least this wide: `59m · expires in 59m`. */
const STUCK_NOTE_MIN = 20;

/**
 * Chooses the columns for `width` terminal columns: by priority, each at its full width while it
 * fits, the note column taking what is left. Never returns a row wider than `width`.
 *
 * In the stuck view the wait and expiry matter more than a whole id: the status, the id at its
 * narrowest and the note go first, then the id grows back, then the rest as usual; so the id is
 * cut before the note is dropped (the note goes only when even a cut id leaves it no room).
 */
export function layoutColumns(width: number, contentWidths: Partial<Record<ColumnKey, number>> = {}, view: ColumnView = 'all'): LaidOutColumn[] {
  const chosen: LaidOutColumn[] = [];
  let used = 0;
  // KIND shows only when both kinds are loaded; COST only when some run has a price (measureContent
  // says 0 when none has): a column of "no price" would only take room from the note.
  const specs = COLUMN_SPECS.filter((spec) => (spec.key !== 'kind' || contentWidths.kind !== undefined) && (spec.key !== 'cost' || (contentWidths.cost ?? 0) > 0)).map((spec) => {
    const content = contentWidths[spec.key];
    // A column is as wide as its widest value (or header), within its own bounds.
    if (content === undefined) return spec;
    const fitted = Math.max(spec.header.length, content);
    return {...spec, width: Math.min(spec.width, fitted), minWidth: Math.min(spec.minWidth, fitted)};
  });
  const place = (spec: ColumnSpec, size: number) => {
    used += (chosen.length > 0 ? COLUMN_GAP : 0) + size;
    chosen.push({...spec, size});
  };
  const room = () => width - used - (chosen.length > 0 ? COLUMN_GAP : 0);
  if (view === 'stuck') {
    for (const key of ['status', 'id', 'note'] as const) {
      const spec = specs.find((candidate) => candidate.key === key)!;
      const least = key === 'note' ? STUCK_NOTE_MIN : spec.minWidth;
      if (room() >= least) place(spec, key === 'status' ? Math.min(spec.width, room()) : least);
    }
    const id = chosen.find((column) => column.key === 'id');
    if (id) {
      const extra = Math.min(id.width - id.size, Math.max(0, width - used));
      id.size += extra;
      used += extra;
    }
  }
  for (const spec of specs.sort((a, b) => a.priority - b.priority)) {
    if (chosen.some((column) => column.key === spec.key) || room() < spec.minWidth) continue;
    // The note column is flexible; hold it at its minimum until the fixed columns are placed.
    place(spec, spec.key === 'note' ? spec.minWidth : Math.min(spec.width, room()));
  }
  const note = chosen.find((column) => column.key === 'note');
  if (note) {
    note.size += Math.max(0, width - used);
    // "4m · expires in 5m · 2 calls" matters more than the tail of a long model name.
    const model = chosen.find((column) => column.key === 'model');
    const wanted = 30;
    if (model && note.size < wanted && model.size > 12) {
      const moved = Math.min(model.size - 12, wanted - note.size);
      model.size -= moved;
      note.size += moved;
    }
  }
  else {
    // Without a note column, let the id column grow back to a whole id.
    const id = chosen.find((column) => column.key === 'id');
    if (id) {
      const extra = Math.min(id.width - id.size, Math.max(0, width - used));
      id.size += extra;
    }
  }
  return chosen.sort((a, b) => ORDER.indexOf(a.key) - ORDER.indexOf(b.key));
}

/**
 * Whether a COST column could be laid out at `width` beside the other columns' widths: asked before
 * pricing runs, since the first price loads the price data (tens of ms before a first frame, and
 * every run priced), and most terminals leave the column no room. Asked as if the costs were at
 * their narrowest (`~$1.00`), so a column that could show is never left out.
 */
export function costCanShow(width: number, contentWidths: Partial<Record<ColumnKey, number>>, view: ColumnView = 'all'): boolean {
  return layoutColumns(width, {...contentWidths, cost: NARROWEST_COST}, view).some((column) => column.key === 'cost');
}

/** The narrowest COST cell there is: from $1 up two decimals are written, below four. */
const NARROWEST_COST = `~${formatUsd(1)}`.length;

/**
 * The widest status, model and cost in the data, so those columns take only the room they need (most
 * data sets have short model names; `requires_action` sets the status column's width). A cost
 * width of 0 means no run has a price, and the COST column is left out.
 */
export function measureContent(runs: readonly Run[], modelMap: ModelMap = NO_MODEL_MAP): Partial<Record<ColumnKey, number>> {
  const measure = new ContentMeasure(modelMap);
  for (const run of runs) measure.add(run);
  return measure.widths();
}

/**
 * `measureContent` a run at a time: the TUI's streaming load adds each piece's runs to what it has
 * measured, instead of measuring every run again for every piece (at a million runs that walk,
 * with a price for each run, was most of what the list cost while loading).
 */
export class ContentMeasure {
  private readonly statuses = new Set<string>();
  private readonly models = new Set<string>();
  private readonly kinds = new Set<string>();
  private cost = 0;

  constructor(private readonly modelMap: ModelMap = NO_MODEL_MAP) {}

  add(run: Run): void {
    this.addShape(run);
    this.addPrice(run);
  }

  /** The run's status, model and kind: what every layout needs. */
  addShape(run: Run): void {
    this.statuses.add(run.status);
    if (run.model) this.models.add(run.model);
    this.kinds.add(runKind(run));
  }

  /** The run's price, for the COST column alone: pricing loads the price data (see `costCanShow`). */
  addPrice(run: Run): void {
    const estimate = runCost(run, this.modelMap);
    if (estimate.kind === 'priced') this.cost = Math.max(this.cost, costCellText(estimate).length);
  }

  widths(): Partial<Record<ColumnKey, number>> {
    let status = 0;
    for (const value of this.statuses) status = Math.max(status, textWidth(safeInline(value)) + 2);
    let model = 1;
    for (const value of this.models) model = Math.max(model, textWidth(safeInline(value)));
    const cost = this.cost;
    // The KIND column only when both kinds are loaded: a list of one kind says nothing by it.
    return this.kinds.size > 1 ? {status, model, kind: 'response'.length, cost} : {status, model, cost};
  }
}

export interface Cell {
  text: string;
  tone?: Tone;
}

/**
 * The note: what matters most about a run at a glance (waiting time, expiry, error, lock); for a
 * finished run that asked for tool outputs more than once, how many rounds it took (`rounds`, from
 * its steps: see toolRounds).
 */
export function runNote(run: Run, nowSeconds: number, rounds = 0): Cell {
  const note = activeOrErrorNote(run, nowSeconds);
  if (rounds <= 1 || isActiveStatus(run.status)) return note;
  const text = `${rounds} tool rounds`;
  return note.text ? {...note, text: `${text} · ${note.text}`} : {text, tone: 'attention'};
}

function activeOrErrorNote(run: Run, nowSeconds: number): Cell {
  if (run.status === 'requires_action') {
    const since = waitingSince(run);
    const calls = pendingCallCount(run);
    const parts = [since === null ? 'waiting' : formatDurationShort(nowSeconds - since)];
    if (run.expiresAt !== null) {
      const left = run.expiresAt - nowSeconds;
      parts.push(left > 0 ? `expires in ${formatDurationShort(left)}` : `expired while waiting, ${formatDurationShort(-left)} ago`);
    }
    // An export that cut the calls short leaves their number unknown, not 0.
    parts.push(calls === null ? 'calls cut by the export' : `${calls} call${calls === 1 ? '' : 's'}`);
    // A response has no requires_action of its own: say what its status means (last, so narrow lists keep the wait).
    if (run.kind === 'response') parts.push('waiting for tool outputs');
    return {text: parts.join(' · '), tone: run.expiresAt !== null && run.expiresAt <= nowSeconds ? 'bad' : 'attention'};
  }
  if (isActiveStatus(run.status)) {
    const text = run.threadId ? `locks ${safeInline(run.threadId)}` : 'not finished';
    return {text, tone: 'warn'};
  }
  if (run.lastError) return {text: safeInline(`${run.lastError.code ?? 'error'}: ${run.lastError.message ?? ''}`), tone: 'bad'};
  if (run.incompleteReason) return {text: safeInline(`incomplete: ${run.incompleteReason}`), tone: 'warn'};
  if (run.problems.length > 0) return {text: `${run.problems.length} invalid field${run.problems.length === 1 ? '' : 's'}`, tone: 'warn'};
  return {text: ''};
}

/** The text (and tone) of one cell; `modelMap` prices the COST cell (the list's, set from the CLI). */
export function cellFor(run: Run, key: ColumnKey, nowSeconds: number, ascii = false, rounds = 0, modelMap: ModelMap = NO_MODEL_MAP): Cell {
  switch (key) {
    case 'status':
      return statusSegment(run.status, ascii);
    case 'id':
      return {text: safeInline(run.id)};
    case 'kind':
      return {text: runKind(run), tone: 'dim'};
    case 'model':
      return run.model ? {text: safeInline(run.model)} : {text: '—', tone: 'dim'};
    case 'thread': {
      // A response's conversation is what a thread is to a run.
      const thread = run.threadId ?? run.response?.conversationId ?? null;
      return thread ? {text: safeInline(thread), tone: 'dim'} : {text: '—', tone: 'dim'};
    }
    case 'created':
      return run.createdAt === null ? {text: '—', tone: 'dim'} : {text: formatRelative(run.createdAt, nowSeconds)};
    case 'duration': {
      const seconds = runDurationSeconds(run, nowSeconds);
      return seconds === null ? {text: '—', tone: 'dim'} : {text: formatDuration(seconds), tone: isActiveStatus(run.status) ? 'warn' : undefined};
    }
    case 'tokens': {
      const total = run.usage?.totalTokens ?? null;
      return total === null ? {text: '—', tone: 'dim'} : {text: groupedCount(total)};
    }
    case 'cost': {
      const estimate = runCost(run, modelMap);
      if (estimate.kind === 'priced') return {text: costCellText(estimate)};
      // Nothing to price (no usage yet, no model) reads as the TOKENS column does; "no price" is for usage the data cannot price.
      return estimate.reason === 'no usage' || estimate.reason === 'no model' ? {text: '—', tone: 'dim'} : {text: 'no price', tone: 'dim'};
    }
    case 'note':
      return runNote(run, nowSeconds, rounds);
  }
}

/** Cuts text to at most `size` terminal columns, ending in `…` (ASCII: `~`) when it had to cut. */
export function cutToWidth(text: string, size: number, ascii = false): {text: string; width: number} {
  const width = textWidth(text);
  if (width <= size) return {text, width};
  if (size <= 0) return {text: '', width: 0};
  let cut = '';
  let cutWidth = 0;
  for (const char of textPieces(text)) {
    const charWidth = textWidth(char);
    if (cutWidth + charWidth > size - 1) break;
    cut += char;
    cutWidth += charWidth;
  }
  return {text: `${cut}${ascii ? '~' : '…'}`, width: cutWidth + 1};
}

/**
 * Cuts the pieces of one line (differently styled parts of it) so together they take at most
 * `width` columns: pieces whole while they fit, the one that crosses the edge cut with `…`, the
 * rest left empty. Ink cuts a line by string-width's count, which is narrower than terminals draw
 * some emoji (see textWidth); a line cut here never reaches Ink's cut.
 */
export function fitPieces(pieces: readonly string[], width: number, ascii = false): string[] {
  let room = width;
  return pieces.map((piece) => {
    const cut = cutToWidth(piece, Math.max(0, room), ascii);
    room = cut.text === piece ? room - cut.width : 0;
    return cut.text;
  });
}

/** The tail of `text` that fits in `room` columns, after `…` when the start had to go: what is being typed stays in view. */
export function tailToWidth(text: string, room: number): string {
  if (room <= 1) return '';
  const chars = Array.from(text);
  let shown = text;
  let start = 0;
  while (cutToWidth(shown, room).text !== shown && start < chars.length) {
    start += 1;
    shown = `…${chars.slice(start).join('')}`;
  }
  return shown;
}

/** Fits text into `size` columns: cut with `…` (ASCII: `~`) when longer, padded when shorter. */
export function fitCell(text: string, size: number, align: 'left' | 'right', ascii = false): string {
  const fitted = cutToWidth(text, size, ascii);
  const pad = ' '.repeat(Math.max(0, size - fitted.width));
  return align === 'right' ? pad + fitted.text : fitted.text + pad;
}
