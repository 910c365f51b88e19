/**
 * The Conversation pane: the story of a run in the order it happened. What the thread said before
 * it (earlier turns one line each, the question in full), each step of the run (tool calls with
 * their checked arguments and their outputs, code_interpreter, file_search), the answer it wrote,
 * and how it ended; and the same across every run of a thread (the thread view, `runlens thread`).
 * Pure: run, steps and messages in, blocks out. Every string from a run goes through untrusted().
 */
import {statusSegment} from '../format/theme.js';
import {formatDuration, formatTimestamp} from '../format/time.js';
import {cutToWidth} from '../format/runColumns.js';
import {safeInline} from '../format/sanitize.js';
import {keyText} from '../keys.js';
import {isActiveStatus, type RequiredToolCall, type Run} from '../model/run.js';
import {isToolRound, toolRounds, waitingSince} from '../model/runFacts.js';
import type {RunStep, StepToolCall} from '../model/runStep.js';
import type {MessageContent, TextAnnotation, ThreadMessage} from '../model/threadMessage.js';
import {formatWarning} from '../model/loadWarning.js';
import {checkCallsAgainst, checkToolCalls, type ToolCallReport} from '../triage/toolCallChecks.js';
import {PaneBuilder, untrusted, untrustedLines, type PaneContent, type Segment} from './content.js';
import type {MessagesView, PaneContext, StepsView} from './paneContext.js';
import {callLabel, fileSearchResults, jsonTextLines, textLines, toolCall} from './stepsPane.js';

const INDENT = '  ';

