/**
 * A run (or a whole thread of runs) to share: a self-contained Markdown report, or JSON of the
 * runs as read, each with its conversation (messages and steps, where loaded) as the Conversation
 * pane tells it. `redact` replaces what should not leave the team (metadata values, instructions,
 * message text, tool arguments and outputs, error messages) by stable placeholders: the same value
 * gives the same placeholder within one report, so a reader can still follow the flow. Ids,
 * statuses, times, token counts, function names and the check results stay. Pure: the CLI writes
 * the text.
 */
import {costCellText, priceSource} from '../format/cost.js';
import {safeInline, safeJson, safeMultiline} from '../format/sanitize.js';
import {formatDuration} from '../format/time.js';
import {describeGaps, NO_MODEL_MAP, runCost, type ModelMap} from '../model/cost.js';
import type {Run} from '../model/run.js';
import {runDurationSeconds} from '../model/runFacts.js';
import {checkToolCalls} from '../triage/toolCallChecks.js';
import {submitToolOutputsBody} from '../triage/unstick.js';
import type {RunStep, StepToolCall} from '../model/runStep.js';
import type {MessageContent, ThreadMessage} from '../model/threadMessage.js';
import {lineText, type PaneContent} from './content.js';
import {buildConversationPane, buildThreadConversation} from './conversation.js';
import type {MessagesView, StepsView} from './paneContext.js';

/** The fields `--redact` replaces, by the names `--redact-keep` takes. */
export const REDACTABLE_FIELDS = ['metadata', 'instructions', 'arguments', 'outputs', 'messages', 'error'] as const;
export type RedactableField = (typeof REDACTABLE_FIELDS)[number];

/** The runs' story as loaded (files, transcripts, an API): a run's steps, its thread's messages. */
export interface ExportStory {
  steps: (run: Run) => StepsView | undefined;
  messages: (run: Run) => MessagesView | undefined;
}

export interface ExportOptions {
  format: 'md' | 'json';
  redact: boolean;
  /** Fields kept as they are under `redact`. */
  keep?: readonly string[];
  nowSeconds: number;
  /** The steps and messages loaded; absent: the conversation says none are loaded. */
  story?: ExportStory;
  /** Exporting this whole thread: one conversation across its runs, rather than one per run. */
  thread?: string;
  /** Deployment name → model for the cost lines; absent: none mapped. */
  modelMap?: ModelMap;
}

/** Values shorter than this are not searched for in the finished text (see `scrub`). */
const MIN_SCRUBBED = 4;

/**
 * Stable placeholders: `‹instructions-1›`, the same for the same value. `scrub` removes any
 * redacted value still present in a finished text (a check's message quoting an argument).
 */
export class Redactor {
  private readonly placeholders = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  private readonly keep: ReadonlySet<string>;

  constructor(
    readonly active: boolean,
    keep: readonly string[] = [],
  ) {
    this.keep = new Set(keep);
  }

  /** Whether `field` is replaced. */
  redacts(field: RedactableField): boolean {
    return this.active && !this.keep.has(field);
  }

  /** `value`, or its placeholder when `field` is redacted. */
  text(field: RedactableField, value: string): string {
    if (!this.redacts(field) || value === '') return value;
    const key = `${field}\u0000${value}`;
    let placeholder = this.placeholders.get(key);
    if (!placeholder) {
      const count = (this.counts.get(field) ?? 0) + 1;
      this.counts.set(field, count);
      placeholder = `‹${field}-${count}›`;
      this.placeholders.set(key, placeholder);
    }
    return placeholder;
  }

  /** The text with every redacted value (longest first) replaced by its placeholder. */
  scrub(text: string): string {
    if (!this.active) return text;
    const entries = [...this.placeholders].map(([key, placeholder]) => [key.slice(key.indexOf('\u0000') + 1), placeholder] as const);
    let out = text;
    for (const [value, placeholder] of entries.sort((a, b) => b[0].length - a[0].length)) {
      // A short value ("c", "1", "{}") is replaced where it was written, not everywhere it occurs: that would wreck the report.
      if (value.length < MIN_SCRUBBED) continue;
      // Also the value as escaped for a terminal and as a JSON string, the forms a report writes it in.
      for (const form of new Set([value, safeInline(value), JSON.stringify(value).slice(1, -1)])) if (form.length > 0) out = out.split(form).join(placeholder);
    }
    return out;
  }
}

