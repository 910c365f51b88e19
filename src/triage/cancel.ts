/**
 * Whether a run can still be cancelled, in words. An `incomplete` run has ended (on Foundry Agent
 * Service, often stopped by its safety guardrails: `incomplete_details.reason` says why), which
 * its status does not make plain the way `completed` or `failed` do; the server refuses a cancel.
 */
import type {Run} from '../model/run.js';
import {safeInline} from '../format/sanitize.js';

/** Null when a cancel makes sense, else one line saying why not. */
export function whyNotCancellable(run: Pick<Run, 'id' | 'status' | 'incompleteReason'>): string | null {
  if (run.status === 'incomplete') {
    const reason = run.incompleteReason ? ` (${safeInline(run.incompleteReason)})` : '';
    return `run ${safeInline(run.id)} is incomplete${reason}: it has ended, and an incomplete run cannot be cancelled`;
  }
  return null;
}
