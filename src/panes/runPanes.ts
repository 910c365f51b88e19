/**
 * The content of each detail pane of a run. Pure: a run, the clock and the time options in,
 * blocks out. `runlens show` prints these; the TUI renders and scrolls them.
 */
import {groupedCount} from '../format/count.js';
import {parseJson} from '../format/jsonError.js';
import {keyText} from '../keys.js';
import {safeInline} from '../format/sanitize.js';
import {statusSegment, type Tone} from '../format/theme.js';
import {formatDuration, formatTimestamp} from '../format/time.js';
import {costCellText, formatUsd, priceSource, rateText} from '../format/cost.js';
import {describeGaps, NO_MODEL_MAP, runCost, type ModelMap} from '../model/cost.js';
import {DEPTH_ADVICE, isToolCut} from '../model/powershell.js';
import {DOCUMENTED_RUN_FIELDS, isActiveStatus, isCut, isKnownStatus, pendingCallCount, sourceKindOf, waitedFor, type Run} from '../model/run.js';
import {waitingSince} from '../model/runFacts.js';
import {checkToolCalls} from '../triage/toolCallChecks.js';
import {submitToolOutputsUrl, unstickHeaders, unstickRequest} from '../triage/unstick.js';
import {DOCUMENTED_RESPONSE_FIELDS} from '../model/response.js';
import {addResponseOverview, buildOutputPane} from './responsePanes.js';
import {azureToolSummary, toolResourceLines} from './azureTools.js';
import {jsonLines, PaneBuilder, untrusted, untrustedLines, type PaneContent, type Segment} from './content.js';
import type {PaneContext} from './paneContext.js';
import {runTimeline} from './timeline.js';

function timestampSegments(seconds: number | null, context: PaneContext): Segment[] {
  if (seconds === null) return [{text: '—', tone: 'dim'}];
  return [{text: formatTimestamp(seconds, context.nowSeconds, context.time)}];
}

function jsonInline(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text;
}