/**
 * Tool arguments with every string in them replaced, the JSON kept: the conversation still shows
 * the keys and checks valid JSON, and no value leaves. Text that is not JSON is one placeholder.
 */
function redactArguments(text: string, redactor: Redactor): string {
  if (!redactor.redacts('arguments')) return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return redactor.text('arguments', text);
  }
  const walk = (inner: unknown): unknown => {
    if (typeof inner === 'string') return redactor.text('arguments', inner);
    if (Array.isArray(inner)) return inner.map(walk);
    if (inner && typeof inner === 'object') return Object.fromEntries(Object.entries(inner).map(([key, item]) => [key, walk(item)]));
    return inner;
  };
  return JSON.stringify(walk(value));
}

type Json = Record<string, unknown>;
const record = (value: unknown): Json | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null);

/** `object[key]` replaced by `change` of it when it is a string. */
function withString(object: Json, key: string, change: (text: string) => string): Json {
  return typeof object[key] === 'string' ? {...object, [key]: change(object[key] as string)} : object;
}

/** A message's content part with its text (or refusal, or image URL) redacted. */
function redactPart(part: MessageContent, redactor: Redactor): MessageContent {
  switch (part.type) {
    case 'text':
      return {...part, text: redactor.text('messages', part.text)};
    case 'refusal':
      return {...part, refusal: redactor.text('messages', part.refusal)};
    case 'image_url':
      return {...part, url: part.url === null ? null : redactor.text('messages', part.url)};
    case 'other':
      return {...part, raw: null};
    default:
      return part;
  }
}

/** A message as read (`raw`), its text redacted, for `--format json`. */
function redactMessageRaw(raw: Json, redactor: Redactor): Json {
  const content = raw['content'];
  if (!Array.isArray(content)) return typeof content === 'string' ? {...raw, content: redactor.text('messages', content)} : raw;
  return {
    ...raw,
    content: content.map((value) => {
      const part = record(value);
      if (!part) return value;
      const text = record(part['text']);
      let out = text ? {...part, text: withString(text, 'value', (inner) => redactor.text('messages', inner))} : withString(part, 'text', (inner) => redactor.text('messages', inner));
      out = withString(out, 'refusal', (inner) => redactor.text('messages', inner));
      const image = record(out['image_url']);
      return image ? {...out, image_url: withString(image, 'url', (inner) => redactor.text('messages', inner))} : out;
    }),
  };
}

/** A message with its text redacted (the conversation is built from this copy). */
function redactMessage(message: ThreadMessage, redactor: Redactor): ThreadMessage {
  if (!redactor.redacts('messages')) return message;
  return {...message, content: message.content.map((part) => redactPart(part, redactor)), raw: redactMessageRaw(message.raw, redactor)};
}

/** A step's tool call with its arguments, input and outputs redacted. */
function redactCall(call: StepToolCall, redactor: Redactor): StepToolCall {
  const output = (text: string) => redactor.text('outputs', text);
  switch (call.type) {
    case 'function':
      return {...call, arguments: call.arguments === null ? null : redactArguments(call.arguments, redactor), output: call.output === null ? null : output(call.output)};
    case 'code_interpreter':
      return {
        ...call,
        input: call.input === null ? null : redactor.text('arguments', call.input),
        outputs: call.outputs.map((item) => ('logs' in item && typeof item.logs === 'string' ? {...item, logs: output(item.logs)} : item.type === 'image' ? item : {type: item.type, raw: null})),
      };
    case 'file_search':
      return call;
    default:
      return {...call, raw: null};
  }
}

