/**
 * A run (or a whole thread of runs) to share: a self-contained Markdown report, or JSON of the
 * runs as read. `redact` replaces what should not leave the team (metadata values, instructions,
 * tool arguments, error messages) by stable placeholders: the same value gives the same
 * placeholder within one report, so a reader can still follow the flow. Ids, statuses, times,
 * token counts, function names and the check results stay. Pure: the CLI writes the text.
 */
import {costCellText, priceSource} from '../format/cost.js';
import {safeInline, safeJson, safeMultiline} from '../format/sanitize.js';
import {formatDuration} from '../format/time.js';
import {describeGaps, NO_MODEL_MAP, runCost, type ModelMap} from '../model/cost.js';
import type {Run} from '../model/run.js';
import {runDurationSeconds} from '../model/runFacts.js';
import {checkToolCalls} from '../triage/toolCallChecks.js';
import {submitToolOutputsBody} from '../triage/unstick.js';

/** The fields `--redact` replaces, by the names `--redact-keep` takes. */
export const REDACTABLE_FIELDS = ['metadata', 'instructions', 'arguments', 'outputs', 'messages', 'error'] as const;
export type RedactableField = (typeof REDACTABLE_FIELDS)[number];

export interface ExportOptions {
  format: 'md' | 'json';
  redact: boolean;
  /** Fields kept as they are under `redact`. */
  keep?: readonly string[];
  nowSeconds: number;
  /** Deployment name → model for the cost lines; absent: none mapped. */
  modelMap?: ModelMap;
}

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
      // Also the value as escaped for a terminal and as a JSON string, the forms a report writes it in.
      for (const form of new Set([value, safeInline(value), JSON.stringify(value).slice(1, -1)])) if (form.length > 0) out = out.split(form).join(placeholder);
    }
    return out;
  }
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
  if (options.format === 'json') {
    const json = safeJson(
      {schema: 'runlens.export/1', redacted: options.redact ? REDACTABLE_FIELDS.filter((field) => redactor.redacts(field)) : [], runs: runs.map((run) => redactRaw(run.raw, redactor))},
      2,
    );
    return `${redactor.scrub(json)}\n`;
  }
  const lines = [`# runlens report: ${cell(title)}`, ''];
  if (options.redact) {
    lines.push(`> Redacted: ${REDACTABLE_FIELDS.filter((field) => redactor.redacts(field)).join(', ')} replaced by placeholders (the same value, the same placeholder).`, '');
  }
  for (const run of runs) lines.push(...runMarkdown(run, redactor, options.nowSeconds, options.modelMap ?? NO_MODEL_MAP));
  return `${redactor.scrub(lines.join('\n')).trimEnd()}\n`;
}
