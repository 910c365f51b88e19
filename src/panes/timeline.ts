/**
 * The lifecycle of one run drawn to scale in a given width, for the Overview pane:
 *
 * ```
 * ├░░┼████████████ran 27s█████████████✓
 * created started                completed
 * queued 1s  ran 27s  total 28s
 * ```
 *
 * created → started is the queue (░), started → ended the run (█). A run in requires_action is
 * drawn from started to now as waiting (▒): the API does not record when the wait began, so the
 * segment is "at most". An unfinished run ends at now (its status glyph) and, when it has one, its
 * expires_at is marked (│) with the time left drawn as ┄; an expired run that never ended ends at
 * its expires_at. ASCII: `[` created, `+` started, `|` expires_at, `.` queue, `=` run, `~` waiting,
 * `-` time left. Pure; every line fits the width.
 */
import {cutToWidth} from '../format/runColumns.js';
import {safeInline} from '../format/sanitize.js';
import {textWidth} from '../format/textWidth.js';
import {statusGlyph, statusStyle, type Tone} from '../format/theme.js';
import {formatDuration} from '../format/time.js';
import {isActiveStatus, type Run} from '../model/run.js';
import type {Line} from './content.js';
import {trimLineEnd, wrapLine} from './wrap.js';

export interface TimelineOptions {
  /** Terminal columns; no line is wider (at least 10 are used). */
  width: number;
  nowSeconds: number;
  ascii?: boolean;
}

export type TimelineFill = 'queue' | 'run' | 'wait' | 'left';
export type TimelineMarkerKind = 'created' | 'started' | 'end' | 'now' | 'expires';

export interface TimelineMarker {
  kind: TimelineMarkerKind;
  at: number;
  /** Written under the marker: `created`, `started`, the final status, `now`, `expires`. */
  label: string;
}

export interface TimelineSpan {
  fill: TimelineFill;
  /** The markers the span runs between. */
  from: TimelineMarkerKind;
  to: TimelineMarkerKind;
  /** Written on the bar when it fits, e.g. `queued 1s`. */
  text: string;
}

export interface TimelineLegendItem {
  text: string;
  tone?: Tone;
}

/** What the timeline shows, before drawing; it also describes a run in words. */
export interface TimelineModel {
  markers: TimelineMarker[];
  spans: TimelineSpan[];
  legend: TimelineLegendItem[];
}

const FILL_CHARS: Record<TimelineFill, {unicode: string; ascii: string; tone: Tone}> = {
  queue: {unicode: '░', ascii: '.', tone: 'dim'},
  run: {unicode: '█', ascii: '=', tone: 'info'},
  wait: {unicode: '▒', ascii: '~', tone: 'attention'},
  left: {unicode: '┄', ascii: '-', tone: 'dim'},
};

