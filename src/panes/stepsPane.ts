/**
 * The Steps pane: what a run did, step by step (`thread.run.step`), as read from the API. Pure:
 * the steps (or why there are none) in, blocks out; fetching is the StepLoader's job.
 */
import {groupedCount} from '../format/count.js';
import {safeInline} from '../format/sanitize.js';
import {statusSegment} from '../format/theme.js';
import type {RunStep, StepToolCall} from '../model/runStep.js';
import {formatWarning} from '../model/loadWarning.js';
import {activitiesSummary, azureStepCallSummary} from './azureTools.js';
import {jsonLines, PaneBuilder, untrusted, untrustedLines, type PaneContent, type Segment} from './content.js';
import type {PaneContext, StepsView} from './paneContext.js';
import {formatTimestamp} from '../format/time.js';

/** Why a run has no steps to show (file sources). */
export const STEPS_NEED_API = 'Steps are only available from the API (open the runs with --thread ID or --profile NAME).';

const INDENT = '   ';

function time(seconds: number | null, context: PaneContext): Segment {
  return seconds === null ? {text: '—', tone: 'dim'} : {text: formatTimestamp(seconds, context.nowSeconds, context.time)};
}

/** JSON text pretty-printed when it parses, else as written (marked). */
export function jsonTextLines(text: string, indent: string): Array<Segment[]> {
  let lines;
  try {
    lines = jsonLines(JSON.parse(text));
  } catch {
    lines = [...untrustedLines(text), [{text: '(not valid JSON)', tone: 'warn' as const}]];
  }
  return lines.map((line) => [{text: indent}, ...line]);
}

/** Untrusted text as indented lines (a trailing newline dropped). */
export function textLines(text: string, indent: string): Array<Segment[]> {
  return untrustedLines(text.replace(/\n$/, '')).map((line) => [{text: indent}, ...line]);
}

/** One tool call of a step, as the Steps pane and the Conversation pane show it; `results` are a file_search call's (see fileSearchResults). */
export function toolCall(b: PaneBuilder, call: StepToolCall, label: string, results: readonly FileSearchResult[] = []): void {
  const id: Segment = call.id ? untrusted(call.id, 'dim') : {text: '(no id)', tone: 'dim'};
  const inner = `${INDENT}   `;
  switch (call.type) {
    case 'function':
      b.line({text: `${INDENT}${label} `}, {text: 'function ', tone: 'label'}, untrusted(call.name ?? '(no name)', 'strong'), {text: '  '}, id);
      b.line({text: `${inner}arguments:`, tone: 'label'});
      if (call.arguments === null) b.line({text: `${inner}  —`, tone: 'dim'});
      else b.lines(jsonTextLines(call.arguments, `${inner}  `));
      b.line({text: `${inner}output:`, tone: 'label'});
      if (call.output === null) b.line({text: `${inner}  none yet (not submitted)`, tone: 'dim'});
      else b.lines(textLines(call.output, `${inner}  `));
      return;
    case 'code_interpreter':
      b.line({text: `${INDENT}${label} `}, {text: 'code_interpreter', tone: 'label'}, {text: '  '}, id);
      b.line({text: `${inner}input:`, tone: 'label'});
      b.lines(call.input === null ? [[{text: `${inner}  —`, tone: 'dim'}]] : textLines(call.input, `${inner}  `));
      b.line({text: `${inner}outputs: ${call.outputs.length}`, tone: 'label'});
      for (const output of call.outputs) {
        if (output.type === 'logs' && 'logs' in output) {
          b.line({text: `${inner}  logs:`, tone: 'dim'});
          b.lines(textLines(output.logs, `${inner}    `));
        } else if (output.type === 'image' && 'fileId' in output) {
          b.line({text: `${inner}  image: `, tone: 'dim'}, output.fileId ? untrusted(output.fileId) : {text: '(no file id)', tone: 'dim'});
        } else {
          b.line({text: `${inner}  ${safeInline(output.type)}:`, tone: 'dim'});
          b.lines(jsonLines('raw' in output ? output.raw : output).map((line) => [{text: `${inner}    `}, ...line]));
        }
      }
      return;
    case 'file_search':
      b.line(
        {text: `${INDENT}${label} `},
        {text: 'file_search', tone: 'label'},
        {text: '  '},
        id,
        call.resultCount === null
          ? {text: '  results not included (the API sends them only when asked)', tone: 'dim'}
          : {text: `  ${call.resultCount} result${call.resultCount === 1 ? '' : 's'}`},
      );
      results.forEach((result, index) => {
        b.line(
          {text: `${inner}${index + 1}. `, tone: 'dim'},
          result.fileName ? untrusted(result.fileName) : {text: '(no name)', tone: 'dim'},
          {text: '  '},
          result.fileId ? untrusted(result.fileId, 'dim') : {text: '(no file id)', tone: 'dim'},
          ...(result.score === null ? [] : [{text: `  score ${result.score.toFixed(2)}`, tone: 'dim' as const}]),
        );
        if (result.text) b.lines(textLines(result.text.length > 300 ? `${result.text.slice(0, 299)}…` : result.text, `${inner}   `));
      });
      return;
    case 'other': {
      b.line({text: `${INDENT}${label} `}, untrusted(call.toolType, 'label'), {text: '  '}, id);
      const summary = azureStepCallSummary(call.toolType, call.raw);
      if (summary) b.line({text: inner}, untrusted(summary));
      b.lines(jsonLines(call.raw).map((line) => [{text: inner}, ...line]));
      return;
    }
  }
}