/** The overview pane; `actionPane` names the Required action pane and its key (the registry writes it). */
export function overviewPane(run: Run, context: PaneContext, actionPane: string): PaneContent {
  const b = new PaneBuilder();
  b.field('Run', untrusted(run.id, 'strong'));
  const status: Segment[] = [statusSegment(run.status, context.ascii)];
  if (!isKnownStatus(run.status)) status.push({text: '  (status not documented by the API; shown as-is)', tone: 'dim'});
  if (isActiveStatus(run.status) && run.threadId) {
    status.push({text: '  locks ', tone: 'warn'}, untrusted(run.threadId, 'warn'));
  }
  b.field('Status', status);
  if (run.status === 'requires_action') {
    const calls = pendingCallCount(run);
    b.field(
      'Waiting for',
      calls === null
        ? {text: `${waitedFor(run)}s: the export cut the list of calls short (${DEPTH_ADVICE})`, tone: 'warn'}
        : `${calls} ${waitedFor(run)}${calls === 1 ? '' : 's'} (see ${actionPane})`,
    );
  }
  // A response has neither: its chain and conversation are in its own section below.
  if (run.kind !== 'response') {
    b.field('Thread', run.threadId ? untrusted(run.threadId) : {text: '—', tone: 'dim'});
    b.field('Assistant', run.assistantId ? untrusted(run.assistantId) : {text: '—', tone: 'dim'});
  }
  b.field('Model', run.model ? untrusted(run.model) : {text: '—', tone: 'dim'});
  if (run.kind === 'response') b.field('Kind', 'response (Responses API)');
  b.field('Source', untrusted(`${run.source.file}${run.source.line ? `:${run.source.line}` : ''}`, 'dim'));
  for (const [index, line] of toolResourceLines(run).entries()) b.field(index === 0 ? 'Resources' : '', untrusted(line));

  addResponseOverview(b, run);

  b.blank().heading('Times');
  b.field('  created', timestampSegments(run.createdAt, context));
  b.field('  started', timestampSegments(run.startedAt, context));
  if (run.completedAt !== null) b.field('  completed', timestampSegments(run.completedAt, context));
  if (run.failedAt !== null) b.field('  failed', timestampSegments(run.failedAt, context));
  if (run.cancelledAt !== null) b.field('  cancelled', timestampSegments(run.cancelledAt, context));
  if (run.expiresAt !== null) {
    const expired = run.expiresAt <= context.nowSeconds;
    const tone: Tone | undefined = isActiveStatus(run.status) ? (expired ? 'bad' : 'warn') : undefined;
    const segments: Segment[] = timestampSegments(run.expiresAt, context).map((segment) => (tone ? {...segment, tone} : segment));
    if (isActiveStatus(run.status) && expired) segments.push({text: '  expired while waiting', tone: 'bad'});
    b.field('  expires', segments);
  }

  b.blank().heading('Durations');
  const end = run.endedAt ?? (isActiveStatus(run.status) ? context.nowSeconds : null);
  const stillRunning = run.endedAt === null && isActiveStatus(run.status);
  const durationText = (from: number | null, to: number | null, note: string): Segment[] =>
    from === null || to === null ? [{text: '—', tone: 'dim'}] : [{text: formatDuration(to - from)}, {text: `  ${note}`, tone: 'dim'}];
  b.field('  queued', durationText(run.createdAt, run.startedAt ?? (stillRunning ? context.nowSeconds : null), 'created → started'));
  b.field('  running', durationText(run.startedAt, end, stillRunning ? 'started → now (not finished)' : 'started → ended'));
  b.field('  total', durationText(run.createdAt, end, stillRunning ? 'created → now (not finished)' : 'created → ended'));
  if (run.status === 'requires_action') {
    const since = waitingSince(run);
    b.field('  waiting', durationText(since, context.nowSeconds, 'at most: the API does not record when the wait began'));
  }

  b.blank().heading('Timeline');
  b.lines(runTimeline(run, {width: context.width ?? 80, nowSeconds: context.nowSeconds, ascii: context.ascii ?? false}));

  b.blank().heading('Settings');
  const setting = (label: string, value: string | number | boolean | null) =>
    b.field(`  ${label}`, value === null ? (isCut(run, label) ? CUT_SEGMENT : {text: '—', tone: 'dim'}) : untrusted(String(value)), 24);
  setting('temperature', run.temperature);
  setting('top_p', run.topP);
  setting('max_prompt_tokens', run.maxPromptTokens);
  setting('max_completion_tokens', run.maxCompletionTokens);
  setting(
    'truncation_strategy',
    run.truncationStrategy
      ? run.truncationStrategy.lastMessages !== null
        ? `${run.truncationStrategy.type} (last ${run.truncationStrategy.lastMessages} messages)`
        : run.truncationStrategy.type
      : null,
  );
  setting('tool_choice', run.toolChoice);
  setting('response_format', run.responseFormat);
  setting('parallel_tool_calls', run.parallelToolCalls);
  if (run.reasoningEffort !== null || 'reasoning_effort' in run.raw) setting('reasoning_effort', run.reasoningEffort);
  if (run.fileIds !== null) setting('file_ids (v1)', run.fileIds.length === 0 ? 'none' : run.fileIds.join(', '));

  if (run.notes) {
    b.blank().heading('Read from another form (Raw JSON shows what was read)');
    for (const note of run.notes) {
      // Each message names its field first.
      b.line({text: note.kind === 'cut' ? '  ✂ ' : '  ~ ', tone: note.kind === 'cut' ? 'warn' : 'dim'}, untrusted(note.message, note.kind === 'cut' ? 'warn' : undefined));
    }
    if (run.notes.some((note) => note.kind === 'cut')) b.line({text: `  Fields cut short are unknown, not empty: ${DEPTH_ADVICE}.`, tone: 'warn'});
  }

  if (run.problems.length > 0) {
    b.blank().heading('Invalid fields (shown as-is in Raw JSON)');
    for (const problem of run.problems) b.line({text: '  ✗ ', tone: 'bad'}, untrusted(problem.field, 'bad'), {text: ': '}, untrusted(problem.message));
  }

  const documented = run.kind === 'response' ? DOCUMENTED_RESPONSE_FIELDS : DOCUMENTED_RUN_FIELDS;
  const extra = Object.keys(run.raw).filter((key) => !documented.has(key));
  if (extra.length > 0) {
    b.blank().heading('Other fields (not in the documented schema)');
    for (const key of extra) {
      const text = jsonInline(run.raw[key]);
      b.field(`  ${safeInline(key)}`, untrusted(text.length > 200 ? `${text.slice(0, 200)}…` : text), 24);
    }
  }
  return b.build();
}

/** Where a value is unknown because an export cut it short. */
const CUT_SEGMENT: Segment = {text: 'cut short by the export', tone: 'warn'};