/** A step as read (`raw`) with its calls' arguments and outputs (file_search's text found too) and its error redacted. */
function redactStepRaw(raw: Json, redactor: Redactor): Json {
  let out = raw;
  const error = record(out['last_error']);
  if (error) out = {...out, last_error: withString(error, 'message', (text) => redactor.text('error', text))};
  const details = record(out['step_details']);
  const calls = details?.['tool_calls'];
  if (!details || !Array.isArray(calls)) return out;
  const output = (text: string) => redactor.text('outputs', text);
  const redacted = calls.map((value) => {
    const call = record(value);
    if (!call) return value;
    const fn = record(call['function']);
    if (fn) return {...call, function: withString(withString(fn, 'arguments', (text) => redactArguments(text, redactor)), 'output', output)};
    const code = record(call['code_interpreter']);
    if (code) {
      const outputs = Array.isArray(code['outputs']) ? code['outputs'].map((item) => (record(item) ? withString(record(item)!, 'logs', output) : item)) : code['outputs'];
      return {...call, code_interpreter: {...withString(code, 'input', (text) => redactor.text('arguments', text)), outputs}};
    }
    const search = record(call['file_search']);
    if (search && Array.isArray(search['results'])) {
      const results = search['results'].map((item) => {
        const result = record(item);
        if (!result || !Array.isArray(result['content'])) return item;
        return {...result, content: result['content'].map((part) => (record(part) ? withString(record(part)!, 'text', output) : part))};
      });
      return {...call, file_search: {...search, results}};
    }
    return call;
  });
  return {...out, step_details: {...details, tool_calls: redacted}};
}

/** A step with its calls' arguments and outputs redacted. */
function redactStep(step: RunStep, redactor: Redactor): RunStep {
  if (!redactor.active) return step;
  return {
    ...step,
    toolCalls: step.toolCalls.map((call) => redactCall(call, redactor)),
    lastError: step.lastError ? {...step.lastError, message: step.lastError.message === null ? null : redactor.text('error', step.lastError.message)} : null,
    raw: redactStepRaw(step.raw, redactor),
  };
}

/** The run as the conversation shows it: the calls it waits on and its error redacted. */
function redactRun(run: Run, redactor: Redactor): Run {
  if (!redactor.active) return run;
  const action = run.requiredAction;
  return {
    ...run,
    requiredAction: action ? {...action, toolCalls: action.toolCalls.map((call) => ({...call, arguments: redactArguments(call.arguments, redactor)}))} : action,
    lastError: run.lastError ? {...run.lastError, message: run.lastError.message === null ? null : redactor.text('error', run.lastError.message)} : null,
  };
}

/** The story's views with what they hold redacted. */
function redactedStory(story: ExportStory | undefined, redactor: Redactor): ExportStory {
  return {
    steps: (run) => {
      const view = story?.steps(run);
      return view?.state === 'loaded' && redactor.active ? {...view, steps: view.steps.map((step) => redactStep(step, redactor))} : view;
    },
    messages: (run) => {
      const view = story?.messages(run);
      return view?.state === 'loaded' && redactor.active ? {...view, messages: view.messages.map((message) => redactMessage(message, redactor))} : view;
    },
  };
}

/** Pane content as plain lines (the conversation's blocks are all lines; it is escaped already). */
function contentText(content: PaneContent): string {
  return content.flatMap((block) => (block.kind === 'lines' ? block.lines.map((line) => lineText(line).trimEnd()) : [])).join('\n');
}

/** The conversation of the runs: one run's (as its Conversation pane), or a whole thread's (as the thread view). */
function conversationText(runs: readonly Run[], story: ExportStory, redactor: Redactor, options: ExportOptions): string {
  const context = {nowSeconds: options.nowSeconds, time: {utc: true}, ascii: false, width: 100};
  const shown = runs.map((run) => redactRun(run, redactor));
  if (options.thread !== undefined) {
    return contentText(buildThreadConversation({threadId: options.thread, runs: shown, messages: shown[0] ? story.messages(shown[0]) : undefined, stepsOf: story.steps}, context));
  }
  const run = shown[0]!;
  const steps = story.steps(run);
  const messages = story.messages(run);
  return contentText(buildConversationPane(run, {...context, ...(steps ? {steps} : {}), ...(messages ? {messages} : {})}));
}

