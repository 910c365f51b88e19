/**
 * Which responses still wait for tool outputs, over everything loaded: the Responses API's
 * `requires_action`. A completed response's `function_call` (or `mcp_approval_request`) waits
 * until one of these is loaded:
 * - a later response of the same chain (its `previous_response_id` names the response) that did
 *   not fail: the API refuses to continue a response whose calls are not all answered ("No tool
 *   output found for function call …"), so being continued proves every call was answered;
 * - a `function_call_output` with the call's `call_id` (or an `mcp_approval_response` with the
 *   request's id) in a response's input items or in the conversation's items.
 *
 * Loads meet these in any order (a chain saved newest first, items before their response), so
 * the index is kept as they come: `settle` answers a response by what came before it, `note`
 * names the responses a newcomer answers, which the collection settles again.
 */
import {answerCalls, answeredIds, RESPONSE_ACTION} from './response.js';
import type {ResponseItem} from './responseItem.js';
import type {Run} from './run.js';

/** Whether the run is a response waiting for tool outputs (or approvals). */
export function isWaitingResponse(run: Run): boolean {
  return run.kind === 'response' && run.status === 'requires_action' && run.requiredAction?.type === RESPONSE_ACTION;
}

/** The response this one continues, when it proves that one's calls answered (it did not fail). */
export function continuedResponse(run: Run): string | null {
  const previous = run.kind === 'response' ? run.response?.previousResponseId : null;
  // Naming itself (bad data) proves nothing about its own calls.
  if (!previous || previous === run.id) return null;
  return run.response!.apiStatus === 'failed' ? null : previous;
}

/** The index of what answers calls, kept as items and responses are loaded. */
export class ResponseWaits {
  /** Response id → the later response that continued it. */
  private readonly continuedBy = new Map<string, string>();
  /** Call and approval request ids answered by items loaded. */
  private readonly answered = new Set<string>();
  /** Call id → the waiting response that asked for it, so a late answer finds its response. */
  private readonly askedBy = new Map<string, string>();

  /** The run, answered as far as what was loaded before it shows (the same run when nothing does). */
  settle(run: Run): Run {
    if (!isWaitingResponse(run)) return run;
    const later = this.continuedBy.get(run.id);
    if (later !== undefined) return answerCalls(run, 'all', `continued by ${later}`);
    for (const call of run.requiredAction!.toolCalls) this.askedBy.set(call.id, run.id);
    return answerCalls(run, this.answered, 'its calls are answered by function_call_output items loaded');
  }

  /** Notes what a run answers; returns the ids of loaded responses to settle again. */
  note(run: Run): string[] {
    const previous = continuedResponse(run);
    if (previous === null) return [];
    this.continuedBy.set(previous, run.id);
    return [previous];
  }

  /** Notes the answers among input or conversation items; returns the ids of responses to settle again. */
  noteItems(items: readonly ResponseItem[]): string[] {
    const again = new Set<string>();
    for (const id of items.flatMap(answeredIds)) {
      this.answered.add(id);
      const asker = this.askedBy.get(id);
      if (asker !== undefined) again.add(asker);
    }
    return [...again];
  }
}

/** `runs` with every response settled by the others and by `items`: the rule above, over a whole set. */
export function settleResponses(runs: readonly Run[], items: readonly ResponseItem[] = []): Run[] {
  const waits = new ResponseWaits();
  waits.noteItems(items);
  for (const run of runs) waits.note(run);
  return runs.map((run) => waits.settle(run));
}