/** One line saying an export cut `what` short, and how to export it whole. */
function cutLine(what: string): Segment {
  return {text: `The export cut ${what} short (ConvertTo-Json's default -Depth 2): ${DEPTH_ADVICE}.`, tone: 'warn'};
}

/** The tools pane. */
export function toolsPane(run: Run): PaneContent {
  const b = new PaneBuilder();
  if (isCut(run, 'tools')) {
    b.line(cutLine('the tools list'));
    return b.build();
  }
  if (run.tools.length === 0) {
    b.line({text: Array.isArray(run.raw['tools']) ? 'This run has no tools.' : 'The run object has no tools list.', tone: 'dim'});
    return b.build();
  }
  const short = (text: string) => safeInline(text.length > 60 ? `${text.slice(0, 59)}…` : text);
  b.table(
    ['#', 'type', 'name', 'strict', 'description'],
    run.tools.map((tool, index) => {
      // Foundry's tool types carry their name and what they reach in options of their own.
      const azure = azureToolSummary(tool, run);
      const name = tool.name ?? azure?.name ?? null;
      const description = tool.description ?? azure?.summary ?? null;
      return {
        '#': String(index + 1),
        type: safeInline(tool.type),
        name: name ? safeInline(name) : '—',
        strict: tool.cut ? '?' : tool.type === 'function' ? (tool.strict ? 'yes' : 'no') : '',
        description: tool.cut ? '(cut short by the export)' : description ? short(description) : '',
      };
    }),
  );
  for (const [index, tool] of run.tools.entries()) {
    b.blank();
    b.heading(`${index + 1}. ${safeInline(tool.name ?? tool.type)}`);
    if (tool.description) b.lines(untrustedLines(tool.description));
    if (isToolCut(tool)) {
      b.line(cutLine(tool.parameters === undefined ? 'this tool' : 'its parameters'));
      if (tool.parameters !== undefined) b.line({text: 'parameters, as the export wrote them:', tone: 'label'}).lines(jsonLines(tool.parameters));
    } else if (tool.type === 'function') {
      if (tool.parameters === undefined) b.line({text: 'parameters: none declared', tone: 'dim'});
      else b.line({text: 'parameters:', tone: 'label'}).lines(jsonLines(tool.parameters));
    } else {
      const {type: _type, ...options} = (tool.raw ?? {}) as Record<string, unknown>;
      if (Object.keys(options).length > 0) b.line({text: 'options:', tone: 'label'}).lines(jsonLines(options));
    }
  }
  return b.build();
}

function share(part: number | null, whole: number | null): string {
  if (part === null || whole === null || whole === 0) return '';
  return `${((part / whole) * 100).toFixed(1)}%`;
}

/** The Usage pane's cost lines: the estimate and its split, the price source and date, what it leaves out. */
function addCostLines(b: PaneBuilder, run: Run, modelMap: ModelMap): void {
  const estimate = runCost(run, modelMap);
  if (estimate.kind === 'none') {
    b.field('cost', {text: `no price: ${safeInline(estimate.reason)}`, tone: 'dim'});
    return;
  }
  b.field('cost', `${costCellText(estimate)} estimated (input ${formatUsd(estimate.input)} + output ${formatUsd(estimate.output)})`);
  if (estimate.deployment !== null) b.field('priced as', `${estimate.pricedAs} (deployment ${safeInline(estimate.deployment)}, mapped)`);
  b.field('prices', priceSource(estimate));
  b.field('rates', rateText(estimate));
  for (const missing of describeGaps(estimate.gaps)) b.field('not counted', {text: missing, tone: 'dim'});
}