/** One result of a file_search call: the file, its score, the text found (when the API was asked to include it). */
export interface FileSearchResult {
  fileId: string | null;
  fileName: string | null;
  score: number | null;
  text: string | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const record = (value: unknown): Record<string, unknown> | null => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null);

/**
 * The results of the step's `callIndex`th tool call when it is a file_search that carries them,
 * read from the step as read (the normalized call keeps only their count).
 */
export function fileSearchResults(entry: RunStep, callIndex: number): FileSearchResult[] {
  const details = record(entry.raw['step_details']);
  const calls = details?.['tool_calls'];
  const search = Array.isArray(calls) ? record(record(calls[callIndex])?.['file_search']) : null;
  const results = search?.['results'];
  if (!Array.isArray(results)) return [];
  return results.flatMap((value) => {
    const result = record(value);
    if (!result) return [];
    const content = Array.isArray(result['content']) ? result['content'].map((part) => text(record(part)?.['text'])).filter((part) => part !== null) : [];
    return [{fileId: text(result['file_id']), fileName: text(result['file_name']), score: typeof result['score'] === 'number' ? result['score'] : null, text: content.length > 0 ? content.join('\n') : null}];
  });
}

function step(b: PaneBuilder, entry: RunStep, index: number, context: PaneContext): void {
  const heading: Segment[] = [
    {text: `${index + 1}. `, tone: 'strong'},
    untrusted(entry.type, 'strong'),
    {text: '  '},
    statusSegment(entry.status, context.ascii),
    {text: '  '},
    untrusted(entry.id, 'dim'),
  ];
  b.line(...heading);
  const field = (label: string, value: Segment | Segment[]) => b.field(`${INDENT}${label}`, value, 16);
  field('created', time(entry.createdAt, context));
  if (entry.completedAt !== null) field('completed', time(entry.completedAt, context));
  if (entry.failedAt !== null) field('failed', time(entry.failedAt, context));
  if (entry.cancelledAt !== null) field('cancelled', time(entry.cancelledAt, context));
  if (entry.expiredAt !== null) field('expired', time(entry.expiredAt, context));
  if (entry.completedAt === null && entry.failedAt === null && entry.cancelledAt === null && entry.expiredAt === null) {
    field('completed', {text: '—', tone: 'dim'});
  }
  if (entry.usage) {
    const count = (value: number | null) => (value === null ? '—' : groupedCount(value));
    field('usage', {text: `${count(entry.usage.promptTokens)} prompt + ${count(entry.usage.completionTokens)} completion = ${count(entry.usage.totalTokens)} tokens`});
  } else {
    field('usage', {text: '—', tone: 'dim'});
  }
  if (entry.lastError) {
    field('last_error', [untrusted(entry.lastError.code ?? 'error', 'bad'), {text: ': ', tone: 'bad'}, untrusted(entry.lastError.message ?? '(no message)', 'bad')]);
  }
  if (entry.messageId) field('message', untrusted(entry.messageId));
  const activities = entry.type === 'activities' ? activitiesSummary(entry.raw) : null;
  if (activities) field('activities', untrusted(activities));
  if (entry.type === 'tool_calls' || entry.toolCalls.length > 0) {
    field('tool calls', {text: String(entry.toolCalls.length)});
    entry.toolCalls.forEach((call, callIndex) => toolCall(b, call, callLabel(callIndex), fileSearchResults(entry, callIndex)));
  }
  for (const problem of entry.problems) {
    b.line({text: `${INDENT}✗ `, tone: 'bad'}, untrusted(problem.field, 'bad'), {text: ': '}, untrusted(problem.message));
  }
}

/** A call's label within its step: `a.`, `b.`, … */
export function callLabel(index: number): string {
  return `${String.fromCharCode(97 + (index % 26))}.`;
}

/** The Steps pane of a run; `view` undefined means no API source (print mode, file sources). */
export function buildStepsPane(view: StepsView | undefined, context: PaneContext): PaneContent {
  const b = new PaneBuilder();
  if (!view || view.state === 'unavailable') {
    b.line({text: view?.reason ?? STEPS_NEED_API, tone: 'dim'});
    return b.build();
  }
  if (view.state === 'loading') {
    b.line({text: 'Loading the run steps…', tone: 'dim'});
    return b.build();
  }
  if (view.state === 'error') {
    b.line({text: 'Could not load the run steps: ', tone: 'bad'}, untrusted(view.message, 'bad'));
    return b.build();
  }
  if (view.steps.length === 0) {
    b.line({text: 'No steps yet.', tone: 'dim'});
  } else {
    b.line({text: `${view.steps.length} step${view.steps.length === 1 ? '' : 's'}, oldest first`, tone: 'dim'});
    view.steps.forEach((entry, index) => {
      b.blank();
      step(b, entry, index, context);
    });
  }
  if (view.warnings.length > 0) {
    b.blank().heading(`Warnings (${view.warnings.length})`);
    for (const warning of view.warnings) b.line({text: '  ! ', tone: 'warn'}, untrusted(formatWarning(warning)));
  }
  return b.build();
}

/** The tab badge: how many steps, once loaded. */
export function stepsBadge(view: StepsView | undefined): string {
  return view?.state === 'loaded' && view.steps.length > 0 ? String(view.steps.length) : '';
}
