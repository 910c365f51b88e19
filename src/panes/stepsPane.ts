/**
 * The Steps pane: what a run did, step by step (`thread.run.step`), as read from the API. Pure:
 * the steps (or why there are none) in, blocks out; fetching is the StepLoader's job.
 */
import {safeInline} from '../format/sanitize.js';
import {statusSegment} from '../format/theme.js';
import type {RunStep, StepToolCall} from '../model/runStep.js';
import {formatWarning} from '../model/loadWarning.js';
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
function jsonTextLines(text: string, indent: string): Array<Segment[]> {
  let lines;
  try {
    lines = jsonLines(JSON.parse(text));
  } catch {
    lines = [...untrustedLines(text), [{text: '(not valid JSON)', tone: 'warn' as const}]];
  }
  return lines.map((line) => [{text: indent}, ...line]);
}

function textLines(text: string, indent: string): Array<Segment[]> {
  return untrustedLines(text.replace(/\n$/, '')).map((line) => [{text: indent}, ...line]);
}

function toolCall(b: PaneBuilder, call: StepToolCall, label: string): void {
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
      return;
    case 'other':
      b.line({text: `${INDENT}${label} `}, untrusted(call.toolType, 'label'), {text: '  '}, id);
      b.lines(jsonLines(call.raw).map((line) => [{text: inner}, ...line]));
      return;
  }
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
    const count = (value: number | null) => (value === null ? '—' : value.toLocaleString('en-US'));
    field('usage', {text: `${count(entry.usage.promptTokens)} prompt + ${count(entry.usage.completionTokens)} completion = ${count(entry.usage.totalTokens)} tokens`});
  } else {
    field('usage', {text: '—', tone: 'dim'});
  }
  if (entry.lastError) {
    field('last_error', [untrusted(entry.lastError.code ?? 'error', 'bad'), {text: ': ', tone: 'bad'}, untrusted(entry.lastError.message ?? '(no message)', 'bad')]);
  }
  if (entry.messageId) field('message', untrusted(entry.messageId));
  if (entry.type === 'tool_calls' || entry.toolCalls.length > 0) {
    field('tool calls', {text: String(entry.toolCalls.length)});
    entry.toolCalls.forEach((call, callIndex) => toolCall(b, call, `${String.fromCharCode(97 + (callIndex % 26))}.`));
  }
  for (const problem of entry.problems) {
    b.line({text: `${INDENT}✗ `, tone: 'bad'}, untrusted(problem.field, 'bad'), {text: ': '}, untrusted(problem.message));
  }
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
