/**
 * Tool outputs for a run in `requires_action`, checked before anything is sent: the checks the
 * `runlens submit` command and the terminal UI's output form share, and the JSON template the form
 * opens in an editor. Pure, and free of the SDK, so the terminal UI's store can use it.
 */
import {onUse} from '../model/zodOnUse.js';
import {APPROVAL_CALL, RESPONSE_ACTION} from '../model/response.js';
import type {Run} from '../model/run.js';
import {formatZodPath} from '../format/zodMessages.js';
import {locateJsonError, locateJsonPath} from '../format/jsonError.js';
import {safeInline} from '../format/sanitize.js';
import {APPROVAL_ACTION} from '../model/run.js';
import type {SubmitToolOutputsBody, ToolApproval, ToolOutput} from './unstick.js';

/** A refusal or failure: one line on stderr, exit 1 (CLI); one line in the footer or form (TUI). */
export class ActionError extends Error {
  override name = 'ActionError';
}

/**
 * The outputs in the order of the run's pending calls, or an ActionError saying why they cannot be
 * submitted: the run does not wait, a call id it does not wait for, a call left without output.
 */
export function checkOutputsForRun(run: Run, outputs: readonly ToolOutput[], howToAdd = 'use --output CALL_ID=TEXT'): ToolOutput[] {
  const id = safeInline(run.id);
  if (run.status !== 'requires_action') {
    throw new ActionError(`run ${id} is ${safeInline(run.status)}, not requires_action; nothing submitted`);
  }
  const action = run.requiredAction;
  // A waiting response takes the same outputs, as function_call_output items of the continuing request.
  if (!action || (action.type !== 'submit_tool_outputs' && action.type !== RESPONSE_ACTION) || action.toolCalls.length === 0) {
    throw new ActionError(`run ${id} waits for no tool outputs (required action: ${safeInline(action?.type ?? 'none')}); nothing submitted`);
  }
  const pending = action.toolCalls.map((call) => call.id);
  const waitsFor = `it waits for ${pending.map(safeInline).join(', ')}`;
  const unknown = outputs.filter((output) => !pending.includes(output.tool_call_id)).map((output) => safeInline(output.tool_call_id));
  if (unknown.length > 0) {
    throw new ActionError(`run ${id} does not wait for ${unknown.join(', ')} (${waitsFor}); nothing submitted`);
  }
  const given = new Map(outputs.map((output) => [output.tool_call_id, output.output]));
  const missing = pending.filter((call) => !given.has(call)).map(safeInline);
  if (missing.length > 0) {
    throw new ActionError(`no output for ${missing.join(', ')} (the API needs all ${pending.length} at once; ${howToAdd}); nothing submitted`);
  }
  for (const call of action.toolCalls) {
    const answer = given.get(call.id);
    if (call.type === APPROVAL_CALL && answer !== 'approve' && answer !== 'deny') {
      throw new ActionError(`${safeInline(call.id)} is an MCP approval request: its output is approve or deny, not '${safeInline(answer ?? '')}'; nothing submitted`);
    }
  }
  return pending.map((call) => ({tool_call_id: call, output: given.get(call)!}));
}

/**
 * The approvals in the order of the run's pending MCP calls, or an ActionError saying why they
 * cannot be sent: the run does not wait for approval, a call id it does not wait for, a call left
 * unanswered (the service needs every call answered at once), headers for a call not approved.
 */
export function checkApprovalsForRun(run: Run, approvals: readonly ToolApproval[], howToAdd = 'use --approve CALL_ID or --deny CALL_ID'): ToolApproval[] {
  const id = safeInline(run.id);
  if (run.status !== 'requires_action') {
    throw new ActionError(`run ${id} is ${safeInline(run.status)}, not requires_action; nothing submitted`);
  }
  const action = run.requiredAction;
  if (!action || action.type !== APPROVAL_ACTION || action.toolCalls.length === 0) {
    throw new ActionError(`run ${id} waits for no tool approvals (required action: ${safeInline(action?.type ?? 'none')}); nothing submitted`);
  }
  const pending = action.toolCalls.map((call) => call.id);
  const unknown = approvals.filter((approval) => !pending.includes(approval.tool_call_id)).map((approval) => safeInline(approval.tool_call_id));
  if (unknown.length > 0) {
    throw new ActionError(`run ${id} does not wait for ${unknown.join(', ')} (it waits for ${pending.map(safeInline).join(', ')}); nothing submitted`);
  }
  const given = new Map(approvals.map((approval) => [approval.tool_call_id, approval]));
  const missing = pending.filter((call) => !given.has(call)).map(safeInline);
  if (missing.length > 0) {
    throw new ActionError(`no answer for ${missing.join(', ')} (every one of the ${pending.length} calls needs approve or deny at once; ${howToAdd}); nothing submitted`);
  }
  const deniedWithHeaders = approvals.filter((approval) => !approval.approve && approval.headers && Object.keys(approval.headers).length > 0);
  if (deniedWithHeaders.length > 0) {
    throw new ActionError(`headers for ${deniedWithHeaders.map((approval) => safeInline(approval.tool_call_id)).join(', ')}, which is denied: headers go with an approved call; nothing submitted`);
  }
  return pending.map((call) => given.get(call)!);
}

/** The body the editor template holds: the API takes each output as a string. */
const editedBodySchema = onUse((z) => z.object({
  tool_outputs: z.array(
    z.object({
      tool_call_id: z.string({error: 'must be a string (the call id)'}),
      output: z.string({error: 'must be a string (the API takes text; write JSON as a string)'}),
    }),
    {error: 'must be an array of {"tool_call_id": …, "output": …}'},
  ),
}));

/**
 * The JSON the editor opens: the submit_tool_outputs body with one entry per call, in the run's
 * order, holding the values typed so far. JSON has no comments, so the template carries none.
 */
export function toolOutputsTemplate(callIds: readonly string[], values: readonly string[]): string {
  const body: SubmitToolOutputsBody = {tool_outputs: callIds.map((id, index) => ({tool_call_id: id, output: values[index] ?? ''}))};
  return `${JSON.stringify(body, null, 2)}\n`;
}

/**
 * The outputs in an edited template, checked against the run's calls: invalid JSON names
 * `label:line:column`, a wrong shape the field too (`label:4:17: tool_outputs[1].output: …`), and unknown or missing
 * call ids are refused by `checkOutputsForRun`. Throws ActionError with a one-line message.
 */
export function parseEditedOutputs(text: string, label: string, run: Run): ToolOutput[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const where = locateJsonError(text, error);
    throw new ActionError(`${safeInline(label)}:${where.line}:${where.column}: ${safeInline(where.reason)}`);
  }
  const parsed = editedBodySchema.zod.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? formatZodPath(issue.path) : 'the body';
    const message = issue.code === 'invalid_type' && issue.path.length === 0 ? 'must be an object {"tool_outputs": [...]}' : issue.message;
    const where = locateJsonPath(text, issue.path);
    throw new ActionError(`${safeInline(label)}:${where.line}:${where.column}: ${safeInline(field)}: ${safeInline(message)}`);
  }
  const seen = new Set<string>();
  for (const output of parsed.data.tool_outputs) {
    if (seen.has(output.tool_call_id)) throw new ActionError(`${safeInline(label)}: two outputs for ${safeInline(output.tool_call_id)}; give one`);
    seen.add(output.tool_call_id);
  }
  return checkOutputsForRun(run, parsed.data.tool_outputs, 'keep one entry per call');
}