/** The usage pane. */
export function usagePane(run: Run, context: Pick<PaneContext, 'modelMap'>): PaneContent {
  const b = new PaneBuilder();
  const usage = run.usage;
  if (!usage && isCut(run, 'usage')) {
    b.line(cutLine('the usage'));
  } else if (!usage) {
    const why = isActiveStatus(run.status) ? 'not finished: the API reports usage when the run ends' : 'no usage recorded for this run';
    b.line({text: why, tone: 'dim'});
  } else {
    const count = (value: number | null) => (value === null ? '—' : groupedCount(value));
    b.table(
      ['tokens', 'used', 'limit', 'share of limit'],
      [
        {tokens: 'prompt', used: count(usage.promptTokens), limit: count(run.maxPromptTokens), 'share of limit': share(usage.promptTokens, run.maxPromptTokens)},
        {tokens: 'completion', used: count(usage.completionTokens), limit: count(run.maxCompletionTokens), 'share of limit': share(usage.completionTokens, run.maxCompletionTokens)},
        {tokens: 'total', used: count(usage.totalTokens), limit: '', 'share of limit': ''},
      ],
    );
    const sum = (usage.promptTokens ?? 0) + (usage.completionTokens ?? 0);
    if (usage.totalTokens !== null && usage.promptTokens !== null && usage.completionTokens !== null && sum !== usage.totalTokens) {
      b.line({text: `total differs from prompt + completion (${sum})`, tone: 'warn'});
    }
    if (usage.cachedTokens != null) b.field('cached', `${count(usage.cachedTokens)} of the prompt tokens, read from the prompt cache`);
    if (usage.reasoningTokens != null) b.field('reasoning', `${count(usage.reasoningTokens)} of the completion tokens (billed as output)`);
    addCostLines(b.blank(), run, context.modelMap ?? NO_MODEL_MAP);
  }
  if (run.incompleteReason) b.blank().field('incomplete', untrusted(run.incompleteReason, 'warn'));
  return b.build();
}

/** The error pane. */
export function errorPane(run: Run, context: PaneContext): PaneContent {
  const b = new PaneBuilder();
  if (!run.lastError && !run.incompleteReason) {
    b.line({text: 'No error.', tone: 'dim'});
    return b.build();
  }
  if (run.lastError) {
    b.field('code', run.lastError.code ? untrusted(run.lastError.code, 'bad') : {text: '—', tone: 'dim'});
    b.field('when', timestampSegments(run.failedAt ?? run.endedAt, context));
    b.field('message', '');
    if (run.lastError.message) b.lines(untrustedLines(run.lastError.message));
    else if (isCut(run, 'last_error')) b.line(cutLine('the error'));
    else b.line({text: '—', tone: 'dim'});
  }
  if (run.incompleteReason) {
    if (run.lastError) b.blank();
    b.field('incomplete', untrusted(run.incompleteReason, 'warn'));
    const hint: Record<string, string> = {
      max_prompt_tokens: 'the prompt reached max_prompt_tokens',
      max_completion_tokens: 'the answer reached max_completion_tokens',
    };
    const text = hint[run.incompleteReason];
    if (text) b.line({text: `              ${text}`, tone: 'dim'});
  }
  return b.build();
}