function when(seconds: number | null, context: PaneContext): Segment {
  return seconds === null ? {text: 'time unknown', tone: 'dim'} : {text: formatTimestamp(seconds, context.nowSeconds, context.time), tone: 'dim'};
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A text part with its annotations as numbered references: the text they stand for becomes `[n]`. */
export function referencedText(text: string, annotations: readonly TextAnnotation[]): string {
  // Where each annotation's text sits: at its indexes when they hold it, else its first place after the one before.
  const spans: Array<{start: number; end: number; number: number}> = [];
  let from = 0;
  annotations.forEach((annotation, index) => {
    const marker = annotation.text;
    if (!marker) return;
    const {startIndex: start, endIndex: end} = annotation;
    let at = start !== null && end !== null && text.slice(start, end) === marker && start >= from ? start : text.indexOf(marker, from);
    if (at < 0) at = text.indexOf(marker);
    if (at < 0 || spans.some((span) => at < span.end && at + marker.length > span.start)) return;
    spans.push({start: at, end: at + marker.length, number: index + 1});
    from = at + marker.length;
  });
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    out += `${text.slice(cursor, span.start)}[${span.number}]`;
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

/** The message's text parts joined, for one collapsed line (and for search). */
export function messageText(message: ThreadMessage): string {
  return message.content
    .map((part) => (part.type === 'text' ? referencedText(part.text, part.annotations) : part.type === 'refusal' ? `refusal: ${part.refusal}` : `[${part.type === 'other' ? part.contentType : part.type}]`))
    .join(' ');
}

function contentPart(b: PaneBuilder, part: MessageContent, indent: string, firstNumber: number): number {
  switch (part.type) {
    case 'text': {
      b.lines(textLines(referencedText(part.text, part.annotations), indent));
      part.annotations.forEach((annotation, index) => {
        b.line(
          {text: `${indent}[${firstNumber + index}] `, tone: 'dim'},
          untrusted(annotation.type, 'label'),
          {text: ' '},
          annotation.fileId ? untrusted(annotation.fileId) : {text: '(no file id)', tone: 'dim'},
          ...(annotation.text ? [{text: '  ', tone: 'dim' as const}, untrusted(annotation.text, 'dim')] : []),
        );
      });
      return part.annotations.length;
    }
    case 'image_file':
      b.line({text: `${indent}image file `, tone: 'label'}, part.fileId ? untrusted(part.fileId) : {text: '(no file id)', tone: 'dim'}, ...(part.detail ? [untrusted(`  detail ${part.detail}`, 'dim')] : []));
      return 0;
    case 'image_url':
      b.line({text: `${indent}image `, tone: 'label'}, part.url ? untrusted(part.url.length > 200 ? `${part.url.slice(0, 199)}…` : part.url) : {text: '(no url)', tone: 'dim'}, ...(part.detail ? [untrusted(`  detail ${part.detail}`, 'dim')] : []));
      return 0;
    case 'refusal':
      b.line({text: `${indent}refused: `, tone: 'bad'});
      b.lines(textLines(part.refusal, `${indent}  `));
      return 0;
    case 'other':
      b.line({text: indent}, untrusted(part.contentType, 'label'), {text: ' (a content type runlens does not know; Raw shows it)', tone: 'dim'});
      return 0;
  }
}

/** A message in full: who, when, its content, attachments and how it ended. */
function fullMessage(b: PaneBuilder, message: ThreadMessage, context: PaneContext, indent = ''): void {
  b.line(
    {text: indent},
    untrusted(message.role, message.role === 'user' ? 'info' : 'accent'),
    {text: '  '},
    when(message.createdAt, context),
    {text: '  '},
    untrusted(message.id, 'dim'),
    ...(message.runId && message.role !== 'assistant' ? [{text: '  run ', tone: 'dim' as const}, untrusted(message.runId, 'dim')] : []),
  );
  const inner = `${indent}${INDENT}`;
  if (message.content.length === 0) b.line({text: `${inner}(no content)`, tone: 'dim'});
  let number = 1;
  for (const part of message.content) number += contentPart(b, part, inner, number);
  for (const attachment of message.attachments) {
    b.line(
      {text: `${inner}attached `, tone: 'label'},
      attachment.fileId ? untrusted(attachment.fileId) : {text: '(no file id)', tone: 'dim'},
      ...(attachment.tools.length > 0 ? [{text: ' for ', tone: 'dim' as const}, untrusted(attachment.tools.join(', '), 'dim')] : []),
    );
  }
  if (message.status === 'incomplete' || message.incompleteReason) {
    b.line({text: `${inner}incomplete`, tone: 'warn'}, ...(message.incompleteReason ? [{text: ': ', tone: 'warn' as const}, untrusted(message.incompleteReason, 'warn')] : []));
  } else if (message.status === 'in_progress') {
    b.line({text: `${inner}still being written (in_progress)`, tone: 'dim'});
  }
  for (const problem of message.problems) b.line({text: `${inner}✗ `, tone: 'bad'}, untrusted(problem.field, 'bad'), {text: ': '}, untrusted(problem.message));
}

/** A message on one line, cut to the width: an earlier turn. */
function collapsedMessage(b: PaneBuilder, message: ThreadMessage, context: PaneContext): void {
  const who = safeInline(message.role).padEnd(10);
  const run = message.runId ? `${safeInline(message.runId)}  ` : '';
  const room = Math.max(10, (context.width ?? 80) - INDENT.length - who.length - 1 - run.length);
  const text = cutToWidth(safeInline(messageText(message).replace(/\s+/g, ' ').trim()), room, context.ascii).text;
  b.line({text: INDENT}, {text: `${who} `, tone: message.role === 'user' ? 'info' : 'accent'}, {text: run, tone: 'dim'}, {text});
}

function checksLine(b: PaneBuilder, report: ToolCallReport, indent: string): void {
  const marks: Segment[] = [{text: `${indent}checks `, tone: 'label'}];
  report.checks.forEach((check, index) => {
    const mark: Segment = check.ok === true ? {text: '✓ ', tone: 'good'} : check.ok === false ? {text: '✗ ', tone: 'bad'} : {text: '– ', tone: 'dim'};
    marks.push(...(index > 0 ? [{text: '  '}] : []), mark, {text: check.name, tone: check.ok === false ? 'bad' : 'dim'});
  });
  b.line(...marks);
  for (const check of report.checks) {
    if (check.ok === false) for (const detail of check.details) b.line({text: `${indent}  `}, untrusted(detail, 'bad'));
  }
}

/** A function call of a round: name, checks against the run's tools, arguments, and the output once submitted. */
function functionCall(b: PaneBuilder, call: {id: string | null; name: string | null; arguments: string | null; output: string | null}, report: ToolCallReport | undefined, label: string, waiting: boolean): void {
  const inner = `${INDENT}${INDENT}   `;
  b.line({text: `${INDENT}${INDENT}${label} `}, untrusted(call.name ?? '(no name)', 'strong'), {text: '  '}, call.id ? untrusted(call.id, 'dim') : {text: '(no id)', tone: 'dim'});
  if (report) checksLine(b, report, inner);
  b.line({text: `${inner}arguments:`, tone: 'label'});
  if (call.arguments === null) b.line({text: `${inner}  —`, tone: 'dim'});
  else b.lines(jsonTextLines(call.arguments, `${inner}  `));
  if (call.output !== null) {
    b.line({text: `${inner}output:`, tone: 'label'});
    b.lines(textLines(call.output, `${inner}  `));
  } else {
    b.line({text: `${inner}output: `, tone: 'label'}, {text: waiting ? 'not submitted yet' : 'none recorded', tone: waiting ? 'warn' : 'dim'});
  }
}

function asRequired(call: StepToolCall & {type: 'function'}): RequiredToolCall {
  return {id: call.id ?? '(no id)', type: 'function', functionName: call.name ?? '', arguments: call.arguments ?? ''};
}

/**
 * `waiting for tool outputs for 3m (since …)  expires in 6m`. From the run's start the API tells
 * only an upper bound (it records no time for entering requires_action): then it says "at most".
 */
function waitingLine(b: PaneBuilder, run: Run, since: number | null, from: 'since the step began' | 'since the run started', context: PaneContext): void {
  const left = run.expiresAt === null ? null : run.expiresAt - context.nowSeconds;
  const bound = from === 'since the run started' ? 'at most ' : '';
  b.line(
    {text: `${INDENT}${INDENT}waiting for tool outputs`, tone: 'warn'},
    ...(since === null ? [] : [{text: ` for ${bound}${formatDuration(context.nowSeconds - since)}`, tone: 'warn' as const}, {text: ` (${from})`, tone: 'dim' as const}]),
    ...(left === null ? [] : [{text: left > 0 ? `  expires in ${formatDuration(left)}` : `  expired ${formatDuration(-left)} ago`, tone: left > 120 ? ('warn' as const) : ('bad' as const)}]),
  );
}

/** How long the round waited for its outputs, as far as the step's times tell. */
function roundWait(b: PaneBuilder, run: Run, step: RunStep, context: PaneContext): void {
  const indent = `${INDENT}${INDENT}`;
  const start = step.createdAt;
  if (step.status === 'in_progress') {
    if (run.status !== 'requires_action') return;
    waitingLine(b, run, start, 'since the step began', context);
    return;
  }
  const end = step.completedAt ?? step.expiredAt ?? step.cancelledAt ?? step.failedAt;
  const took = start !== null && end !== null ? formatDuration(end - start) : null;
  if (step.status === 'completed') {
    b.line({text: `${indent}waited for outputs ${took ?? '(times unknown)'}`, tone: 'dim'}, ...(took ? [{text: ' (step began → outputs in)', tone: 'dim' as const}] : []));
  } else {
    b.line({text: `${indent}no outputs: the round ended ${safeInline(step.status)}${took ? ` after ${took}` : ''}`, tone: 'bad'});
  }
}

/** Whether the step's function calls are the ones the run waits on now (their checks are the run's). */
function isWaitingRound(run: Run, step: RunStep): boolean {
  return run.status === 'requires_action' && step.status === 'in_progress' && isToolRound(step);
}

function toolStep(b: PaneBuilder, run: Run, step: RunStep, round: number | null, context: PaneContext): void {
  b.line(
    {text: INDENT},
    {text: round === null ? 'tool calls' : `round ${round} · tool calls`, tone: 'strong'},
    {text: '  '},
    statusSegment(step.status, context.ascii),
    {text: '  '},
    when(step.createdAt, context),
    {text: '  '},
    untrusted(step.id, 'dim'),
  );
  const functions = step.toolCalls.filter((call): call is StepToolCall & {type: 'function'} => call.type === 'function');
  const waiting = isWaitingRound(run, step);
  const reports = checkCallsAgainst(run, functions.map(asRequired));
  let functionIndex = 0;
  step.toolCalls.forEach((call, index) => {
    if (call.type === 'function') {
      functionCall(b, call, reports[functionIndex], callLabel(index), waiting);
      functionIndex += 1;
    } else {
      toolCall(b, call, ` ${callLabel(index)}`, fileSearchResults(step, index));
    }
  });
  if (step.lastError) b.line({text: `${INDENT}${INDENT}`}, untrusted(step.lastError.code ?? 'error', 'bad'), {text: ': ', tone: 'bad'}, untrusted(step.lastError.message ?? '(no message)', 'bad'));
  if (round !== null) roundWait(b, run, step, context);
}

/** The round the run waits in when no step read shows it: its calls from `required_action`, checked. */
function pendingRound(b: PaneBuilder, run: Run, round: number, context: PaneContext): void {
  const since = waitingSince(run);
  b.line({text: INDENT}, {text: `round ${round} · tool calls`, tone: 'strong'}, {text: '  '}, statusSegment('requires_action', context.ascii), {text: '  (from the run: no step read shows this round)', tone: 'dim'});
  checkToolCalls(run).forEach((report, index) => functionCall(b, {id: report.call.id, name: report.call.functionName, arguments: report.call.arguments, output: null}, report, callLabel(index), true));
  if (run.requiredAction?.callsCut) b.line({text: `${INDENT}${INDENT}the export cut the list of calls short`, tone: 'warn'});
  waitingLine(b, run, since, 'since the run started', context);
}

/** How the run ended (or where it stands), its error, and how many rounds of tool calls it took. */
function runEnd(b: PaneBuilder, run: Run, rounds: number, context: PaneContext): void {
  const active = isActiveStatus(run.status);
  const ran = run.startedAt !== null && run.endedAt !== null ? `  ran ${formatDuration(run.endedAt - run.startedAt)}` : '';
  b.line(
    {text: INDENT},
    {text: active ? 'now ' : 'ended ', tone: 'strong'},
    statusSegment(run.status, context.ascii),
    ...(run.endedAt !== null ? [{text: '  '}, when(run.endedAt, context)] : []),
    {text: ran, tone: 'dim'},
    ...(rounds > 0 ? [{text: `  ${plural(rounds, 'tool round')}`, tone: rounds > 1 ? ('attention' as const) : ('dim' as const)}] : []),
  );
  if (run.lastError) {
    b.line({text: `${INDENT}${INDENT}last error `, tone: 'bad'}, untrusted(run.lastError.code ?? 'error', 'bad'), {text: ': ', tone: 'bad'}, untrusted(run.lastError.message ?? '(no message)', 'bad'));
  }
  if (run.incompleteReason) b.line({text: `${INDENT}${INDENT}incomplete: `, tone: 'warn'}, untrusted(run.incompleteReason, 'warn'));
}

function stepsNote(b: PaneBuilder, steps: StepsView | undefined): void {
  if (!steps || steps.state === 'unavailable') b.line({text: `${INDENT}No steps loaded for this run: its tool calls are not known. `, tone: 'dim'}, {text: steps?.reason ?? 'Save its steps beside it, or open it from the API.', tone: 'dim'});
  else if (steps.state === 'loading') b.line({text: `${INDENT}Loading the run steps…`, tone: 'dim'});
  else if (steps.state === 'error') b.line({text: `${INDENT}Could not load the run steps: `, tone: 'bad'}, untrusted(steps.message, 'bad'));
}

/**
 * One run's part of the story: its steps in order, each answer where the step that wrote it is,
 * the answers no step read points at, and how it ended.
 */
function runStory(b: PaneBuilder, run: Run, stepsView: StepsView | undefined, runMessages: readonly ThreadMessage[], context: PaneContext): void {
  const steps = stepsView?.state === 'loaded' ? stepsView.steps : [];
  const byId = new Map(runMessages.map((message) => [message.id, message]));
  const shown = new Set<string>();
  const header: Segment[] = [{text: 'run ', tone: 'strong'}, untrusted(run.id, 'strong'), {text: '  '}, statusSegment(run.status, context.ascii)];
  if (run.model) header.push({text: '  '}, untrusted(run.model, 'dim'));
  header.push({text: '  '}, when(run.startedAt ?? run.createdAt, context));
  b.line(...header);
  stepsNote(b, stepsView);
  let round = 0;
  for (const step of steps) {
    b.blank();
    if (step.type === 'message_creation' || (step.messageId && step.toolCalls.length === 0)) {
      const message = step.messageId ? byId.get(step.messageId) : undefined;
      if (message) {
        fullMessage(b, message, context, INDENT);
        shown.add(message.id);
      } else {
        b.line({text: INDENT}, {text: 'message ', tone: 'accent'}, step.messageId ? untrusted(step.messageId) : {text: '(no id)', tone: 'dim'}, {text: '  ', tone: 'dim'}, statusSegment(step.status, context.ascii), {text: '  (the message itself is not loaded)', tone: 'dim'});
      }
      if (step.lastError) b.line({text: `${INDENT}${INDENT}`}, untrusted(step.lastError.code ?? 'error', 'bad'), {text: ': ', tone: 'bad'}, untrusted(step.lastError.message ?? '(no message)', 'bad'));
      continue;
    }
    if (isToolRound(step)) round += 1;
    toolStep(b, run, step, isToolRound(step) ? round : null, context);
  }
  const rounds = toolRounds(run, steps);
  if (rounds > round) {
    b.blank();
    pendingRound(b, run, rounds, context);
  }
  for (const message of runMessages) {
    if (shown.has(message.id)) continue;
    b.blank();
    fullMessage(b, message, context, INDENT);
  }
  b.blank();
  runEnd(b, run, rounds, context);
}

function messagesOf(view: MessagesView | undefined): readonly ThreadMessage[] {
  return view?.state === 'loaded' ? view.messages : [];
}

function messagesNote(b: PaneBuilder, view: MessagesView | undefined, threadId: string | null): void {
  if (!view || view.state === 'unavailable') {
    b.line({text: threadId ? 'No messages of this thread are loaded' : 'The run names no thread', tone: 'dim'}, ...(view?.reason ? [{text: `: ${view.reason}`, tone: 'dim' as const}] : [{text: '.', tone: 'dim' as const}]));
  } else if (view.state === 'loading') {
    b.line({text: 'Loading the thread’s messages…', tone: 'dim'});
  } else if (view.state === 'error') {
    b.line({text: 'Could not load the thread’s messages: ', tone: 'bad'}, untrusted(view.message, 'bad'));
  }
}

function warningsOf(b: PaneBuilder, view: MessagesView | undefined): void {
  if (view?.state !== 'loaded' || view.warnings.length === 0) return;
  b.blank().heading(`Warnings (${view.warnings.length})`);
  for (const warning of view.warnings) b.line({text: '  ! ', tone: 'warn'}, untrusted(formatWarning(warning)));
}

/** Whether a message came after the run began (a later turn): not part of this run's story. */
function isLater(message: ThreadMessage, run: Run): boolean {
  return message.runId !== run.id && message.createdAt !== null && run.createdAt !== null && message.createdAt > run.createdAt;
}

/** The Conversation pane of a run: the thread before it, its steps, its answer, how it ended. */
export function buildConversationPane(run: Run, context: PaneContext): PaneContent {
  const b = new PaneBuilder();
  const messagesView = context.messages && context.messages.threadId === (run.threadId ?? '') ? context.messages : undefined;
  const messages = messagesOf(messagesView);
  const steps = context.steps?.runId === run.id ? context.steps : undefined;
  const before = messages.filter((message) => message.runId !== run.id && !isLater(message, run));
  const own = messages.filter((message) => message.runId === run.id);
  const later = messages.length - before.length - own.length;
  // The turn that asked for this run: what came after the last message another run wrote.
  let split = before.length;
  while (split > 0 && before[split - 1]!.runId === null && before[split - 1]!.role !== 'assistant') split -= 1;

  b.line({text: 'thread ', tone: 'label'}, run.threadId ? untrusted(run.threadId) : {text: '—', tone: 'dim'}, {text: `  ${plural(messages.length, 'message')}${messages.length > 0 ? `, ${before.length} before this run` : ''}`, tone: 'dim'});
  messagesNote(b, messagesView, run.threadId);
  if (split > 0) {
    b.blank().heading(`Earlier in the thread (${plural(split, 'message')}, one line each)`);
    for (const message of before.slice(0, split)) collapsedMessage(b, message, context);
  }
  for (const message of before.slice(split)) {
    b.blank();
    fullMessage(b, message, context);
  }
  b.blank();
  runStory(b, run, steps, own, context);
  if (later > 0) b.blank().line({text: `${plural(later, 'later message')} in the thread (${keyText('threads')} shows the whole thread)`, tone: 'dim'});
  warningsOf(b, messagesView);
  return b.build();
}

/** A whole thread: its runs in the order they were created, each with the messages that led to it. */
export interface ThreadStory {
  threadId: string;
  runs: readonly Run[];
  messages: MessagesView | undefined;
  /** The steps of one of its runs, as the Steps pane has them. */
  stepsOf: (run: Run) => StepsView | undefined;
}

/** The thread as one conversation across its runs: messages and runs interleaved by time. */
export function buildThreadConversation(thread: ThreadStory, context: PaneContext): PaneContent {
  const b = new PaneBuilder();
  const messages = messagesOf(thread.messages);
  const runs = [...thread.runs].sort((a, c) => (a.createdAt ?? Number.POSITIVE_INFINITY) - (c.createdAt ?? Number.POSITIVE_INFINITY));
  const runIds = new Set(runs.map((run) => run.id));
  b.line({text: 'thread ', tone: 'label'}, untrusted(thread.threadId, 'strong'), {text: `  ${plural(runs.length, 'run')}, ${plural(messages.length, 'message')}`, tone: 'dim'});
  messagesNote(b, thread.messages, thread.threadId);
  // Messages not written by a run shown here come in time order, each before the first run created after it.
  const loose = messages.filter((message) => message.runId === null || !runIds.has(message.runId));
  let next = 0;
  for (const run of runs) {
    while (next < loose.length && !isLater(loose[next]!, run)) {
      b.blank();
      fullMessage(b, loose[next]!, context);
      next += 1;
    }
    b.blank();
    runStory(b, run, thread.stepsOf(run), messages.filter((message) => message.runId === run.id), context);
  }
  for (; next < loose.length; next += 1) {
    b.blank();
    fullMessage(b, loose[next]!, context);
  }
  warningsOf(b, thread.messages);
  return b.build();
}

/** The tab badge: the run's tool rounds when it took more than one, else its steps and messages shown. */
export function conversationBadge(run: Run, context: Pick<PaneContext, 'steps' | 'messages'>): string {
  const steps = context.steps?.runId === run.id && context.steps.state === 'loaded' ? context.steps.steps : [];
  const rounds = toolRounds(run, steps);
  return rounds > 1 ? `${rounds} rounds` : '';
}
