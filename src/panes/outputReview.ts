/**
 * The review screen of the tool output form: the exact request that `y` sends. The body is shown
 * as the JSON that goes over the wire, with any character that could act on a terminal written as
 * a `\u` escape (`safeJson`), so what is shown still parses to what is sent.
 */
import {safeJson} from '../format/sanitize.js';
import {keyLabel, keyText} from '../keys.js';
import type {SubmitToolOutputsBody} from '../triage/unstick.js';
import {continuingResponseBody, submitToolOutputsUrl} from '../triage/unstick.js';
import type {Run} from '../model/run.js';
import {untrusted, untrustedLines, type Line} from './content.js';

export interface OutputReview {
  runId: string;
  threadId: string;
  body: SubmitToolOutputsBody;
  /** The API root the request goes to; unknown: the path alone, after `…`. */
  baseUrl?: string;
  /** The response the outputs continue, when the form is for one (then the request is POST /responses). */
  response?: Run;
}

export function outputReviewLines({runId, threadId, body, baseUrl, response}: OutputReview): Line[] {
  // A response is continued by a new one: POST /responses with the outputs as its input.
  const continuing = response ? continuingResponseBody(response, body.tool_outputs) : null;
  const url = continuing ? `${(baseUrl ?? '…').replace(/\/+$/, '')}/responses` : submitToolOutputsUrl({id: runId, threadId}, baseUrl ?? '…');
  const count = body.tool_outputs.length;
  const empty = body.tool_outputs.filter((output) => output.output === '').length;
  return [
    [{text: `Review: ${count} tool output${count === 1 ? '' : 's'} for `, tone: 'strong'}, untrusted(runId, 'strong')],
    ...(empty > 0 ? [[{text: `${empty} output${empty === 1 ? ' is' : 's are'} empty`, tone: 'warn' as const}]] : []),
    [],
    [{text: 'POST ', tone: 'label'}, untrusted(url ?? '')],
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