/** The action pane. */
export function actionPane(run: Run, context: PaneContext): PaneContent {
  const b = new PaneBuilder();
  const action = run.requiredAction;
  if (!action) {
    b.line({text: run.status === 'requires_action' ? 'The run is in requires_action but carries no required_action.' : 'No action required.', tone: 'dim'});
    return b.build();
  }
  b.field('type', untrusted(action.type));
  const calls = pendingCallCount(run);
  const since = waitingSince(run);
  if (since !== null) {
    b.field('waiting', [{text: `at most ${formatDuration(context.nowSeconds - since)}`}, {text: '  since the run started', tone: 'dim'}]);
  }
  if (run.expiresAt !== null) {
    const left = run.expiresAt - context.nowSeconds;
    b.field(
      left > 0 ? 'expires in' : 'expired',
      left > 0
        ? {text: formatDuration(left), tone: left < 120 ? 'bad' : 'warn'}
        : {text: `${formatDuration(-left)} ago${isActiveStatus(run.status) ? ' (expired while waiting)' : ''}`, tone: 'bad'},
    );
  }
  const reports = checkToolCalls(run);
  const failing = reports.filter((report) => !report.ok).length;
  if (calls === null) {
    b.field('tool calls', [{text: reports.length > 0 ? `at least ${reports.length}` : 'unknown', tone: 'warn'}, {text: '  cut short by the export', tone: 'warn'}]);
    b.line(cutLine('the tool calls'));
  } else {
    b.field('tool calls', [
      {text: `${reports.length}`},
      failing > 0 ? {text: `  ${failing} with problems`, tone: 'bad'} : {text: '  all checks pass', tone: 'good'},
    ]);
  }
  for (const [index, report] of reports.entries()) {
    const {call} = report;
    b.blank();
    b.line(
      {text: `${index + 1}. `, tone: 'strong'},
      report.ok ? {text: '✓ ', tone: 'good'} : {text: '✗ ', tone: 'bad'},
      ...(call.serverLabel !== undefined ? [untrusted(call.serverLabel, 'strong'), {text: ' › ', tone: 'dim' as const}] : []),
      untrusted(call.functionName, 'strong'),
      {text: '  '},
      untrusted(call.id, 'dim'),
      ...(call.type === 'mcp' ? [{text: '  MCP call waiting for approval', tone: 'warn' as const}] : []),
    );
    for (const check of report.checks) {
      const mark: Segment = check.ok === true ? {text: '   ✓ ', tone: 'good'} : check.ok === false ? {text: '   ✗ ', tone: 'bad'} : {text: '   – ', tone: 'dim'};
      b.line(mark, {text: check.name, tone: check.ok === false ? 'bad' : undefined});
      for (const detail of check.details) b.line({text: '       '}, untrusted(detail, check.ok === false ? 'bad' : 'dim'));
      for (const note of check.notes) b.line({text: '       '}, untrusted(note, 'dim'));
    }
    b.line({text: '   arguments:', tone: 'label'});
    const parsed = parseJson(call.arguments);
    const argumentLines = parsed.ok ? jsonLines(parsed.value) : untrustedLines(call.arguments);
    b.lines(argumentLines.map((line) => [{text: '     '}, ...line]));
  }
  // Calls cut short: a body of the ones left would leave the others out, and the API refuses that.
  const request = calls === null ? null : unstickRequest(run);
  if (request) {
    const heading =
      run.kind === 'response'
        ? `Request that continues it (fill in each output; ${keyText('copy')} copies it):`
        : 'tool_approvals' in request.body
          ? 'Request that would unstick it (approve or deny each call):'
          : 'Request that would unstick it (fill in each output):';
    b.blank().heading(heading);
    // A run read from an API gets the whole request for that server; a file's run, the path alone.
    const target = run.kind !== 'response' && sourceKindOf(run.source) === 'api' ? context.unstick : undefined;
    const url = target ? submitToolOutputsUrl(run, target.baseUrl, target.foundryApiVersion) : null;
    if (url) {
      b.line({text: 'POST ', tone: 'dim'}, untrusted(url, 'dim'));
      for (const header of unstickHeaders(target!)) b.line({text: header, tone: 'dim'});
    } else if (request.path) {
      b.line(untrusted(`POST ${request.path}`, 'dim'));
    }
    b.lines(jsonLines(request.body));
  }
  return b.build();
}

/** The instructions pane. */
export function instructionsPane(run: Run): PaneContent {
  const b = new PaneBuilder();
  if (run.instructions === null || run.instructions === '') {
    b.line({text: 'No instructions.', tone: 'dim'});
    return b.build();
  }
  b.line({text: `${groupedCount(run.instructions.length)} characters`, tone: 'dim'}).blank();
  b.lines(untrustedLines(run.instructions));
  return b.build();
}

/** The metadata pane. */
export function metadataPane(run: Run): PaneContent {
  const b = new PaneBuilder();
  const entries = Object.entries(run.metadata);
  if (entries.length === 0) {
    b.line(isCut(run, 'metadata') ? cutLine('the metadata') : {text: 'No metadata.', tone: 'dim'});
    return b.build();
  }
  b.table(
    ['key', 'value'],
    entries.map(([key, value]) => ({key: safeInline(key), value: safeInline(value)})),
  );
  return b.build();
}

/** The raw pane. */
export function rawPane(run: Run): PaneContent {
  const b = new PaneBuilder();
  const asRead = run.asRead;
  if (asRead) {
    b.line({text: "As read, PascalCase keys and all (runlens reads them as the API's names; --json prints those):", tone: 'dim'});
    return b.lines(jsonLines(asRead)).build();
  }
  return b.lines(jsonLines(run.raw)).build();
}

/** The Required action tab's badge: how many calls the run waits for (`?` when the export cut them). */
export function actionBadge(run: Run): string {
  if (!run.requiredAction) return '';
  const calls = pendingCallCount(run);
  return calls === null ? '?' : String(calls);
}

/** The Tools tab's badge: how many tools. */
export function toolsBadge(run: Run): string {
  return isCut(run, 'tools') ? '?' : run.tools.length > 0 ? String(run.tools.length) : '';
}

/** The Last error tab's badge: `!` when there is something to read. */
export function errorBadge(run: Run): string {
  return run.lastError || run.incompleteReason ? '!' : '';
}

/** The Metadata tab's badge: how many keys. */
export function metadataBadge(run: Run): string {
  const count = Object.keys(run.metadata).length;
  return count > 0 ? String(count) : isCut(run, 'metadata') ? '?' : '';
}