/** The markers, spans and legend of a run's timeline at `nowSeconds`; null when the run has no times. */
export function timelineModel(run: Run, nowSeconds: number): TimelineModel | null {
  const created = run.createdAt ?? run.startedAt;
  if (created === null) return null;
  const started = run.startedAt !== null ? Math.max(run.startedAt, created) : null;
  const active = isActiveStatus(run.status);
  let end = run.endedAt !== null ? Math.max(run.endedAt, started ?? created) : null;
  let endLabel = safeInline(run.status);
  if (end === null && run.status === 'expired' && run.expiresAt !== null) {
    end = Math.max(run.expiresAt, started ?? created);
    endLabel = 'expired';
  }
  const now = Math.max(nowSeconds, started ?? created);
  // Without created_at the line starts at started_at and the queue is unknown.
  const hasCreated = run.createdAt !== null;
  const markers: TimelineMarker[] = hasCreated ? [{kind: 'created', at: created, label: 'created'}] : [];
  const spans: TimelineSpan[] = [];
  const legend: TimelineLegendItem[] = [];
  const d = formatDuration;

  if (started !== null) markers.push({kind: 'started', at: started, label: 'started'});

  // The queue.
  const queueEnd = started ?? end ?? (active ? now : null);
  if (!hasCreated) {
    legend.push({text: 'no created_at: queue time unknown', tone: 'dim'});
  } else if (queueEnd !== null) {
    const soFar = started === null && active;
    const to: TimelineMarkerKind = started !== null ? 'started' : end !== null ? 'end' : 'now';
    spans.push({fill: 'queue', from: 'created', to, text: `queued ${d(queueEnd - created)}`});
    if (started === null && !active) legend.push({text: `never started`, tone: 'warn'});
    else legend.push({text: `queued ${d(queueEnd - created)}${soFar ? ' so far' : ''}`});
  } else if (started === null) {
    legend.push({text: 'never started', tone: 'dim'});
  }

  // Running (or waiting).
  if (started !== null) {
    const runEnd = end ?? (active ? now : null);
    if (runEnd !== null) {
      const seconds = runEnd - started;
      const to: TimelineMarkerKind = end !== null ? 'end' : 'now';
      if (!active) {
        spans.push({fill: 'run', from: 'started', to, text: `ran ${d(seconds)}`});
        legend.push({text: `ran ${d(seconds)}`});
      } else if (run.status === 'requires_action') {
        spans.push({fill: 'wait', from: 'started', to, text: `waiting ≤ ${d(seconds)}`});
        legend.push({text: `waiting at most ${d(seconds)}`, tone: 'attention'});
      } else {
        spans.push({fill: 'run', from: 'started', to, text: `${run.status === 'cancelling' ? 'cancelling' : 'running'} ${d(seconds)}`});
        legend.push({text: `running ${d(seconds)} so far${run.status === 'cancelling' ? ' (cancelling)' : ''}`});
      }
    }
  }

  if (end !== null) {
    markers.push({kind: 'end', at: end, label: endLabel});
    if (run.endedAt === null && endLabel === 'expired') legend.push({text: `expired ${d(end - created)} after created`, tone: 'bad'});
    else if (hasCreated) legend.push({text: `total ${d(end - created)}`});
  } else if (active) {
    markers.push({kind: 'now', at: now, label: 'now'});
  } else {
    legend.push({text: `${safeInline(run.status)}: no end time recorded`, tone: 'dim'});
  }

  if (active && run.expiresAt !== null) {
    const expires = Math.max(run.expiresAt, created);
    markers.push({kind: 'expires', at: expires, label: 'expires'});
    if (expires > now) {
      spans.push({fill: 'left', from: 'now', to: 'expires', text: `${d(expires - now)} left`});
      legend.push({text: `expires in ${d(expires - now)}`, tone: 'warn'});
    } else {
      legend.push({text: `expires_at passed ${d(now - expires)} ago`, tone: 'bad'});
    }
  }
  return {markers, spans, legend};
}

const MARKER_ORDER: Record<TimelineMarkerKind, number> = {created: 0, started: 1, end: 2, now: 2, expires: 3};

function markerGlyph(kind: TimelineMarkerKind, run: Run, ascii: boolean): {glyph: string; tone: Tone} {
  switch (kind) {
    case 'created':
      return {glyph: ascii ? '[' : '├', tone: 'dim'};
    case 'started':
      return {glyph: ascii ? '+' : '┼', tone: 'dim'};
    case 'expires':
      return {glyph: ascii ? '|' : '│', tone: 'warn'};
    case 'end':
    case 'now':
      return {glyph: statusGlyph(run.status, ascii), tone: statusStyle(run.status).tone};
  }
}

/**
 * The run's lifecycle as lines for the Overview pane: the bar, the marker names under it, and the
 * durations in words (wrapped to the width). A run without created_at and started_at gets one
 * line saying so.
 */