/** Everything of the story loaded for the runs, as read, for `--format json`: their thread's messages and their steps. */
function storyJson(runs: readonly Run[], story: ExportStory): {messages: unknown[]; steps: unknown[]} {
  const messages = new Map<string, unknown>();
  const steps = new Map<string, unknown>();
  for (const run of runs) {
    const messageView = story.messages(run);
    if (messageView?.state === 'loaded') for (const message of messageView.messages) messages.set(message.id, message.raw);
    const stepView = story.steps(run);
    if (stepView?.state === 'loaded') for (const step of stepView.steps) steps.set(step.id, step.raw);
  }
  return {messages: [...messages.values()], steps: [...steps.values()]};
}

const iso = (seconds: number | null) => (seconds === null ? '—' : new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'));

/** A Markdown code fence long enough for `text` (a fence inside it never closes ours). */
function fenced(text: string, language = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

/** Inline text for a Markdown table cell or line: escaped, pipes and backticks made harmless. */
function cell(text: string): string {
  return safeInline(text).replace(/\|/g, '\\|').replace(/`/g, "'");
}

/** The raw run with the redacted fields replaced, for `--format json`. */
function redactRaw(raw: Record<string, unknown>, redactor: Redactor): Record<string, unknown> {
  if (!redactor.active) return raw;
  const out: Record<string, unknown> = {...raw};
  if (typeof out['instructions'] === 'string') out['instructions'] = redactor.text('instructions', out['instructions']);
  const metadata = out['metadata'];
  if (metadata && typeof metadata === 'object' && !Array.isArray(metadata)) {
    out['metadata'] = Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, typeof value === 'string' ? redactor.text('metadata', value) : value]));
  }
  const lastError = out['last_error'];
  if (lastError && typeof lastError === 'object' && typeof (lastError as Record<string, unknown>)['message'] === 'string') {
    out['last_error'] = {...lastError, message: redactor.text('error', (lastError as Record<string, string>)['message']!)};
  }
  const action = out['required_action'] as {submit_tool_outputs?: {tool_calls?: unknown[]}} | null | undefined;
  const calls = action?.submit_tool_outputs?.tool_calls;
  if (Array.isArray(calls)) {
    out['required_action'] = {
      ...action,
      submit_tool_outputs: {
        ...action!.submit_tool_outputs,
        tool_calls: calls.map((call) => {
          const fn = (call as {function?: Record<string, unknown>}).function;
          if (!fn || typeof fn['arguments'] !== 'string') return call;
          return {...(call as object), function: {...fn, arguments: redactor.text('arguments', fn['arguments'])}};
        }),
      },
    };
  }
  return out;
}

/** One run's section of the Markdown report. */
function runMarkdown(run: Run, redactor: Redactor, nowSeconds: number, modelMap: ModelMap): string[] {
  const out: string[] = [];
  out.push(`## Run \`${cell(run.id)}\``, '');
  out.push('| field | value |', '| --- | --- |');
  const row = (field: string, value: string) => out.push(`| ${field} | ${value} |`);
  row('status', `**${cell(run.status)}**`);
  row('model', cell(run.model ?? '—'));
  row('thread', cell(run.threadId ?? '—'));
  row('assistant', cell(run.assistantId ?? '—'));
  out.push('');
  out.push('### Timeline', '');
  out.push(`- created ${iso(run.createdAt)}`, `- started ${iso(run.startedAt)}`);
  if (run.completedAt !== null) out.push(`- completed ${iso(run.completedAt)}`);
  if (run.failedAt !== null) out.push(`- failed ${iso(run.failedAt)}`);
  if (run.cancelledAt !== null) out.push(`- cancelled ${iso(run.cancelledAt)}`);
  if (run.expiresAt !== null) out.push(`- expires ${iso(run.expiresAt)}`);
  const duration = runDurationSeconds(run, nowSeconds);
  if (duration !== null) out.push(`- run time ${formatDuration(duration)}`);
  out.push('', '### Usage and cost', '');
  if (run.usage) {
    out.push(`- tokens: ${run.usage.promptTokens ?? '—'} prompt, ${run.usage.completionTokens ?? '—'} completion, ${run.usage.totalTokens ?? '—'} total`);
    if (run.usage.cachedTokens != null) out.push(`- cached prompt tokens: ${run.usage.cachedTokens}`);
    const cost = runCost(run, modelMap);
    if (cost.kind === 'priced') {
      out.push(`- cost: ${costCellText(cost)} (estimate; ${priceSource(cost)})`);
      for (const gap of describeGaps(cost.gaps)) out.push(`  - not counted: ${gap}`);
    } else {
      out.push(`- cost: no price (${cell(cost.reason)})`);
    }
  } else {
    out.push('- no usage recorded');
  }
  const reports = checkToolCalls(run);
  if (reports.length > 0) {
    out.push('', '### Tool calls', '');
    for (const report of reports) {
      out.push(`- \`${cell(report.call.functionName)}\` (${cell(report.call.id)}): ${report.verified ? 'verified' : report.ok ? 'not all checks could run' : 'fails a check'}`);
      for (const check of report.checks) {
        const mark = check.ok === true ? 'pass' : check.ok === false ? 'FAIL' : 'could not run';
        // Check messages can quote the arguments; redacted, only the verdicts stay.
        const details = redactor.redacts('arguments') ? '' : check.details.length > 0 ? `: ${check.details.map(cell).join('; ')}` : '';
        out.push(`  - ${check.name}: ${mark}${details}`);
      }
      out.push('', fenced(safeMultiline(redactor.text('arguments', report.call.arguments)), 'json'), '');
    }
    const body = submitToolOutputsBody(run);
    if (body) out.push('### Unstick request', '', `POST /v1/threads/${cell(run.threadId ?? 'THREAD_ID')}/runs/${cell(run.id)}/submit_tool_outputs`, '', fenced(safeJson(body, 2), 'json'), '');
  }
  if (run.lastError) {
    out.push('', '### Last error', '', `- code: ${cell(run.lastError.code ?? '—')}`, `- message: ${cell(redactor.text('error', run.lastError.message ?? ''))}`);
  }
  if (run.incompleteReason) out.push('', `Incomplete: ${cell(run.incompleteReason)}`);
  const metadata = Object.entries(run.metadata);
  if (metadata.length > 0) {
    out.push('', '### Metadata', '', '| key | value |', '| --- | --- |');
    for (const [key, value] of metadata) out.push(`| ${cell(key)} | ${cell(redactor.text('metadata', value))} |`);
  }
  out.push('', '### Instructions', '');
  out.push(run.instructions ? fenced(safeMultiline(redactor.text('instructions', run.instructions))) : '_none_');
  out.push('');
  return out;
}

/** The runs as one report (Markdown) or JSON; `title` heads the Markdown (a run id or a thread). */
export function exportRuns(runs: readonly Run[], title: string, options: ExportOptions): string {
  const redactor = new Redactor(options.redact, options.keep);
  const story = redactedStory(options.story, redactor);
  if (options.format === 'json') {
    const json = safeJson(
      {
        schema: 'runlens.export/1',
        redacted: options.redact ? REDACTABLE_FIELDS.filter((field) => redactor.redacts(field)) : [],
        runs: runs.map((run) => redactRaw(run.raw, redactor)),
        ...storyJson(runs, story),
      },
      2,
    );
    return `${redactor.scrub(json)}\n`;
  }
  const lines = [`# runlens report: ${cell(title)}`, ''];
  if (options.redact) {
    lines.push(`> Redacted: ${REDACTABLE_FIELDS.filter((field) => redactor.redacts(field)).join(', ')} replaced by placeholders (the same value, the same placeholder).`, '');
  }
  const conversation = runs.length > 0 ? conversationText(runs, story, redactor, options) : '';
  for (const run of runs) {
    lines.push(...runMarkdown(run, redactor, options.nowSeconds, options.modelMap ?? NO_MODEL_MAP));
    if (options.thread === undefined) lines.push('### Conversation', '', fenced(conversation), '');
  }
  if (options.thread !== undefined && runs.length > 0) lines.push('## Conversation', '', fenced(conversation), '');
  return `${redactor.scrub(lines.join('\n')).trimEnd()}\n`;
}
