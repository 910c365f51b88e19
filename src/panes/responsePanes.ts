/**
 * What the detail panes show of a Responses API response beyond a run's fields: its chain,
 * conversation and background facts in Overview, and its output items in order (messages with
 * their text, function calls with their arguments and whether they wait, reasoning summaries,
 * built-in tool calls) where a run shows its steps. Pure, like the other pane builders.
 */
import {groupedCount} from '../format/count.js';
import {parseJson} from '../format/jsonError.js';
import type {ResponseItem} from '../model/responseItem.js';
import type {Run} from '../model/run.js';
import {jsonLines, PaneBuilder, untrusted, untrustedLines, type PaneContent, type Segment} from './content.js';

const dash: Segment = {text: '—', tone: 'dim'};

/** Overview's "Response" section: the API's own status, background, tier, chain and conversation, token details. */
export function addResponseOverview(b: PaneBuilder, run: Run): void {
  const facts = run.response;
  if (!facts) return;
  b.blank().heading('Response');
  const status: Segment[] = [untrusted(facts.apiStatus)];
  if (run.status === 'requires_action') status.push({text: '    nothing loaded answers its calls', tone: 'attention'});
  b.field('  API status', status, 24);
  if (facts.answeredBy) b.field('  answered', untrusted(facts.answeredBy, 'dim'), 24);
  b.field('  background', facts.background === null ? dash : String(facts.background), 24);
  b.field('  service_tier', facts.serviceTier ? untrusted(facts.serviceTier) : dash, 24);
  b.field('  previous_response_id', facts.previousResponseId ? untrusted(facts.previousResponseId) : dash, 24);
  b.field('  conversation', facts.conversationId ? untrusted(facts.conversationId) : dash, 24);
  const count = (value: number | null | undefined) => (value === null || value === undefined ? dash : {text: groupedCount(value)});
  b.field('  cached input tokens', count(run.usage?.cachedTokens), 24);
  b.field('  reasoning tokens', count(run.usage?.reasoningTokens), 24);
  if (facts.instructionItems) b.field('  instructions', `${facts.instructionItems.length} input item${facts.instructionItems.length === 1 ? '' : 's'} (see Raw JSON)`, 24);
}

/** The ids of the calls the response still waits for. */
function waitingIds(run: Run): Set<string> {
  return new Set((run.requiredAction?.toolCalls ?? []).map((call) => call.id));
}

function argumentLines(text: string) {
  const parsed = parseJson(text);
  return (parsed.ok ? jsonLines(parsed.value) : untrustedLines(text)).map((line) => [{text: '     '}, ...line]);
}

/** One output item: a heading line (number, type, name, ids) and what it holds. */
function addItem(b: PaneBuilder, item: ResponseItem, index: number, waiting: ReadonlySet<string>): void {
  const head: Segment[] = [{text: `${index + 1}. `, tone: 'strong'}, untrusted(item.type, 'strong')];
  if (item.role) head.push({text: ' '}, untrusted(item.role, 'dim'));
  if (item.name) head.push({text: '  '}, untrusted(item.name));
  const pairId = item.callId ?? (item.type === 'mcp_approval_request' ? item.id : null);
  if (pairId) head.push({text: '  '}, untrusted(pairId, 'dim'));
  if (pairId && waiting.has(pairId)) head.push({text: '  waits for its output', tone: 'attention'});
  else if (item.status && item.status !== 'completed') head.push({text: '  '}, untrusted(item.status, 'warn'));
  b.line(...head);
  if (item.text !== undefined && item.text !== '') b.lines(untrustedLines(item.text).map((line) => [{text: '   '}, ...line]));
  for (const summary of item.summary ?? []) b.lines(untrustedLines(summary).map((line) => [{text: '   '}, ...line]));
  if (item.arguments !== undefined) b.line({text: '   arguments:', tone: 'label'}).lines(argumentLines(item.arguments));
  if (item.output !== undefined) b.line({text: '   output:', tone: 'label'}).lines(untrustedLines(item.output).map((line) => [{text: '     '}, ...line]));
  if (item.approvalRequestId) b.line({text: '   answers ', tone: 'dim'}, untrusted(item.approvalRequestId, 'dim'), {text: item.approve ? '  approved' : '  denied', tone: item.approve ? 'good' : 'bad'});
}

/** The response's output items in order, each call marked when it waits. */
export function buildOutputPane(run: Run): PaneContent {
  const b = new PaneBuilder();
  const output = run.response?.output ?? [];
  if (output.length === 0) {
    b.line({text: run.response?.apiStatus === 'completed' ? 'The response has no output items.' : 'No output items yet.', tone: 'dim'});
    return b.build();
  }
  b.line({text: `${output.length} output item${output.length === 1 ? '' : 's'}, in order`, tone: 'dim'});
  const waiting = waitingIds(run);
  output.forEach((item, index) => {
    b.blank();
    addItem(b, item, index, waiting);
  });
  return b.build();
}