export function runTimeline(run: Run, options: TimelineOptions): Line[] {
  const width = Math.max(10, Math.floor(options.width));
  const ascii = options.ascii ?? false;
  const model = timelineModel(run, options.nowSeconds);
  if (!model) return [[{text: cutToWidth('no created_at or started_at: nothing to draw', width, ascii).text, tone: 'dim'}]];

  // Marker columns: to scale, then nudged apart so each keeps its own cell.
  const markers = model.markers
    .map((marker, index) => ({...marker, index}))
    .sort((a, b) => a.at - b.at || MARKER_ORDER[a.kind] - MARKER_ORDER[b.kind] || a.index - b.index);
  const t0 = markers[0]!.at;
  const t1 = markers[markers.length - 1]!.at;
  const last = width - 1;
  const columns = markers.map((marker) => (t1 > t0 ? Math.round(((marker.at - t0) / (t1 - t0)) * last) : 0));
  for (let index = 1; index < columns.length; index++) columns[index] = Math.max(columns[index]!, columns[index - 1]! + 1);
  for (let index = columns.length - 1; index >= 0; index--) {
    columns[index] = Math.min(columns[index]!, last - (columns.length - 1 - index));
    if (index < columns.length - 1) columns[index] = Math.min(columns[index]!, columns[index + 1]! - 1);
  }
  const columnOf = (kind: TimelineMarkerKind): number => columns[markers.findIndex((marker) => marker.kind === kind)] ?? 0;

  const cells: Array<{char: string; tone?: Tone}> = Array.from({length: width}, () => ({char: ' '}));
  for (const span of model.spans) {
    const from = columnOf(span.from);
    const to = columnOf(span.to);
    const fill = FILL_CHARS[span.fill];
    for (let column = from + 1; column < to; column++) cells[column] = {char: ascii ? fill.ascii : fill.unicode, tone: fill.tone};
    // The duration goes in the widest stretch of the span that no other marker cuts through.
    const text = ascii ? span.text.replace('≤', '<=') : span.text;
    const stops = [from, ...columns.filter((column) => column > from && column < to), to];
    let left = from;
    let room = -1;
    for (let index = 1; index < stops.length; index++) {
      const gap = stops[index]! - stops[index - 1]! - 1;
      if (gap > room) {
        room = gap;
        left = stops[index - 1]!;
      }
    }
    if (text.length + 2 <= room) {
      const start = left + 1 + Math.floor((room - text.length) / 2);
      for (let offset = 0; offset < text.length; offset++) cells[start + offset] = {char: text[offset]!, tone: 'strong'};
    }
  }
  markers.forEach((marker, index) => {
    const {glyph, tone} = markerGlyph(marker.kind, run, ascii);
    cells[columns[index]!] = {char: glyph, tone};
  });
  const bar: Line = [];
  for (const cell of cells) {
    const previous = bar[bar.length - 1];
    if (previous && previous.tone === cell.tone) previous.text += cell.char;
    else bar.push(cell.tone ? {text: cell.char, tone: cell.tone} : {text: cell.char});
  }
  trimLineEnd(bar);

  // Marker names under the bar, left to right, each starting at its marker (the last may end at
  // it instead); a name that would run into the previous one is left out.
  const labels: Line = [];
  let cursor = 0;
  markers.forEach((marker, index) => {
    const column = columns[index]!;
    const text = marker.label;
    const size = textWidth(text);
    let start = column;
    if (start + size > width) start = column + 1 - size;
    if (start < cursor + (labels.length > 0 ? 1 : 0) || start < 0) return;
    labels.push({text: ' '.repeat(start - cursor)}, {text, tone: marker.kind === 'expires' ? 'warn' : marker.kind === 'end' || marker.kind === 'now' ? markerGlyph(marker.kind, run, ascii).tone : 'dim'});
    cursor = start + size;
  });

  // Durations in words, packed into lines of the width.
  const legendLines: Line[] = [];
  let current: Line = [];
  let used = 0;
  for (const item of model.legend) {
    const text = ascii ? item.text.replace('≤', '<=') : item.text;
    if (textWidth(text) > width) {
      // Too long for a line of its own: wrapped at spaces.
      if (current.length > 0) legendLines.push(current);
      legendLines.push(...wrapLine([item.tone ? {text, tone: item.tone} : {text}], width));
      current = [];
      used = 0;
      continue;
    }
    const gap = current.length > 0 ? 2 : 0;
    if (current.length > 0 && used + gap + textWidth(text) > width) {
      legendLines.push(current);
      current = [];
      used = 0;
    }
    if (current.length > 0) current.push({text: '  '});
    current.push(item.tone ? {text, tone: item.tone} : {text});
    used += (current.length > 1 ? 2 : 0) + textWidth(text);
  }
  if (current.length > 0) legendLines.push(current);
  return [bar, labels.filter((segment) => segment.text !== ''), ...legendLines];
}
