/**
 * The review screen of the tool output form: the exact request that `y` sends. The body is shown
 * as the JSON that goes over the wire, with any character that could act on a terminal written as
 * a `\u` escape (`safeJson`), so what is shown still parses to what is sent.
 */
import {safeJson} from '../format/sanitize.js';
import {keyLabel, keyText} from '../keys.js';
import type {SubmitToolApprovalsBody, SubmitToolOutputsBody, UnstickTarget} from '../triage/unstick.js';
import {continuingResponseBody, submitToolOutputsUrl, unstickHeaders} from '../triage/unstick.js';
import type {Run} from '../model/run.js';
import {untrusted, untrustedLines, type Line} from './content.js';

export interface OutputReview {
  runId: string;
  threadId: string;
  body: SubmitToolOutputsBody | SubmitToolApprovalsBody;
  /** The API root the request goes to; unknown: the path alone, after `…`. */
  baseUrl?: string;
  /** The server's kind (Foundry: its api-version and Entra bearer), for the exact request. */
  target?: UnstickTarget;
  /** The response the outputs continue, when the form is for one (then the request is POST /responses). */
  response?: Run;
}

export function outputReviewLines({runId, threadId, body, baseUrl, target, response}: OutputReview): Line[] {
  const approvals = 'tool_approvals' in body ? body.tool_approvals : null;
  const outputs = 'tool_outputs' in body ? body.tool_outputs : [];
  // A response is continued by a new one: POST /responses with the outputs as its input.
  const continuing = response && !approvals ? continuingResponseBody(response, outputs) : null;
  const url = continuing
    ? `${(baseUrl ?? '…').replace(/\/+$/, '')}/responses`
    : submitToolOutputsUrl({id: runId, threadId}, baseUrl ?? '…', target?.foundryApiVersion);
  const count = approvals ? approvals.length : outputs.length;
  const empty = outputs.filter((output) => output.output === '').length;
  const denied = approvals ? approvals.filter((approval) => !approval.approve).length : 0;
  const noun = approvals ? 'tool approval' : 'tool output';
  return [
    [{text: `Review: ${count} ${noun}${count === 1 ? '' : 's'} for `, tone: 'strong'}, untrusted(runId, 'strong')],
    ...(empty > 0 ? [[{text: `${empty} output${empty === 1 ? ' is' : 's are'} empty`, tone: 'warn' as const}]] : []),
    ...(approvals ? [[{text: `${count - denied} approved, ${denied} denied`, tone: denied > 0 ? ('warn' as const) : ('good' as const)}]] : []),
    [],
    [{text: 'POST ', tone: 'label'}, untrusted(url ?? '')],
    ...(target?.foundryApiVersion ? unstickHeaders(target).map((header): Line => [{text: header, tone: 'dim'}]) : []),
    [{text: 'Content-Type: application/json', tone: 'dim'}],
    [],
    ...untrustedLines(safeJson(continuing ?? body, 2)),
    [],
    [
      {
        text: `${keyText('sendReviewed', 'review')} sends it, once (not retried)   ${keyLabel('backToForm', 'review')} back to the form   ${keyText('editOutputs', 'review')} edit in the editor`,
        tone: 'dim',
      },
    ],
  ];
}
