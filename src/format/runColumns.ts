/**
 * The run list's columns: what each cell says and which columns fit a given width. Shared by the
 * TUI list and the printed table, so both read the same and drop the same columns when narrow.
 */
import {textWidth} from './textWidth.js';
import {isActiveStatus, pendingCallCount, type Run} from '../model/run.js';
import {runDurationSeconds} from '../store/listView.js';
import {waitingSince} from '../triage/stuck.js';
import {safeInline} from './sanitize.js';
import {statusStyle, type Tone} from './theme.js';
import {formatDuration, formatDurationShort, formatRelative} from './time.js';

export type ColumnKey = 'status' | 'id' | 'model' | 'thread' | 'created' | 'duration' | 'tokens' | 'note';

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
  {key: 'created', header: 'CREATED', width: 8, minWidth: 7, priority: 2, align: 'right'},
  {key: 'note', header: 'WAITING / NOTE', width: 40, minWidth: 14, priority: 3, align: 'left'},
  {key: 'model', header: 'MODEL', width: 24, minWidth: 8, priority: 4, align: 'left'},
  {key: 'duration', header: 'DURATION', width: 8, minWidth: 8, priority: 5, align: 'right'},
  {key: 'tokens', header: 'TOKENS', width: 8, minWidth: 6, priority: 6, align: 'right'},
  {key: 'thread', header: 'THREAD', width: 31, minWidth: 14, priority: 7, align: 'left'},
];

/** Display order, left to right. */
const ORDER: readonly ColumnKey[] = ['status', 'id', 'model', 'thread', 'created', 'duration', 'tokens', 'note'];

export const COLUMN_GAP = 2;

export interface LaidOutColumn extends ColumnSpec {
  /** The width given on this terminal. */
  size: number;
}

/**
 * Chooses the columns for `width` terminal columns: by priority, each at its full width while it
 * fits, the note column taking what is left. Never returns a row wider than `width`.
 */
export function layoutColumns(width: number, contentWidths: Partial<Record<ColumnKey, number>> = {}): LaidOutColumn[] {
  const chosen: LaidOutColumn[] = [];
  let used = 0;
  const specs = COLUMN_SPECS.map((spec) => {
    const content = contentWidths[spec.key];
    // A column is as wide as its widest value (or header), within its own bounds.
    if (content === undefined) return spec;
    const fitted = Math.max(spec.header.length, content);
    return {...spec, width: Math.min(spec.width, fitted), minWidth: Math.min(spec.minWidth, fitted)};
  });
  for (const spec of specs.sort((a, b) => a.priority - b.priority)) {
    const gap = chosen.length > 0 ? COLUMN_GAP : 0;
    const room = width - used - gap;
    if (room < spec.minWidth) continue;
    // The note column is flexible; hold it at its minimum until the fixed columns are placed.
    const size = spec.key === 'note' ? spec.minWidth : Math.min(spec.width, room);
    chosen.push({...spec, size});
    used += gap + size;
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
 * The widest status and model in the data, so those columns take only the room they need (most
 * data sets have short model names; `requires_action` sets the status column's width).
 */
export function measureContent(runs: readonly Run[]): Partial<Record<ColumnKey, number>> {
  const statuses = new Set<string>();
  const models = new Set<string>();
  for (const run of runs) {
    statuses.add(run.status);
    if (run.model) models.add(run.model);
  }
  let status = 0;
  for (const value of statuses) status = Math.max(status, textWidth(safeInline(value)) + 2);
  let model = 1;
  for (const value of models) model = Math.max(model, textWidth(safeInline(value)));
  return {status, model};
}

export interface Cell {
  text: string;
  tone?: Tone;
}

/** The note: what matters most about a run at a glance (waiting time, expiry, error, lock). */
export function runNote(run: Run, nowSeconds: number): Cell {
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

/** The text (and tone) of one cell. */
export function cellFor(run: Run, key: ColumnKey, nowSeconds: number, ascii = false): Cell {
  switch (key) {
    case 'status': {
      const style = statusStyle(run.status);
      return {text: `${ascii ? style.asciiGlyph : style.glyph} ${safeInline(run.status)}`, tone: style.tone};
    }
    case 'id':
      return {text: safeInline(run.id)};
    case 'model':
      return run.model ? {text: safeInline(run.model)} : {text: '—', tone: 'dim'};
    case 'thread':
      return run.threadId ? {text: safeInline(run.threadId), tone: 'dim'} : {text: '—', tone: 'dim'};
    case 'created':
      return run.createdAt === null ? {text: '—', tone: 'dim'} : {text: formatRelative(run.createdAt, nowSeconds)};
    case 'duration': {
      const seconds = runDurationSeconds(run, nowSeconds);
      return seconds === null ? {text: '—', tone: 'dim'} : {text: formatDuration(seconds), tone: isActiveStatus(run.status) ? 'warn' : undefined};
    }
    case 'tokens': {
      const total = run.usage?.totalTokens ?? null;
      return total === null ? {text: '—', tone: 'dim'} : {text: total.toLocaleString('en-US')};
    }
    case 'note':
      return runNote(run, nowSeconds);
  }
}

/** Cuts text to at most `size` terminal columns, ending in `…` (ASCII: `~`) when it had to cut. */
export function cutToWidth(text: string, size: number, ascii = false): {text: string; width: number} {
  const width = textWidth(text);
  if (width <= size) return {text, width};
  if (size <= 0) return {text: '', width: 0};
  let cut = '';
  let cutWidth = 0;
  for (const char of text) {
    const charWidth = textWidth(char);
    if (cutWidth + charWidth > size - 1) break;
    cut += char;
    cutWidth += charWidth;
  }
  return {text: `${cut}${ascii ? '~' : '…'}`, width: cutWidth + 1};
}

/** Fits text into `size` columns: cut with `…` (ASCII: `~`) when longer, padded when shorter. */
export function fitCell(text: string, size: number, align: 'left' | 'right', ascii = false): string {
  const fitted = cutToWidth(text, size, ascii);
  const pad = ' '.repeat(Math.max(0, size - fitted.width));
  return align === 'right' ? pad + fitted.text : fitted.text + pad;
}
